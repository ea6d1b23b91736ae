"""`truce publish --out DIR`: the public release (ACLED-style CSV and GeoJSON)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from truce.cli.app import DatabaseOption, app, reports_errors
from truce.geo import Gazetteer
from truce.reports.publish import publish_public
from truce.store import Store


@app.command("publish")
@reports_errors
def publish(
    out: Annotated[
        Path,
        typer.Option("--out", metavar="DIR", help="Folder of the release (created or replaced)."),
    ],
    db: DatabaseOption = None,
) -> None:
    """Write the events anyone may see as events.csv (ACLED's columns), events.geojson and
    manifest.json, for researchers and journalists.

    Only public records go out, whoever runs it; committee and restricted ones never do.
    """
    with Store.open(db) as store:
        publication = publish_public(store, out, country_names=Gazetteer.load().country_names())
    typer.echo(f"published {publication.events} public events to {publication.folder}")
