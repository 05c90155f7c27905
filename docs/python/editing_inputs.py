"""Input pictures of docs/editing.md from a `cm sample --format npy` run of analytic:color-glyphs.

    cm sample --model analytic:color-glyphs --class-labels 3,5,8 --batch 3 --steps 1 --format npy --out glyphs.npy
    python3 docs/python/editing_inputs.py glyphs.npy

writes three.png (RGB), five_gray.png (its luminance 0.2989 R + 0.5870 G + 0.1140 B) and eight_blocky.png (every
2x2 patch replaced by its mean). Standard library only (struct, zlib): no numpy needed.
"""
import struct
import sys
import zlib


def read_npy(path):
    data = open(path, "rb").read()
    header_len = struct.unpack("<H", data[8:10])[0]
    header = data[10:10 + header_len].decode("latin1")
    shape = tuple(int(d) for d in header.split("'shape': (")[1].split(")")[0].split(",") if d.strip())
    n = 1
    for d in shape:
        n *= d
    return shape, struct.unpack("<%df" % n, data[10 + header_len:10 + header_len + 4 * n])


def write_png(path, width, height, channels, pixels):
    rows = b"".join(b"\x00" + bytes(pixels[y * width * channels:(y + 1) * width * channels]) for y in range(height))

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    colour_type = {1: 0, 3: 2}[channels]
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def to_byte(x):
    """diffusers' conversion: round(255 * clamp(x/2 + 1/2, 0, 1))."""
    return int(round(min(max(x / 2 + 0.5, 0.0), 1.0) * 255))


def main(npy):
    (b, c, h, w), v = read_npy(npy)
    px = lambda k, ch, y, x: v[((k * c + ch) * h + y) * w + x]
    rgb = lambda k: [to_byte(px(k, ch, y, x)) for y in range(h) for x in range(w) for ch in range(3)]
    gray = lambda k: [to_byte(0.2989 * px(k, 0, y, x) + 0.5870 * px(k, 1, y, x) + 0.1140 * px(k, 2, y, x))
                      for y in range(h) for x in range(w)]
    blocky = lambda k: [to_byte(sum(px(k, ch, y // 2 * 2 + dy, x // 2 * 2 + dx) for dy in (0, 1) for dx in (0, 1)) / 4)
                        for y in range(h) for x in range(w) for ch in range(3)]
    write_png("three.png", w, h, 3, rgb(0))
    write_png("five_gray.png", w, h, 1, gray(1))
    write_png("eight_blocky.png", w, h, 3, blocky(2))


if __name__ == "__main__":
    main(sys.argv[1])
