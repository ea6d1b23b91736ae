"""Plain text and Markdown files, with optional YAML front matter.

    ---
    title: Strike near Tyre
    published: 2024-12-02
    source: Example News
    url: https://example.org/strike
    id: example-2024-12-02-tyre
    ---
    The body: everything after the closing line, exactly as written.

The body is kept as it is (Markdown too): events point into it by character offsets, so
nothing that would move them is stripped.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml

from truce.core.errors import DocumentError
from truce.core.models import Document
from truce.ingest.fields import make_document, optional_text, parse_published

_FENCE = "---"
_CLOSERS = frozenset({"---", "..."})
_HEADING = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
#: keys of the front matter truce reads; others (tags, layout, ...) are left alone
FRONT_MATTER_KEYS = ("id", "title", "published", "date", "source", "url", "language")
_OPTIONAL_KEYS = ("title", "source", "url", "language")


def split_front_matter(text: str, source: str) -> tuple[dict[str, Any], str]:
    """(front matter, body); a text without front matter gives ({}, text)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != _FENCE:
        return {}, text
    for number, line in enumerate(lines[1:], start=2):
        if line.rstrip() in _CLOSERS:
            block = "".join(lines[1 : number - 1])
            return _parse_front_matter(block, source), "".join(lines[number:])
    raise DocumentError(
        "front matter opened with '---' is never closed by another '---' line",
        source=source,
        line=1,
    )


def _parse_front_matter(block: str, source: str) -> dict[str, Any]:
    try:
        fields = yaml.safe_load(block)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1  # +1 for counting from 1, +1 for '---'
        problem = getattr(error, "problem", None) or "not valid YAML"
        raise DocumentError(
            f"front matter is not valid YAML: {problem}", source=source, line=line
        ) from None
    if fields is None:
        return {}
    if not isinstance(fields, dict):
        raise DocumentError(
            "front matter must be 'key: value' lines, not a single value or a list",
            source=source,
            line=2,
        )
    return {str(key): value for key, value in fields.items()}


def _key_line(text: str, key: str) -> int | None:
    """The line of `key:` in the front matter, for error messages."""
    match = re.search(rf"^{re.escape(key)}[ \t]*:", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def read_text(
    text: str, path: Path, *, published: dt.date | None = None, markdown: bool = False
) -> Document:
    """One document from a text or Markdown file's decoded text."""
    origin = str(path)
    fields, body = split_front_matter(text, origin)

    def line_of(key: str) -> int | None:
        return _key_line(text, key) if fields else None

    date_key = "published" if fields.get("published") is not None else "date"
    found_date = parse_published(fields.get(date_key), source=origin, line=line_of(date_key))
    optional = {
        name: optional_text(fields, name, source=origin, line=line_of(name))
        for name in _OPTIONAL_KEYS
    }
    if markdown and optional["title"] is None:
        heading = _HEADING.search(body)
        optional["title"] = heading.group(1).strip() if heading else None
    doc_id = optional_text(fields, "id", source=origin, line=line_of("id")) or path.stem
    if not body.strip():
        raise DocumentError(
            "no text after the front matter" if fields else "empty file", source=origin
        )
    return make_document(
        origin=origin,
        id=doc_id,
        text=body,
        published=found_date if found_date is not None else published,
        title=optional["title"],
        source=optional["source"],
        url=optional["url"],
        language=optional["language"],
    )
