"""`truce delegations`: the delegations at the table and their members (see
truce.committee.delegations).

Writing commands take `--by USER` (the chair manages delegations); without it the command is
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
from truce.cli.options import JsonOption, access_words, optional_date, required_date, text_table
from truce.committee.delegations import (
    Delegation,
    DelegationKind,
    NewDelegation,
    NewMember,
    add_delegation,
    add_member,
    end_membership,
    get_delegation,
    list_delegations,
)
from truce.core.access import Classification, Track
from truce.store import Store

delegations_app = command_group(
    "delegations", help="Delegations at the table (parties, the chair, observers) and members."
)
member_app = typer.Typer(name="member", help="A delegation's members.", no_args_is_help=True)
delegations_app.add_typer(member_app, name="member")

DelegationArgument = Annotated[int, typer.Argument(metavar="ID", help="The delegation's id.")]


@delegations_app.command("list")
@reports_errors
def list_(
    as_json: JsonOption = False, as_user: AsUserOption = None, db: DatabaseOption = None
) -> None:
    """List the delegations, with their members."""
    with Store.open(db) as store:
        found = list_delegations(store, viewer=user_principal(store, as_user, acting=False))
    if as_json:
        echo_json(found)
        return
    rows = (
        (
            str(delegation.id),
            delegation.name,
            str(delegation.kind),
            delegation.party or "",
            ", ".join(member.name for member in delegation.members if member.current),
            access_words(delegation.classification, delegation.owner_party),
        )
        for delegation in found
    )
    columns = ("id", "name", "kind", "party", "members", "access")
    Console().print(text_table(columns, rows, caption=f"{len(found)} delegations"))


@delegations_app.command("show")
@reports_errors
def show(
    delegation_id: DelegationArgument,
    as_json: JsonOption = False,
    as_user: AsUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Show a delegation and its members, those who left too."""
    with Store.open(db) as store:
        delegation = get_delegation(
            store, delegation_id, viewer=user_principal(store, as_user, acting=False)
        )
    if as_json:
        echo_json(delegation)
    else:
        Console().print(_members_table(delegation))


@delegations_app.command("add")
@reports_errors
def add(
    name: Annotated[str, typer.Option(help='Its name, e.g. "Lebanon", "UNIFIL".')],
    kind: Annotated[DelegationKind, typer.Option(help="party, chair or observer.")],
    party: Annotated[
        str | None,
        typer.Option(metavar="PARTY", help="A party delegation's party.", show_default=False),
    ] = None,
    classification: ClassificationOption = Classification.COMMITTEE,
    owner: Annotated[
        str | None,
        typer.Option(
            metavar="PARTY",
            help="Who a restricted observer's delegation is shared with.",
            show_default=False,
        ),
    ] = None,
    by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Add a delegation (the chair)."""
    new = NewDelegation(
        kind=kind, name=name, party=party, classification=classification, owner_party=owner
    )
    with Store.open(db) as store:
        delegation = add_delegation(store, new, by=user_principal(store, by, acting=True))
    typer.echo(f"added delegation {delegation.id}: {delegation.name} ({delegation.kind})")


@member_app.command("add")
@reports_errors
def member_add(
    delegation_id: DelegationArgument,
    name: Annotated[str, typer.Option(help="The member's name.")],
    title: Annotated[
        str | None, typer.Option(help='e.g. "Brigadier General".', show_default=False)
    ] = None,
    role: Annotated[
        str | None,
        typer.Option(help="In the delegation: head, deputy, expert, envoy.", show_default=False),
    ] = None,
    track: Annotated[Track | None, typer.Option(help="military or civilian.")] = None,
    user: Annotated[
        str | None,
        typer.Option(metavar="USERNAME", help="The member's account.", show_default=False),
    ] = None,
    joined: Annotated[
        str | None, typer.Option(metavar="YYYY-MM-DD", help="When it joined.", show_default=False)
    ] = None,
    by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Add a member to a delegation (the chair)."""
    new = NewMember(
        name=name,
        title=title,
        role=role,
        track=track,
        username=user,
        joined_on=optional_date(joined, "--joined"),
    )
    with Store.open(db) as store:
        member = add_member(store, delegation_id, new, by=user_principal(store, by, acting=True))
    typer.echo(f"added member {member.id} to delegation {member.delegation_id}: {member.name}")


@member_app.command("leave")
@reports_errors
def member_leave(
    member_id: Annotated[int, typer.Argument(metavar="MEMBER_ID", help="The member's id.")],
    on: Annotated[str, typer.Option("--on", metavar="YYYY-MM-DD", help="The day it left.")],
    by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Record that a member left its delegation (the chair)."""
    left_on = required_date(on, "--on")
    with Store.open(db) as store:
        member = end_membership(
            store, member_id, left_on=left_on, by=user_principal(store, by, acting=True)
        )
    typer.echo(f"member {member.id} ({member.name}) left on {member.left_on}")


def _members_table(delegation: Delegation) -> Table:
    party = f", {delegation.party}" if delegation.party else ""
    rows = (
        (
            str(member.id),
            member.name,
            member.title or "",
            member.role or "",
            "" if member.track is None else str(member.track),
            member.username or "",
            "" if member.joined_on is None else member.joined_on.isoformat(),
            "" if member.left_on is None else member.left_on.isoformat(),
        )
        for member in delegation.members
    )
    columns = ("member", "name", "title", "role", "track", "account", "joined", "left")
    title = f"delegation {delegation.id}: {delegation.name} ({delegation.kind}{party})"
    return text_table(columns, rows, title=title)
