"""What the delegation, meeting, agenda and calendar tests run on: who acts, the delegations
at the table, and the open work an agenda is drafted from.

The open work (`open_work`), around a meeting held ten days ago and one a week ahead:

- incidents: `old` (created before the held meeting: not new), `new` (an Israeli drone strike
  on Khiam, public, created two days ago), `lebanon_only` (a bulldozer demolition in
  Aitaroun known only from Lebanon's restricted complaint, created yesterday), `mixed` (a
  strike on Houla reported by a public wire and in Lebanon's complaint, created yesterday);
- cases: Lebanon's restricted allegation about the Aitaroun demolition, a committee case due
  tomorrow, and a withdrawn one;
- commitments: "reconvene before the new year" (open, deadline passed), one not yet due, one
  done past its deadline;
- proposals: one under discussion, one tabled restricted to Lebanon, a draft and an agreed
  one; statements: one draft.

Proposals, commitments and statements are written straight into their tables (their own
libraries are tested elsewhere; here only what is open matters).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from builders import ISRAEL, SYSTEM, event, write
from truce.cases import CaseAction, NewAllegation, file_allegation, transition
from truce.committee.delegations import (
    DelegationKind,
    NewDelegation,
    NewMember,
    add_delegation,
    add_member,
)
from truce.committee.meetings import MeetingAction, NewMeeting, schedule_meeting, transition_meeting
from truce.core.access import Classification, Principal, Role, Scope, Track
from truce.core.models import Document
from truce.store import EventQuery, Store
from truce.store.committee_schema import commitments, proposals, statements
from truce.store.incidents import add_members, create_incidents, insert_action

CHAIR = Principal(name="chair", role=Role.CHAIR)
MONITOR = Principal(name="monitor", role=Role.MONITOR)
OBSERVER = Principal(name="observer", role=Role.OBSERVER)
PUBLIC = Principal.public()
ISRAEL_DELEGATE = Principal(name="delegate-israel", role=Role.DELEGATE, party="israel")
LEBANON_DELEGATE = Principal(name="delegate-lebanon", role=Role.DELEGATE, party="lebanon")
CHAIR_READ_ONLY = Principal(name="chair-token", role=Role.CHAIR, scopes=frozenset({Scope.READ}))

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
TODAY = NOW.date()
#: the words only Lebanon's restricted records use: a view that has one shows them
LEBANON_WORDS = ("Aitaroun", "bulldozer", "Wazzani")


def delegations(store: Store) -> dict[str, int]:
    """Israel's and Lebanon's delegations, the chair's, France and UNIFIL, each with members
    on both tracks (Lebanon's civilian envoy one who has left)."""
    made = {}
    for kind, name, party in (
        (DelegationKind.PARTY, "Israel", "israel"),
        (DelegationKind.PARTY, "Lebanon", "lebanon"),
        (DelegationKind.CHAIR, "Chair", None),
        (DelegationKind.OBSERVER, "France", None),
        (DelegationKind.OBSERVER, "UNIFIL", None),
    ):
        made[name] = add_delegation(
            store, NewDelegation(kind=kind, name=name, party=party), by=SYSTEM
        ).id
    for delegation, name, title, track in (
        ("Israel", "Uri Resnick", "envoy", Track.CIVILIAN),
        ("Israel", "Amir Levi", "Brigadier General", Track.MILITARY),
        ("Lebanon", "Simon Karam", "former ambassador", Track.CIVILIAN),
        ("Lebanon", "Edgard Lawandos", "Brigadier General", Track.MILITARY),
        ("Chair", "Michael Leeney", "Lieutenant General", None),
        ("UNIFIL", "Diodato Abagnara", "Force Commander", Track.MILITARY),
    ):
        add_member(
            store, made[delegation], NewMember(name=name, title=title, track=track), by=SYSTEM
        )
    return made


def meeting_at(
    store: Store,
    title: str,
    starts_at: dt.datetime,
    *,
    held: bool = False,
    classification: Classification = Classification.COMMITTEE,
    owner_party: str | None = None,
) -> int:
    """A two-hour meeting at Naqoura scheduled by the chair (and held, if told)."""
    view = schedule_meeting(
        store,
        NewMeeting(
            title=title,
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(hours=2),
            place="UNIFIL headquarters, Naqoura",
            classification=classification,
            owner_party=owner_party,
            invite=False,
        ),
        by=CHAIR,
    )
    if held:
        transition_meeting(store, view.id, MeetingAction.HOLD, by=CHAIR)
    return view.id


@dataclass(frozen=True)
class OpenWork:
    held: int  # meeting ids
    next: int
    incidents: dict[str, int]  # old, new, lebanon_only, mixed
    cases: dict[str, int]  # lebanon, due, withdrawn
    commitments: dict[str, int]  # overdue, not_due, done
    proposals: dict[str, int]  # discussed, lebanon_tabled, draft, agreed
    statements: dict[str, int]  # draft


def open_work(store: Store) -> OpenWork:
    held = meeting_at(
        store, "Mechanism meeting, civilian envoys", NOW - dt.timedelta(days=10), held=True
    )
    upcoming = meeting_at(store, "Mechanism meeting before the new year", NOW + dt.timedelta(7))
    found = _incidents(store)
    lebanon_case = file_allegation(
        store,
        NewAllegation(
            title="Demolition of houses in Aitaroun by an Israeli bulldozer",
            accused_party="israel",
            classification=Classification.RESTRICTED,
            incident_ids=(found["lebanon_only"],),
        ),
        by=LEBANON_DELEGATE,
    )
    due_case = file_allegation(
        store,
        NewAllegation(
            title="Drone strike on Khiam",
            accused_party="israel",
            deadline=TODAY + dt.timedelta(days=1),
            classification=Classification.COMMITTEE,
            incident_ids=(found["new"],),
        ),
        by=CHAIR,
    )
    withdrawn = file_allegation(
        store,
        NewAllegation(title="Gunfire near Houla", classification=Classification.COMMITTEE),
        by=CHAIR,
    )
    transition(store, withdrawn, CaseAction.WITHDRAW, by=CHAIR)
    past = TODAY - dt.timedelta(days=3)
    commitment_ids = _rows(
        store,
        commitments,
        [
            {"title": "Reconvene before the new year", "deadline": past, "status": "open"},
            {"title": "Report on the Litani crossings", "deadline": TODAY + dt.timedelta(30)},
            {"title": "Exchange liaison officers' lists", "deadline": past, "status": "done"},
        ],
        {"status": "open"},
    )
    proposal_ids = _rows(
        store,
        proposals,
        [
            {"title": "Reopen the road to Naqoura", "status": "under-discussion"},
            {
                "title": "Rebuild the Wazzani pumping station",
                "status": "tabled",
                "proposing_party": "lebanon",
                "classification": "restricted",
                "owner_party": "lebanon",
            },
            {"title": "Joint de-mining teams", "status": "draft"},
            {"title": "A hotline between the armies", "status": "agreed"},
        ],
        {"kind": "confidence-building"},
    )
    statement_ids = _rows(
        store, statements, [{"title": "Joint statement on the December talks"}], {"status": "draft"}
    )
    return OpenWork(
        held=held,
        next=upcoming,
        incidents=found,
        cases={"lebanon": lebanon_case, "due": due_case, "withdrawn": withdrawn},
        commitments=dict(zip(("overdue", "not_due", "done"), commitment_ids, strict=True)),
        proposals=dict(
            zip(("discussed", "lebanon_tabled", "draft", "agreed"), proposal_ids, strict=True)
        ),
        statements={"draft": statement_ids[0]},
    )


# --- the incidents ------------------------------------------------------------------------------

_STRIKE = {
    "event_type": "Explosions/Remote violence",
    "sub_event_type": "Air/drone strike",
    "plover": "ASSAULT",
    "actor1": ISRAEL,
    "country": "LB",
}


def _report(doc_id: str, sentence: str, location: str, day: dt.date) -> tuple[Document, list[Any]]:
    document = Document(id=doc_id, text=f"{sentence} More to follow.", published=day)
    return document, [
        event(document, sentence, **{**_STRIKE, "location": location, "event_date": day})
    ]


def _incidents(store: Store) -> dict[str, int]:
    """Each incident made of its reports, created when the test says."""
    day = TODAY - dt.timedelta(days=2)
    public = {
        "old": _report("wire-old", "An Israeli drone struck Kfar Kila.", "Kfar Kila", day),
        "new": _report("wire-new", "An Israeli drone struck a car in Khiam.", "Khiam", day),
        "mixed": _report("wire-houla", "An Israeli drone struck Houla.", "Houla", day),
    }
    lebanon = {
        "lebanon_only": _report(
            "lb-aitaroun",
            "An Israeli bulldozer demolished houses in Aitaroun.",
            "Aitaroun",
            day,
        ),
        "mixed": _report(
            "lb-houla", "An Israeli bulldozer flattened a house in Houla.", "Houla", day
        ),
    }
    write(store, dict(public.values()))
    write(
        store,
        dict(lebanon.values()),
        classification=Classification.RESTRICTED,
        owner_party="lebanon",
    )
    stored = store.query_events(EventQuery(limit=100), viewer=SYSTEM).items
    event_of = {item.doc_id: item.id for item in stored}
    created = {
        "old": NOW - dt.timedelta(days=20),
        "new": NOW - dt.timedelta(days=2),
        "lebanon_only": NOW - dt.timedelta(days=1),
        "mixed": NOW - dt.timedelta(days=1),
    }
    members = {
        "old": ["wire-old"],
        "new": ["wire-new"],
        "lebanon_only": ["lb-aitaroun"],
        "mixed": ["wire-houla", "lb-houla"],
    }
    ids = {}
    with store.transaction(by=SYSTEM) as batch:
        for name, at in created.items():
            action = insert_action(batch, kind="link", at=at, reason=None, detail={})
            (ids[name],) = create_incidents(batch, 1, at)
            rows = [
                {
                    "incident_id": ids[name],
                    "event_id": event_of[doc_id],
                    "link_score": None,
                    "linked_to": None,
                }
                for doc_id in members[name]
            ]
            add_members(batch, rows, at, action.id)
    return ids


def _rows(
    store: Store, table: sa.Table, rows: list[dict[str, Any]], defaults: dict[str, Any]
) -> list[int]:
    ids = []
    with store.transaction(by=SYSTEM) as batch:
        for row in rows:
            values = {
                "created_by": SYSTEM.name,
                "created_at": NOW - dt.timedelta(days=5),
                "classification": "committee",
                **defaults,
                **row,
            }
            ids.append(
                batch.connection.execute(
                    sa.insert(table).values(values).returning(table.c.id)
                ).scalar_one()
            )
    return ids
