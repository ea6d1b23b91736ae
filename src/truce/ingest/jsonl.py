"""JSON Lines in the extract contract's input format (`id`, `text`; optional `published`,
`title`, `source`, `url`, `language`), streamed line by line.

A JSON Lines file is a batch of documents, so the size limit applies to each line (each
document) rather than to the file: a bulk export of any size goes through in constant memory.
A broken line is reported with its number and the other lines still come out.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from truce.core.errors import DocumentError, InputError
from truce.core.models import Document
from truce.extract import read_document
from truce.ingest.files import (
    HEAD_BYTES,
    binary_error,
    bom_encoding,
    describe_size,
    encoding_error,
    looks_binary,
)

_CHUNK = 1 << 20


def read_jsonl(
    path: Path, *, published: dt.date | None, limit: int
) -> Iterator[Document | InputError]:
    """Each line's Document, or a DocumentError naming the file and line."""
    origin = str(path)
    with path.open("rb") as stream:
        head = stream.read(HEAD_BYTES)
        stream.seek(0)
        encoding = bom_encoding(head[:4])
        if not head.strip():
            yield DocumentError("empty file: no JSON lines in it", source=origin)
            return
        if encoding is None and looks_binary(head):
            yield binary_error(origin)
            return
        if encoding in (None, "utf-8-sig"):
            lines = _utf8_lines(stream, origin, limit)
        else:
            lines = _wide_lines(stream, encoding or "", origin, limit)
        for number, line in lines:
            if isinstance(line, InputError):
                yield line
            else:
                try:
                    document = document_from_json(
                        line, origin=origin, line=number, published=published
                    )
                except DocumentError as error:
                    yield error
                else:
                    if document is not None:
                        yield document


def document_from_json(
    raw: str, *, origin: str, line: int, published: dt.date | None = None
) -> Document | None:
    """One contract input line as a Document (None for a blank line).

    The contract's fields are read by `truce.extract`, which owns that format; ingest adds
    the default publication date.
    """
    document = read_document(raw, source_name=origin, line_number=line)
    if document is not None and document.published is None and published is not None:
        document = document.model_copy(update={"published": published})
    return document


def _utf8_lines(
    stream: IO[bytes], origin: str, limit: int
) -> Iterator[tuple[int, str | InputError]]:
    offset = 0
    for number, raw in enumerate(_bounded_lines(stream, limit), start=1):
        if raw is None:
            yield number, _too_long(origin, number, limit)
            continue
        body = raw[3:] if number == 1 and raw.startswith(b"\xef\xbb\xbf") else raw
        try:
            yield number, body.decode("utf-8")
        except UnicodeDecodeError as error:
            start = offset + (len(raw) - len(body))
            yield number, encoding_error(body, error, "utf-8", origin, offset=start, line=number)
        offset += len(raw)


def _bounded_lines(stream: IO[bytes], limit: int) -> Iterator[bytes | None]:
    """Lines of at most `limit` bytes; None in place of a longer one, which is skipped unread."""
    while line := stream.readline(limit + 1):
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := stream.readline(_CHUNK)) and not rest.endswith(b"\n"):
                pass
            yield None
        else:
            yield line


def _wide_lines(
    stream: IO[bytes], encoding: str, origin: str, limit: int
) -> Iterator[tuple[int, str | InputError]]:
    """UTF-16/32 (announced by a byte-order mark) decoded as a stream."""
    text = io.TextIOWrapper(stream, encoding=encoding, newline=None)
    number = 0
    try:
        for number, line in enumerate(iter(lambda: text.readline(limit + 1), ""), start=1):
            if len(line) > limit and not line.endswith("\n"):
                yield number, _too_long(origin, number, limit)
                while (rest := text.readline(_CHUNK)) and not rest.endswith("\n"):
                    pass
            else:
                yield number, line
    except UnicodeDecodeError:
        yield (
            number + 1,
            DocumentError(
                f"not valid {encoding.upper()} from here on; save the file as UTF-8",
                source=origin,
                line=number + 1,
            ),
        )
    finally:
        text.detach()


def _too_long(origin: str, number: int, limit: int) -> DocumentError:
    return DocumentError(
        f"line is over the limit of {describe_size(limit)} per document "
        "(set TRUCE_MAX_FILE_MB to raise it)",
        source=origin,
        line=number,
    )
