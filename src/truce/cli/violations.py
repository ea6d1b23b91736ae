"""`truce violations`: violations counted by party, clause, type, area, zone and period, each
number with the incidents behind it (see truce.analytics).

The basis is the agreement check's candidates (leads for review) or the findings of cases
that confirmed a violation. Counts are of what the viewer (`--as USER`) may see.
"""

from __future__ import annotations

import csv
import io
import sys
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from truce.analytics import CountRow, Granularity, ViolationCounts
from truce.analytics.violations import count_violations
from truce.cli.app import (
    AsUserOption,
    DatabaseOption,
    command_group,
    echo_json,
    reports_errors,
    user_principal,
)
from truce.cli.options import optional_date
from truce.core.errors import InputError
from truce.store import Store

violations_app = command_group(
    "violations", help="Violations counted by party, clause, type, area, zone and period."
)

#: incident ids a table cell shows before it says how many more there are
IDS_SHOWN = 8


class Basis(StrEnum):
    CANDIDATE = "candidate"
    FINDING = "finding"


class Period(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


GRANULARITY: dict[Period, Granularity] = {
    Period.DAY: "day",
    Period.WEEK: "week",
    Period.MONTH: "month",
    Period.QUARTER: "quarter",
    Period.YEAR: "year",
}

DimensionsOption = Annotated[
    str,
    typer.Option(
        "--by",
        metavar="DIM,DIM",
        help="What to count by: party, clause, type, area, zone, period (comma-separated).",
    ),
]
BasisOption = Annotated[
    Basis,
    typer.Option(
        help="candidate: the agreement check's leads; finding: violations cases confirmed."
    ),
]
PeriodOption = Annotated[Period, typer.Option(help="The length of a period.")]
FromOption = Annotated[
    str | None,
    typer.Option("--from", metavar="YYYY-MM-DD", help="First day counted.", show_default=False),
]
ToOption = Annotated[
    str | None,
    typer.Option("--to", metavar="YYYY-MM-DD", help="Last day counted.", show_default=False),
]


@violations_app.command("count")
@reports_errors
def count(
    by: DimensionsOption,
    basis: BasisOption = Basis.CANDIDATE,
    period: PeriodOption = Period.MONTH,
    start: FromOption = None,
    end: ToOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV.")] = False,
    as_user: AsUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Count violations (distinct incidents) by the chosen dimensions."""
    if as_json and as_csv:
        raise InputError("choose --json or --csv, not both", source="--json")
    dimensions = _names(by)
    first, last = optional_date(start, "--from"), optional_date(end, "--to")
    with Store.open(db) as store:
        counts = count_violations(
            store,
            by=dimensions,
            viewer=user_principal(store, as_user, acting=False),
            basis=basis.value,
            granularity=GRANULARITY[period],
            start=first,
            end=last,
        )
    if as_json:
        echo_json(counts)
    elif as_csv:
        sys.stdout.write(_csv(counts))
    else:
        Console().print(_table(counts))


@violations_app.command("incidents")
@reports_errors
def incidents(
    by: DimensionsOption,
    key: Annotated[
        str,
        typer.Option(
            metavar="V,V", help="The row: one value per dimension of --by, e.g. israel,coh-2024-02."
        ),
    ],
    basis: BasisOption = Basis.CANDIDATE,
    period: PeriodOption = Period.MONTH,
    start: FromOption = None,
    end: ToOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    as_user: AsUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """The incidents behind one number of `truce violations count`."""
    dimensions = _names(by)
    first, last = optional_date(start, "--from"), optional_date(end, "--to")
    with Store.open(db) as store:
        counts = count_violations(
            store,
            by=dimensions,
            viewer=user_principal(store, as_user, acting=False),
            basis=basis.value,
            granularity=GRANULARITY[period],
            start=first,
            end=last,
            key=[part.strip() for part in key.split(",")],
        )
    if as_json:
        echo_json(counts)
        return
    row = counts.rows[0] if counts.rows else None
    if row is None:
        typer.echo(f"no incidents for {key}")
        return
    noun = "incident" if row.count == 1 else "incidents"
    typer.echo(f"{', '.join(row.labels)}: {row.count} {noun}")
    typer.echo(" ".join(map(str, row.incident_ids)))
    ids = ",".join(map(str, row.incident_ids))
    typer.echo(f"(see them: truce incidents list --ids {ids})")


def _names(by: str) -> list[str]:
    return [name.strip() for name in by.split(",") if name.strip()]


def _shown(row: CountRow) -> str:
    ids = ", ".join(map(str, row.incident_ids[:IDS_SHOWN]))
    more = len(row.incident_ids) - IDS_SHOWN
    return f"{ids}, … (+{more})" if more > 0 else ids


def _cell(value: str, label: str) -> Text:
    """A row's value as people read it, with the key `--key` takes where that differs."""
    return Text(label if label == value else f"{label} ({value})")


def _table(counts: ViolationCounts) -> Table:
    span = "all time"
    if counts.start and counts.end:
        span = f"{counts.start.isoformat()} to {counts.end.isoformat()}"
    elif counts.start or counts.end:
        span = f"from {counts.start.isoformat()}" if counts.start else f"to {counts.end}"
    table = Table(
        title=f"violations ({counts.basis}s), {span}",
        caption=f"{counts.total} incidents in all; --json or --csv list every incident id",
    )
    for dimension in counts.by:
        table.add_column(dimension, overflow="fold")
    table.add_column("incidents", justify="right")
    table.add_column("incident ids", overflow="fold")
    for row in counts.rows:
        cells = [_cell(value, label) for value, label in zip(row.key, row.labels, strict=True)]
        table.add_row(*cells, Text(str(row.count)), Text(_shown(row)))
    return table


def _csv(counts: ViolationCounts) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*counts.by, *(f"{d}_label" for d in counts.by), "count", "incident_ids"])
    for row in counts.rows:
        writer.writerow([*row.key, *row.labels, row.count, " ".join(map(str, row.incident_ids))])
    return out.getvalue()
