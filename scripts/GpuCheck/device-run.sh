#!/usr/bin/env bash
# Runs on the GPU machine (PyTorch with CUDA installed, no .NET): unpacks what pack-for-device.sh made, checks
# whether TorchSharp's libLibTorchSharp.so resolves against the installed PyTorch's libraries, runs GpuCheck
# on cuda against them, the PyTorch-only op-sequence check (cuda_ops_check.py), then the cm CLI on cuda vs cpu
# (cli-check.sh). Writes into $OUT (or $2).
#
#   bash DIR/device-run.sh DIR [OUT]
#   CM_CHECKS="cli gpucheck" bash DIR/device-run.sh DIR [OUT]   # which checks, in this order (default: symbols gpucheck ops cli)
#   CM_REPO=PATH                                        # the repository (for tests/fixtures/models; default: DIR/..)
#   CM_CLI_DEVICE=cpu                                   # dry run of the cli check without a GPU (default cuda)
set -u
CHECKS="${CM_CHECKS:-symbols gpucheck ops cli}"
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
echo "checks: $CHECKS"
echo "== ldd libLibTorchSharp.so"
LD_LIBRARY_PATH="$TL" ldd "$B/app/libLibTorchSharp.so"
check_symbols() {
echo "== symbol probe"
LD_LIBRARY_PATH="$TL" timeout 60 "$PY" "$G/symprobe.py" "$TL" "$B/app/libLibTorchSharp.so" "$G/lts-undefined.txt" "$O/symprobe.json" | head -c 4000; rc=${PIPESTATUS[0]}
echo; echo "symprobe rc=$rc"
}
check_gpucheck() {
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
}
check_ops() {
echo "== PyTorch-only op-sequence check (not Cm)"
timeout 90 "$PY" "$G/cuda_ops_check.py" "$G/scalars.json" "$O/cuda_ops_check.json"
echo "ops rc=$?"
}
check_cli() {
echo "== cm CLI on cuda vs cpu (sample, verify, replay, diff, png, plot)"
# cm is not built invariant-globalization (GpuCheck is): without libicu on the machine, run it invariant.
ldconfig -p | grep -q libicuuc || { echo "no libicu: DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1"; export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1; }
# No preloading here: TorchSharp finds libtorch(_cuda).so by name through LD_LIBRARY_PATH (cli-check.sh falls
# back to LD_PRELOAD if the first cuda run fails).
DOTNET_ROOT="$B/dotnet" LD_LIBRARY_PATH="$TL" CM_TORCH_LIB="$TL" PY="$PY" CM="$B/dotnet/dotnet $B/cli/cm.dll" \
  timeout 330 bash "$G/cli-check.sh" "${CM_REPO:-$G/..}" "$O" "${CM_CLI_DEVICE:-cuda}"
echo "cli-check rc=$?"
}
for c in $CHECKS; do "check_$c"; done
