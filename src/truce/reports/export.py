"""Exports of stored events as JSON, GeoJSON and CSV, shared by ``truce events`` and the API.

Every format carries the extract contract's fields (``../shared/contracts/extract.md``) under
their contract names, plus where the event is stored (``id``, ``document_pk``):

- JSON: ``{"items": [event, ...], "total", "limit", "offset", "next"}``; each event is the
  contract object with ``id`` and ``document_pk`` added.
- GeoJSON (RFC 7946): a FeatureCollection with one Feature per event, the event as its
  ``properties``, a Point geometry, or ``null`` for an event without coordinates; the
  paging members (``total``, ``limit``, ``offset``, ``next``) ride along as foreign members.
- CSV: one row per event; the contract's fields first, in the contract's order, with
  ``evidence`` holding the sentence and ``sources`` joined by ``"; "``, then
  ``evidence_start``, ``evidence_end``, ``id``, ``document_pk``. Fields a newer contract
  adds beyond those of :class:`~truce.core.models.Event` appear in JSON and GeoJSON only.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from enum import StrEnum
from typing import IO, Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from truce.core.access import Classification, Principal
from truce.core.models import Event
from truce.store import EventPage, EventQuery, Store, StoredEvent

#: the extract contract's fields, in its order (the domain type follows the contract)
CONTRACT_FIELDS: Final[tuple[str, ...]] = tuple(Event.model_fields)

#: the CSV header
CSV_FIELDS: Final[tuple[str, ...]] = (
    *CONTRACT_FIELDS,
    "evidence_start",
    "evidence_end",
    "id",
    "document_pk",
    "classification",
    "owner_party",
)

SOURCES_SEPARATOR: Final = "; "


class ExportFormat(StrEnum):
    JSON = "json"
    GEOJSON = "geojson"
    CSV = "csv"


class ExportedEvent(Event):
    """A stored event as exports and the API show it: the contract's fields, then its ids."""

    id: int = Field(description="the event's id in this store (/api/events/{id})")
    document_pk: int = Field(description="its document's key in this store (/api/documents/{pk})")
    classification: Classification = Field(
        description="who may see it: public, committee, or restricted (owner party and chair)"
    )
    owner_party: str | None = Field(description="the party that owns it, if any")


class _Paging(BaseModel):
    model_config = ConfigDict(frozen=True)

    total: int = Field(description="events matching the filters, over all pages")
    limit: int
    offset: int
    next: str | None = Field(default=None, description="URL of the next page; null on the last")


class ExportPage(_Paging):
    """One page of events (the JSON format)."""

    items: list[ExportedEvent]


class PointGeometry(BaseModel):
    model_config = ConfigDict(frozen=True)

    type: Literal["Point"] = "Point"
    coordinates: tuple[float, float] = Field(description="[longitude, latitude], WGS84")


class EventFeature(BaseModel):
    model_config = ConfigDict(frozen=True)

    type: Literal["Feature"] = "Feature"
    id: int
    geometry: PointGeometry | None
    properties: ExportedEvent


class EventFeatureCollection(_Paging):
    """One page of events as a GeoJSON FeatureCollection."""

    type: Literal["FeatureCollection"] = "FeatureCollection"
    features: list[EventFeature]


def exported_event(stored: StoredEvent) -> ExportedEvent:
    """The export form of one stored event."""
    return ExportedEvent(
        id=stored.id,
        document_pk=stored.document_pk,
        classification=stored.classification,
        owner_party=stored.owner_party,
        **stored.event.model_dump(),
    )


def next_offset(page: EventPage) -> int | None:
    """The offset of the page after this one, or None when this is the last."""
    following = page.offset + len(page.items)
    return following if page.items and following < page.total else None


def export_page(page: EventPage, *, next_url: str | None = None) -> ExportPage:
    return ExportPage(
        items=[exported_event(stored) for stored in page.items],
        total=page.total,
        limit=page.limit,
        offset=page.offset,
        next=next_url,
    )


def event_feature(event: ExportedEvent) -> EventFeature:
    geometry = None
    if event.latitude is not None and event.longitude is not None:
        geometry = PointGeometry(coordinates=(event.longitude, event.latitude))
    return EventFeature(id=event.id, geometry=geometry, properties=event)


def feature_collection(page: EventPage, *, next_url: str | None = None) -> EventFeatureCollection:
    return EventFeatureCollection(
        features=[event_feature(exported_event(stored)) for stored in page.items],
        total=page.total,
        limit=page.limit,
        offset=page.offset,
        next=next_url,
    )


def csv_row(event: ExportedEvent) -> dict[str, Any]:
    """The CSV cells of one event, keyed by :data:`CSV_FIELDS`."""
    data = event.model_dump(mode="json")
    row = {name: data.get(name) for name in CSV_FIELDS}
    row["evidence"] = event.evidence.text
    row["evidence_start"] = event.evidence.start
    row["evidence_end"] = event.evidence.end
    row["sources"] = SOURCES_SEPARATOR.join(event.sources)
    return row


def write_csv(events: Iterable[ExportedEvent], out: IO[str]) -> int:
    """Write the header and one row per event to a text stream; returns the rows written."""
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    count = 0
    for event in events:
        writer.writerow(csv_row(event))
        count += 1
    return count


def csv_text(page: EventPage) -> str:
    buffer = io.StringIO()
    write_csv((exported_event(stored) for stored in page.items), buffer)
    return buffer.getvalue()


def render_page(page: EventPage, fmt: ExportFormat, *, next_url: str | None = None) -> str:
    """One page of events in the given format, as text."""
    if fmt is ExportFormat.CSV:
        return csv_text(page)
    if fmt is ExportFormat.GEOJSON:
        return feature_collection(page, next_url=next_url).model_dump_json(indent=2) + "\n"
    return export_page(page, next_url=next_url).model_dump_json(indent=2) + "\n"


def export_events(store: Store, query: EventQuery, fmt: ExportFormat, viewer: Principal) -> str:
    """The events matching a query that `viewer` may see (one page of it) in the format."""
    return render_page(store.query_events(query, viewer=viewer), fmt)
