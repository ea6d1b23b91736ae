"""`truce users`: add, list and disable user accounts (as the local system, an admin)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console

from truce.cli.app import DatabaseOption, command_group, command_principal, reports_errors
from truce.cli.options import pack_party, stamp, text_table
from truce.core.access import Role, Track
from truce.security import User, add_user, disable_user, list_users
from truce.store import Store

users_app = command_group("users", help="User accounts: add, list, disable.")


def _describe(user: User) -> str:
    role = f"{user.role} of {user.party}" if user.party else str(user.role)
    if user.track:
        role += f", {user.track} track"
    state = f", disabled {stamp(user.disabled_at)}" if user.disabled_at else ""
    return f"{user.username} ({role}){state}"


@users_app.command("add")
@reports_errors
def add(
    username: Annotated[
        str, typer.Argument(metavar="USERNAME", help="2 to 64 of a-z, 0-9, '.', '_', '-'")
    ],
    role: Annotated[Role, typer.Option("--role", help="what the user may see and do")],
    party: Annotated[
        str | None,
        typer.Option("--party", metavar="PARTY", help="a delegate's party (theatre pack id)"),
    ] = None,
    track: Annotated[
        Track | None, typer.Option("--track", help="a delegate's track in the talks")
    ] = None,
    display_name: Annotated[
        str | None, typer.Option("--display-name", help="the name shown in pages")
    ] = None,
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin", help="read the password from the first line of standard input"
        ),
    ] = False,
    db: DatabaseOption = None,
) -> None:
    """Add a user; asks for the password (at least 12 characters) unless --password-stdin."""
    party = pack_party(party, "--party")
    if password_stdin:
        password = sys.stdin.readline().removesuffix("\n").removesuffix("\r")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with Store.open(db) as store:
        user = add_user(
            store,
            username=username,
            role=role,
            password=password,
            by=command_principal(),
            party=party,
            track=track,
            display_name=display_name,
        )
    typer.echo(f"added user {_describe(user)}")


@users_app.command("list")
@reports_errors
def list_(db: DatabaseOption = None) -> None:
    """List every user, disabled ones too."""
    with Store.open(db) as store:
        users = list_users(store, by=command_principal())
    rows = (
        (
            str(user.id),
            user.username,
            user.display_name or "",
            user.role.value,
            user.party or "",
            user.track.value if user.track else "",
            f"{stamp(user.created_at)} by {user.created_by}",
            stamp(user.disabled_at),
        )
        for user in users
    )
    columns = ("id", "username", "name", "role", "party", "track", "created", "disabled")
    Console().print(text_table(columns, rows, caption=f"{len(users)} users"))


@users_app.command("disable")
@reports_errors
def disable(
    username: Annotated[str, typer.Argument(metavar="USERNAME")], db: DatabaseOption = None
) -> None:
    """Disable a user for good; its API tokens and web sessions stop working at once."""
    with Store.open(db) as store:
        user = disable_user(store, username, by=command_principal())
    typer.echo(f"disabled user {_describe(user)}; its tokens and sessions are revoked")
