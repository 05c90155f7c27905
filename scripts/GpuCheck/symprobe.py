#!/usr/bin/env python3
"""Can TorchSharp's libLibTorchSharp.so resolve its symbols against an installed PyTorch's libraries?

Usage: symprobe.py TORCH_LIB_DIR LIBTORCHSHARP_SO UNDEFINED_LIST [OUT_JSON]

UNDEFINED_LIST is `nm -D --undefined-only libLibTorchSharp.so` (type letter and name per line), made where
binutils exists. Each of libc10, libtorch_cpu, libc10_cuda, libtorch_cuda, libtorch found in TORCH_LIB_DIR is
loaded RTLD_GLOBAL; every strong undefined symbol is then looked up in the global scope (dlsym), and finally
libLibTorchSharp.so itself is dlopen'ed (RTLD_NOW), whose error names the first missing symbol.
"""
import ctypes, json, os, subprocess, sys

torch_lib, lts, undefined = sys.argv[1:4]
out = sys.argv[4] if len(sys.argv) > 4 else None
report = {"torch_lib": torch_lib, "libtorchsharp": lts, "loaded": {}}
for name in ["libc10.so", "libtorch_cpu.so", "libc10_cuda.so", "libtorch_cuda.so", "libtorch.so"]:
    p = os.path.join(torch_lib, name)
    if not os.path.exists(p):
        report["loaded"][name] = "absent"
        continue
    try:
        ctypes.CDLL(p, mode=ctypes.RTLD_GLOBAL)
        report["loaded"][name] = "ok"
    except OSError as e:
        report["loaded"][name] = str(e)

scope = ctypes.CDLL(None)
missing, checked, weak = [], 0, 0
for line in open(undefined):
    parts = line.split()
    if len(parts) != 2:
        continue
    kind, sym = parts
    if kind in ("w", "v"):
        weak += 1
        continue
    base = sym.split("@")[0]
    checked += 1
    try:
        getattr(scope, base)
    except AttributeError:
        missing.append(sym)

def demangle(names):
    try:
        r = subprocess.run(["c++filt"], input="\n".join(names), capture_output=True, text=True, timeout=30)
        return r.stdout.splitlines() if r.returncode == 0 else None
    except Exception:
        return None

report["strong_undefined_checked"] = checked
report["weak_skipped"] = weak
report["missing_count"] = len(missing)
report["missing"] = missing
report["missing_demangled"] = demangle(missing) if missing else []
try:
    ctypes.CDLL(lts, mode=os.RTLD_NOW | os.RTLD_GLOBAL)
    report["dlopen_libtorchsharp"] = "ok"
except OSError as e:
    report["dlopen_libtorchsharp"] = str(e)
text = json.dumps(report, indent=1)
print(text[:6000] if len(text) > 6000 else text)
if out:
    open(out, "w").write(text)
sys.exit(0 if not missing and report["dlopen_libtorchsharp"] == "ok" else 1)
