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
    proxy_headers: Annotated[
        bool,
        typer.Option(
            "--proxy-headers/--no-proxy-headers",
            help="behind a reverse proxy: take the client's address from X-Forwarded-For "
            "(and the scheme from X-Forwarded-Proto), for requests from "
            "--forwarded-allow-ips only; the log-in limit then counts each user apart "
            "instead of all as the proxy",
        ),
    ] = False,
    forwarded_allow_ips: Annotated[
        str,
        typer.Option(
            help="with --proxy-headers: the proxies trusted to set X-Forwarded-For, as "
            "comma-separated addresses or networks (e.g. 10.0.0.5,192.168.1.0/24), or * for "
            "any (only when nothing else can reach this port); others' headers are ignored",
        ),
    ] = "127.0.0.1",
) -> None:
    """Serve the map (/), the event pages and the API (/api, documented at /docs).

    Without TRUCE_TILE_URL the map shows country outlines and makes no outside request.

    Front-end files come from node_modules (run `npm ci`) or $TRUCE_NODE_MODULES.

    Behind a reverse proxy, pass --proxy-headers and --forwarded-allow-ips PROXY-ADDRESS.

    Without them all log-ins seem to come from the proxy, and a few failures lock out everyone.
    """
    serve_app(
        host=host,
        port=port,
        url=db,
        proxy_headers=proxy_headers,
        forwarded_allow_ips=forwarded_allow_ips,
    )
