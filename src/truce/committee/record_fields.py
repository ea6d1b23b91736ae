"""Checking the fields of the disarmament and economic-zone records, and who may write them.

Who may write: the chair and the system anything; a monitor records of any party; a delegate
records of its own party only (`owner_party` defaults to it); observers, the admin and the
public nothing (`Principal.check_may_create`). Bad values are InputError naming the field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final, TypeVar

from truce.core.access import Classification, Principal, Role
from truce.core.errors import ConflictError, InputError
from truce.geo.zones import ZoneIndex, check_point
from truce.store.disarmament import StatusChangeRow
from truce.theatre import TheatrePack

MAX_TITLE: Final = 300
MAX_TEXT: Final = 20_000
MAX_NAME: Final = 64
MAX_PAGE: Final = 500

E = TypeVar("E", bound=StrEnum)


@dataclass(frozen=True)
class StatusChange:
    """One entry of a site's, position's or project's history; `from_status` None is its
    creation."""

    id: int
    from_status: str | None
    to_status: str
    changed_on: dt.date
    note: str | None
    by: str
    at: dt.datetime


def change_of(row: StatusChangeRow) -> StatusChange:
    return StatusChange(
        id=row.id,
        from_status=row.from_status,
        to_status=row.to_status,
        changed_on=row.changed_on,
        note=row.note,
        by=row.created_by,
        at=row.created_at,
    )


_INDEXES: dict[int, tuple[TheatrePack, ZoneIndex]] = {}


def zone_index(pack: TheatrePack) -> ZoneIndex:
    """The pack's zones in a spatial index, built once per loaded pack."""
    cached = _INDEXES.get(id(pack))
    if cached is None or cached[0] is not pack:
        cached = (pack, ZoneIndex.from_features(pack.zone_features(), source=str(pack.zones_path)))
        _INDEXES[id(pack)] = cached
    return cached[1]


def access_values(
    by: Principal,
    classification: Classification | str,
    owner_party: str | None,
    pack: TheatrePack,
) -> dict[str, Any]:
    """The owner party and classification of a record `by` creates; a delegate's records are
    its party's (given or not). PermissionDeniedError unless `by` may create it."""
    level = choice(Classification, str(classification), "classification")
    owner = optional_text(owner_party, "owner_party", MAX_NAME)
    if owner is None and by.role is Role.DELEGATE:
        owner = by.party
    if owner is not None:
        owner = pack_party(pack, owner, "owner_party")
    by.check_may_create(level, owner)
    return {"classification": level.value, "owner_party": owner}


def required_text(value: str, field: str, limit: int) -> str:
    text = value.strip()
    if not text:
        raise InputError("must not be empty", source=field)
    if len(text) > limit:
        raise InputError(f"is longer than {limit} characters", source=field)
    return text


def optional_text(value: str | None, field: str, limit: int) -> str | None:
    if value is None or not value.strip():
        return None
    return required_text(value, field, limit)


def today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def past_day(day: dt.date, field: str) -> dt.date:
    """`day`, unless it is after today (UTC): InputError naming the field."""
    if day > today():
        raise InputError(f"{day} is in the future", source=field)
    return day


def check_page(limit: int, offset: int) -> None:
    if not 1 <= limit <= MAX_PAGE:
        raise InputError(f"limit must be between 1 and {MAX_PAGE}, not {limit}", source="limit")
    if offset < 0:
        raise InputError(f"offset must not be negative, not {offset}", source="offset")


def check_period(start: dt.date | None, end: dt.date | None) -> None:
    if start is not None and end is not None and end < start:
        raise InputError(f"the period ends ({end}) before it starts ({start})", source="end")


def choice(kind: type[E], value: str, field: str) -> E:
    """`value` as a member of `kind`; InputError naming the field and the choices."""
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(kind)
        raise InputError(f"{value!r} is not one of {choices}", source=field) from None


def pack_party(pack: TheatrePack, party: str, field: str) -> str:
    try:
        return pack.party(party)
    except InputError as error:
        raise InputError(error.message, source=field) from None


def optional_point(lat: float | None, lon: float | None) -> tuple[float, float] | None:
    """(lat, lon), or None when neither is given; InputError for half a point or one off
    the globe."""
    if lat is None and lon is None:
        return None
    if lat is None or lon is None:
        raise InputError("give both latitude and longitude, or neither", source="latitude")
    try:
        check_point(lat, lon)
    except InputError as error:
        raise InputError(error.message, source="latitude, longitude") from None
    return lat, lon


def check_move(what: str, pk: int, status: E, target: E, table: Mapping[E, tuple[E, ...]]) -> None:
    """ConflictError unless `table` lets a record in `status` move to `target`, naming the
    status and what it allows."""
    allowed = table[status]
    if target in allowed:
        return
    hint = f"allowed from {status}: {', '.join(allowed)}" if allowed else f"{status} is final"
    raise ConflictError(f"{what} {pk} is {status}: it cannot become {target}; {hint}")


def check_after(day: dt.date, last: dt.date | None) -> None:
    """InputError if `day` comes before the record's last change of status."""
    if last is not None and day < last:
        raise InputError(f"{day} is before the last change of status ({last})", source="on")
