"""`truce proposals`: proposals put to the committee, from draft to agreed, rejected or
withdrawn, and the meetings that handled them (see truce.committee.proposals).

Writing commands take `--by USER` (act as that user: a delegate proposes for its party and
tables or withdraws its own proposals, the chair does everything); without it the command is
the local system, which acts as the chair. Reading commands take `--as USER`.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

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
    facts_table,
    pack_party,
    page_caption,
    stamp,
    text_table,
)
from truce.committee.proposals import (
    MAX_PAGE,
    NewProposal,
    ProposalAction,
    ProposalKind,
    ProposalPage,
    ProposalStatus,
    ProposalView,
    change_proposal,
    create_proposal,
    get_proposal,
    list_proposals,
)
from truce.core.access import Classification, Track
from truce.store import Store

proposals_app = command_group(
    "proposals",
    help="Proposals to the committee: economic projects, reconstruction, return of residents, "
    "confidence-building measures.",
)

ProposalArgument = Annotated[int, typer.Argument(metavar="ID", help="The proposal's id.")]
MeetingOption = Annotated[
    int | None,
    typer.Option("--meeting", metavar="N", help="The meeting that handled it.", show_default=False),
]


@proposals_app.command("create")
@reports_errors
def create(
    title: Annotated[str, typer.Option(help="The proposal, in a line.")],
    kind: Annotated[ProposalKind, typer.Option(help="What kind of proposal it is.")],
    summary: Annotated[
        str | None, typer.Option(help="The proposal in full.", show_default=False)
    ] = None,
    party: Annotated[
        str | None,
        typer.Option(
            metavar="PARTY",
            help="The proposing party (a delegate proposes for its own; none: the chair's).",
            show_default=False,
        ),
    ] = None,
    track: Annotated[
        Track | None, typer.Option(help="The track of the talks.", show_default=False)
    ] = None,
    classification: ClassificationOption = Classification.COMMITTEE,
    meeting: MeetingOption = None,
    note: NoteOption = None,
    by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Make a proposal, in status draft."""
    proposal = NewProposal(
        title=title,
        kind=kind,
        summary=summary,
        proposing_party=pack_party(party, "--party"),
        track=track,
        classification=classification,
        meeting_id=meeting,
        note=note,
    )
    with Store.open(db) as store:
        view = create_proposal(store, proposal, by=user_principal(store, by, acting=True))
    typer.echo(f"made proposal {view.id} ({view.status})")


@proposals_app.command("list")
@reports_errors
def list_(
    status: Annotated[
        ProposalStatus | None, typer.Option(help="Only proposals in this status.")
    ] = None,
    kind: Annotated[ProposalKind | None, typer.Option(help="Only proposals of this kind.")] = None,
    party: Annotated[
        str | None,
        typer.Option(metavar="PARTY", help="Only this party's proposals.", show_default=False),
    ] = None,
    meeting: Annotated[
        int | None,
        typer.Option(
            "--meeting", metavar="N", help="Only those this meeting handled.", show_default=False
        ),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=MAX_PAGE, help="proposals per page")] = 50,
    offset: Annotated[int, typer.Option(min=0, help="proposals to skip")] = 0,
    as_json: JsonOption = False,
    as_user: AsUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """List proposals, the last made first."""
    with Store.open(db) as store:
        page = list_proposals(
            store,
            viewer=user_principal(store, as_user, acting=False),
            status=status,
            kind=kind,
            party=pack_party(party, "--party"),
            meeting_id=meeting,
            limit=limit,
            offset=offset,
        )
    if as_json:
        echo_json(page)
    else:
        Console().print(_list_table(page))


@proposals_app.command("show")
@reports_errors
def show(
    proposal_id: ProposalArgument,
    as_json: JsonOption = False,
    as_user: AsUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Show a proposal: its history and the meetings that handled it."""
    with Store.open(db) as store:
        view = get_proposal(store, proposal_id, viewer=user_principal(store, as_user, acting=False))
    if as_json:
        echo_json(view)
    else:
        _print_proposal(view)


def _take(
    proposal_id: int,
    action: ProposalAction,
    meeting: int | None,
    note: str | None,
    by: str | None,
    db: str | None,
) -> None:
    with Store.open(db) as store:
        view = change_proposal(
            store,
            proposal_id,
            action,
            by=user_principal(store, by, acting=True),
            meeting_id=meeting,
            note=note,
        )
    typer.echo(f"proposal {view.id}: {action} → {view.status}")


@proposals_app.command("table")
@reports_errors
def table(
    proposal_id: ProposalArgument,
    meeting: MeetingOption = None,
    note: NoteOption = None,
    by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Table a draft before the committee (its proposing party's delegate, or the chair)."""
    _take(proposal_id, ProposalAction.TABLE, meeting, note, by, db)


@proposals_app.command("discuss")
@reports_errors
def discuss(
    proposal_id: ProposalArgument,
    meeting: MeetingOption = None,
    note: NoteOption = None,
    by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Take a tabled proposal under discussion (the chair)."""
    _take(proposal_id, ProposalAction.DISCUSS, meeting, note, by, db)


@proposals_app.command("agree")
@reports_errors
def agree(
    proposal_id: ProposalArgument,
    meeting: MeetingOption = None,
    note: NoteOption = None,
    by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Record that the committee agreed a proposal under discussion (the chair)."""
    _take(proposal_id, ProposalAction.AGREE, meeting, note, by, db)


@proposals_app.command("reject")
@reports_errors
def reject(
    proposal_id: ProposalArgument,
    meeting: MeetingOption = None,
    note: NoteOption = None,
    by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Record that the committee rejected a proposal under discussion (the chair)."""
    _take(proposal_id, ProposalAction.REJECT, meeting, note, by, db)


@proposals_app.command("withdraw")
@reports_errors
def withdraw(
    proposal_id: ProposalArgument,
    meeting: MeetingOption = None,
    note: NoteOption = None,
    by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Withdraw a proposal not yet decided (its proposing party's delegate, or the chair)."""
    _take(proposal_id, ProposalAction.WITHDRAW, meeting, note, by, db)


# --- rendering ------------------------------------------------------------------------------


def _list_table(page: ProposalPage) -> Table:
    columns = ("id", "title", "kind", "party", "track", "status", "made", "meetings", "access")
    rows = (
        (
            str(proposal.id),
            proposal.title,
            str(proposal.kind),
            proposal.proposing_party or "chair",
            str(proposal.track or ""),
            str(proposal.status),
            stamp(proposal.created_at),
            ", ".join(map(str, proposal.meeting_ids)),
            access_words(proposal.classification, proposal.owner_party),
        )
        for proposal in page.items
    )
    return text_table(columns, rows, caption=page_caption("proposals", page))


def _print_proposal(view: ProposalView) -> None:
    console = Console()
    facts = (
        ("title", view.title),
        ("summary", view.summary or ""),
        ("kind", str(view.kind)),
        ("proposed by", view.proposing_party or "the chair"),
        ("track", str(view.track or "")),
        ("status", str(view.status)),
        ("made", f"{stamp(view.created_at)} by {view.created_by}"),
        ("access", access_words(view.classification, view.owner_party)),
        ("next", ", ".join(map(str, view.actions)) or "nothing you may do"),
    )
    console.print(facts_table(facts, title=f"proposal {view.id}"))
    history = (
        (
            stamp(step.at),
            str(step.from_status or ""),
            str(step.to_status),
            "" if step.meeting_id is None else str(step.meeting_id),
            step.by,
            step.note or "",
        )
        for step in view.history
    )
    columns: tuple[str, ...] = ("when", "from", "to", "meeting", "by", "note")
    console.print(text_table(columns, history, title="history"))
    if view.meetings:
        meetings = (
            (
                str(meeting.id),
                stamp(meeting.starts_at),
                meeting.title,
                meeting.place or "",
                meeting.status,
            )
            for meeting in view.meetings
        )
        columns = ("meeting", "starts", "title", "place", "status")
        console.print(text_table(columns, meetings, title="meetings that handled it"))
