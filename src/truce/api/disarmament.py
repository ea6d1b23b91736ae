"""The ``/api/disarmament`` and ``/api/economic-zone`` routes: the arms plan's phases, sites
and caches, positions, the figures, and the economic zone (truce.committee.disarmament,
.positions, .economic_zone).

A record the request's principal may not see is answered exactly like a missing one (404),
and is left out of every list, count and map. Who may write is decided by the library (403),
and a status the record's status does not lead to is 409; each route parses its input, calls
the library once and renders what it returns.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from truce.api.responses import (
    NOT_FOUND,
    WRITE_ERRORS,
    router_errors,
)
from truce.api.schemas import LinkIds, RequestModel, ResponseModel
from truce.committee.disarmament import (
    NewSite,
    SiteKind,
    SiteStatus,
    disarmament_figures,
    get_site,
    link_site,
    list_sites,
    move_site,
    plan_status,
    record_phase_update,
    report_site,
)
from truce.committee.economic_zone import (
    NewProject,
    ProjectKind,
    ProjectStatus,
    add_project,
    add_zone_version,
    get_project,
    get_zone,
    list_projects,
    move_project,
    zone_activity,
    zone_geojson,
)
from truce.committee.positions import (
    NewPosition,
    PositionStatus,
    add_position,
    get_position,
    list_positions,
    move_position,
    seed_positions_from_pack,
)
from truce.committee.record_fields import MAX_PAGE
from truce.core.access import Classification
from truce.theatre import load_pack
from truce.web.viewer import request_store, request_viewer

router = APIRouter(
    prefix="/api",
    tags=["disarmament"],
    responses=router_errors(),
)

# --- response models ----------------------------------------------------------------------


class PhaseUpdateOut(ResponseModel):
    """A phase's status as of a day: the pack's (id null, from_pack) or one recorded since."""

    id: int | None
    phase_id: str
    status: str
    as_of: dt.date
    note: str | None
    source: str | None
    created_by: str | None
    created_at: dt.datetime | None
    classification: Classification
    owner_party: str | None
    from_pack: bool


class PhaseOut(ResponseModel):
    id: str
    order: int
    name: str
    areas: list[str]
    status: str = Field(description="the latest status this principal may see")
    as_of: dt.date
    started: dt.date | None
    target: dt.date | None
    completed: dt.date | None
    uncertain: list[str] = Field(description="fields public reporting does not settle")
    history: list[PhaseUpdateOut] = Field(description="the pack's status, then updates, by day")


class PlanOut(ResponseModel):
    id: str
    name: str
    summary: str
    decided: dt.date | None
    phases: list[PhaseOut]


class StatusChangeOut(ResponseModel):
    id: int
    from_status: str | None = Field(description="null: created")
    to_status: str
    changed_on: dt.date
    note: str | None
    by: str
    at: dt.datetime


class SiteSummaryOut(ResponseModel):
    id: int
    kind: SiteKind
    name: str
    latitude: float | None
    longitude: float | None
    zones: list[str] = Field(description="the pack's zones its point lies in")
    status: SiteStatus
    reported_on: dt.date
    reported_by_party: str | None
    created_by: str
    created_at: dt.datetime
    classification: Classification
    owner_party: str | None


class SiteOut(SiteSummaryOut):
    history: list[StatusChangeOut]
    incident_ids: list[int] = Field(description="linked incidents this principal may see")
    evidence_ids: list[int] = Field(description="linked evidence this principal may see")
    next_statuses: list[SiteStatus]


class SitePageOut(ResponseModel):
    items: list[SiteSummaryOut]
    total: int
    limit: int
    offset: int


class SiteLinksOut(ResponseModel):
    """What a link request added (those linked already are left out)."""

    site_id: int
    incident_ids: list[int]
    evidence_ids: list[int]


class PositionOut(ResponseModel):
    id: int
    name: str
    holder_party: str
    latitude: float
    longitude: float
    zones: list[str]
    established_on: dt.date | None
    status: PositionStatus
    status_on: dt.date | None
    supported_by: str | None
    pack_place: str | None = Field(description="the theatre pack's place it was seeded from")
    created_by: str
    created_at: dt.datetime
    classification: Classification
    owner_party: str | None
    history: list[StatusChangeOut]


class PositionPageOut(ResponseModel):
    items: list[PositionOut]
    total: int
    limit: int
    offset: int


class StatusCountsOut(ResponseModel):
    reported: int
    referred: int
    dismantled: int
    verified: int


class SiteFigureOut(ResponseModel):
    month: str
    zone: str
    counts: StatusCountsOut


class FiguresOut(ResponseModel):
    """Figures in UNIFIL's manner over the period, of what this principal may see."""

    start: dt.date | None
    end: dt.date | None
    sites: StatusCountsOut = Field(description="sites that reached each status in the period")
    by_month: dict[str, StatusCountsOut]
    by_zone: dict[str, StatusCountsOut]
    by_zone_and_month: list[SiteFigureOut]
    army_positions_established: int
    positions_supported: int
    israeli_positions_held: int = Field(description="still held at the end of the period")
    positions_withdrawn: int
    sites_by_current_status: StatusCountsOut


class ZoneVersionOut(ResponseModel):
    zone_id: str
    number: int
    geometry: dict[str, Any] = Field(description="a GeoJSON Polygon or MultiPolygon")
    note: str | None
    proposal_id: int | None
    created_by: str | None
    created_at: dt.datetime | None
    classification: Classification
    owner_party: str | None
    from_pack: bool


class ProjectOut(ResponseModel):
    id: int
    zone_id: str
    title: str
    kind: ProjectKind
    sponsor: str | None
    status: ProjectStatus
    latitude: float | None
    longitude: float | None
    proposal_id: int | None
    created_by: str
    created_at: dt.datetime
    classification: Classification
    owner_party: str | None
    next_statuses: list[ProjectStatus]
    history: list[StatusChangeOut] = Field(description="recorded, then each move, oldest first")


class ProjectPageOut(ResponseModel):
    items: list[ProjectOut]
    total: int
    limit: int
    offset: int


class ZoneOut(ResponseModel):
    zone_id: str
    name: str
    illustrative: bool = Field(description="true where nothing official exists")
    description: str
    current: ZoneVersionOut = Field(description="the latest version this principal may see")
    versions: list[ZoneVersionOut]
    projects: list[ProjectOut]


class ZonePeriodOut(ResponseModel):
    label: str
    start: dt.date
    end: dt.date
    incident_ids: list[int]
    site_ids: list[int]
    position_ids: list[int]


class ZoneActivityOut(ResponseModel):
    zone_id: str
    version: int
    start: dt.date
    end: dt.date
    by: str
    periods: list[ZonePeriodOut]


class FeatureCollectionOut(BaseModel):
    """The zone (kind "zone") and the projects, sites, positions and incident points in it."""

    type: Literal["FeatureCollection"]
    features: list[dict[str, Any]]


# --- request bodies -----------------------------------------------------------------------


class _Classified(RequestModel):
    classification: Classification = Classification.COMMITTEE
    owner_party: str | None = Field(default=None, description="a delegate's: its own party")


class PhaseUpdateIn(_Classified):
    status: str = Field(description="planned, in-progress, reported-complete or suspended")
    as_of: dt.date | None = Field(default=None, description="default today")
    note: str | None = None
    source: str | None = None


class SiteIn(_Classified):
    kind: SiteKind
    name: str
    reported_on: dt.date
    latitude: float | None = None
    longitude: float | None = None
    reported_by_party: str | None = None
    note: str | None = None


class SiteStatusIn(RequestModel):
    status: SiteStatus
    on: dt.date | None = Field(default=None, description="default today")
    note: str | None = None


class SiteLinksIn(RequestModel):
    incident_ids: LinkIds = []  # noqa: RUF012 (a pydantic model: the default is copied)
    evidence_ids: LinkIds = []  # noqa: RUF012


class PositionIn(_Classified):
    name: str
    holder_party: str
    latitude: float
    longitude: float
    established_on: dt.date | None = None
    supported_by: str | None = None
    note: str | None = None


class PositionStatusIn(RequestModel):
    status: PositionStatus
    on: dt.date | None = None
    note: str | None = None


class SeedIn(RequestModel):
    since: dt.date | None = Field(default=None, description="default: the agreement in force")
    classification: Classification = Classification.COMMITTEE


class ZoneVersionIn(_Classified):
    geometry: dict[str, Any] = Field(description="a GeoJSON Polygon or MultiPolygon")
    zone_id: str | None = Field(default=None, description="default: the economic zone")
    note: str | None = None
    proposal_id: int | None = None


class ProjectIn(_Classified):
    title: str
    kind: ProjectKind
    sponsor: str | None = None
    status: ProjectStatus = ProjectStatus.PROPOSED
    latitude: float | None = None
    longitude: float | None = None
    zone_id: str | None = None
    proposal_id: int | None = None


class ProjectStatusIn(RequestModel):
    status: ProjectStatus
    note: str | None = None


ZoneQuery = Annotated[str | None, Query(description="a pack zone id (default: the economic zone)")]
VersionQuery = Annotated[
    int | None,
    Query(ge=0, description="draw the zone as this version (default: the latest you may see)"),
]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="page size")]
Offset = Annotated[int, Query(ge=0, description="records to skip")]

# --- the plan and the figures ---------------------------------------------------------------


@router.get("/disarmament/plan", summary="The arms plan's phases with their status over time")
def get_plan(request: Request) -> PlanOut:
    plan = plan_status(request_store(request), viewer=request_viewer(request))
    return PlanOut.model_validate(plan)


@router.post(
    "/disarmament/plan/{phase_id}/updates",
    status_code=201,
    summary="Record a phase's status as of a day",
    responses=WRITE_ERRORS,
)
def add_phase_update(request: Request, phase_id: str, body: PhaseUpdateIn) -> PhaseUpdateOut:
    update = record_phase_update(
        request_store(request),
        phase_id,
        body.status,
        by=request_viewer(request),
        as_of=body.as_of,
        note=body.note,
        source=body.source,
        classification=body.classification,
        owner_party=body.owner_party,
    )
    return PhaseUpdateOut.model_validate(update)


@router.get(
    "/disarmament/figures",
    summary="Sites by status, month and zone; positions established, supported, still held",
)
def get_figures(
    request: Request,
    start: Annotated[dt.date | None, Query(description="first day")] = None,
    end: Annotated[dt.date | None, Query(description="last day")] = None,
) -> FiguresOut:
    found = disarmament_figures(
        request_store(request), viewer=request_viewer(request), start=start, end=end
    )
    return FiguresOut.model_validate(found)


# --- sites ----------------------------------------------------------------------------------


@router.get("/disarmament/sites", summary="Sites and caches, the last reported first")
def list_site_page(
    request: Request,
    status: Annotated[SiteStatus | None, Query(description="only in this status")] = None,
    kind: Annotated[SiteKind | None, Query(description="only of this kind")] = None,
    zone: Annotated[str | None, Query(description="only in this zone")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> SitePageOut:
    page = list_sites(
        request_store(request),
        viewer=request_viewer(request),
        status=status,
        kind=kind,
        zone=zone,
        limit=limit,
        offset=offset,
    )
    return SitePageOut.model_validate(page)


@router.post(
    "/disarmament/sites", status_code=201, summary="Report a site or cache", responses=WRITE_ERRORS
)
def add_site(request: Request, body: SiteIn) -> SiteOut:
    new = NewSite(**body.model_dump())
    return SiteOut.model_validate(
        report_site(request_store(request), new, by=request_viewer(request))
    )


@router.get(
    "/disarmament/sites/{site_id}",
    summary="One site: its history and links",
    responses=NOT_FOUND,
)
def get_one_site(request: Request, site_id: int) -> SiteOut:
    return SiteOut.model_validate(
        get_site(request_store(request), site_id, viewer=request_viewer(request))
    )


@router.post(
    "/disarmament/sites/{site_id}/status",
    summary="Move a site to its next status",
    responses=WRITE_ERRORS,
)
def move_one_site(request: Request, site_id: int, body: SiteStatusIn) -> SiteOut:
    site = move_site(
        request_store(request),
        site_id,
        body.status,
        by=request_viewer(request),
        on=body.on,
        note=body.note,
    )
    return SiteOut.model_validate(site)


@router.post(
    "/disarmament/sites/{site_id}/links",
    summary="Link incidents and evidence this principal may see to a site",
    responses=WRITE_ERRORS,
)
def link_one_site(request: Request, site_id: int, body: SiteLinksIn) -> SiteLinksOut:
    links = link_site(
        request_store(request),
        site_id,
        by=request_viewer(request),
        incident_ids=body.incident_ids,
        evidence_ids=body.evidence_ids,
    )
    return SiteLinksOut.model_validate(links)


# --- positions ------------------------------------------------------------------------------


@router.get("/disarmament/positions", summary="Army and Israeli-held positions")
def list_position_page(
    request: Request,
    holder: Annotated[str | None, Query(description="only this party's")] = None,
    status: Annotated[PositionStatus | None, Query(description="only in this status")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> PositionPageOut:
    page = list_positions(
        request_store(request),
        viewer=request_viewer(request),
        holder=holder,
        status=status,
        limit=limit,
        offset=offset,
    )
    return PositionPageOut.model_validate(page)


@router.post(
    "/disarmament/positions", status_code=201, summary="Record a position", responses=WRITE_ERRORS
)
def add_one_position(request: Request, body: PositionIn) -> PositionOut:
    new = NewPosition(**body.model_dump())
    return PositionOut.model_validate(
        add_position(request_store(request), new, by=request_viewer(request))
    )


@router.post(
    "/disarmament/positions/seed",
    summary="Store the theatre pack's held positions not stored yet (the chair)",
    responses=WRITE_ERRORS,
)
def seed_positions(request: Request, body: SeedIn) -> list[PositionOut]:
    added = seed_positions_from_pack(
        request_store(request),
        by=request_viewer(request),
        since=body.since,
        classification=body.classification,
    )
    return [PositionOut.model_validate(position) for position in added]


@router.get(
    "/disarmament/positions/{position_id}",
    summary="One position and its history",
    responses=NOT_FOUND,
)
def get_one_position(request: Request, position_id: int) -> PositionOut:
    return PositionOut.model_validate(
        get_position(request_store(request), position_id, viewer=request_viewer(request))
    )


@router.post(
    "/disarmament/positions/{position_id}/status",
    summary="Record a held position withdrawn or handed over",
    responses=WRITE_ERRORS,
)
def move_one_position(request: Request, position_id: int, body: PositionStatusIn) -> PositionOut:
    position = move_position(
        request_store(request),
        position_id,
        body.status,
        by=request_viewer(request),
        on=body.on,
        note=body.note,
    )
    return PositionOut.model_validate(position)


# --- the economic zone ----------------------------------------------------------------------


@router.get(
    "/economic-zone",
    summary="The economic zone: current geometry, versions and projects",
    tags=["economic zone"],
)
def get_economic_zone(request: Request, zone: ZoneQuery = None) -> ZoneOut:
    found = get_zone(request_store(request), zone, viewer=request_viewer(request))
    return ZoneOut.model_validate(found)


@router.post(
    "/economic-zone/versions",
    status_code=201,
    summary="Store a new version of the zone's geometry, checked first",
    tags=["economic zone"],
    responses=WRITE_ERRORS,
)
def add_version(request: Request, body: ZoneVersionIn) -> ZoneVersionOut:
    added = add_zone_version(
        request_store(request),
        body.geometry,
        by=request_viewer(request),
        zone_id=body.zone_id,
        note=body.note,
        proposal_id=body.proposal_id,
        classification=body.classification,
        owner_party=body.owner_party,
    )
    return ZoneVersionOut.model_validate(added)


@router.get(
    "/economic-zone/projects", summary="Projects in the zone, by id", tags=["economic zone"]
)
def list_project_page(
    request: Request,
    zone: ZoneQuery = None,
    status: Annotated[ProjectStatus | None, Query(description="only in this status")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> ProjectPageOut:
    page = list_projects(
        request_store(request),
        viewer=request_viewer(request),
        zone_id=zone,
        status=status,
        limit=limit,
        offset=offset,
    )
    return ProjectPageOut.model_validate(page)


@router.post(
    "/economic-zone/projects",
    status_code=201,
    summary="Record a project inside the zone",
    tags=["economic zone"],
    responses=WRITE_ERRORS,
)
def add_one_project(request: Request, body: ProjectIn) -> ProjectOut:
    new = NewProject(**body.model_dump())
    return ProjectOut.model_validate(
        add_project(request_store(request), new, by=request_viewer(request))
    )


@router.get(
    "/economic-zone/projects/{project_id}",
    summary="One project",
    tags=["economic zone"],
    responses=NOT_FOUND,
)
def get_one_project(request: Request, project_id: int) -> ProjectOut:
    return ProjectOut.model_validate(
        get_project(request_store(request), project_id, viewer=request_viewer(request))
    )


@router.post(
    "/economic-zone/projects/{project_id}/status",
    summary="Move a project to its next status",
    tags=["economic zone"],
    responses=WRITE_ERRORS,
)
def move_one_project(request: Request, project_id: int, body: ProjectStatusIn) -> ProjectOut:
    moved = move_project(
        request_store(request),
        project_id,
        body.status,
        by=request_viewer(request),
        note=body.note,
    )
    return ProjectOut.model_validate(moved)


@router.get(
    "/economic-zone/activity",
    summary="Incidents, sites and positions inside the zone, per period",
    tags=["economic zone"],
)
def get_activity(
    request: Request,
    zone: ZoneQuery = None,
    start: Annotated[
        dt.date | None, Query(description="first day (default: the agreement's signing)")
    ] = None,
    end: Annotated[dt.date | None, Query(description="last day (default: today)")] = None,
    by: Annotated[Literal["day", "week", "month"], Query(description="the period")] = "month",
    version: VersionQuery = None,
) -> ZoneActivityOut:
    found = zone_activity(
        request_store(request),
        zone,
        viewer=request_viewer(request),
        start=start or load_pack().agreement.signed,
        end=end or dt.datetime.now(dt.UTC).date(),
        by=by,
        version=version,
    )
    return ZoneActivityOut.model_validate(found)


@router.get(
    "/economic-zone.geojson",
    summary="The zone and the projects, sites, positions and incidents inside it, for the map",
    tags=["economic zone"],
)
def get_zone_geojson(
    request: Request,
    zone: ZoneQuery = None,
    start: Annotated[dt.date | None, Query(description="incidents from this day")] = None,
    end: Annotated[dt.date | None, Query(description="incidents to this day")] = None,
    version: VersionQuery = None,
) -> FeatureCollectionOut:
    collection = zone_geojson(
        request_store(request),
        zone,
        viewer=request_viewer(request),
        start=start,
        end=end,
        version=version,
    )
    return FeatureCollectionOut.model_validate(collection)
