#!/usr/bin/env python3
"""Draws the web app's icons (web-shell/icons/icon-192.png and icon-512.png), which are
committed: run this again only to change them. Python's standard library alone: a white
ring with a dot on it (a round, and the technician on it) on the app's accent blue, full
bleed so that the same picture serves as a maskable icon (the mark stays inside the central
circle that every mask keeps)."""

import math
import struct
import sys
import zlib
from pathlib import Path

ACCENT = (0x25, 0x63, 0xEB)
WHITE = (0xFF, 0xFF, 0xFF)
SUPER = 4  # samples per pixel along each axis, for smooth edges


def coverage(x: float, y: float) -> bool:
    """Whether the point (in units of the icon's size, 0..1) is white."""
    dx, dy = x - 0.5, y - 0.5
    r = math.hypot(dx, dy)
    ring = abs(r - 0.24) <= 0.045
    # The dot sits on the ring, up and to the right.
    a = math.radians(-45)
    cx, cy = 0.5 + 0.24 * math.cos(a), 0.5 + 0.24 * math.sin(a)
    dot = math.hypot(x - cx, y - cy) <= 0.085
    return ring or dot


def pixel(size: int, px: int, py: int) -> bytes:
    hits = 0
    for sy in range(SUPER):
        for sx in range(SUPER):
            x = (px + (sx + 0.5) / SUPER) / size
            y = (py + (sy + 0.5) / SUPER) / size
            hits += coverage(x, y)
    t = hits / (SUPER * SUPER)
    return bytes(round(a + (w - a) * t) for a, w in zip(ACCENT, WHITE))


def png(size: int) -> bytes:
    rows = b"".join(
        b"\0" + b"".join(pixel(size, x, y) for x in range(size)) for y in range(size)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent.parent / "web-shell/icons"
    out.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        path = out / f"icon-{size}.png"
        path.write_bytes(png(size))
        print(f"{path}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
