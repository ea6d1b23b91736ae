"""Documents and events for the web tests, one of them an attempt at script injection."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from truce.core.models import Document, Event, Evidence
from truce.store import EventQuery, Store, StoredEvent

#: what a hostile article could carry; none of it may run in any page
SCRIPT = "<script>window.__pwned=1</script>"
IMAGE = '<img src=x onerror="window.__pwned=2">'

HOSTILE_SENTENCE = (
    f"Residents of Yaroun saw {SCRIPT}{IMAGE} after an Israeli drone struck a motorcycle "
    "on 4 December 2024."
)
HOSTILE_TEXT = f"Report from the border.\n\n{HOSTILE_SENTENCE}\n\nNo group claimed {IMAGE} it."

KHIAM_TEXT = (
    "On 2 December 2024 an Israeli drone struck a car in Khiam, killing two people. "
    "On 3 December Hezbollah fired two mortar rounds at the Shebaa Farms. "
    "The monitoring committee met in Naqoura on 9 December 2024."
)


def _evidence(text: str, sentence: str) -> Evidence:
    start = text.index(sentence)
    return Evidence(text=sentence, start=start, end=start + len(sentence))


def web_documents() -> dict[Document, list[Event]]:
    khiam = Document(
        id="khiam-web",
        text=KHIAM_TEXT,
        published=dt.date(2024, 12, 3),
        title="Strikes in the south",
        url="https://news.example.org/khiam",
    )
    hostile = Document(
        id="hostile-web",
        text=HOSTILE_TEXT,
        title=f"Yaroun {IMAGE}",
        source=f"{SCRIPT}Wire",
        url="javascript:window.__pwned=4",
    )

    def event(document: Document, sentence: str, **fields: object) -> Event:
        return Event.model_validate(
            {
                "doc_id": document.id,
                "evidence": _evidence(document.text, sentence),
                "country": "LB",
                **fields,
            }
        )

    return {
        khiam: [
            event(
                khiam,
                "On 2 December 2024 an Israeli drone struck a car in Khiam, killing two people.",
                event_type="Explosions/Remote violence",
                sub_event_type="Air/drone strike",
                event_date=dt.date(2024, 12, 2),
                actor1="Military Forces of Israel (2022-)",
                location="Khiam",
                latitude=33.3271,
                longitude=35.6136,
                fatalities=2,
            ),
            event(
                khiam,
                "On 3 December Hezbollah fired two mortar rounds at the Shebaa Farms.",
                event_type="Explosions/Remote violence",
                sub_event_type="Shelling/artillery/missile attack",
                event_date=dt.date(2024, 12, 3),
                actor1="Hezbollah",
                location="Shebaa Farms",
                latitude=33.2833,
                longitude=35.7333,
            ),
            event(
                khiam,
                "The monitoring committee met in Naqoura on 9 December 2024.",
                plover="CONSULT",
                event_date=dt.date(2024, 12, 9),
                location="Naqoura",
            ),  # no coordinates: listed, not mapped
        ],
        hostile: [
            event(
                hostile,
                HOSTILE_SENTENCE,
                event_type="Explosions/Remote violence",
                sub_event_type="Air/drone strike",
                event_date=dt.date(2024, 12, 4),
                actor1=f"Unknown {SCRIPT}",
                location=f"Yaroun{IMAGE}",
                latitude=33.0806,
                longitude=35.4244,
            ),
        ],
    }


@dataclass(frozen=True)
class WebSample:
    url: str
    events: tuple[StoredEvent, ...]

    @property
    def mapped(self) -> tuple[StoredEvent, ...]:
        return tuple(e for e in self.events if e.latitude is not None)

    @property
    def hostile(self) -> StoredEvent:
        (found,) = [e for e in self.events if e.doc_id == "hostile-web"]
        return found

    def located(self, location: str) -> StoredEvent:
        (found,) = [e for e in self.events if e.location == location]
        return found


def populate(url: str, batches: dict[Document, list[Event]]) -> tuple[StoredEvent, ...]:
    """Write documents and events through the store; return every stored event."""
    with Store.open(url) as store:
        with store.transaction() as batch:
            for document, events in batches.items():
                document_pk, _ = batch.add_document(document, origin="tests/web")
                batch.add_events(document_pk, events)
        return tuple(store.query_events(EventQuery(limit=1000)).items)
