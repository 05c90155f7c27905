"""Pure-Python stand-in for safetensors' compiled extension (`safetensors._safetensors_rust`).

This file is NOT safetensors. The safetensors Python package (`safetensors/__init__.py`, `safetensors/torch.py`)
is real, extracted by make.sh from the tag it names; only its compiled Rust core is unavailable here (no PyPI,
no Debian package), so make.sh drops this module into the extracted package in its place. It implements the
five names the Python layer imports, for what the export needs: writing files (diffusers' `save_pretrained`
-> `safetensors.torch.save_file` -> `serialize_file`) and reading them back (`from_pretrained` ->
`load_file` -> `safe_open`).

Format (the crate's `serialize`): u64 little-endian header length N; N bytes of compact UTF-8 JSON,
`{"__metadata__": {...}, "<name>": {"dtype", "shape", "data_offsets": [begin, end]}, ...}`, padded with
spaces to a multiple of 8; then the tensors' little-endian bytes, contiguous, ordered by dtype (larger
alignment first, the crate's order) and then by name; offsets relative to the end of the header.
"""

import json
import struct

__version__ = "0.4.2+pure-python-stand-in"

# The crate's Dtype enum order; tensors are laid out by this order descending, then by name.
_DTYPE_ORDER = ["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64",
                "I64", "U64"]

# safetensors/torch.py's _flatten names dtypes by torch's spelling (str(dtype) after the dot); the crate maps them.
_FROM_TORCH = {"bool": "BOOL", "uint8": "U8", "int8": "I8", "float8_e5m2": "F8_E5M2", "float8_e4m3fn": "F8_E4M3",
               "int16": "I16", "float16": "F16", "bfloat16": "BF16", "int32": "I32", "float32": "F32",
               "float64": "F64", "int64": "I64"}


def _dtype(name):
    return _FROM_TORCH.get(name, name)


class SafetensorError(Exception):
    pass


def _layout(tensor_dict, metadata):
    items = sorted(tensor_dict.items(), key=lambda kv: (-_DTYPE_ORDER.index(_dtype(kv[1]["dtype"])), kv[0]))
    header, offset = {}, 0
    if metadata is not None:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    for name, info in items:
        n = len(info["data"])
        header[name] = {"dtype": _dtype(info["dtype"]), "shape": list(info["shape"]), "data_offsets": [offset, offset + n]}
        offset += n
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text, items


def serialize(tensor_dict, metadata=None):
    head, items = _layout(tensor_dict, metadata)
    return head + b"".join(info["data"] for _, info in items)


def serialize_file(tensor_dict, filename, metadata=None):
    head, items = _layout(tensor_dict, metadata)
    with open(filename, "wb") as f:
        f.write(head)
        for _, info in items:
            f.write(info["data"])


def _parse(head_bytes):
    header = json.loads(head_bytes.decode("utf-8"))
    return header.pop("__metadata__", None), header


def deserialize(buffer):
    (n,) = struct.unpack("<Q", bytes(buffer[:8]))
    _, header = _parse(bytes(buffer[8:8 + n]))
    base = 8 + n
    return [(name, {"dtype": h["dtype"], "shape": h["shape"],
                    "data": bytes(buffer[base + h["data_offsets"][0]:base + h["data_offsets"][1]])})
            for name, h in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"][0])]


class safe_open:
    """`with safe_open(path, framework="pt", device="cpu") as f: f.keys(); f.get_tensor(name); f.metadata()`."""

    def __init__(self, filename, framework="pt", device="cpu"):
        if framework not in ("pt", "torch", "pytorch"):
            raise SafetensorError(f"this stand-in supports framework 'pt' only, not {framework!r}")
        self._file = open(filename, "rb")
        (n,) = struct.unpack("<Q", self._file.read(8))
        self._metadata, self._header = _parse(self._file.read(n))
        self._base = 8 + n
        self._device = device

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._file.close()
        return False

    def keys(self):
        return sorted(self._header)

    def metadata(self):
        return self._metadata

    def get_tensor(self, name):
        import torch
        from safetensors.torch import _getdtype

        h = self._header[name]
        begin, end = h["data_offsets"]
        self._file.seek(self._base + begin)
        data = bytearray(self._file.read(end - begin))
        dtype = _getdtype(h["dtype"])
        t = torch.frombuffer(data, dtype=dtype) if data else torch.empty(0, dtype=dtype)
        return t.reshape(h["shape"]).to(self._device)
