"""What the pages show, computed from the store; the templates only lay it out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final
from urllib.parse import urlsplit

from truce.core.access import Classification, Principal
from truce.core.models import Document
from truce.core.vocab import GeoPrecision, Inter, TimePrecision
from truce.reports import ExportedEvent, exported_event
from truce.store import Store
from truce.web.highlight import HighlightedText, highlight_evidence

_TIME_PRECISION: Final = {
    TimePrecision.DAY: "the day is known",
    TimePrecision.WEEK: "known to the week",
    TimePrecision.MONTH: "known to the month",
}
_GEO_PRECISION: Final = {
    GeoPrecision.TOWN: "the place itself",
    GeoPrecision.NEAR_OR_PART: "near the place, or part of a region",
    GeoPrecision.REGION: "only the region",
}


@dataclass(frozen=True)
class EventPageView:
    event: ExportedEvent
    document: Document
    document_pk: int
    heading: str
    fields: list[tuple[str, str]]
    text: HighlightedText
    #: the document's URL when it is safe to link (http or https), else None
    link: str | None


def safe_link(url: str | None) -> str | None:
    """Only http(s) URLs become links: a stored ``javascript:`` URL must not."""
    if not url:
        return None
    return url if urlsplit(url).scheme.lower() in {"http", "https"} else None


def _actor(name: str | None, inter: Inter | None) -> str:
    if name is None:
        return "—"
    if inter is None:
        return name
    return f"{name} (inter {int(inter)}: {inter.name.replace('_', ' ').lower()})"


def classification_label(classification: Classification, owner_party: str | None) -> str:
    """Who may see a record, in words (the map's list says the same, in map.js)."""
    if classification is Classification.PUBLIC:
        return "public"
    if classification is Classification.COMMITTEE:
        return "committee: its members only"
    return f"restricted: {owner_party or 'no party'} and the chair only"


def event_heading(event: ExportedEvent) -> str:
    kind = event.sub_event_type or event.event_type or (event.plover and f"PLOVER {event.plover}")
    where = event.location or event.admin1 or event.country or "place unknown"
    when = event.event_date.isoformat() if event.event_date else "date unknown"
    return f"{kind or 'Event'} — {where}, {when}"


def event_fields(event: ExportedEvent) -> list[tuple[str, str]]:
    """Label and text of each field shown on the event page."""
    date = "unknown"
    if event.event_date is not None:
        date = f"{event.event_date.isoformat()} ({_TIME_PRECISION[event.time_precision]})"
    coordinates = "none"
    if event.latitude is not None and event.longitude is not None:
        coordinates = (
            f"{event.latitude:.5f}, {event.longitude:.5f} ({_GEO_PRECISION[event.geo_precision]})"
        )
    fields = [
        ("Event type", event.event_type or "— (verbal or diplomatic)"),
        ("Sub-event type", event.sub_event_type or "—"),
        ("PLOVER", event.plover or "—"),
        ("Modality", str(event.modality)),
        ("Date", date),
        ("Actor 1", _actor(event.actor1, event.inter1)),
        ("Actor 2", _actor(event.actor2, event.inter2)),
        ("Location", event.location or "—"),
        ("Admin 1", event.admin1 or "—"),
        ("Country", event.country or "—"),
        ("Coordinates", coordinates),
        ("Fatalities", "not reported" if event.fatalities is None else str(event.fatalities)),
        ("Reported by", "; ".join(event.sources) or "—"),
        ("Confidence", f"{event.confidence:.2f}"),
        ("Event id", str(event.id)),
        ("Classification", classification_label(event.classification, event.owner_party)),
    ]
    # fields a newer extract contract added, shown as they are
    fields.extend((name, str(value)) for name, value in (event.model_extra or {}).items())
    return fields


def event_view(store: Store, event_id: int, viewer: Principal) -> EventPageView:
    """Everything the event page shows to `viewer` (NotFoundError for an unknown id, or one
    it may not see)."""
    event = exported_event(store.get_event(event_id, viewer=viewer))
    stored_document = store.get_document(event.document_pk, viewer=viewer)
    document = stored_document.document
    return EventPageView(
        event=event,
        document=document,
        document_pk=event.document_pk,
        heading=event_heading(event),
        fields=event_fields(event),
        text=highlight_evidence(document.text, event.evidence),
        link=safe_link(document.url),
    )
