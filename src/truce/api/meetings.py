"""The ``/api/delegations`` and ``/api/meetings`` routes: the delegations at the table,
meetings with their attendance, agendas drafted from open work, minutes, and the calendar
(truce.committee.delegations, .meetings, .agenda, .calendar).

A delegation or meeting the request's principal may not see is answered exactly like a
missing one (404); of a meeting it sees, it is shown only the agenda items it may see, in the
JSON and in the iCalendar file alike. The chair manages delegations and meetings (403 for
anyone else; 409 when the meeting's status does not allow it); each route parses its input,
calls the library once and renders what it returns.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Final

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import Field

from truce.api.responses import (
    Responses,
    next_page_url,
    not_found,
    router_errors,
    write_errors,
)
from truce.api.schemas import Note, RequestModel, ResponseModel
from truce.committee.agenda import (
    NewAgendaItem,
    add_agenda_items,
    meeting_draft,
    set_agenda_outcome,
)
from truce.committee.calendar import meeting_ics, meetings_ics
from truce.committee.delegations import (
    Delegation,
    DelegationKind,
    Member,
    NewDelegation,
    NewMember,
    add_delegation,
    add_member,
    end_membership,
    get_delegation,
    list_delegations,
)
from truce.committee.meetings import (
    MAX_PAGE,
    AgendaItem,
    AgendaKind,
    AttendanceStatus,
    MeetingAction,
    MeetingChanges,
    MeetingPage,
    MeetingStatus,
    MeetingSummary,
    MeetingView,
    NewMeeting,
    get_meeting,
    list_meetings,
    record_attendance,
    record_minutes,
    schedule_meeting,
    transition_meeting,
    update_meeting,
)
from truce.core.access import Classification, Track
from truce.web.viewer import request_store, request_viewer

CALENDAR_MEDIA_TYPE: Final = "text/calendar; charset=utf-8"
#: the most agenda items one request adds
MAX_ITEMS: Final = 200

NOTHING_SEEN: Final = "Nothing this principal may see has this id"
NOT_FOUND: Final = not_found(NOTHING_SEEN)
WRITE_ERRORS: Final = write_errors(
    missing=NOTHING_SEEN,
    forbidden="Not allowed to do this (the chair does)",
    conflict="The meeting's status does not allow this",
)
CALENDAR: Final[Responses] = {200: {"content": {"text/calendar": {"schema": {"type": "string"}}}}}

router = APIRouter(
    prefix="/api",
    tags=["meetings"],
    responses=router_errors(),
)


# --- response models ----------------------------------------------------------------------


class MemberOut(ResponseModel):
    id: int
    delegation_id: int
    name: str
    title: str | None
    role: str | None = Field(description="in the delegation: head, deputy, expert, envoy")
    track: Track | None
    username: str | None = Field(description="the member's account, if any")
    joined_on: dt.date | None
    left_on: dt.date | None = Field(description="set once the member has left")
    created_by: str
    created_at: dt.datetime


class DelegationOut(ResponseModel):
    id: int
    kind: DelegationKind
    party: str | None = Field(description="a party delegation's party")
    name: str
    classification: Classification
    owner_party: str | None
    created_by: str
    created_at: dt.datetime
    members: list[MemberOut] = Field(description="those who left too, oldest first")


class AgendaItemOut(ResponseModel):
    """An agenda item (id null while only proposed by a draft), seen where its record is."""

    id: int | None
    meeting_id: int
    position: int = Field(description="its place among the items this principal sees")
    kind: AgendaKind
    ref_id: int | None = Field(description="the id of the record it is about")
    title: str
    outcome: str | None
    classification: Classification
    owner_party: str | None
    reason: str | None = Field(default=None, description="why a draft proposes it")


class AttendanceOut(ResponseModel):
    member_id: int
    member_name: str
    delegation_id: int
    delegation_name: str
    status: AttendanceStatus
    note: str | None
    recorded_by: str
    recorded_at: dt.datetime


class MeetingSummaryOut(ResponseModel):
    """A meeting as a list shows it, with the agenda items this principal may see."""

    id: int
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    place: str | None
    tracks: list[Track]
    status: MeetingStatus
    uid: str = Field(description="its iCalendar UID, stable")
    sequence: int = Field(description="changes of the meeting itself so far")
    classification: Classification
    owner_party: str | None
    created_by: str
    created_at: dt.datetime
    updated_by: str | None
    updated_at: dt.datetime | None
    agenda: list[AgendaItemOut]


class MeetingOut(MeetingSummaryOut):
    """A meeting with its minutes, outcomes, attendance, and the actions this principal may
    take on it now."""

    minutes: str | None
    outcomes: str | None
    attendance: list[AttendanceOut]
    actions: list[MeetingAction]


class MeetingListOut(ResponseModel):
    """A page of meetings, the earliest first."""

    items: list[MeetingSummaryOut]
    total: int = Field(description="meetings matching the filters, over all pages")
    limit: int
    offset: int
    next: str | None = Field(default=None, description="URL of the next page; null on the last")


class DraftAgendaOut(ResponseModel):
    """Agenda items proposed from open work, as this principal sees it; nothing stored."""

    meeting_id: int
    meeting_title: str
    items: list[AgendaItemOut]


class AgendaAddedOut(ResponseModel):
    meeting_id: int
    added: list[AgendaItemOut] = Field(description="those on the agenda already are left out")


# --- request bodies -----------------------------------------------------------------------


class DelegationIn(RequestModel):
    kind: DelegationKind
    name: str
    party: str | None = Field(default=None, description="a party delegation's party")
    classification: Classification = Classification.COMMITTEE
    owner_party: str | None = Field(
        default=None, description="who a restricted observer's delegation is shared with"
    )


class MemberIn(RequestModel):
    name: str
    title: str | None = None
    role: str | None = None
    track: Track | None = None
    username: str | None = Field(default=None, description="the member's account")
    joined_on: dt.date | None = None


class MemberLeaveIn(RequestModel):
    left_on: dt.date


class MeetingIn(RequestModel):
    title: str
    starts_at: dt.datetime = Field(description="with its offset, e.g. 2025-12-19T10:00Z")
    ends_at: dt.datetime | None = None
    place: str | None = None
    tracks: list[Track] = Field(default=[Track.MILITARY, Track.CIVILIAN], min_length=1)
    classification: Classification = Classification.COMMITTEE
    owner_party: str | None = Field(default=None, description="for a restricted meeting")
    invite: bool = Field(default=True, description="invite the current members on its tracks")


class MeetingChangesIn(RequestModel):
    """What to change of a scheduled meeting; a new start without an end keeps its length."""

    title: str | None = None
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    place: str | None = None
    tracks: list[Track] | None = None


class MeetingTransitionIn(RequestModel):
    action: MeetingAction
    note: Note = None


class MinutesIn(RequestModel):
    minutes: str | None = None
    outcomes: str | None = None


class AttendanceIn(RequestModel):
    member_id: int
    status: AttendanceStatus
    note: Note = None


class AgendaItemIn(RequestModel):
    """An item about a record (kind and ref_id; seen where the record is), or about nothing
    on record (kind other, a title, classified as given)."""

    kind: AgendaKind
    ref_id: int | None = None
    title: str | None = None
    classification: Classification = Classification.COMMITTEE
    owner_party: str | None = None


class AgendaItemsIn(RequestModel):
    items: Annotated[list[AgendaItemIn], Field(min_length=1, max_length=MAX_ITEMS)]


class OutcomeIn(RequestModel):
    outcome: str | None = Field(description="what the meeting decided; null clears it")


# --- delegations ----------------------------------------------------------------------------


@router.get("/delegations", summary="The delegations this principal may see, with members")
def list_delegation_records(request: Request) -> list[DelegationOut]:
    found = list_delegations(request_store(request), viewer=request_viewer(request))
    return [_delegation(delegation) for delegation in found]


@router.get(
    "/delegations/{delegation_id}", summary="One delegation and its members", responses=NOT_FOUND
)
def get_one_delegation(request: Request, delegation_id: int) -> DelegationOut:
    return _delegation(
        get_delegation(request_store(request), delegation_id, viewer=request_viewer(request))
    )


@router.post(
    "/delegations", status_code=201, summary="Add a delegation (the chair)", responses=WRITE_ERRORS
)
def add_delegation_record(request: Request, body: DelegationIn) -> DelegationOut:
    new = NewDelegation(
        kind=body.kind,
        name=body.name,
        party=body.party,
        classification=body.classification,
        owner_party=body.owner_party,
    )
    return _delegation(add_delegation(request_store(request), new, by=request_viewer(request)))


@router.post(
    "/delegations/{delegation_id}/members",
    status_code=201,
    summary="Add a member to a delegation (the chair)",
    responses=WRITE_ERRORS,
)
def add_delegation_member(request: Request, delegation_id: int, body: MemberIn) -> MemberOut:
    new = NewMember(
        name=body.name,
        title=body.title,
        role=body.role,
        track=body.track,
        username=body.username,
        joined_on=body.joined_on,
    )
    member = add_member(request_store(request), delegation_id, new, by=request_viewer(request))
    return _member(member)


@router.post(
    "/delegation-members/{member_id}/leave",
    summary="Record that a member left its delegation (the chair)",
    responses=WRITE_ERRORS,
)
def leave_delegation(request: Request, member_id: int, body: MemberLeaveIn) -> MemberOut:
    member = end_membership(
        request_store(request), member_id, left_on=body.left_on, by=request_viewer(request)
    )
    return _member(member)


# --- meetings -------------------------------------------------------------------------------


@router.get("/meetings", summary="Meetings this principal may see, the earliest first")
def list_meeting_page(
    request: Request,
    status: Annotated[MeetingStatus | None, Query(description="only meetings in it")] = None,
    start: Annotated[
        dt.datetime | None, Query(description="only meetings starting at or after it")
    ] = None,
    end: Annotated[
        dt.datetime | None, Query(description="only meetings starting before it")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="page size")] = 50,
    offset: Annotated[int, Query(ge=0, description="meetings to skip")] = 0,
) -> MeetingListOut:
    page = list_meetings(
        request_store(request),
        viewer=request_viewer(request),
        status=status,
        start=start,
        end=end,
        limit=limit,
        offset=offset,
    )
    return _page(request, page)


@router.get(
    "/meetings.ics",
    response_class=Response,
    summary="Every meeting this principal may see, as an iCalendar file",
    responses=CALENDAR,
)
def meetings_calendar(request: Request) -> Response:
    data = meetings_ics(request_store(request), viewer=request_viewer(request))
    return _calendar(data, "truce-meetings.ics")


@router.get(
    "/meetings/{meeting_id}.ics",
    response_class=Response,
    summary="One meeting as an iCalendar file",
    responses={**CALENDAR, **NOT_FOUND},
)
def meeting_calendar(request: Request, meeting_id: int) -> Response:
    data = meeting_ics(request_store(request), meeting_id, viewer=request_viewer(request))
    return _calendar(data, f"truce-meeting-{meeting_id}.ics")


@router.get(
    "/meetings/{meeting_id}",
    summary="One meeting: agenda, attendance, minutes and outcomes",
    responses=NOT_FOUND,
)
def get_one_meeting(request: Request, meeting_id: int) -> MeetingOut:
    return _meeting(get_meeting(request_store(request), meeting_id, viewer=request_viewer(request)))


@router.get(
    "/meetings/{meeting_id}/draft-agenda",
    summary="Agenda items proposed from open work, as this principal sees it (nothing stored)",
    responses=NOT_FOUND,
)
def draft_meeting_agenda(request: Request, meeting_id: int) -> DraftAgendaOut:
    draft = meeting_draft(request_store(request), meeting_id, by=request_viewer(request))
    return DraftAgendaOut(
        meeting_id=draft.meeting.id,
        meeting_title=draft.meeting.title,
        items=[_item(item) for item in draft.items],
    )


@router.post(
    "/meetings", status_code=201, summary="Schedule a meeting (the chair)", responses=WRITE_ERRORS
)
def schedule(request: Request, body: MeetingIn) -> MeetingOut:
    new = NewMeeting(
        title=body.title,
        starts_at=body.starts_at,
        ends_at=body.ends_at,
        place=body.place,
        tracks=tuple(body.tracks),
        classification=body.classification,
        owner_party=body.owner_party,
        invite=body.invite,
    )
    return _meeting(schedule_meeting(request_store(request), new, by=request_viewer(request)))


@router.patch(
    "/meetings/{meeting_id}",
    summary="Change a scheduled meeting's title, times, place or tracks (the chair)",
    responses=WRITE_ERRORS,
)
def change_meeting(request: Request, meeting_id: int, body: MeetingChangesIn) -> MeetingOut:
    changes = MeetingChanges(
        title=body.title,
        starts_at=body.starts_at,
        ends_at=body.ends_at,
        place=body.place,
        tracks=None if body.tracks is None else tuple(body.tracks),
    )
    view = update_meeting(request_store(request), meeting_id, changes, by=request_viewer(request))
    return _meeting(view)


@router.post(
    "/meetings/{meeting_id}/transitions",
    summary="Hold or cancel a scheduled meeting (the chair)",
    responses=WRITE_ERRORS,
)
def move_meeting(request: Request, meeting_id: int, body: MeetingTransitionIn) -> MeetingOut:
    view = transition_meeting(
        request_store(request), meeting_id, body.action, by=request_viewer(request), note=body.note
    )
    return _meeting(view)


@router.post(
    "/meetings/{meeting_id}/minutes",
    summary="Record a held meeting's minutes and outcomes (the chair)",
    responses=WRITE_ERRORS,
)
def meeting_minutes(request: Request, meeting_id: int, body: MinutesIn) -> MeetingOut:
    view = record_minutes(
        request_store(request),
        meeting_id,
        by=request_viewer(request),
        minutes=body.minutes,
        outcomes=body.outcomes,
    )
    return _meeting(view)


@router.post(
    "/meetings/{meeting_id}/attendance",
    summary="Record a member invited, attended or absent (the chair)",
    responses=WRITE_ERRORS,
)
def meeting_attendance(request: Request, meeting_id: int, body: AttendanceIn) -> MeetingOut:
    view = record_attendance(
        request_store(request),
        meeting_id,
        body.member_id,
        body.status,
        by=request_viewer(request),
        note=body.note,
    )
    return _meeting(view)


@router.post(
    "/meetings/{meeting_id}/agenda",
    summary="Add items to a meeting's agenda (the chair)",
    responses=WRITE_ERRORS,
)
def add_meeting_agenda(request: Request, meeting_id: int, body: AgendaItemsIn) -> AgendaAddedOut:
    items = [
        NewAgendaItem(
            kind=item.kind,
            ref_id=item.ref_id,
            title=item.title,
            classification=item.classification,
            owner_party=item.owner_party,
        )
        for item in body.items
    ]
    added = add_agenda_items(request_store(request), meeting_id, items, by=request_viewer(request))
    return AgendaAddedOut(meeting_id=meeting_id, added=[_item(item) for item in added])


@router.post(
    "/meetings/{meeting_id}/agenda/{item_id}/outcome",
    summary="Record the outcome of an agenda item of a held meeting (the chair)",
    responses=WRITE_ERRORS,
)
def agenda_outcome(
    request: Request, meeting_id: int, item_id: int, body: OutcomeIn
) -> AgendaItemOut:
    item = set_agenda_outcome(
        request_store(request), meeting_id, item_id, body.outcome, by=request_viewer(request)
    )
    return _item(item)


# --- rendering ------------------------------------------------------------------------------


def _calendar(data: bytes, filename: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(content=data, media_type=CALENDAR_MEDIA_TYPE, headers=headers)


def _page(request: Request, page: MeetingPage) -> MeetingListOut:
    return MeetingListOut(
        items=[_summary(meeting) for meeting in page.items],
        total=page.total,
        limit=page.limit,
        offset=page.offset,
        next=next_page_url(request, page),
    )


def _summary(meeting: MeetingSummary) -> MeetingSummaryOut:
    return MeetingSummaryOut.model_validate(meeting)


def _meeting(meeting: MeetingView) -> MeetingOut:
    return MeetingOut.model_validate(meeting)


def _item(item: AgendaItem) -> AgendaItemOut:
    return AgendaItemOut.model_validate(item)


def _member(member: Member) -> MemberOut:
    return MemberOut.model_validate(member)


def _delegation(delegation: Delegation) -> DelegationOut:
    return DelegationOut.model_validate(delegation)
