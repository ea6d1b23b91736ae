"""`truce extract`: documents (JSON Lines) in, events (JSON Lines) out, per the contract."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn

from truce.cli.app import app, reports_errors
from truce.core import DocumentError, Event
from truce.extract.explain import explaining_pipeline
from truce.extract.jsonl import DocumentProblem, open_jsonl, run_jsonl


@app.command("extract")
@reports_errors
def extract(
    source: str = typer.Argument(
        ..., metavar="DOCS.jsonl|-", help="documents, one JSON object a line; - reads stdin"
    ),
    explain: bool = typer.Option(
        False,
        "--explain",
        help="also print to stderr, per sentence, each trigger, its roles and why each date "
        "and place was chosen",
    ),
) -> None:
    """Extract events from documents: events as JSON lines on stdout, problems on stderr."""
    if explain:
        pipeline = explaining_pipeline(lambda text: print(text, file=sys.stderr, flush=True))
        with open_jsonl(source) as (lines, name):
            _render(run_jsonl(lines, source_name=name, pipeline=pipeline))
        return
    with open_jsonl(source) as (lines, name):
        if sys.stderr.isatty():
            with Progress(
                SpinnerColumn(),
                TextColumn("{task.completed} documents"),
                console=Console(stderr=True),
                transient=True,
            ) as progress:
                task = progress.add_task("extract")
                counted = _counting(lines, lambda: progress.advance(task))
                _render(run_jsonl(counted, source_name=name))
        else:
            _render(run_jsonl(lines, source_name=name))


def _counting(lines: Iterable[bytes], tick: Callable[[], None]) -> Iterator[bytes]:
    for line in lines:
        tick()
        yield line


def _render(results: Iterable[Event | DocumentError | DocumentProblem]) -> None:
    for item in results:
        if isinstance(item, DocumentError | DocumentProblem):
            print(f"truce: {item}", file=sys.stderr)
        else:
            sys.stdout.write(json.dumps(item.to_contract(), ensure_ascii=False) + "\n")
    sys.stdout.flush()
