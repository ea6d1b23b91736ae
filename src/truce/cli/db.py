"""`truce db`: create or upgrade the database schema, or say where it stands."""

from __future__ import annotations

import typer

from truce.cli.app import DatabaseOption, command_group, reports_errors
from truce.store.migrate import SchemaStatus, schema_status, upgrade_database

db_app = command_group("db", help="Create or upgrade the database schema.")


@db_app.command("upgrade")
@reports_errors
def upgrade(db: DatabaseOption = None) -> None:
    """Create the schema, or upgrade it to this truce's version."""
    status = upgrade_database(db)
    if status.upgraded:
        typer.echo(f"{status.url}: upgraded {status.previous or 'empty'} -> {status.current}")
    else:
        typer.echo(f"{status.url}: already at {status.current}")


@db_app.command("current")
@reports_errors
def current(db: DatabaseOption = None) -> None:
    """Show the database's schema revision and whether it is the one truce needs."""
    typer.echo(_describe(schema_status(db)))


def _describe(status: SchemaStatus) -> str:
    if status.at_head:
        return f"{status.url}: {status.current} (head)"
    current = status.current or "empty"
    return f"{status.url}: {current} (head is {status.head}; run `truce db upgrade`)"
