"""`read_path`: any supported file, or a folder of them, as Documents.

Each problem comes out as an InputError in place of what could not be read (a
DocumentError for an unusable document or file, a FormatError for a format that is broken or
not one truce reads), naming the file and, where there is one, the line; the rest still
comes out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from truce.core.errors import DocumentError, FormatError, InputError
from truce.core.models import Document
from truce.ingest.feeds import read_feed
from truce.ingest.files import (
    HEAD_BYTES,
    check_size,
    decode_head,
    iter_files,
    max_file_bytes,
    read_text_file,
)
from truce.ingest.formats import Format, format_for_suffix, known_suffixes, root_element, sniff
from truce.ingest.jsonl import read_jsonl
from truce.ingest.text import read_text
from truce.ingest.web_page import read_web_page


def read_path(
    path: str | Path, *, published: dt.date | None = None, max_file_mb: float | None = None
) -> Iterator[Document | InputError]:
    """The documents of a file, or of every file under a folder (sorted, recursively).

    `published` is the publication date of documents that do not state their own.
    `max_file_mb` is the size limit per file (per line for JSON Lines); by default
    $TRUCE_MAX_FILE_MB, else 20.
    """
    limit = max_file_bytes(max_file_mb)
    for found in iter_files([path]):
        if isinstance(found, InputError):
            yield found
        else:
            yield from read_file(found, published=published, limit=limit)


def read_file(
    path: Path, *, published: dt.date | None = None, limit: int | None = None
) -> Iterator[Document | InputError]:
    """The documents of one file; its problems as InputErrors in their place."""
    limit = max_file_bytes() if limit is None else limit
    try:
        kind = detect_format(path, limit)
        if kind is Format.JSONL:
            yield from read_jsonl(path, published=published, limit=limit)
            return
        text = read_text_file(path, limit)
        if kind is Format.FEED:
            yield from read_feed(text, path, published=published)
        elif kind is Format.HTML:
            yield read_web_page(text, path, published=published)
        else:
            yield read_text(text, path, published=published, markdown=kind is Format.MARKDOWN)
    except InputError as error:
        yield error
    except OSError as error:
        yield DocumentError(f"cannot be read: {error.strerror or error}", source=str(path))


def detect_format(path: Path, limit: int) -> Format:
    """The file's format from its suffix; its first bytes decide for .xml and unknown suffixes."""
    by_suffix = format_for_suffix(path)
    if by_suffix in (Format.TEXT, Format.MARKDOWN, Format.JSONL, Format.HTML):
        return by_suffix
    check_size(path, limit)
    with path.open("rb") as stream:
        head_bytes = stream.read(HEAD_BYTES)
    head = decode_head(head_bytes, str(path))
    if by_suffix is Format.FEED:
        if sniff(head) is not Format.FEED:
            root = root_element(head)
            found = f"its first element is <{root}>" if root else "it is not XML"
            raise FormatError(f"not an RSS or Atom feed: {found}", source=str(path))
        return Format.FEED
    sniffed = sniff(head)
    if sniffed is None:
        suffix = f"suffix {path.suffix!r}" if path.suffix else "no suffix"
        raise FormatError(
            f"unknown format: {suffix}, and the content looks like none of the formats "
            f"truce reads ({known_suffixes()})",
            source=str(path),
        )
    return sniffed
