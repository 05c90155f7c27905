#!/usr/bin/env bash
# The `cm` CLI on a device vs the CPU: same seed, both devices, --format npy, traces with tensors; then
# cm verify (pure CPU recomputation of each step), cm replay (device trace re-run on cpu and on the device),
# cm diff (cpu trace vs device trace), a PNG grid made on the device, cm schedule --plot (SkiaSharp), and
# cli_compare.py (max |cpu - device| per case against a stated tolerance). See docs/cuda.md.
#
#   CM="dotnet path/to/cm.dll" bash cli-check.sh REPO_ROOT OUT [DEVICE]      # DEVICE default cuda
#
# REPO_ROOT: where tests/fixtures/models/tiny_unet.pt is. OUT gets (at most 7 files): cli-summary.json,
# cli-checks.txt, glyphs-dev.png, schedule.png, cli-npy.tar.gz, cli-traces.tar.gz (the log is the caller's).
# PY: a Python 3 (standard library only). Dry run without a GPU: DEVICE=cpu (both sides on the CPU).
set -u
REPO="$(cd "$1" && pwd)"; O="$(mkdir -p "$2" && cd "$2" && pwd)"; DEV="${3:-cuda}"
HERE="$(cd "$(dirname "$0")" && pwd)"
PY="${PY:-python3}"
read -r -a CMD <<< "${CM:?set CM to the command that runs cm, e.g. 'dotnet cli/cm.dll'}"
W="${CM_CLI_WORK:-/tmp/cm-cli-check}"; rm -rf "$W"; mkdir -p "$W"; cd "$W" || exit 1
: > rc.txt
CHK="$O/cli-checks.txt"; : > "$CHK"
UNET="$REPO/tests/fixtures/models/tiny_unet.pt"

cm() {  # cm LABEL ARGS...: runs cm, records its exit code, output to the log (and to cli-checks.txt for checks)
  local label="$1"; shift
  local t0=$EPOCHREALTIME
  timeout 120 "${CMD[@]}" "$@" > "$W/$label.out" 2>&1
  local rc=$?
  echo "$label $rc" >> rc.txt
  printf '== %s (rc=%s, %.2f s): cm %s\n' "$label" "$rc" "$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN{print b-a}')" "$*"
  cat "$W/$label.out"
  return $rc
}

# name | tolerance | cm sample arguments (both devices get the same ones).
#   closed-form analytic models compute in float64 and round to float32 once: a CPU/CUDA difference can only
#   flip a float32 rounding (1 ulp <= 1.2e-7 on [-1, 1]) that the next steps carry: 1e-5.
#   glyphs unconditional integrates the probability-flow ODE (Dormand-Prince, rtol = atol = 1e-6, per-sample
#   adaptive steps): device exp/log differences can change a step's accept/reject, then both runs still
#   meet the tolerance but on different paths: 1e-4.
#   tiny_unet.pt: float32 convolutions; on CUDA cuDNN may use TF32 (10-bit mantissa, libtorch's default
#   allow_tf32 for cuDNN): 1e-2.
cat > cases.txt <<EOF
glyphs 1e-4 -s 7
gaussian 1e-5 -m analytic:gaussian -s 7
denoiser4 1e-5 -m analytic:glyphs-denoiser --steps 4 -s 7
labels 1e-5 --class-labels 0,1,2,3 -b 4 -s 7
philox4 1e-4 --noise philox --steps 4 -b 8 -s 11
unet 1e-2 -m $UNET --shape 3,5,5 -b 2 -s 7
unetlabels 1e-2 -m $UNET --shape 3,5,5 -b 2 --class-labels 3,7 -s 7
EOF

while read -r name tol args; do
  for side in cpu dev; do
    d=cpu; [ "$side" = dev ] && d="$DEV"
    # shellcheck disable=SC2086
    cm "sample-$name-$side" sample $args --device "$d" -q --format npy -o "$name.$side.npy" \
       --trace "$name.$side.jsonl" --trace-tensors --force
    if [ "$side" = dev ] && [ "$name" = glyphs ] && [ ! -f glyphs.dev.npy ] && [ -n "${CM_TORCH_LIB:-}" ] && [ -z "${LD_PRELOAD:-}" ]; then
      # Fallback: if TorchSharp did not find the device libraries by name, preload them and go on with that.
      export LD_PRELOAD="$CM_TORCH_LIB/libc10.so:$CM_TORCH_LIB/libtorch_cpu.so:$CM_TORCH_LIB/libc10_cuda.so:$CM_TORCH_LIB/libtorch_cuda.so:$CM_TORCH_LIB/libtorch.so"
      echo "!! glyphs on $DEV failed: retrying with LD_PRELOAD=$LD_PRELOAD"
      # shellcheck disable=SC2086
      cm "sample-$name-$side-preload" sample $args --device "$d" -q --format npy -o "$name.$side.npy" \
         --trace "$name.$side.jsonl" --trace-tensors --force
    fi
  done
done < cases.txt

{
  while read -r name tol args; do
    m=(); case "$name" in unet*) m=(-m "$UNET");; esac
    cm "verify-$name-dev" verify "$name.dev.jsonl"
    cm "verify-$name-cpu" verify "$name.cpu.jsonl"
    cm "replay-$name-dev-on-cpu" replay "$name.dev.jsonl" "${m[@]}" --device cpu
    cm "replay-$name-dev-on-dev" replay "$name.dev.jsonl" "${m[@]}" --device "$DEV"
    cm "diff-$name-cpu-dev" diff "$name.cpu.jsonl" "$name.dev.jsonl"
  done < cases.txt
} 2>&1 | tee -a "$CHK"

cm png-dev sample --device "$DEV" -s 7 -q -o glyphs-dev.png --force && cp glyphs-dev.png "$O/"
cm schedule-plot schedule --steps 10 --plot schedule.png --force && cp schedule.png "$O/"
[ -f "$O/schedule.png" ] || cm schedule-plot-noforce schedule --steps 10 --plot "$O/schedule.png"

echo "== compare cpu vs $DEV"
cut -d' ' -f1,2 cases.txt > tolerances.txt
"$PY" "$HERE/cli_compare.py" "$W" tolerances.txt "$O/cli-summary.json"
tar -czf "$O/cli-npy.tar.gz" ./*.npy
tar -czf "$O/cli-traces.tar.gz" ./*.jsonl
ls -la "$W" "$O"
