"""The incident pages: ``/incidents`` (a filtered list) and ``/incidents/{id}`` (a map of its
members, the timeline of reports, the evidence, the agreement check, its cases), and the
analysts' forms: merge, split, undo (``POST``, then a redirect to the page: POST/redirect/GET).

Routes are thin: they parse, call `truce.incidents` (and `truce.cases.list_cases` for an
incident's cases), and render. Everything is read for the request's viewer, so a page shows
only what that viewer may see of an incident. A refused form (a ConflictError,
PermissionDeniedError, InputError or NotFoundError) shows the page again with the message
and that error's status. The helpers at the end (the templates' `moment` filter, paging
links) serve the other pages too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Final
from urllib.parse import urlencode

from fastapi import FastAPI, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from truce.cases import CaseSummary, list_cases
from truce.core.access import Principal
from truce.core.errors import PermissionDeniedError
from truce.core.vocab import ACLED_EVENT_TYPES
from truce.incidents import (
    IncidentAction,
    IncidentCluster,
    IncidentMemberView,
    IncidentQuery,
    IncidentView,
    check_may_reshape,
    get_incident,
    list_incidents,
    merge_incidents,
    split_incident,
    undo_incident_action,
)
from truce.store import Store
from truce.theatre import load_pack
from truce.web.forms import (
    FORM_ERRORS,
    Text,
    error_status,
    may_make_records,
    parse_date,
    parse_ids,
    see_other,
)
from truce.web.settings import WebSettings
from truce.web.viewer import request_store, request_viewer
from truce.web.views import safe_link

#: the list's filter fields, as named in its form and in the query string
INCIDENT_FILTERS: Final = ("start", "end", "event_type", "actor", "country", "q", "ids")
PAGE_SIZE: Final = 50
#: the cases an incident page lists at most
CASES_SHOWN: Final = 100


# --- what the pages show ------------------------------------------------------------------


@dataclass(frozen=True)
class IncidentPageView:
    """An incident page's content for one viewer."""

    incident: IncidentView
    heading: str
    #: members by publication time, earliest first (unknown times last)
    timeline: list[IncidentMemberView]
    cases: list[CaseSummary]
    #: whether the viewer may merge, split and undo
    may_reshape: bool
    #: zone id -> its name, for the zones the candidates name
    zone_names: dict[str, str]


def incident_heading(summary: IncidentCluster) -> str:
    kind = summary.sub_event_type or summary.event_type or summary.plover or "Incident"
    where = summary.location or summary.admin1 or summary.country or "place unknown"
    when = "date unknown"
    if summary.start is not None:
        when = summary.start.isoformat()
        if summary.end is not None and summary.end != summary.start:
            when += f" to {summary.end.isoformat()}"
    return f"{kind} — {where}, {when}"


def _as_utc(moment: dt.datetime | dt.date) -> dt.datetime:
    if isinstance(moment, dt.datetime):
        return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
    return dt.datetime.combine(moment, dt.time(), tzinfo=dt.UTC)


def by_publication(members: Sequence[IncidentMemberView]) -> list[IncidentMemberView]:
    """Members in the order their reports came out (unknown times last, then by event id)."""
    never = dt.datetime.max.replace(tzinfo=dt.UTC)

    def when(member: IncidentMemberView) -> tuple[dt.datetime, int]:
        published = member.published
        return (never if published is None else _as_utc(published), member.event.id)

    return sorted(members, key=when)


def may_reshape(viewer: Principal) -> bool:
    """Whether to offer the merge, split and undo forms (the library decides for real)."""
    try:
        check_may_reshape(viewer)
    except PermissionDeniedError:
        return False
    return True


def incident_page_view(store: Store, incident_id: int, viewer: Principal) -> IncidentPageView:
    """The incident as `viewer` sees it and the cases it sees about it (NotFoundError if the
    viewer sees none of its members)."""
    incident = get_incident(store, incident_id, viewer=viewer)
    cases = list_cases(store, viewer=viewer, incident_id=incident_id, limit=CASES_SHOWN)
    zones = {zone.id: zone.name for zone in load_pack(None).zones}
    return IncidentPageView(
        incident=incident,
        heading=incident_heading(incident.summary),
        timeline=by_publication(incident.members),
        cases=cases.items,
        may_reshape=may_reshape(viewer),
        zone_names={
            zone: zones.get(zone, zone)
            for candidate in incident.violations
            for zone in candidate.zones
        },
    )


def moment(value: dt.datetime | dt.date | None) -> str:
    """A time as the pages print it: UTC to the minute, a date as it is, or "unknown"."""
    if value is None:
        return "unknown"
    if isinstance(value, dt.datetime):
        return _as_utc(value).astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return value.isoformat()


def add_page_filters(templates: Jinja2Templates) -> None:
    """The Jinja filters these pages use (adding them again changes nothing)."""
    templates.env.filters["moment"] = moment


def landing(action: IncidentAction, preferred: int) -> int | None:
    """The incident to show after an undo: `preferred` if it still has members it touched,
    else the first incident the undo left with members (None if none)."""
    if action.after.get(preferred):
        return preferred
    return next((pk for pk in sorted(action.after) if action.after[pk]), None)


def _page_url(request: Request, offset: int) -> str:
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "offset"]
    if offset:
        params.append(("offset", str(offset)))
    return f"{request.url.path}?{urlencode(params)}" if params else request.url.path


def paging_links(request: Request, total: int, limit: int, offset: int) -> dict[str, Any]:
    """Links to the previous and next pages of a list, keeping its filters."""
    previous = _page_url(request, max(0, offset - limit)) if offset > 0 else None
    following = _page_url(request, offset + limit) if offset + limit < total else None
    return {"previous": previous, "next": following}


# --- the routes ---------------------------------------------------------------------------


def mount_incident_pages(app: FastAPI, templates: Jinja2Templates, settings: WebSettings) -> None:
    """Add the incident pages and their forms to the app (not in the OpenAPI schema)."""
    add_page_filters(templates)

    def render_incident(
        request: Request, incident_id: int, *, error: str | None = None, status_code: int = 200
    ) -> HTMLResponse:
        viewer = request_viewer(request)
        view = incident_page_view(request_store(request), incident_id, viewer)
        return templates.TemplateResponse(
            request,
            "incident.html",
            {
                "view": view,
                "incident": view.incident,
                "summary": view.incident.summary,
                "may_file": may_make_records(viewer),
                "error": error,
                "safe_link": safe_link,
                "countries_url": request.url_for(
                    "assets", path="world-atlas/countries-50m.json"
                ).path,
                "tile_url": settings.tile_url,
                "tile_attribution": settings.tile_attribution,
            },
            status_code=status_code,
        )

    @app.get(
        "/incidents", response_class=HTMLResponse, name="incidents_page", include_in_schema=False
    )
    def incidents_page(
        request: Request,
        start: str = "",
        end: str = "",
        event_type: str = "",
        actor: str = "",
        country: str = "",
        q: str = "",
        ids: str = "",
        include_retired: bool = False,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> HTMLResponse:
        wanted = parse_ids(ids, "ids") if ids.strip() else None
        query = IncidentQuery(
            start=parse_date(start, "start"),
            end=parse_date(end, "end"),
            event_type=event_type or None,
            actor=actor or None,
            country=country or None,
            text=q or None,
            ids=wanted,
            include_retired=include_retired,
            limit=PAGE_SIZE,
            offset=offset,
        )
        page = list_incidents(request_store(request), query, viewer=request_viewer(request))
        filters = {name: request.query_params.get(name, "") for name in INCIDENT_FILTERS}
        return templates.TemplateResponse(
            request,
            "incidents.html",
            {
                "heading": "Incidents",
                "page": page,
                "filters": filters,
                "include_retired": include_retired,
                "event_types": list(ACLED_EVENT_TYPES),
                "show_filters": True,
                "behind": None,
                "paging": paging_links(request, page.total, page.limit, page.offset),
                "headings": {item.id: incident_heading(item.summary) for item in page.items},
            },
        )

    @app.get(
        "/incidents/{incident_id}",
        response_class=HTMLResponse,
        name="incident_page",
        include_in_schema=False,
    )
    def incident_page(request: Request, incident_id: int) -> HTMLResponse:
        return render_incident(request, incident_id)

    @app.post("/incidents/{incident_id}/merge", name="merge_incident_form", include_in_schema=False)
    def merge_incident(
        request: Request,
        incident_id: int,
        others: Text = "",
        reason: Text = "",
    ) -> Response:
        try:
            chosen = (incident_id, *parse_ids(others, "others"))
            merge_incidents(
                request_store(request), chosen, by=request_viewer(request), reason=reason
            )
        except FORM_ERRORS as error:
            return render_incident(
                request, incident_id, error=str(error), status_code=error_status(error)
            )
        # the lowest id keeps the members
        return see_other(request.url_for("incident_page", incident_id=min(chosen)))

    @app.post("/incidents/{incident_id}/split", name="split_incident_form", include_in_schema=False)
    def split_incident_form(
        request: Request,
        incident_id: int,
        events: Annotated[list[int] | None, Form()] = None,
        reason: Text = "",
    ) -> Response:
        try:
            split_incident(
                request_store(request),
                incident_id,
                events or [],
                by=request_viewer(request),
                reason=reason,
            )
        except FORM_ERRORS as error:
            return render_incident(
                request, incident_id, error=str(error), status_code=error_status(error)
            )
        return see_other(request.url_for("incident_page", incident_id=incident_id))

    @app.post(
        "/incident-actions/{action_id}/undo",
        name="undo_incident_action_form",
        include_in_schema=False,
    )
    def undo_action(
        request: Request,
        action_id: int,
        incident: Annotated[int, Form()],
    ) -> Response:
        try:
            done = undo_incident_action(
                request_store(request), action_id, by=request_viewer(request)
            )
        except FORM_ERRORS as error:
            return render_incident(
                request, incident, error=str(error), status_code=error_status(error)
            )
        shown = landing(done, incident)
        if shown is None:
            return see_other(request.url_for("incidents_page"))
        return see_other(request.url_for("incident_page", incident_id=shown))
