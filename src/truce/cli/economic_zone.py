"""`truce zone`: the economic zone's geometry versions, its projects, what happens inside it
over time, and its GeoJSON for the map (see truce.committee.economic_zone).

Every command works on the theatre pack's proposed economic zone unless `--zone` names
another of the pack's zones. Writing commands take `--by USER`, reading ones `--as USER`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from truce.cli.app import (
    AsUserOption,
    ByUserOption,
    ClassificationOption,
    DatabaseOption,
    PartyOption,
    command_group,
    echo_json,
    reports_errors,
    user_principal,
)
from truce.cli.options import (
    JsonOption,
    access_words,
    history_table,
    optional_date,
    required_date,
    text_table,
)
from truce.committee.economic_zone import (
    PERIODS,
    NewProject,
    Project,
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
from truce.committee.record_fields import MAX_PAGE
from truce.core.access import Classification
from truce.core.errors import InputError
from truce.store import Store

zone_app = command_group(
    "zone", help="The economic zone: geometry versions, projects, activity inside it, GeoJSON."
)
project_app = typer.Typer(name="project", help="Projects in the zone.", no_args_is_help=True)
zone_app.add_typer(project_app, name="project")

ZoneOption = Annotated[
    str | None,
    typer.Option("--zone", metavar="ZONE", help="A pack zone id (default: the economic zone)."),
]
ZoneVersionOption = Annotated[
    int | None,
    typer.Option(
        "--zone-version",
        metavar="N",
        min=0,
        help="Draw the zone as this version of its geometry (default: the latest).",
    ),
]
IdArgument = Annotated[int, typer.Argument(metavar="ID", help="The project's id.")]
DateOption = Annotated[str | None, typer.Option(metavar="YYYY-MM-DD")]


@zone_app.command("show")
@reports_errors
def show(
    zone: ZoneOption = None,
    as_json: JsonOption = False,
    as_user: AsUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Show the zone: its current version, every version and its projects."""
    with Store.open(db) as store:
        found = get_zone(store, zone, viewer=user_principal(store, as_user, acting=False))
    if as_json:
        echo_json(found)
        return
    console = Console()
    flag = " (illustrative)" if found.illustrative else ""
    console.print(f"{found.name}{flag}: version {found.current.number} is current")
    versions = (
        (
            str(version.number),
            version.created_by or "theatre pack",
            "" if version.created_at is None else version.created_at.isoformat(),
            version.note or "",
            access_words(version.classification, version.owner_party),
        )
        for version in found.versions
    )
    console.print(text_table(("number", "by", "at", "note", "access"), versions, title="versions"))
    console.print(_projects_table(list(found.projects), len(found.projects)))


@zone_app.command("version")
@reports_errors
def version(
    geometry: Annotated[
        Path,
        typer.Option(
            "--geometry",
            metavar="FILE",
            help="A GeoJSON Polygon or MultiPolygon (or a Feature, or a one-feature "
            "FeatureCollection).",
        ),
    ],
    zone: ZoneOption = None,
    note: Annotated[str | None, typer.Option(help="What changed, and why.")] = None,
    proposal: Annotated[
        int | None, typer.Option(metavar="N", help="The proposal it comes from.")
    ] = None,
    classification: ClassificationOption = Classification.COMMITTEE,
    party: PartyOption = None,
    by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Store a new version of the zone's geometry (checked first)."""
    shape = _geometry_file(geometry)
    with Store.open(db) as store:
        added = add_zone_version(
            store,
            shape,
            by=user_principal(store, by, acting=True),
            zone_id=zone,
            note=note,
            proposal_id=proposal,
            classification=classification,
            owner_party=party,
        )
    typer.echo(f"zone {added.zone_id}: version {added.number}")


@project_app.command("add")
@reports_errors
def project_add(
    title: Annotated[str, typer.Option(help="What the project is.")],
    kind: Annotated[ProjectKind, typer.Option(help="Its kind.")],
    sponsor: Annotated[str | None, typer.Option(help="Who funds or leads it.")] = None,
    status: Annotated[ProjectStatus, typer.Option(help="Its status now.")] = (
        ProjectStatus.PROPOSED
    ),
    lat: Annotated[float | None, typer.Option(help="Latitude (inside the zone).")] = None,
    lon: Annotated[float | None, typer.Option(help="Longitude (inside the zone).")] = None,
    zone: ZoneOption = None,
    proposal: Annotated[
        int | None, typer.Option(metavar="N", help="The proposal it comes from.")
    ] = None,
    classification: ClassificationOption = Classification.COMMITTEE,
    party: PartyOption = None,
    by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Record a project in the zone."""
    new = NewProject(
        title=title,
        kind=kind,
        sponsor=sponsor,
        status=status,
        latitude=lat,
        longitude=lon,
        zone_id=zone,
        proposal_id=proposal,
        classification=classification,
        owner_party=party,
    )
    with Store.open(db) as store:
        made = add_project(store, new, by=user_principal(store, by, acting=True))
    typer.echo(f"project {made.id}: {made.title} ({made.status})")


@project_app.command("list")
@reports_errors
def project_list(
    zone: ZoneOption = None,
    status: Annotated[ProjectStatus | None, typer.Option(help="Only in this status.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=MAX_PAGE, help="projects per page")] = 50,
    offset: Annotated[int, typer.Option(min=0, help="projects to skip")] = 0,
    as_json: JsonOption = False,
    as_user: AsUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """List projects."""
    with Store.open(db) as store:
        page = list_projects(
            store,
            viewer=user_principal(store, as_user, acting=False),
            zone_id=zone,
            status=status,
            limit=limit,
            offset=offset,
        )
    if as_json:
        echo_json(page)
    else:
        Console().print(_projects_table(page.items, page.total))


@project_app.command("show")
@reports_errors
def project_show(
    project_id: IdArgument,
    as_json: JsonOption = False,
    as_user: AsUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Show a project."""
    with Store.open(db) as store:
        found = get_project(store, project_id, viewer=user_principal(store, as_user, acting=False))
    if as_json:
        echo_json(found)
    else:
        console = Console()
        console.print(_projects_table([found], 1))
        console.print(history_table(found.history))


@project_app.command("move")
@reports_errors
def project_move(
    project_id: IdArgument,
    status: Annotated[ProjectStatus, typer.Argument(help="The next status.")],
    note: Annotated[str | None, typer.Option(help="A note for the project's history.")] = None,
    by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Move a project to its next status (proposed → approved → underway → done)."""
    with Store.open(db) as store:
        moved = move_project(
            store, project_id, status, by=user_principal(store, by, acting=True), note=note
        )
    typer.echo(f"project {moved.id}: {moved.status}")


@zone_app.command("activity")
@reports_errors
def activity(
    start: Annotated[str, typer.Option(metavar="YYYY-MM-DD", help="From this day.")],
    end: Annotated[str, typer.Option(metavar="YYYY-MM-DD", help="To this day.")],
    period: Annotated[str, typer.Option(help=f"One of {', '.join(PERIODS)}.")] = "month",
    zone: ZoneOption = None,
    zone_version: ZoneVersionOption = None,
    as_json: JsonOption = False,
    as_user: AsUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Incidents, sites and positions inside the zone, per period."""
    first, last = required_date(start, "--start"), required_date(end, "--end")
    with Store.open(db) as store:
        found = zone_activity(
            store,
            zone,
            viewer=user_principal(store, as_user, acting=False),
            start=first,
            end=last,
            by=period,
            version=zone_version,
        )
    if as_json:
        echo_json(found)
        return
    columns = ("period", "incidents", "sites reported", "positions held")
    rows = (
        (row.label, _ids(row.incident_ids), _ids(row.site_ids), _ids(row.position_ids))
        for row in found.periods
    )
    Console().print(text_table(columns, rows, title=f"{found.zone_id} (version {found.version})"))


@zone_app.command("geojson")
@reports_errors
def geojson(
    out: Annotated[
        Path | None, typer.Option("--out", metavar="FILE", help="Write here, not to stdout.")
    ] = None,
    start: DateOption = None,
    end: DateOption = None,
    zone: ZoneOption = None,
    zone_version: ZoneVersionOption = None,
    as_user: AsUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """The zone, its projects, and the sites, positions and incidents inside it, as GeoJSON."""
    first, last = optional_date(start, "--start"), optional_date(end, "--end")
    with Store.open(db) as store:
        collection = zone_geojson(
            store,
            zone,
            viewer=user_principal(store, as_user, acting=False),
            start=first,
            end=last,
            version=zone_version,
        )
    text = json.dumps(collection, ensure_ascii=False)
    if out is None:
        typer.echo(text)
    else:
        out.write_text(text + "\n", encoding="utf-8")
        typer.echo(f"wrote {len(collection['features'])} features to {out}")


# --- parsing and rendering ------------------------------------------------------------------


def _geometry_file(path: Path) -> Any:
    """The geometry of a GeoJSON file: a geometry, a Feature's, or a one-feature collection's."""
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror}", source=str(path)) from None
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8: {error}", source=str(path)) from None
    except json.JSONDecodeError as error:
        raise InputError(error.msg, source=str(path), line=error.lineno) from None
    if isinstance(value, dict) and value.get("type") == "FeatureCollection":
        features = value.get("features")
        if not isinstance(features, list) or len(features) != 1:
            raise InputError("a FeatureCollection of exactly one feature", source=str(path))
        value = features[0]
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    return value


def _ids(ids: tuple[int, ...]) -> str:
    return f"{len(ids)}: {', '.join(map(str, ids))}" if ids else "0"


def _projects_table(projects: list[Project], total: int) -> Table:
    rows = (
        (
            str(project.id),
            project.title,
            project.kind,
            project.sponsor or "",
            project.status,
            "" if project.latitude is None else f"{project.latitude}, {project.longitude}",
            access_words(project.classification, project.owner_party),
        )
        for project in projects
    )
    columns = ("id", "title", "kind", "sponsor", "status", "point", "access")
    return text_table(columns, rows, title="projects", caption=f"{len(projects)} of {total}")
