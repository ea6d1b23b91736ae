"""The delegation and meeting pages: ``/delegations`` (who sits at the table),
``/meetings`` (the list, and the chair's form scheduling one), ``/meetings/{id}`` (its
attendance, its agenda with each item linked to what it is about, minutes and outcomes, and
its calendar file), ``/meetings/{id}/agenda/draft`` (the agenda drafted from open work, each
proposed item with a box to adopt it), and the chair's forms: each ``POST`` calls one function
of `truce.committee` and redirects to the meeting (POST/redirect/GET).

Forms appear only for what the viewer may do (the chair's, all of them); the library decides
for real: a refused form shows the page again with its message and status (403, 404, 409,
422). Everything is read for the request's viewer, so a meeting, an agenda item or a member
the viewer may not see is not on the page (a meeting it may not see is a 404).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Final

from fastapi import FastAPI, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.routing import NoMatchFound

from truce.committee.agenda import (
    NewAgendaItem,
    add_agenda_items,
    meeting_draft,
    set_agenda_outcome,
)
from truce.committee.delegations import list_delegations
from truce.committee.meetings import (
    AgendaItem,
    AgendaKind,
    AttendanceStatus,
    MeetingStatus,
    MeetingView,
    NewMeeting,
    get_meeting,
    list_meetings,
    record_attendance,
    record_minutes,
    schedule_meeting,
    transition_meeting,
)
from truce.committee.statements import StatementSummary, list_statements
from truce.core.access import Classification, Track
from truce.core.errors import InputError, TruceError
from truce.web.forms import (
    FORM_ERRORS,
    Text,
    error_status,
    form_values,
    is_chair,
    parse_classification,
    party_names,
    see_other,
)
from truce.web.incidents import add_page_filters, paging_links
from truce.web.viewer import request_store, request_viewer
from truce.web.views import classification_label

PAGE_SIZE: Final = 50
#: the statements a meeting page lists at most
STATEMENTS_SHOWN: Final = 50
#: the schedule form's fields, kept when it is refused so nothing typed is lost
SCHEDULE_FIELDS: Final = ("title", "starts_at", "ends_at", "place", "classification", "owner_party")

#: the page about the record an agenda item refers to: route name and its id parameter
ITEM_PAGES: Final[dict[AgendaKind, tuple[str, str]]] = {
    AgendaKind.INCIDENT: ("incident_page", "incident_id"),
    AgendaKind.CASE: ("case_page", "case_id"),
    AgendaKind.PROPOSAL: ("proposal_page", "proposal_id"),
    AgendaKind.COMMITMENT: ("commitment_page", "commitment_id"),
    AgendaKind.STATEMENT: ("statement_page", "statement_id"),
}

KINDS: Final = frozenset(kind.value for kind in AgendaKind)


def route_url(request: Request, name: str, **params: int | str) -> str | None:
    """The path of the page `name`, or None while the app has no such page (pages of other
    modules link here as they are mounted)."""
    try:
        return request.url_for(name, **params).path
    except NoMatchFound:
        return None


def item_link(request: Request, kind: AgendaKind, ref_id: int | None) -> str | None:
    """The page of the record an agenda item is about (None for `other`)."""
    page = ITEM_PAGES.get(kind)
    if page is None or ref_id is None:
        return None
    name, parameter = page
    return route_url(request, name, **{parameter: ref_id})


def parse_moment(text: str, field: str) -> dt.datetime | None:
    """A time from a form (``YYYY-MM-DDTHH:MM``, as a datetime-local field sends it) in UTC,
    or with its own offset; None when empty; InputError naming `field` otherwise."""
    if not text.strip():
        return None
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"{text!r} is not a time (YYYY-MM-DDTHH:MM, UTC)", source=field) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def parse_item_refs(values: list[str], field: str) -> list[NewAgendaItem]:
    """The drafted items ticked on the form, each sent as ``kind:id``."""
    chosen: list[NewAgendaItem] = []
    for value in values:
        kind, _, ref = value.partition(":")
        if kind not in KINDS or not (ref.isascii() and ref.isdigit()):
            raise InputError(f"{value!r} is not an agenda item (kind:id)", source=field)
        chosen.append(NewAgendaItem(kind=kind, ref_id=int(ref)))
    return chosen


@dataclass(frozen=True)
class MeetingPageView:
    """A meeting page's content for one viewer: the meeting, the page of each agenda item's
    record, its statements, and (on the draft page) the items proposed from open work."""

    meeting: MeetingView
    item_links: dict[int, str | None]  # by the item's position
    statements: list[StatementSummary]
    draft: list[AgendaItem] | None
    draft_links: dict[int, str | None]


# --- the routes ---------------------------------------------------------------------------


def mount_meeting_pages(app: FastAPI, templates: Jinja2Templates) -> None:
    """Add the delegation and meeting pages and their forms to the app (not in the OpenAPI
    schema)."""
    add_page_filters(templates)

    def render_meetings(
        request: Request,
        *,
        status: str = "",
        offset: int = 0,
        form: dict[str, str] | None = None,
        tracks: list[str] | None = None,
        error: str | None = None,
        status_code: int = 200,
    ) -> HTMLResponse:
        viewer = request_viewer(request)
        page = list_meetings(
            request_store(request),
            viewer=viewer,
            status=status or None,
            limit=PAGE_SIZE,
            offset=offset,
        )
        filled = form_values(SCHEDULE_FIELDS, form, classification=Classification.COMMITTEE.value)
        return templates.TemplateResponse(
            request,
            "meetings.html",
            {
                "page": page,
                "status": status,
                "statuses": list(MeetingStatus),
                "may_schedule": is_chair(viewer),
                "form": filled,
                "form_tracks": [track.value for track in Track] if tracks is None else tracks,
                "tracks": list(Track),
                "parties": list(party_names().items()),
                "error": error,
                "paging": paging_links(request, page.total, page.limit, page.offset),
                "calendar_url": route_url(request, "meetings_calendar"),
            },
            status_code=status_code,
        )

    def render_meeting(
        request: Request,
        meeting_id: int,
        *,
        drafting: bool = False,
        error: str | None = None,
        status_code: int = 200,
    ) -> HTMLResponse:
        viewer = request_viewer(request)
        store = request_store(request)
        draft: list[AgendaItem] | None = None
        if drafting:
            drafted = meeting_draft(store, meeting_id, by=viewer)
            meeting, draft = drafted.meeting, drafted.items
        else:
            meeting = get_meeting(store, meeting_id, viewer=viewer)
        statements = list_statements(
            store, viewer=viewer, meeting_id=meeting.id, limit=STATEMENTS_SHOWN
        )
        view = MeetingPageView(
            meeting=meeting,
            item_links={
                item.position: item_link(request, item.kind, item.ref_id) for item in meeting.agenda
            },
            statements=statements.items,
            draft=draft,
            draft_links={
                item.position: item_link(request, item.kind, item.ref_id) for item in draft or []
            },
        )
        return templates.TemplateResponse(
            request,
            "meeting.html",
            {
                "view": view,
                "meeting": meeting,
                "chair": is_chair(viewer),
                "attendance_statuses": [AttendanceStatus.ATTENDED, AttendanceStatus.ABSENT],
                "classification_label": classification_label,
                "calendar_url": route_url(request, "meeting_calendar", meeting_id=meeting.id),
                "all_calendar_url": route_url(request, "meetings_calendar"),
                "error": error,
            },
            status_code=status_code,
        )

    def refused(request: Request, meeting_id: int, error: TruceError) -> HTMLResponse:
        return render_meeting(
            request, meeting_id, error=str(error), status_code=error_status(error)
        )

    def to_meeting(request: Request, meeting_id: int) -> Response:
        return see_other(request.url_for("meeting_page", meeting_id=meeting_id))

    @app.get(
        "/delegations",
        response_class=HTMLResponse,
        name="delegations_page",
        include_in_schema=False,
    )
    def delegations_page(request: Request) -> HTMLResponse:
        delegations = list_delegations(request_store(request), viewer=request_viewer(request))
        return templates.TemplateResponse(
            request,
            "delegations.html",
            {
                "delegations": delegations,
                "parties": party_names(),
                "classification_label": classification_label,
            },
        )

    @app.get(
        "/meetings", response_class=HTMLResponse, name="meetings_page", include_in_schema=False
    )
    def meetings_page(
        request: Request, status: str = "", offset: Annotated[int, Query(ge=0)] = 0
    ) -> HTMLResponse:
        return render_meetings(request, status=status, offset=offset)

    @app.post("/meetings", name="schedule_meeting_form", include_in_schema=False)
    def schedule_meeting_form(
        request: Request,
        title: Text = "",
        starts_at: Text = "",
        ends_at: Text = "",
        place: Text = "",
        tracks: Annotated[list[str] | None, Form()] = None,
        classification: Text = Classification.COMMITTEE.value,
        owner_party: Text = "",
        invite: Text = "",
    ) -> Response:
        submitted = {
            "title": title,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "place": place,
            "classification": classification,
            "owner_party": owner_party,
        }
        try:
            start = parse_moment(starts_at, "starts_at")
            if start is None:
                raise InputError("say when the meeting begins", source="starts_at")
            meeting = schedule_meeting(
                request_store(request),
                NewMeeting(
                    title=title,
                    starts_at=start,
                    ends_at=parse_moment(ends_at, "ends_at"),
                    place=place or None,
                    tracks=tuple(tracks or ()),
                    classification=parse_classification(classification),
                    owner_party=owner_party or None,
                    invite=bool(invite),
                ),
                by=request_viewer(request),
            )
        except FORM_ERRORS as error:
            return render_meetings(
                request,
                form=submitted,
                tracks=tracks or [],
                error=str(error),
                status_code=error_status(error),
            )
        return to_meeting(request, meeting.id)

    @app.get(
        "/meetings/{meeting_id}",
        response_class=HTMLResponse,
        name="meeting_page",
        include_in_schema=False,
    )
    def meeting_page(request: Request, meeting_id: int) -> HTMLResponse:
        return render_meeting(request, meeting_id)

    @app.get(
        "/meetings/{meeting_id}/agenda/draft",
        response_class=HTMLResponse,
        name="meeting_draft_page",
        include_in_schema=False,
    )
    def meeting_draft_page(request: Request, meeting_id: int) -> HTMLResponse:
        return render_meeting(request, meeting_id, drafting=True)

    @app.post("/meetings/{meeting_id}/agenda", name="meeting_agenda_form", include_in_schema=False)
    def meeting_agenda_form(
        request: Request,
        meeting_id: int,
        items: Annotated[list[str] | None, Form()] = None,
        other: Text = "",
    ) -> Response:
        try:
            chosen = parse_item_refs(items or [], "items")
            if other.strip():
                chosen.append(NewAgendaItem(kind=AgendaKind.OTHER, title=other))
            if not chosen:
                raise InputError("tick the items to adopt, or name another", source="items")
            add_agenda_items(request_store(request), meeting_id, chosen, by=request_viewer(request))
        except FORM_ERRORS as error:
            return refused(request, meeting_id, error)
        return to_meeting(request, meeting_id)

    @app.post(
        "/meetings/{meeting_id}/transitions",
        name="meeting_transition_form",
        include_in_schema=False,
    )
    def meeting_transition_form(
        request: Request, meeting_id: int, action: Text = "", note: Text = ""
    ) -> Response:
        try:
            transition_meeting(
                request_store(request),
                meeting_id,
                action,
                by=request_viewer(request),
                note=note or None,
            )
        except FORM_ERRORS as error:
            return refused(request, meeting_id, error)
        return to_meeting(request, meeting_id)

    @app.post(
        "/meetings/{meeting_id}/minutes", name="meeting_minutes_form", include_in_schema=False
    )
    def meeting_minutes_form(
        request: Request, meeting_id: int, minutes: Text = "", outcomes: Text = ""
    ) -> Response:
        try:
            record_minutes(
                request_store(request),
                meeting_id,
                by=request_viewer(request),
                minutes=minutes or None,
                outcomes=outcomes or None,
            )
        except FORM_ERRORS as error:
            return refused(request, meeting_id, error)
        return to_meeting(request, meeting_id)

    @app.post(
        "/meetings/{meeting_id}/attendance",
        name="meeting_attendance_form",
        include_in_schema=False,
    )
    def meeting_attendance_form(
        request: Request,
        meeting_id: int,
        member_id: Annotated[int, Form()],
        status: Text = "",
        note: Text = "",
    ) -> Response:
        try:
            record_attendance(
                request_store(request),
                meeting_id,
                member_id,
                status,
                by=request_viewer(request),
                note=note or None,
            )
        except FORM_ERRORS as error:
            return refused(request, meeting_id, error)
        return to_meeting(request, meeting_id)

    @app.post(
        "/meetings/{meeting_id}/agenda/{item_id}/outcome",
        name="agenda_outcome_form",
        include_in_schema=False,
    )
    def agenda_outcome_form(
        request: Request, meeting_id: int, item_id: int, outcome: Text = ""
    ) -> Response:
        try:
            set_agenda_outcome(
                request_store(request),
                meeting_id,
                item_id,
                outcome or None,
                by=request_viewer(request),
            )
        except FORM_ERRORS as error:
            return refused(request, meeting_id, error)
        return to_meeting(request, meeting_id)
