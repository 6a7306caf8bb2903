"""Raw HTTP to the fake server, and a real image to upload."""

from __future__ import annotations

import json
import struct
import urllib.error
import urllib.request
import zlib
from typing import Any

_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def raw_call(url: str, data: bytes | None = None, content_type: str = "") -> tuple[int, Any]:
    """``(status, decoded JSON body)`` of one request, errors included."""
    request = urllib.request.Request(url, data=data)
    if content_type:
        request.add_header("Content-Type", content_type)
    try:
        with _OPENER.open(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def png(width: int, height: int) -> bytes:
    """A valid grey PNG of the given size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\x00" + b"\x80" * width for _ in range(height)))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )
