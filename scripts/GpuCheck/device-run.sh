#!/usr/bin/env bash
# Runs on the GPU machine (PyTorch with CUDA installed, no .NET): unpacks what pack-for-device.sh made, checks
# whether TorchSharp's libLibTorchSharp.so resolves against the installed PyTorch's libraries, runs GpuCheck
# on cuda against them, then the PyTorch-only op-sequence check (cuda_ops_check.py). Writes into $OUT (or $2).
#
#   bash DIR/device-run.sh DIR [OUT]
set -u
G="$(cd "$1" && pwd)"; O="${2:-${OUT:-$PWD/gpucheck-out}}"; mkdir -p "$O"
exec > >(tee -a "$O/device.log") 2>&1
PY="${PY:-/opt/torch/.venv/bin/python3}"; [ -x "$PY" ] || PY=python3
echo "== machine"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
uname -r; grep PRETTY_NAME /etc/os-release; ldd --version | head -1
TL="$($PY -c 'import torch,os;print(os.path.join(os.path.dirname(torch.__file__),"lib"))')"
$PY -c 'import torch;print("torch", torch.__version__, "cuda", torch.version.cuda, torch.cuda.get_device_name(0))'
echo "torch lib: $TL"; ls "$TL"
B=/tmp/gpucheck-bundle; rm -rf "$B"; mkdir -p "$B"; tar -xJf "$G/gpucheck-bundle.tar.xz" -C "$B"
echo "== ldd libLibTorchSharp.so"
LD_LIBRARY_PATH="$TL" ldd "$B/app/libLibTorchSharp.so"
echo "== symbol probe"
LD_LIBRARY_PATH="$TL" timeout 60 "$PY" "$G/symprobe.py" "$TL" "$B/app/libLibTorchSharp.so" "$G/lts-undefined.txt" "$O/symprobe.json" | head -c 4000; rc=${PIPESTATUS[0]}
echo; echo "symprobe rc=$rc"
echo "== GpuCheck (Cm runtime on cuda vs cpu)"
DOTNET_ROOT="$B/dotnet" LD_LIBRARY_PATH="$TL" CM_TORCH_LIB="$TL" CM_DEVICE=cuda \
  timeout 200 "$B/dotnet/dotnet" "$B/app/GpuCheck.dll" "$O" > "$O/gpucheck.stdout" 2> "$O/gpucheck.stderr"
echo "GpuCheck rc=$?"
tail -n 30 "$O/gpucheck.stderr"
"$PY" - "$O/gpucheck.json" <<'PYEOF' || tail -c 2000 "$O/gpucheck.stdout"
import json, sys
r = json.load(open(sys.argv[1]))
print({k: r.get(k) for k in ("torchsharp_libtorch_version", "cuda_available", "cuda_device_count", "device_resolved", "verdict", "failures", "exception")})
for x in r.get("runs", []):
    print(x["model"], x["schedule"], x["noise"], "noise_identical", x["noise_bit_identical"], "final_identical", x["final_bit_identical"],
          "final_max_abs", x["final"]["max_abs"], "final_max_ulp", x["final"]["max_ulp"], "model_out_max_ulp", x["model_output"]["max_ulp"],
          "replay_differing", x["replay"]["differing"], "ms cpu/dev", x["cpu_ms"], x["device_ms"])
s = r.get("stress", {})
print("stress", {k: s.get(k) for k in ("cases", "elements_compared", "differing", "max_ulp", "nan_mismatch", "both_nan_counted_equal")})
PYEOF
echo "== PyTorch-only op-sequence check (not Cm)"
timeout 90 "$PY" "$G/cuda_ops_check.py" "$G/scalars.json" "$O/cuda_ops_check.json"
echo "ops rc=$?"
