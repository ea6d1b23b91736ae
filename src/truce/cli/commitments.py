"""`truce commitments`: what the parties and the committee undertook, by when, and which are
overdue; and the committee's dashboard (see truce.committee.commitments and .dashboard).

Writing commands take `--by USER` (a delegate records and completes its own party's
commitments, the chair does everything); without it the command is the local system, which
acts as the chair. Reading commands take `--as USER`, and `--today` to ask as of another day.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from truce.cli.app import (
    AsUserOption,
    ByUserOption,
    ClassificationOption,
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
    optional_date,
    pack_party,
    page_caption,
    stamp,
    text_table,
)
from truce.committee.commitments import (
    Commitment,
    CommitmentPage,
    CommitmentStatus,
    NewCommitment,
    close_commitment,
    create_commitment,
    get_commitment,
    list_commitments,
)
from truce.committee.dashboard import CommitteeDashboard, committee_dashboard
from truce.committee.proposals import MAX_PAGE
from truce.core.access import Classification
from truce.store import Store

commitments_app = command_group(
    "commitments",
    help="Commitments and action items: who undertook what, by when; overdue ones flagged.",
)

CommitmentArgument = Annotated[int, typer.Argument(metavar="ID", help="The commitment's id.")]
TodayOption = Annotated[
    str | None,
    typer.Option(
        metavar="YYYY-MM-DD",
        help="The day to count overdue commitments on (default: today, UTC).",
        show_default=False,
    ),
]


@commitments_app.command("add")
@reports_errors
def add(
    title: Annotated[str, typer.Option(help="What was undertaken, in a line.")],
    party: Annotated[
        str | None,
        typer.Option(
            metavar="PARTY",
            help="The responsible party (a delegate records its own; none: the committee).",
            show_default=False,
        ),
    ] = None,
    deadline: Annotated[
        str | None,
        typer.Option(metavar="YYYY-MM-DD", help="By when it is due.", show_default=False),
    ] = None,
    meeting: Annotated[
        int | None,
        typer.Option(
            "--meeting", metavar="N", help="The meeting where it was made.", show_default=False
        ),
    ] = None,
    proposal: Annotated[
        int | None,
        typer.Option(
            "--proposal", metavar="N", help="The proposal it carries out.", show_default=False
        ),
    ] = None,
    classification: ClassificationOption = Classification.COMMITTEE,
    by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Record a commitment, open."""
    commitment = NewCommitment(
        title=title,
        responsible_party=pack_party(party, "--party"),
        deadline=optional_date(deadline, "--deadline"),
        meeting_id=meeting,
        proposal_id=proposal,
        classification=classification,
    )
    with Store.open(db) as store:
        made = create_commitment(store, commitment, by=user_principal(store, by, acting=True))
    typer.echo(f"recorded commitment {made.id} ({made.status})")


@commitments_app.command("list")
@reports_errors
def list_(
    status: Annotated[
        CommitmentStatus | None, typer.Option(help="Only commitments in this status.")
    ] = None,
    party: Annotated[
        str | None,
        typer.Option(metavar="PARTY", help="Only this party's commitments.", show_default=False),
    ] = None,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only open commitments past their deadline.")
    ] = False,
    meeting: Annotated[
        int | None,
        typer.Option(
            "--meeting", metavar="N", help="Only those made at this meeting.", show_default=False
        ),
    ] = None,
    proposal: Annotated[
        int | None,
        typer.Option(
            "--proposal", metavar="N", help="Only those on this proposal.", show_default=False
        ),
    ] = None,
    today: TodayOption = None,
    limit: Annotated[int, typer.Option(min=1, max=MAX_PAGE, help="commitments per page")] = 50,
    offset: Annotated[int, typer.Option(min=0, help="commitments to skip")] = 0,
    as_json: JsonOption = False,
    as_user: AsUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """List commitments, the soonest deadline first."""
    with Store.open(db) as store:
        page = list_commitments(
            store,
            viewer=user_principal(store, as_user, acting=False),
            status=status,
            party=pack_party(party, "--party"),
            overdue=True if overdue else None,
            meeting_id=meeting,
            proposal_id=proposal,
            limit=limit,
            offset=offset,
            today=optional_date(today, "--today"),
        )
    if as_json:
        echo_json(page)
    else:
        Console().print(_list_table(page))


@commitments_app.command("show")
@reports_errors
def show(
    commitment_id: CommitmentArgument,
    today: TodayOption = None,
    as_json: JsonOption = False,
    as_user: AsUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Show a commitment."""
    with Store.open(db) as store:
        commitment = get_commitment(
            store,
            commitment_id,
            viewer=user_principal(store, as_user, acting=False),
            today=optional_date(today, "--today"),
        )
    if as_json:
        echo_json(commitment)
    else:
        Console().print(_list_table(CommitmentPage([commitment], 1, 1, 0)))


def _close(
    commitment_id: int, status: CommitmentStatus, note: str | None, by: str | None, db: str | None
) -> None:
    with Store.open(db) as store:
        closed = close_commitment(
            store, commitment_id, status, by=user_principal(store, by, acting=True), note=note
        )
    typer.echo(f"commitment {closed.id}: {closed.status}")


@commitments_app.command("done")
@reports_errors
def done(
    commitment_id: CommitmentArgument,
    note: NoteOption = None,
    by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Mark an open commitment done (the chair, or a delegate of the responsible party)."""
    _close(commitment_id, CommitmentStatus.DONE, note, by, db)


@commitments_app.command("drop")
@reports_errors
def drop(
    commitment_id: CommitmentArgument,
    note: NoteOption = None,
    by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Drop an open commitment (the chair)."""
    _close(commitment_id, CommitmentStatus.DROPPED, note, by, db)


@commitments_app.command("dashboard")
@reports_errors
def dashboard(
    today: TodayOption = None,
    as_json: JsonOption = False,
    as_user: AsUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """The committee's dashboard: open and overdue commitments by party, proposals by
    status, the next meeting."""
    with Store.open(db) as store:
        counts = committee_dashboard(
            store,
            viewer=user_principal(store, as_user, acting=False),
            today=optional_date(today, "--today"),
        )
    if as_json:
        echo_json(counts)
    else:
        _print_dashboard(counts)


# --- rendering ------------------------------------------------------------------------------


def _list_table(page: CommitmentPage) -> Table:
    columns: tuple[str, ...] = ("id", "title", "party", "deadline", "status", "meeting")
    columns += ("proposal", "closed", "access")
    return text_table(
        columns,
        (_cells(commitment) for commitment in page.items),
        caption=page_caption("commitments", page),
    )


def _cells(commitment: Commitment) -> list[str]:
    deadline = commitment.deadline.isoformat() if commitment.deadline else ""
    if commitment.overdue:
        deadline += " OVERDUE"
    closed = ""
    if commitment.closed_at is not None:
        closed = f"{stamp(commitment.closed_at)} by {commitment.closed_by}"
        if commitment.close_note:
            closed += f": {commitment.close_note}"
    return [
        str(commitment.id),
        commitment.title,
        commitment.responsible_party or "committee",
        deadline,
        str(commitment.status),
        "" if commitment.meeting_id is None else str(commitment.meeting_id),
        "" if commitment.proposal_id is None else str(commitment.proposal_id),
        closed,
        access_words(commitment.classification, commitment.owner_party),
    ]


def _print_dashboard(counts: CommitteeDashboard) -> None:
    console = Console()
    following = counts.next_meeting
    console.print(
        f"as of {counts.today.isoformat()}: {counts.open_commitments} open commitments, "
        f"{counts.overdue_commitments} overdue"
    )
    parties = Table(title="commitments by party")
    for column in ("party", "open", "overdue"):
        parties.add_column(column)
    for row in counts.commitments_by_party:
        parties.add_row(Text(row.party or "committee"), str(row.open), str(row.overdue))
    console.print(parties)
    statuses = Table(title="proposals by status")
    for column in ("status", "proposals"):
        statuses.add_column(column)
    for status, count in counts.proposals_by_status.items():
        statuses.add_row(str(status), str(count))
    console.print(statuses)
    if following is None:
        console.print("next meeting: none scheduled")
    else:
        console.print(
            Text(
                f"next meeting: {following.id}, {following.title}, {stamp(following.starts_at)}"
                + (f", {following.place}" if following.place else "")
            )
        )
