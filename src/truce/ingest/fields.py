"""Building a `Document` from the loose fields a reader found, with errors that say where."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ValidationError

from truce.core.errors import DocumentError
from truce.core.models import Document


def parse_published(
    value: object, *, source: str, line: int | None = None
) -> dt.datetime | dt.date | None:
    """A publication date from YAML (already a date), JSON or HTML metadata (ISO text)."""
    if value is None or isinstance(value, dt.datetime | dt.date):
        return value
    if isinstance(value, str) and value.strip():
        text = value.strip()
        try:
            return (
                dt.date.fromisoformat(text) if len(text) == 10 else dt.datetime.fromisoformat(text)
            )
        except ValueError:
            pass
    raise DocumentError(
        f"published {value!r} is not a date (YYYY-MM-DD or an ISO 8601 timestamp)",
        source=source,
        line=line,
    )


def optional_text(
    fields: dict[str, Any], name: str, *, source: str, line: int | None = None
) -> str | None:
    """A field that must be text when present; numbers (YAML's `title: 1984`) become text."""
    value = fields.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise DocumentError(
            f"{name!r} must be text, not {type(value).__name__}", source=source, line=line
        )
    return str(value).strip() or None


def make_document(
    *,
    origin: str,
    line: int | None = None,
    id: str,
    text: str,
    published: dt.datetime | dt.date | None,
    title: str | None = None,
    source: str | None = None,
    url: str | None = None,
    language: str | None = None,
) -> Document:
    """The Document, or a DocumentError naming the file (`origin`) and line instead of
    pydantic's report."""
    if not text.strip():
        raise DocumentError("no text", source=origin, line=line)
    try:
        return Document(
            id=id,
            text=text,
            published=published,
            title=title,
            source=source,
            url=url,
            language=language or "en",
        )
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in detail['loc'])}: {detail['msg']}"
            for detail in error.errors()
        )
        raise DocumentError(
            f"not a valid document ({problems})", source=origin, line=line
        ) from None
