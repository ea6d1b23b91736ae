"""A case from allegation to finding and back: filing, investigation, conclusion, reopening,
a second conclusion; each step recorded with who took it, in the history and the audit."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa
from cases_sample import (
    ADMIN,
    CHAIR,
    ISRAEL_DELEGATE,
    LEBANON_DELEGATE,
    LEBANON_READ_ONLY,
    MONITOR,
    OBSERVER,
    Sample,
)

from builders import SYSTEM
from truce.cases import (
    FILE_ACTION,
    CaseAction,
    CaseState,
    FindingOutcome,
    NewAllegation,
    NewFinding,
    TaskStatus,
    add_task,
    add_visit_report,
    complete_task,
    file_allegation,
    get_case,
    link_evidence,
    link_incidents,
    transition,
)
from truce.core.access import Classification, Principal
from truce.core.errors import (
    ConflictError,
    InputError,
    NotFoundError,
    PermissionDeniedError,
)
from truce.security.audit import verify_chain
from truce.store import Store
from truce.store.audit import read_chain
from truce.store.schema import audit_log, case_transitions, findings

TODAY = dt.datetime.now(dt.UTC).date()


def allegation(sample: Sample, **fields: object) -> NewAllegation:
    values: dict[str, object] = {
        "title": "Drone strike on a house in Khiam",
        "summary": "An Israeli drone struck a house in Khiam on 14 January 2025.",
        "accused_party": "israel",
        "clause_id": "coh-2024-02",
        "deadline": TODAY + dt.timedelta(days=30),
        "classification": Classification.COMMITTEE,
        "incident_ids": (sample.shared,),
    }
    values.update(fields)
    return NewAllegation(**values)  # type: ignore[arg-type]


def audit_entries(store: Store, action: str) -> list[sa.RowMapping]:
    statement = sa.select(audit_log).where(audit_log.c.action == action).order_by(audit_log.c.seq)
    with store.reading("test") as connection:
        return list(connection.execute(statement).mappings())


def test_full_flow_from_allegation_to_a_second_finding(store: Store, sample: Sample) -> None:
    case_id = file_allegation(store, allegation(sample), by=LEBANON_DELEGATE)
    filed = get_case(store, case_id, viewer=LEBANON_DELEGATE)
    assert filed.state is CaseState.FILED
    assert (filed.filed_by, filed.filed_for_party, filed.owner_party) == (
        "delegate-lebanon",
        "lebanon",
        "lebanon",
    )
    assert filed.incident_ids == (sample.shared,)
    assert filed.actions == (CaseAction.WITHDRAW,)

    investigating = transition(
        store, case_id, CaseAction.INVESTIGATE, by=CHAIR, note="Assigned to team south"
    )
    assert investigating.state is CaseState.INVESTIGATING
    assert investigating.actions == (CaseAction.WITHDRAW, CaseAction.CONCLUDE)

    task = add_task(
        store,
        case_id,
        title="Visit the house in Khiam",
        assigned_to="monitor",
        due=TODAY + dt.timedelta(days=7),
        by=CHAIR,
    )
    assert (task.status, task.created_by, task.assigned_to) == (TaskStatus.OPEN, "chair", "monitor")
    report = add_visit_report(
        store,
        case_id,
        visited_on=TODAY,
        place="Khiam, the house on the main road",
        text="The roof was hit from above; fragments of a guided munition were found.",
        task_id=task.id,
        by=MONITOR,
    )
    assert link_evidence(
        store, case_id, [sample.evidence["committee"]], by=MONITOR, note="photographs"
    ) == [sample.evidence["committee"]]
    done = complete_task(store, task.id, by=MONITOR, note="visited")
    assert (done.status, done.completed_by, done.note) == (TaskStatus.DONE, "monitor", "visited")

    first = NewFinding(
        outcome=FindingOutcome.CONFIRMED,
        rationale="The remains and the witnesses agree: a strike by Israel.",
        classification=Classification.PUBLIC,
    )
    concluded = transition(store, case_id, "conclude", by=CHAIR, finding=first)
    assert concluded.state is CaseState.CONCLUDED
    assert concluded.finding is not None
    assert (concluded.finding.clause_id, concluded.finding.attributed_party) == (
        "coh-2024-02",
        "israel",
    )

    reopened = transition(
        store, case_id, CaseAction.REOPEN, by=CHAIR, note="Israel submitted new imagery"
    )
    assert reopened.state is CaseState.INVESTIGATING
    assert reopened.finding == concluded.finding  # it stands until a new one replaces it

    second = NewFinding(
        outcome=FindingOutcome.INCONCLUSIVE,
        rationale="The new imagery puts the time of the strike in doubt.",
        classification=Classification.COMMITTEE,
    )
    final = transition(store, case_id, CaseAction.CONCLUDE, by=CHAIR, finding=second)

    assert final.state is CaseState.CONCLUDED
    assert [finding.outcome for finding in final.findings] == [
        FindingOutcome.CONFIRMED,
        FindingOutcome.INCONCLUSIVE,
    ]
    old, new = final.findings
    assert (old.current, new.current) == (False, True)
    assert old.superseded_by == new.id
    assert final.finding == new
    assert [(t.action, t.from_state, t.to_state, t.by) for t in final.transitions] == [
        (FILE_ACTION, None, CaseState.FILED, "delegate-lebanon"),
        ("investigate", CaseState.FILED, CaseState.INVESTIGATING, "chair"),
        ("conclude", CaseState.INVESTIGATING, CaseState.CONCLUDED, "chair"),
        ("reopen", CaseState.CONCLUDED, CaseState.INVESTIGATING, "chair"),
        ("conclude", CaseState.INVESTIGATING, CaseState.CONCLUDED, "chair"),
    ]
    assert final.transitions[1].note == "Assigned to team south"
    assert [t.status for t in final.tasks] == [TaskStatus.DONE]
    assert final.visit_reports == (report,)
    assert [link.evidence_id for link in final.evidence] == [sample.evidence["committee"]]
    assert final.actions == (CaseAction.REOPEN,)

    # every transition has its audit entry, naming who made it
    entries = audit_entries(store, "case.transition")
    assert [(row["actor"], json.loads(row["detail"])["to"]) for row in entries] == [
        ("delegate-lebanon", "filed"),
        ("chair", "investigating"),
        ("chair", "concluded"),
        ("chair", "investigating"),
        ("chair", "concluded"),
    ]
    assert {json.loads(row["detail"])["case"] for row in entries} == {case_id}
    assert [row["actor"] for row in audit_entries(store, "finding.supersede")] == ["chair"]
    report_ok = verify_chain(read_chain(store))
    assert report_ok.ok, report_ok.problem
    with store.reading("test") as connection:
        rows = connection.execute(sa.select(sa.func.count()).select_from(findings)).scalar_one()
        moves = connection.execute(
            sa.select(sa.func.count()).select_from(case_transitions)
        ).scalar_one()
    assert (rows, moves) == (2, 5)


def test_conclude_takes_a_finding_and_a_confirmed_one_names_clause_and_party(
    store: Store, sample: Sample
) -> None:
    case_id = file_allegation(
        store, allegation(sample, clause_id=None, accused_party=None), by=CHAIR
    )
    finding = NewFinding(outcome=FindingOutcome.NOT_CONFIRMED, rationale="No trace found.")
    with pytest.raises(InputError, match="finding is recorded by conclude"):
        transition(store, case_id, CaseAction.INVESTIGATE, by=CHAIR, finding=finding)
    transition(store, case_id, CaseAction.INVESTIGATE, by=CHAIR)
    with pytest.raises(InputError, match="takes a finding"):
        transition(store, case_id, CaseAction.CONCLUDE, by=CHAIR)
    confirmed = NewFinding(outcome=FindingOutcome.CONFIRMED, rationale="Seen.")
    with pytest.raises(InputError, match="names the clause"):
        transition(store, case_id, CaseAction.CONCLUDE, by=CHAIR, finding=confirmed)
    with pytest.raises(InputError, match="not a case action"):
        transition(store, case_id, "dismiss", by=CHAIR)
    assert get_case(store, case_id, viewer=CHAIR).state is CaseState.INVESTIGATING
    named = NewFinding(
        outcome=FindingOutcome.CONFIRMED,
        rationale="Seen.",
        clause_id="coh-2024-03",
        attributed_party="lebanon",
    )
    view = transition(store, case_id, CaseAction.CONCLUDE, by=CHAIR, finding=named)
    assert view.finding is not None
    assert (view.finding.clause_id, view.finding.attributed_party) == ("coh-2024-03", "lebanon")


@pytest.mark.parametrize(
    ("principal", "fields", "why"),
    [
        (MONITOR, {}, "may not file allegations"),
        (OBSERVER, {}, "may not file allegations"),
        (ADMIN, {}, "may not file allegations"),
        (Principal.public(), {}, "read access only"),
        (LEBANON_READ_ONLY, {}, "read access only"),
        (LEBANON_DELEGATE, {"filed_for_party": "israel"}, "may not file for israel"),
        (LEBANON_DELEGATE, {"classification": Classification.PUBLIC}, "not public"),
    ],
)
def test_who_may_not_file(
    store: Store, sample: Sample, principal: Principal, fields: dict[str, object], why: str
) -> None:
    with pytest.raises(PermissionDeniedError, match=why):
        file_allegation(store, allegation(sample, **fields), by=principal)
    assert audit_entries(store, "case.file") == []


def test_who_may_file(store: Store, sample: Sample) -> None:
    restricted = file_allegation(
        store, allegation(sample, classification=Classification.RESTRICTED), by=ISRAEL_DELEGATE
    )
    assert get_case(store, restricted, viewer=ISRAEL_DELEGATE).owner_party == "israel"
    chairs = file_allegation(
        store, allegation(sample, classification=Classification.RESTRICTED), by=CHAIR
    )
    view = get_case(store, chairs, viewer=SYSTEM)
    assert (view.filed_for_party, view.owner_party, view.filed_by) == (None, None, "chair")
    with pytest.raises(NotFoundError):  # restricted to no party: the chair's alone
        get_case(store, chairs, viewer=LEBANON_DELEGATE)
    with pytest.raises(InputError, match="in the past"):
        file_allegation(store, allegation(sample, deadline=TODAY - dt.timedelta(days=1)), by=CHAIR)
    with pytest.raises(InputError, match="must not be empty"):
        file_allegation(store, allegation(sample, title="  "), by=CHAIR)


def test_only_the_chair_moves_a_case_and_the_filer_or_chair_withdraws(
    store: Store, sample: Sample
) -> None:
    case_id = file_allegation(store, allegation(sample), by=LEBANON_DELEGATE)
    for principal in (MONITOR, LEBANON_DELEGATE, ISRAEL_DELEGATE, OBSERVER):
        with pytest.raises(PermissionDeniedError, match="only the chair may"):
            transition(store, case_id, CaseAction.INVESTIGATE, by=principal)
    # the other party's delegation sees the committee case but may not withdraw it
    with pytest.raises(PermissionDeniedError, match="may not withdraw"):
        transition(store, case_id, CaseAction.WITHDRAW, by=ISRAEL_DELEGATE)
    with pytest.raises(PermissionDeniedError):
        transition(store, case_id, CaseAction.WITHDRAW, by=LEBANON_READ_ONLY)
    assert get_case(store, case_id, viewer=CHAIR).state is CaseState.FILED

    withdrawn = transition(store, case_id, CaseAction.WITHDRAW, by=LEBANON_DELEGATE, note="settled")
    assert withdrawn.state is CaseState.WITHDRAWN
    assert withdrawn.transitions[-1].by == "delegate-lebanon"

    # a restricted case of the other party: not even there, for Israel's delegation
    restricted = file_allegation(
        store, allegation(sample, classification=Classification.RESTRICTED), by=LEBANON_DELEGATE
    )
    with pytest.raises(NotFoundError, match=f"no case with id {restricted}"):
        transition(store, restricted, CaseAction.WITHDRAW, by=ISRAEL_DELEGATE)
    transition(store, restricted, CaseAction.INVESTIGATE, by=CHAIR)
    assert transition(store, restricted, CaseAction.WITHDRAW, by=CHAIR).state is (
        CaseState.WITHDRAWN
    )


def test_investigation_work_needs_an_investigating_case_and_an_investigator(
    store: Store, sample: Sample
) -> None:
    case_id = file_allegation(store, allegation(sample), by=LEBANON_DELEGATE)
    with pytest.raises(ConflictError, match="only while it is investigating"):
        add_task(store, case_id, title="Visit", by=MONITOR)
    with pytest.raises(ConflictError, match="only while it is investigating"):
        add_visit_report(store, case_id, visited_on=TODAY, place="Khiam", text="x", by=MONITOR)
    transition(store, case_id, CaseAction.INVESTIGATE, by=CHAIR)
    for principal in (LEBANON_DELEGATE, OBSERVER):
        with pytest.raises(PermissionDeniedError, match="the chair or a monitor"):
            add_task(store, case_id, title="Visit", by=principal)
    task = add_task(store, case_id, title="Visit", by=MONITOR)
    with pytest.raises(InputError, match="in the future"):
        add_visit_report(
            store,
            case_id,
            visited_on=TODAY + dt.timedelta(days=2),
            place="Khiam",
            text="x",
            by=MONITOR,
        )
    other = file_allegation(store, allegation(sample), by=CHAIR)
    transition(store, other, CaseAction.INVESTIGATE, by=CHAIR)
    with pytest.raises(InputError, match=f"not a task of case {other}"):
        add_visit_report(
            store, other, visited_on=TODAY, place="Khiam", text="x", task_id=task.id, by=MONITOR
        )
    cancelled = complete_task(store, task.id, status=TaskStatus.CANCELLED, by=CHAIR)
    assert cancelled.status is TaskStatus.CANCELLED
    with pytest.raises(ConflictError, match="cancelled already"):
        complete_task(store, task.id, by=MONITOR)
    with pytest.raises(InputError, match="done or cancelled"):
        complete_task(store, task.id, status="open", by=MONITOR)
    with pytest.raises(NotFoundError):
        complete_task(store, 99_999, by=MONITOR)


def test_linking_is_idempotent_and_only_what_the_actor_sees(store: Store, sample: Sample) -> None:
    case_id = file_allegation(store, allegation(sample, incident_ids=()), by=LEBANON_DELEGATE)
    # the monitor does not see Lebanon's own incident nor its restricted evidence
    with pytest.raises(NotFoundError, match=f"no incident with id {sample.lebanon_only}"):
        link_incidents(store, case_id, [sample.shared, sample.lebanon_only], by=MONITOR)
    with pytest.raises(NotFoundError, match=f"no evidence with id {sample.evidence['lebanon']}"):
        link_evidence(store, case_id, [sample.evidence["lebanon"]], by=MONITOR)
    with pytest.raises(NotFoundError, match="no incident with id 424242"):
        link_incidents(store, case_id, [424242], by=CHAIR)
    assert get_case(store, case_id, viewer=CHAIR).incident_ids == ()  # none linked

    both = [sample.shared, sample.lebanon_only]
    assert link_incidents(store, case_id, both, by=LEBANON_DELEGATE) == both
    before = len(audit_entries(store, "case.incident.link"))
    assert link_incidents(store, case_id, both, by=LEBANON_DELEGATE) == []
    assert len(audit_entries(store, "case.incident.link")) == before == 2
    assert link_evidence(store, case_id, [sample.evidence["lebanon"]], by=LEBANON_DELEGATE) == [
        sample.evidence["lebanon"]
    ]
    with pytest.raises(PermissionDeniedError, match="may not link"):
        link_incidents(store, case_id, [sample.shared], by=ISRAEL_DELEGATE)

    transition(store, case_id, CaseAction.WITHDRAW, by=LEBANON_DELEGATE)
    with pytest.raises(ConflictError, match="while it is filed or investigating"):
        link_evidence(store, case_id, [sample.evidence["public"]], by=CHAIR)
