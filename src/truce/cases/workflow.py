"""Filing allegations, moving cases through their states, and the work of an investigation.

Who may do what (beyond the state machine of `truce.cases.states`):

    file an allegation           a delegate, for its own party (restricted to it, or shared
                                 with the committee); the chair (any classification, for a
                                 party or none). Monitors, observers and the rest may not.
    add or close a task,         the chair or a monitor, while the case is investigating
    add a visit report
    link incidents or evidence   the chair, a monitor, or a delegate of the filing party,
                                 while the case is filed or investigating; only incidents
                                 and evidence the actor may see
    conclude                     the chair, with a finding (who it is shared with is the
                                 finding's own classification)

Every operation first reads the case as its actor sees it: a case the actor may not see is
`NotFoundError`, like a missing one. Every row written records an audit entry naming who.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from truce.cases.reading import get_case
from truce.cases.records import (
    FILE_ACTION,
    CaseView,
    FindingOutcome,
    InvestigationTask,
    NewAllegation,
    NewFinding,
    TaskStatus,
    VisitReport,
    task_of,
)
from truce.cases.states import (
    OPEN_STATES,
    CaseAction,
    CaseState,
    check_may_take,
    transition_for,
)
from truce.core.access import Classification, Principal, Role, Scope
from truce.core.errors import ConflictError, InputError, PermissionDeniedError
from truce.store import Batch, Store
from truce.store.cases import (
    CaseRow,
    NewCase,
    NewFindingRow,
    case_in_batch,
    finish_task,
    insert_case,
    insert_finding,
    insert_task,
    insert_transition,
    insert_visit_report,
    link_evidence_rows,
    link_incident_rows,
    move_case,
    task_in_batch,
)

MAX_TITLE = 300
MAX_TEXT = 20_000
#: party, clause and user names are short codes
MAX_NAME = 64


def file_allegation(store: Store, allegation: NewAllegation, *, by: Principal) -> int:
    """File an allegation (a new case in state `filed`) with the incidents and evidence it
    names linked; its id. PermissionDeniedError unless `by` may file it (see the module
    docstring), NotFoundError for an incident or evidence `by` may not see."""
    title = _text(allegation.title, "title", MAX_TITLE)
    summary = _optional_text(allegation.summary, "summary", MAX_TEXT)
    accused = _optional_text(allegation.accused_party, "accused_party", MAX_NAME)
    clause = _optional_text(allegation.clause_id, "clause_id", MAX_NAME)
    party = _optional_text(allegation.filed_for_party, "filed_for_party", MAX_NAME)
    classification = Classification(allegation.classification)
    party = _check_may_file(by, party, classification)
    now = _now()
    if allegation.deadline is not None and allegation.deadline < now.date():
        raise InputError(f"{allegation.deadline} is in the past", source="deadline")
    with store.transaction(by=by) as batch:
        case_id = insert_case(
            batch,
            NewCase(
                title=title,
                summary=summary,
                state=CaseState.FILED.value,
                filed_for_party=party,
                accused_party=accused,
                clause_id=clause,
                deadline=allegation.deadline,
                opened_at=now,
                classification=classification,
                owner_party=party,
            ),
        )
        insert_transition(
            batch,
            case_id,
            action=FILE_ACTION,
            from_state=None,
            to_state=CaseState.FILED.value,
            at=now,
            note=None,
        )
        if allegation.incident_ids:
            link_incident_rows(batch, case_id, allegation.incident_ids, at=now, note=None)
        if allegation.evidence_ids:
            link_evidence_rows(batch, case_id, allegation.evidence_ids, at=now, note=None)
    return case_id


def transition(
    store: Store,
    case_id: int,
    action: CaseAction | str,
    *,
    by: Principal,
    note: str | None = None,
    finding: NewFinding | None = None,
) -> CaseView:
    """Take `action` on the case: ConflictError if its state does not allow it (naming the
    state and what it allows), PermissionDeniedError if `by` may not take it, InputError for
    a conclusion without a finding (or a finding given to another action). Records the
    transition (who, when, from, to, the note) and, on concluding, the finding (the case's
    previous one, if reopened, is kept and marked superseded). The case as `by` now sees it."""
    chosen = _action(action)
    note = _optional_text(note, "note", MAX_TEXT)
    if finding is not None and chosen is not CaseAction.CONCLUDE:
        raise InputError(f"a finding is recorded by conclude, not by {chosen}", source="finding")
    with store.transaction(by=by) as batch:
        case = case_in_batch(batch, case_id)
        rule = transition_for(case.id, CaseState(case.state), chosen)
        check_may_take(case.id, rule, by, case.filed_for_party)
        now = _now()
        new_finding = None
        if chosen is CaseAction.CONCLUDE:
            if finding is None:
                raise InputError(
                    f"concluding case {case.id} takes a finding: confirmed, not-confirmed or "
                    "inconclusive, with a rationale",
                    source="finding",
                )
            new_finding = _finding_row(finding, case, by, now)
        move_case(batch, case, rule.target.value)
        insert_transition(
            batch,
            case.id,
            action=chosen.value,
            from_state=case.state,
            to_state=rule.target.value,
            at=now,
            note=note,
        )
        if new_finding is not None:
            insert_finding(batch, case.id, new_finding)
    return get_case(store, case_id, viewer=by)


def add_task(
    store: Store,
    case_id: int,
    *,
    title: str,
    by: Principal,
    assigned_to: str | None = None,
    due: dt.date | None = None,
) -> InvestigationTask:
    """Add an open investigation task to a case that is investigating (chair or monitor)."""
    title = _text(title, "title", MAX_TITLE)
    assigned_to = _optional_text(assigned_to, "assigned_to", MAX_NAME)
    _check_investigator(by, "add investigation tasks")
    with store.transaction(by=by) as batch:
        case = _investigating_case(batch, case_id, "add a task to")
        row = insert_task(
            batch,
            case.id,
            title=title,
            assigned_to=assigned_to,
            due=due,
            status=TaskStatus.OPEN.value,
            at=_now(),
        )
    return task_of(row)


def complete_task(
    store: Store,
    task_id: int,
    *,
    by: Principal,
    status: TaskStatus | str = TaskStatus.DONE,
    note: str | None = None,
) -> InvestigationTask:
    """Close an open task as done or cancelled (chair or monitor, while its case is
    investigating); ConflictError if it is closed already."""
    try:
        closing = TaskStatus(status)
    except ValueError:
        closing = TaskStatus.OPEN
    if closing is TaskStatus.OPEN:
        raise InputError(f"a task is closed as done or cancelled, not {status}", source="status")
    note = _optional_text(note, "note", MAX_TEXT)
    _check_investigator(by, "close investigation tasks")
    with store.transaction(by=by) as batch:
        task = task_in_batch(batch, task_id)
        _investigating_case(batch, task.case_id, "close a task of")
        if task.status != TaskStatus.OPEN.value:
            raise ConflictError(f"task {task.id} is {task.status} already")
        row = finish_task(batch, task, status=closing.value, at=_now(), note=note)
    return task_of(row)


def add_visit_report(
    store: Store,
    case_id: int,
    *,
    visited_on: dt.date,
    place: str,
    text: str,
    by: Principal,
    task_id: int | None = None,
) -> VisitReport:
    """Record a visit to a place for a case that is investigating (chair or monitor),
    optionally for one of its tasks."""
    place = _text(place, "place", MAX_TITLE)
    text = _text(text, "text", MAX_TEXT)
    if visited_on > _now().date():
        raise InputError(f"{visited_on} is in the future", source="visited_on")
    _check_investigator(by, "record visit reports")
    with store.transaction(by=by) as batch:
        case = _investigating_case(batch, case_id, "record a visit for")
        if task_id is not None and task_in_batch(batch, task_id).case_id != case.id:
            raise InputError(f"task {task_id} is not a task of case {case.id}", source="task_id")
        return insert_visit_report(
            batch,
            case.id,
            task_id=task_id,
            visited_on=visited_on,
            place=place,
            text=text,
            at=_now(),
        )


def link_incidents(
    store: Store,
    case_id: int,
    incident_ids: Collection[int],
    *,
    by: Principal,
    note: str | None = None,
) -> list[int]:
    """Link incidents to an open case; the ids newly linked (linking again changes nothing).
    NotFoundError (nothing linked) naming incidents `by` may not see."""
    note = _optional_text(note, "note", MAX_TEXT)
    with store.transaction(by=by) as batch:
        case = _linkable_case(batch, case_id, by)
        return link_incident_rows(batch, case.id, incident_ids, at=_now(), note=note)


def link_evidence(
    store: Store,
    case_id: int,
    evidence_ids: Collection[int],
    *,
    by: Principal,
    note: str | None = None,
) -> list[int]:
    """Link evidence files to an open case; the ids newly linked (linking again changes
    nothing). NotFoundError (nothing linked) naming evidence `by` may not see."""
    note = _optional_text(note, "note", MAX_TEXT)
    with store.transaction(by=by) as batch:
        case = _linkable_case(batch, case_id, by)
        return link_evidence_rows(batch, case.id, evidence_ids, at=_now(), note=note)


# --- rules ----------------------------------------------------------------------------------


def _writes(by: Principal) -> bool:
    return by.system or Scope.WRITE in by.scopes


def _is_chair(by: Principal) -> bool:
    return by.system or by.role is Role.CHAIR


def _check_may_file(by: Principal, party: str | None, classification: Classification) -> str | None:
    """The party the allegation is filed for; PermissionDeniedError unless `by` may file it."""
    if not _writes(by):
        raise PermissionDeniedError(f"{by.name} may not file allegations with read access only")
    if _is_chair(by):
        by.check_may_create(classification, party)
        return party
    if by.role is not Role.DELEGATE:
        raise PermissionDeniedError(
            f"{by.name} ({by.role}) may not file allegations: a delegation or the chair does"
        )
    if party is not None and party != by.party:
        raise PermissionDeniedError(
            f"{by.name} is a delegate of {by.party} and may not file for {party}"
        )
    if classification not in (Classification.RESTRICTED, Classification.COMMITTEE):
        raise PermissionDeniedError(
            f"{by.name}: a delegation files allegations restricted to its party or shared "
            f"with the committee, not {classification}"
        )
    by.check_may_create(classification, by.party)
    return by.party


def _check_investigator(by: Principal, what: str) -> None:
    if not _writes(by) or not (_is_chair(by) or by.role is Role.MONITOR):
        raise PermissionDeniedError(
            f"{by.name} ({by.role}) may not {what}: the chair or a monitor does"
        )


def _investigating_case(batch: Batch, case_id: int, what: str) -> CaseRow:
    case = case_in_batch(batch, case_id)
    if case.state != CaseState.INVESTIGATING.value:
        raise ConflictError(
            f"case {case.id} is {case.state}: one can {what} a case only while it is "
            f"{CaseState.INVESTIGATING}"
        )
    batch.by.check_may_create(case.classification, case.owner_party)
    return case


def _linkable_case(batch: Batch, case_id: int, by: Principal) -> CaseRow:
    case = case_in_batch(batch, case_id)
    filing_delegate = (
        by.role is Role.DELEGATE
        and case.filed_for_party is not None
        and by.party == case.filed_for_party
    )
    if not _writes(by) or not (_is_chair(by) or by.role is Role.MONITOR or filing_delegate):
        raise PermissionDeniedError(
            f"{by.name} ({by.role}) may not link records to case {case.id}: the chair, a "
            "monitor or the filing party's delegation does"
        )
    if CaseState(case.state) not in OPEN_STATES:
        raise ConflictError(
            f"case {case.id} is {case.state}: incidents and evidence are linked to a case "
            "while it is filed or investigating"
        )
    by.check_may_create(case.classification, case.owner_party)
    return case


def _finding_row(
    finding: NewFinding, case: CaseRow, by: Principal, now: dt.datetime
) -> NewFindingRow:
    try:
        outcome = FindingOutcome(finding.outcome)
    except ValueError:
        choices = ", ".join(FindingOutcome)
        raise InputError(
            f"{finding.outcome!r} is not an outcome; one of {choices}", source="finding.outcome"
        ) from None
    clause = _optional_text(finding.clause_id, "finding.clause_id", MAX_NAME) or case.clause_id
    party = (
        _optional_text(finding.attributed_party, "finding.attributed_party", MAX_NAME)
        or case.accused_party
    )
    if outcome is FindingOutcome.CONFIRMED and (clause is None or party is None):
        raise InputError(
            "a confirmed violation names the clause broken and the party it is attributed to",
            source="finding",
        )
    classification = Classification(finding.classification)
    owner = _optional_text(finding.owner_party, "finding.owner_party", MAX_NAME)
    by.check_may_create(classification, owner)
    return NewFindingRow(
        outcome=outcome.value,
        clause_id=clause,
        attributed_party=party,
        rationale=_text(finding.rationale, "finding.rationale", MAX_TEXT),
        decided_at=now,
        classification=classification,
        owner_party=owner,
    )


# --- checking arguments ---------------------------------------------------------------------


def _action(action: CaseAction | str) -> CaseAction:
    try:
        return CaseAction(action)
    except ValueError:
        choices = ", ".join(CaseAction)
        raise InputError(
            f"{action!r} is not a case action; one of {choices}", source="action"
        ) from None


def _text(value: str, field: str, limit: int) -> str:
    text = value.strip()
    if not text:
        raise InputError("must not be empty", source=field)
    if len(text) > limit:
        raise InputError(f"is longer than {limit} characters", source=field)
    return text


def _optional_text(value: str | None, field: str, limit: int) -> str | None:
    if value is None or not value.strip():
        return None
    return _text(value, field, limit)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
