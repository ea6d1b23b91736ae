"""The ``/api/statements`` routes: joint statements (truce.committee.statements).

A statement the request's principal may not see is answered exactly like a missing one (404);
of one it sees, it is shown the versions, comments and approvals it may see (the public: a
published statement's issued text and hash alone). Who may draft, revise, comment, approve,
issue and publish is decided by ``truce.committee.statements`` (403 when not allowed, 409 when
the statement's status does not allow it, or when issuing lacks an approval); each route
parses its input, calls the library once and renders what it returns.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Final

from fastapi import APIRouter, Query, Request
from pydantic import Field

from truce.api.responses import (
    next_page_url,
    not_found,
    router_errors,
    write_errors,
)
from truce.api.schemas import RequestModel, ResponseModel
from truce.committee.statements import (
    MAX_PAGE,
    NewStatement,
    StatementAction,
    StatementPage,
    StatementStatus,
    add_version,
    approve_statement,
    check_statement,
    comment_on_statement,
    draft_statement,
    get_statement,
    issue_statement,
    list_statements,
    publish_statement,
    share_statement,
    withdraw_approval,
)
from truce.core.access import Classification
from truce.web.viewer import request_store, request_viewer

NO_STATEMENT: Final = "No statement this principal may see"
NOT_FOUND: Final = not_found(NO_STATEMENT)
WRITE_ERRORS: Final = write_errors(
    missing=NO_STATEMENT,
    conflict="The statement's status does not allow this (issued: frozen), or "
    "issuing lacks a delegation's approval",
)

router = APIRouter(
    prefix="/api",
    tags=["statements"],
    responses=router_errors(),
)


# --- response models ----------------------------------------------------------------------


class StatementVersionOut(ResponseModel):
    id: int
    number: int
    text: str
    sha256: str = Field(description="SHA-256 of the text as stored, UTF-8")
    note: str | None = Field(description="what changed; null to those who may not see drafts")
    created_by: str
    created_at: dt.datetime


class StatementCommentOut(ResponseModel):
    id: int
    statement_id: int
    version: int = Field(description="the number of the version commented on")
    delegation_id: int
    delegation: str
    text: str
    created_by: str
    created_at: dt.datetime
    classification: Classification = Field(
        description="committee, or restricted to the owner party and the chair"
    )
    owner_party: str | None


class StatementApprovalOut(ResponseModel):
    id: int
    statement_id: int
    version: int
    delegation_id: int
    delegation: str
    approved_by: str = Field(description="who gave the delegation's approval")
    approved_at: dt.datetime
    withdrawn_by: str | None
    withdrawn_at: dt.datetime | None


class StatementSummaryOut(ResponseModel):
    """A statement as a list shows it: the version it stands at (the issued one once issued)
    and, to those who see the drafts, who approved that version and who is awaited."""

    id: int
    title: str
    status: StatementStatus
    meeting_id: int | None = Field(description="null if this principal may not see it")
    classification: Classification
    owner_party: str | None
    created_by: str
    created_at: dt.datetime
    version: int
    text: str
    sha256: str = Field(description="of the text shown: the one recorded at issue, once issued")
    issued_at: dt.datetime | None
    published_at: dt.datetime | None
    approved_by: list[str] = Field(description="delegations that approved this version")
    awaiting: list[str] = Field(description="party delegations yet to approve it")


class StatementOut(StatementSummaryOut):
    """A statement with its versions, the comments and approvals this principal may see, and
    what it may do now."""

    issued_version: int | None
    issued_sha256: str | None = Field(description="SHA-256 of the issued text, frozen")
    issued_by: str | None
    published_by: str | None
    versions: list[StatementVersionOut]
    comments: list[StatementCommentOut]
    approvals: list[StatementApprovalOut] = Field(description="withdrawn ones kept")
    actions: list[StatementAction] = Field(description="what this principal may do now")


class StatementListOut(ResponseModel):
    """A page of statements, the last drafted first."""

    items: list[StatementSummaryOut]
    total: int = Field(description="statements matching the filters, over all pages")
    limit: int
    offset: int
    next: str | None = Field(default=None, description="URL of the next page; null on the last")


class StatementCheckOut(ResponseModel):
    """The stored text of the versions this principal may see, re-hashed."""

    statement_id: int
    title: str
    status: StatementStatus
    issued_sha256: str | None
    checked: list[int] = Field(description="the version numbers re-hashed")
    problems: list[str] = Field(description="every mismatch found; none if intact")
    intact: bool


# --- request bodies -----------------------------------------------------------------------


DelegationId = Annotated[
    int | None,
    Field(description="the delegation acted for: a delegate's own (default); the chair names it"),
]


class StatementIn(RequestModel):
    """A statement to draft (the chair), with the text of its first version."""

    title: str
    text: str
    meeting_id: int | None = None
    note: str | None = None
    classification: Classification = Field(
        default=Classification.COMMITTEE,
        description="committee, or restricted; publishing makes it public",
    )
    owner_party: str | None = Field(default=None, description="for a restricted statement")

    def statement(self) -> NewStatement:
        return NewStatement(
            title=self.title,
            text=self.text,
            meeting_id=self.meeting_id,
            note=self.note,
            classification=self.classification,
            owner_party=self.owner_party,
        )


class VersionIn(RequestModel):
    text: str
    note: str | None = Field(default=None, description="what changed, and why")


class CommentIn(RequestModel):
    text: str
    version: int | None = Field(default=None, description="default: the current version")
    delegation_id: DelegationId = None
    classification: Classification = Field(
        default=Classification.COMMITTEE,
        description="committee, or restricted to the delegation's party and the chair",
    )


class ApprovalIn(RequestModel):
    version: int | None = Field(
        default=None, description="the version read: refused (409) if no longer current"
    )
    delegation_id: DelegationId = None


class WithdrawalIn(RequestModel):
    delegation_id: DelegationId = None


# --- routes -------------------------------------------------------------------------------


def _page(request: Request, page: StatementPage) -> StatementListOut:
    return StatementListOut(
        items=[StatementSummaryOut.model_validate(item) for item in page.items],
        total=page.total,
        limit=page.limit,
        offset=page.offset,
        next=next_page_url(request, page),
    )


@router.get("/statements", summary="Joint statements this principal may see, the last first")
def list_statement_page(
    request: Request,
    status: Annotated[
        StatementStatus | None, Query(description="only statements in this status")
    ] = None,
    meeting_id: Annotated[int | None, Query(description="only those of this meeting")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="page size")] = 50,
    offset: Annotated[int, Query(ge=0, description="statements to skip")] = 0,
) -> StatementListOut:
    page = list_statements(
        request_store(request),
        viewer=request_viewer(request),
        status=status,
        meeting_id=meeting_id,
        limit=limit,
        offset=offset,
    )
    return _page(request, page)


@router.post(
    "/statements",
    status_code=201,
    summary="Draft a joint statement: its first version (the chair)",
    responses=WRITE_ERRORS,
)
def draft_joint_statement(request: Request, body: StatementIn) -> StatementOut:
    view = draft_statement(request_store(request), body.statement(), by=request_viewer(request))
    return StatementOut.model_validate(view)


@router.get(
    "/statements/{statement_id}",
    summary="One statement: its text and hash, versions, comments and approvals",
    responses=NOT_FOUND,
)
def get_one_statement(request: Request, statement_id: int) -> StatementOut:
    view = get_statement(request_store(request), statement_id, viewer=request_viewer(request))
    return StatementOut.model_validate(view)


@router.get(
    "/statements/{statement_id}/verification",
    summary="Re-hash the stored text of the versions this principal may see",
    responses=NOT_FOUND,
)
def verify_one_statement(request: Request, statement_id: int) -> StatementCheckOut:
    check = check_statement(request_store(request), statement_id, viewer=request_viewer(request))
    return StatementCheckOut.model_validate(check)


@router.post(
    "/statements/{statement_id}/versions",
    status_code=201,
    summary="Add a version of a drafted statement (the chair); approvals are needed again",
    responses=WRITE_ERRORS,
)
def add_statement_version(request: Request, statement_id: int, body: VersionIn) -> StatementOut:
    view = add_version(
        request_store(request),
        statement_id,
        body.text,
        by=request_viewer(request),
        note=body.note,
    )
    return StatementOut.model_validate(view)


@router.post(
    "/statements/{statement_id}/comments",
    status_code=201,
    summary="Comment on a version of a drafted statement, for a delegation",
    responses=WRITE_ERRORS,
)
def comment_statement(request: Request, statement_id: int, body: CommentIn) -> StatementCommentOut:
    made = comment_on_statement(
        request_store(request),
        statement_id,
        body.text,
        by=request_viewer(request),
        delegation_id=body.delegation_id,
        version=body.version,
        classification=body.classification,
    )
    return StatementCommentOut.model_validate(made)


@router.post(
    "/statements/{statement_id}/approvals",
    status_code=201,
    summary="Approve the current version of a drafted statement, for a party delegation",
    responses=WRITE_ERRORS,
)
def approve_joint_statement(
    request: Request, statement_id: int, body: ApprovalIn
) -> StatementApprovalOut:
    made = approve_statement(
        request_store(request),
        statement_id,
        by=request_viewer(request),
        delegation_id=body.delegation_id,
        version=body.version,
    )
    return StatementApprovalOut.model_validate(made)


@router.post(
    "/statements/{statement_id}/approvals/withdraw",
    summary="Withdraw a delegation's approval of the current version, before issue",
    responses=WRITE_ERRORS,
)
def withdraw_statement_approval(
    request: Request, statement_id: int, body: WithdrawalIn
) -> StatementApprovalOut:
    made = withdraw_approval(
        request_store(request),
        statement_id,
        by=request_viewer(request),
        delegation_id=body.delegation_id,
    )
    return StatementApprovalOut.model_validate(made)


@router.post(
    "/statements/{statement_id}/issue",
    summary="Issue a statement every party delegation approved (the chair): its text frozen",
    responses=WRITE_ERRORS,
)
def issue_joint_statement(request: Request, statement_id: int) -> StatementOut:
    view = issue_statement(request_store(request), statement_id, by=request_viewer(request))
    return StatementOut.model_validate(view)


@router.post(
    "/statements/{statement_id}/share",
    summary="Share a restricted draft with the whole committee (the chair)",
    description="Every party delegation must then approve the current version before issue.",
    responses=WRITE_ERRORS,
)
def share_joint_statement(request: Request, statement_id: int) -> StatementOut:
    view = share_statement(request_store(request), statement_id, by=request_viewer(request))
    return StatementOut.model_validate(view)


@router.post(
    "/statements/{statement_id}/publish",
    summary="Publish an issued statement (the chair): public, its text and hash for all",
    responses=WRITE_ERRORS,
)
def publish_joint_statement(request: Request, statement_id: int) -> StatementOut:
    view = publish_statement(request_store(request), statement_id, by=request_viewer(request))
    return StatementOut.model_validate(view)
