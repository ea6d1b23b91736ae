"""A few documents and events of every kind, written through the real store (tests/api)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from builders import ISRAEL, event
from truce.core.models import Document, Event
from truce.store import StoredEvent

KHIAM = (
    "On 2 December 2024 an Israeli drone struck a car in Khiam, killing two people, "
    "Lebanon's health ministry said. The Lebanese army accused Israel of violating the "
    "ceasefire. On 3 December Hezbollah fired two mortar rounds at an Israeli position in "
    "the Shebaa Farms."
)
NAQOURA = (
    "The monitoring committee met in Naqoura on 9 December 2024. Israeli forces demolished "
    "houses in Bint Jbeil on 10 December 2024, residents said."
)
METULA = "Sirens sounded in Metula on 15 January 2025 after a rocket was launched from Lebanon."


@dataclass(frozen=True)
class Sample:
    """What the store holds: documents and events as written, events as stored."""

    url: str
    documents: tuple[Document, ...]
    events: tuple[StoredEvent, ...]

    def by_sentence(self, start_of_sentence: str) -> StoredEvent:
        (found,) = [e for e in self.events if e.evidence.text.startswith(start_of_sentence)]
        return found


def sample_documents() -> dict[Document, list[Event]]:
    khiam = Document(
        id="khiam-1",
        text=KHIAM,
        published=dt.date(2024, 12, 3),
        title="Drone strike in south Lebanon",
        source="Example Wire",
        url="https://news.example.org/khiam",
    )
    naqoura = Document(id="naqoura-1", text=NAQOURA, published=dt.date(2024, 12, 10))
    metula = Document(id="metula-1", text=METULA, source="Example Post")
    strike = "On 2 December 2024 an Israeli drone struck a car in Khiam, killing two people"
    return {
        khiam: [
            event(
                khiam,
                strike + ", Lebanon's health ministry said.",
                event_type="Explosions/Remote violence",
                sub_event_type="Air/drone strike",
                plover="ASSAULT",
                event_date=dt.date(2024, 12, 2),
                actor1=ISRAEL,
                actor2="Civilians (Lebanon)",
                inter1=8,
                inter2=7,
                location="Khiam",
                admin1="Nabatieh",
                country="LB",
                latitude=33.3271,
                longitude=35.6136,
                fatalities=2,
                sources=("Lebanon's health ministry",),
                confidence=0.9,
            ),
            event(
                khiam,
                "The Lebanese army accused Israel of violating the ceasefire.",
                plover="ACCUSE",
                modality="asserted",
                event_date=dt.date(2024, 12, 2),
                actor1="Military Forces of Lebanon (2021-)",
                actor2=ISRAEL,
                country="LB",
            ),
            event(
                khiam,
                "On 3 December Hezbollah fired two mortar rounds at an Israeli position in "
                "the Shebaa Farms.",
                event_type="Explosions/Remote violence",
                sub_event_type="Shelling/artillery/missile attack",
                plover="ASSAULT",
                event_date=dt.date(2024, 12, 3),
                actor1="Hezbollah",
                actor2=ISRAEL,
                inter1=3,
                inter2=8,
                location="Shebaa Farms",
                country="LB",
                latitude=33.2833,
                longitude=35.7333,
                geo_precision=2,
            ),
        ],
        naqoura: [
            event(
                naqoura,
                "The monitoring committee met in Naqoura on 9 December 2024.",
                plover="CONSULT",
                event_date=dt.date(2024, 12, 9),
                location="Naqoura",
                country="LB",
                latitude=33.1181,
                longitude=35.1397,
            ),
            event(
                naqoura,
                "Israeli forces demolished houses in Bint Jbeil on 10 December 2024, "
                "residents said.",
                event_type="Strategic developments",
                sub_event_type="Looting/property destruction",
                plover="COERCE",
                event_date=dt.date(2024, 12, 10),
                actor1=ISRAEL,
                location="Bint Jbeil",
                country="LB",
                latitude=33.1197,
                longitude=35.4336,
                sources=("residents",),
            ),
        ],
        metula: [
            event(
                metula,
                METULA,
                event_type="Explosions/Remote violence",
                sub_event_type="Shelling/artillery/missile attack",
                plover="ASSAULT",
                event_date=dt.date(2025, 1, 15),
                time_precision=1,
                actor1="Unidentified Armed Group (Lebanon)",
                location="Metula",
                country="IL",
                latitude=33.2773,
                longitude=35.5786,
            ),
        ],
    }
