"""Documents and events for the store's tests: three articles, six events of every shape."""

from __future__ import annotations

import datetime as dt

from builders import ISRAEL, SYSTEM, event
from truce.core.models import Document, Event
from truce.store import Store

SOUTH = Document(
    id="south-1",
    text=(
        "An Israeli drone strike hit a car in Bint Jbeil on 1 December, killing two. "
        "Hezbollah fired rockets at Metula the same day."
    ),
    published=dt.date(2024, 12, 2),
    title="Strikes in south Lebanon",
    source="Example Wire",
    url="https://news.example.org/south",
)
TALKS = Document(
    id="talks-1",
    text=(
        "UNIFIL said the parties met in Naqoura on 9 December. "
        "Israel accused Hezbollah of violating the ceasefire."
    ),
    published=dt.datetime(2024, 12, 10, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=2))),
    title="Committee meets in Naqoura",
)
BEIRUT = Document(
    id="beirut-1",
    text="Israeli strikes on Dahieh in Beirut on 20 November. Clashes erupted near Khiam.",
    published=dt.date(2024, 11, 26),
    title="Beirut suburbs hit",
)


EVENTS: dict[str, tuple[Document, Event]] = {
    "bint_jbeil_strike": (
        SOUTH,
        event(
            SOUTH,
            "An Israeli drone strike hit a car in Bint Jbeil on 1 December, killing two.",
            event_type="Explosions/Remote violence",
            sub_event_type="Air/drone strike",
            plover="ASSAULT",
            event_date=dt.date(2024, 12, 1),
            actor1=ISRAEL,
            actor2="Civilians (Lebanon)",
            inter1=8,
            inter2=7,
            location="Bint Jbeil",
            admin1="Nabatieh",
            country="LB",
            latitude=33.1194,
            longitude=35.4336,
            fatalities=2,
            sources=("Lebanon's health ministry", "الوكالة الوطنية للإعلام", 'the "NNA"'),
            confidence=0.9,
        ),
    ),
    "metula_rockets": (
        SOUTH,
        event(
            SOUTH,
            "Hezbollah fired rockets at Metula the same day.",
            event_type="Explosions/Remote violence",
            sub_event_type="Shelling/artillery/missile attack",
            plover="ASSAULT",
            event_date=dt.date(2024, 12, 1),
            actor1="Hezbollah",
            inter1=2,
            location="Metula",
            country="IL",
            latitude=33.2800,
            longitude=35.5800,
        ),
    ),
    "naqoura_meeting": (
        TALKS,
        event(
            TALKS,
            "UNIFIL said the parties met in Naqoura on 9 December.",
            plover="CONSULT",
            event_date=dt.date(2024, 12, 9),
            actor1="UNIFIL",
            location="Naqoura",
            country="LB",
            latitude=33.1181,
            longitude=35.1397,
            sources=("UNIFIL",),
        ),
    ),
    "accusation": (
        TALKS,
        event(
            TALKS,
            "Israel accused Hezbollah of violating the ceasefire.",
            plover="ACCUSE",
            modality="asserted",
            actor1="Government of Israel",
            actor2="Hezbollah",
        ),
    ),
    "dahieh_strike": (
        BEIRUT,
        event(
            BEIRUT,
            "Israeli strikes on Dahieh in Beirut on 20 November.",
            event_type="Explosions/Remote violence",
            sub_event_type="Air/drone strike",
            plover="ASSAULT",
            event_date=dt.date(2024, 11, 20),
            actor1=ISRAEL,
            location="Beirut - Dahieh",
            admin1="Mount Lebanon",
            country="LB",
            latitude=33.8500,
            longitude=35.5000,
            geo_precision=2,
        ),
    ),
    "khiam_clash": (
        BEIRUT,
        event(
            BEIRUT,
            "Clashes erupted near Khiam.",
            event_type="Battles",
            sub_event_type="Armed clash",
            plover="ASSAULT",
            event_date=dt.date(2024, 11, 25),
            time_precision=2,
            actor1=ISRAEL,
            actor2="Hezbollah",
            location="Khiam",
            country="LB",
            latitude=33.3300,
            longitude=35.6100,
        ),
    ),
}

#: the order every listing returns: newest event date first, undated last, then id descending
#: (ids follow insertion, which is the order of EVENTS)
NEWEST_FIRST = (
    "naqoura_meeting",
    "metula_rockets",
    "bint_jbeil_strike",
    "khiam_clash",
    "dahieh_strike",
    "accusation",
)


def fill(store: Store) -> dict[str, int]:
    """Write every sample document and event; the stored event ids by name."""
    ids: dict[str, int] = {}
    with store.transaction(by=SYSTEM) as batch:
        for document, sample in EVENTS.values():
            pk, _ = batch.add_document(document, origin=f"samples/{document.id}.txt")
            assert batch.add_events(pk, [sample]) == 1
    for stored in store.query_events(viewer=SYSTEM).items:
        (name,) = [n for n, (_, e) in EVENTS.items() if e.evidence == stored.evidence]
        ids[name] = stored.id
    return ids
