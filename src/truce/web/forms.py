"""What the pages' forms share: the type of a text field, parsing what was typed (ids, dates,
numbers, a classification), filling a form in again, whom a record a form makes may be shared
with, who is offered which forms, and the answer to a form: the status a refused one's page
is shown with, or the redirect once it succeeded (POST/redirect/GET).

Every parser returns None for an empty field and raises InputError naming the field for one
it cannot read, so a refused form says which field was wrong. Whether to offer a form is only
a courtesy: the library decides for real.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Final

from fastapi import Form
from fastapi.responses import RedirectResponse
from starlette.datastructures import URL

from truce.core.access import Classification, Principal, Role
from truce.core.errors import (
    ConflictError,
    InputError,
    NotFoundError,
    PermissionDeniedError,
    TruceError,
)
from truce.theatre import load_pack

#: a text field of a form; an empty field is "" (each route gives its own default)
Text = Annotated[str, Form()]

#: the library errors a form may meet, shown on the page with their status
FORM_ERRORS: Final = (ConflictError, PermissionDeniedError, InputError, NotFoundError)


# --- parsing ------------------------------------------------------------------------------


def parse_ids(text: str | None, field: str) -> tuple[int, ...]:
    """Ids typed as ``3, 4 5`` (commas or spaces); InputError naming `field` otherwise."""
    if text is None:
        return ()
    found: list[int] = []
    for part in text.replace(",", " ").split():
        token = part.strip().removeprefix("#")
        if not token.isdigit() or not token.isascii():
            raise InputError(f"{part!r} is not an id: give whole numbers, e.g. 3, 4", source=field)
        found.append(int(token))
    return tuple(dict.fromkeys(found))


def parse_id(text: str, field: str) -> int | None:
    """One id from a form's field, None when empty; InputError naming `field` otherwise."""
    found = parse_ids(text, field)
    if len(found) > 1:
        raise InputError(f"give one id, not {len(found)}", source=field)
    return found[0] if found else None


def parse_date(text: str | None, field: str) -> dt.date | None:
    """A YYYY-MM-DD date from a form or query, None when empty; InputError naming `field`."""
    if text is None or not text.strip():
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"{text!r} is not a date (YYYY-MM-DD)", source=field) from None


def parse_number(text: str, field: str) -> float | None:
    """A decimal number from a form, None when empty; InputError naming `field`."""
    if not text.strip():
        return None
    try:
        return float(text.strip())
    except ValueError:
        raise InputError(f"{text!r} is not a number", source=field) from None


def parse_classification(value: str, field: str = "classification") -> Classification:
    """A classification chosen on a form; InputError naming `field` for any other value."""
    try:
        return Classification(value)
    except ValueError:
        choices = ", ".join(Classification)
        raise InputError(f"{value!r} is not one of {choices}", source=field) from None


def form_values(
    fields: Sequence[str], submitted: Mapping[str, str] | None, **defaults: str
) -> dict[str, str]:
    """A form's fields as its page fills them in: empty or their default, or, when the form
    was refused, what was typed (so nothing typed is lost)."""
    values = dict.fromkeys(fields, "")
    values.update(defaults)
    values.update(submitted or {})
    return values


def today() -> dt.date:
    """The day forms default to, in UTC."""
    return dt.datetime.now(dt.UTC).date()


# --- what a form offers -------------------------------------------------------------------


def party_names() -> dict[str, str]:
    """The theatre pack's parties, id -> name, in the pack's order."""
    return dict(load_pack(None).parties)


@dataclass(frozen=True)
class ClassificationChoices:
    """Whom a record a form makes may be shared with, for its viewer: a delegation makes
    records for the committee or restricted to its own party; the chair (and a monitor,
    where the library lets it) also public ones, or restricted to any party."""

    levels: list[Classification]
    parties: list[tuple[str, str]]  # id, name: the parties the viewer may make records for
    own_party: str | None  # a delegate's: its records are its party's

    @property
    def choose_party(self) -> bool:
        return self.own_party is None


def classification_choices(viewer: Principal) -> ClassificationChoices:
    parties = list(party_names().items())
    if viewer.role is Role.DELEGATE:
        own = [(party, name) for party, name in parties if party == viewer.party]
        return ClassificationChoices(
            [Classification.COMMITTEE, Classification.RESTRICTED], own, viewer.party
        )
    return ClassificationChoices(
        [Classification.COMMITTEE, Classification.RESTRICTED, Classification.PUBLIC],
        parties,
        None,
    )


def is_chair(viewer: Principal) -> bool:
    """Whether to offer the chair's forms (scheduling meetings, drafting statements)."""
    return viewer.may_write and viewer.role is Role.CHAIR


def may_make_records(viewer: Principal) -> bool:
    """Whether to offer the forms a party's delegation or the chair fills (filing an
    allegation, making a proposal or a commitment)."""
    return viewer.may_write and viewer.role in (Role.CHAIR, Role.DELEGATE)


def may_change(viewer: Principal, classification: Classification, owner_party: str | None) -> bool:
    """Whether to offer forms changing a record classified so."""
    try:
        viewer.check_may_create(classification, owner_party)
    except PermissionDeniedError:
        return False
    return True


# --- what answers a form ------------------------------------------------------------------


def error_status(error: TruceError) -> int:
    """The HTTP status of a refused form (as truce.api maps them)."""
    if isinstance(error, NotFoundError):
        return 404
    if isinstance(error, PermissionDeniedError):
        return 403
    if isinstance(error, ConflictError):
        return 409
    return 422


def see_other(url: URL | str) -> RedirectResponse:
    """The redirect after a form succeeded: the browser GETs the page (POST/redirect/GET)."""
    return RedirectResponse(str(url), status_code=303)
