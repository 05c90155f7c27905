"""Builds diffusers' own UNet2DModel with the full-size ImageNet-64 consistency config (295,899,267 parameters,
PyTorch's default random init from a fixed seed), saves it as a diffusers model folder with diffusers' real
`save_pretrained` (config.json + diffusion_pytorch_model.safetensors, and an fp16 variant), checks that the
folder loads back bit for bit with diffusers' real `from_pretrained`, and exports a TorchScript file in Cm's
calling convention, forward(x, t, class_labels) (docs/export-diffusers-unet.md).

Run through make.sh, which puts the pinned diffusers / huggingface_hub / safetensors sources on PYTHONPATH.
Usage: export.py OUT_DIR [--seed 0] [--no-fp16]
"""

import argparse
import hashlib
import json
import os
import platform
import sys
import time
from typing import Optional

import torch

import diffusers
import huggingface_hub
import safetensors
import safetensors.torch  # noqa: F401  (diffusers' save_pretrained uses safetensors.torch.save_file without importing it)
from diffusers import UNet2DModel

# diffusers' scripts/convert_consistency_to_diffusers.py IMAGENET_64_UNET_CONFIG, plus attn_norm_num_groups 32
# (what the released cd_imagenet64 checkpoints need; ../shared/golden/unet/README.md) and the resnet
# up/downsamplers; the same network as benchmarks/Cm.Benchmarks/UnetBenchmarks.cs.
IMAGENET64 = dict(
    sample_size=64, in_channels=3, out_channels=3, layers_per_block=3, num_class_embeds=1000,
    block_out_channels=[192, 384, 576, 768], attention_head_dim=64,
    down_block_types=["ResnetDownsampleBlock2D", "AttnDownBlock2D", "AttnDownBlock2D", "AttnDownBlock2D"],
    up_block_types=["AttnUpBlock2D", "AttnUpBlock2D", "AttnUpBlock2D", "ResnetUpsampleBlock2D"],
    resnet_time_scale_shift="scale_shift", attn_norm_num_groups=32, upsample_type="resnet", downsample_type="resnet")
EXPECTED_PARAMETERS = 295_899_267


class Core(torch.nn.Module):
    """UNet2DModel -> plain tensor, the three inputs as tensors (what torch.jit.trace records)."""

    def __init__(self, unet):
        super().__init__()
        self.unet = unet

    def forward(self, x, t, class_labels):
        return self.unet(x, t, class_labels=class_labels, return_dict=False)[0]


class CmUNet(torch.nn.Module):
    """Cm's calling convention around the traced core."""

    def __init__(self, core):
        super().__init__()
        self.core = core

    def forward(self, x: torch.Tensor, t: torch.Tensor, class_labels: Optional[torch.Tensor]) -> torch.Tensor:
        if class_labels is None:
            raise RuntimeError("this model is class-conditional: pass class_labels (int64 [N])")
        return self.core(x, t, class_labels)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 24), b""):
            h.update(chunk)
    return h.hexdigest()


def finite_run(fn, what, tries=5):
    """torch 1.13's CPU baddbmm can propagate NaN from the uninitialised input of diffusers' AttnProcessor
    (beta = 0; ../shared/golden/unet/README.md): repeat a run whose result is not finite."""
    for i in range(tries):
        y = fn()
        if torch.isfinite(y).all():
            return y, i
        print(f"  {what}: non-finite result (torch 1.13 baddbmm hazard), repeating")
    raise RuntimeError(f"{what}: no finite result in {tries} runs")


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-fp16", action="store_true")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.set_num_threads(int(os.environ.get("EXPORT_THREADS", "1")))
    log(f"torch {torch.__version__}, diffusers {diffusers.__version__} ({os.path.dirname(diffusers.__file__)}), "
        f"huggingface_hub {huggingface_hub.__version__}, safetensors {safetensors.__version__}")

    # 1. diffusers' own network, default init from the seed.
    torch.manual_seed(args.seed)
    unet = UNet2DModel(**IMAGENET64).eval()
    unet.requires_grad_(False)
    n = sum(p.numel() for p in unet.parameters())
    assert n == EXPECTED_PARAMETERS, f"{n} parameters, expected {EXPECTED_PARAMETERS}"
    processors = sorted({type(m.processor).__name__ for m in unet.modules() if hasattr(m, "processor")})
    log(f"built UNet2DModel: {n:,} parameters, attention processors {processors}")

    # 2. diffusers' real save_pretrained: config.json + diffusion_pytorch_model.safetensors (F32).
    unet.save_pretrained(args.out, safe_serialization=True)
    weights = os.path.join(args.out, "diffusion_pytorch_model.safetensors")
    log(f"wrote {weights} ({os.path.getsize(weights):,} bytes)")

    # 3. diffusers' real from_pretrained reads it back; every tensor bit-identical.
    back = UNet2DModel.from_pretrained(args.out).eval()
    ref, got = unet.state_dict(), back.state_dict()
    assert ref.keys() == got.keys(), "key sets differ after from_pretrained"
    bad = [k for k in ref if not torch.equal(ref[k], got[k])]
    assert not bad, f"tensors differ after from_pretrained: {bad[:5]}"
    log(f"from_pretrained read back {len(got)} tensors, all bit-identical")
    del back, got

    # 4. TorchScript in Cm's convention (batch 2 while tracing, so the batch size is not baked in).
    g = torch.Generator().manual_seed(1234)
    x = torch.randn(2, 3, 64, 64, generator=g)
    t = torch.full((2,), 1000 * 0.25 * torch.log(torch.tensor(80.0 + 1e-44)).item())
    labels = torch.tensor([1, 2], dtype=torch.int64)
    pt = os.path.join(args.out, "unet-cm.pt")
    with torch.no_grad():
        traced = torch.jit.trace(Core(unet), (x, t, labels), check_trace=False)
        torch.jit.script(CmUNet(traced)).save(pt)
        log(f"wrote {pt} ({os.path.getsize(pt):,} bytes)")
        del traced
        # Self-check: the saved file reproduces the eager model on another batch size and other inputs.
        reloaded = torch.jit.load(pt)
        x1 = torch.randn(1, 3, 64, 64, generator=torch.Generator().manual_seed(0))
        t1 = torch.full((1,), 1.5)
        l1 = torch.tensor([207], dtype=torch.int64)
        eager, r1 = finite_run(lambda: unet(x1, t1, class_labels=l1).sample, "eager forward")
        scripted, r2 = finite_run(lambda: reloaded(x1, t1, l1), "TorchScript forward")
        diff = (scripted - eager).abs().max().item()
        log(f"max |TorchScript - eager| = {diff:.3g} (batch 1, max |eager| = {eager.abs().max().item():.3g})")
        del reloaded

    # 5. An fp16 variant, as the Hub repositories also ship (diffusion_pytorch_model.fp16.safetensors).
    fp16 = None
    if not args.no_fp16:
        unet.half().save_pretrained(args.out, safe_serialization=True, variant="fp16")
        fp16 = os.path.join(args.out, "diffusion_pytorch_model.fp16.safetensors")
        log(f"wrote {fp16} ({os.path.getsize(fp16):,} bytes)")

    files = {os.path.basename(p): {"bytes": os.path.getsize(p), "sha256": sha256(p)}
             for p in [os.path.join(args.out, "config.json"), weights, pt] + ([fp16] if fp16 else [])}
    provenance = {
        "made_by": "scripts/unet-torchscript/make.sh + export.py",
        "sources": json.loads(os.environ.get("UNET_TS_SOURCES", "{}")),
        "python": platform.python_version(), "torch": torch.__version__, "diffusers": diffusers.__version__,
        "config": IMAGENET64, "parameters": n, "init": f"torch.manual_seed({args.seed}); UNet2DModel(**config)",
        "attention_processors": processors,
        "self_check": {"input": "randn(1,3,64,64, seed 0), t = 1.5, label 207", "max_abs_torchscript_minus_eager": diff,
                       "max_abs_eager": eager.abs().max().item(), "nan_repeats": [r1, r2]},
        "torchscript_convention": "forward(x: Tensor[N,3,64,64] f32, t: Tensor[N] f32, class_labels: Optional[Tensor[N] i64])",
        "files": files,
    }
    with open(os.path.join(args.out, "provenance.json"), "w") as f:
        json.dump(provenance, f, indent=2)
    log("wrote provenance.json")
    for name, info in files.items():
        print(f"  {name}: {info['bytes']:,} bytes, sha256 {info['sha256']}")


if __name__ == "__main__":
    main()
