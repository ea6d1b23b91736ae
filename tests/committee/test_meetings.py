"""Meetings: scheduled by the chair, changed while scheduled, held or cancelled, with
attendance, minutes and outcomes; who sees which meeting; the audit of every change."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from meetings_sample import (
    CHAIR,
    CHAIR_READ_ONLY,
    ISRAEL_DELEGATE,
    LEBANON_DELEGATE,
    MONITOR,
    NOW,
    OBSERVER,
    PUBLIC,
    delegations,
    meeting_at,
)

from truce.committee.delegations import get_delegation
from truce.committee.meetings import (
    AttendanceStatus,
    MeetingAction,
    MeetingChanges,
    MeetingStatus,
    NewMeeting,
    get_meeting,
    list_meetings,
    next_meeting,
    record_attendance,
    record_minutes,
    schedule_meeting,
    transition_meeting,
    update_meeting,
)
from truce.core.access import Classification, Track
from truce.core.errors import ConflictError, InputError, NotFoundError, PermissionDeniedError
from truce.security.audit import verify_chain
from truce.store import Store
from truce.store.audit import read_chain
from truce.store.schema import audit_log

NAQOURA = "UNIFIL headquarters, Naqoura"


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as opened:
        yield opened


def audit(store: Store, prefix: str) -> list[tuple[str, str, dict[str, object]]]:
    with store.reading("test") as connection:
        rows = connection.execute(
            sa.select(audit_log.c.actor, audit_log.c.action, audit_log.c.detail)
            .where(audit_log.c.action.startswith(prefix))
            .order_by(audit_log.c.seq)
        ).all()
    return [(actor, action, json.loads(detail) if detail else {}) for actor, action, detail in rows]


def test_a_meeting_from_schedule_to_minutes(store: Store) -> None:
    made = delegations(store)
    starts = NOW + dt.timedelta(days=2)
    meeting = schedule_meeting(
        store,
        NewMeeting(
            title="Mechanism meeting with civilian envoys",
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=3),
            place=NAQOURA,
            tracks=("civilian",),
        ),
        by=CHAIR,
    )
    assert (meeting.status, meeting.sequence, meeting.tracks) == (
        MeetingStatus.SCHEDULED,
        0,
        (Track.CIVILIAN,),
    )
    assert meeting.uid.endswith("@truce")
    assert meeting.actions == (MeetingAction.HOLD, MeetingAction.CANCEL)
    # invited: the members on the civilian track, and those on no track
    assert sorted((a.delegation_name, a.member_name) for a in meeting.attendance) == [
        ("Chair", "Michael Leeney"),
        ("Israel", "Uri Resnick"),
        ("Lebanon", "Simon Karam"),
    ]
    assert {a.status for a in meeting.attendance} == {AttendanceStatus.INVITED}

    moved = update_meeting(
        store,
        meeting.id,
        MeetingChanges(starts_at=starts - dt.timedelta(hours=1), place=NAQOURA),
        by=CHAIR,
    )
    assert (moved.starts_at, moved.sequence, moved.updated_by) == (
        starts - dt.timedelta(hours=1),
        1,
        "chair",
    )
    assert update_meeting(store, meeting.id, MeetingChanges(place=NAQOURA), by=CHAIR).sequence == 1
    with pytest.raises(ConflictError, match="cannot be held before it begins"):
        transition_meeting(store, meeting.id, MeetingAction.HOLD, by=CHAIR)
    with pytest.raises(ConflictError, match="minutes are recorded once it is held"):
        record_minutes(store, meeting.id, minutes="Too early.", by=CHAIR)

    began = update_meeting(
        store,
        meeting.id,
        MeetingChanges(
            starts_at=NOW - dt.timedelta(hours=2), ends_at=NOW - dt.timedelta(minutes=30)
        ),
        by=CHAIR,
    )
    held = transition_meeting(
        store, meeting.id, MeetingAction.HOLD, by=CHAIR, note="met as planned"
    )
    assert (held.status, held.sequence, held.actions) == (MeetingStatus.HELD, 3, ())
    assert began.sequence == 2
    karam = get_delegation(store, made["Lebanon"], viewer=CHAIR).members[0]
    resnick = get_delegation(store, made["Israel"], viewer=CHAIR).members[0]
    record_attendance(store, meeting.id, karam.id, "attended", by=CHAIR)
    after = record_attendance(
        store, meeting.id, resnick.id, AttendanceStatus.ABSENT, by=CHAIR, note="sent regrets"
    )
    statuses = {a.member_name: (a.status, a.note) for a in after.attendance}
    assert statuses["Simon Karam"] == (AttendanceStatus.ATTENDED, None)
    assert statuses["Uri Resnick"] == (AttendanceStatus.ABSENT, "sent regrets")
    with pytest.raises(ConflictError, match="members are recorded invited when it is scheduled"):
        record_attendance(store, meeting.id, karam.id, "invited", by=CHAIR)
    done = record_minutes(
        store,
        meeting.id,
        minutes="The envoys met for the first time.",
        outcomes="Both sides agreed to reconvene with proposals before the new year.",
        by=CHAIR,
    )
    assert done.minutes == "The envoys met for the first time."
    assert done.outcomes is not None
    assert done.outcomes.startswith("Both sides agreed")
    assert done.sequence == 4
    with pytest.raises(ConflictError, match="only a scheduled meeting can change"):
        update_meeting(store, meeting.id, MeetingChanges(title="Renamed"), by=CHAIR)

    changes = audit(store, "meeting.")
    assert [action for _, action, _ in changes] == [
        "meeting.schedule",
        "meeting.attendance",
        "meeting.attendance",
        "meeting.attendance",
        "meeting.change",
        "meeting.change",
        "meeting.hold",
        "meeting.attendance",
        "meeting.attendance",
        "meeting.minutes",
    ]
    assert {actor for actor, _, _ in changes} == {"chair"}
    hold = changes[6][2]
    assert hold == {"status": {"was": "scheduled", "now": "held"}, "note": "met as planned"}
    # the place given was the place it had; the end moved with the start
    assert set(changes[4][2]) == {"starts_at", "ends_at"}
    report = verify_chain(read_chain(store))
    assert report.ok, report.problem


def test_held_and_cancelled_are_final(store: Store) -> None:
    cancelled = meeting_at(store, "Called off", NOW + dt.timedelta(days=1))
    view = transition_meeting(store, cancelled, "cancel", by=CHAIR, note="the envoys are away")
    assert (view.status, view.sequence) == (MeetingStatus.CANCELLED, 1)
    with pytest.raises(ConflictError, match=f"meeting {cancelled} is cancelled: it cannot hold"):
        transition_meeting(store, cancelled, MeetingAction.HOLD, by=CHAIR)
    held = meeting_at(store, "Done", NOW - dt.timedelta(days=1), held=True)
    with pytest.raises(ConflictError, match="is held: it cannot cancel; held is final"):
        transition_meeting(store, held, MeetingAction.CANCEL, by=CHAIR)
    with pytest.raises(InputError, match="action: 'postpone' is not one of hold, cancel"):
        transition_meeting(store, held, "postpone", by=CHAIR)


def test_only_the_chair_schedules_and_moves_meetings(store: Store) -> None:
    new = NewMeeting(title="Side meeting", starts_at=NOW + dt.timedelta(days=1))
    for who in (LEBANON_DELEGATE, MONITOR, OBSERVER, PUBLIC, CHAIR_READ_ONLY):
        with pytest.raises(PermissionDeniedError, match="the chair does"):
            schedule_meeting(store, new, by=who)
    meeting = meeting_at(store, "Mechanism meeting", NOW + dt.timedelta(days=1))
    for who in (ISRAEL_DELEGATE, CHAIR_READ_ONLY):
        with pytest.raises(PermissionDeniedError):
            transition_meeting(store, meeting, MeetingAction.CANCEL, by=who)
        with pytest.raises(PermissionDeniedError):
            update_meeting(store, meeting, MeetingChanges(title="Mine now"), by=who)
        assert get_meeting(store, meeting, viewer=who).actions == ()
    assert get_meeting(store, meeting, viewer=CHAIR).status is MeetingStatus.SCHEDULED


def test_times_and_values_are_checked(store: Store) -> None:
    starts = NOW + dt.timedelta(days=1)
    with pytest.raises(InputError, match=r"starts_at: .* has no time zone"):
        schedule_meeting(
            store, NewMeeting(title="x", starts_at=starts.replace(tzinfo=None)), by=CHAIR
        )
    with pytest.raises(InputError, match=r"ends_at: .* is not after the start"):
        schedule_meeting(store, NewMeeting(title="x", starts_at=starts, ends_at=starts), by=CHAIR)
    with pytest.raises(InputError, match="tracks: 'naval' is not one of"):
        schedule_meeting(
            store, NewMeeting(title="x", starts_at=starts, tracks=("naval",)), by=CHAIR
        )
    with pytest.raises(InputError, match="title: must not be empty"):
        schedule_meeting(store, NewMeeting(title="  ", starts_at=starts), by=CHAIR)
    beirut = dt.timezone(dt.timedelta(hours=2))
    local = schedule_meeting(
        store, NewMeeting(title="x", starts_at=dt.datetime(2026, 1, 7, 12, tzinfo=beirut)), by=CHAIR
    )
    assert local.starts_at == dt.datetime(2026, 1, 7, 10, tzinfo=dt.UTC)


def test_who_sees_which_meeting(store: Store) -> None:
    delegations(store)
    public = meeting_at(
        store, "Open session", NOW + dt.timedelta(days=1), classification=Classification.PUBLIC
    )
    committee = meeting_at(store, "Mechanism meeting", NOW + dt.timedelta(days=2))
    starts = NOW + dt.timedelta(days=3)
    lebanon_view = schedule_meeting(
        store,
        NewMeeting(
            title="Consultation with Lebanon",
            starts_at=starts,
            classification=Classification.RESTRICTED,
            owner_party="lebanon",
        ),
        by=CHAIR,
    )
    # only Lebanon's delegation and the chair's are invited to it
    assert {a.delegation_name for a in lebanon_view.attendance} == {"Chair", "Lebanon"}
    lebanon = lebanon_view.id
    expected = {
        PUBLIC: [public],
        OBSERVER: [public, committee],
        ISRAEL_DELEGATE: [public, committee],
        LEBANON_DELEGATE: [public, committee, lebanon],
        CHAIR: [public, committee, lebanon],
    }
    for viewer, ids in expected.items():
        page = list_meetings(store, viewer=viewer)
        assert ([m.id for m in page.items], page.total) == (ids, len(ids))
    for viewer in (PUBLIC, OBSERVER, ISRAEL_DELEGATE):
        with pytest.raises(NotFoundError, match=f"no meeting with id {lebanon}"):
            get_meeting(store, lebanon, viewer=viewer)
    assert next_meeting(store, viewer=ISRAEL_DELEGATE) is not None
    upcoming = list_meetings(store, viewer=CHAIR, start=NOW + dt.timedelta(hours=36))
    assert [m.id for m in upcoming.items] == [committee, lebanon]
    first = list_meetings(store, viewer=CHAIR, limit=1, offset=1)
    assert ([m.id for m in first.items], first.total) == ([committee], 3)
    assert list_meetings(store, viewer=CHAIR, status="held").items == []
    with pytest.raises(InputError, match="status: 'done' is not one of"):
        list_meetings(store, viewer=CHAIR, status="done")
    with pytest.raises(InputError, match="limit"):
        list_meetings(store, viewer=CHAIR, limit=0)
    nxt = next_meeting(store, viewer=LEBANON_DELEGATE, after=NOW + dt.timedelta(hours=60))
    assert nxt is not None
    assert nxt.id == lebanon
