"""Small real files for the evidence tests (tests/evidence, tests/api, tests/cli): what
`filetype` recognises from their first bytes, as a camera, scanner or recorder writes them.

Each builder takes a `tag` that goes into the bytes, so files with different tags have
different hashes.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from truce.core.access import Principal, Role

ISRAEL_DELEGATE = Principal(name="delegate-israel", role=Role.DELEGATE, party="israel")
LEBANON_DELEGATE = Principal(name="delegate-lebanon", role=Role.DELEGATE, party="lebanon")
CHAIR = Principal(name="chair", role=Role.CHAIR)
MONITOR = Principal(name="monitor", role=Role.MONITOR)
OBSERVER = Principal(name="observer", role=Role.OBSERVER)


def jpeg(tag: str = "photo", size: int = 0) -> bytes:
    """A JPEG: SOI, a JFIF APP0 segment, a comment carrying `tag`, padding to `size`, EOI."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    text = tag.encode()
    comment = b"\xff\xfe" + struct.pack(">H", len(text) + 2) + text
    body = b"\xff\xd8" + app0 + comment
    padding = max(0, size - len(body) - 2)
    return body + b"\x00" * padding + b"\xff\xd9"


def png(tag: str = "image") -> bytes:
    """A valid 1×1 grey PNG with a tEXt chunk carrying `tag`."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"tEXt", b"Comment\x00" + tag.encode())
        + chunk(b"IDAT", zlib.compress(b"\x00\x80"))
        + chunk(b"IEND", b"")
    )


def pdf(tag: str = "report") -> bytes:
    """A one-page PDF whose page says `tag`."""
    stream = f"BT /F1 12 Tf 72 720 Td ({tag}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (
            len(objects) + 1,
            xref,
        )
    )
    return out.getvalue()


def zip_archive(tag: str = "archive") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("inside.txt", tag)
    return out.getvalue()


def html(tag: str = "page") -> bytes:
    return f"<!DOCTYPE html><html><body><p>{tag}</p></body></html>\n".encode()


def text(tag: str = "notes") -> bytes:
    return f"Field notes: {tag}\n".encode()


def windows_executable(tag: str = "tool") -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00" + tag.encode() + b"\x00" * 64
