"""What the store gives back: stored documents and events, and pages of events."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from truce.core.access import Classification
from truce.core.models import Document, Event

#: StoredEvent fields that are not the extract contract's
STORED_EVENT_ONLY = frozenset(
    {"id", "document_pk", "title", "source", "url", "published", "classification", "owner_party"}
)


class StoredDocument(BaseModel):
    """A document as stored; `published` is a date when only the day was known."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    pk: int = Field(description="the document's key in this store")
    doc_id: str
    sha256: str = Field(description="SHA-256 of the normalised text; documents are stored once")
    title: str | None
    source: str | None
    url: str | None
    published: dt.datetime | dt.date | None
    retrieved: dt.datetime | None
    language: str
    origin: str | None = Field(description="the file or feed it was read from")
    text: str = Field(description="plain text, never HTML")
    created_at: dt.datetime
    classification: Classification = Classification.COMMITTEE
    owner_party: str | None = None

    @property
    def document(self) -> Document:
        """The core Document back (its sha256 is this one's)."""
        return Document(
            id=self.doc_id,
            text=self.text,
            published=self.published,
            title=self.title,
            source=self.source,
            url=self.url,
            language=self.language,
            retrieved=self.retrieved,
        )


class StoredEvent(Event):
    """An event as stored: the contract's fields (and any added later, as extras), its id,
    its document's pk, and the document's title, source, url and publication date."""

    id: int
    document_pk: int
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: dt.datetime | dt.date | None = None
    classification: Classification = Classification.COMMITTEE
    owner_party: str | None = None

    @property
    def event(self) -> Event:
        """The core Event, exactly the contract's fields."""
        return Event.model_validate(self.model_dump(exclude=set(STORED_EVENT_ONLY)))

    def to_contract(self) -> dict[str, Any]:
        """The contract's JSON object for this event (without the store's fields)."""
        return self.event.to_contract()


class EventPage(BaseModel):
    """One page of a query's events, newest first; `total` counts every match."""

    model_config = ConfigDict(frozen=True)

    items: list[StoredEvent]
    total: int
    limit: int
    offset: int

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.items) < self.total
