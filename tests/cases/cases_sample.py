"""What the case tests file allegations about: incidents seen by different viewers, evidence
of every classification, and the principals who act on cases.

Two incidents, written straight through the store's incident functions (the linker is
tested elsewhere; here only membership matters):

- `shared`: an Israeli drone strike on Khiam reported by a public news article, and the same
  strike in Lebanon's complaint, restricted to Lebanon: everyone sees it;
- `lebanon_only`: a second strike known only from Lebanon's complaint: only Lebanon's
  delegation and the chair see it.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from builders import ISRAEL, SYSTEM, event, write
from evidence_sample import jpeg, pdf, png
from truce.core.access import Classification, Principal, Role, Scope
from truce.core.models import Document
from truce.evidence import EvidenceVault, add_evidence
from truce.store import EventQuery, Store
from truce.store.incidents import add_members, create_incidents, insert_action

CHAIR = Principal(name="chair", role=Role.CHAIR)
MONITOR = Principal(name="monitor", role=Role.MONITOR)
OBSERVER = Principal(name="observer", role=Role.OBSERVER)
ADMIN = Principal(name="admin", role=Role.ADMIN)
ISRAEL_DELEGATE = Principal(name="delegate-israel", role=Role.DELEGATE, party="israel")
LEBANON_DELEGATE = Principal(name="delegate-lebanon", role=Role.DELEGATE, party="lebanon")
LEBANON_READ_ONLY = Principal(
    name="delegate-lebanon-token",
    role=Role.DELEGATE,
    party="lebanon",
    scopes=frozenset({Scope.READ}),
)
PUBLIC = Principal.public()

NEWS = Document(
    id="news-khiam",
    text="An Israeli drone struck a house in Khiam on 14 January 2025, killing one man.",
    published=dt.date(2025, 1, 14),
    title="Drone strike in Khiam",
    source="Example Wire",
)
COMPLAINT = Document(
    id="complaint-lebanon-7",
    text=(
        "On 14 January 2025 an Israeli drone struck a house in Khiam, killing a civilian. "
        "On 15 January 2025 Israeli artillery shelled the outskirts of Kfar Kila."
    ),
    published=dt.date(2025, 1, 16),
    title="Complaint of the Lebanese delegation",
)

_STRIKE = {
    "event_type": "Explosions/Remote violence",
    "sub_event_type": "Air/drone strike",
    "plover": "ASSAULT",
    "event_date": dt.date(2025, 1, 14),
    "actor1": ISRAEL,
    "inter1": 8,
    "location": "Khiam",
    "country": "LB",
    "latitude": 33.3286,
    "longitude": 35.6103,
    "fatalities": 1,
}


@dataclass(frozen=True)
class Sample:
    shared: int  # incident ids
    lebanon_only: int
    evidence: dict[str, int]  # public, committee, israel, lebanon: evidence ids


def populate(store: Store, vault: EvidenceVault) -> Sample:
    write(store, {NEWS: [event(NEWS, NEWS.text, **_STRIKE)]})
    write(
        store,
        {
            COMPLAINT: [
                event(COMPLAINT, COMPLAINT.text.split(". ")[0] + ".", **_STRIKE),
                event(
                    COMPLAINT,
                    "On 15 January 2025 Israeli artillery shelled the outskirts of Kfar Kila.",
                    **{
                        **_STRIKE,
                        "sub_event_type": "Shelling/artillery/missile attack",
                        "event_date": dt.date(2025, 1, 15),
                        "location": "Kfar Kila",
                        "latitude": 33.2833,
                        "longitude": 35.5667,
                        "fatalities": None,
                    },
                ),
            ]
        },
        classification=Classification.RESTRICTED,
        owner_party="lebanon",
    )
    stored = store.query_events(EventQuery(limit=10), viewer=SYSTEM).items
    by_doc = {(item.doc_id, item.location): item.id for item in stored}
    now = dt.datetime.now(dt.UTC)
    with store.transaction(by=SYSTEM) as batch:
        action = insert_action(batch, kind="link", at=now, reason=None, detail={})
        shared, lebanon_only = create_incidents(batch, 2, now)
        add_members(
            batch,
            [
                _member(shared, by_doc[NEWS.id, "Khiam"]),
                _member(shared, by_doc[COMPLAINT.id, "Khiam"]),
                _member(lebanon_only, by_doc[COMPLAINT.id, "Kfar Kila"]),
            ],
            now,
            action.id,
        )
    evidence = {
        "public": _evidence(store, vault, jpeg("public"), Classification.PUBLIC, None),
        "committee": _evidence(store, vault, jpeg("committee"), Classification.COMMITTEE, None),
        "israel": _evidence(store, vault, png("israel"), Classification.RESTRICTED, "israel"),
        "lebanon": _evidence(store, vault, pdf("lebanon"), Classification.RESTRICTED, "lebanon"),
    }
    return Sample(shared=shared, lebanon_only=lebanon_only, evidence=evidence)


def _member(incident_id: int, event_id: int) -> dict[str, object]:
    return {"incident_id": incident_id, "event_id": event_id, "link_score": None, "linked_to": None}


def _evidence(
    store: Store,
    vault: EvidenceVault,
    content: bytes,
    classification: Classification,
    owner_party: str | None,
) -> int:
    record = add_evidence(
        store,
        vault,
        io.BytesIO(content),
        original_name="photo.jpg",
        received_from="a witness",
        received_by="monitor",
        by=SYSTEM,
        classification=classification,
        owner_party=owner_party,
    )
    return record.id
