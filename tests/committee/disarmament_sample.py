"""What the disarmament and economic-zone tests run on: who acts, and incidents made the way
truce makes them (events written with tests/builders.py, linked by `link_stored_events`).

Places: Kfar Kila and Houla lie inside the pack's illustrative economic zone (a strip along
the Blue Line); Khiam lies north of it, in the south of the Litani but outside the zone.
"""

from __future__ import annotations

import datetime as dt

from builders import ISRAEL, SYSTEM, event, write
from truce.core.access import Classification, Principal, Role, Scope
from truce.core.models import Document
from truce.incidents import iter_incident_views, link_stored_events
from truce.store import Store

CHAIR = Principal(name="chair", role=Role.CHAIR)
MONITOR = Principal(name="monitor", role=Role.MONITOR)
OBSERVER = Principal(name="observer", role=Role.OBSERVER)
ISRAEL_DELEGATE = Principal(name="delegate-israel", role=Role.DELEGATE, party="israel")
LEBANON_DELEGATE = Principal(name="delegate-lebanon", role=Role.DELEGATE, party="lebanon")
LEBANON_READ_ONLY = Principal(
    name="delegate-lebanon-token",
    role=Role.DELEGATE,
    party="lebanon",
    scopes=frozenset({Scope.READ}),
)
PUBLIC = Principal.public()

KFAR_KILA = {"location": "Kfar Kila", "latitude": 33.27722, "longitude": 35.55167}
HOULA = {"location": "Houla", "latitude": 33.20917, "longitude": 35.51500}
KHIAM = {"location": "Khiam", "latitude": 33.32778, "longitude": 35.61278}
STRIKE = {
    "event_type": "Explosions/Remote violence",
    "sub_event_type": "Air/drone strike",
    "plover": "ASSAULT",
    "actor1": ISRAEL,
    "admin1": "Nabatieh",
    "country": "LB",
}


def report(
    doc_id: str, sentence: str, day: dt.date, place: dict[str, object]
) -> tuple[Document, list[object]]:
    """A one-sentence article about an Israeli drone strike, and its one event."""
    document = Document(
        id=doc_id,
        text=f"{sentence} More to follow.",
        published=day,
        title=sentence[:40],
        source="Levant Wire",
    )
    return document, [event(document, sentence, **{**STRIKE, **place, "event_date": day})]


def incidents_by_place(
    store: Store, reports: list[tuple[Classification, str | None, dt.date, dict[str, object]]]
) -> dict[str, int]:
    """Write one report per entry (classified so), link every stored event into incidents,
    and return each report's incident id by its place and day (``"Kfar Kila 2025-03-05"``)."""
    for number, (classification, owner, day, place) in enumerate(reports):
        sentence = f"An Israeli drone struck a house in {place['location']} on {day:%d %B %Y}."
        document, events = report(f"report-{number}", sentence, day, place)
        write(store, {document: events}, classification=classification, owner_party=owner)
    link_stored_events(store, by=SYSTEM)
    return {
        f"{member.event.location} {member.event.event_date}": view.id
        for view in iter_incident_views(store, viewer=SYSTEM)
        for member in view.members
    }
