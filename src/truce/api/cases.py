"""The ``/api/cases`` routes: allegations, their investigation, and findings (truce.cases).

A case the request's principal may not see is answered exactly like a missing one (404); of a
case it sees, it is shown only the incidents, evidence and findings it may see. Who may file,
move a case from state to state, add tasks and visit reports, and link records is decided by
``truce.cases`` (403 when not allowed, 409 when the case's state does not allow it); each route
parses its input, calls the library once and renders the case or the record written.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Final

from fastapi import APIRouter, Query, Request
from pydantic import Field

from truce.api.responses import next_page_url, not_found, router_errors, write_errors
from truce.api.schemas import MAX_LINKS, LinkIds, Note, RequestModel, ResponseModel
from truce.cases import (
    MAX_PAGE,
    CaseAction,
    CasePage,
    CaseState,
    CaseSummary,
    CaseView,
    FindingOutcome,
    InvestigationTask,
    NewAllegation,
    NewFinding,
    TaskStatus,
    VisitReport,
    add_task,
    add_visit_report,
    complete_task,
    file_allegation,
    get_case,
    link_evidence,
    link_incidents,
    list_cases,
    transition,
)
from truce.core.access import Classification
from truce.core.errors import NotFoundError
from truce.web.viewer import request_store, request_viewer

NO_CASE: Final = "No case this principal may see"
NOT_FOUND: Final = not_found(NO_CASE)
WRITE_ERRORS: Final = write_errors(missing=NO_CASE, conflict="The case's state does not allow this")

router = APIRouter(
    prefix="/api",
    tags=["cases"],
    responses=router_errors(),
)


# --- response models ----------------------------------------------------------------------


class FindingOut(ResponseModel):
    """A case's finding, shared on its own classification."""

    id: int
    case_id: int
    outcome: FindingOutcome
    clause_id: str | None
    attributed_party: str | None
    rationale: str
    decided_by: str
    decided_at: dt.datetime
    classification: Classification = Field(description="who the finding is shared with")
    owner_party: str | None
    superseded_at: dt.datetime | None = Field(description="set when the case was concluded again")
    superseded_by: int | None


class TransitionOut(ResponseModel):
    """One entry of a case's history; the filing is action 'file', from no state."""

    id: int
    action: str
    from_state: CaseState | None
    to_state: CaseState
    by: str
    at: dt.datetime
    note: str | None


class TaskOut(ResponseModel):
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
    note: str | None


class VisitReportOut(ResponseModel):
    id: int
    case_id: int
    task_id: int | None
    visited_on: dt.date
    place: str
    text: str
    by: str
    at: dt.datetime


class CaseEvidenceOut(ResponseModel):
    id: int
    case_id: int
    evidence_id: int
    added_by: str
    added_at: dt.datetime
    note: str | None


class CaseIncidentOut(ResponseModel):
    id: int
    case_id: int
    incident_id: int
    added_by: str
    added_at: dt.datetime
    note: str | None


class CaseSummaryOut(ResponseModel):
    """A case as a list shows it: its linked incidents and current finding that the viewer
    may see."""

    id: int
    title: str
    summary: str | None
    state: CaseState
    filed_by: str
    filed_for_party: str | None = Field(description="the complaining party; null: the chair's")
    accused_party: str | None
    clause_id: str | None = Field(description="the clause alleged broken")
    deadline: dt.date | None = Field(description="by when a finding is due")
    opened_at: dt.datetime
    classification: Classification
    owner_party: str | None
    overdue: bool = Field(description="still open and past its deadline")
    incident_ids: list[int]
    finding: FindingOut | None = Field(description="the current finding, if any")

    @classmethod
    def from_summary(cls, case: CaseSummary) -> CaseSummaryOut:
        return cls.model_validate(case)


class CaseOut(CaseSummaryOut):
    """A case with its history (oldest first), investigation, links, the findings (oldest
    first, superseded ones kept) the viewer may see, and the actions it may take now."""

    transitions: list[TransitionOut]
    tasks: list[TaskOut]
    visit_reports: list[VisitReportOut]
    evidence: list[CaseEvidenceOut]
    incidents: list[CaseIncidentOut]
    findings: list[FindingOut]
    actions: list[CaseAction] = Field(description="what the request's principal may do now")

    @classmethod
    def from_view(cls, case: CaseView) -> CaseOut:
        return cls.model_validate(case)


class CaseListOut(ResponseModel):
    """A page of cases, the last opened first."""

    items: list[CaseSummaryOut]
    total: int = Field(description="cases matching the filters, over all pages")
    limit: int
    offset: int
    next: str | None = Field(default=None, description="URL of the next page; null on the last")


class LinkedOut(ResponseModel):
    """The records a link request added to the case (those linked already are left out)."""

    case_id: int
    linked: list[int]


# --- request bodies -----------------------------------------------------------------------


class AllegationIn(RequestModel):
    """An allegation to file: a delegate for its own party (restricted to it, or committee),
    or the chair (any classification, for a party or none)."""

    title: str
    summary: str | None = None
    filed_for_party: str | None = None
    accused_party: str | None = None
    clause_id: str | None = Field(default=None, description="e.g. coh-2024-02")
    deadline: dt.date | None = None
    classification: Classification = Classification.RESTRICTED
    incident_ids: LinkIds = []  # noqa: RUF012 (a pydantic model: the default is copied)
    evidence_ids: LinkIds = []  # noqa: RUF012

    def allegation(self) -> NewAllegation:
        return NewAllegation(
            title=self.title,
            summary=self.summary,
            filed_for_party=self.filed_for_party,
            accused_party=self.accused_party,
            clause_id=self.clause_id,
            deadline=self.deadline,
            classification=self.classification,
            incident_ids=tuple(self.incident_ids),
            evidence_ids=tuple(self.evidence_ids),
        )


class FindingIn(RequestModel):
    """The finding recorded by `conclude`; clause and party default to the case's."""

    outcome: FindingOutcome
    rationale: str
    clause_id: str | None = None
    attributed_party: str | None = None
    classification: Classification = Field(
        default=Classification.COMMITTEE, description="who the finding is shared with"
    )
    owner_party: str | None = Field(default=None, description="for a restricted finding")

    def finding(self) -> NewFinding:
        return NewFinding(
            outcome=self.outcome,
            rationale=self.rationale,
            clause_id=self.clause_id,
            attributed_party=self.attributed_party,
            classification=self.classification,
            owner_party=self.owner_party,
        )


class TransitionIn(RequestModel):
    action: CaseAction
    note: Note = None
    finding: FindingIn | None = Field(default=None, description="required to conclude")


class TaskIn(RequestModel):
    title: str
    assigned_to: str | None = Field(default=None, description="a username")
    due: dt.date | None = None


class TaskDoneIn(RequestModel):
    status: TaskStatus = Field(default=TaskStatus.DONE, description="done or cancelled")
    note: Note = None


class VisitIn(RequestModel):
    visited_on: dt.date
    place: str
    text: str
    task_id: int | None = Field(default=None, description="the task the visit was for")


class LinkIncidentsIn(RequestModel):
    incident_ids: Annotated[list[int], Field(min_length=1, max_length=MAX_LINKS)]
    note: Note = None


class LinkEvidenceIn(RequestModel):
    evidence_ids: Annotated[list[int], Field(min_length=1, max_length=MAX_LINKS)]
    note: Note = None


# --- routes -------------------------------------------------------------------------------


def _page(request: Request, page: CasePage) -> CaseListOut:
    return CaseListOut(
        items=[CaseSummaryOut.from_summary(case) for case in page.items],
        total=page.total,
        limit=page.limit,
        offset=page.offset,
        next=next_page_url(request, page),
    )


@router.get("/cases", summary="Cases this principal may see, the last opened first")
def list_case_page(
    request: Request,
    state: Annotated[CaseState | None, Query(description="only cases in this state")] = None,
    overdue: Annotated[
        bool | None, Query(description="true: open and past the deadline; false: not")
    ] = None,
    incident_id: Annotated[int | None, Query(description="only cases linking it")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="page size")] = 50,
    offset: Annotated[int, Query(ge=0, description="cases to skip")] = 0,
) -> CaseListOut:
    page = list_cases(
        request_store(request),
        viewer=request_viewer(request),
        state=state,
        overdue=overdue,
        incident_id=incident_id,
        limit=limit,
        offset=offset,
    )
    return _page(request, page)


@router.post(
    "/cases",
    status_code=201,
    summary="File an allegation: a new case, filed, with the incidents and evidence it names",
    responses=WRITE_ERRORS,
)
def file_case(request: Request, body: AllegationIn) -> CaseOut:
    by = request_viewer(request)
    store = request_store(request)
    case_id = file_allegation(store, body.allegation(), by=by)
    return CaseOut.from_view(get_case(store, case_id, viewer=by))


@router.get(
    "/cases/{case_id}",
    summary="One case: its history, investigation, links and findings",
    responses=NOT_FOUND,
)
def get_one_case(request: Request, case_id: int) -> CaseOut:
    return CaseOut.from_view(
        get_case(request_store(request), case_id, viewer=request_viewer(request))
    )


@router.post(
    "/cases/{case_id}/transitions",
    summary="Move a case: investigate, withdraw, conclude (with a finding) or reopen",
    responses=WRITE_ERRORS,
)
def move_case(request: Request, case_id: int, body: TransitionIn) -> CaseOut:
    view = transition(
        request_store(request),
        case_id,
        body.action,
        by=request_viewer(request),
        note=body.note,
        finding=None if body.finding is None else body.finding.finding(),
    )
    return CaseOut.from_view(view)


@router.post(
    "/cases/{case_id}/tasks",
    status_code=201,
    summary="Add an investigation task to a case under investigation (chair, monitors)",
    responses=WRITE_ERRORS,
)
def add_case_task(request: Request, case_id: int, body: TaskIn) -> TaskOut:
    task = add_task(
        request_store(request),
        case_id,
        title=body.title,
        by=request_viewer(request),
        assigned_to=body.assigned_to,
        due=body.due,
    )
    return _task(task)


@router.post(
    "/cases/{case_id}/tasks/{task_id}/done",
    summary="Close an open task as done or cancelled (chair, monitors)",
    responses=WRITE_ERRORS,
)
def close_case_task(request: Request, case_id: int, task_id: int, body: TaskDoneIn) -> TaskOut:
    by = request_viewer(request)
    store = request_store(request)
    # the path names the case: a task of another case (or of one unseen) is not found here
    if task_id not in {task.id for task in get_case(store, case_id, viewer=by).tasks}:
        raise NotFoundError(f"case {case_id} has no task with id {task_id}")
    task = complete_task(store, task_id, by=by, status=body.status, note=body.note)
    return _task(task)


@router.post(
    "/cases/{case_id}/visits",
    status_code=201,
    summary="Record a visit report for a case under investigation (chair, monitors)",
    responses=WRITE_ERRORS,
)
def add_case_visit(request: Request, case_id: int, body: VisitIn) -> VisitReportOut:
    report = add_visit_report(
        request_store(request),
        case_id,
        visited_on=body.visited_on,
        place=body.place,
        text=body.text,
        by=request_viewer(request),
        task_id=body.task_id,
    )
    return _visit(report)


@router.post(
    "/cases/{case_id}/incidents",
    summary="Link incidents this principal may see to an open case",
    responses=WRITE_ERRORS,
)
def link_case_incidents(request: Request, case_id: int, body: LinkIncidentsIn) -> LinkedOut:
    linked = link_incidents(
        request_store(request),
        case_id,
        body.incident_ids,
        by=request_viewer(request),
        note=body.note,
    )
    return LinkedOut(case_id=case_id, linked=linked)


@router.post(
    "/cases/{case_id}/evidence",
    summary="Link evidence files this principal may see to an open case",
    responses=WRITE_ERRORS,
)
def link_case_evidence(request: Request, case_id: int, body: LinkEvidenceIn) -> LinkedOut:
    linked = link_evidence(
        request_store(request),
        case_id,
        body.evidence_ids,
        by=request_viewer(request),
        note=body.note,
    )
    return LinkedOut(case_id=case_id, linked=linked)


def _task(task: InvestigationTask) -> TaskOut:
    return TaskOut.model_validate(task)


def _visit(report: VisitReport) -> VisitReportOut:
    return VisitReportOut.model_validate(report)
