"""The extract contract's input: one JSON object a line, each a document; events out.

A line that is not JSON, not an object, or lacks a usable `id` or `text` becomes a
`DocumentError` naming the source and line number, and the following lines go on.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from truce.core import Document, DocumentError, Event, InputError
from truce.extract.pipeline import Pipeline, default_pipeline

OPTIONAL_FIELDS = ("published", "title", "source", "url", "language")
STDIN = "-"


@contextmanager
def open_jsonl(path: str | Path) -> Iterator[tuple[Iterable[bytes], str]]:
    """The lines of a JSON Lines file (or of standard input for "-") and the name to report.

    Lines stay bytes so that one line in a wrong encoding is one bad document, not a failed
    run. InputError when the file cannot be opened.
    """
    if str(path) == STDIN:
        yield sys.stdin.buffer, "<stdin>"
        return
    try:
        handle = open(path, "rb")  # noqa: SIM115  (closed below, after the caller is done)
    except FileNotFoundError:
        raise InputError("no such file", source=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a JSON Lines file", source=str(path)) from None
    except OSError as error:
        raise InputError(f"cannot be read ({error.strerror})", source=str(path)) from None
    with handle:
        yield handle, str(path)


def read_document(line: str | bytes, *, source_name: str, line_number: int) -> Document | None:
    """The document on one input line; None for a blank line; DocumentError if unusable."""

    def problem(message: str) -> DocumentError:
        return DocumentError(message, source=source_name, line=line_number)

    if isinstance(line, bytes):
        try:
            line = line.decode("utf-8")
        except UnicodeDecodeError as error:
            raise problem(f"not UTF-8 ({error.reason} at byte {error.start})") from None
    line = line.removeprefix("\ufeff")  # a byte-order mark some editors write first
    if not line.strip():
        return None
    try:
        data: Any = json.loads(line)
    except json.JSONDecodeError as error:
        raise problem(f"not JSON ({error.msg} at column {error.colno})") from None
    if not isinstance(data, dict):
        raise problem(f"expected a JSON object, got {type(data).__name__}")
    doc_id = data.get("id")
    if isinstance(doc_id, bool) or not isinstance(doc_id, str | int) or str(doc_id) == "":
        raise problem('no "id" (a non-empty string or number)')
    text = data.get("text")
    if not isinstance(text, str):
        raise problem(f'document {doc_id!s}: no "text" string')
    if not text.strip():
        raise problem(f'document {doc_id!s}: "text" is empty')
    fields = {name: data[name] for name in OPTIONAL_FIELDS if data.get(name) is not None}
    try:
        return Document(id=str(doc_id), text=text, **fields)
    except ValidationError as error:
        details = "; ".join(
            f"{'.'.join(str(part) for part in item['loc'])}: {item['msg']}"
            for item in error.errors()
        )
        raise problem(f"document {doc_id!s}: {details}") from None


def run_jsonl(
    lines: Iterable[str | bytes], *, source_name: str, pipeline: Pipeline | None = None
) -> Iterator[Event | DocumentError]:
    """Events of every document in `lines`, and a DocumentError for each unusable line."""
    pipeline = pipeline or default_pipeline()
    for line_number, line in enumerate(lines, start=1):
        try:
            document = read_document(line, source_name=source_name, line_number=line_number)
        except DocumentError as error:
            yield error
            continue
        if document is not None:
            yield from pipeline(document).events
