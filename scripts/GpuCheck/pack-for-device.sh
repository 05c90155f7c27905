#!/usr/bin/env bash
# Packs GpuCheck and the cm CLI (src/Cm.Cli) for a GPU machine that has PyTorch (with CUDA) but no .NET and no CUDA libtorch for
# TorchSharp: a framework-dependent publish WITHOUT the libtorch libraries (the machine's PyTorch libraries
# are used instead, through CM_TORCH_LIB / LD_LIBRARY_PATH), plus this machine's .NET runtime, in one tar.xz
# (about 37 MB: app/ = GpuCheck, cli/ = cm, dotnet/), and the helper files device-run.sh needs. See docs/cuda.md.
#
#   scripts/GpuCheck/pack-for-device.sh DEST_DIR      # then, on the GPU machine: bash DEST_DIR/device-run.sh DEST_DIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
dest="$(mkdir -p "$1" && cd "$1" && pwd)"
dotnet_root="${DOTNET_ROOT:-$(dirname "$(readlink -f "$(command -v dotnet)")")}"
fx="$(ls -d "$dotnet_root"/shared/Microsoft.NETCore.App/10.* | sort -V | tail -1)"

pub="$(mktemp -d)"; clipub="$(mktemp -d)"; stage="$(mktemp -d)"
trap 'rm -rf "$pub" "$clipub" "$stage"' EXIT
# CmPatchLibTorchSharp=always: the output's libLibTorchSharp.so gets GLIBCXX_3.4.32 marked weak whatever this machine's libstdc++ is.
dotnet publish "$here/GpuCheck.csproj" -c Release -r linux-x64 --self-contained false -p:CmPatchLibTorchSharp=always -o "$pub" >/dev/null
dotnet publish "$repo/src/Cm.Cli/Cm.Cli.csproj" -c Release -r linux-x64 --self-contained false -p:CmPatchLibTorchSharp=always -o "$clipub" >/dev/null
mkdir -p "$stage/app" "$stage/cli" "$stage/dotnet/host" "$stage/dotnet/shared/Microsoft.NETCore.App"
for f in "$pub"/*; do
  b="$(basename "$f")"
  case "$b" in
    libLibTorchSharp.so) cp "$f" "$stage/app/" ;;
    lib*.so|lib*.so.*|*.pdb|*.xml) ;;          # libtorch 2.10 CPU libraries: replaced by the machine's PyTorch
    GpuCheck.deps.json) ;;                      # it lists the dropped libraries; without it the host loads the app folder
    *) cp "$f" "$stage/app/" ;;
  esac
done
for f in "$clipub"/*; do
  b="$(basename "$f")"
  case "$b" in
    libLibTorchSharp.so|libSkiaSharp.so|libHarfBuzzSharp.so) cp "$f" "$stage/cli/" ;;  # Skia/HarfBuzz: cm schedule --plot
    lib*.so|lib*.so.*|*.pdb|*.xml) ;;
    cm.deps.json) ;;
    *) cp -r "$f" "$stage/cli/" ;;
  esac
done
cp "$dotnet_root/dotnet" "$stage/dotnet/"
cp -r "$dotnet_root/host/fxr" "$stage/dotnet/host/"
cp -r "$fx" "$stage/dotnet/shared/Microsoft.NETCore.App/"
tar -C "$stage" -cJf "$dest/gpucheck-bundle.tar.xz" app cli dotnet
nm -D --undefined-only "$stage/app/libLibTorchSharp.so" | awk '{print $(NF-1), $NF}' > "$dest/lts-undefined.txt"
dotnet "$pub/GpuCheck.dll" --scalars "$dest/scalars.json"
cp "$here/symprobe.py" "$here/cuda_ops_check.py" "$here/device-run.sh" "$here/cli-check.sh" "$here/cli_compare.py" "$dest/"
echo "libLibTorchSharp.so: $(readelf -V "$stage/app/libLibTorchSharp.so" | grep -c "GLIBCXX_3.4.32  Flags: WEAK") weak GLIBCXX_3.4.32 requirement(s)"
du -sh "$dest"; ls -la "$dest"
