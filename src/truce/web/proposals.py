"""The proposal and commitment pages: ``/proposals`` (the list and the form making one),
``/proposals/{id}`` (its status history with the meetings that handled it, and a form for
each action the viewer may take now), ``/commitments`` (the list, overdue ones flagged; the
forms recording one and closing those the viewer may close), ``/commitments/{id}`` (one
commitment, where it was made, how it closed, and its closing form), with the forms' ``POST``
routes: each calls one function of `truce.committee` and redirects (POST/redirect/GET).

Forms appear only for what the library says the viewer may do (`ProposalView.actions`,
`Commitment.actions`, a delegation or the chair making records); the library decides for
real, and a refused form shows the page again with its message and status (403, 404, 409,
422).
"""

from __future__ import annotations

from typing import Annotated, Final

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from truce.committee.commitments import (
    CommitmentStatus,
    NewCommitment,
    close_commitment,
    create_commitment,
    get_commitment,
    list_commitments,
)
from truce.committee.meetings import MeetingStatus, MeetingSummary, list_meetings
from truce.committee.proposals import (
    NewProposal,
    ProposalKind,
    ProposalStatus,
    change_proposal,
    create_proposal,
    get_proposal,
    list_proposals,
)
from truce.core.access import Classification, Principal, Track
from truce.store import Store
from truce.web.forms import (
    FORM_ERRORS,
    Text,
    classification_choices,
    error_status,
    form_values,
    may_make_records,
    parse_classification,
    parse_date,
    parse_id,
    party_names,
    see_other,
    today,
)
from truce.web.incidents import add_page_filters, paging_links
from truce.web.viewer import request_store, request_viewer
from truce.web.views import classification_label

PAGE_SIZE: Final = 50
#: the meetings a form offers at most (the latest first)
MEETINGS_OFFERED: Final = 200
PROPOSAL_FIELDS: Final = (
    "title",
    "kind",
    "summary",
    "proposing_party",
    "track",
    "classification",
    "meeting_id",
    "note",
)
COMMITMENT_FIELDS: Final = (
    "title",
    "responsible_party",
    "deadline",
    "meeting_id",
    "proposal_id",
    "classification",
)


def usable_meetings(store: Store, viewer: Principal) -> list[MeetingSummary]:
    """The meetings a form may name: those `viewer` sees, not cancelled, the latest first."""
    page = list_meetings(store, viewer=viewer, limit=MEETINGS_OFFERED)
    found = [m for m in page.items if m.status is not MeetingStatus.CANCELLED]
    return sorted(found, key=lambda m: m.starts_at, reverse=True)


# --- the routes ---------------------------------------------------------------------------


def mount_proposal_pages(app: FastAPI, templates: Jinja2Templates) -> None:
    """Add the proposal and commitment pages and their forms to the app (not in the OpenAPI
    schema)."""
    add_page_filters(templates)

    def render_proposals(
        request: Request,
        *,
        status: str = "",
        kind: str = "",
        offset: int = 0,
        form: dict[str, str] | None = None,
        error: str | None = None,
        status_code: int = 200,
    ) -> HTMLResponse:
        viewer = request_viewer(request)
        store = request_store(request)
        page = list_proposals(
            store,
            viewer=viewer,
            status=status or None,
            kind=kind or None,
            limit=PAGE_SIZE,
            offset=offset,
        )
        filled = form_values(PROPOSAL_FIELDS, form)
        may_make = may_make_records(viewer)
        return templates.TemplateResponse(
            request,
            "proposals.html",
            {
                "page": page,
                "status": status,
                "kind": kind,
                "statuses": list(ProposalStatus),
                "kinds": list(ProposalKind),
                "tracks": list(Track),
                "may_make": may_make,
                "choices": classification_choices(viewer),
                "parties": party_names(),
                "meetings": usable_meetings(store, viewer) if may_make else [],
                "form": filled,
                "error": error,
                "paging": paging_links(request, page.total, page.limit, page.offset),
            },
            status_code=status_code,
        )

    def render_proposal(
        request: Request, proposal_id: int, *, error: str | None = None, status_code: int = 200
    ) -> HTMLResponse:
        viewer = request_viewer(request)
        store = request_store(request)
        proposal = get_proposal(store, proposal_id, viewer=viewer)
        commitments = list_commitments(
            store, viewer=viewer, proposal_id=proposal_id, limit=PAGE_SIZE
        )
        return templates.TemplateResponse(
            request,
            "proposal.html",
            {
                "proposal": proposal,
                "commitments": commitments.items,
                "parties": party_names(),
                "meetings": usable_meetings(store, viewer) if proposal.actions else [],
                "meeting_titles": {m.id: m.title for m in proposal.meetings},
                "classification_label": classification_label,
                "error": error,
            },
            status_code=status_code,
        )

    def render_commitment(
        request: Request, commitment_id: int, *, error: str | None = None, status_code: int = 200
    ) -> HTMLResponse:
        viewer = request_viewer(request)
        commitment = get_commitment(request_store(request), commitment_id, viewer=viewer)
        return templates.TemplateResponse(
            request,
            "commitment.html",
            {
                "commitment": commitment,
                "parties": party_names(),
                "classification_label": classification_label,
                "error": error,
            },
            status_code=status_code,
        )

    def render_commitments(
        request: Request,
        *,
        status: str = "",
        party: str = "",
        overdue: bool | None = None,
        offset: int = 0,
        form: dict[str, str] | None = None,
        error: str | None = None,
        status_code: int = 200,
    ) -> HTMLResponse:
        viewer = request_viewer(request)
        store = request_store(request)
        page = list_commitments(
            store,
            viewer=viewer,
            status=status or None,
            party=party or None,
            overdue=overdue,
            limit=PAGE_SIZE,
            offset=offset,
        )
        filled = form_values(COMMITMENT_FIELDS, form)
        may_make = may_make_records(viewer)
        return templates.TemplateResponse(
            request,
            "commitments.html",
            {
                "page": page,
                "status": status,
                "party": party,
                "overdue": overdue,
                "statuses": list(CommitmentStatus),
                "may_make": may_make,
                "choices": classification_choices(viewer),
                "parties": party_names(),
                "meetings": usable_meetings(store, viewer) if may_make else [],
                "form": filled,
                "today": today().isoformat(),
                "classification_label": classification_label,
                "error": error,
                "paging": paging_links(request, page.total, page.limit, page.offset),
            },
            status_code=status_code,
        )

    @app.get(
        "/proposals", response_class=HTMLResponse, name="proposals_page", include_in_schema=False
    )
    def proposals_page(
        request: Request,
        status: str = "",
        kind: str = "",
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> HTMLResponse:
        return render_proposals(request, status=status, kind=kind, offset=offset)

    @app.post("/proposals", name="create_proposal_form", include_in_schema=False)
    def make_proposal(
        request: Request,
        title: Text = "",
        kind: Text = ProposalKind.OTHER.value,
        summary: Text = "",
        proposing_party: Text = "",
        track: Text = "",
        classification: Text = Classification.COMMITTEE.value,
        meeting_id: Text = "",
        note: Text = "",
    ) -> Response:
        submitted = {
            "title": title,
            "kind": kind,
            "summary": summary,
            "proposing_party": proposing_party,
            "track": track,
            "classification": classification,
            "meeting_id": meeting_id,
            "note": note,
        }
        try:
            made = create_proposal(
                request_store(request),
                NewProposal(
                    title=title,
                    kind=kind,
                    summary=summary or None,
                    proposing_party=proposing_party or None,
                    track=track or None,
                    classification=parse_classification(classification),
                    meeting_id=parse_id(meeting_id, "meeting_id"),
                    note=note or None,
                ),
                by=request_viewer(request),
            )
        except FORM_ERRORS as error:
            return render_proposals(
                request, form=submitted, error=str(error), status_code=error_status(error)
            )
        return see_other(request.url_for("proposal_page", proposal_id=made.id))

    @app.get(
        "/proposals/{proposal_id}",
        response_class=HTMLResponse,
        name="proposal_page",
        include_in_schema=False,
    )
    def proposal_page(request: Request, proposal_id: int) -> HTMLResponse:
        return render_proposal(request, proposal_id)

    @app.post(
        "/proposals/{proposal_id}/actions", name="proposal_action_form", include_in_schema=False
    )
    def proposal_action(
        request: Request,
        proposal_id: int,
        action: Text = "",
        meeting_id: Text = "",
        note: Text = "",
    ) -> Response:
        try:
            change_proposal(
                request_store(request),
                proposal_id,
                action,
                by=request_viewer(request),
                meeting_id=parse_id(meeting_id, "meeting_id"),
                note=note or None,
            )
        except FORM_ERRORS as error:
            return render_proposal(
                request, proposal_id, error=str(error), status_code=error_status(error)
            )
        return see_other(request.url_for("proposal_page", proposal_id=proposal_id))

    @app.get(
        "/commitments",
        response_class=HTMLResponse,
        name="commitments_page",
        include_in_schema=False,
    )
    def commitments_page(
        request: Request,
        status: str = "",
        party: str = "",
        overdue: bool | None = None,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> HTMLResponse:
        return render_commitments(
            request, status=status, party=party, overdue=overdue, offset=offset
        )

    @app.post("/commitments", name="create_commitment_form", include_in_schema=False)
    def make_commitment(
        request: Request,
        title: Text = "",
        responsible_party: Text = "",
        deadline: Text = "",
        meeting_id: Text = "",
        proposal_id: Text = "",
        classification: Text = Classification.COMMITTEE.value,
    ) -> Response:
        submitted = {
            "title": title,
            "responsible_party": responsible_party,
            "deadline": deadline,
            "meeting_id": meeting_id,
            "proposal_id": proposal_id,
            "classification": classification,
        }
        try:
            create_commitment(
                request_store(request),
                NewCommitment(
                    title=title,
                    responsible_party=responsible_party or None,
                    deadline=parse_date(deadline, "deadline"),
                    meeting_id=parse_id(meeting_id, "meeting_id"),
                    proposal_id=parse_id(proposal_id, "proposal_id"),
                    classification=parse_classification(classification),
                ),
                by=request_viewer(request),
            )
        except FORM_ERRORS as error:
            return render_commitments(
                request, form=submitted, error=str(error), status_code=error_status(error)
            )
        return see_other(request.url_for("commitments_page"))

    @app.get(
        "/commitments/{commitment_id}",
        response_class=HTMLResponse,
        name="commitment_page",
        include_in_schema=False,
    )
    def commitment_page(request: Request, commitment_id: int) -> HTMLResponse:
        return render_commitment(request, commitment_id)

    @app.post(
        "/commitments/{commitment_id}/close",
        name="close_commitment_form",
        include_in_schema=False,
    )
    def close_one_commitment(
        request: Request,
        commitment_id: int,
        status: Text = "",
        note: Text = "",
        back: Text = "",
    ) -> Response:
        try:
            close_commitment(
                request_store(request),
                commitment_id,
                status,
                by=request_viewer(request),
                note=note or None,
            )
        except FORM_ERRORS as error:
            if back == "commitment":
                return render_commitment(
                    request, commitment_id, error=str(error), status_code=error_status(error)
                )
            return render_commitments(request, error=str(error), status_code=error_status(error))
        if back == "commitment":
            return see_other(request.url_for("commitment_page", commitment_id=commitment_id))
        return see_other(request.url_for("commitments_page"))
