"""Delegations, their members, meetings, attendance and agenda items: every query of those
tables (the rules are `truce.committee`'s).

Delegations, meetings and agenda items are classified records (owner party and
classification); members are seen with their delegation, attendance with its meeting. An
agenda item is shown only where its own access allows AND the record it refers to is visible
to the viewer (`hidden_references` in `store.agenda`), so a reclassified case takes its items
with it.

Reads take the Store and open their own read transaction, or, inside a write, the Batch;
writes take the Batch and record one audit entry for every row written or changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, RowMapping

from truce.core.access import Classification, Principal
from truce.core.audit import content_hash
from truce.core.errors import ConflictError, NotFoundError
from truce.store.access import visible_to
from truce.store.agenda import hidden_references
from truce.store.committee_schema import (
    agenda_items,
    delegation_members,
    delegations,
    meeting_attendance,
    meetings,
)
from truce.store.schema import users
from truce.store.store import MAX_ID, Batch, Store

# --- rows -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DelegationRow:
    id: int
    kind: str
    party: str | None
    name: str
    created_by: str
    created_at: dt.datetime
    classification: Classification
    owner_party: str | None


@dataclass(frozen=True)
class MemberRow:
    """A delegation member, with the username of its account (if any)."""

    id: int
    delegation_id: int
    name: str
    title: str | None
    role: str | None
    track: str | None
    user_id: int | None
    username: str | None
    joined_on: dt.date | None
    left_on: dt.date | None
    created_by: str
    created_at: dt.datetime


@dataclass(frozen=True)
class MeetingRow:
    id: int
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    place: str | None
    tracks: tuple[str, ...]
    status: str
    minutes: str | None
    outcomes: str | None
    uid: str
    sequence: int
    created_by: str
    created_at: dt.datetime
    updated_by: str | None
    updated_at: dt.datetime | None
    classification: Classification
    owner_party: str | None


@dataclass(frozen=True)
class AttendanceRow:
    """A member's attendance of a meeting, with the member's name and delegation."""

    id: int
    meeting_id: int
    member_id: int
    member_name: str
    delegation_id: int
    delegation_name: str
    status: str
    note: str | None
    created_by: str
    created_at: dt.datetime


@dataclass(frozen=True)
class AgendaItemRow:
    id: int
    meeting_id: int
    position: int
    title: str
    kind: str
    ref_id: int | None
    outcome: str | None
    created_by: str
    created_at: dt.datetime
    classification: Classification
    owner_party: str | None


@dataclass(frozen=True)
class MeetingRecord:
    """A meeting with the attendance and agenda items the viewer may see."""

    meeting: MeetingRow
    attendance: tuple[AttendanceRow, ...]
    agenda: tuple[AgendaItemRow, ...]  # by position


@dataclass(frozen=True)
class MeetingFilter:
    status: str | None = None
    start: dt.datetime | None = None  # meetings starting at or after
    end: dt.datetime | None = None  # meetings starting before
    limit: int = 50
    offset: int = 0


@dataclass(frozen=True)
class NewMeetingRow:
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    place: str | None
    tracks: tuple[str, ...]
    status: str
    uid: str
    at: dt.datetime
    classification: Classification
    owner_party: str | None


@dataclass(frozen=True)
class NewAgendaRow:
    title: str
    kind: str
    ref_id: int | None
    classification: Classification
    owner_party: str | None


# --- delegations ----------------------------------------------------------------------------


def read_delegations(
    store: Store, *, viewer: Principal, delegation_id: int | None = None
) -> list[tuple[DelegationRow, tuple[MemberRow, ...]]]:
    """The delegations `viewer` may see (or only `delegation_id`), by name, with their
    members (those who left too), oldest first."""
    conditions = [visible_to(delegations, viewer)]
    if delegation_id is not None:
        if not _possible_id(delegation_id):
            return []
        conditions.append(delegations.c.id == delegation_id)
    with store.reading("reading delegations") as connection:
        rows = [
            _delegation(row)
            for row in connection.execute(
                sa.select(delegations).where(*conditions).order_by(delegations.c.name)
            ).mappings()
        ]
        members = _members_of(connection, [row.id for row in rows])
    return [(row, tuple(members.get(row.id, ()))) for row in rows]


def delegation_in_batch(batch: Batch, delegation_id: int) -> DelegationRow:
    """NotFoundError unless the batch's principal may see the delegation."""
    row = None
    if _possible_id(delegation_id):
        row = (
            batch.connection.execute(
                sa.select(delegations).where(
                    delegations.c.id == delegation_id, visible_to(delegations, batch.by)
                )
            )
            .mappings()
            .first()
        )
    if row is None:
        raise NotFoundError(f"no delegation with id {delegation_id}")
    return _delegation(row)


def party_delegation_exists(batch: Batch, party: str) -> bool:
    found = batch.connection.execute(
        sa.select(delegations.c.id).where(
            delegations.c.kind == "party", delegations.c.party == party
        )
    ).first()
    return found is not None


def delegation_named(batch: Batch, name: str) -> bool:
    found = batch.connection.execute(
        sa.select(delegations.c.id).where(sa.func.lower(delegations.c.name) == name.lower())
    ).first()
    return found is not None


def insert_delegation(
    batch: Batch,
    *,
    kind: str,
    party: str | None,
    name: str,
    at: dt.datetime,
    classification: Classification,
    owner_party: str | None,
) -> DelegationRow:
    values: dict[str, Any] = {
        "kind": kind,
        "party": party,
        "name": name,
        "created_by": batch.by.name,
        "created_at": at,
        "classification": classification.value,
        "owner_party": owner_party,
    }
    delegation_id = _insert(batch, delegations, values)
    batch.audit.record("delegation.add", delegations.name, delegation_id, content_hash(values))
    return _delegation({"id": delegation_id, **values})


def user_id_of(batch: Batch, username: str) -> tuple[int, str | None, str] | None:
    """(id, party, role) of the user `username`, if there is one."""
    row = batch.connection.execute(
        sa.select(users.c.id, users.c.party, users.c.role).where(users.c.username == username)
    ).first()
    return None if row is None else (row.id, row.party, row.role)


def insert_member(
    batch: Batch,
    delegation_id: int,
    *,
    name: str,
    title: str | None,
    role: str | None,
    track: str | None,
    user: tuple[int, str] | None,
    joined_on: dt.date | None,
    at: dt.datetime,
) -> MemberRow:
    """Add a member (`user`: the id and username of its account, if any)."""
    values: dict[str, Any] = {
        "delegation_id": delegation_id,
        "name": name,
        "title": title,
        "role": role,
        "track": track,
        "user_id": None if user is None else user[0],
        "joined_on": joined_on,
        "left_on": None,
        "created_by": batch.by.name,
        "created_at": at,
    }
    member_id = _insert(batch, delegation_members, values)
    batch.audit.record(
        "delegation.member.add",
        delegation_members.name,
        member_id,
        content_hash(values),
        {"delegation": delegation_id},
    )
    return MemberRow(id=member_id, username=None if user is None else user[1], **values)


def member_in_batch(batch: Batch, member_id: int) -> MemberRow:
    """A member of a delegation the batch's principal may see; else NotFoundError."""
    row = None
    if _possible_id(member_id):
        row = (
            batch.connection.execute(
                _member_select()
                .join(delegations, delegations.c.id == delegation_members.c.delegation_id)
                .where(delegation_members.c.id == member_id, visible_to(delegations, batch.by))
            )
            .mappings()
            .first()
        )
    if row is None:
        raise NotFoundError(f"no delegation member with id {member_id}")
    return MemberRow(**row)


def set_member_left(batch: Batch, member: MemberRow, left_on: dt.date) -> MemberRow:
    changed = batch.connection.execute(
        sa.update(delegation_members)
        .where(delegation_members.c.id == member.id, delegation_members.c.left_on.is_(None))
        .values(left_on=left_on)
    ).rowcount
    if changed != 1:
        raise ConflictError(f"member {member.id} has left the delegation already")
    values = {f.name: getattr(member, f.name) for f in fields(member)}
    values.update(left_on=left_on)
    values.pop("username")
    batch.audit.record(
        "delegation.member.leave",
        delegation_members.name,
        member.id,
        content_hash({k: v for k, v in values.items() if k != "id"}),
        {"delegation": member.delegation_id, "left_on": left_on},
    )
    return MemberRow(**{**values, "username": member.username})


def current_members(
    batch: Batch, tracks: Sequence[str], parties: Sequence[str] | None = None
) -> list[MemberRow]:
    """Members who have not left, of delegations the batch's principal may see, on one of
    `tracks` or on none; with `parties`, only of those parties' delegations and the chair's."""
    conditions = [
        delegation_members.c.left_on.is_(None),
        visible_to(delegations, batch.by),
        sa.or_(delegation_members.c.track.is_(None), delegation_members.c.track.in_(list(tracks))),
    ]
    if parties is not None:
        conditions.append(
            sa.or_(delegations.c.kind == "chair", delegations.c.party.in_(list(parties)))
        )
    statement = (
        _member_select()
        .join(delegations, delegations.c.id == delegation_members.c.delegation_id)
        .where(*conditions)
        .order_by(delegation_members.c.id)
    )
    return [MemberRow(**row) for row in batch.connection.execute(statement).mappings()]


# --- meetings -------------------------------------------------------------------------------


def read_meeting(store: Store, meeting_id: int, *, viewer: Principal) -> MeetingRecord:
    """The meeting with its attendance and the agenda items `viewer` may see; NotFoundError
    if there is none or `viewer` may not see it."""
    with store.reading("reading a meeting") as connection:
        meeting = _meeting_where(connection, meeting_id, viewer)
        if meeting is None:
            raise NotFoundError(f"no meeting with id {meeting_id}")
        agenda = visible_agenda(connection, [meeting.id], viewer)
        return MeetingRecord(
            meeting=meeting,
            attendance=tuple(_attendance(connection, meeting.id, viewer)),
            agenda=tuple(agenda.get(meeting.id, ())),
        )


def read_meeting_page(
    store: Store, meeting_filter: MeetingFilter, *, viewer: Principal
) -> tuple[list[tuple[MeetingRow, tuple[AgendaItemRow, ...]]], int]:
    """A page of the meetings `viewer` may see, by start (earliest first), each with the
    agenda items `viewer` may see, and how many meetings match in all."""
    conditions = _meeting_conditions(meeting_filter, viewer)
    with store.reading("listing meetings") as connection:
        total = connection.execute(
            sa.select(sa.func.count()).select_from(meetings).where(*conditions)
        ).scalar_one()
        rows = [
            _meeting(row)
            for row in connection.execute(
                sa.select(meetings)
                .where(*conditions)
                .order_by(meetings.c.starts_at, meetings.c.id)
                .limit(meeting_filter.limit)
                .offset(meeting_filter.offset)
            ).mappings()
        ]
        agenda = visible_agenda(connection, [row.id for row in rows], viewer)
    return [(row, tuple(agenda.get(row.id, ()))) for row in rows], total


def read_all_meetings(
    store: Store, *, viewer: Principal, meeting_id: int | None = None
) -> list[tuple[MeetingRow, tuple[AgendaItemRow, ...]]]:
    """Every meeting `viewer` may see (or only `meeting_id`: NotFoundError if not seen), by
    start, with the agenda items `viewer` may see: for calendars."""
    conditions = [visible_to(meetings, viewer)]
    if meeting_id is not None:
        if not _possible_id(meeting_id):
            raise NotFoundError(f"no meeting with id {meeting_id}")
        conditions.append(meetings.c.id == meeting_id)
    with store.reading("reading meetings") as connection:
        rows = [
            _meeting(row)
            for row in connection.execute(
                sa.select(meetings).where(*conditions).order_by(meetings.c.starts_at, meetings.c.id)
            ).mappings()
        ]
        agenda = visible_agenda(connection, [row.id for row in rows], viewer)
    if meeting_id is not None and not rows:
        raise NotFoundError(f"no meeting with id {meeting_id}")
    return [(row, tuple(agenda.get(row.id, ()))) for row in rows]


def meeting_in_batch(batch: Batch, meeting_id: int) -> MeetingRow:
    """The meeting as the batch's principal sees it; NotFoundError if absent or hidden."""
    meeting = _meeting_where(batch.connection, meeting_id, batch.by)
    if meeting is None:
        raise NotFoundError(f"no meeting with id {meeting_id}")
    return meeting


def insert_meeting(batch: Batch, new: NewMeetingRow) -> MeetingRow:
    values: dict[str, Any] = {
        "title": new.title,
        "starts_at": new.starts_at,
        "ends_at": new.ends_at,
        "place": new.place,
        "tracks": list(new.tracks),
        "status": new.status,
        "minutes": None,
        "outcomes": None,
        "uid": new.uid,
        "sequence": 0,
        "created_by": batch.by.name,
        "created_at": new.at,
        "updated_by": None,
        "updated_at": None,
        "classification": new.classification.value,
        "owner_party": new.owner_party,
    }
    meeting_id = _insert(batch, meetings, values)
    batch.audit.record("meeting.schedule", meetings.name, meeting_id, content_hash(values))
    return _meeting({"id": meeting_id, **values})


def update_meeting(
    batch: Batch,
    meeting: MeetingRow,
    changes: Mapping[str, Any],
    *,
    action: str,
    at: dt.datetime,
    note: str | None = None,
) -> MeetingRow:
    """Change the meeting's columns, if it is still as read (ConflictError if another writer
    changed it meanwhile), raising its iCalendar sequence; the audit entry `action` names
    each change, from what to what."""
    stored = {name: (list(value) if name == "tracks" else value) for name, value in changes.items()}
    stored.update(sequence=meeting.sequence + 1, updated_by=batch.by.name, updated_at=at)
    changed = batch.connection.execute(
        sa.update(meetings)
        .where(meetings.c.id == meeting.id, meetings.c.sequence == meeting.sequence)
        .values(stored)
    ).rowcount
    if changed != 1:
        raise ConflictError(f"meeting {meeting.id} changed while it was being changed; try again")
    before = _meeting_values(meeting)
    after = {**before, **stored}
    detail: dict[str, Any] = {name: {"was": before[name], "now": after[name]} for name in changes}
    if note is not None:
        detail["note"] = note
    batch.audit.record("meeting." + action, meetings.name, meeting.id, content_hash(after), detail)
    return _meeting({"id": meeting.id, **after})


def set_attendance(
    batch: Batch, meeting_id: int, member_id: int, *, status: str, note: str | None, at: dt.datetime
) -> None:
    """Set (or first record) a member's attendance of the meeting."""
    connection = batch.connection
    insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    values: dict[str, Any] = {
        "meeting_id": meeting_id,
        "member_id": member_id,
        "status": status,
        "note": note,
        "created_by": batch.by.name,
        "created_at": at,
    }
    previous = connection.execute(
        sa.select(meeting_attendance.c.status).where(
            meeting_attendance.c.meeting_id == meeting_id,
            meeting_attendance.c.member_id == member_id,
        )
    ).scalar_one_or_none()
    statement = (
        insert(meeting_attendance)
        .values(values)
        .on_conflict_do_update(
            index_elements=["meeting_id", "member_id"],
            set_={"status": status, "note": note, "created_by": batch.by.name, "created_at": at},
        )
        .returning(meeting_attendance.c.id)
    )
    row_id = connection.execute(statement).scalar_one()
    batch.audit.record(
        "meeting.attendance",
        meeting_attendance.name,
        row_id,
        content_hash(values),
        {"meeting": meeting_id, "member": member_id, "status": {"was": previous, "now": status}},
    )


def insert_agenda_items(
    batch: Batch, meeting_id: int, items: Sequence[NewAgendaRow], *, at: dt.datetime
) -> list[AgendaItemRow]:
    """Append items to the meeting's agenda, after every item it has (seen or not)."""
    last = batch.connection.execute(
        sa.select(sa.func.max(agenda_items.c.position)).where(
            agenda_items.c.meeting_id == meeting_id
        )
    ).scalar_one()
    position = last or 0
    written = []
    for item in items:
        position += 1
        values: dict[str, Any] = {
            "meeting_id": meeting_id,
            "position": position,
            "title": item.title,
            "kind": item.kind,
            "ref_id": item.ref_id,
            "outcome": None,
            "created_by": batch.by.name,
            "created_at": at,
            "classification": item.classification.value,
            "owner_party": item.owner_party,
        }
        item_id = _insert(batch, agenda_items, values)
        batch.audit.record(
            "meeting.agenda.add",
            agenda_items.name,
            item_id,
            content_hash(values),
            {"meeting": meeting_id, "kind": item.kind, "ref_id": item.ref_id},
        )
        written.append(_agenda_item({"id": item_id, **values}))
    return written


def agenda_keys(batch: Batch, meeting_id: int) -> set[tuple[str, int | str]]:
    """What the meeting's agenda has, seen or not by the batch's principal: (kind, ref_id) of
    items about a record, ("other", title) of the others; for not adding anything twice."""
    statement = sa.select(agenda_items.c.kind, agenda_items.c.ref_id, agenda_items.c.title).where(
        agenda_items.c.meeting_id == meeting_id
    )
    return {
        (kind, title if ref_id is None else ref_id)
        for kind, ref_id, title in batch.connection.execute(statement)
    }


def agenda_item_in_batch(batch: Batch, meeting_id: int, item_id: int) -> AgendaItemRow:
    """An item of the meeting the batch's principal may see; else NotFoundError."""
    found = visible_agenda(batch.connection, [meeting_id], batch.by).get(meeting_id, [])
    for item in found:
        if item.id == item_id:
            return item
    raise NotFoundError(f"meeting {meeting_id} has no agenda item with id {item_id}")


def set_item_outcome(batch: Batch, item: AgendaItemRow, outcome: str | None) -> AgendaItemRow:
    batch.connection.execute(
        sa.update(agenda_items).where(agenda_items.c.id == item.id).values(outcome=outcome)
    )
    values = {f.name: getattr(item, f.name) for f in fields(item) if f.name != "id"}
    values.update(outcome=outcome, classification=item.classification.value)
    batch.audit.record(
        "meeting.agenda.outcome",
        agenda_items.name,
        item.id,
        content_hash(values),
        {"meeting": item.meeting_id, "outcome": {"was": item.outcome, "now": outcome}},
    )
    return _agenda_item({"id": item.id, **values})


def visible_agenda(
    connection: Connection, meeting_ids: Sequence[int], viewer: Principal
) -> dict[int, list[AgendaItemRow]]:
    """The agenda items of each meeting that `viewer` may see, by position: the item's own
    access, and the record it refers to visible too."""
    if not meeting_ids:
        return {}
    statement = (
        sa.select(agenda_items)
        .where(agenda_items.c.meeting_id.in_(meeting_ids), visible_to(agenda_items, viewer))
        .order_by(agenda_items.c.meeting_id, agenda_items.c.position, agenda_items.c.id)
    )
    items = [_agenda_item(row) for row in connection.execute(statement).mappings()]
    hidden = hidden_references(
        connection, [(item.kind, item.ref_id) for item in items if item.ref_id is not None], viewer
    )
    by_meeting: dict[int, list[AgendaItemRow]] = {}
    for item in items:
        if item.ref_id is not None and (item.kind, item.ref_id) in hidden:
            continue
        by_meeting.setdefault(item.meeting_id, []).append(item)
    return by_meeting


# --- helpers --------------------------------------------------------------------------------


def _meeting_conditions(
    meeting_filter: MeetingFilter, viewer: Principal
) -> list[sa.ColumnElement[bool]]:
    conditions: list[sa.ColumnElement[bool]] = [visible_to(meetings, viewer)]
    if meeting_filter.status is not None:
        conditions.append(meetings.c.status == meeting_filter.status)
    if meeting_filter.start is not None:
        conditions.append(meetings.c.starts_at >= meeting_filter.start)
    if meeting_filter.end is not None:
        conditions.append(meetings.c.starts_at < meeting_filter.end)
    return conditions


def _meeting_where(connection: Connection, meeting_id: int, viewer: Principal) -> MeetingRow | None:
    if not _possible_id(meeting_id):
        return None
    row = (
        connection.execute(
            sa.select(meetings).where(meetings.c.id == meeting_id, visible_to(meetings, viewer))
        )
        .mappings()
        .first()
    )
    return None if row is None else _meeting(row)


def _attendance(connection: Connection, meeting_id: int, viewer: Principal) -> list[AttendanceRow]:
    statement = (
        sa.select(
            meeting_attendance,
            delegation_members.c.name.label("member_name"),
            delegations.c.id.label("delegation_id"),
            delegations.c.name.label("delegation_name"),
        )
        .join(delegation_members, delegation_members.c.id == meeting_attendance.c.member_id)
        .join(delegations, delegations.c.id == delegation_members.c.delegation_id)
        .where(meeting_attendance.c.meeting_id == meeting_id, visible_to(delegations, viewer))
        .order_by(delegations.c.name, delegation_members.c.name, meeting_attendance.c.id)
    )
    return [AttendanceRow(**row) for row in connection.execute(statement).mappings()]


def _member_select() -> sa.Select[Any]:
    return sa.select(delegation_members, users.c.username).outerjoin(
        users, users.c.id == delegation_members.c.user_id
    )


def _members_of(
    connection: Connection, delegation_ids: Sequence[int]
) -> dict[int, list[MemberRow]]:
    if not delegation_ids:
        return {}
    statement = (
        _member_select()
        .where(delegation_members.c.delegation_id.in_(delegation_ids))
        .order_by(delegation_members.c.id)
    )
    found: dict[int, list[MemberRow]] = {}
    for row in connection.execute(statement).mappings():
        member = MemberRow(**row)
        found.setdefault(member.delegation_id, []).append(member)
    return found


def _delegation(row: Mapping[str, Any] | RowMapping) -> DelegationRow:
    values = dict(row)
    values["classification"] = Classification(values["classification"])
    return DelegationRow(**values)


def _meeting(row: Mapping[str, Any] | RowMapping) -> MeetingRow:
    values = dict(row)
    values["classification"] = Classification(values["classification"])
    values["tracks"] = tuple(values["tracks"] or ())
    return MeetingRow(**values)


def _meeting_values(meeting: MeetingRow) -> dict[str, Any]:
    """A meeting as insert_meeting hashed it (without its id)."""
    values = {f.name: getattr(meeting, f.name) for f in fields(meeting) if f.name != "id"}
    values["tracks"] = list(meeting.tracks)
    values["classification"] = meeting.classification.value
    return values


def _agenda_item(row: Mapping[str, Any] | RowMapping) -> AgendaItemRow:
    values = dict(row)
    values["classification"] = Classification(values["classification"])
    return AgendaItemRow(**values)


def _insert(batch: Batch, table: sa.Table, values: Mapping[str, Any]) -> int:
    new_id: int = batch.connection.execute(
        sa.insert(table).values(dict(values)).returning(table.c.id)
    ).scalar_one()
    return new_id


def _possible_id(pk: int) -> bool:
    """Ids are positive 32-bit integers; asking PostgreSQL for others is an error, not a miss."""
    return 0 < pk <= MAX_ID
