"""`truce evaluate`: score the extractor against annotated gold files (dev.yaml's format)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from truce.cli.app import app, reports_errors
from truce.extract.evaluation import (
    TRACKS,
    Evaluation,
    Matching,
    Report,
    combine,
    evaluate_files,
)


@app.command("evaluate")
@reports_errors
def evaluate(
    gold: Annotated[
        list[Path], typer.Argument(metavar="GOLD.yaml", help="gold files (dev.yaml's format)")
    ],
    predictions: Annotated[
        Path | None,
        typer.Option(
            "--predictions",
            metavar="EVENTS.jsonl",
            help="Score this output of `truce extract` instead of running the default pipeline.",
        ),
    ] = None,
    actors: Annotated[
        Path | None,
        typer.Option(
            "--actors",
            metavar="TABLE.yaml",
            help="Actor codes: a YAML list of {code, pattern} (default: score.py's table).",
        ),
    ] = None,
    matching: Annotated[
        str,
        typer.Option(
            "--matching",
            help="Whose misses and false alarms --explain lists: greedy (score.py's) or optimal.",
        ),
    ] = "greedy",
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object a gold file (and a total).")
    ] = False,
    explain: Annotated[
        bool, typer.Option("--explain", help="List every missed gold event and false alarm.")
    ] = False,
) -> None:
    """Score extraction per track (material, diplomatic, threats) as score.py does, under
    score.py's greedy matching and an optimal one."""
    if matching not in ("greedy", "optimal"):
        raise typer.BadParameter("expected greedy or optimal", param_hint="--matching")
    chosen: Matching = "greedy" if matching == "greedy" else "optimal"
    results = evaluate_files(gold, predictions=predictions, actors=actors)
    if len(results) > 1:
        results.append(combine(results))
    for result in results:
        if as_json:
            print(json.dumps(_json(result, explain=explain, matching=chosen), ensure_ascii=False))
        else:
            _print(result, explain=explain, matching=chosen)


def _json(result: Evaluation, *, explain: bool, matching: Matching) -> dict[str, object]:
    return {
        "gold": result.gold,
        "greedy": result.greedy.to_json(explain=explain and matching == "greedy"),
        "optimal": result.optimal.to_json(explain=explain and matching == "optimal"),
    }


def _print(result: Evaluation, *, explain: bool, matching: Matching) -> None:
    console = Console(highlight=False, soft_wrap=True)
    greedy, optimal = result.greedy, result.optimal
    took = f", {greedy.seconds:.2f} s" if greedy.seconds is not None else ""
    console.print(
        f"[bold]{result.gold}[/bold]: {greedy.documents} documents, "
        f"{greedy.predicted_events} predicted events{took}"
    )
    tracks = Table("track", "P", "R", "F1", "tp", "fp", "fn", "opt. F1", "opt. tp/fp/fn")
    for track in TRACKS:
        g, o = greedy.tracks[track], optimal.tracks[track]
        tracks.add_row(
            track,
            f"{g.precision:.3f}",
            f"{g.recall:.3f}",
            f"{g.f1:.3f}",
            str(g.tp),
            str(g.fp),
            str(g.fn),
            f"{o.f1:.3f}",
            f"{o.tp}/{o.fp}/{o.fn}",
        )
    console.print(tracks)
    fields = Table("material field", "accuracy", "hits", "optimal")
    for name in sorted(set(greedy.fields) | set(optimal.fields)):
        mine, other = greedy.fields.get(name), optimal.fields.get(name)
        fields.add_row(
            name,
            f"{mine.accuracy:.3f}" if mine else "",
            f"{mine.hits}/{mine.total}" if mine else "",
            f"{other.accuracy:.3f} ({other.hits}/{other.total})" if other else "",
        )
    console.print(fields)
    if explain:
        _print_explanation(console, result.report(matching))


def _print_explanation(console: Console, report: Report) -> None:
    for miss in report.misses:
        console.print(
            f"{miss.doc_id} {miss.track} MISSED (line {miss.event.line}) "
            + json.dumps(miss.event.summary(), ensure_ascii=False),
            markup=False,
        )
    for alarm in report.false_alarms:
        console.print(
            f"{alarm.doc_id} {alarm.track} FALSE "
            + json.dumps(alarm.prediction.summary(), ensure_ascii=False),
            markup=False,
        )
