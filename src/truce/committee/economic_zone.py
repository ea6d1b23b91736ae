"""The economic zone: its geometry in versions, the projects in it, and what happens inside it
over time (incidents, sites and caches, positions), for the committee and the map.

Version 0 of a zone is the pack's geometry (`zones.geojson`; public, like the pack). Each new
version is a classified record, checked with shapely before it is stored: a GeoJSON Polygon or
MultiPolygon with closed rings, valid (no self-intersection), inside the theatre's area (the
convex hull of the pack's zones and places, widened by `AREA_MARGIN_DEG`); anything else is an
InputError naming what is wrong. A viewer's current geometry is the latest version it may see.

A project lies inside the zone's geometry current for whoever records it, at the time; its
status moves proposed → approved → underway → done (`PROJECT_TRANSITIONS`), each move a row of
its history (and an audit entry) naming who, when and why. Who may write: see
`truce.committee.record_fields`.

`zone_activity` counts, per period, the incidents of which a member event the viewer may see
lies inside the zone (point in polygon) on a day of the period, the sites reported inside it
in the period, and the positions inside it held at the period's end; `zone_geojson` is the
same for the map. Both draw the zone as one version of its geometry for the whole span: the
latest the viewer may see, or the one asked for (`version=`). A proposed zone is a draft under
negotiation, so the question analysts ask is "what has happened, over time, inside the area
now on the table" (or inside an earlier draft, to compare), not inside whichever draft was
current on each day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final, Literal

import shapely
from pydantic import TypeAdapter, ValidationError
from shapely.geometry import mapping, shape

from truce.committee.disarmament import site_of
from truce.committee.positions import PositionStatus, all_positions
from truce.committee.record_fields import (
    MAX_TEXT,
    MAX_TITLE,
    StatusChange,
    access_values,
    change_of,
    check_move,
    check_page,
    check_period,
    choice,
    optional_point,
    optional_text,
    required_text,
    today,
)
from truce.core.access import Classification, Principal
from truce.core.errors import InputError
from truce.store import Store
from truce.store import disarmament as rows
from truce.store.disarmament import Page
from truce.theatre import TheatrePack, load_pack
from truce.theatre.yamlfile import describe
from truce.theatre.zones import Geometry, PackZone

#: how far outside the pack's zones and places a zone may reach (degrees; about 10 km)
AREA_MARGIN_DEG: Final = 0.1
#: the most periods one activity report holds
MAX_PERIODS: Final = 1000
Period = Literal["day", "week", "month"]
PERIODS: Final = ("day", "week", "month")


class ProjectKind(StrEnum):
    AGRICULTURE = "agriculture"
    ENERGY = "energy"
    WATER = "water"
    HOUSING = "housing"
    INFRASTRUCTURE = "infrastructure"
    TRADE = "trade"
    INDUSTRY = "industry"
    TOURISM = "tourism"
    HEALTH = "health"
    EDUCATION = "education"
    OTHER = "other"


class ProjectStatus(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    UNDERWAY = "underway"
    DONE = "done"


PROJECT_TRANSITIONS: Final[Mapping[ProjectStatus, tuple[ProjectStatus, ...]]] = {
    ProjectStatus.PROPOSED: (ProjectStatus.APPROVED,),
    ProjectStatus.APPROVED: (ProjectStatus.UNDERWAY,),
    ProjectStatus.UNDERWAY: (ProjectStatus.DONE,),
    ProjectStatus.DONE: (),
}

_GEOMETRY: TypeAdapter[Any] = TypeAdapter(Geometry)

# --- records --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ZoneVersion:
    """One version of a zone's geometry (a GeoJSON Polygon or MultiPolygon); number 0 is the
    pack's (`from_pack`)."""

    zone_id: str
    number: int
    geometry: dict[str, Any]
    note: str | None
    proposal_id: int | None
    created_by: str | None
    created_at: dt.datetime | None
    classification: Classification
    owner_party: str | None
    from_pack: bool = False


@dataclass(frozen=True)
class NewProject:
    """A project in the zone (default: the pack's proposed economic zone)."""

    title: str
    kind: ProjectKind | str
    sponsor: str | None = None
    status: ProjectStatus | str = ProjectStatus.PROPOSED
    latitude: float | None = None
    longitude: float | None = None
    zone_id: str | None = None
    proposal_id: int | None = None
    classification: Classification = Classification.COMMITTEE
    owner_party: str | None = None


@dataclass(frozen=True)
class Project:
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
    next_statuses: tuple[ProjectStatus, ...]
    history: tuple[StatusChange, ...]  # oldest first: recorded, then each move


@dataclass(frozen=True)
class ProjectPage:
    items: list[Project]
    total: int
    limit: int
    offset: int


@dataclass(frozen=True)
class EconomicZone:
    """A zone as the viewer sees it: its current geometry, its versions, its projects."""

    zone_id: str
    name: str
    illustrative: bool
    description: str
    current: ZoneVersion
    versions: tuple[ZoneVersion, ...]
    projects: tuple[Project, ...]


@dataclass(frozen=True)
class ZonePeriod:
    label: str  # 2025-10, 2025-W41, 2025-10-07
    start: dt.date
    end: dt.date
    incident_ids: tuple[int, ...]  # with a visible member inside the zone on a day of it
    site_ids: tuple[int, ...]  # reported inside the zone in it
    position_ids: tuple[int, ...]  # inside the zone, held at its end


@dataclass(frozen=True)
class ZoneActivity:
    zone_id: str
    version: int  # the geometry's, as the viewer sees it
    start: dt.date
    end: dt.date
    by: str
    periods: tuple[ZonePeriod, ...]


# --- the zone and its versions --------------------------------------------------------------


def economic_zone_id(pack: TheatrePack | None = None) -> str:
    """The pack's proposed economic zone (its first zone of kind `proposed`)."""
    loaded = pack or load_pack()
    for zone in loaded.zones:
        if zone.kind == "proposed":
            return zone.id
    raise InputError(f"theatre pack {loaded.name!r} has no proposed zone", source="zone_id")


def get_zone(
    store: Store, zone_id: str | None = None, *, viewer: Principal, pack: TheatrePack | None = None
) -> EconomicZone:
    """The zone with every version and project `viewer` may see."""
    loaded = pack or load_pack()
    zone = _pack_zone(loaded, zone_id)
    versions = _versions(store, loaded, zone.id, viewer)
    projects, _ = rows.read_projects(store, Page({"zone_id": zone.id}, limit=None), viewer=viewer)
    return EconomicZone(
        zone_id=zone.id,
        name=zone.name,
        illustrative=zone.illustrative,
        description=zone.description,
        current=versions[-1],
        versions=tuple(versions),
        projects=tuple(_projects(store, projects)),
    )


def add_zone_version(
    store: Store,
    geometry: Mapping[str, Any],
    *,
    by: Principal,
    zone_id: str | None = None,
    note: str | None = None,
    proposal_id: int | None = None,
    classification: Classification = Classification.COMMITTEE,
    owner_party: str | None = None,
    pack: TheatrePack | None = None,
) -> ZoneVersion:
    """Store a new version of the zone's geometry, checked first (InputError naming what is
    wrong: see the module docstring); numbered after every stored one."""
    loaded = pack or load_pack()
    zone = _pack_zone(loaded, zone_id)
    checked = mapping(check_zone_geometry(geometry, loaded))
    values = {
        "zone_id": zone.id,
        "geometry": _plain(checked),
        "note": optional_text(note, "note", MAX_TEXT),
        "proposal_id": proposal_id,
        **access_values(by, classification, owner_party, loaded),
    }
    with store.transaction(by=by) as batch:
        if proposal_id is not None:
            rows.check_proposal_seen(batch, proposal_id)
        row = rows.insert_zone_version(batch, values)
    return _version(row)


def check_zone_geometry(geometry: object, pack: TheatrePack) -> Any:
    """The geometry as a shapely (Multi)Polygon, if it is a valid one inside the theatre's
    area; else InputError (source "geometry") saying what is wrong."""
    if not isinstance(geometry, Mapping):
        raise InputError("a zone is a GeoJSON Polygon or MultiPolygon object", source="geometry")
    if geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise InputError(
            f"a zone is a Polygon or MultiPolygon, not {geometry.get('type')!r}",
            source="geometry",
        )
    try:
        _GEOMETRY.validate_python(dict(geometry))
    except ValidationError as error:
        raise InputError(describe(dict(error.errors()[0])), source="geometry") from None
    try:
        shaped = shape(geometry)
    except (ValueError, TypeError, shapely.errors.ShapelyError) as error:
        raise InputError(f"unreadable geometry: {error}", source="geometry") from None
    if shaped.is_empty:
        raise InputError("the polygon is empty", source="geometry")
    if not shaped.is_valid:
        reason = shapely.is_valid_reason(shaped)
        raise InputError(f"not a valid polygon: {reason}", source="geometry")
    if not theatre_area(pack).covers(shaped):
        raise InputError(
            f"the polygon reaches outside the theatre's area (the pack {pack.name!r}'s zones "
            f"and places, and {AREA_MARGIN_DEG}° around them)",
            source="geometry",
        )
    return shaped


_AREAS: dict[int, tuple[TheatrePack, Any]] = {}


def theatre_area(pack: TheatrePack) -> Any:
    """The convex hull of the pack's zones and places, widened by `AREA_MARGIN_DEG`."""
    cached = _AREAS.get(id(pack))
    if cached is None or cached[0] is not pack:
        parts = [shape(zone.geometry.model_dump()) for zone in pack.zones]
        parts += [shapely.Point(place.longitude, place.latitude) for place in pack.places]
        area = shapely.union_all(parts).convex_hull.buffer(AREA_MARGIN_DEG)
        shapely.prepare(area)
        cached = (pack, area)
        _AREAS[id(pack)] = cached
    return cached[1]


# --- projects -------------------------------------------------------------------------------


def add_project(
    store: Store, new: NewProject, *, by: Principal, pack: TheatrePack | None = None
) -> Project:
    """Record a project; its point, when given, must lie inside the zone's geometry current
    for `by` (InputError naming latitude, longitude)."""
    loaded = pack or load_pack()
    zone = _pack_zone(loaded, new.zone_id)
    point = optional_point(new.latitude, new.longitude)
    values = {
        "zone_id": zone.id,
        "title": required_text(new.title, "title", MAX_TITLE),
        "kind": choice(ProjectKind, new.kind, "kind").value,
        "sponsor": optional_text(new.sponsor, "sponsor", MAX_TITLE),
        "status": choice(ProjectStatus, new.status, "status").value,
        "latitude": None if point is None else point[0],
        "longitude": None if point is None else point[1],
        "proposal_id": new.proposal_id,
        **access_values(by, new.classification, new.owner_party, loaded),
    }
    if point is not None:
        current = _versions(store, loaded, zone.id, by)[-1]
        if not shapely.intersects_xy(shape(current.geometry), point[1], point[0]):
            raise InputError(
                f"{point[0]}, {point[1]} lies outside zone {zone.id!r} (version {current.number})",
                source="latitude, longitude",
            )
    with store.transaction(by=by) as batch:
        if new.proposal_id is not None:
            rows.check_proposal_seen(batch, new.proposal_id)
        row = rows.insert_project(batch, values, on=today())
    return _projects(store, [row])[0]


def move_project(
    store: Store,
    project_id: int,
    status: ProjectStatus | str,
    *,
    by: Principal,
    note: str | None = None,
) -> Project:
    """Move a project to its next status: ConflictError if its status does not lead there."""
    target = choice(ProjectStatus, status, "status")
    note = optional_text(note, "note", MAX_TEXT)
    with store.transaction(by=by) as batch:
        project = rows.project_in_batch(batch, project_id)
        by.check_may_create(project.classification, project.owner_party)
        check_move(
            "project", project.id, ProjectStatus(project.status), target, PROJECT_TRANSITIONS
        )
        row = rows.move_project(batch, project, target.value, note, on=today())
    return _projects(store, [row])[0]


def get_project(store: Store, project_id: int, *, viewer: Principal) -> Project:
    """The project; NotFoundError if there is none or `viewer` may not see it."""
    return _projects(store, [rows.read_project(store, project_id, viewer=viewer)])[0]


def list_projects(
    store: Store,
    *,
    viewer: Principal,
    zone_id: str | None = None,
    status: ProjectStatus | str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> ProjectPage:
    """A page of the projects `viewer` may see, by id."""
    check_page(limit, offset)
    equal: dict[str, object] = {}
    if zone_id is not None:
        equal["zone_id"] = zone_id
    if status is not None:
        equal["status"] = choice(ProjectStatus, status, "status").value
    found, total = rows.read_projects(store, Page(equal, limit, offset), viewer=viewer)
    return ProjectPage(_projects(store, found), total, limit, offset)


# --- activity and the map -------------------------------------------------------------------


def zone_activity(
    store: Store,
    zone_id: str | None = None,
    *,
    viewer: Principal,
    start: dt.date,
    end: dt.date,
    by: Period | str = "month",
    version: int | None = None,
    pack: TheatrePack | None = None,
) -> ZoneActivity:
    """Per period (day, week or month) from `start` to `end`: the incidents, sites and
    positions inside the zone as drawn by `version` (default: the latest `viewer` may see;
    see the module docstring), of what `viewer` may see."""
    check_period(start, end)
    if by not in PERIODS:
        raise InputError(f"{by!r} is not a period; one of {', '.join(PERIODS)}", source="by")
    periods = _periods(start, end, by)
    loaded = pack or load_pack()
    zone = _pack_zone(loaded, zone_id)
    current = _chosen_version(_versions(store, loaded, zone.id, viewer), version)
    inside = _inside(current)
    points = _incident_points(store, viewer, current, start, end)
    sites = [site_of(row) for row, _ in rows.read_sites_with_history(store, viewer=viewer)]
    sites = [s for s in sites if s.latitude is not None and s.longitude is not None]
    sites = [s for s in sites if inside(s.latitude or 0.0, s.longitude or 0.0)]
    positions = [p for p in all_positions(store, viewer=viewer) if inside(p.latitude, p.longitude)]
    found = []
    for label, first, last in periods:
        found.append(
            ZonePeriod(
                label=label,
                start=first,
                end=last,
                incident_ids=tuple(
                    sorted(
                        {
                            p.incident_id
                            for p in points
                            if p.event_date is not None and first <= p.event_date <= last
                        }
                    )
                ),
                site_ids=tuple(s.id for s in sites if first <= s.reported_on <= last),
                position_ids=tuple(
                    p.id for p in positions if p.status_at(last) is PositionStatus.HELD
                ),
            )
        )
    return ZoneActivity(zone.id, current.number, start, end, by, tuple(found))


def zone_geojson(
    store: Store,
    zone_id: str | None = None,
    *,
    viewer: Principal,
    start: dt.date | None = None,
    end: dt.date | None = None,
    version: int | None = None,
    pack: TheatrePack | None = None,
) -> dict[str, Any]:
    """A GeoJSON FeatureCollection for the map: the zone's geometry (`version`, default the
    latest `viewer` may see), its projects, and the sites, positions and incident points
    (member events dated within [start, end]) inside it that `viewer` may see.
    `properties.kind` says which each feature is."""
    check_period(start, end)
    loaded = pack or load_pack()
    zone = _pack_zone(loaded, zone_id)
    current = _chosen_version(_versions(store, loaded, zone.id, viewer), version)
    inside = _inside(current)
    features: list[dict[str, Any]] = [
        {
            "type": "Feature",
            "geometry": current.geometry,
            "properties": {
                "kind": "zone",
                "zone_id": zone.id,
                "name": zone.name,
                "version": current.number,
                "illustrative": zone.illustrative,
            },
        }
    ]
    projects, _ = rows.read_projects(store, Page({"zone_id": zone.id}, limit=None), viewer=viewer)
    for project in projects:
        if project.latitude is not None and project.longitude is not None:
            features.append(
                _point(
                    project.latitude,
                    project.longitude,
                    kind="project",
                    id=project.id,
                    title=project.title,
                    project_kind=project.kind,
                    sponsor=project.sponsor,
                    status=project.status,
                )
            )
    for row, _ in rows.read_sites_with_history(store, viewer=viewer):
        if row.latitude is None or row.longitude is None:
            continue
        if inside(row.latitude, row.longitude):
            features.append(
                _point(
                    row.latitude,
                    row.longitude,
                    kind="site",
                    id=row.id,
                    name=row.name,
                    site_kind=row.kind,
                    status=row.status,
                    reported_on=row.reported_on.isoformat(),
                )
            )
    for position in all_positions(store, viewer=viewer):
        if inside(position.latitude, position.longitude):
            features.append(
                _point(
                    position.latitude,
                    position.longitude,
                    kind="position",
                    id=position.id,
                    name=position.name,
                    holder_party=position.holder_party,
                    status=position.status.value,
                    supported_by=position.supported_by,
                )
            )
    for point in _incident_points(store, viewer, current, start, end):
        features.append(
            _point(
                point.latitude,
                point.longitude,
                kind="incident",
                id=point.incident_id,
                event_id=point.event_id,
                event_date=None if point.event_date is None else point.event_date.isoformat(),
                location=point.location,
                event_type=point.event_type,
            )
        )
    return {"type": "FeatureCollection", "features": features}


# --- helpers --------------------------------------------------------------------------------


def _pack_zone(pack: TheatrePack, zone_id: str | None) -> PackZone:
    wanted = zone_id or economic_zone_id(pack)
    for zone in pack.zones:
        if zone.id == wanted:
            return zone
    known = ", ".join(zone.id for zone in pack.zones)
    raise InputError(f"no zone {wanted!r} (known: {known})", source="zone_id")


def _versions(
    store: Store, pack: TheatrePack, zone_id: str, viewer: Principal
) -> list[ZoneVersion]:
    """Version 0 (the pack's) and the stored versions `viewer` may see, by number."""
    zone = _pack_zone(pack, zone_id)
    base = ZoneVersion(
        zone_id=zone.id,
        number=0,
        geometry=zone.geometry.model_dump(mode="json"),
        note=f"theatre pack {pack.name}: {zone.source}",
        proposal_id=None,
        created_by=None,
        created_at=None,
        classification=Classification.PUBLIC,
        owner_party=None,
        from_pack=True,
    )
    stored = rows.read_zone_versions(store, zone.id, viewer=viewer)
    return [base, *(_version(row) for row in stored)]


def _chosen_version(versions: list[ZoneVersion], number: int | None) -> ZoneVersion:
    """The version numbered `number` among those the viewer may see (the latest if None); a
    hidden version is reported exactly as a missing one."""
    if number is None:
        return versions[-1]
    for version in versions:
        if version.number == number:
            return version
    known = ", ".join(str(v.number) for v in versions)
    raise InputError(f"no version {number} of this zone (known: {known})", source="version")


def _inside(version: ZoneVersion) -> Any:
    geometry = shape(version.geometry)
    shapely.prepare(geometry)

    def inside(lat: float, lon: float) -> bool:
        return bool(shapely.intersects_xy(geometry, lon, lat))

    return inside


def _incident_points(
    store: Store,
    viewer: Principal,
    version: ZoneVersion,
    start: dt.date | None,
    end: dt.date | None,
) -> list[rows.IncidentPoint]:
    geometry = shape(version.geometry)
    inside = _inside(version)
    candidates = rows.read_incident_points(
        store, viewer=viewer, bbox=tuple(geometry.bounds), start=start, end=end
    )
    return [p for p in candidates if inside(p.latitude, p.longitude)]


def _periods(start: dt.date, end: dt.date, by: str) -> list[tuple[str, dt.date, dt.date]]:
    """(label, first day, last day) of each period touching [start, end], clipped to it."""
    periods: list[tuple[str, dt.date, dt.date]] = []
    day = start
    while day <= end:
        if by == "day":
            label, last = day.isoformat(), day
        elif by == "week":
            year, week, weekday = day.isocalendar()
            label, last = f"{year}-W{week:02d}", day + dt.timedelta(days=7 - weekday)
        else:
            following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            label, last = day.strftime("%Y-%m"), following - dt.timedelta(days=1)
        last = min(last, end)
        periods.append((label, day, last))
        if len(periods) > MAX_PERIODS:
            raise InputError(
                f"more than {MAX_PERIODS} periods: choose a shorter span or longer periods",
                source="by",
            )
        day = last + dt.timedelta(days=1)
    return periods


def _point(lat: float, lon: float, **properties: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": properties,
    }


def _plain(value: Any) -> Any:
    """shapely's `mapping` (tuples) as plain JSON lists."""
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _version(row: rows.ZoneVersionRow) -> ZoneVersion:
    return ZoneVersion(
        zone_id=row.zone_id,
        number=row.number,
        geometry=row.geometry,
        note=row.note,
        proposal_id=row.proposal_id,
        created_by=row.created_by,
        created_at=row.created_at,
        classification=row.classification,
        owner_party=row.owner_party,
    )


def _projects(store: Store, found: list[rows.ProjectRow]) -> list[Project]:
    """The projects read (as visible to their reader), each with its status history."""
    history = rows.read_project_history(store, [row.id for row in found])
    return [_project(row, history[row.id]) for row in found]


def _project(row: rows.ProjectRow, history: list[rows.StatusChangeRow]) -> Project:
    status = ProjectStatus(row.status)
    return Project(
        id=row.id,
        zone_id=row.zone_id,
        title=row.title,
        kind=ProjectKind(row.kind),
        sponsor=row.sponsor,
        status=status,
        latitude=row.latitude,
        longitude=row.longitude,
        proposal_id=row.proposal_id,
        created_by=row.created_by,
        created_at=row.created_at,
        classification=row.classification,
        owner_party=row.owner_party,
        next_statuses=PROJECT_TRANSITIONS[status],
        history=tuple(change_of(change) for change in history),
    )
