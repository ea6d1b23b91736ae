"""The ``/api/proposals``, ``/api/commitments`` and ``/api/committee/dashboard`` routes
(truce.committee.proposals, .commitments, .dashboard).

A proposal or commitment the request's principal may not see is answered exactly like a
missing one (404), and counted nowhere; the meetings and proposals a record names are shown
only to those who may see them. Who may make and move proposals, and record and close
commitments, is decided by the library (403 when not allowed, 409 when the record's status
does not allow it); each route parses its input, calls the library once and renders what it
returns.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import Field

from truce.api.responses import (
    NOT_FOUND,
    WRITE_ERRORS,
    next_page_url,
    router_errors,
)
from truce.api.schemas import Note, RequestModel, ResponseModel
from truce.committee.commitments import (
    Commitment,
    CommitmentPage,
    CommitmentStatus,
    NewCommitment,
    close_commitment,
    create_commitment,
    get_commitment,
    list_commitments,
)
from truce.committee.dashboard import committee_dashboard
from truce.committee.proposals import (
    MAX_PAGE,
    NewProposal,
    ProposalAction,
    ProposalKind,
    ProposalPage,
    ProposalStatus,
    ProposalView,
    change_proposal,
    create_proposal,
    get_proposal,
    list_proposals,
)
from truce.core.access import Classification, Track
from truce.web.viewer import request_store, request_viewer

router = APIRouter(
    prefix="/api",
    tags=["proposals and commitments"],
    responses=router_errors(),
)


# --- response models ----------------------------------------------------------------------


class MeetingRefOut(ResponseModel):
    """A meeting as a proposal or the dashboard names it."""

    id: int
    title: str
    starts_at: dt.datetime
    status: str = Field(description="scheduled, held or cancelled")
    place: str | None


class ProposalChangeOut(ResponseModel):
    """One entry of a proposal's history; its making is from no status to draft."""

    id: int
    from_status: ProposalStatus | None
    to_status: ProposalStatus
    meeting_id: int | None = Field(
        description="the meeting that handled it; null: none, or one not visible"
    )
    note: str | None
    by: str
    at: dt.datetime


class ProposalSummaryOut(ResponseModel):
    """A proposal as a list shows it."""

    id: int
    title: str
    summary: str | None
    kind: ProposalKind
    proposing_party: str | None = Field(description="null: the chair's own")
    track: Track | None
    status: ProposalStatus
    created_by: str
    created_at: dt.datetime
    classification: Classification
    owner_party: str | None
    meeting_ids: list[int] = Field(description="the meetings that handled it, in the order met")


class ProposalOut(ProposalSummaryOut):
    """A proposal with its history (oldest first), the meetings that handled it (in the order
    they met) and the actions the request's principal may take on it now."""

    history: list[ProposalChangeOut]
    meetings: list[MeetingRefOut]
    actions: list[ProposalAction]

    @classmethod
    def from_view(cls, view: ProposalView) -> ProposalOut:
        return cls.model_validate(view)


class ProposalListOut(ResponseModel):
    """A page of proposals, the last made first."""

    items: list[ProposalSummaryOut]
    total: int = Field(description="proposals matching the filters, over all pages")
    limit: int
    offset: int
    next: str | None = Field(default=None, description="URL of the next page; null on the last")


class CommitmentOut(ResponseModel):
    id: int
    title: str
    responsible_party: str | None = Field(description="null: the whole committee")
    deadline: dt.date | None
    status: CommitmentStatus
    overdue: bool = Field(description="open and past its deadline, on the day asked about")
    meeting_id: int | None = Field(description="where it was made; null if not visible")
    proposal_id: int | None = Field(description="the proposal it carries out; null if not visible")
    closed_by: str | None
    closed_at: dt.datetime | None
    close_note: str | None
    created_by: str
    created_at: dt.datetime
    classification: Classification
    owner_party: str | None
    actions: list[CommitmentStatus] = Field(
        description="the statuses the request's principal may close it to now"
    )

    @classmethod
    def from_commitment(cls, commitment: Commitment) -> CommitmentOut:
        return cls.model_validate(commitment)


class CommitmentListOut(ResponseModel):
    """A page of commitments, the soonest deadline first."""

    items: list[CommitmentOut]
    total: int
    limit: int
    offset: int
    next: str | None = Field(default=None, description="URL of the next page; null on the last")


class PartyCommitmentsOut(ResponseModel):
    party: str | None = Field(description="the responsible party; null: the whole committee")
    open: int
    overdue: int


class DashboardOut(ResponseModel):
    """What the committee's dashboard counts, of what the request's principal may see."""

    today: dt.date = Field(description="the day overdue is counted on")
    open_commitments: int
    overdue_commitments: int
    commitments_by_party: list[PartyCommitmentsOut]
    proposals_by_status: dict[ProposalStatus, int]
    next_meeting: MeetingRefOut | None = Field(
        description="the first meeting still scheduled on or after today"
    )


# --- request bodies -----------------------------------------------------------------------


class ProposalIn(RequestModel):
    """A proposal to make: a delegate for its own party, the chair for any or none."""

    title: str
    kind: ProposalKind
    summary: str | None = None
    proposing_party: str | None = None
    track: Track | None = None
    classification: Classification = Classification.COMMITTEE
    meeting_id: int | None = Field(default=None, description="the meeting it was made at")
    note: Note = None

    def proposal(self) -> NewProposal:
        return NewProposal(
            title=self.title,
            kind=self.kind,
            summary=self.summary,
            proposing_party=self.proposing_party,
            track=self.track,
            classification=self.classification,
            meeting_id=self.meeting_id,
            note=self.note,
        )


class ProposalTransitionIn(RequestModel):
    action: ProposalAction
    meeting_id: int | None = Field(default=None, description="the meeting that handled it")
    note: Note = None


class CommitmentIn(RequestModel):
    """A commitment to record: a delegate for its own party, the chair for any or the whole
    committee (no party)."""

    title: str
    responsible_party: str | None = None
    deadline: dt.date | None = None
    meeting_id: int | None = Field(default=None, description="the meeting where it was made")
    proposal_id: int | None = Field(default=None, description="the proposal it carries out")
    classification: Classification = Classification.COMMITTEE

    def commitment(self) -> NewCommitment:
        return NewCommitment(
            title=self.title,
            responsible_party=self.responsible_party,
            deadline=self.deadline,
            meeting_id=self.meeting_id,
            proposal_id=self.proposal_id,
            classification=self.classification,
        )


class CommitmentCloseIn(RequestModel):
    status: CommitmentStatus = Field(description="done or dropped")
    note: Note = None


Today = Annotated[
    dt.date | None, Query(description="the day to count overdue on (default: today, UTC)")
]


# --- routes -------------------------------------------------------------------------------


def _proposal_page(request: Request, page: ProposalPage) -> ProposalListOut:
    return ProposalListOut(
        items=[ProposalSummaryOut.model_validate(item) for item in page.items],
        total=page.total,
        limit=page.limit,
        offset=page.offset,
        next=next_page_url(request, page),
    )


def _commitment_page(request: Request, page: CommitmentPage) -> CommitmentListOut:
    return CommitmentListOut(
        items=[CommitmentOut.from_commitment(item) for item in page.items],
        total=page.total,
        limit=page.limit,
        offset=page.offset,
        next=next_page_url(request, page),
    )


@router.get("/proposals", summary="Proposals this principal may see, the last made first")
def list_proposal_page(
    request: Request,
    status: Annotated[ProposalStatus | None, Query(description="only in this status")] = None,
    kind: Annotated[ProposalKind | None, Query(description="only of this kind")] = None,
    party: Annotated[str | None, Query(description="only this party's")] = None,
    meeting_id: Annotated[int | None, Query(description="only those it handled")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="page size")] = 50,
    offset: Annotated[int, Query(ge=0, description="proposals to skip")] = 0,
) -> ProposalListOut:
    page = list_proposals(
        request_store(request),
        viewer=request_viewer(request),
        status=status,
        kind=kind,
        party=party,
        meeting_id=meeting_id,
        limit=limit,
        offset=offset,
    )
    return _proposal_page(request, page)


@router.post(
    "/proposals",
    status_code=201,
    summary="Make a proposal, in status draft",
    responses=WRITE_ERRORS,
)
def make_proposal(request: Request, body: ProposalIn) -> ProposalOut:
    view = create_proposal(request_store(request), body.proposal(), by=request_viewer(request))
    return ProposalOut.from_view(view)


@router.get(
    "/proposals/{proposal_id}",
    summary="One proposal: its history and the meetings that handled it",
    responses=NOT_FOUND,
)
def get_one_proposal(request: Request, proposal_id: int) -> ProposalOut:
    view = get_proposal(request_store(request), proposal_id, viewer=request_viewer(request))
    return ProposalOut.from_view(view)


@router.post(
    "/proposals/{proposal_id}/transitions",
    summary="Move a proposal: table, discuss, agree, reject or withdraw, at a meeting or not",
    responses=WRITE_ERRORS,
)
def move_proposal(request: Request, proposal_id: int, body: ProposalTransitionIn) -> ProposalOut:
    view = change_proposal(
        request_store(request),
        proposal_id,
        body.action,
        by=request_viewer(request),
        meeting_id=body.meeting_id,
        note=body.note,
    )
    return ProposalOut.from_view(view)


@router.get(
    "/commitments", summary="Commitments this principal may see, the soonest deadline first"
)
def list_commitment_page(
    request: Request,
    status: Annotated[CommitmentStatus | None, Query(description="only in this status")] = None,
    party: Annotated[str | None, Query(description="only this responsible party's")] = None,
    overdue: Annotated[
        bool | None, Query(description="true: open and past the deadline; false: not")
    ] = None,
    meeting_id: Annotated[int | None, Query(description="only those made at it")] = None,
    proposal_id: Annotated[int | None, Query(description="only those on it")] = None,
    today: Today = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="page size")] = 50,
    offset: Annotated[int, Query(ge=0, description="commitments to skip")] = 0,
) -> CommitmentListOut:
    page = list_commitments(
        request_store(request),
        viewer=request_viewer(request),
        status=status,
        party=party,
        overdue=overdue,
        meeting_id=meeting_id,
        proposal_id=proposal_id,
        limit=limit,
        offset=offset,
        today=today,
    )
    return _commitment_page(request, page)


@router.post(
    "/commitments",
    status_code=201,
    summary="Record a commitment, open",
    responses=WRITE_ERRORS,
)
def record_commitment(request: Request, body: CommitmentIn) -> CommitmentOut:
    made = create_commitment(request_store(request), body.commitment(), by=request_viewer(request))
    return CommitmentOut.from_commitment(made)


@router.get(
    "/commitments/{commitment_id}",
    summary="One commitment, overdue or not on the day asked about",
    responses=NOT_FOUND,
)
def get_one_commitment(request: Request, commitment_id: int, today: Today = None) -> CommitmentOut:
    commitment = get_commitment(
        request_store(request), commitment_id, viewer=request_viewer(request), today=today
    )
    return CommitmentOut.from_commitment(commitment)


@router.post(
    "/commitments/{commitment_id}/close",
    summary="Close an open commitment as done (the chair or the responsible party) or "
    "dropped (the chair)",
    responses=WRITE_ERRORS,
)
def close_one_commitment(
    request: Request, commitment_id: int, body: CommitmentCloseIn
) -> CommitmentOut:
    closed = close_commitment(
        request_store(request),
        commitment_id,
        body.status,
        by=request_viewer(request),
        note=body.note,
    )
    return CommitmentOut.from_commitment(closed)


@router.get(
    "/committee/dashboard",
    summary="Open and overdue commitments by party, proposals by status, the next meeting",
)
def dashboard(request: Request, today: Today = None) -> DashboardOut:
    counts = committee_dashboard(
        request_store(request), viewer=request_viewer(request), today=today
    )
    return DashboardOut.model_validate(counts)
