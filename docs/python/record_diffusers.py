"""Record a diffusers CMStochasticIterativeScheduler loop as a Cm trace v1 (docs/trace-format.md), tensors inline.
Usage: python record_diffusers.py out.jsonl [steps] [seed]   (demo: the golden fake model, shape 1x1x2x3)."""
import base64, hashlib, json, os, struct, sys
import numpy as np
import torch
import diffusers
from diffusers import CMStochasticIterativeScheduler

def f32(x):  # {"value": the float32 as a double, "bits": "0x%08x"}
    x = float(torch.as_tensor(x, dtype=torch.float32))
    return {"value": x, "bits": "0x%08x" % struct.unpack("<I", struct.pack("<f", x))[0]}

def f64(x):
    return {"value": float(x), "bits": "0x%016x" % struct.unpack("<Q", struct.pack("<d", float(x)))[0]}

def raw(t):  # float32 little-endian bytes, row-major
    return t.detach().to("cpu", torch.float32).contiguous().numpy().astype("<f4").tobytes()

def sha(t): return hashlib.sha256(raw(t)).hexdigest()
def b64(t): return base64.b64encode(raw(t)).decode("ascii")

def host():  # numpy's float64 log/power depend on its version and the SIMD targets it dispatches to here
    try: from numpy.core._multiarray_umath import __cpu_dispatch__ as d, __cpu_features__ as f  # numpy 1.x
    except ImportError: from numpy._core._multiarray_umath import __cpu_dispatch__ as d, __cpu_features__ as f  # numpy 2
    return "numpy %s; simd %s" % (np.__version__, ",".join(t for t in d if f.get(t)) or "none")

def record(path, model, scheduler, shape, seed, steps=None, timesteps=None, model_id="unknown", labels=None):
    """One generator seeded `seed` draws the initial sample, then each step's noise (the pipeline's order)."""
    c, g = scheduler.config, torch.Generator().manual_seed(seed)
    keys = ["num_train_timesteps", "sigma_min", "sigma_max", "sigma_data", "s_noise", "rho", "clip_denoised"]
    with open(path + ".partial", "w", encoding="ascii", newline="\n") as out:
        prev = "0" * 64
        def emit(d):
            nonlocal prev
            d["prev"] = prev
            line = json.dumps(d, separators=(",", ":"))
            out.write(line + "\n")
            prev = hashlib.sha256(line.encode("ascii")).hexdigest()
        emit({"type": "header", "prev": None, "format": "cm-trace", "version": 1, "hash": "sha256",
              "library": "diffusers %s; %s" % (diffusers.__version__, host()),
              "config": {k: (int(c[k]) if k == "num_train_timesteps" else bool(c[k]) if k == "clip_denoised" else float(c[k])) for k in keys},
              "schedule": {"timesteps": list(timesteps)} if timesteps is not None else {"num_inference_steps": steps},
              "noise": {"kind": "torch", "seed": seed}, "shape": list(shape), "dtype": "float32", "device": "cpu",
              "class_labels": labels, "model": model_id, "tensors": True})
        x = torch.randn(shape, generator=g, dtype=torch.float32) * scheduler.init_noise_sigma
        scheduler.set_timesteps(num_inference_steps=steps, timesteps=timesteps)
        n, N = len(scheduler.timesteps), c.num_train_timesteps
        for i, t in enumerate(scheduler.timesteps):
            scaled = scheduler.scale_model_input(x, t)
            out_ = model(scaled, t)
            if not (torch.is_tensor(out_) and out_.dtype == torch.float32):
                raise TypeError("model output is %s, not a float32 tensor: Cm traces are float32 and a float64 run "
                                "cannot verify; run the model in float32 (model.float()) and record again" % getattr(out_, "dtype", type(out_)))
            noise = torch.randn(shape, generator=torch.Generator().set_state(g.get_state()), dtype=torch.float32) if n > 1 else None
            nxt = scheduler.step(out_, t, x, generator=g).prev_sample
            s = scheduler.sigmas[i]
            sn = scheduler.sigmas[i + 1] if i + 1 < N else scheduler.sigmas[-1]
            c_skip, c_out = scheduler.get_scalings_for_boundary_condition(s)
            hat = sn.clamp(min=c.sigma_min, max=c.sigma_max)
            emit({"type": "step", "prev": None, "index": i, "timestep": f64(t), "sigma": f32(s), "sigma_next": f32(sn),
                  "sigma_hat": f32(hat), "c_skip": f32(c_skip), "c_out": f32(c_out),
                  "input_divisor": f32((s**2 + c.sigma_data**2) ** 0.5), "noise_scale": f32((hat**2 - c.sigma_min**2) ** 0.5),
                  "position": None,
                  "hashes": {"sample": sha(x), "model_output": sha(out_), "noise": None if noise is None else sha(noise), "next_sample": sha(nxt)},
                  "tensors": {"sample": b64(x), "model_output": b64(out_), "noise": None if noise is None else b64(noise), "next_sample": b64(nxt)}})
            x = nxt
        emit({"type": "footer", "prev": None, "steps": n, "final_sample": sha(x), "complete": True})
    os.replace(path + ".partial", path)
    return x

if __name__ == "__main__":
    fake = lambda s, t: torch.tanh(s) * 0.9 + 0.01 * float(t)  # the golden fake model (float32)
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 4
    record(sys.argv[1], fake, CMStochasticIterativeScheduler(), (1, 1, 2, 3), int(sys.argv[3]) if len(sys.argv) > 3 else 42,
           steps=steps, model_id="analytic:fake-tanh(out=f(f(tanh(s))*f(0.9))+f(0.01*t))")
