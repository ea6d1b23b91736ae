"""RSS and Atom feeds through feedparser: each entry a Document.

The entry's id (else its link) is the document id, its link the url, the feed's title the
source; the text is the entry's content (else its summary) with HTML turned into plain text.
"""

from __future__ import annotations

import datetime as dt
import io
import time
import xml.sax
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import feedparser

from truce.core.errors import DocumentError, FormatError, InputError
from truce.core.models import Document
from truce.ingest.fields import make_document
from truce.ingest.markup import html_to_text

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_feed(
    text: str, path: Path, *, published: dt.date | None = None
) -> Iterator[Document | InputError]:
    origin = str(path)
    # Decoded already (strictly): hand feedparser UTF-8 and say so, so it never re-guesses.
    parsed = feedparser.parse(
        io.BytesIO(text.encode("utf-8")),
        response_headers={"content-type": "application/xml; charset=utf-8"},
        sanitize_html=True,
        resolve_relative_uris=False,
    )
    problem = parsed.get("bozo_exception")
    malformed = isinstance(problem, xml.sax.SAXParseException)
    if not parsed.get("version") and not parsed.entries:
        yield _format_error("not an RSS or Atom feed", problem if malformed else None, origin)
        return
    feed: Any = parsed.feed
    feed_title = _clean(feed.get("title"))
    for number, entry in enumerate(parsed.entries, start=1):
        try:
            yield _entry_document(entry, number, path, feed_title, published)
        except DocumentError as error:
            yield error
    if malformed:
        found = len(parsed.entries)
        yield _format_error(
            f"feed is not well-formed XML; {found} entr{'y' if found == 1 else 'ies'} "
            "read by a lenient parser, others may be missing",
            problem,
            origin,
        )
    elif not parsed.entries:
        yield FormatError("feed has no entries", source=origin)


def _format_error(message: str, problem: object, origin: str) -> FormatError:
    if isinstance(problem, xml.sax.SAXParseException):
        return FormatError(
            f"{message} ({problem.getMessage()})", source=origin, line=problem.getLineNumber()
        )
    return FormatError(message, source=origin)


def _entry_document(
    entry: Any, number: int, path: Path, feed_title: str | None, published: dt.date | None
) -> Document:
    origin = str(path)
    link = _clean(entry.get("link"))
    doc_id = _clean(entry.get("id")) or link or f"{path.stem}-{number}"
    title = _clean(entry.get("title"))
    text = _entry_text(entry)
    if not text:
        raise DocumentError(
            f"feed entry {number} ({title or doc_id}) has no content or summary", source=origin
        )
    found_date = _entry_date(entry)
    return make_document(
        origin=origin,
        id=doc_id,
        text=text,
        published=found_date if found_date is not None else published,
        title=title,
        source=feed_title,
        url=link,
    )


def _entry_text(entry: Any) -> str:
    """The longest content block, else the summary, as plain text."""
    candidates: list[tuple[str, str]] = [
        (str(block.get("value") or ""), str(block.get("type") or ""))
        for block in entry.get("content") or []
    ]
    if not any(value.strip() for value, _ in candidates):
        detail = entry.get("summary_detail") or {}
        candidates = [(str(entry.get("summary") or ""), str(detail.get("type") or "text/html"))]
    value, kind = max(candidates, key=lambda candidate: len(candidate[0]))
    return html_to_text(value) if kind in _HTML_TYPES else value.strip()


def _entry_date(entry: Any) -> dt.datetime | None:
    """feedparser gives dates as UTC struct_time."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if isinstance(value, time.struct_time):
            return dt.datetime(*value[:6], tzinfo=dt.UTC)
    return None


def _clean(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
