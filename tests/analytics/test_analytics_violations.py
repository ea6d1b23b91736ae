"""Violation counts read from a real store (SQLite and PostgreSQL), per viewer: candidate
violations from the agreement check, confirmed ones from findings; each number's incidents."""

from __future__ import annotations

import datetime as dt

import pytest

from builders import ISRAEL, SYSTEM, event, write
from truce.analytics.violations import count_violations
from truce.cases import (
    CaseAction,
    FindingOutcome,
    NewAllegation,
    NewFinding,
    file_allegation,
    transition,
)
from truce.core.access import Classification, Principal, Role
from truce.core.errors import InputError
from truce.core.models import Document, Event
from truce.incidents import get_incident, link_stored_events
from truce.store import Store

CHAIR = Principal(name="chair", role=Role.CHAIR)
ISRAEL_DELEGATE = Principal(name="idf", role=Role.DELEGATE, party="israel")
LEBANON_DELEGATE = Principal(name="laf", role=Role.DELEGATE, party="lebanon")
PUBLIC = Principal.public()
STRIKE = {
    "event_type": "Explosions/Remote violence",
    "sub_event_type": "Air/drone strike",
    "plover": "ASSAULT",
    "actor1": ISRAEL,
    "admin1": "Nabatieh",
    "country": "LB",
}
KHIAM = {"location": "Khiam", "latitude": 33.3294, "longitude": 35.6117}
AITAROUN = {"location": "Aitaroun", "latitude": 33.1167, "longitude": 35.4667}


def report(
    doc_id: str, sentence: str, source: str, day: dt.date, place: dict[str, object]
) -> tuple[Document, Event]:
    document = Document(
        id=doc_id,
        text=f"{sentence} More to follow.",
        published=dt.datetime.combine(day, dt.time(18), tzinfo=dt.UTC),
        source=source,
    )
    return document, event(document, sentence, **STRIKE, **place, event_date=day)


JANUARY = dt.date(2025, 1, 14)
FEBRUARY = dt.date(2025, 2, 3)
NEWS = dict(
    [
        report("wire-1", "An Israeli drone struck a car in Khiam.", "Levant Wire", JANUARY, KHIAM),
        report("cedar-1", "An Israeli drone hit a car in Khiam.", "Cedar News", JANUARY, KHIAM),
    ]
)
#: a strike only Lebanon's restricted complaint tells of
COMPLAINT = dict(
    [
        report(
            "lb-1",
            "An Israeli drone struck a house in Aitaroun, the army reported.",
            "Lebanese Armed Forces",
            FEBRUARY,
            AITAROUN,
        )
    ]
)


@pytest.fixture
def store(store_url: str) -> Store:
    with Store.open(store_url) as opened:
        write(opened, {document: [found] for document, found in NEWS.items()})
        write(
            opened,
            {document: [found] for document, found in COMPLAINT.items()},
            classification=Classification.RESTRICTED,
            owner_party="lebanon",
        )
        link_stored_events(opened, by=SYSTEM)
        yield opened


def by_key(store: Store, viewer: Principal, **arguments: object) -> dict[tuple[str, ...], int]:
    counts = count_violations(store, viewer=viewer, **arguments)  # type: ignore[arg-type]
    return {row.key: row.count for row in counts.rows}


def test_candidate_counts_follow_what_each_viewer_sees(store: Store) -> None:
    # the chair and Lebanon see both strikes; the public and Israel only the public one
    for viewer, expected in [(CHAIR, 2), (LEBANON_DELEGATE, 2), (PUBLIC, 1), (ISRAEL_DELEGATE, 1)]:
        assert by_key(store, viewer, by=["party"]) == {("israel",): expected}, viewer.name
    # no target is named, so clause 1 (fire at the other side's targets) is not met
    assert by_key(store, CHAIR, by=["clause"]) == {("coh-2024-02",): 2}


def test_each_number_names_its_incidents_and_periods_split_them(store: Store) -> None:
    counts = count_violations(store, viewer=CHAIR, by=["party", "period"])
    rows = {row.key: row.incident_ids for row in counts.rows}
    assert set(rows) == {("israel", "2025-01"), ("israel", "2025-02")}
    (january,) = rows[("israel", "2025-01")]
    assert {m.doc_id for m in get_incident(store, january, viewer=CHAIR).members} == {
        "wire-1",
        "cedar-1",
    }
    behind = count_violations(
        store, viewer=CHAIR, by=["party", "period"], key=["israel", "2025-02"]
    )
    assert behind.total == 1
    assert behind.incident_ids == rows[("israel", "2025-02")]
    window = by_key(store, CHAIR, by=["party"], start=FEBRUARY, end=FEBRUARY)
    assert window == {("israel",): 1}


def test_confirmed_findings_count_on_the_finding_basis(store: Store) -> None:
    (incident,) = count_violations(
        store, viewer=CHAIR, by=["party"], start=JANUARY, end=JANUARY
    ).incident_ids
    assert by_key(store, CHAIR, by=["party", "clause"], basis="finding") == {}
    case_id = file_allegation(
        store,
        NewAllegation(
            title="Drone strike on a car in Khiam",
            filed_for_party="lebanon",
            accused_party="israel",
            clause_id="coh-2024-02",
            incident_ids=(incident,),
            classification=Classification.COMMITTEE,
        ),
        by=LEBANON_DELEGATE,
    )
    assert get_incident(store, incident, viewer=ISRAEL_DELEGATE).cases == [case_id]
    transition(store, case_id, CaseAction.INVESTIGATE, by=CHAIR)
    transition(
        store,
        case_id,
        CaseAction.CONCLUDE,
        by=CHAIR,
        finding=NewFinding(
            outcome=FindingOutcome.CONFIRMED,
            clause_id="coh-2024-02",
            attributed_party="israel",
            rationale="Two independent outlets and the site visit agree.",
            classification=Classification.PUBLIC,
        ),
    )
    expected = {("israel", "coh-2024-02"): 1}
    assert by_key(store, CHAIR, by=["party", "clause"], basis="finding") == expected
    # the finding is public, so the public count moves too
    assert by_key(store, PUBLIC, by=["party", "clause"], basis="finding") == expected


def test_an_unknown_basis_is_refused(store: Store) -> None:
    with pytest.raises(InputError, match="unknown basis 'rumour'"):
        count_violations(store, viewer=CHAIR, by=["party"], basis="rumour")
