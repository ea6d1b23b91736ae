"""`truce ingest PATH...`: files and folders into the store, events from the new documents."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from truce.cli.app import (
    EXIT_BAD_INPUT,
    ClassificationOption,
    DatabaseOption,
    PartyOption,
    app,
    command_principal,
    reports_errors,
)
from truce.cli.options import pack_party
from truce.core.access import Classification
from truce.ingest import ingest_paths
from truce.store import Store


@app.command("ingest")
@reports_errors
def ingest(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Files or folders (walked recursively): .txt, .md, .jsonl, .html, RSS/Atom.",
            metavar="PATH",
            show_default=False,
        ),
    ],
    published: Annotated[
        dt.datetime | None,
        typer.Option(
            formats=["%Y-%m-%d"],
            metavar="YYYY-MM-DD",
            help="Publication date of documents that do not state their own.",
        ),
    ] = None,
    classification: ClassificationOption = Classification.COMMITTEE,
    party: PartyOption = None,
    db: DatabaseOption = None,
) -> None:
    """Store documents once each and extract events from the new ones.

    New documents and their events are classified with --classification and owned by
    --party (committee and no party unless told).
    Problems go to standard error, each naming its file and line.
    The good documents of the same run still go in.
    Exit code 2 only when nothing at all could be read.
    """
    stderr = Console(stderr=True)
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("files"),
        TimeElapsedColumn(),
        console=stderr,
        transient=True,
        disable=not stderr.is_terminal,  # a bar only for people watching, never in logs
    )
    owner_party = pack_party(party, "--party")
    store = Store.open(db)
    try:
        with progress:
            summary = ingest_paths(
                store,
                paths,
                by=command_principal(),
                classification=classification,
                owner_party=owner_party,
                published=published.date() if published is not None else None,
                progress=progress,
            )
    finally:
        store.close()
    for problem in summary.problems:
        print(f"truce: {problem}", file=sys.stderr)
    typer.echo(summary.describe())
    if not summary.anything_read:
        raise typer.Exit(EXIT_BAD_INPUT)
