"""Saved HTML pages: the article's main text through trafilatura, without navigation,
scripts, styles or comments; title, date, address and site from the page's metadata."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import trafilatura

from truce.core.errors import DocumentError
from truce.core.models import Document
from truce.ingest.fields import make_document, parse_published

# Only dates the page states as its own (meta tags, structured data, time elements); no
# guessing from dates mentioned in the article, which are the events' dates, not the page's.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


def read_web_page(html: str, path: Path, *, published: dt.date | None = None) -> Document:
    origin = str(path)
    extracted = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        date_extraction_params=_DATE_PARAMS,
    )
    text = getattr(extracted, "text", None) if extracted is not None else None
    if not isinstance(text, str) or not text.strip():
        raise DocumentError("no article text found in the page", source=origin)
    found_date = _metadata_date(getattr(extracted, "date", None), origin)
    return make_document(
        origin=origin,
        id=path.stem,
        text=text,
        published=found_date if found_date is not None else published,
        title=_metadata_text(extracted, "title"),
        source=_metadata_text(extracted, "sitename"),
        url=_metadata_text(extracted, "url"),
        language=_metadata_text(extracted, "language"),
    )


def _metadata_text(extracted: object, name: str) -> str | None:
    value = getattr(extracted, name, None)
    return value.strip() or None if isinstance(value, str) else None


def _metadata_date(value: object, origin: str) -> dt.datetime | dt.date | None:
    try:
        return parse_published(value, source=origin)
    except DocumentError:
        return None  # a page's own odd date is no reason to refuse its text
