"""`truce tokens`: API tokens for programs, made, listed and revoked by the local system."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from truce.cli.app import DatabaseOption, command_group, command_principal, reports_errors
from truce.core.access import Scope
from truce.security import MAX_TOKEN_LIFETIME, create_token, list_tokens, revoke_token
from truce.store import Store

tokens_app = command_group("tokens", help="API tokens: create, list, revoke.")


def _when(at: dt.datetime | None) -> str:
    return "" if at is None else at.strftime("%Y-%m-%d %H:%M UTC")


@tokens_app.command("create")
@reports_errors
def create(
    username: Annotated[str, typer.Argument(metavar="USERNAME", help="the user the token acts as")],
    name: Annotated[str, typer.Option("--name", help="what the token is for, e.g. 'ingest'")],
    scope: Annotated[
        list[Scope] | None,
        typer.Option("--scope", help="read or write; repeat for both (default: read)"),
    ] = None,
    expires_days: Annotated[
        int,
        typer.Option(min=1, max=MAX_TOKEN_LIFETIME.days, help="days until the token expires"),
    ] = 90,
    db: DatabaseOption = None,
) -> None:
    """Create a token: its secret goes to standard output, once; it is not stored."""
    with Store.open(db) as store:
        issued = create_token(
            store,
            username,
            name=name,
            scopes=frozenset(scope or [Scope.READ]),
            expires_in=dt.timedelta(days=expires_days),
            by=command_principal(),
        )
    info = issued.info
    scopes = " ".join(sorted(info.scopes))
    typer.echo(
        f"token {info.id} {info.name!r} for {info.username} ({scopes}), expires "
        f"{_when(info.expires_at)}; the secret below is shown only now:",
        err=True,
    )
    typer.echo(issued.secret)


@tokens_app.command("list")
@reports_errors
def list_(
    user: Annotated[
        str | None, typer.Option("--user", metavar="USERNAME", help="only this user's tokens")
    ] = None,
    db: DatabaseOption = None,
) -> None:
    """List tokens (never their secrets), oldest first."""
    with Store.open(db) as store:
        tokens = list_tokens(store, by=command_principal(), username=user)
    table = Table(caption=f"{len(tokens)} tokens")
    for column in ("id", "user", "name", "prefix", "scopes", "created", "expires", "revoked"):
        table.add_column(column, overflow="fold")
    for token in tokens:
        table.add_row(
            Text(str(token.id)),
            Text(token.username),
            Text(token.name),
            Text(f"{token.prefix}…"),
            Text(" ".join(sorted(token.scopes))),
            Text(f"{_when(token.created_at)} by {token.created_by}"),
            Text(_when(token.expires_at)),
            Text(_when(token.revoked_at)),
        )
    Console().print(table)


@tokens_app.command("revoke")
@reports_errors
def revoke(
    token_id: Annotated[
        int, typer.Argument(metavar="TOKEN_ID", help="the token's id (see `truce tokens list`)")
    ],
    db: DatabaseOption = None,
) -> None:
    """Revoke a token: it stops working at once."""
    with Store.open(db) as store:
        info = revoke_token(store, token_id, by=command_principal())
    typer.echo(f"revoked token {info.id} {info.name!r} of {info.username}")
