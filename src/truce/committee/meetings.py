"""Meetings of the committee: scheduled by the chair, on tracks (military, civilian), at a
place; who was invited and who attended; the agenda; minutes and outcomes.

::

               hold (the chair, once it has begun)
    scheduled ───────────────────────────────────▶ held
        │
        │ cancel (the chair)
        ▼
    cancelled                          (held and cancelled are final)

An action not in `TRANSITIONS` for the meeting's status is a ConflictError naming the status
and what it allows. A scheduled meeting's title, times, place and tracks may change; minutes
and outcomes are recorded once it is held; attendance is `invited` while it is scheduled,
`attended` or `absent` once held. Every change of the meeting itself raises its iCalendar
SEQUENCE and records an audit entry naming who changed what from what (the status history is
the audit's). A meeting is a classified record; the agenda items it shows a viewer are those
the viewer may see (`truce.committee.agenda`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from truce.committee.meeting_fields import (
    MAX_NAME,
    MAX_TEXT,
    choice,
    now,
    optional_text,
    require_chair,
    text,
    utc_time,
)
from truce.core.access import Classification, Principal, Role, Scope, Track
from truce.core.errors import ConflictError, InputError
from truce.store import Batch, Store
from truce.store.meetings import (
    AgendaItemRow,
    AttendanceRow,
    MeetingFilter,
    MeetingRow,
    NewMeetingRow,
    current_members,
    insert_meeting,
    meeting_in_batch,
    member_in_batch,
    read_all_meetings,
    read_meeting,
    read_meeting_page,
    set_attendance,
)
from truce.store.meetings import update_meeting as update_meeting_row

MAX_PAGE = 500


class MeetingStatus(StrEnum):
    SCHEDULED = "scheduled"
    HELD = "held"
    CANCELLED = "cancelled"


class MeetingAction(StrEnum):
    HOLD = "hold"
    CANCEL = "cancel"


#: every valid change of status: the drawing of the module docstring
TRANSITIONS: Mapping[tuple[MeetingStatus, MeetingAction], MeetingStatus] = {
    (MeetingStatus.SCHEDULED, MeetingAction.HOLD): MeetingStatus.HELD,
    (MeetingStatus.SCHEDULED, MeetingAction.CANCEL): MeetingStatus.CANCELLED,
}


class AttendanceStatus(StrEnum):
    INVITED = "invited"
    ATTENDED = "attended"
    ABSENT = "absent"


class AgendaKind(StrEnum):
    """What an agenda item is about: a record of that kind (its id is `ref_id`), or other."""

    INCIDENT = "incident"
    CASE = "case"
    PROPOSAL = "proposal"
    COMMITMENT = "commitment"
    STATEMENT = "statement"
    OTHER = "other"


@dataclass(frozen=True)
class NewMeeting:
    """A meeting to schedule. Times are aware datetimes (stored in UTC). `invite`: invite
    every current member on the meeting's tracks (of a restricted meeting, only its owner
    party's delegation and the chair's)."""

    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None = None
    place: str | None = None
    tracks: tuple[Track | str, ...] = (Track.MILITARY, Track.CIVILIAN)
    classification: Classification = Classification.COMMITTEE
    owner_party: str | None = None
    invite: bool = True


@dataclass(frozen=True)
class MeetingChanges:
    """What to change of a scheduled meeting; None leaves a value as it is."""

    title: str | None = None
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    place: str | None = None
    tracks: tuple[Track | str, ...] | None = None


@dataclass(frozen=True)
class AgendaItem:
    """An agenda item: stored (with an id), or proposed by `draft_agenda` (id None, and the
    reason it was proposed). Its access is that of the record it is about."""

    id: int | None
    meeting_id: int
    position: int
    kind: AgendaKind
    ref_id: int | None
    title: str
    outcome: str | None
    classification: Classification
    owner_party: str | None
    reason: str | None = None


@dataclass(frozen=True)
class Attendance:
    member_id: int
    member_name: str
    delegation_id: int
    delegation_name: str
    status: AttendanceStatus
    note: str | None
    recorded_by: str
    recorded_at: dt.datetime


@dataclass(frozen=True)
class MeetingSummary:
    """A meeting as a list shows it, with the agenda items the viewer may see."""

    id: int
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    place: str | None
    tracks: tuple[Track, ...]
    status: MeetingStatus
    uid: str  # its iCalendar UID, stable
    sequence: int  # changes of the meeting itself so far
    classification: Classification
    owner_party: str | None
    created_by: str
    created_at: dt.datetime
    updated_by: str | None
    updated_at: dt.datetime | None
    agenda: tuple[AgendaItem, ...]


@dataclass(frozen=True)
class MeetingView(MeetingSummary):
    """A meeting with its minutes, outcomes, attendance, and what the viewer may do now."""

    minutes: str | None
    outcomes: str | None
    attendance: tuple[Attendance, ...]
    actions: tuple[MeetingAction, ...]


@dataclass(frozen=True)
class MeetingPage:
    items: list[MeetingSummary]
    total: int
    limit: int
    offset: int


# --- reading --------------------------------------------------------------------------------


def get_meeting(store: Store, meeting_id: int, *, viewer: Principal) -> MeetingView:
    """The meeting as `viewer` sees it; NotFoundError if none or `viewer` may not see it."""
    record = read_meeting(store, meeting_id, viewer=viewer)
    meeting = record.meeting
    return MeetingView(
        **_summary_fields(meeting, record.agenda),
        minutes=meeting.minutes,
        outcomes=meeting.outcomes,
        attendance=tuple(_attendance(row) for row in record.attendance),
        actions=tuple(actions_for(MeetingStatus(meeting.status), viewer)),
    )


def list_meetings(
    store: Store,
    *,
    viewer: Principal,
    status: MeetingStatus | str | None = None,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    limit: int = 50,
    offset: int = 0,
) -> MeetingPage:
    """A page of the meetings `viewer` may see, the earliest first: in `status`, starting
    at or after `start` and before `end`."""
    if not 1 <= limit <= MAX_PAGE:
        raise InputError(f"limit must be between 1 and {MAX_PAGE}, not {limit}", source="limit")
    if offset < 0:
        raise InputError(f"offset must not be negative, not {offset}", source="offset")
    chosen = None if status is None else choice(status, MeetingStatus, "status")
    rows, total = read_meeting_page(
        store,
        MeetingFilter(
            status=None if chosen is None else chosen.value,
            start=None if start is None else utc_time(start, "start"),
            end=None if end is None else utc_time(end, "end"),
            limit=limit,
            offset=offset,
        ),
        viewer=viewer,
    )
    items = [MeetingSummary(**_summary_fields(row, agenda)) for row, agenda in rows]
    return MeetingPage(items=items, total=total, limit=limit, offset=offset)


def all_meetings(
    store: Store, *, viewer: Principal, meeting_id: int | None = None
) -> list[MeetingSummary]:
    """Every meeting `viewer` may see, the earliest first (or only `meeting_id`:
    NotFoundError if `viewer` may not see it)."""
    rows = read_all_meetings(store, viewer=viewer, meeting_id=meeting_id)
    return [MeetingSummary(**_summary_fields(row, agenda)) for row, agenda in rows]


def next_meeting(
    store: Store, *, viewer: Principal, after: dt.datetime | None = None
) -> MeetingSummary | None:
    """The first scheduled meeting `viewer` may see that starts after `after` (default now)."""
    page = list_meetings(
        store, viewer=viewer, status=MeetingStatus.SCHEDULED, start=after or now(), limit=1
    )
    return page.items[0] if page.items else None


def actions_for(status: MeetingStatus, viewer: Principal) -> list[MeetingAction]:
    """What `viewer` may do now to a meeting in `status` (the chair's alone)."""
    writes = viewer.system or Scope.WRITE in viewer.scopes
    if not (writes and (viewer.system or viewer.role is Role.CHAIR)):
        return []
    return [action for action in MeetingAction if (status, action) in TRANSITIONS]


# --- writing --------------------------------------------------------------------------------


def schedule_meeting(store: Store, new: NewMeeting, *, by: Principal) -> MeetingView:
    """Schedule a meeting (the chair), inviting the members on its tracks if asked."""
    require_chair(by, "schedule meetings")
    title = text(new.title, "title")
    starts_at = utc_time(new.starts_at, "starts_at")
    ends_at = None if new.ends_at is None else utc_time(new.ends_at, "ends_at")
    _check_times(starts_at, ends_at)
    tracks = _tracks(new.tracks)
    classification = choice(new.classification, Classification, "classification")
    owner = optional_text(new.owner_party, "owner_party", MAX_NAME)
    by.check_may_create(classification, owner)
    at = now()
    with store.transaction(by=by) as batch:
        meeting = insert_meeting(
            batch,
            NewMeetingRow(
                title=title,
                starts_at=starts_at,
                ends_at=ends_at,
                place=optional_text(new.place, "place"),
                tracks=tuple(track.value for track in tracks),
                status=MeetingStatus.SCHEDULED.value,
                uid=f"{uuid.uuid4()}@truce",
                at=at,
                classification=classification,
                owner_party=owner,
            ),
        )
        if new.invite:
            parties = None
            if classification is Classification.RESTRICTED:
                parties = [] if owner is None else [owner]
            for member in current_members(batch, list(meeting.tracks), parties):
                set_attendance(
                    batch,
                    meeting.id,
                    member.id,
                    status=AttendanceStatus.INVITED.value,
                    note=None,
                    at=at,
                )
    return get_meeting(store, meeting.id, viewer=by)


def update_meeting(
    store: Store, meeting_id: int, changes: MeetingChanges, *, by: Principal
) -> MeetingView:
    """Change a scheduled meeting's title, times, place or tracks (the chair); ConflictError
    once it is held or cancelled. A new start without a new end keeps the meeting's length.
    Nothing to change changes nothing."""
    require_chair(by, "change meetings")
    values: dict[str, Any] = {}
    if changes.title is not None:
        values["title"] = text(changes.title, "title")
    if changes.starts_at is not None:
        values["starts_at"] = utc_time(changes.starts_at, "starts_at")
    if changes.ends_at is not None:
        values["ends_at"] = utc_time(changes.ends_at, "ends_at")
    if changes.place is not None:
        values["place"] = optional_text(changes.place, "place")
    if changes.tracks is not None:
        values["tracks"] = tuple(track.value for track in _tracks(changes.tracks))
    with store.transaction(by=by) as batch:
        meeting = _scheduled(batch, meeting_id, "change")
        if "starts_at" in values and "ends_at" not in values and meeting.ends_at is not None:
            # a meeting moved keeps its length, unless told its new end
            values["ends_at"] = meeting.ends_at + (values["starts_at"] - meeting.starts_at)
        _check_times(
            values.get("starts_at", meeting.starts_at), values.get("ends_at", meeting.ends_at)
        )
        values = {name: value for name, value in values.items() if getattr(meeting, name) != value}
        if values:
            update_meeting_row(batch, meeting, values, action="change", at=now())
    return get_meeting(store, meeting_id, viewer=by)


def transition_meeting(
    store: Store,
    meeting_id: int,
    action: MeetingAction | str,
    *,
    by: Principal,
    note: str | None = None,
) -> MeetingView:
    """Hold or cancel a scheduled meeting (the chair). ConflictError if its status does not
    allow `action` (naming the status and what it allows), or to hold it before it begins."""
    chosen = choice(action, MeetingAction, "action")
    note = optional_text(note, "note", MAX_TEXT)
    require_chair(by, f"{chosen} meetings")
    at = now()
    with store.transaction(by=by) as batch:
        meeting = meeting_in_batch(batch, meeting_id)
        status = MeetingStatus(meeting.status)
        target = TRANSITIONS.get((status, chosen))
        if target is None:
            allowed = [a.value for a in MeetingAction if (status, a) in TRANSITIONS]
            hint = f"allowed: {', '.join(allowed)}" if allowed else f"{status} is final"
            raise ConflictError(f"meeting {meeting.id} is {status}: it cannot {chosen}; {hint}")
        if chosen is MeetingAction.HOLD and meeting.starts_at > at:
            raise ConflictError(
                f"meeting {meeting.id} begins at {meeting.starts_at.isoformat()}: it cannot be "
                "held before it begins"
            )
        update_meeting_row(
            batch, meeting, {"status": target.value}, action=chosen.value, at=at, note=note
        )
    return get_meeting(store, meeting_id, viewer=by)


def record_minutes(
    store: Store,
    meeting_id: int,
    *,
    by: Principal,
    minutes: str | None = None,
    outcomes: str | None = None,
) -> MeetingView:
    """Record (or correct) a held meeting's minutes and outcomes (the chair); ConflictError
    for a meeting not held."""
    require_chair(by, "record minutes")
    values: dict[str, Any] = {}
    if minutes is not None:
        values["minutes"] = text(minutes, "minutes", MAX_TEXT)
    if outcomes is not None:
        values["outcomes"] = text(outcomes, "outcomes", MAX_TEXT)
    if not values:
        raise InputError("give the minutes, the outcomes, or both", source="minutes")
    with store.transaction(by=by) as batch:
        meeting = meeting_in_batch(batch, meeting_id)
        if meeting.status != MeetingStatus.HELD.value:
            raise ConflictError(
                f"meeting {meeting.id} is {meeting.status}: minutes are recorded once it is held"
            )
        values = {name: value for name, value in values.items() if getattr(meeting, name) != value}
        if values:
            update_meeting_row(batch, meeting, values, action="minutes", at=now())
    return get_meeting(store, meeting_id, viewer=by)


def record_attendance(
    store: Store,
    meeting_id: int,
    member_id: int,
    status: AttendanceStatus | str,
    *,
    by: Principal,
    note: str | None = None,
) -> MeetingView:
    """Record a member as invited (to a scheduled meeting), or as attended or absent (at a
    held one); the chair. ConflictError for another status of the meeting."""
    require_chair(by, "record attendance")
    chosen = choice(status, AttendanceStatus, "status")
    note = optional_text(note, "note", MAX_TEXT)
    with store.transaction(by=by) as batch:
        meeting = meeting_in_batch(batch, meeting_id)
        member = member_in_batch(batch, member_id)
        needed = (
            MeetingStatus.SCHEDULED if chosen is AttendanceStatus.INVITED else MeetingStatus.HELD
        )
        if meeting.status != needed.value:
            raise ConflictError(
                f"meeting {meeting.id} is {meeting.status}: members are recorded {chosen} "
                f"when it is {needed}"
            )
        set_attendance(batch, meeting.id, member.id, status=chosen.value, note=note, at=now())
    return get_meeting(store, meeting_id, viewer=by)


# --- helpers --------------------------------------------------------------------------------


def agenda_item_of(row: AgendaItemRow) -> AgendaItem:
    return AgendaItem(
        id=row.id,
        meeting_id=row.meeting_id,
        position=row.position,
        kind=AgendaKind(row.kind),
        ref_id=row.ref_id,
        title=row.title,
        outcome=row.outcome,
        classification=row.classification,
        owner_party=row.owner_party,
    )


def _scheduled(batch: Batch, meeting_id: int, what: str) -> MeetingRow:
    meeting = meeting_in_batch(batch, meeting_id)
    if meeting.status != MeetingStatus.SCHEDULED.value:
        raise ConflictError(
            f"meeting {meeting.id} is {meeting.status}: only a scheduled meeting can {what}"
        )
    return meeting


def _check_times(starts_at: dt.datetime, ends_at: dt.datetime | None) -> None:
    if ends_at is not None and ends_at <= starts_at:
        raise InputError(
            f"{ends_at.isoformat()} is not after the start, {starts_at.isoformat()}",
            source="ends_at",
        )


def _tracks(values: Sequence[Track | str]) -> list[Track]:
    chosen = [choice(value, Track, "tracks") for value in values]
    if not chosen:
        raise InputError("a meeting has at least one track", source="tracks")
    return [track for track in Track if track in chosen]


def _attendance(row: AttendanceRow) -> Attendance:
    return Attendance(
        member_id=row.member_id,
        member_name=row.member_name,
        delegation_id=row.delegation_id,
        delegation_name=row.delegation_name,
        status=AttendanceStatus(row.status),
        note=row.note,
        recorded_by=row.created_by,
        recorded_at=row.created_at,
    )


def _summary_fields(meeting: MeetingRow, agenda: Sequence[AgendaItemRow]) -> dict[str, Any]:
    return {
        "id": meeting.id,
        "title": meeting.title,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "place": meeting.place,
        "tracks": tuple(Track(track) for track in meeting.tracks),
        "status": MeetingStatus(meeting.status),
        "uid": meeting.uid,
        "sequence": meeting.sequence,
        "classification": meeting.classification,
        "owner_party": meeting.owner_party,
        "created_by": meeting.created_by,
        "created_at": meeting.created_at,
        "updated_by": meeting.updated_by,
        "updated_at": meeting.updated_at,
        # numbered among the items the viewer sees: a gap would tell of a hidden one
        "agenda": tuple(
            replace(agenda_item_of(row), position=number)
            for number, row in enumerate(agenda, start=1)
        ),
    }
