"""Positions: the army's, established as it deploys, and those Israel holds inside Lebanon
(the pack's five hilltops), with their withdrawal status over time.

::

    held ──▶ withdrawn | handed-over          (both final; `POSITION_TRANSITIONS`)

A move not in the table is a ConflictError naming the status and what it allows; each move is
a position_history row and an audit entry naming who. Positions the pack lists (places whose
id's local part starts with ``position-``) are stored once by `seed_positions_from_pack`:
seeding again adds nothing. Who may write: see `truce.committee.record_fields`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from truce.committee.record_fields import (
    MAX_NAME,
    MAX_TEXT,
    MAX_TITLE,
    StatusChange,
    access_values,
    change_of,
    check_after,
    check_move,
    check_page,
    choice,
    optional_point,
    optional_text,
    pack_party,
    past_day,
    required_text,
    today,
    zone_index,
)
from truce.core.access import Classification, Principal
from truce.core.errors import InputError, PermissionDeniedError
from truce.store import Store
from truce.store import disarmament as rows
from truce.store.committee_schema import position_history
from truce.store.disarmament import Page
from truce.theatre import TheatrePack, load_pack

#: pack places whose id's local part starts so are positions one side holds across the line
HELD_POSITION_PREFIX: Final = "position-"
#: who holds the pack's positions (the five hilltops)
PACK_POSITIONS_HOLDER: Final = "israel"
#: the army whose positions count as "army positions established"
ARMY_HOLDER: Final = "lebanon"


class PositionStatus(StrEnum):
    HELD = "held"
    WITHDRAWN = "withdrawn"
    HANDED_OVER = "handed-over"


POSITION_TRANSITIONS: Final[Mapping[PositionStatus, tuple[PositionStatus, ...]]] = {
    PositionStatus.HELD: (PositionStatus.WITHDRAWN, PositionStatus.HANDED_OVER),
    PositionStatus.WITHDRAWN: (),
    PositionStatus.HANDED_OVER: (),
}


@dataclass(frozen=True)
class NewPosition:
    """A position: the army's (holder lebanon) or one Israel holds; held from
    `established_on` (default today); `supported_by` names who supports it (UNIFIL)."""

    name: str
    holder_party: str
    latitude: float
    longitude: float
    established_on: dt.date | None = None
    supported_by: str | None = None
    note: str | None = None
    classification: Classification = Classification.COMMITTEE
    owner_party: str | None = None


@dataclass(frozen=True)
class Position:
    id: int
    name: str
    holder_party: str
    latitude: float
    longitude: float
    zones: tuple[str, ...]
    established_on: dt.date | None
    status: PositionStatus
    status_on: dt.date | None
    supported_by: str | None
    pack_place: str | None
    created_by: str
    created_at: dt.datetime
    classification: Classification
    owner_party: str | None
    history: tuple[StatusChange, ...]  # oldest first; the first is its establishment

    def status_at(self, day: dt.date) -> PositionStatus | None:
        """Its status at the end of `day`; None before it was first recorded."""
        status = None
        for change in self.history:
            if change.changed_on <= day:
                status = PositionStatus(change.to_status)
        return status


@dataclass(frozen=True)
class PositionPage:
    items: list[Position]
    total: int
    limit: int
    offset: int


def add_position(
    store: Store, new: NewPosition, *, by: Principal, pack: TheatrePack | None = None
) -> Position:
    """Record a position, held from `established_on` (default today); its zones are tagged
    from its point now."""
    loaded = pack or load_pack()
    point = optional_point(new.latitude, new.longitude)
    if point is None:
        raise InputError("a position needs its point", source="latitude, longitude")
    day = past_day(new.established_on or today(), "established_on")
    values = {
        "name": required_text(new.name, "name", MAX_TITLE),
        "holder_party": pack_party(loaded, new.holder_party, "holder_party"),
        "latitude": point[0],
        "longitude": point[1],
        "zones": zone_index(loaded).ids_at(*point),
        "established_on": day,
        "status": PositionStatus.HELD.value,
        "status_on": day,
        "supported_by": optional_text(new.supported_by, "supported_by", MAX_NAME),
        "pack_place": None,
        **access_values(by, new.classification, new.owner_party, loaded),
    }
    note = optional_text(new.note, "note", MAX_TEXT)
    with store.transaction(by=by) as batch:
        row = rows.insert_position(batch, values, changed_on=day, note=note)
    return get_position(store, row.id, viewer=by)


def seed_positions_from_pack(
    store: Store,
    *,
    by: Principal,
    pack: TheatrePack | None = None,
    since: dt.date | None = None,
    classification: Classification = Classification.COMMITTEE,
) -> list[Position]:
    """Store the pack's held positions (the five hilltops Israel holds) not stored yet, held
    since `since` (default: the day the agreement came into force); the positions added.
    Seeding again adds nothing. The chair or the system only."""
    if not by.sees_everything:
        raise PermissionDeniedError(
            f"{by.name} ({by.role}) may not seed positions: the chair or the system does"
        )
    loaded = pack or load_pack()
    day = since or loaded.agreement.in_force.date()
    index = zone_index(loaded)
    places = [
        place
        for place in loaded.places
        if place.id.rpartition(":")[2].startswith(HELD_POSITION_PREFIX)
    ]
    access = access_values(by, classification, None, loaded)
    with store.transaction(by=by) as batch:
        seeded = rows.seeded_pack_places(batch)
        added = [
            rows.insert_position(
                batch,
                {
                    "name": place.name,
                    "holder_party": PACK_POSITIONS_HOLDER,
                    "latitude": place.latitude,
                    "longitude": place.longitude,
                    "zones": index.ids_at(place.latitude, place.longitude),
                    "established_on": day,
                    "status": PositionStatus.HELD.value,
                    "status_on": day,
                    "supported_by": None,
                    "pack_place": place.id,
                    **access,
                },
                changed_on=day,
                note=f"from theatre pack {loaded.name} ({place.source})",
            ).id
            for place in places
            if place.id not in seeded
        ]
    return [get_position(store, position_id, viewer=by) for position_id in added]


def move_position(
    store: Store,
    position_id: int,
    status: PositionStatus | str,
    *,
    by: Principal,
    on: dt.date | None = None,
    note: str | None = None,
) -> Position:
    """Record a held position withdrawn or handed over on a day (default today):
    ConflictError from a final status, InputError for a day in the future or before its last
    change, PermissionDeniedError unless `by` may write records of its party."""
    target = choice(PositionStatus, status, "status")
    day = past_day(on or today(), "on")
    note = optional_text(note, "note", MAX_TEXT)
    with store.transaction(by=by) as batch:
        position = rows.position_in_batch(batch, position_id)
        by.check_may_create(position.classification, position.owner_party)
        check_move(
            "position", position.id, PositionStatus(position.status), target, POSITION_TRANSITIONS
        )
        check_after(day, rows.last_change(batch, position_history, "position_id", position.id))
        rows.move_position(batch, position, target.value, day, note)
    return get_position(store, position_id, viewer=by)


def get_position(store: Store, position_id: int, *, viewer: Principal) -> Position:
    """The position with its history; NotFoundError if none or `viewer` may not see it."""
    return position_of(rows.read_position(store, position_id, viewer=viewer))


def list_positions(
    store: Store,
    *,
    viewer: Principal,
    holder: str | None = None,
    status: PositionStatus | str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> PositionPage:
    """A page of the positions `viewer` may see (held by `holder`, in `status`), by id."""
    check_page(limit, offset)
    equal: dict[str, object] = {}
    if holder is not None:
        equal["holder_party"] = holder
    if status is not None:
        equal["status"] = choice(PositionStatus, status, "status").value
    found = rows.read_positions(store, Page(equal), viewer=viewer)
    items = [position_of(record) for record in found[offset : offset + limit]]
    return PositionPage(items, len(found), limit, offset)


def all_positions(store: Store, *, viewer: Principal) -> list[Position]:
    """Every position `viewer` may see, by id (for figures and maps)."""
    return [position_of(record) for record in rows.read_positions(store, Page({}), viewer=viewer)]


def position_of(record: rows.PositionRecord) -> Position:
    row = record.position
    return Position(
        id=row.id,
        name=row.name,
        holder_party=row.holder_party,
        latitude=row.latitude,
        longitude=row.longitude,
        zones=tuple(row.zones),
        established_on=row.established_on,
        status=PositionStatus(row.status),
        status_on=row.status_on,
        supported_by=row.supported_by,
        pack_place=row.pack_place,
        created_by=row.created_by,
        created_at=row.created_at,
        classification=row.classification,
        owner_party=row.owner_party,
        history=tuple(change_of(change) for change in record.history),
    )
