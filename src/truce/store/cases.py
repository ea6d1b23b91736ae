"""Cases and their parts: every query of the case tables (the rules are `truce.cases`').

A case is a classified record (`cases` has an owner party and a classification); its
transitions, tasks and visit reports are seen with it. What a case links to keeps its own
visibility: a viewer is shown the linked evidence it may see (`visible_to(evidence_files)`),
the linked incidents it may see (`store.incidents.visible_incident_ids`), and the findings it
may see (`findings` are classified apart from their case: who a finding is shared with).

Reads take the Store and open their own read transaction, or, inside a write, the Batch;
writes take the Batch and record one audit entry for every row written or changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, RowMapping

from truce.core.access import Classification, Principal
from truce.core.audit import content_hash
from truce.core.errors import ConflictError, NotFoundError
from truce.store.access import visible_to
from truce.store.incidents import visible_incident_ids
from truce.store.schema import (
    case_evidence,
    case_incidents,
    case_transitions,
    cases,
    evidence_files,
    findings,
    investigation_tasks,
    visit_reports,
)
from truce.store.store import MAX_ID, Batch, Store

# --- rows -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseRow:
    """A `cases` row as stored (its state as text: `truce.cases` gives it meaning)."""

    id: int
    title: str
    summary: str | None
    state: str
    filed_by: str
    filed_for_party: str | None
    accused_party: str | None
    clause_id: str | None
    deadline: dt.date | None
    opened_at: dt.datetime
    classification: Classification
    owner_party: str | None


@dataclass(frozen=True)
class TransitionRow:
    id: int
    case_id: int
    action: str
    from_state: str | None  # none for the filing
    to_state: str
    by: str
    at: dt.datetime
    note: str | None


@dataclass(frozen=True)
class TaskRow:
    id: int
    case_id: int
    title: str
    assigned_to: str | None
    due: dt.date | None
    status: str
    created_by: str
    created_at: dt.datetime
    completed_by: str | None
    completed_at: dt.datetime | None
    note: str | None


@dataclass(frozen=True)
class VisitReportRow:
    id: int
    case_id: int
    task_id: int | None
    visited_on: dt.date
    place: str
    text: str
    by: str
    at: dt.datetime


@dataclass(frozen=True)
class EvidenceLinkRow:
    id: int
    case_id: int
    evidence_id: int
    added_by: str
    added_at: dt.datetime
    note: str | None


@dataclass(frozen=True)
class IncidentLinkRow:
    id: int
    case_id: int
    incident_id: int
    added_by: str
    added_at: dt.datetime
    note: str | None


@dataclass(frozen=True)
class FindingRow:
    id: int
    case_id: int
    outcome: str
    clause_id: str | None
    attributed_party: str | None
    rationale: str
    decided_by: str
    decided_at: dt.datetime
    superseded_at: dt.datetime | None
    superseded_by: int | None
    classification: Classification
    owner_party: str | None


@dataclass(frozen=True)
class CaseRecord:
    """A case with every part of it the viewer may see, read in one transaction."""

    case: CaseRow
    transitions: tuple[TransitionRow, ...]
    tasks: tuple[TaskRow, ...]
    visit_reports: tuple[VisitReportRow, ...]
    evidence: tuple[EvidenceLinkRow, ...]
    incidents: tuple[IncidentLinkRow, ...]
    findings: tuple[FindingRow, ...]  # oldest first


@dataclass(frozen=True)
class CaseListing:
    """A case as a list shows it: the incidents linked to it and its current finding, of
    those the viewer may see."""

    case: CaseRow
    incident_ids: tuple[int, ...]
    finding: FindingRow | None


@dataclass(frozen=True)
class CaseFilter:
    """Which cases a list holds. `overdue` (with `open_states` and `today`): True, only open
    cases whose deadline is before `today`; False, only the others; None, all."""

    today: dt.date
    open_states: frozenset[str]
    state: str | None = None
    overdue: bool | None = None
    incident_id: int | None = None
    limit: int = 50
    offset: int = 0


@dataclass(frozen=True)
class NewCase:
    """The values of a new `cases` row."""

    title: str
    summary: str | None
    state: str
    filed_for_party: str | None
    accused_party: str | None
    clause_id: str | None
    deadline: dt.date | None
    opened_at: dt.datetime
    classification: Classification
    owner_party: str | None


@dataclass(frozen=True)
class NewFindingRow:
    """The values of a new `findings` row."""

    outcome: str
    clause_id: str | None
    attributed_party: str | None
    rationale: str
    decided_at: dt.datetime
    classification: Classification
    owner_party: str | None


# --- reading --------------------------------------------------------------------------------


def read_case(store: Store, case_id: int, *, viewer: Principal) -> CaseRecord:
    """Case `case_id` with its history, tasks, visit reports, and the evidence, incidents and
    findings `viewer` may see; NotFoundError if there is none or `viewer` may not see it."""
    with store.reading("reading a case") as connection:
        case = _case_where(connection, case_id, viewer)
        if case is None:
            raise NotFoundError(f"no case with id {case_id}")
        ids = [case_id]
        incident_links = _rows_of(connection, case_incidents, ids, IncidentLinkRow)
        shown = visible_incident_ids(
            connection, [link.incident_id for link in incident_links], viewer
        )
        evidence = (
            sa.select(case_evidence)
            .join(evidence_files, evidence_files.c.id == case_evidence.c.evidence_id)
            .where(case_evidence.c.case_id == case_id, visible_to(evidence_files, viewer))
            .order_by(case_evidence.c.id)
        )
        return CaseRecord(
            case=case,
            transitions=tuple(_rows_of(connection, case_transitions, ids, TransitionRow)),
            tasks=tuple(_rows_of(connection, investigation_tasks, ids, TaskRow)),
            visit_reports=tuple(_rows_of(connection, visit_reports, ids, VisitReportRow)),
            evidence=tuple(
                EvidenceLinkRow(**row) for row in connection.execute(evidence).mappings()
            ),
            incidents=tuple(link for link in incident_links if link.incident_id in shown),
            findings=tuple(_findings(connection, viewer, findings.c.case_id == case_id)),
        )


def read_case_page(
    store: Store, case_filter: CaseFilter, *, viewer: Principal
) -> tuple[list[CaseListing], int]:
    """One page of the cases `viewer` may see that pass `case_filter`, the last opened
    first, and how many pass it in all."""
    conditions: list[sa.ColumnElement[bool]] = [visible_to(cases, viewer)]
    if case_filter.state is not None:
        conditions.append(cases.c.state == case_filter.state)
    overdue = sa.and_(
        cases.c.state.in_(sorted(case_filter.open_states)),
        cases.c.deadline.is_not(None),
        cases.c.deadline < case_filter.today,
    )
    if case_filter.overdue is True:
        conditions.append(overdue)
    elif case_filter.overdue is False:
        conditions.append(sa.not_(overdue))
    with store.reading("listing cases") as connection:
        if case_filter.incident_id is not None:
            incident_id = case_filter.incident_id
            if not _possible_id(incident_id) or not visible_incident_ids(
                connection, [incident_id], viewer
            ):
                return [], 0  # an incident the viewer may not see has no cases to show
            linked = sa.select(case_incidents.c.case_id).where(
                case_incidents.c.incident_id == incident_id
            )
            conditions.append(cases.c.id.in_(linked))
        total = connection.execute(
            sa.select(sa.func.count()).select_from(cases).where(*conditions)
        ).scalar_one()
        statement = (
            sa.select(cases)
            .where(*conditions)
            .order_by(cases.c.opened_at.desc(), cases.c.id.desc())
            .limit(case_filter.limit)
            .offset(case_filter.offset)
        )
        rows = [_case(row) for row in connection.execute(statement).mappings()]
        ids = [row.id for row in rows]
        incidents = _visible_incidents_of(connection, ids, viewer)
        current = {
            finding.case_id: finding
            for finding in _findings(
                connection,
                viewer,
                findings.c.case_id.in_(ids),
                findings.c.superseded_at.is_(None),
            )
        }
    listings = [
        CaseListing(case=row, incident_ids=incidents.get(row.id, ()), finding=current.get(row.id))
        for row in rows
    ]
    return listings, total


def read_current_findings(
    store: Store, *, viewer: Principal
) -> list[tuple[FindingRow, tuple[int, ...]]]:
    """Every current (not superseded) finding `viewer` may see, oldest first, with the ids of
    the incidents its case links that `viewer` may see. A finding shared more widely than its
    case is seen without the case: what was decided is published, the allegation need not be."""
    with store.reading("reading findings") as connection:
        rows = _findings(connection, viewer, findings.c.superseded_at.is_(None))
        incidents = _visible_incidents_of(connection, sorted({row.case_id for row in rows}), viewer)
    return [(row, incidents.get(row.case_id, ())) for row in rows]


# --- reading inside a write -----------------------------------------------------------------


def case_in_batch(batch: Batch, case_id: int) -> CaseRow:
    """Case `case_id` as the batch's principal sees it, read inside the batch's transaction;
    NotFoundError if absent or not visible to them."""
    case = _case_where(batch.connection, case_id, batch.by)
    if case is None:
        raise NotFoundError(f"no case with id {case_id}")
    return case


def task_in_batch(batch: Batch, task_id: int) -> TaskRow:
    """Task `task_id`, if its case is visible to the batch's principal; else NotFoundError."""
    row = None
    if _possible_id(task_id):
        row = (
            batch.connection.execute(
                sa.select(investigation_tasks)
                .join(cases, cases.c.id == investigation_tasks.c.case_id)
                .where(investigation_tasks.c.id == task_id, visible_to(cases, batch.by))
            )
            .mappings()
            .first()
        )
    if row is None:
        raise NotFoundError(f"no investigation task with id {task_id}")
    return TaskRow(**row)


# --- writing (inside a Batch) ---------------------------------------------------------------


def insert_case(batch: Batch, new: NewCase) -> int:
    """Insert a case filed by the batch's principal, recording `case.file`; its id."""
    values: dict[str, Any] = {
        "title": new.title,
        "summary": new.summary,
        "state": new.state,
        "filed_by": batch.by.name,
        "filed_for_party": new.filed_for_party,
        "accused_party": new.accused_party,
        "clause_id": new.clause_id,
        "deadline": new.deadline,
        "opened_at": new.opened_at,
        "classification": new.classification.value,
        "owner_party": new.owner_party,
    }
    case_id: int = batch.connection.execute(
        sa.insert(cases).values(values).returning(cases.c.id)
    ).scalar_one()
    batch.audit.record("case.file", cases.name, case_id, content_hash(values))
    return case_id


def move_case(batch: Batch, case: CaseRow, to_state: str) -> None:
    """Set the case's state, if it is still the one read (ConflictError if another writer
    moved it meanwhile), recording `case.state`."""
    changed = batch.connection.execute(
        sa.update(cases)
        .where(cases.c.id == case.id, cases.c.state == case.state)
        .values(state=to_state)
    ).rowcount
    if changed != 1:
        raise ConflictError(f"case {case.id} changed while it was being moved; try again")
    values = {**_case_values(case), "state": to_state}
    batch.audit.record(
        "case.state",
        cases.name,
        case.id,
        content_hash(values),
        {"state": {"was": case.state, "now": to_state}},
    )


def insert_transition(
    batch: Batch,
    case_id: int,
    *,
    action: str,
    from_state: str | None,
    to_state: str,
    at: dt.datetime,
    note: str | None,
) -> TransitionRow:
    """Record a transition made by the batch's principal, and its `case.transition` entry
    (whose detail names the case, the states and who)."""
    values: dict[str, Any] = {
        "case_id": case_id,
        "action": action,
        "from_state": from_state,
        "to_state": to_state,
        "by": batch.by.name,
        "at": at,
        "note": note,
    }
    transition_id = _insert(batch, case_transitions, values)
    batch.audit.record(
        "case.transition",
        case_transitions.name,
        transition_id,
        content_hash(values),
        {
            "case": case_id,
            "action": action,
            "from": from_state,
            "to": to_state,
            "by": batch.by.name,
        },
    )
    return TransitionRow(id=transition_id, **values)


def insert_task(
    batch: Batch,
    case_id: int,
    *,
    title: str,
    assigned_to: str | None,
    due: dt.date | None,
    status: str,
    at: dt.datetime,
) -> TaskRow:
    values: dict[str, Any] = {
        "case_id": case_id,
        "title": title,
        "assigned_to": assigned_to,
        "due": due,
        "status": status,
        "created_by": batch.by.name,
        "created_at": at,
        "completed_by": None,
        "completed_at": None,
        "note": None,
    }
    task_id = _insert(batch, investigation_tasks, values)
    batch.audit.record(
        "case.task.add", investigation_tasks.name, task_id, content_hash(values), {"case": case_id}
    )
    return TaskRow(id=task_id, **values)


def finish_task(
    batch: Batch, task: TaskRow, *, status: str, at: dt.datetime, note: str | None
) -> TaskRow:
    """Close a task (done or cancelled), if it is still as read; ConflictError if not."""
    changes = {"status": status, "completed_by": batch.by.name, "completed_at": at, "note": note}
    changed = batch.connection.execute(
        sa.update(investigation_tasks)
        .where(investigation_tasks.c.id == task.id, investigation_tasks.c.status == task.status)
        .values(changes)
    ).rowcount
    if changed != 1:
        raise ConflictError(f"task {task.id} changed while it was being closed; try again")
    values = {name: getattr(task, name) for name in _TASK_FIELDS} | changes
    batch.audit.record(
        "case.task.finish",
        investigation_tasks.name,
        task.id,
        content_hash(values),
        {"case": task.case_id, "status": {"was": task.status, "now": status}},
    )
    return TaskRow(id=task.id, **values)


def insert_visit_report(
    batch: Batch,
    case_id: int,
    *,
    task_id: int | None,
    visited_on: dt.date,
    place: str,
    text: str,
    at: dt.datetime,
) -> VisitReportRow:
    values: dict[str, Any] = {
        "case_id": case_id,
        "task_id": task_id,
        "visited_on": visited_on,
        "place": place,
        "text": text,
        "by": batch.by.name,
        "at": at,
    }
    report_id = _insert(batch, visit_reports, values)
    batch.audit.record(
        "case.visit.add", visit_reports.name, report_id, content_hash(values), {"case": case_id}
    )
    return VisitReportRow(id=report_id, **values)


def link_evidence_rows(
    batch: Batch, case_id: int, evidence_ids: Collection[int], *, at: dt.datetime, note: str | None
) -> list[int]:
    """Link evidence files to the case; the ids newly linked (one already linked is left as
    it is). NotFoundError naming the ids the batch's principal may not see, linking none."""
    wanted = sorted(set(evidence_ids))
    possible = [pk for pk in wanted if _possible_id(pk)]
    seen = set(
        batch.connection.execute(
            sa.select(evidence_files.c.id).where(
                evidence_files.c.id.in_(possible), visible_to(evidence_files, batch.by)
            )
        ).scalars()
    )
    _check_all_found("evidence", wanted, seen)
    return _link(batch, case_evidence, "evidence_id", case_id, wanted, at=at, note=note)


def link_incident_rows(
    batch: Batch, case_id: int, incident_ids: Collection[int], *, at: dt.datetime, note: str | None
) -> list[int]:
    """Link incidents to the case; the ids newly linked. NotFoundError naming the incidents
    the batch's principal may not see, linking none."""
    wanted = sorted(set(incident_ids))
    possible = [pk for pk in wanted if _possible_id(pk)]
    seen = visible_incident_ids(batch.connection, possible, batch.by) if possible else set()
    _check_all_found("incident", wanted, seen)
    return _link(batch, case_incidents, "incident_id", case_id, wanted, at=at, note=note)


def insert_finding(batch: Batch, case_id: int, new: NewFindingRow) -> FindingRow:
    """Record the case's finding by the batch's principal (`finding.add`); the current one,
    if any, is kept, marked superseded by it (`finding.supersede`)."""
    connection = batch.connection
    current = (
        connection.execute(
            sa.select(findings).where(
                findings.c.case_id == case_id, findings.c.superseded_at.is_(None)
            )
        )
        .mappings()
        .first()
    )
    if current is not None:
        # before the insert: at most one current finding per case (ix_findings_current)
        connection.execute(
            sa.update(findings)
            .where(findings.c.id == current["id"])
            .values(superseded_at=new.decided_at)
        )
    values: dict[str, Any] = {
        "case_id": case_id,
        "outcome": new.outcome,
        "clause_id": new.clause_id,
        "attributed_party": new.attributed_party,
        "rationale": new.rationale,
        "decided_by": batch.by.name,
        "decided_at": new.decided_at,
        "superseded_at": None,
        "superseded_by": None,
        "classification": new.classification.value,
        "owner_party": new.owner_party,
    }
    finding_id = _insert(batch, findings, values)
    batch.audit.record(
        "finding.add", findings.name, finding_id, content_hash(values), {"case": case_id}
    )
    if current is not None:
        connection.execute(
            sa.update(findings)
            .where(findings.c.id == current["id"])
            .values(superseded_by=finding_id)
        )
        old = {name: value for name, value in current.items() if name != "id"}
        old.update(superseded_at=new.decided_at, superseded_by=finding_id)
        batch.audit.record(
            "finding.supersede",
            findings.name,
            current["id"],
            content_hash(old),
            {"case": case_id, "superseded_by": finding_id},
        )
    return _finding({"id": finding_id, **values})


# --- helpers --------------------------------------------------------------------------------

_TASK_FIELDS = (
    "case_id",
    "title",
    "assigned_to",
    "due",
    "status",
    "created_by",
    "created_at",
    "completed_by",
    "completed_at",
    "note",
)

_Row = TypeVar("_Row")


def _case_where(connection: Connection, case_id: int, viewer: Principal) -> CaseRow | None:
    if not _possible_id(case_id):
        return None
    row = (
        connection.execute(sa.select(cases).where(cases.c.id == case_id, visible_to(cases, viewer)))
        .mappings()
        .first()
    )
    return None if row is None else _case(row)


def _case(row: RowMapping) -> CaseRow:
    values = dict(row)
    values["classification"] = Classification(values["classification"])
    return CaseRow(**values)


def _case_values(case: CaseRow) -> dict[str, Any]:
    """A case as insert_case hashed it (without its id)."""
    return {
        "title": case.title,
        "summary": case.summary,
        "state": case.state,
        "filed_by": case.filed_by,
        "filed_for_party": case.filed_for_party,
        "accused_party": case.accused_party,
        "clause_id": case.clause_id,
        "deadline": case.deadline,
        "opened_at": case.opened_at,
        "classification": case.classification.value,
        "owner_party": case.owner_party,
    }


def _finding(row: Mapping[str, Any] | RowMapping) -> FindingRow:
    values = dict(row)
    values["classification"] = Classification(values["classification"])
    return FindingRow(**values)


def _findings(
    connection: Connection, viewer: Principal, *conditions: sa.ColumnElement[bool]
) -> list[FindingRow]:
    statement = (
        sa.select(findings)
        .where(*conditions, visible_to(findings, viewer))
        .order_by(findings.c.decided_at, findings.c.id)
    )
    return [_finding(row) for row in connection.execute(statement).mappings()]


def _rows_of(
    connection: Connection, table: sa.Table, case_ids: Sequence[int], kind: type[_Row]
) -> list[_Row]:
    statement = sa.select(table).where(table.c.case_id.in_(case_ids)).order_by(table.c.id)
    return [kind(**row) for row in connection.execute(statement).mappings()]


def cases_of_incidents(
    connection: Connection, incident_ids: Sequence[int], viewer: Principal
) -> dict[int, tuple[int, ...]]:
    """The cases `viewer` may see that link each of `incident_ids`, by incident id."""
    if not incident_ids:
        return {}
    statement = (
        sa.select(case_incidents.c.incident_id, cases.c.id)
        .join(cases, cases.c.id == case_incidents.c.case_id)
        .where(case_incidents.c.incident_id.in_(incident_ids), visible_to(cases, viewer))
        .order_by(case_incidents.c.incident_id, cases.c.id)
    )
    by_incident: dict[int, list[int]] = {}
    for incident_id, case_id in connection.execute(statement):
        by_incident.setdefault(incident_id, []).append(case_id)
    return {incident_id: tuple(ids) for incident_id, ids in by_incident.items()}


def _visible_incidents_of(
    connection: Connection, case_ids: Sequence[int], viewer: Principal
) -> dict[int, tuple[int, ...]]:
    """The incidents each case links that `viewer` may see, by case id."""
    if not case_ids:
        return {}
    links = _rows_of(connection, case_incidents, case_ids, IncidentLinkRow)
    shown = visible_incident_ids(connection, sorted({link.incident_id for link in links}), viewer)
    by_case: dict[int, list[int]] = {}
    for link in links:
        if link.incident_id in shown:
            by_case.setdefault(link.case_id, []).append(link.incident_id)
    return {case_id: tuple(ids) for case_id, ids in by_case.items()}


def _insert(batch: Batch, table: sa.Table, values: Mapping[str, Any]) -> int:
    new_id: int = batch.connection.execute(
        sa.insert(table).values(dict(values)).returning(table.c.id)
    ).scalar_one()
    return new_id


def _link(
    batch: Batch,
    table: sa.Table,
    column: str,
    case_id: int,
    ids: Iterable[int],
    *,
    at: dt.datetime,
    note: str | None,
) -> list[int]:
    """Insert (case, id) link rows not there yet, each with its audit entry."""
    insert = postgresql.insert if batch.connection.dialect.name == "postgresql" else sqlite.insert
    linked = []
    for target in ids:
        values: dict[str, Any] = {
            "case_id": case_id,
            column: target,
            "added_by": batch.by.name,
            "added_at": at,
            "note": note,
        }
        link_id = batch.connection.execute(
            insert(table)
            .values(values)
            .on_conflict_do_nothing(index_elements=["case_id", column])
            .returning(table.c.id)
        ).scalar_one_or_none()
        if link_id is None:
            continue
        batch.audit.record(
            f"case.{column.removesuffix('_id')}.link",
            table.name,
            link_id,
            content_hash(values),
            {"case": case_id, column: target},
        )
        linked.append(target)
    return linked


def _check_all_found(kind: str, wanted: Sequence[int], seen: Collection[int]) -> None:
    missing = [pk for pk in wanted if pk not in seen]
    if missing:
        listed = ", ".join(str(pk) for pk in missing)
        raise NotFoundError(f"no {kind} with id {listed}")


def _possible_id(pk: int) -> bool:
    """Ids are positive 32-bit integers; asking PostgreSQL for others is an error, not a miss."""
    return 0 < pk <= MAX_ID
