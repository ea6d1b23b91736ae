"""`truce committee`: the committee's workspace as a whole; `truce committee import FILE` loads
its set-up (delegations, members, meetings, proposals, commitments, the pack's held positions)
from a YAML file (see truce.committee.import_file).

Writing commands take `--by USER` (the chair imports); without it the command is the local
system, which acts as the chair.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from truce.cli.app import (
    ByUserOption,
    DatabaseOption,
    command_group,
    echo_json,
    reports_errors,
    user_principal,
)
from truce.committee.import_file import ImportSummary, import_committee
from truce.store import Store

committee_app = command_group(
    "committee", help="The committee's workspace: load its set-up from a file."
)


@committee_app.command("import")
@reports_errors
def import_(
    path: Annotated[
        Path,
        typer.Argument(
            metavar="FILE", help="The set-up, in YAML (see samples/committee.yaml).", dir_okay=False
        ),
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the summary as JSON instead of a table.")
    ] = False,
    by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Load the committee's set-up from FILE. Records already there are not created again;
    a file with an error anywhere writes nothing."""
    with Store.open(db) as store:
        summary = import_committee(store, path, by=user_principal(store, by, acting=True))
    if as_json:
        echo_json(summary)
        return
    verdict = f"{summary.created} records created" if summary.changed else "nothing new"
    typer.echo(f"imported {summary.path}: {verdict}")
    Console().print(_summary_table(summary))


def _summary_table(summary: ImportSummary) -> Table:
    table = Table()
    table.add_column("records")
    for column in ("created", "already there", "moved on"):
        table.add_column(column, justify="right")
    for counted in summary.counts:
        table.add_row(
            counted.kind, str(counted.created), str(counted.existing), str(counted.updated)
        )
    return table
