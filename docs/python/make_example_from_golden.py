"""Writes tests/Properties/Traces/python_example.jsonl (the worked example of docs/trace-format.md) from the golden
step loop sched=n2|clip=True|rng=shared with Python's json module, laid out as record_diffusers.py lays it out."""
import os
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
import json, struct, hashlib, base64, math
d = json.load(open(os.path.join(ROOT, '..', 'shared', 'golden', 'diffusers', 'step_loops_1x1x2x3.json')))
c = [x for x in d['cases'] if x['id'] == 'sched=n2|clip=True|rng=shared'][0]
f = lambda x: struct.unpack('<f', struct.pack('<f', x))[0]
def bits32(b): return struct.unpack('<f', struct.pack('<I', int(b, 16)))[0]
def bits64(b): return struct.unpack('<d', struct.pack('<Q', int(b, 16)))[0]
def enc(e): return struct.pack('<%dI' % len(e['bits']), *[int(b, 16) for b in e['bits']])
def f32(x): return {"value": x, "bits": "0x%08x" % struct.unpack("<I", struct.pack("<f", x))[0]}
def f64(x): return {"value": x, "bits": "0x%016x" % struct.unpack("<Q", struct.pack("<d", x))[0]}
sha = lambda e: hashlib.sha256(enc(e)).hexdigest()
b64 = lambda e: base64.b64encode(enc(e)).decode()
cfg = c['config']; lines = []
lines.append({"type": "header", "prev": None, "format": "cm-trace", "version": 1, "hash": "sha256", "library": "diffusers 58eb52c0803ea9af3abec60841c2a093bdf1f951",
  "config": {k: cfg[k] for k in ["num_train_timesteps", "sigma_min", "sigma_max", "sigma_data", "s_noise", "rho", "clip_denoised"]},
  "schedule": {"num_inference_steps": 2}, "noise": {"kind": "torch", "seed": 42}, "shape": [1, 1, 2, 3], "dtype": "float32",
  "device": "cpu", "class_labels": None, "model": "analytic:fake-tanh(out=f(f(tanh(s))*f(0.9))+f(0.01*t))", "tensors": True})
for s in c['steps']:
    sig = bits32(s['sigma']['bits'][0]); sd2 = f(cfg['sigma_data'] ** 2)
    div = f(math.sqrt(f(f(sig * sig) + sd2)))
    g = lambda k: f32(bits32(s[k]['bits'][0]))
    n = s['noise']
    lines.append({"type": "step", "prev": None, "index": s['i'], "timestep": f64(bits64(s['t']['bits'][0])), "sigma": g('sigma'),
      "sigma_next": g('sigma_next'), "sigma_hat": g('sigma_hat'), "c_skip": g('c_skip'), "c_out": g('c_out'), "input_divisor": f32(div),
      "noise_scale": g('noise_scale_derived'), "position": None,
      "hashes": {"sample": sha(s['sample_in']), "model_output": sha(s['model_output']), "noise": None if n is None else sha(n), "next_sample": sha(s['prev_sample'])},
      "tensors": {"sample": b64(s['sample_in']), "model_output": b64(s['model_output']), "noise": None if n is None else b64(n), "next_sample": b64(s['prev_sample'])}})
lines.append({"type": "footer", "prev": None, "steps": len(c['steps']), "final_sample": sha(c['final_sample']), "complete": True})
prev = "0" * 64
with open(os.path.join(ROOT, 'tests', 'Properties', 'Traces', 'python_example.jsonl'), 'w', newline='\n') as out:
    for d in lines:
        d["prev"] = prev; line = json.dumps(d, separators=(",", ":")); out.write(line + "\n")
        prev = hashlib.sha256(line.encode()).hexdigest()
