#!/usr/bin/env python3
"""Fallback check with PyTorch itself (NOT Cm): Cm's device op sequence for a step and for the input scaling,
run on CUDA and on the CPU with torch, against a float32 reference in NumPy that rounds every operation on its
own, as Cm.Pure's StepKernel does.

Usage: cuda_ops_check.py SCALARS_JSON [OUT_JSON]

SCALARS_JSON comes from `GpuCheck --scalars FILE` (Cm's own step scalars as float32 bit patterns). The op
sequence copied here is TensorStep.ApplyOps / TensorStep.ScaleInput (src/Cm.Runtime/Sampling/TensorStep.cs):
    d = F * c_out; d += x * c_skip; clamp_(-1, 1) if clip; z = noise * s_noise; z *= noise_scale; d += z
    (no noise: d += 0.0);  scaled = x / <0-dim float32 tensor on the device>
This checks the op sequence on CUDA, not Cm's binaries.
"""
import json, sys, time
import numpy as np
import torch

scalars_path = sys.argv[1]
out = sys.argv[2] if len(sys.argv) > 2 else None
spec = json.load(open(scalars_path))
f32 = lambda bits: np.uint32(bits).view(np.float32)

report = {"what": "torch op sequence of Cm's TensorStep on CUDA and CPU vs a per-op-rounded float32 NumPy reference; not Cm itself",
          "torch": torch.__version__, "cuda_runtime": torch.version.cuda, "cuda_available": torch.cuda.is_available()}
if torch.cuda.is_available():
    p = torch.cuda.get_device_properties(0)
    report["gpu"] = p.name
    report["gpu_capability"] = f"{p.major}.{p.minor}"

n = 1 << 20
rng = np.random.default_rng(20260101)
def make(scale):
    a = (rng.standard_normal(n) * scale).astype(np.float32)
    u = rng.random(n)
    a[u < 0.002] = np.nan
    a[(u >= 0.002) & (u < 0.004)] = np.inf
    a[(u >= 0.004) & (u < 0.006)] = -np.inf
    a[(u >= 0.006) & (u < 0.010)] = -0.0
    a[(u >= 0.010) & (u < 0.014)] = 0.0
    sub = (u >= 0.014) & (u < 0.020)
    a[sub] = (rng.integers(1, 0x7FFFFF, sub.sum()).astype(np.uint32).view(np.float32)
              * np.where(rng.random(sub.sum()) < 0.5, np.float32(-1), np.float32(1)))
    near = (u >= 0.020) & (u < 0.030)
    a[near] = (np.where(rng.random(near.sum()) < 0.5, 1, -1) * (1 + (rng.random(near.sum()) - 0.5) * 1e-6)).astype(np.float32)
    big = (u >= 0.030) & (u < 0.035)
    a[big] = ((rng.random(big.sum()) - 0.5) * 6e38).astype(np.float32)
    return a

xs, fs, zs = make(80.0), make(3.0), make(1.0)

def ref_step(c_out, c_skip, s_noise, scale, clip, noise):
    with np.errstate(all="ignore"):
        d = (fs * c_out).astype(np.float32) + (xs * c_skip).astype(np.float32)
        if clip:
            d = np.where(d < np.float32(-1), np.float32(-1), np.where(d > np.float32(1), np.float32(1), d)).astype(np.float32)
        den = d.copy()
        if noise:
            z = (zs * s_noise).astype(np.float32)
            z = (z * scale).astype(np.float32)
            d = (d + z).astype(np.float32)
        else:
            d = (d + np.float32(0)).astype(np.float32)
    return den, d

def torch_step(dev, c_out, c_skip, s_noise, scale, clip, noise):
    x, F, Z = (torch.from_numpy(a).to(dev) for a in (xs, fs, zs))
    d = F.mul(float(c_out))
    d.add_(x.mul(float(c_skip)))
    if clip:
        d.clamp_(-1.0, 1.0)
    den = d.clone()
    if noise:
        z = Z.mul(float(s_noise))
        z.mul_(float(scale))
        d.add_(z)
    else:
        d.add_(0.0)
    return den.cpu().numpy(), d.cpu().numpy()

def torch_scale(dev, divisor, scalar=False):
    x = torch.from_numpy(xs).to(dev)
    if scalar:
        return x.div(float(divisor)).cpu().numpy()
    return x.div(torch.tensor(float(divisor), dtype=torch.float32, device=dev)).cpu().numpy()

def diff(a, b):
    na, nb = np.isnan(a), np.isnan(b)
    both = na & nb
    ba, bb = a.view(np.int32), b.view(np.int32)
    neq = (ba != bb) & ~both
    o = {"differing": int(neq.sum()), "nan_mismatch": int((na ^ nb).sum()), "both_nan": int(both.sum())}
    if neq.any():
        oa = np.where(ba < 0, np.int64(-2**31) - ba.astype(np.int64) - 1, ba.astype(np.int64))
        ob = np.where(bb < 0, np.int64(-2**31) - bb.astype(np.int64) - 1, bb.astype(np.int64))
        o["max_ulp"] = int(np.abs(oa - ob)[neq & ~(na ^ nb)].max(initial=0))
    return o

devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
clip_default = bool(spec["clip_denoised"])
totals = {d: {"elements": 0, "differing": 0, "nan_mismatch": 0, "max_ulp": 0} for d in devices}
scale_totals = {d: {"elements": 0, "differing": 0, "max_ulp": 0} for d in devices}
scalar_div = {"elements": 0, "differing": 0, "max_ulp": 0}
t0 = time.time()
for s in spec["steps"]:
    c_out, c_skip, s_noise, scale, div = (f32(s[k]) for k in ("c_out", "c_skip", "s_noise", "noise_scale", "input_divisor"))
    with np.errstate(all="ignore"):
        ref_scaled = (xs / div).astype(np.float32)
    for dev in devices:
        r = diff(ref_scaled, torch_scale(dev, div))
        t = scale_totals[dev]
        t["elements"] += n; t["differing"] += r["differing"]; t["max_ulp"] = max(t["max_ulp"], r.get("max_ulp", 0))
        if dev == "cuda":
            r = diff(ref_scaled, torch_scale(dev, div, scalar=True))
            scalar_div["elements"] += n; scalar_div["differing"] += r["differing"]
            scalar_div["max_ulp"] = max(scalar_div["max_ulp"], r.get("max_ulp", 0))
        for clip in (True, False):
            for noise in (True, False):
                rden, rnext = ref_step(c_out, c_skip, s_noise, scale, clip, noise)
                tden, tnext = torch_step(dev, c_out, c_skip, s_noise, scale, clip, noise)
                t = totals[dev]
                for a, b in ((rden, tden), (rnext, tnext)):
                    r = diff(a, b)
                    t["elements"] += n; t["differing"] += r["differing"]; t["nan_mismatch"] += r["nan_mismatch"]
                    t["max_ulp"] = max(t["max_ulp"], r.get("max_ulp", 0))
report["scalar_sets"] = len(spec["steps"])
report["elements_per_tensor"] = n
report["step_vs_reference"] = totals
report["scale_input_vs_reference"] = scale_totals
report["cuda_div_by_python_scalar_vs_reference"] = scalar_div if "cuda" in devices else None
report["seconds"] = round(time.time() - t0, 2)
ok = all(v["differing"] == 0 for v in totals.values()) and all(v["differing"] == 0 for v in scale_totals.values())
report["verdict"] = "bit-equal" if ok else "differences"
text = json.dumps(report, indent=1)
print(text)
if out:
    open(out, "w").write(text)
sys.exit(0 if ok else 1)
