"""Response models of the API beyond the exports' (events are :mod:`truce.reports`' models)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from truce.store import StoredDocument


class ErrorOut(BaseModel):
    """Every error the API returns on purpose."""

    detail: str = Field(description="what was wrong, naming the parameter where one was")


class DocumentOut(BaseModel):
    """A stored document."""

    model_config = ConfigDict(frozen=True)

    pk: int = Field(description="the document's key in this store")
    id: str = Field(description="the id it came with (events' doc_id)")
    sha256: str = Field(description="SHA-256 of the normalised text; documents are stored once")
    title: str | None
    source: str | None
    url: str | None
    published: dt.datetime | dt.date | None
    retrieved: dt.datetime | None
    language: str
    origin: str | None = Field(description="the file or feed it was read from")
    text: str = Field(description="plain text, never HTML")

    @classmethod
    def from_stored(cls, stored: StoredDocument) -> DocumentOut:
        return cls(
            pk=stored.pk,
            id=stored.doc_id,
            sha256=stored.sha256,
            title=stored.title,
            source=stored.source,
            url=stored.url,
            published=stored.published,
            retrieved=stored.retrieved,
            language=stored.language,
            origin=stored.origin,
            text=stored.text,
        )
