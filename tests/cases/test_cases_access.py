"""Who sees which case, finding, linked incident and evidence; overdue cases."""

from __future__ import annotations

import datetime as dt

import pytest
from cases_sample import (
    CHAIR,
    ISRAEL_DELEGATE,
    LEBANON_DELEGATE,
    MONITOR,
    OBSERVER,
    PUBLIC,
    Sample,
)

from builders import SYSTEM
from truce.cases import (
    CaseAction,
    CaseState,
    FindingOutcome,
    NewAllegation,
    NewFinding,
    file_allegation,
    findings_for_counting,
    get_case,
    link_evidence,
    list_cases,
    transition,
)
from truce.core.access import Classification, Principal
from truce.core.errors import InputError, NotFoundError
from truce.store import Store

TODAY = dt.datetime.now(dt.UTC).date()


def conclude(
    store: Store,
    case_id: int,
    classification: Classification,
    owner_party: str | None = None,
    outcome: FindingOutcome = FindingOutcome.CONFIRMED,
) -> int:
    transition(store, case_id, CaseAction.INVESTIGATE, by=CHAIR)
    view = transition(
        store,
        case_id,
        CaseAction.CONCLUDE,
        by=CHAIR,
        finding=NewFinding(
            outcome=outcome,
            rationale="Established on the evidence.",
            clause_id="coh-2024-02",
            attributed_party="israel",
            classification=classification,
            owner_party=owner_party,
        ),
    )
    assert view.finding is not None
    return view.finding.id


@pytest.fixture
def cases(store: Store, sample: Sample) -> dict[str, int]:
    """Lebanon's restricted allegation with a finding restricted to Lebanon; the chair's
    committee case linking both incidents and evidence of every kind, with a public finding;
    a committee case whose finding only Lebanon (and the chair) may see."""
    restricted = file_allegation(
        store,
        NewAllegation(
            title="Shelling of Kfar Kila",
            accused_party="israel",
            classification=Classification.RESTRICTED,
            incident_ids=(sample.lebanon_only,),
            evidence_ids=(sample.evidence["lebanon"],),
        ),
        by=LEBANON_DELEGATE,
    )
    restricted_finding = conclude(store, restricted, Classification.RESTRICTED, "lebanon")
    committee = file_allegation(
        store,
        NewAllegation(
            title="Strikes of 14-15 January",
            classification=Classification.COMMITTEE,
            incident_ids=(sample.shared, sample.lebanon_only),
        ),
        by=CHAIR,
    )
    link_evidence(store, committee, list(sample.evidence.values()), by=CHAIR)
    public_finding = conclude(store, committee, Classification.PUBLIC)
    shared_case = file_allegation(
        store,
        NewAllegation(title="Drone over Khiam", classification=Classification.COMMITTEE),
        by=CHAIR,
    )
    private_finding = conclude(
        store, shared_case, Classification.RESTRICTED, "lebanon", FindingOutcome.NOT_CONFIRMED
    )
    return {
        "restricted": restricted,
        "restricted_finding": restricted_finding,
        "committee": committee,
        "public_finding": public_finding,
        "shared_case": shared_case,
        "private_finding": private_finding,
    }


@pytest.mark.parametrize(
    ("viewer", "sees_cases", "sees_findings"),
    [
        (PUBLIC, set(), {"public_finding"}),
        (OBSERVER, {"committee", "shared_case"}, {"public_finding"}),
        (MONITOR, {"committee", "shared_case"}, {"public_finding"}),
        (ISRAEL_DELEGATE, {"committee", "shared_case"}, {"public_finding"}),
        (
            LEBANON_DELEGATE,
            {"restricted", "committee", "shared_case"},
            {"restricted_finding", "public_finding", "private_finding"},
        ),
        (
            CHAIR,
            {"restricted", "committee", "shared_case"},
            {"restricted_finding", "public_finding", "private_finding"},
        ),
    ],
)
def test_each_viewer_sees_only_its_cases_and_findings(
    store: Store,
    cases: dict[str, int],
    viewer: Principal,
    sees_cases: set[str],
    sees_findings: set[str],
) -> None:
    listed = {item.id for item in list_cases(store, viewer=viewer).items}
    assert listed == {cases[name] for name in sees_cases}
    for name in ("restricted", "committee", "shared_case"):
        if name in sees_cases:
            view = get_case(store, cases[name], viewer=viewer)
            assert {f.id for f in view.findings} <= {cases[n] for n in sees_findings}
        else:
            with pytest.raises(NotFoundError) as hidden:
                get_case(store, cases[name], viewer=viewer)
            with pytest.raises(NotFoundError) as absent:
                get_case(store, 999_999, viewer=viewer)
            assert str(hidden.value) == str(absent.value).replace("999999", str(cases[name]))
    counted = {record.finding.id for record in findings_for_counting(store, viewer=viewer)}
    assert counted == {cases[name] for name in sees_findings}


def test_a_delegate_never_sees_the_other_partys_restricted_allegation_or_finding(
    store: Store, sample: Sample, cases: dict[str, int]
) -> None:
    with pytest.raises(NotFoundError):
        get_case(store, cases["restricted"], viewer=ISRAEL_DELEGATE)
    shared = get_case(store, cases["shared_case"], viewer=ISRAEL_DELEGATE)
    assert shared.state is CaseState.CONCLUDED
    assert (shared.findings, shared.finding) == ((), None)
    assert get_case(store, cases["shared_case"], viewer=LEBANON_DELEGATE).finding is not None
    counted = findings_for_counting(store, viewer=ISRAEL_DELEGATE)
    assert cases["restricted_finding"] not in {record.finding.id for record in counted}

    # of the chair's committee case, each sees the incidents and evidence it may see
    def links(viewer: Principal) -> tuple[tuple[int, ...], set[int]]:
        view = get_case(store, cases["committee"], viewer=viewer)
        return view.incident_ids, {link.evidence_id for link in view.evidence}

    evidence = sample.evidence
    assert links(ISRAEL_DELEGATE) == (
        (sample.shared,),
        {evidence["public"], evidence["committee"], evidence["israel"]},
    )
    assert links(LEBANON_DELEGATE) == (
        (sample.shared, sample.lebanon_only),
        {evidence["public"], evidence["committee"], evidence["lebanon"]},
    )
    assert links(MONITOR) == ((sample.shared,), {evidence["public"], evidence["committee"]})
    assert links(SYSTEM) == ((sample.shared, sample.lebanon_only), set(evidence.values()))

    # the cases of an incident: none through an incident the viewer may not see
    assert list_cases(store, viewer=ISRAEL_DELEGATE, incident_id=sample.lebanon_only).total == 0
    of_lebanons = list_cases(store, viewer=LEBANON_DELEGATE, incident_id=sample.lebanon_only)
    assert {item.id for item in of_lebanons.items} == {cases["restricted"], cases["committee"]}
    by_counting = {
        record.finding.id: record.incident_ids
        for record in findings_for_counting(store, viewer=ISRAEL_DELEGATE)
    }
    assert by_counting == {cases["public_finding"]: (sample.shared,)}


def test_public_sees_only_a_public_finding(store: Store, cases: dict[str, int]) -> None:
    records = findings_for_counting(store, viewer=PUBLIC)
    assert [record.finding.id for record in records] == [cases["public_finding"]]
    assert records[0].finding.classification is Classification.PUBLIC
    assert records[0].case_id == cases["committee"]
    assert list_cases(store, viewer=PUBLIC).total == 0


def test_open_cases_past_their_deadline_are_overdue(store: Store, sample: Sample) -> None:
    def filed(title: str, days: int | None) -> int:
        deadline = None if days is None else TODAY + dt.timedelta(days=days)
        return file_allegation(
            store,
            NewAllegation(title=title, deadline=deadline, classification=Classification.COMMITTEE),
            by=LEBANON_DELEGATE,
        )

    soon = filed("due in 3 days", 3)
    later = filed("due in 20 days", 20)
    no_deadline = filed("no deadline", None)
    investigating = filed("investigated, due in 3 days", 3)
    transition(store, investigating, CaseAction.INVESTIGATE, by=CHAIR)
    concluded = filed("concluded, due in 3 days", 3)
    conclude(store, concluded, Classification.COMMITTEE)
    withdrawn = filed("withdrawn, due in 3 days", 3)
    transition(store, withdrawn, CaseAction.WITHDRAW, by=LEBANON_DELEGATE)

    in_ten_days = TODAY + dt.timedelta(days=10)
    assert not get_case(store, soon, viewer=CHAIR).overdue
    assert get_case(store, soon, viewer=CHAIR, today=in_ten_days).overdue
    overdue = list_cases(store, viewer=MONITOR, overdue=True, today=in_ten_days)
    assert {item.id for item in overdue.items} == {soon, investigating}
    assert all(item.overdue for item in overdue.items)
    rest = list_cases(store, viewer=MONITOR, overdue=False, today=in_ten_days)
    assert {item.id for item in rest.items} == {later, no_deadline, concluded, withdrawn}
    assert not any(item.overdue for item in rest.items)
    assert list_cases(store, viewer=MONITOR, overdue=True).total == 0  # nothing overdue today
    investigating_only = list_cases(
        store, viewer=MONITOR, state="investigating", overdue=True, today=in_ten_days
    )
    assert [item.id for item in investigating_only.items] == [investigating]


def test_list_pages_and_checks_its_arguments(store: Store, sample: Sample) -> None:
    ids = [
        file_allegation(
            store,
            NewAllegation(title=f"case {n}", classification=Classification.COMMITTEE),
            by=CHAIR,
        )
        for n in range(5)
    ]
    page = list_cases(store, viewer=OBSERVER, limit=2, offset=1)
    assert (page.total, [item.id for item in page.items]) == (5, [ids[3], ids[2]])
    with pytest.raises(InputError, match="not a state"):
        list_cases(store, viewer=OBSERVER, state="open")
    with pytest.raises(InputError, match="limit"):
        list_cases(store, viewer=OBSERVER, limit=0)
    with pytest.raises(InputError, match="offset"):
        list_cases(store, viewer=OBSERVER, offset=-1)
