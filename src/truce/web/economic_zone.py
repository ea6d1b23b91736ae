"""The economic-zone page: ``/economic-zone``, an offline map of the zone's current geometry
(as the viewer sees it) with the projects, sites, positions and incident points inside it
(from ``/api/economic-zone.geojson``), a period control showing the activity of each period
(`zone_activity`), the same as a table, the zone's versions and projects; and the forms'
``POST`` routes (a new version of the geometry, a project, a project's next status), each
calling one function of `truce.committee.economic_zone` and redirecting (POST/redirect/GET).

Forms appear only to those who may write such records (`Principal.check_may_create`); the
library decides for real, and a refused form shows the page again with its message and
status (403, 404, 409, 422).
"""

from __future__ import annotations

import json
from typing import Any, Final
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from truce.committee.economic_zone import (
    PERIODS,
    NewProject,
    ProjectKind,
    ProjectStatus,
    add_project,
    add_zone_version,
    get_zone,
    move_project,
    zone_activity,
)
from truce.core.access import Classification
from truce.core.errors import InputError, TruceError
from truce.theatre import load_pack
from truce.web.forms import (
    FORM_ERRORS,
    Text,
    classification_choices,
    error_status,
    form_values,
    may_change,
    parse_classification,
    parse_date,
    parse_id,
    parse_number,
    party_names,
    see_other,
    today,
)
from truce.web.incidents import add_page_filters
from truce.web.settings import WebSettings
from truce.web.viewer import request_store, request_viewer
from truce.web.views import classification_label

PROJECT_FIELDS: Final = (
    "title",
    "kind",
    "sponsor",
    "status",
    "latitude",
    "longitude",
    "proposal_id",
    "classification",
    "owner_party",
)
VERSION_FIELDS: Final = ("geometry", "note", "proposal_id", "classification", "owner_party")
#: the most characters of GeoJSON a version form takes
MAX_GEOMETRY_TEXT: Final = 1_000_000


def parse_geometry(text: str) -> dict[str, Any]:
    """A GeoJSON object typed into the version form; InputError naming the field if not."""
    if len(text) > MAX_GEOMETRY_TEXT:
        raise InputError(f"is longer than {MAX_GEOMETRY_TEXT} characters", source="geometry")
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            f"not JSON: {error.msg} (line {error.lineno}, column {error.colno})",
            source="geometry",
        ) from None
    if not isinstance(value, dict):
        raise InputError("a zone is a GeoJSON Polygon or MultiPolygon object", source="geometry")
    return value


def parse_version(text: str) -> int | None:
    """A zone version number from the query, None when empty; InputError if not a number."""
    token = text.strip()
    if not token:
        return None
    if not (token.isascii() and token.isdigit()):
        raise InputError(f"{text!r} is not a version number", source="version")
    return int(token)


def mount_economic_zone_pages(
    app: FastAPI, templates: Jinja2Templates, settings: WebSettings
) -> None:
    """Add the economic-zone page and its forms to the app (not in the OpenAPI schema)."""
    add_page_filters(templates)

    def render_zone(
        request: Request,
        *,
        start: str = "",
        end: str = "",
        by: str = "month",
        version: str = "",
        project_form: dict[str, str] | None = None,
        version_form: dict[str, str] | None = None,
        error: str | None = None,
        status_code: int = 200,
    ) -> HTMLResponse:
        viewer = request_viewer(request)
        store = request_store(request)
        first = parse_date(start, "start") or load_pack(None).agreement.signed
        last = parse_date(end, "end") or today()
        zone = get_zone(store, viewer=viewer)
        chosen = parse_version(version)
        activity = zone_activity(store, viewer=viewer, start=first, end=last, by=by, version=chosen)
        period = {"start": first.isoformat(), "end": last.isoformat()}
        if chosen is not None:
            period["version"] = str(chosen)
        geojson_url = f"{request.url_for('get_zone_geojson').path}?{urlencode(period)}"
        return templates.TemplateResponse(
            request,
            "economic_zone.html",
            {
                "zone": zone,
                "activity": activity,
                "start": first.isoformat(),
                "end": last.isoformat(),
                "by": by,
                "periods": PERIODS,
                "geojson_url": geojson_url,
                "countries_url": request.url_for(
                    "assets", path="world-atlas/countries-50m.json"
                ).path,
                "tile_url": settings.tile_url,
                "tile_attribution": settings.tile_attribution,
                "may_write": viewer.may_write,
                "movable": {
                    p.id
                    for p in zone.projects
                    if p.next_statuses and may_change(viewer, p.classification, p.owner_party)
                },
                "choices": classification_choices(viewer),
                "parties": party_names(),
                "project_kinds": list(ProjectKind),
                "project_statuses": list(ProjectStatus),
                "project_form": form_values(PROJECT_FIELDS, project_form),
                "version_form": form_values(VERSION_FIELDS, version_form),
                "classification_label": classification_label,
                "error": error,
            },
            status_code=status_code,
        )

    def refused(
        request: Request,
        error: TruceError,
        *,
        project_form: dict[str, str] | None = None,
        version_form: dict[str, str] | None = None,
    ) -> HTMLResponse:
        return render_zone(
            request,
            project_form=project_form,
            version_form=version_form,
            error=str(error),
            status_code=error_status(error),
        )

    def to_page(request: Request, anchor: str) -> Response:
        return see_other(f"{request.url_for('economic_zone_page').path}#{anchor}")

    @app.get(
        "/economic-zone",
        response_class=HTMLResponse,
        name="economic_zone_page",
        include_in_schema=False,
    )
    def economic_zone_page(
        request: Request, start: str = "", end: str = "", by: str = "month", version: str = ""
    ) -> HTMLResponse:
        return render_zone(request, start=start, end=end, by=by, version=version)

    @app.post("/economic-zone/versions", name="zone_version_form", include_in_schema=False)
    def add_version(
        request: Request,
        geometry: Text = "",
        note: Text = "",
        proposal_id: Text = "",
        classification: Text = Classification.COMMITTEE.value,
        owner_party: Text = "",
    ) -> Response:
        submitted = {
            "geometry": geometry,
            "note": note,
            "proposal_id": proposal_id,
            "classification": classification,
            "owner_party": owner_party,
        }
        try:
            version = add_zone_version(
                request_store(request),
                parse_geometry(geometry),
                by=request_viewer(request),
                note=note or None,
                proposal_id=parse_id(proposal_id, "proposal_id"),
                classification=parse_classification(classification),
                owner_party=owner_party or None,
            )
        except FORM_ERRORS as error:
            return refused(request, error, version_form=submitted)
        return to_page(request, f"version-{version.number}")

    @app.post("/economic-zone/projects", name="add_project_form", include_in_schema=False)
    def add_one_project(
        request: Request,
        title: Text = "",
        kind: Text = ProjectKind.OTHER.value,
        sponsor: Text = "",
        status: Text = ProjectStatus.PROPOSED.value,
        latitude: Text = "",
        longitude: Text = "",
        proposal_id: Text = "",
        classification: Text = Classification.COMMITTEE.value,
        owner_party: Text = "",
    ) -> Response:
        submitted = {
            "title": title,
            "kind": kind,
            "sponsor": sponsor,
            "status": status,
            "latitude": latitude,
            "longitude": longitude,
            "proposal_id": proposal_id,
            "classification": classification,
            "owner_party": owner_party,
        }
        try:
            project = add_project(
                request_store(request),
                NewProject(
                    title=title,
                    kind=kind,
                    sponsor=sponsor or None,
                    status=status,
                    latitude=parse_number(latitude, "latitude"),
                    longitude=parse_number(longitude, "longitude"),
                    proposal_id=parse_id(proposal_id, "proposal_id"),
                    classification=parse_classification(classification),
                    owner_party=owner_party or None,
                ),
                by=request_viewer(request),
            )
        except FORM_ERRORS as error:
            return refused(request, error, project_form=submitted)
        return to_page(request, f"project-{project.id}")

    @app.post(
        "/economic-zone/projects/{project_id}/status",
        name="project_status_form",
        include_in_schema=False,
    )
    def move_one_project(
        request: Request, project_id: int, status: Text = "", note: Text = ""
    ) -> Response:
        try:
            move_project(
                request_store(request),
                project_id,
                status,
                by=request_viewer(request),
                note=note or None,
            )
        except FORM_ERRORS as error:
            return refused(request, error)
        return to_page(request, f"project-{project_id}")
