"""The HTML pages: ``/`` the map and event list, ``/events/{id}`` one event in its document,
``/docs`` the API's Swagger UI, ``/login`` (see :mod:`truce.web.auth`); plus ``/static``
(truce's own JS and CSS) and ``/assets`` (the npm libraries). Every page works under the
strict Content-Security-Policy of :meth:`WebSettings.content_security_policy`: no inline
script or style.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import jinja2
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from truce.core.vocab import ACLED_EVENT_TYPES
from truce.web.assets import FrontEndAssets, media_type
from truce.web.auth import layout_context, mount_auth
from truce.web.cases import mount_case_pages
from truce.web.committee import mount_committee_pages
from truce.web.disarmament import mount_disarmament_pages
from truce.web.economic_zone import mount_economic_zone_pages
from truce.web.incidents import mount_incident_pages
from truce.web.meetings import mount_meeting_pages
from truce.web.proposals import mount_proposal_pages
from truce.web.settings import WebSettings
from truce.web.statements import mount_statement_pages
from truce.web.viewer import request_store, request_viewer
from truce.web.views import event_view
from truce.web.violations import mount_violation_pages

PACKAGE_DIR: Final = Path(__file__).parent
STATIC_DIR: Final = PACKAGE_DIR / "static"

#: the map page's filter fields, as named in its form and in /api/events
MAP_FILTERS: Final = ("start", "end", "event_type", "actor", "country", "q")

templates = Jinja2Templates(
    env=jinja2.Environment(
        loader=jinja2.FileSystemLoader(PACKAGE_DIR / "templates"),
        autoescape=True,  # every value is text: documents are untrusted input
        undefined=jinja2.StrictUndefined,
    ),
    context_processors=[layout_context],  # the signed-in user and log-out form of every page
)


def render_error(request: Request, status_code: int, title: str, message: str) -> HTMLResponse:
    """An HTML error page (the API's errors are JSON; see truce.api)."""
    return templates.TemplateResponse(
        request,
        "error.html",
        {"status_code": status_code, "title": title, "message": message},
        status_code=status_code,
    )


def mount_web(app: FastAPI, assets: FrontEndAssets, settings: WebSettings) -> None:
    """Add the pages, /static and /assets to the app (none of them in the OpenAPI schema)."""

    @app.get("/", response_class=HTMLResponse, name="map_page", include_in_schema=False)
    def map_page(request: Request) -> HTMLResponse:
        filters = {name: request.query_params.get(name, "") for name in MAP_FILTERS}
        return templates.TemplateResponse(
            request,
            "map.html",
            {
                "filters": filters,
                "event_types": list(ACLED_EVENT_TYPES),
                "event_base": request.url_for("event_page", event_id=0).path.removesuffix("0"),
                "tile_url": settings.tile_url,
                "tile_attribution": settings.tile_attribution,
            },
        )

    @app.get(
        "/events/{event_id}",
        response_class=HTMLResponse,
        name="event_page",
        include_in_schema=False,
    )
    def event_page(request: Request, event_id: int) -> HTMLResponse:
        view = event_view(request_store(request), event_id, request_viewer(request))
        return templates.TemplateResponse(
            request,
            "event.html",
            {
                "heading": view.heading,
                "event": view.event,
                "fields": view.fields,
                "document": view.document,
                "link": view.link,
                "text": view.text,
            },
        )

    @app.get("/docs", response_class=HTMLResponse, name="api_docs", include_in_schema=False)
    def api_docs(request: Request) -> HTMLResponse:
        return templates.TemplateResponse(
            request,
            "docs.html",
            {"title": app.title, "openapi_url": app.openapi_url or "/openapi.json"},
        )

    @app.get("/assets/{path:path}", name="assets", include_in_schema=False)
    def asset(path: str) -> FileResponse:
        file = assets.path(path)
        if file is None:
            raise HTTPException(status_code=404, detail=f"no front-end asset {path!r}")
        return FileResponse(
            file,
            media_type=media_type(file),
            headers={"Cache-Control": "public, max-age=86400"},
        )

    mount_auth(app, templates, settings)
    mount_incident_pages(app, templates, settings)
    mount_case_pages(app, templates)
    mount_violation_pages(app, templates)
    mount_committee_pages(app, templates)
    mount_meeting_pages(app, templates)
    mount_statement_pages(app, templates)
    mount_proposal_pages(app, templates)
    mount_disarmament_pages(app, templates)
    mount_economic_zone_pages(app, templates, settings)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
