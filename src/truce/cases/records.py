"""What the case functions take and give back: a new allegation and a new finding in; a case
as a viewer sees it (its history, investigation, links and findings) out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import TypedDict

from truce.cases.states import OPEN_STATES, CaseAction, CaseState
from truce.core.access import Classification
from truce.store.cases import (
    CaseListing,
    CaseRecord,
    CaseRow,
    FindingRow,
    TaskRow,
    TransitionRow,
)
from truce.store.cases import EvidenceLinkRow as CaseEvidence
from truce.store.cases import IncidentLinkRow as CaseIncident
from truce.store.cases import VisitReportRow as VisitReport

__all__ = [
    "FILE_ACTION",
    "CaseEvidence",
    "CaseIncident",
    "CasePage",
    "CaseSummary",
    "CaseTransition",
    "CaseView",
    "Finding",
    "FindingOutcome",
    "FindingRecord",
    "InvestigationTask",
    "NewAllegation",
    "NewFinding",
    "TaskStatus",
    "VisitReport",
]

#: the action of a case's first history entry, its filing (not a transition between states)
FILE_ACTION = "file"


class FindingOutcome(StrEnum):
    CONFIRMED = "confirmed"  # a violation, of the clause, by the attributed party
    NOT_CONFIRMED = "not-confirmed"
    INCONCLUSIVE = "inconclusive"


class TaskStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class NewAllegation:
    """An allegation to file. A delegate files for its own party (`filed_for_party` is then
    that party, given or not), restricted to it or shared with the committee; the chair may
    open a case of any classification, for a party or for none (then restricted is the
    chair's alone). The incidents and evidence given are linked as it is filed."""

    title: str
    summary: str | None = None
    filed_for_party: str | None = None
    accused_party: str | None = None
    clause_id: str | None = None  # the clause alleged broken, e.g. "coh-2024-02"
    deadline: dt.date | None = None  # by when a finding is due; none: never overdue
    classification: Classification = Classification.RESTRICTED
    incident_ids: tuple[int, ...] = ()
    evidence_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class NewFinding:
    """A finding to record as a case is concluded. The clause and the attributed party
    default to the case's; a confirmed violation must have both. `classification` and
    `owner_party` say who it is shared with: public, everyone; committee, every delegation;
    restricted, the owner party and the chair (the chair alone with no owner party)."""

    outcome: FindingOutcome
    rationale: str
    clause_id: str | None = None
    attributed_party: str | None = None
    classification: Classification = Classification.COMMITTEE
    owner_party: str | None = None


@dataclass(frozen=True)
class CaseTransition:
    """One entry of a case's history: `action` is a CaseAction, or FILE_ACTION for the
    filing (from no state to filed)."""

    id: int
    action: str
    from_state: CaseState | None
    to_state: CaseState
    by: str
    at: dt.datetime
    note: str | None


@dataclass(frozen=True)
class InvestigationTask:
    id: int
    case_id: int
    title: str
    assigned_to: str | None
    due: dt.date | None
    status: TaskStatus
    created_by: str
    created_at: dt.datetime
    completed_by: str | None
    completed_at: dt.datetime | None
    note: str | None  # said when it was done or cancelled


@dataclass(frozen=True)
class Finding:
    id: int
    case_id: int
    outcome: FindingOutcome
    clause_id: str | None
    attributed_party: str | None
    rationale: str
    decided_by: str
    decided_at: dt.datetime
    classification: Classification  # who it is shared with
    owner_party: str | None
    superseded_at: dt.datetime | None  # the case was concluded again: kept, not current
    superseded_by: int | None

    @property
    def current(self) -> bool:
        return self.superseded_at is None


@dataclass(frozen=True)
class CaseSummary:
    """A case as a list shows it, for one viewer: the incidents linked to it and its
    current finding, of those the viewer may see."""

    id: int
    title: str
    summary: str | None
    state: CaseState
    filed_by: str
    filed_for_party: str | None
    accused_party: str | None
    clause_id: str | None
    deadline: dt.date | None
    opened_at: dt.datetime
    classification: Classification
    owner_party: str | None
    overdue: bool  # still open and past its deadline
    incident_ids: tuple[int, ...]
    finding: Finding | None


@dataclass(frozen=True)
class CaseView(CaseSummary):
    """A case with its history (oldest first), investigation, the evidence and incidents
    linked to it and the findings (oldest first; superseded ones kept) the viewer may see,
    and the actions the viewer may take on it now."""

    transitions: tuple[CaseTransition, ...]
    tasks: tuple[InvestigationTask, ...]
    visit_reports: tuple[VisitReport, ...]
    evidence: tuple[CaseEvidence, ...]
    incidents: tuple[CaseIncident, ...]
    findings: tuple[Finding, ...]
    actions: tuple[CaseAction, ...]


@dataclass(frozen=True)
class CasePage:
    items: list[CaseSummary]
    total: int
    limit: int
    offset: int


@dataclass(frozen=True)
class FindingRecord:
    """A current finding for the counts: the case it concludes and the incidents that case
    links (those the viewer may see)."""

    finding: Finding
    case_id: int
    incident_ids: tuple[int, ...]


# --- from the store's rows ------------------------------------------------------------------


def finding_of(row: FindingRow) -> Finding:
    return Finding(
        id=row.id,
        case_id=row.case_id,
        outcome=FindingOutcome(row.outcome),
        clause_id=row.clause_id,
        attributed_party=row.attributed_party,
        rationale=row.rationale,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        classification=row.classification,
        owner_party=row.owner_party,
        superseded_at=row.superseded_at,
        superseded_by=row.superseded_by,
    )


def task_of(row: TaskRow) -> InvestigationTask:
    return InvestigationTask(
        id=row.id,
        case_id=row.case_id,
        title=row.title,
        assigned_to=row.assigned_to,
        due=row.due,
        status=TaskStatus(row.status),
        created_by=row.created_by,
        created_at=row.created_at,
        completed_by=row.completed_by,
        completed_at=row.completed_at,
        note=row.note,
    )


def transition_of(row: TransitionRow) -> CaseTransition:
    return CaseTransition(
        id=row.id,
        action=row.action,
        from_state=None if row.from_state is None else CaseState(row.from_state),
        to_state=CaseState(row.to_state),
        by=row.by,
        at=row.at,
        note=row.note,
    )


def is_overdue(case: CaseRow, today: dt.date) -> bool:
    return (
        CaseState(case.state) in OPEN_STATES and case.deadline is not None and case.deadline < today
    )


def summary_of(listing: CaseListing, today: dt.date) -> CaseSummary:
    case = listing.case
    return CaseSummary(
        **_case_fields(case),
        overdue=is_overdue(case, today),
        incident_ids=listing.incident_ids,
        finding=None if listing.finding is None else finding_of(listing.finding),
    )


def view_of(record: CaseRecord, today: dt.date, actions: tuple[CaseAction, ...]) -> CaseView:
    case = record.case
    found = tuple(finding_of(row) for row in record.findings)
    return CaseView(
        **_case_fields(case),
        overdue=is_overdue(case, today),
        incident_ids=tuple(link.incident_id for link in record.incidents),
        finding=next((finding for finding in found if finding.current), None),
        transitions=tuple(transition_of(row) for row in record.transitions),
        tasks=tuple(task_of(row) for row in record.tasks),
        visit_reports=record.visit_reports,
        evidence=record.evidence,
        incidents=record.incidents,
        findings=found,
        actions=actions,
    )


class _CaseFields(TypedDict):
    id: int
    title: str
    summary: str | None
    state: CaseState
    filed_by: str
    filed_for_party: str | None
    accused_party: str | None
    clause_id: str | None
    deadline: dt.date | None
    opened_at: dt.datetime
    classification: Classification
    owner_party: str | None


def _case_fields(case: CaseRow) -> _CaseFields:
    return {
        "id": case.id,
        "title": case.title,
        "summary": case.summary,
        "state": CaseState(case.state),
        "filed_by": case.filed_by,
        "filed_for_party": case.filed_for_party,
        "accused_party": case.accused_party,
        "clause_id": case.clause_id,
        "deadline": case.deadline,
        "opened_at": case.opened_at,
        "classification": case.classification,
        "owner_party": case.owner_party,
    }
