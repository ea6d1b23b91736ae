"""Documents and events for the web tests, one of them an attempt at script injection."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from builders import ISRAEL, event
from truce.core.models import Document, Event
from truce.store import StoredEvent

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
    return {
        khiam: [
            event(
                khiam,
                "On 2 December 2024 an Israeli drone struck a car in Khiam, killing two people.",
                event_type="Explosions/Remote violence",
                sub_event_type="Air/drone strike",
                event_date=dt.date(2024, 12, 2),
                actor1=ISRAEL,
                location="Khiam",
                country="LB",
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
                country="LB",
                latitude=33.2833,
                longitude=35.7333,
            ),
            event(
                khiam,
                "The monitoring committee met in Naqoura on 9 December 2024.",
                plover="CONSULT",
                event_date=dt.date(2024, 12, 9),
                location="Naqoura",
                country="LB",
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
                country="LB",
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
