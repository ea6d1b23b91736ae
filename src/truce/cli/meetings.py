"""`truce meetings`: scheduling, holding and cancelling meetings, attendance, agendas drafted
from what is open, minutes and outcomes, and the calendar (see truce.committee.meetings,
.agenda and .calendar).

Writing commands take `--by USER` (the chair); without it the command is the local system,
which acts as the chair. Reading commands take `--as USER`. Times are ISO 8601 with their
offset: 2025-12-19T10:00Z, 2025-12-19T12:00+02:00.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from truce.cli.app import (
    AsUserOption,
    ByUserOption,
    DatabaseOption,
    command_group,
    echo_json,
    reports_errors,
    user_principal,
)
from truce.cli.options import (
    JsonOption,
    NoteOption,
    access_words,
    facts_table,
    page_caption,
    stamp,
    text_table,
)
from truce.committee.agenda import (
    NewAgendaItem,
    add_agenda_items,
    adopt_draft,
    draft_agenda,
    set_agenda_outcome,
)
from truce.committee.calendar import meeting_ics, meetings_ics
from truce.committee.meetings import (
    MAX_PAGE,
    AgendaItem,
    AgendaKind,
    AttendanceStatus,
    MeetingAction,
    MeetingChanges,
    MeetingPage,
    MeetingStatus,
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
from truce.core.errors import InputError
from truce.store import Store

meetings_app = command_group(
    "meetings", help="Meetings: schedule, agenda drafted from open work, minutes, calendar."
)
agenda_app = typer.Typer(name="agenda", help="A meeting's agenda.", no_args_is_help=True)
meetings_app.add_typer(agenda_app, name="agenda")

MeetingArgument = Annotated[int, typer.Argument(metavar="ID", help="The meeting's id.")]
TimeText = Annotated[str | None, typer.Option(metavar="ISO-8601", show_default=False)]
TracksOption = Annotated[
    list[Track] | None,
    typer.Option("--track", help="A track of the meeting (repeatable).", show_default=False),
]


@meetings_app.command("list")
@reports_errors
def list_(
    status: Annotated[MeetingStatus | None, typer.Option(help="Only meetings in it.")] = None,
    upcoming: Annotated[
        bool, typer.Option("--upcoming", help="Only meetings starting from now.")
    ] = False,
    limit: Annotated[int, typer.Option(min=1, max=MAX_PAGE, help="meetings per page")] = 50,
    offset: Annotated[int, typer.Option(min=0, help="meetings to skip")] = 0,
    as_json: JsonOption = False,
    as_user: AsUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """List meetings, the earliest first."""
    with Store.open(db) as store:
        page = list_meetings(
            store,
            viewer=user_principal(store, as_user, acting=False),
            status=status,
            start=dt.datetime.now(dt.UTC) if upcoming else None,
            limit=limit,
            offset=offset,
        )
    if as_json:
        echo_json(page)
    else:
        Console().print(_list_table(page))


@meetings_app.command("show")
@reports_errors
def show(
    meeting_id: MeetingArgument,
    as_json: JsonOption = False,
    as_user: AsUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Show a meeting: its agenda, attendance, minutes and outcomes."""
    with Store.open(db) as store:
        view = get_meeting(store, meeting_id, viewer=user_principal(store, as_user, acting=False))
    if as_json:
        echo_json(view)
    else:
        _print_meeting(view)


@meetings_app.command("schedule")
@reports_errors
def schedule(
    title: Annotated[str, typer.Option(help="What the meeting is.")],
    start: Annotated[str, typer.Option(metavar="ISO-8601", help="When it begins.")],
    end: TimeText = None,
    place: Annotated[str | None, typer.Option(help="Where.", show_default=False)] = None,
    track: TracksOption = None,
    classification: Annotated[
        Classification, typer.Option(help="Who may see it: public, committee or restricted.")
    ] = Classification.COMMITTEE,
    party: Annotated[
        str | None,
        typer.Option(metavar="PARTY", help="The party a restricted meeting is for."),
    ] = None,
    invite: Annotated[bool, typer.Option(help="Invite the current members on its tracks.")] = True,
    by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Schedule a meeting (the chair)."""
    new = NewMeeting(
        title=title,
        starts_at=_time(start, "--start"),
        ends_at=None if end is None else _time(end, "--end"),
        place=place,
        tracks=tuple(track or (Track.MILITARY, Track.CIVILIAN)),
        classification=classification,
        owner_party=party,
        invite=invite,
    )
    with Store.open(db) as store:
        view = schedule_meeting(store, new, by=user_principal(store, by, acting=True))
    typer.echo(f"scheduled meeting {view.id}: {view.title}, {stamp(view.starts_at)}")
    typer.echo(f"  invited {len(view.attendance)}; calendar UID {view.uid}")


@meetings_app.command("change")
@reports_errors
def change(
    meeting_id: MeetingArgument,
    title: Annotated[str | None, typer.Option(help="A new title.", show_default=False)] = None,
    start: TimeText = None,
    end: TimeText = None,
    place: Annotated[str | None, typer.Option(help="A new place.", show_default=False)] = None,
    track: TracksOption = None,
    by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Change a scheduled meeting (the chair); a new start keeps its length."""
    changes = MeetingChanges(
        title=title,
        starts_at=None if start is None else _time(start, "--start"),
        ends_at=None if end is None else _time(end, "--end"),
        place=place,
        tracks=None if not track else tuple(track),
    )
    with Store.open(db) as store:
        view = update_meeting(store, meeting_id, changes, by=user_principal(store, by, acting=True))
    typer.echo(
        f"meeting {view.id}: {view.title}, {stamp(view.starts_at)} (sequence {view.sequence})"
    )


@meetings_app.command("hold")
@reports_errors
def hold(
    meeting_id: MeetingArgument, note: NoteOption = None, by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:  # fmt: skip
    """Record that a meeting was held (the chair, once it has begun)."""
    _move(meeting_id, MeetingAction.HOLD, note, by, db)


@meetings_app.command("cancel")
@reports_errors
def cancel(
    meeting_id: MeetingArgument, note: NoteOption = None, by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:  # fmt: skip
    """Cancel a scheduled meeting (the chair)."""
    _move(meeting_id, MeetingAction.CANCEL, note, by, db)


def _move(
    meeting_id: int, action: MeetingAction, note: str | None, by: str | None, db: str | None
) -> None:
    with Store.open(db) as store:
        view = transition_meeting(
            store, meeting_id, action, by=user_principal(store, by, acting=True), note=note
        )
    typer.echo(f"meeting {view.id}: {action} → {view.status}")


@meetings_app.command("minutes")
@reports_errors
def minutes(
    meeting_id: MeetingArgument,
    text: Annotated[
        str | None, typer.Option("--minutes", help="The minutes.", show_default=False)
    ] = None,
    outcomes: Annotated[
        str | None, typer.Option(help="What was agreed.", show_default=False)
    ] = None,
    by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Record a held meeting's minutes and outcomes (the chair)."""
    with Store.open(db) as store:
        view = record_minutes(
            store,
            meeting_id,
            by=user_principal(store, by, acting=True),
            minutes=text,
            outcomes=outcomes,
        )
    typer.echo(f"meeting {view.id}: minutes recorded (sequence {view.sequence})")


@meetings_app.command("attend")
@reports_errors
def attend(
    meeting_id: MeetingArgument,
    member_id: Annotated[int, typer.Argument(metavar="MEMBER_ID", help="The member's id.")],
    status: Annotated[AttendanceStatus, typer.Option(help="invited, attended or absent.")],
    note: NoteOption = None,
    by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Record a member as invited, or as attended or absent (the chair)."""
    with Store.open(db) as store:
        record_attendance(
            store, meeting_id, member_id, status, by=user_principal(store, by, acting=True),
            note=note,
        )  # fmt: skip
    typer.echo(f"meeting {meeting_id}: member {member_id} {status}")


@meetings_app.command("draft")
@reports_errors
def draft(
    meeting_id: MeetingArgument,
    add: Annotated[
        bool, typer.Option("--add", help="Add every item proposed to the agenda (the chair).")
    ] = False,
    as_json: JsonOption = False,
    as_user: Annotated[
        str | None,
        typer.Option(
            "--as",
            metavar="USERNAME",
            help="Draft (or add) as this user, with what it may see (default: everything).",
            show_default=False,
        ),
    ] = None,
    db: DatabaseOption = None,
) -> None:
    """Propose agenda items from what is open (new incidents, open cases, and more).

    New incidents since the last held meeting, open cases, overdue commitments, proposals
    under discussion and statements in draft, as the user of --as may see them.
    """
    with Store.open(db) as store:
        principal = user_principal(store, as_user, acting=add)
        if add:
            items = adopt_draft(store, meeting_id, by=principal)
        else:
            items = draft_agenda(store, meeting_id, by=principal)
    if as_json:
        echo_json(items)
        return
    verb = "added" if add else "proposed"
    Console().print(_agenda_table(items, f"meeting {meeting_id}: {len(items)} items {verb}"))


@agenda_app.command("add")
@reports_errors
def agenda_add(
    meeting_id: MeetingArgument,
    ref: Annotated[
        list[str] | None,
        typer.Option(
            metavar="KIND:ID",
            help="A record to discuss, e.g. case:3, incident:12 (repeatable).",
            show_default=False,
        ),
    ] = None,
    other: Annotated[
        list[str] | None,
        typer.Option(metavar="TITLE", help="An item about nothing on record (repeatable)."),
    ] = None,
    classification: Annotated[
        Classification, typer.Option(help="Who may see the --other items.")
    ] = Classification.COMMITTEE,
    party: Annotated[
        str | None,
        typer.Option(metavar="PARTY", help="The party restricted --other items are for."),
    ] = None,
    by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Add items to a meeting's agenda (the chair); an item about a record is seen where
    the record is."""
    items = [_ref_item(text) for text in ref or ()]
    items += [
        NewAgendaItem(
            kind=AgendaKind.OTHER, title=title, classification=classification, owner_party=party
        )
        for title in other or ()
    ]
    if not items:
        raise InputError("give --ref KIND:ID or --other TITLE", source="agenda add")
    with Store.open(db) as store:
        added = add_agenda_items(
            store, meeting_id, items, by=user_principal(store, by, acting=True)
        )
    Console().print(_agenda_table(added, f"meeting {meeting_id}: {len(added)} items added"))


@agenda_app.command("outcome")
@reports_errors
def agenda_outcome(
    meeting_id: MeetingArgument,
    item_id: Annotated[int, typer.Argument(metavar="ITEM_ID", help="The agenda item's id.")],
    text: Annotated[str, typer.Option("--text", help="What the meeting decided on it.")],
    by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Record the outcome of an agenda item of a held meeting (the chair)."""
    with Store.open(db) as store:
        item = set_agenda_outcome(
            store, meeting_id, item_id, text, by=user_principal(store, by, acting=True)
        )
    typer.echo(f"meeting {meeting_id}, item {item.id}: {item.outcome}")


@meetings_app.command("ics")
@reports_errors
def ics(
    out: Annotated[
        Path | None,
        typer.Option(metavar="FILE", help="Write it here (default: standard output)."),
    ] = None,
    meeting: Annotated[
        int | None, typer.Option(metavar="ID", help="Only this meeting.", show_default=False)
    ] = None,
    as_user: AsUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """The meetings as an iCalendar file, for calendar programs."""
    with Store.open(db) as store:
        viewer = user_principal(store, as_user, acting=False)
        data = (
            meetings_ics(store, viewer=viewer)
            if meeting is None
            else meeting_ics(store, meeting, viewer=viewer)
        )
    if out is None:
        typer.echo(data.decode(), nl=False)
    else:
        out.write_bytes(data)
        typer.echo(f"wrote {out}")


# --- parsing --------------------------------------------------------------------------------


def _time(text: str, option: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise InputError(f"{text!r} is not a time like 2025-12-19T10:00Z", source=option) from None
    if value.tzinfo is None:
        raise InputError(f"{text!r} has no offset; add one, e.g. Z or +02:00", source=option)
    return value


def _ref_item(text: str) -> NewAgendaItem:
    kind, _, number = text.partition(":")
    kinds = [kind.value for kind in AgendaKind if kind is not AgendaKind.OTHER]
    if kind not in kinds or not number.isdigit():
        raise InputError(
            f"{text!r} is not KIND:ID with KIND one of {', '.join(kinds)}", source="--ref"
        )
    return NewAgendaItem(kind=kind, ref_id=int(number))


# --- rendering ------------------------------------------------------------------------------


def _list_table(page: MeetingPage) -> Table:
    rows = (
        (
            str(meeting.id),
            meeting.title,
            stamp(meeting.starts_at),
            meeting.place or "",
            ", ".join(meeting.tracks),
            str(meeting.status),
            str(len(meeting.agenda)),
            access_words(meeting.classification, meeting.owner_party),
        )
        for meeting in page.items
    )
    columns = ("id", "title", "starts", "place", "tracks", "status", "agenda", "access")
    return text_table(columns, rows, caption=page_caption("meetings", page))


def _agenda_table(items: list[AgendaItem] | tuple[AgendaItem, ...], title: str) -> Table:
    rows = (
        (
            str(item.position),
            "" if item.id is None else str(item.id),
            item.title,
            item.reason or "",
            item.outcome or "",
            access_words(item.classification, item.owner_party),
        )
        for item in items
    )
    return text_table(("#", "item", "title", "why", "outcome", "access"), rows, title=title)


def _print_meeting(view: MeetingView) -> None:
    console = Console()
    ends = f" – {stamp(view.ends_at)}" if view.ends_at else ""
    facts = (
        ("title", view.title),
        ("when", f"{stamp(view.starts_at)}{ends}"),
        ("place", view.place or ""),
        ("tracks", ", ".join(view.tracks)),
        ("status", str(view.status)),
        ("access", access_words(view.classification, view.owner_party)),
        ("minutes", view.minutes or ""),
        ("outcomes", view.outcomes or ""),
        ("next", ", ".join(view.actions) or "nothing you may do"),
    )
    console.print(facts_table(facts, title=f"meeting {view.id}"))
    console.print(_agenda_table(view.agenda, "agenda"))
    attendance = (
        (
            str(entry.member_id),
            entry.member_name,
            entry.delegation_name,
            str(entry.status),
            entry.note or "",
        )
        for entry in view.attendance
    )
    columns = ("member", "name", "delegation", "status", "note")
    console.print(text_table(columns, attendance, title="attendance"))
