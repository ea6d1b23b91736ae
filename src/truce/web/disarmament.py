"""The disarmament pages: ``/disarmament`` (the arms plan's phases with their status and
history, the sites and caches, the army's positions and those Israel holds with their
withdrawal status, and figures in UNIFIL's manner for a period) and
``/disarmament/sites/{id}`` (a site's history, its incidents and evidence), with the forms'
``POST`` routes: each calls one function of `truce.committee` and redirects
(POST/redirect/GET).

Forms appear only to those who may write such records (the chair and monitors any party's,
a delegation its own party's; `Principal.check_may_create`), and on a record only to those
who may change it; the library decides for real, and a refused form shows the page again
with its message and status (403, 404, 409, 422).
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from truce.committee.disarmament import (
    PHASE_STATUSES,
    NewSite,
    SiteKind,
    disarmament_figures,
    get_site,
    link_site,
    list_sites,
    move_site,
    plan_status,
    record_phase_update,
    report_site,
)
from truce.committee.positions import (
    POSITION_TRANSITIONS,
    NewPosition,
    PositionStatus,
    add_position,
    all_positions,
    move_position,
    seed_positions_from_pack,
)
from truce.core.access import Classification
from truce.core.errors import InputError, TruceError
from truce.web.forms import (
    FORM_ERRORS,
    Text,
    classification_choices,
    error_status,
    form_values,
    may_change,
    parse_classification,
    parse_date,
    parse_ids,
    parse_number,
    party_names,
    see_other,
    today,
)
from truce.web.incidents import add_page_filters
from truce.web.viewer import request_store, request_viewer
from truce.web.views import classification_label

#: the sites the page lists (the last reported first)
SITES_SHOWN: Final = 200
SITE_FIELDS: Final = (
    "kind",
    "name",
    "reported_on",
    "latitude",
    "longitude",
    "reported_by_party",
    "note",
    "classification",
    "owner_party",
)
POSITION_FIELDS: Final = (
    "name",
    "holder_party",
    "latitude",
    "longitude",
    "established_on",
    "supported_by",
    "note",
    "classification",
    "owner_party",
)


def parse_period(start: str, end: str) -> tuple[dt.date | None, dt.date | None]:
    return parse_date(start, "start"), parse_date(end, "end")


# --- the routes ---------------------------------------------------------------------------


def mount_disarmament_pages(app: FastAPI, templates: Jinja2Templates) -> None:
    """Add the disarmament pages and their forms to the app (not in the OpenAPI schema)."""
    add_page_filters(templates)

    def render_disarmament(
        request: Request,
        *,
        start: str = "",
        end: str = "",
        site_form: dict[str, str] | None = None,
        position_form: dict[str, str] | None = None,
        error: str | None = None,
        status_code: int = 200,
    ) -> HTMLResponse:
        viewer = request_viewer(request)
        store = request_store(request)
        first, last = parse_period(start, end)
        sites = list_sites(store, viewer=viewer, limit=SITES_SHOWN)
        positions = all_positions(store, viewer=viewer)
        return templates.TemplateResponse(
            request,
            "disarmament.html",
            {
                "plan": plan_status(store, viewer=viewer),
                "sites": sites,
                "positions": positions,
                "movable": {
                    p.id: POSITION_TRANSITIONS[p.status]
                    for p in positions
                    if may_change(viewer, p.classification, p.owner_party)
                },
                "figures": disarmament_figures(store, viewer=viewer, start=first, end=last),
                "start": start,
                "end": end,
                "may_write": viewer.may_write,
                "may_seed": viewer.may_write and viewer.sees_everything,
                "choices": classification_choices(viewer),
                "parties": party_names(),
                "phase_statuses": PHASE_STATUSES,
                "site_kinds": list(SiteKind),
                "site_form": form_values(SITE_FIELDS, site_form),
                "position_form": form_values(POSITION_FIELDS, position_form),
                "today": today().isoformat(),
                "classification_label": classification_label,
                "error": error,
            },
            status_code=status_code,
        )

    def render_site(
        request: Request, site_id: int, *, error: str | None = None, status_code: int = 200
    ) -> HTMLResponse:
        viewer = request_viewer(request)
        site = get_site(request_store(request), site_id, viewer=viewer)
        return templates.TemplateResponse(
            request,
            "site.html",
            {
                "site": site,
                "may_change": may_change(viewer, site.classification, site.owner_party),
                "parties": party_names(),
                "classification_label": classification_label,
                "today": today().isoformat(),
                "error": error,
            },
            status_code=status_code,
        )

    def refused(request: Request, error: TruceError) -> HTMLResponse:
        return render_disarmament(request, error=str(error), status_code=error_status(error))

    def to_page(request: Request, anchor: str) -> Response:
        return see_other(f"{request.url_for('disarmament_page').path}#{anchor}")

    @app.get(
        "/disarmament",
        response_class=HTMLResponse,
        name="disarmament_page",
        include_in_schema=False,
    )
    def disarmament_page(request: Request, start: str = "", end: str = "") -> HTMLResponse:
        return render_disarmament(request, start=start, end=end)

    @app.post("/disarmament/phases", name="phase_update_form", include_in_schema=False)
    def phase_update(
        request: Request,
        phase_id: Text = "",
        status: Text = "",
        as_of: Text = "",
        note: Text = "",
        source: Text = "",
        classification: Text = Classification.COMMITTEE.value,
        owner_party: Text = "",
    ) -> Response:
        try:
            record_phase_update(
                request_store(request),
                phase_id,
                status,
                by=request_viewer(request),
                as_of=parse_date(as_of, "as_of"),
                note=note or None,
                source=source or None,
                classification=parse_classification(classification),
                owner_party=owner_party or None,
            )
        except FORM_ERRORS as error:
            return refused(request, error)
        return to_page(request, f"phase-{phase_id}")

    @app.post("/disarmament/sites", name="report_site_form", include_in_schema=False)
    def report_one_site(
        request: Request,
        kind: Text = "",
        name: Text = "",
        reported_on: Text = "",
        latitude: Text = "",
        longitude: Text = "",
        reported_by_party: Text = "",
        note: Text = "",
        classification: Text = Classification.COMMITTEE.value,
        owner_party: Text = "",
    ) -> Response:
        submitted = {
            "kind": kind,
            "name": name,
            "reported_on": reported_on,
            "latitude": latitude,
            "longitude": longitude,
            "reported_by_party": reported_by_party,
            "note": note,
            "classification": classification,
            "owner_party": owner_party,
        }
        try:
            day = parse_date(reported_on, "reported_on")
            if day is None:
                raise InputError("say on which day it was reported", source="reported_on")
            site = report_site(
                request_store(request),
                NewSite(
                    kind=kind,
                    name=name,
                    reported_on=day,
                    latitude=parse_number(latitude, "latitude"),
                    longitude=parse_number(longitude, "longitude"),
                    reported_by_party=reported_by_party or None,
                    note=note or None,
                    classification=parse_classification(classification),
                    owner_party=owner_party or None,
                ),
                by=request_viewer(request),
            )
        except FORM_ERRORS as error:
            return render_disarmament(
                request, site_form=submitted, error=str(error), status_code=error_status(error)
            )
        return see_other(request.url_for("site_page", site_id=site.id))

    @app.get(
        "/disarmament/sites/{site_id}",
        response_class=HTMLResponse,
        name="site_page",
        include_in_schema=False,
    )
    def site_page(request: Request, site_id: int) -> HTMLResponse:
        return render_site(request, site_id)

    @app.post(
        "/disarmament/sites/{site_id}/status", name="site_status_form", include_in_schema=False
    )
    def move_one_site(
        request: Request, site_id: int, status: Text = "", on: Text = "", note: Text = ""
    ) -> Response:
        try:
            move_site(
                request_store(request),
                site_id,
                status,
                by=request_viewer(request),
                on=parse_date(on, "on"),
                note=note or None,
            )
        except FORM_ERRORS as error:
            return render_site(request, site_id, error=str(error), status_code=error_status(error))
        return see_other(request.url_for("site_page", site_id=site_id))

    @app.post("/disarmament/sites/{site_id}/links", name="site_links_form", include_in_schema=False)
    def link_one_site(
        request: Request, site_id: int, incidents: Text = "", evidence: Text = ""
    ) -> Response:
        try:
            link_site(
                request_store(request),
                site_id,
                by=request_viewer(request),
                incident_ids=parse_ids(incidents, "incidents"),
                evidence_ids=parse_ids(evidence, "evidence"),
            )
        except FORM_ERRORS as error:
            return render_site(request, site_id, error=str(error), status_code=error_status(error))
        return see_other(request.url_for("site_page", site_id=site_id))

    @app.post("/disarmament/positions", name="add_position_form", include_in_schema=False)
    def add_one_position(
        request: Request,
        name: Text = "",
        holder_party: Text = "",
        latitude: Text = "",
        longitude: Text = "",
        established_on: Text = "",
        supported_by: Text = "",
        note: Text = "",
        classification: Text = Classification.COMMITTEE.value,
        owner_party: Text = "",
    ) -> Response:
        submitted = {
            "name": name,
            "holder_party": holder_party,
            "latitude": latitude,
            "longitude": longitude,
            "established_on": established_on,
            "supported_by": supported_by,
            "note": note,
            "classification": classification,
            "owner_party": owner_party,
        }
        try:
            lat = parse_number(latitude, "latitude")
            lon = parse_number(longitude, "longitude")
            if lat is None or lon is None:
                raise InputError("a position needs its point", source="latitude, longitude")
            position = add_position(
                request_store(request),
                NewPosition(
                    name=name,
                    holder_party=holder_party,
                    latitude=lat,
                    longitude=lon,
                    established_on=parse_date(established_on, "established_on"),
                    supported_by=supported_by or None,
                    note=note or None,
                    classification=parse_classification(classification),
                    owner_party=owner_party or None,
                ),
                by=request_viewer(request),
            )
        except FORM_ERRORS as error:
            return render_disarmament(
                request,
                position_form=submitted,
                error=str(error),
                status_code=error_status(error),
            )
        return to_page(request, f"position-{position.id}")

    @app.post("/disarmament/positions/seed", name="seed_positions_form", include_in_schema=False)
    def seed_positions(request: Request) -> Response:
        try:
            seed_positions_from_pack(request_store(request), by=request_viewer(request))
        except FORM_ERRORS as error:
            return refused(request, error)
        return to_page(request, "positions")

    @app.post(
        "/disarmament/positions/{position_id}/status",
        name="position_status_form",
        include_in_schema=False,
    )
    def move_one_position(
        request: Request,
        position_id: int,
        status: Text = PositionStatus.WITHDRAWN.value,
        on: Text = "",
        note: Text = "",
    ) -> Response:
        try:
            move_position(
                request_store(request),
                position_id,
                status,
                by=request_viewer(request),
                on=parse_date(on, "on"),
                note=note or None,
            )
        except FORM_ERRORS as error:
            return refused(request, error)
        return to_page(request, f"position-{position_id}")
