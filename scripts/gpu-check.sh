#!/usr/bin/env bash
# GPU check of Cm's runtime. What it checks and what a run on an H200 gave: docs/cuda.md.
#
# Normal path: a GPU machine with the .NET 10 SDK and a NuGet source serving libtorch-cuda-12.8-linux-x64 2.10
# (TorchSharp 0.107's CUDA libtorch) and an NVIDIA driver for CUDA 12.8:
#
#   scripts/gpu-check.sh                   # build with -p:CmLibTorch=cuda, runtime tests with CM_DEVICE=cuda,
#                                          # then GpuCheck (Pipeline.Run cuda vs cpu, TensorStep on cuda vs Cm.Pure)
#   CM_LIBTORCH=cpu scripts/gpu-check.sh   # dry run of the same path on the CPU package (GpuCheck compares cpu with cpu)
#   CM_DEVICE=cuda:1 scripts/gpu-check.sh  # another GPU
#   CM_GPUCHECK_OUT=DIR                    # where GpuCheck (and the CLI check) write (default: a temporary folder)
#   CM_GPUCHECK_CLI=0                      # skip the CLI check (cm sample/verify/replay/diff on $CM_DEVICE vs cpu)
#
# Packaging path (used for the recorded run in docs/cuda.md): the GPU machine has PyTorch with CUDA but no .NET
# and no CUDA libtorch 2.10. TorchSharp's libLibTorchSharp.so is then loaded against that PyTorch's libraries.
#
#   scripts/gpu-check.sh pack DIR          # here, with .NET: publish GpuCheck without libtorch, add the .NET
#                                          # runtime, the symbol list and the helper scripts (about 29 MB in DIR)
#   bash DIR/device-run.sh DIR [OUT]       # there: symbol probe, GpuCheck on cuda, PyTorch-only op check, cm CLI
#                                          # on cuda vs cpu (cli-check.sh); logs in OUT. CM_CHECKS="cli gpucheck"
#                                          # picks and orders the checks (symbols gpucheck ops cli)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = pack ]; then
  [ -n "${2:-}" ] || { echo "usage: scripts/gpu-check.sh pack DIR" >&2; exit 2; }
  exec bash scripts/GpuCheck/pack-for-device.sh "$2"
fi

libtorch="${CM_LIBTORCH:-cuda}"
export CM_DEVICE="${CM_DEVICE:-$([ "$libtorch" = cuda ] && echo cuda || echo cpu)}"

command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || echo "nvidia-smi: not found"
echo "libtorch package: $libtorch; CM_DEVICE=$CM_DEVICE"

log="$(mktemp)"
set +e
dotnet test tests/Properties -p:CmLibTorch="$libtorch" \
  --filter "FullyQualifiedName~Cm.Tests.Runtime" \
  --logger "console;verbosity=detailed" 2>&1 | tee "$log" | grep -E "^\s*(Passed|Failed|Skipped) |max \||Total tests|Passed:|Failed:|error"
rc=${PIPESTATUS[0]}
set -e
echo "---- comparison (TorchScript fixture vs PyTorch 1.13 CPU recording) ----"
grep -E "max \|TorchSharp - PyTorch\|" "$log" || echo "(no comparison lines: see $log)"
echo "dotnet test exit code: $rc (full log: $log)"

echo "---- GpuCheck: Pipeline.Run on $CM_DEVICE vs cpu, TensorStep on $CM_DEVICE vs Cm.Pure ----"
out="${CM_GPUCHECK_OUT:-$(mktemp -d)}"
set +e
dotnet run -c Release --project scripts/GpuCheck -p:CmLibTorch="$libtorch" -- "$out" > "$out/gpucheck.stdout"
grc=$?
set -e
grep -E '"(verdict|cuda_available|device_resolved)"' "$out/gpucheck.json" 2>/dev/null || tail -n 20 "$out/gpucheck.stdout"
echo "GpuCheck exit code: $grc (report: $out/gpucheck.json)"

crc=0
if [ "${CM_GPUCHECK_CLI:-1}" != 0 ]; then
  echo "---- cm CLI: sample/verify/replay/diff on $CM_DEVICE vs cpu (scripts/GpuCheck/cli-check.sh) ----"
  dotnet build src/Cm.Cli -c Release -p:CmLibTorch="$libtorch" >/dev/null
  cmdll="$PWD/src/Cm.Cli/bin/Release/net10.0/cm.dll"
  set +e
  CM="dotnet $cmdll" PY="${PY:-python3}" bash scripts/GpuCheck/cli-check.sh . "$out/cli" "$CM_DEVICE" > "$out/cli-check.log" 2>&1
  crc=$?
  set -e
  grep -E "^(glyphs|gaussian|denoiser4|labels|philox4|unet|unetlabels) |all_passed" "$out/cli-check.log" || tail -n 20 "$out/cli-check.log"
  "${PY:-python3}" -c 'import json,sys; sys.exit(0 if json.load(open(sys.argv[1]))["all_passed"] else 1)' "$out/cli/cli-summary.json" || crc=1
  echo "CLI check exit code: $crc (log: $out/cli-check.log, summary: $out/cli/cli-summary.json)"
fi
[ "$rc" -ne 0 ] && exit "$rc"
[ "$grc" -ne 0 ] && exit "$grc"
exit "$crc"
