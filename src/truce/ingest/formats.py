"""Which reader a file needs: from its suffix, and from its first bytes when the suffix says
nothing (or says XML, which may or may not be a feed)."""

from __future__ import annotations

import json
import re
from enum import StrEnum
from pathlib import Path


class Format(StrEnum):
    TEXT = "text"
    MARKDOWN = "markdown"
    JSONL = "jsonl"
    HTML = "html"
    FEED = "feed"


SUFFIXES: dict[str, Format] = {
    ".txt": Format.TEXT,
    ".text": Format.TEXT,
    ".md": Format.MARKDOWN,
    ".markdown": Format.MARKDOWN,
    ".jsonl": Format.JSONL,
    ".ndjson": Format.JSONL,
    ".html": Format.HTML,
    ".htm": Format.HTML,
    ".xhtml": Format.HTML,
    ".rss": Format.FEED,
    ".atom": Format.FEED,
    ".xml": Format.FEED,
}

# Whatever may stand before the root element: white space, the XML declaration, processing
# instructions, comments and the doctype.
_PROLOG = re.compile(
    r"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>\s*)*\s*", re.DOTALL | re.IGNORECASE
)
_ELEMENT = re.compile(r"<([A-Za-z][\w:.-]*)")
_FEED_ROOTS = frozenset({"rss", "feed", "rdf:rdf", "rdf"})


def format_for_suffix(path: Path) -> Format | None:
    return SUFFIXES.get(path.suffix.lower())


def root_element(head: str) -> str | None:
    """The name of the first element of a markup document, lower case, or None."""
    prolog = _PROLOG.match(head)
    start = prolog.end() if prolog else 0
    element = _ELEMENT.match(head, start)
    return element.group(1).lower() if element else None


def sniff(head: str) -> Format | None:
    """The format the start of a file looks like, or None when it looks like none of them."""
    root = root_element(head)
    if root in _FEED_ROOTS:
        return Format.FEED
    if root == "html" or re.match(r"\s*<!DOCTYPE\s+html", head, re.IGNORECASE):
        return Format.HTML
    lines = [line for line in head.splitlines(keepends=True) if line.strip()]
    if lines and lines[0].lstrip().startswith("{"):
        first, complete = lines[0], lines[0].endswith("\n")
        try:
            record = json.loads(first)
        except ValueError:
            # A first line longer than the head is cut off: judge it by its opening.
            return Format.JSONL if not complete and '"text"' in first else None
        if isinstance(record, dict) and "text" in record:
            return Format.JSONL
    return None


def known_suffixes() -> str:
    return ", ".join(sorted(SUFFIXES))
