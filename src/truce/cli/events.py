"""`truce events`: stored events, filtered, as a table or an export (JSON, CSV, GeoJSON)."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from truce.cli.app import DatabaseOption, app, command_principal, reports_errors
from truce.cli.options import page_caption, text_table
from truce.reports import ExportFormat, render_page
from truce.security import get_user
from truce.store import EventPage, EventQuery, Store
from truce.store.query import DEFAULT_LIMIT, MAX_LIMIT


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    GEOJSON = "geojson"


def _table(page: EventPage) -> Table:
    rows = (
        (
            str(event.id),
            event.event_date.isoformat() if event.event_date else "?",
            event.sub_event_type or event.event_type or f"PLOVER {event.plover}",
            " → ".join(name for name in (event.actor1, event.actor2) if name),
            ", ".join(part for part in (event.location, event.country) if part),
            "" if event.fatalities is None else str(event.fatalities),
            event.evidence.text,
        )
        for event in page.items
    )
    columns = ("id", "date", "type", "actors", "place", "deaths", "evidence")
    return text_table(columns, rows, caption=page_caption("events", page, next_page=True))


@app.command()
@reports_errors
def events(
    start: Annotated[str | None, typer.Option(help="first event date, YYYY-MM-DD")] = None,
    end: Annotated[str | None, typer.Option(help="last event date, YYYY-MM-DD")] = None,
    event_type: Annotated[str | None, typer.Option(help="ACLED event type")] = None,
    sub_event_type: Annotated[str | None, typer.Option(help="ACLED sub-event type")] = None,
    plover: Annotated[str | None, typer.Option(help="PLOVER event type, e.g. ASSAULT")] = None,
    actor: Annotated[str | None, typer.Option(help="part of actor1 or actor2, any case")] = None,
    country: Annotated[str | None, typer.Option(help="ISO 3166-1 alpha-2 code, e.g. LB")] = None,
    bbox: Annotated[
        str | None, typer.Option(help="min_lon,min_lat,max_lon,max_lat (WGS84 degrees)")
    ] = None,
    text: Annotated[
        str | None,
        typer.Option(help="words to find in the evidence, actors, place or document title"),
    ] = None,
    limit: Annotated[
        int, typer.Option(min=1, max=MAX_LIMIT, help="events per page")
    ] = DEFAULT_LIMIT,
    offset: Annotated[int, typer.Option(min=0, help="events to skip")] = 0,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="table, or an export format")
    ] = OutputFormat.TABLE,
    as_user: Annotated[
        str | None,
        typer.Option(
            "--as",
            metavar="USERNAME",
            help="show only what this user may see (default: everything)",
            show_default=False,
        ),
    ] = None,
    db: DatabaseOption = None,
) -> None:
    """List stored events, newest first, filtered like /api/events."""
    query = EventQuery(
        start=start,
        end=end,
        event_type=event_type,
        sub_event_type=sub_event_type,
        plover=plover,
        actor=actor,
        country=country,
        bbox=bbox,
        text=text,
        limit=limit,
        offset=offset,
    )
    with Store.open(db) as store:
        viewer = command_principal() if as_user is None else get_user(store, as_user).principal
        page = store.query_events(query, viewer=viewer)
    if output is OutputFormat.TABLE:
        Console().print(_table(page))
    else:
        sys.stdout.write(render_page(page, ExportFormat(output.value)))
