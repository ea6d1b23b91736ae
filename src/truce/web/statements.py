"""The joint statement pages: ``/statements`` (the list, and the chair's form drafting one)
and ``/statements/{id}`` (its versions, each delegation's comments, the party delegations'
approvals of the current version, and once issued the frozen text with its SHA-256), with
the forms' ``POST`` routes: each calls one function of `truce.committee.statements` and
redirects to the statement (POST/redirect/GET).

Forms appear only for what the viewer may do now (`StatementView.actions`): the chair drafts,
revises, shares a restricted draft, issues and publishes; a delegate comments, approves and
withdraws its approval for its own party's delegation. The library decides for real: a
refused form shows the page again with its message and status (403, 404, 409, 422). The
public sees a published statement's issued text and hash, never its drafts, comments or
approvals (the library reads it so).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Final

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from truce.committee.statements import (
    NewStatement,
    StatementAction,
    StatementStatus,
    StatementVersion,
    StatementView,
    add_version,
    approve_statement,
    comment_on_statement,
    draft_statement,
    get_statement,
    issue_statement,
    list_statements,
    publish_statement,
    share_statement,
    withdraw_approval,
)
from truce.core.access import Classification, Principal, Role
from truce.core.errors import TruceError
from truce.web.forms import (
    FORM_ERRORS,
    Text,
    error_status,
    form_values,
    is_chair,
    parse_classification,
    parse_id,
    party_names,
    see_other,
)
from truce.web.incidents import add_page_filters, paging_links
from truce.web.viewer import request_store, request_viewer
from truce.web.views import classification_label

PAGE_SIZE: Final = 50
#: the drafting form's fields, kept when it is refused so nothing typed is lost
DRAFT_FIELDS: Final = ("title", "text", "meeting_id", "note", "classification", "owner_party")
#: the actions the chair is offered forms for; a delegate is offered the others
CHAIR_ACTIONS: Final = frozenset(
    {
        StatementAction.ADD_VERSION,
        StatementAction.SHARE,
        StatementAction.ISSUE,
        StatementAction.PUBLISH,
    }
)


@dataclass(frozen=True)
class StatementForms:
    """Which forms the statement page offers its viewer."""

    revise: bool
    share: bool
    issue: bool
    publish: bool
    comment: bool
    approve: bool
    withdraw: bool


def statement_forms(statement: StatementView, viewer: Principal) -> StatementForms:
    """The chair's forms to the chair, a delegate's to a delegate, as the statement allows."""
    if viewer.role is Role.CHAIR:
        offered = {action for action in statement.actions if action in CHAIR_ACTIONS}
    elif viewer.role is Role.DELEGATE:
        offered = {action for action in statement.actions if action not in CHAIR_ACTIONS}
    else:
        offered = set()
    return StatementForms(
        revise=StatementAction.ADD_VERSION in offered,
        share=StatementAction.SHARE in offered,
        issue=StatementAction.ISSUE in offered,
        publish=StatementAction.PUBLISH in offered,
        comment=StatementAction.COMMENT in offered,
        approve=StatementAction.APPROVE in offered,
        withdraw=StatementAction.WITHDRAW_APPROVAL in offered,
    )


def current_version(statement: StatementView) -> StatementVersion | None:
    """The version the statement stands at, among those the viewer sees."""
    for version in statement.versions:
        if version.number == statement.version:
            return version
    return None


# --- the routes ---------------------------------------------------------------------------


def mount_statement_pages(app: FastAPI, templates: Jinja2Templates) -> None:
    """Add the statement pages and their forms to the app (not in the OpenAPI schema)."""
    add_page_filters(templates)

    def render_statements(
        request: Request,
        *,
        status: str = "",
        meeting_id: int | None = None,
        offset: int = 0,
        form: dict[str, str] | None = None,
        error: str | None = None,
        status_code: int = 200,
    ) -> HTMLResponse:
        viewer = request_viewer(request)
        page = list_statements(
            request_store(request),
            viewer=viewer,
            status=status or None,
            meeting_id=meeting_id,
            limit=PAGE_SIZE,
            offset=offset,
        )
        filled = form_values(
            DRAFT_FIELDS,
            form,
            classification=Classification.COMMITTEE.value,
            meeting_id="" if meeting_id is None else str(meeting_id),
        )
        return templates.TemplateResponse(
            request,
            "statements.html",
            {
                "page": page,
                "status": status,
                "meeting_id": meeting_id,
                "statuses": list(StatementStatus),
                "may_draft": is_chair(viewer),
                "form": filled,
                "parties": list(party_names().items()),
                "error": error,
                "paging": paging_links(request, page.total, page.limit, page.offset),
            },
            status_code=status_code,
        )

    def render_statement(
        request: Request, statement_id: int, *, error: str | None = None, status_code: int = 200
    ) -> HTMLResponse:
        viewer = request_viewer(request)
        statement = get_statement(request_store(request), statement_id, viewer=viewer)
        return templates.TemplateResponse(
            request,
            "statement.html",
            {
                "statement": statement,
                "current": current_version(statement),
                "forms": statement_forms(statement, viewer),
                "classification_label": classification_label,
                "error": error,
            },
            status_code=status_code,
        )

    def refused(request: Request, statement_id: int, error: TruceError) -> HTMLResponse:
        return render_statement(
            request, statement_id, error=str(error), status_code=error_status(error)
        )

    def to_statement(request: Request, statement_id: int) -> Response:
        return see_other(request.url_for("statement_page", statement_id=statement_id))

    @app.get(
        "/statements", response_class=HTMLResponse, name="statements_page", include_in_schema=False
    )
    def statements_page(
        request: Request,
        status: str = "",
        meeting_id: int | None = None,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> HTMLResponse:
        return render_statements(request, status=status, meeting_id=meeting_id, offset=offset)

    @app.post("/statements", name="draft_statement_form", include_in_schema=False)
    def draft_statement_form(
        request: Request,
        title: Text = "",
        text: Text = "",
        meeting_id: Text = "",
        note: Text = "",
        classification: Text = Classification.COMMITTEE.value,
        owner_party: Text = "",
    ) -> Response:
        submitted = {
            "title": title,
            "text": text,
            "meeting_id": meeting_id,
            "note": note,
            "classification": classification,
            "owner_party": owner_party,
        }
        try:
            statement = draft_statement(
                request_store(request),
                NewStatement(
                    title=title,
                    text=text,
                    meeting_id=parse_id(meeting_id, "meeting_id"),
                    note=note or None,
                    classification=parse_classification(classification),
                    owner_party=owner_party or None,
                ),
                by=request_viewer(request),
            )
        except FORM_ERRORS as error:
            return render_statements(
                request, form=submitted, error=str(error), status_code=error_status(error)
            )
        return to_statement(request, statement.id)

    @app.get(
        "/statements/{statement_id}",
        response_class=HTMLResponse,
        name="statement_page",
        include_in_schema=False,
    )
    def statement_page(request: Request, statement_id: int) -> HTMLResponse:
        return render_statement(request, statement_id)

    @app.post(
        "/statements/{statement_id}/versions",
        name="statement_version_form",
        include_in_schema=False,
    )
    def statement_version_form(
        request: Request, statement_id: int, text: Text = "", note: Text = ""
    ) -> Response:
        try:
            add_version(
                request_store(request),
                statement_id,
                text,
                by=request_viewer(request),
                note=note or None,
            )
        except FORM_ERRORS as error:
            return refused(request, statement_id, error)
        return to_statement(request, statement_id)

    @app.post(
        "/statements/{statement_id}/comments",
        name="statement_comment_form",
        include_in_schema=False,
    )
    def statement_comment_form(
        request: Request,
        statement_id: int,
        text: Text = "",
        version: Text = "",
        classification: Text = Classification.COMMITTEE.value,
    ) -> Response:
        try:
            comment_on_statement(
                request_store(request),
                statement_id,
                text,
                by=request_viewer(request),
                version=parse_id(version, "version"),
                classification=parse_classification(classification),
            )
        except FORM_ERRORS as error:
            return refused(request, statement_id, error)
        return to_statement(request, statement_id)

    @app.post(
        "/statements/{statement_id}/approval",
        name="statement_approve_form",
        include_in_schema=False,
    )
    def statement_approve_form(request: Request, statement_id: int, version: Text = "") -> Response:
        try:
            approve_statement(
                request_store(request),
                statement_id,
                by=request_viewer(request),
                version=parse_id(version, "version"),
            )
        except FORM_ERRORS as error:
            return refused(request, statement_id, error)
        return to_statement(request, statement_id)

    @app.post(
        "/statements/{statement_id}/approval/withdraw",
        name="statement_withdraw_form",
        include_in_schema=False,
    )
    def statement_withdraw_form(request: Request, statement_id: int) -> Response:
        try:
            withdraw_approval(request_store(request), statement_id, by=request_viewer(request))
        except FORM_ERRORS as error:
            return refused(request, statement_id, error)
        return to_statement(request, statement_id)

    @app.post(
        "/statements/{statement_id}/issue", name="statement_issue_form", include_in_schema=False
    )
    def statement_issue_form(request: Request, statement_id: int) -> Response:
        try:
            issue_statement(request_store(request), statement_id, by=request_viewer(request))
        except FORM_ERRORS as error:
            return refused(request, statement_id, error)
        return to_statement(request, statement_id)

    @app.post(
        "/statements/{statement_id}/share", name="statement_share_form", include_in_schema=False
    )
    def statement_share_form(request: Request, statement_id: int) -> Response:
        try:
            share_statement(request_store(request), statement_id, by=request_viewer(request))
        except FORM_ERRORS as error:
            return refused(request, statement_id, error)
        return to_statement(request, statement_id)

    @app.post(
        "/statements/{statement_id}/publish",
        name="statement_publish_form",
        include_in_schema=False,
    )
    def statement_publish_form(request: Request, statement_id: int) -> Response:
        try:
            publish_statement(request_store(request), statement_id, by=request_viewer(request))
        except FORM_ERRORS as error:
            return refused(request, statement_id, error)
        return to_statement(request, statement_id)
