"""`truce statements`: joint statements, drafted in versions, commented on and approved by the
delegations, issued (the text frozen by its SHA-256) and published (see
truce.committee.statements).

Writing commands take `--by USER` (act as that user: the chair drafts, revises, issues and
publishes; a delegate comments and approves for its own party's delegation); without it the
command is the local system, which acts as the chair and names the delegation it records a
comment or approval for with `--delegation ID`. Reading commands take `--as USER`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

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
    access_words,
    facts_table,
    pack_party,
    page_caption,
    stamp,
    text_table,
)
from truce.committee.statements import (
    MAX_PAGE,
    NewStatement,
    StatementPage,
    StatementStatus,
    StatementView,
    add_version,
    approve_statement,
    comment_on_statement,
    draft_statement,
    get_statement,
    issue_statement,
    list_statements,
    publish_statement,
    share_statement,
    verify_statement,
    withdraw_approval,
)
from truce.core.access import Classification
from truce.core.errors import InputError
from truce.store import Store

statements_app = command_group(
    "statements",
    help="Joint statements: drafted in versions, approved by every delegation, issued, published.",
)

StatementArgument = Annotated[int, typer.Argument(metavar="ID", help="The statement's id.")]
TextOption = Annotated[str | None, typer.Option(help="The statement's text.", show_default=False)]
FileOption = Annotated[
    Path | None,
    typer.Option(
        "--file",
        metavar="PATH",
        help="Read the statement's text from this UTF-8 file.",
        show_default=False,
    ),
]
DelegationOption = Annotated[
    int | None,
    typer.Option(
        "--delegation",
        metavar="ID",
        help="The delegation acted for (a delegate: its own, the default; the chair names it).",
        show_default=False,
    ),
]
VersionOption = Annotated[
    int | None,
    typer.Option(metavar="N", help="The version (default: the current one).", show_default=False),
]


@statements_app.command("draft")
@reports_errors
def draft(
    title: Annotated[str, typer.Option(help="The statement's title.")],
    text: TextOption = None,
    file: FileOption = None,
    meeting: Annotated[
        int | None,
        typer.Option(metavar="ID", help="The meeting it is drafted at.", show_default=False),
    ] = None,
    note: Annotated[
        str | None, typer.Option(help="A note on this first draft.", show_default=False)
    ] = None,
    classification: Annotated[
        Classification,
        typer.Option(
            "--classification",
            help="committee, or restricted (to --party and the chair); publishing makes it public.",
        ),
    ] = Classification.COMMITTEE,
    party: Annotated[
        str | None,
        typer.Option(
            metavar="PARTY", help="The party a restricted statement is for.", show_default=False
        ),
    ] = None,
    by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Draft a statement: its first version (the chair)."""
    new = NewStatement(
        title=title,
        text=_text(text, file),
        meeting_id=meeting,
        note=note,
        classification=classification,
        owner_party=pack_party(party, "--party"),
    )
    with Store.open(db) as store:
        view = draft_statement(store, new, by=user_principal(store, by, acting=True))
    typer.echo(f"drafted statement {view.id}, version 1 (sha256 {view.sha256})")


@statements_app.command("list")
@reports_errors
def list_(
    status: Annotated[
        StatementStatus | None, typer.Option(help="Only statements in this status.")
    ] = None,
    meeting: Annotated[
        int | None,
        typer.Option(metavar="ID", help="Only those of this meeting.", show_default=False),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=MAX_PAGE, help="statements per page")] = 50,
    offset: Annotated[int, typer.Option(min=0, help="statements to skip")] = 0,
    as_json: JsonOption = False,
    as_user: AsUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """List statements, the last drafted first."""
    with Store.open(db) as store:
        page = list_statements(
            store,
            viewer=user_principal(store, as_user, acting=False),
            status=status,
            meeting_id=meeting,
            limit=limit,
            offset=offset,
        )
    if as_json:
        echo_json(page)
    else:
        Console().print(_list_table(page))


@statements_app.command("show")
@reports_errors
def show(
    statement_id: StatementArgument,
    as_json: JsonOption = False,
    as_user: AsUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Show a statement: its text, versions, comments and approvals (as far as you may see)."""
    with Store.open(db) as store:
        view = get_statement(
            store, statement_id, viewer=user_principal(store, as_user, acting=False)
        )
    if as_json:
        echo_json(view)
    else:
        _print_statement(view)


@statements_app.command("revise")
@reports_errors
def revise(
    statement_id: StatementArgument,
    text: TextOption = None,
    file: FileOption = None,
    note: Annotated[
        str | None, typer.Option(help="What changed, and why.", show_default=False)
    ] = None,
    by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Add a new version of a drafted statement (the chair); approvals are needed again."""
    new_text = _text(text, file)
    with Store.open(db) as store:
        view = add_version(
            store, statement_id, new_text, by=user_principal(store, by, acting=True), note=note
        )
    typer.echo(f"statement {view.id}: version {view.version} (sha256 {view.sha256})")


@statements_app.command("comment")
@reports_errors
def comment(
    statement_id: StatementArgument,
    text: Annotated[str, typer.Option(help="The comment.")],
    version: VersionOption = None,
    delegation: DelegationOption = None,
    restricted: Annotated[
        bool,
        typer.Option("--restricted", help="Keep it to the delegation's party and the chair."),
    ] = False,
    by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Comment on a version of a drafted statement, for a delegation."""
    level = Classification.RESTRICTED if restricted else Classification.COMMITTEE
    with Store.open(db) as store:
        made = comment_on_statement(
            store,
            statement_id,
            text,
            by=user_principal(store, by, acting=True),
            delegation_id=delegation,
            version=version,
            classification=level,
        )
    typer.echo(
        f"comment {made.id} of {made.delegation} on version {made.version} of statement "
        f"{made.statement_id} ({made.classification})"
    )


@statements_app.command("approve")
@reports_errors
def approve(
    statement_id: StatementArgument,
    version: Annotated[
        int | None,
        typer.Option(
            metavar="N",
            help="The version you read: refused if a newer one was added since.",
            show_default=False,
        ),
    ] = None,
    delegation: DelegationOption = None,
    by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Approve the current version of a drafted statement, for a party delegation."""
    with Store.open(db) as store:
        made = approve_statement(
            store,
            statement_id,
            by=user_principal(store, by, acting=True),
            delegation_id=delegation,
            version=version,
        )
    typer.echo(
        f"statement {made.statement_id}: version {made.version} approved by {made.delegation}"
    )


@statements_app.command("withdraw-approval")
@reports_errors
def withdraw(
    statement_id: StatementArgument,
    delegation: DelegationOption = None,
    by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Withdraw a delegation's approval of the current version, before issue."""
    with Store.open(db) as store:
        made = withdraw_approval(
            store, statement_id, by=user_principal(store, by, acting=True), delegation_id=delegation
        )
    typer.echo(
        f"statement {made.statement_id}: {made.delegation} withdrew its approval of version "
        f"{made.version}"
    )


@statements_app.command("issue")
@reports_errors
def issue(
    statement_id: StatementArgument, by: ByUserOption = None, db: DatabaseOption = None
) -> None:
    """Issue a statement every party delegation approved (the chair): its text is frozen."""
    with Store.open(db) as store:
        view = issue_statement(store, statement_id, by=user_principal(store, by, acting=True))
    typer.echo(
        f"statement {view.id}: issued version {view.issued_version}, sha256 {view.issued_sha256}"
    )


@statements_app.command("share")
@reports_errors
def share(
    statement_id: StatementArgument, by: ByUserOption = None, db: DatabaseOption = None
) -> None:
    """Share a restricted draft with the whole committee (the chair): every party delegation
    must then approve it before issue."""
    with Store.open(db) as store:
        view = share_statement(store, statement_id, by=user_principal(store, by, acting=True))
    typer.echo(f"statement {view.id}: shared ({view.classification})")


@statements_app.command("publish")
@reports_errors
def publish(
    statement_id: StatementArgument, by: ByUserOption = None, db: DatabaseOption = None
) -> None:
    """Publish an issued statement (the chair): anyone may then read its text and hash."""
    with Store.open(db) as store:
        view = publish_statement(store, statement_id, by=user_principal(store, by, acting=True))
    typer.echo(f"statement {view.id}: published ({view.classification})")


@statements_app.command("verify")
@reports_errors
def verify(
    statement_id: StatementArgument, as_user: AsUserOption = None, db: DatabaseOption = None
) -> None:
    """Re-hash the stored text of a statement's versions (exit 1 if one no longer matches)."""
    with Store.open(db) as store:
        check = verify_statement(
            store, statement_id, viewer=user_principal(store, as_user, acting=False)
        )
    versions = ", ".join(map(str, check.checked))
    issued = f"; issued sha256 {check.issued_sha256}" if check.issued_sha256 else ""
    typer.echo(f"statement {check.statement_id}: intact (versions {versions}{issued})")


# --- parsing --------------------------------------------------------------------------------


def _text(text: str | None, file: Path | None) -> str:
    if (text is None) == (file is None):
        raise InputError("give the text with --text or --file (one of them)", source="--text")
    if text is not None:
        return text
    assert file is not None
    try:
        return file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError("is not UTF-8 text", source=str(file)) from None
    except OSError as error:
        raise InputError(error.strerror or "cannot be read", source=str(file)) from None


# --- rendering ------------------------------------------------------------------------------


def _list_table(page: StatementPage) -> Table:
    rows = (
        (
            str(item.id),
            item.title,
            str(item.status),
            str(item.version),
            stamp(item.created_at),
            "" if item.meeting_id is None else str(item.meeting_id),
            ", ".join(item.approved_by),
            ", ".join(item.awaiting),
            item.sha256[:16],
            access_words(item.classification, item.owner_party),
        )
        for item in page.items
    )
    columns: tuple[str, ...] = ("id", "title", "status", "version", "drafted", "meeting")
    columns += ("approved by", "awaiting", "sha256", "access")
    return text_table(columns, rows, caption=page_caption("statements", page))


def _print_statement(view: StatementView) -> None:
    console = Console()
    issued = (
        f"{stamp(view.issued_at)} by {view.issued_by}, version {view.issued_version}"
        if view.issued_at
        else ""
    )
    published = f"{stamp(view.published_at)} by {view.published_by}" if view.published_at else ""
    facts = (
        ("title", view.title),
        ("status", str(view.status)),
        ("drafted", f"{stamp(view.created_at)} by {view.created_by}"),
        ("meeting", "" if view.meeting_id is None else str(view.meeting_id)),
        ("access", access_words(view.classification, view.owner_party)),
        ("version", str(view.version)),
        ("sha256", view.sha256),
        ("issued", issued),
        ("published", published),
        ("approved by", ", ".join(view.approved_by)),
        ("awaiting", ", ".join(view.awaiting)),
        ("next", ", ".join(map(str, view.actions)) or "nothing you may do"),
    )
    console.print(facts_table(facts, title=f"statement {view.id}"))
    console.print(Text(view.text))
    if len(view.versions) > 1 or view.versions[0].note:
        versions = (
            (
                str(version.number),
                stamp(version.created_at),
                version.created_by,
                version.sha256,
                version.note or "",
            )
            for version in view.versions
        )
        columns: tuple[str, ...] = ("version", "written", "by", "sha256", "note")
        console.print(text_table(columns, versions, title="versions"))
    if view.comments:
        comments = (
            (
                str(made.id),
                str(made.version),
                made.delegation,
                made.created_by,
                stamp(made.created_at),
                access_words(made.classification, made.owner_party),
                made.text,
            )
            for made in view.comments
        )
        columns = ("comment", "version", "delegation", "by", "when", "access", "text")
        console.print(text_table(columns, comments, title="comments"))
    if view.approvals:
        approvals = (
            (
                str(approval.version),
                approval.delegation,
                approval.approved_by,
                stamp(approval.approved_at),
                f"{stamp(approval.withdrawn_at)} by {approval.withdrawn_by}"
                if approval.withdrawn_at
                else "",
            )
            for approval in view.approvals
        )
        columns = ("version", "delegation", "by", "when", "withdrawn")
        console.print(text_table(columns, approvals, title="approvals"))
