"""`truce serve`: the API and the map on one port."""

from __future__ import annotations

from typing import Annotated

import typer

from truce.api import serve as serve_app
from truce.cli.app import DatabaseOption, app, reports_errors


@app.command()
@reports_errors
def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="port to listen on")] = 8000,
    db: DatabaseOption = None,
) -> None:
    """Serve the map (/), the event pages and the API (/api, documented at /docs).

    Without TRUCE_TILE_URL the map shows country outlines and makes no outside request.

    Front-end files come from node_modules (run `npm ci`) or $TRUCE_NODE_MODULES.
    """
    serve_app(host=host, port=port, url=db)
