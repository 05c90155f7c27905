#!/usr/bin/env bash
# GPU check: build against CUDA libtorch and run the runtime tests on CUDA, printing the
# TorchSharp-vs-PyTorch comparison of the TorchScript fixture.
#
#   scripts/gpu-check.sh            # CUDA libtorch (-p:CmLibTorch=cuda), CM_DEVICE=cuda
#   CM_LIBTORCH=cpu scripts/gpu-check.sh   # dry run of the same path on the CPU package
#   CM_DEVICE=cuda:1 scripts/gpu-check.sh  # another GPU
#
# Needs a NuGet source serving libtorch-cuda-12.8-linux-x64 and an NVIDIA driver for CUDA 12.8.
set -euo pipefail
cd "$(dirname "$0")/.."

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
exit "$rc"
