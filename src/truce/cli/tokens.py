"""`truce tokens`: API tokens for programs, made, listed and revoked by the local system."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from rich.console import Console

from truce.cli.app import DatabaseOption, command_group, command_principal, reports_errors
from truce.cli.options import stamp, text_table
from truce.core.access import Scope
from truce.security import MAX_TOKEN_LIFETIME, create_token, list_tokens, revoke_token
from truce.store import Store

tokens_app = command_group("tokens", help="API tokens: create, list, revoke.")


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
        f"{stamp(info.expires_at)}; the secret below is shown only now:",
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
    rows = (
        (
            str(token.id),
            token.username,
            token.name,
            f"{token.prefix}…",
            " ".join(sorted(token.scopes)),
            f"{stamp(token.created_at)} by {token.created_by}",
            stamp(token.expires_at),
            stamp(token.revoked_at),
        )
        for token in tokens
    )
    columns = ("id", "user", "name", "prefix", "scopes", "created", "expires", "revoked")
    Console().print(text_table(columns, rows, caption=f"{len(tokens)} tokens"))


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
