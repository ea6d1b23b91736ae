"""The Typer application every `truce` sub-command registers on, and the error edge."""

from __future__ import annotations

import getpass
import json
import sys
from collections.abc import Callable
from functools import wraps
from typing import Annotated, ParamSpec, TypeVar

import typer
from pydantic_core import to_jsonable_python

from truce.core.access import Classification, Principal
from truce.core.errors import (
    ConfigError,
    InputError,
    NotFoundError,
    TruceError,
    VocabularyError,
)
from truce.security import get_user
from truce.store import Store

app = typer.Typer(
    name="truce",
    help="Monitor a ceasefire: ingest reports, extract events, query and serve them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def command_group(name: str, help: str) -> typer.Typer:
    """A `truce <name> ...` group of sub-commands, registered on the app."""
    group = typer.Typer(name=name, help=help, no_args_is_help=True)
    app.add_typer(group, name=name)
    return group


#: the `--db URL` option every command that opens the store takes
DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="URL",
        help="Database URL (default: $TRUCE_DATABASE_URL, else sqlite:///truce.db).",
        show_default=False,
    ),
]

#: how new records are classified, for commands that create them
ClassificationOption = Annotated[
    Classification,
    typer.Option(
        "--classification",
        help="Who may see new records: public, committee, or restricted (owner party and "
        "chair only).",
    ),
]
#: the party that owns new records
PartyOption = Annotated[
    str | None,
    typer.Option(
        "--party",
        metavar="PARTY",
        help="Owner party of new records (one of the theatre pack's parties).",
        show_default=False,
    ),
]


def command_principal() -> Principal:
    """Who the `truce` command acts as: the local operator, who holds the database anyway
    (see truce.core.access); the audit names them by their login name."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # no login name (a container without passwd entry)
        name = "unknown"
    return Principal.local_system(name)


P = ParamSpec("P")
R = TypeVar("R")

#: exit codes: 0 ok, 1 truce failed, 2 bad input or arguments (as the extract contract says)
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


def exit_code_for(error: TruceError) -> int:
    return (
        EXIT_BAD_INPUT
        if isinstance(error, InputError | ConfigError | VocabularyError)
        else EXIT_FAILED
    )


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn a TruceError into a one-line message on standard error and its exit code."""

    @wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except TruceError as error:
            print(f"truce: {error}", file=sys.stderr)
            raise typer.Exit(exit_code_for(error)) from None

    return wrapper


#: `--as USER` on reading commands: show what a stored user may see
AsUserOption = Annotated[
    str | None,
    typer.Option(
        "--as",
        metavar="USERNAME",
        help="Show only what this user may see (default: everything).",
        show_default=False,
    ),
]
#: `--by USER` on writing commands: act as a stored user, with its rights
ByUserOption = Annotated[
    str | None,
    typer.Option(
        "--by",
        metavar="USERNAME",
        help="Act as this user, with its rights (default: the local system).",
        show_default=False,
    ),
]


def user_principal(store: Store, username: str | None, *, acting: bool) -> Principal:
    """The principal of `--by`/`--as USERNAME` (InputError, exit 2, for an unknown user, or a
    disabled one acting), else the command's own (`command_principal()`)."""
    if username is None:
        return command_principal()
    option = "--by" if acting else "--as"
    try:
        user = get_user(store, username)
    except NotFoundError:
        raise InputError(f"no user {username!r}", source=option) from None
    if acting and user.disabled_at is not None:
        raise InputError(f"user {username!r} is disabled and may not act", source=option)
    return user.principal


def echo_json(value: object) -> None:
    """Print a record (dataclasses, pydantic models) as JSON: plain values, ISO dates."""
    typer.echo(json.dumps(to_jsonable_python(value), ensure_ascii=False, indent=2))
