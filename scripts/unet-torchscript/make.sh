#!/usr/bin/env bash
# Makes the artifacts of the UNet benchmark (docs/performance.md, "UNet2DModel"): diffusers' own UNet2DModel
# with the full-size ImageNet-64 config and random weights, as a diffusers model folder (config.json,
# diffusion_pytorch_model.safetensors, diffusion_pytorch_model.fp16.safetensors) and as a TorchScript file in
# Cm's calling convention (unet-cm.pt). About 3.6 GB in all, in a gitignored folder; never commit them.
#
#   scripts/unet-torchscript/make.sh [OUT_DIR]      (default benchmarks/artifacts/unet-imagenet64)
#
# No PyPI. Python is Debian 12's /usr/bin/python3 (3.11, python3-torch 1.13); the Python dependencies come
# from Debian packages (installed here with apt-get when missing and run as root) and, where Debian has none,
# from the pinned source tags below, taken from git clones of the public GitHub repositories:
#
#   diffusers        v0.27.2  b69fd990ad8026f21893499ab396d969b62bb8cc  (src/diffusers, unmodified)
#   huggingface_hub  v0.21.4  8a3cd10490a2ed366eb53764214345afe2b7a360  (src/huggingface_hub, unmodified)
#   safetensors      v0.4.2   833d3d54f7f7f177f954fadd56e92ff3f52a43dd  (bindings/python/py_src/safetensors,
#                    unmodified, plus _safetensors_rust.py from this folder: a pure-Python stand-in for the
#                    compiled Rust core, which has no source-only form; see that file)
#
# diffusers v0.27.2 is the newest release whose import works with these Debian versions without patches; on
# torch 1.13 (no F.scaled_dot_product_attention) its Attention runs AttnProcessor (baddbmm + softmax + bmm).
# Give the clones with DIFFUSERS_GIT, HFHUB_GIT, SAFETENSORS_GIT (a bare or normal git dir holding the tags;
# e.g. `git clone --bare https://github.com/huggingface/diffusers`); the defaults are the mirrors under
# /work/.mirror. Sources are extracted to a temporary folder outside the repository and removed afterwards.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-$root/benchmarks/artifacts/unet-imagenet64}
python=/usr/bin/python3

DIFFUSERS_GIT=${DIFFUSERS_GIT:-/work/.mirror/huggingface+diffusers/repo}
HFHUB_GIT=${HFHUB_GIT:-/work/.mirror/huggingface+huggingface_hub/repo}
SAFETENSORS_GIT=${SAFETENSORS_GIT:-/work/.mirror/huggingface+safetensors/repo}

# name git-dir tag commit path-in-repo
sources=(
  "diffusers $DIFFUSERS_GIT v0.27.2 b69fd990ad8026f21893499ab396d969b62bb8cc src/diffusers"
  "huggingface_hub $HFHUB_GIT v0.21.4 8a3cd10490a2ed366eb53764214345afe2b7a360 src/huggingface_hub"
  "safetensors $SAFETENSORS_GIT v0.4.2 833d3d54f7f7f177f954fadd56e92ff3f52a43dd bindings/python/py_src/safetensors"
)

# Debian packages for the imports of diffusers and huggingface_hub (module:package).
need=(torch:python3-torch numpy:python3-numpy PIL:python3-pil filelock:python3-filelock regex:python3-regex
      requests:python3-requests yaml:python3-yaml tqdm:python3-tqdm importlib_metadata:python3-importlib-metadata
      fsspec:python3-fsspec packaging:python3-packaging typing_extensions:python3-typing-extensions)
missing=()
for pair in "${need[@]}"; do
  "$python" -c "import ${pair%%:*}" 2>/dev/null || missing+=("${pair##*:}")
done
if ((${#missing[@]})); then
  if [[ $(id -u) == 0 ]]; then
    echo "installing Debian packages: ${missing[*]}"
    apt-get install -y "${missing[@]}"
  else
    echo "missing Debian packages; run: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

work=$(mktemp -d /tmp/cm-unet-ts.XXXXXX)
trap 'rm -rf "$work"' EXIT
json="{"
for s in "${sources[@]}"; do
  read -r name gitdir tag commit path <<<"$s"
  if ! git --git-dir="$gitdir" rev-parse -q --verify "$tag^{commit}" >/dev/null 2>&1; then
    echo "$name: no git clone with tag $tag at $gitdir; clone https://github.com/huggingface/$name" \
         "and set ${name^^}_GIT (huggingface_hub: HFHUB_GIT)" >&2
    exit 1
  fi
  got=$(git --git-dir="$gitdir" rev-parse "$tag^{commit}")
  [[ $got == "$commit" ]] || { echo "$name $tag is $got in $gitdir, expected $commit" >&2; exit 1; }
  mkdir -p "$work/x/$name"
  git --git-dir="$gitdir" archive "$commit" "$path" | tar -x -C "$work/x/$name"
  mv "$work/x/$name/$path" "$work/$name"
  json+="\"$name\": {\"repository\": \"github.com/huggingface/$name\", \"tag\": \"$tag\", \"commit\": \"$commit\", \"path\": \"$path\"}, "
done
cp "$here/_safetensors_rust.py" "$work/safetensors/_safetensors_rust.py"
json+="\"safetensors_core\": \"scripts/unet-torchscript/_safetensors_rust.py (pure-Python stand-in for the Rust extension)\"}"
rm -rf "$work/x"

mkdir -p "$out"
echo "sources in $work; writing to $out"
cd "$work"   # so nothing in the repository shadows the extracted packages
PYTHONPATH="$work" UNET_TS_SOURCES="$json" PYTHONDONTWRITEBYTECODE=1 HF_HUB_OFFLINE=1 \
  nice -n 10 "$python" "$here/export.py" "$out"
