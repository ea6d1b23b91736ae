"""Checking the values delegations, meetings and agendas are written with: who may write
them, and texts, times and enumerations named by the field they came in."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import TypeVar

from truce.core.access import Principal, Role, Scope
from truce.core.errors import InputError, PermissionDeniedError

MAX_TITLE = 300
MAX_TEXT = 50_000
#: names of parties, roles, users: short codes
MAX_NAME = 200

E = TypeVar("E", bound=StrEnum)


def require_chair(by: Principal, what: str) -> None:
    """PermissionDeniedError unless `by` is the chair (or the system) with write access."""
    writes = by.system or Scope.WRITE in by.scopes
    if not (writes and (by.system or by.role is Role.CHAIR)):
        raise PermissionDeniedError(f"{by.name} ({by.role}) may not {what}: the chair does")


def text(value: str, field: str, limit: int = MAX_TITLE) -> str:
    cleaned = value.strip()
    if not cleaned:
        raise InputError("must not be empty", source=field)
    if len(cleaned) > limit:
        raise InputError(f"is longer than {limit} characters", source=field)
    return cleaned


def optional_text(value: str | None, field: str, limit: int = MAX_TITLE) -> str | None:
    if value is None or not value.strip():
        return None
    return text(value, field, limit)


def choice(value: E | str, kind: type[E], field: str) -> E:
    """`value` as a member of `kind`; InputError naming the field and the choices if not."""
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(kind)
        raise InputError(f"{value!r} is not one of {choices}", source=field) from None


def utc_time(value: dt.datetime, field: str) -> dt.datetime:
    """An aware datetime in UTC; InputError for a naive one (its zone is unknown)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise InputError(f"{value.isoformat()} has no time zone; give one (e.g. Z)", source=field)
    return value.astimezone(dt.UTC)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
