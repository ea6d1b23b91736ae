"""Finding input files, the size limit, and turning a file's bytes into text without guessing.

Text must be UTF-8 (a byte-order mark is fine) or UTF-16/UTF-32 with a byte-order mark; any
other encoding is refused with the byte and line where decoding failed, because a guessed
encoding silently corrupts place and actor names.
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from truce.core.errors import ConfigError, DocumentError, InputError

#: default size limit per file, in megabytes (10^6 bytes); TRUCE_MAX_FILE_MB overrides it
DEFAULT_MAX_FILE_MB = 20.0
MAX_FILE_MB_ENV = "TRUCE_MAX_FILE_MB"
_MB = 1_000_000

#: how much of a file is looked at to tell binary from text and to sniff its format
HEAD_BYTES = 8192

# UTF-32 first: its little-endian mark begins with UTF-16's.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\v\x1b")


def max_file_bytes(max_file_mb: float | None = None) -> int:
    """The size limit per file in bytes: the argument, else $TRUCE_MAX_FILE_MB, else 20 MB."""
    if max_file_mb is None:
        setting = os.environ.get(MAX_FILE_MB_ENV, "").strip()
        if not setting:
            max_file_mb = DEFAULT_MAX_FILE_MB
        else:
            try:
                max_file_mb = float(setting)
            except ValueError:
                raise ConfigError(
                    f"{MAX_FILE_MB_ENV}={setting!r} is not a number of megabytes"
                ) from None
    if not max_file_mb > 0:
        raise ConfigError(f"the size limit per file must be positive, not {max_file_mb} MB")
    return int(max_file_mb * _MB)


def describe_size(size: int) -> str:
    return f"{size / _MB:.1f} MB"


def check_size(path: Path, limit: int) -> None:
    """Refuse a file over the limit from its size alone, before reading any of it."""
    size = path.stat().st_size
    if size > limit:
        raise DocumentError(
            f"file is {describe_size(size)}, over the limit of {describe_size(limit)} per file "
            f"(set {MAX_FILE_MB_ENV} to raise it)",
            source=str(path),
        )


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path | InputError]:
    """Every file named or found under a named folder, in a deterministic order.

    Folders are walked recursively in sorted order; hidden files and folders inside them
    (names starting with '.') are skipped, a file named explicitly never is. A missing path
    or a folder with nothing to read comes out as an InputError in its place.
    """
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = _walk(path)
            if not found:
                yield InputError("no files to read in this folder", source=str(path))
            yield from found
        elif path.is_file():
            yield path
        elif path.exists():
            yield InputError("not a regular file or folder", source=str(path))
        else:
            yield InputError("no such file or folder", source=str(path))


def _walk(root: Path) -> list[Path]:
    found: list[Path] = []
    # followlinks=False: a link back up the tree must not make the walk endless.
    for folder, subfolders, names in os.walk(root, followlinks=False):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        for name in names:
            path = Path(folder, name)
            if not name.startswith(".") and path.is_file():
                found.append(path)
    return sorted(found, key=lambda path: path.relative_to(root).parts)


def bom_encoding(head: bytes) -> str | None:
    """The encoding a byte-order mark at the start announces, if there is one."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    return None


def looks_binary(head: bytes) -> bool:
    """NUL bytes or mostly control characters: not text (without a UTF-16/32 byte-order mark)."""
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte < 0x20 and byte not in _TEXT_CONTROLS)
    return controls > len(head) // 10


def binary_error(source: str) -> DocumentError:
    return DocumentError(
        "binary file, not text (or text in UTF-16 without a byte-order mark)", source=source
    )


def decode_text(data: bytes, source: str) -> str:
    """The file's text; DocumentError for an empty, binary or wrongly encoded file."""
    if not data:
        raise DocumentError("empty file (0 bytes)", source=source)
    encoding = bom_encoding(data[:4])
    if encoding is None and looks_binary(data[:HEAD_BYTES]):
        raise binary_error(source)
    try:
        text = data.decode(encoding or "utf-8")
    except UnicodeDecodeError as error:
        raise encoding_error(data, error, encoding or "utf-8", source) from None
    if encoding is not None and encoding != "utf-8-sig" and looks_binary(text.encode("utf-8")):
        raise binary_error(source)
    if not text.strip():
        raise DocumentError("empty file: nothing but white space", source=source)
    return text


def encoding_error(
    data: bytes,
    error: UnicodeDecodeError,
    encoding: str,
    source: str,
    *,
    offset: int = 0,
    line: int | None = None,
) -> DocumentError:
    """Where decoding failed: the byte (counted from the file's start) and its line.

    `data` is the file or, for a file read line by line, the line starting at byte `offset`.
    """
    name = "UTF-8" if encoding.startswith("utf-8") else encoding.upper()
    byte = offset + error.start
    if line is None:
        line = data.count(b"\n", 0, error.start) + 1
    bad = data[error.start : min(error.end, error.start + 4)]
    return DocumentError(
        f"not valid {name} at byte {byte} ({bad.hex(' ')}); truce does not guess encodings, "
        "save the file as UTF-8",
        source=source,
        line=line,
    )


def read_text_file(path: Path, limit: int) -> str:
    """A whole (small) file's text, checked for size, emptiness, binary and encoding."""
    check_size(path, limit)
    return decode_text(path.read_bytes(), str(path))


def decode_head(head: bytes, source: str) -> str:
    """The start of a file (up to HEAD_BYTES) as text, for sniffing its format: refused like
    `decode_text`, except that a character cut off at the end is no error."""
    if len(head) < HEAD_BYTES:
        return decode_text(head, source)
    encoding = bom_encoding(head[:4])
    if encoding is None and looks_binary(head):
        raise binary_error(source)
    decoder = codecs.getincrementaldecoder(encoding or "utf-8")()
    try:
        return decoder.decode(head, final=False)
    except UnicodeDecodeError as error:
        raise encoding_error(head, error, encoding or "utf-8", source) from None
