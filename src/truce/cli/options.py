"""The option types, and the small value parsers and renderers, that several `truce` command
groups share: `--json` and `--note`; a date, a list of ids and a party given on the command line;
and how access, times, pages and tables of records are shown.

The parsers raise InputError naming the option, so a bad value exits 2 with a message that
says which option to fix.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Annotated, Protocol

import typer
from rich.table import Table
from rich.text import Text

from truce.committee.record_fields import StatusChange
from truce.core.access import Classification
from truce.core.errors import InputError
from truce.theatre import load_pack

#: `--json` on commands that print tables otherwise
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
#: `--note` on commands that change a record: free text kept with the change
NoteOption = Annotated[
    str | None, typer.Option(help="A note for the record's history.", show_default=False)
]


# --- parsing --------------------------------------------------------------------------------


def required_date(text: str, option: str) -> dt.date:
    """A YYYY-MM-DD option's day; InputError naming `option` if it is not one."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{text!r} is not a date like 2025-12-31", source=option) from None


def optional_date(text: str | None, option: str) -> dt.date | None:
    """`required_date`, or None for an option not given."""
    return None if text is None else required_date(text, option)


def id_list(text: str, option: str) -> list[int]:
    """'3,5, 8' as ids; InputError naming `option` otherwise."""
    try:
        ids = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise InputError(f"{text!r} is not a list of ids like 3,5", source=option) from None
    if not ids:
        raise InputError("name at least one id", source=option)
    return ids


def pack_party(party: str | None, option: str) -> str | None:
    """`party` checked against the theatre pack's parties; InputError naming `option`."""
    if party is None:
        return None
    try:
        return load_pack().party(party)
    except InputError as error:
        raise InputError(error.message, source=option) from None


# --- rendering ------------------------------------------------------------------------------


def access_words(classification: Classification, owner_party: str | None) -> str:
    """Who may see a record: 'committee', or 'restricted of israel'."""
    return f"{classification} of {owner_party}" if owner_party else str(classification)


def stamp(at: dt.datetime | dt.date | None) -> str:
    """A time in UTC to the minute, a date as it is, nothing as ''."""
    if at is None:
        return ""
    if isinstance(at, dt.datetime):
        if at.tzinfo is not None:
            at = at.astimezone(dt.UTC)
        return at.strftime("%Y-%m-%d %H:%M UTC")
    return at.isoformat()


class Page(Protocol):
    """One page of a listing, as the library's `...Page` records are."""

    @property
    def items(self) -> Sequence[object]: ...

    @property
    def total(self) -> int: ...

    @property
    def offset(self) -> int: ...


def page_caption(noun: str, page: Page, *, next_page: bool = False) -> str:
    """'cases 1–50 of 120'; with `next_page`, the `--offset` of the page after, if any."""
    shown = page.offset + len(page.items)
    first = page.offset + 1 if page.items else page.offset
    caption = f"{noun} {first}–{shown} of {page.total}"
    if next_page and page.items and shown < page.total:
        caption += f"; next page: --offset {shown}"
    return caption


def text_table(
    columns: Iterable[str],
    rows: Iterable[Iterable[str]],
    *,
    title: str | None = None,
    caption: str | None = None,
) -> Table:
    """A table of records whose long cells fold. Cells are Text: stored strings are data,
    never rich markup."""
    table = Table(title=title, caption=caption)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    return table


def facts_table(facts: Iterable[tuple[str, str]], *, title: str | None = None) -> Table:
    """One record as 'name  value' lines, the names in bold."""
    table = Table(title=title, show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    for name, value in facts:
        table.add_row(Text(name), Text(value))
    return table


def history_table(history: Iterable[StatusChange]) -> Table:
    """A record's status history (a site's, a position's, a project's), oldest first."""
    rows = (
        (
            change.changed_on.isoformat(),
            change.from_status or "",
            change.to_status,
            change.by,
            change.note or "",
        )
        for change in history
    )
    return text_table(("on", "from", "to", "by", "note"), rows, title="history")
