"""The arms plan's phase updates, sites and caches, positions, and the economic zone's geometry
versions and projects: every query of their tables (the rules are `truce.committee`'s).

Phase updates, sites, positions, zone versions and projects are classified records (owner
party and classification); a site's and a position's history rows are seen with it. What a
site links to keeps its own visibility: a viewer is shown the linked incidents it may see
(`store.incidents.visible_incident_ids`) and the linked evidence it may see
(`visible_to(evidence_files)`).

Reads take the Store and open their own read transaction, or, inside a write, the Batch;
writes take the Batch and record one audit entry for every row written or changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from truce.core.access import Classification, Principal
from truce.core.audit import content_hash
from truce.core.errors import ConflictError, NotFoundError
from truce.store.access import visible_to
from truce.store.committee_schema import (
    phase_updates,
    position_history,
    positions,
    project_history,
    proposals,
    site_history,
    site_links,
    sites,
    zone_projects,
    zone_versions,
)
from truce.store.incidents import chunks, visible_incident_ids
from truce.store.schema import events, evidence_files, incident_members, incidents
from truce.store.store import MAX_ID, Batch, Store

# --- rows -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PhaseUpdateRow:
    id: int
    phase_id: str
    status: str
    as_of: dt.date
    note: str | None
    source: str | None
    created_by: str
    created_at: dt.datetime
    owner_party: str | None
    classification: Classification


@dataclass(frozen=True)
class SiteRow:
    id: int
    kind: str
    name: str
    latitude: float | None
    longitude: float | None
    zones: list[str]
    status: str
    reported_on: dt.date
    reported_by_party: str | None
    created_by: str
    created_at: dt.datetime
    owner_party: str | None
    classification: Classification


@dataclass(frozen=True)
class StatusChangeRow:
    """One row of a site's or a position's history (`subject_id` is the site or position)."""

    id: int
    subject_id: int
    from_status: str | None  # none: created
    to_status: str
    changed_on: dt.date
    note: str | None
    created_by: str
    created_at: dt.datetime


@dataclass(frozen=True)
class SiteLinkRow:
    id: int
    site_id: int
    incident_id: int | None
    evidence_id: int | None
    created_by: str
    created_at: dt.datetime


@dataclass(frozen=True)
class SiteRecord:
    """A site with its history and the links the viewer may see, read in one transaction."""

    site: SiteRow
    history: tuple[StatusChangeRow, ...]
    links: tuple[SiteLinkRow, ...]


@dataclass(frozen=True)
class PositionRow:
    id: int
    name: str
    holder_party: str
    latitude: float
    longitude: float
    zones: list[str]
    established_on: dt.date | None
    status: str
    status_on: dt.date | None
    supported_by: str | None
    pack_place: str | None
    created_by: str
    created_at: dt.datetime
    owner_party: str | None
    classification: Classification


@dataclass(frozen=True)
class PositionRecord:
    position: PositionRow
    history: tuple[StatusChangeRow, ...]


@dataclass(frozen=True)
class ZoneVersionRow:
    id: int
    zone_id: str
    number: int
    geometry: dict[str, Any]
    note: str | None
    proposal_id: int | None
    created_by: str
    created_at: dt.datetime
    owner_party: str | None
    classification: Classification


@dataclass(frozen=True)
class ProjectRow:
    id: int
    zone_id: str
    title: str
    kind: str
    sponsor: str | None
    status: str
    latitude: float | None
    longitude: float | None
    proposal_id: int | None
    created_by: str
    created_at: dt.datetime
    owner_party: str | None
    classification: Classification


@dataclass(frozen=True)
class IncidentPoint:
    """A visible member event of an active incident, where and when it happened."""

    incident_id: int
    event_id: int
    event_date: dt.date | None
    latitude: float
    longitude: float
    location: str | None
    event_type: str | None


@dataclass(frozen=True)
class Page:
    """Which rows of a list: filters by column value, then a page of them."""

    equal: Mapping[str, object]
    limit: int | None = 50  # None: every row
    offset: int = 0


_Row = TypeVar("_Row")

# --- phase updates --------------------------------------------------------------------------


def insert_phase_update(batch: Batch, values: Mapping[str, Any]) -> PhaseUpdateRow:
    """Record a phase's status as of a day (`phase.update`)."""
    row = _written(batch, values)
    update_id = _insert(batch, phase_updates, row)
    batch.audit.record(
        "phase.update",
        phase_updates.name,
        update_id,
        content_hash(row),
        {"phase": row["phase_id"], "status": row["status"], "as_of": row["as_of"].isoformat()},
    )
    return _classified(PhaseUpdateRow, {"id": update_id, **row})


def read_phase_updates(store: Store, *, viewer: Principal) -> list[PhaseUpdateRow]:
    """Every phase update `viewer` may see, oldest (as of) first."""
    statement = (
        sa.select(phase_updates)
        .where(visible_to(phase_updates, viewer))
        .order_by(phase_updates.c.as_of, phase_updates.c.id)
    )
    with store.reading("reading the plan's phases") as connection:
        return [
            _classified(PhaseUpdateRow, row) for row in connection.execute(statement).mappings()
        ]


# --- sites ----------------------------------------------------------------------------------


def insert_site(batch: Batch, values: Mapping[str, Any], *, note: str | None) -> SiteRow:
    """A new site in its first status, with its first history row (`site.report`)."""
    row = _written(batch, values)
    site_id = _insert(batch, sites, row)
    batch.audit.record("site.report", sites.name, site_id, content_hash(row), {"kind": row["kind"]})
    site = _classified(SiteRow, {"id": site_id, **row})
    _history(batch, site_history, "site_id", site_id, None, site.status, site.reported_on, note)
    return site


def site_in_batch(batch: Batch, site_id: int) -> SiteRow:
    """Site `site_id` as the batch's principal sees it; NotFoundError if absent or hidden."""
    row = _visible_row(batch.connection, sites, site_id, batch.by)
    if row is None:
        raise NotFoundError(f"no site with id {site_id}")
    return _classified(SiteRow, row)


def move_site(
    batch: Batch, site: SiteRow, to_status: str, changed_on: dt.date, note: str | None
) -> StatusChangeRow:
    """Set the site's status if it is still the one read (ConflictError if another writer
    moved it meanwhile), with its history row and audit entries (`site.status`)."""
    _set_status(batch, sites, site.id, site.status, {"status": to_status}, "site")
    values = {**_fields(site), "status": to_status}
    batch.audit.record(
        "site.status",
        sites.name,
        site.id,
        content_hash(values),
        {"status": {"was": site.status, "now": to_status}, "on": changed_on.isoformat()},
    )
    return _history(
        batch, site_history, "site_id", site.id, site.status, to_status, changed_on, note
    )


def last_change(batch: Batch, table: sa.Table, column: str, subject_id: int) -> dt.date | None:
    """The day of the latest history row of a site or position."""
    value: dt.date | None = batch.connection.execute(
        sa.select(sa.func.max(table.c.changed_on)).where(table.c[column] == subject_id)
    ).scalar_one()
    return value


def read_site(store: Store, site_id: int, *, viewer: Principal) -> SiteRecord:
    """Site `site_id` with its history and the links `viewer` may see; NotFoundError if there
    is none or `viewer` may not see it."""
    with store.reading("reading a site") as connection:
        row = _visible_row(connection, sites, site_id, viewer)
        if row is None:
            raise NotFoundError(f"no site with id {site_id}")
        history = _history_of(connection, site_history, "site_id", [site_id])
        links = _visible_links(connection, [site_id], viewer)
        return SiteRecord(_classified(SiteRow, row), tuple(history), tuple(links))


def read_site_page(
    store: Store, page: Page, *, viewer: Principal, zone: str | None = None
) -> tuple[list[SiteRow], int]:
    """A page of the sites `viewer` may see with the given column values (and in `zone`),
    the last reported first, and how many there are in all."""
    conditions = [visible_to(sites, viewer), *(sites.c[k] == v for k, v in page.equal.items())]
    statement = (
        sa.select(sites).where(*conditions).order_by(sites.c.reported_on.desc(), sites.c.id.desc())
    )
    with store.reading("listing sites") as connection:
        if zone is None:
            total = connection.execute(
                sa.select(sa.func.count()).select_from(sites).where(*conditions)
            ).scalar_one()
            paged = statement.limit(page.limit).offset(page.offset)
            return [_classified(SiteRow, r) for r in connection.execute(paged).mappings()], total
        rows = [_classified(SiteRow, row) for row in connection.execute(statement).mappings()]
    # zones are a JSON list: filtered here, alike on both dialects
    rows = [row for row in rows if zone in row.zones]
    end = None if page.limit is None else page.offset + page.limit
    return rows[page.offset : end], len(rows)


def read_sites_with_history(
    store: Store, *, viewer: Principal
) -> list[tuple[SiteRow, list[StatusChangeRow]]]:
    """Every site `viewer` may see with its history, in one transaction (for the figures)."""
    with store.reading("counting sites") as connection:
        rows = [
            _classified(SiteRow, row)
            for row in connection.execute(
                sa.select(sites).where(visible_to(sites, viewer)).order_by(sites.c.id)
            ).mappings()
        ]
        history = _history_of(connection, site_history, "site_id", [row.id for row in rows])
    by_site: dict[int, list[StatusChangeRow]] = {row.id: [] for row in rows}
    for change in history:
        by_site[change.subject_id].append(change)
    return [(row, by_site[row.id]) for row in rows]


def link_site_rows(
    batch: Batch, site_id: int, *, incident_ids: Collection[int], evidence_ids: Collection[int]
) -> tuple[list[int], list[int]]:
    """Link incidents and evidence files the batch's principal may see to the site; the ids
    newly linked of each (those linked already are left as they are). NotFoundError naming
    the ids it may not see, linking none."""
    incidents_wanted = sorted(set(incident_ids))
    evidence_wanted = sorted(set(evidence_ids))
    seen_incidents = visible_incident_ids(batch.connection, incidents_wanted, batch.by)
    _check_all_found("incident", incidents_wanted, seen_incidents)
    possible = [pk for pk in evidence_wanted if 0 < pk <= MAX_ID]
    seen_evidence = set(
        batch.connection.execute(
            sa.select(evidence_files.c.id).where(
                evidence_files.c.id.in_(possible), visible_to(evidence_files, batch.by)
            )
        ).scalars()
    )
    _check_all_found("evidence", evidence_wanted, seen_evidence)
    existing = batch.connection.execute(
        sa.select(site_links.c.incident_id, site_links.c.evidence_id).where(
            site_links.c.site_id == site_id
        )
    ).all()
    linked_incidents = {row.incident_id for row in existing if row.incident_id is not None}
    linked_evidence = {row.evidence_id for row in existing if row.evidence_id is not None}
    new_incidents = [pk for pk in incidents_wanted if pk not in linked_incidents]
    new_evidence = [pk for pk in evidence_wanted if pk not in linked_evidence]
    for column, ids in (("incident_id", new_incidents), ("evidence_id", new_evidence)):
        for target in ids:
            values = _written(batch, {"site_id": site_id, column: target})
            link_id = _insert(batch, site_links, values)
            batch.audit.record(
                f"site.{column.removesuffix('_id')}.link",
                site_links.name,
                link_id,
                content_hash(values),
                {"site": site_id, column: target},
            )
    return new_incidents, new_evidence


# --- positions ------------------------------------------------------------------------------


def insert_position(
    batch: Batch, values: Mapping[str, Any], *, changed_on: dt.date, note: str | None
) -> PositionRow:
    """A new position, held, with its first history row (`position.add`)."""
    row = _written(batch, values)
    position_id = _insert(batch, positions, row)
    batch.audit.record(
        "position.add",
        positions.name,
        position_id,
        content_hash(row),
        {"holder": row["holder_party"], "pack_place": row["pack_place"]},
    )
    position = _classified(PositionRow, {"id": position_id, **row})
    _history(
        batch, position_history, "position_id", position_id, None, position.status, changed_on, note
    )
    return position


def position_in_batch(batch: Batch, position_id: int) -> PositionRow:
    row = _visible_row(batch.connection, positions, position_id, batch.by)
    if row is None:
        raise NotFoundError(f"no position with id {position_id}")
    return _classified(PositionRow, row)


def move_position(
    batch: Batch, position: PositionRow, to_status: str, changed_on: dt.date, note: str | None
) -> StatusChangeRow:
    """Set the position's status (ConflictError if another writer moved it meanwhile), with
    its history row and audit entries (`position.status`)."""
    changes = {"status": to_status, "status_on": changed_on}
    _set_status(batch, positions, position.id, position.status, changes, "position")
    values = {**_fields(position), **changes}
    batch.audit.record(
        "position.status",
        positions.name,
        position.id,
        content_hash(values),
        {"status": {"was": position.status, "now": to_status}, "on": changed_on.isoformat()},
    )
    return _history(
        batch,
        position_history,
        "position_id",
        position.id,
        position.status,
        to_status,
        changed_on,
        note,
    )


def seeded_pack_places(batch: Batch) -> set[str]:
    """The pack places every stored position was seeded from, whoever may see it (the
    seeding is the chair's or the system's, who see everything)."""
    statement = sa.select(positions.c.pack_place).where(positions.c.pack_place.is_not(None))
    return set(batch.connection.execute(statement).scalars())


def read_position(store: Store, position_id: int, *, viewer: Principal) -> PositionRecord:
    with store.reading("reading a position") as connection:
        row = _visible_row(connection, positions, position_id, viewer)
        if row is None:
            raise NotFoundError(f"no position with id {position_id}")
        history = _history_of(connection, position_history, "position_id", [position_id])
        return PositionRecord(_classified(PositionRow, row), tuple(history))


def read_positions(store: Store, page: Page, *, viewer: Principal) -> list[PositionRecord]:
    """The positions `viewer` may see with the given column values, with their histories,
    by id (every one: `page.limit` and `page.offset` are applied by the caller)."""
    conditions = [
        visible_to(positions, viewer),
        *(positions.c[k] == v for k, v in page.equal.items()),
    ]
    with store.reading("listing positions") as connection:
        rows = [
            _classified(PositionRow, row)
            for row in connection.execute(
                sa.select(positions).where(*conditions).order_by(positions.c.id)
            ).mappings()
        ]
        history = _history_of(connection, position_history, "position_id", [r.id for r in rows])
    by_position: dict[int, list[StatusChangeRow]] = {row.id: [] for row in rows}
    for change in history:
        by_position[change.subject_id].append(change)
    return [PositionRecord(row, tuple(by_position[row.id])) for row in rows]


# --- the economic zone ----------------------------------------------------------------------


def insert_zone_version(batch: Batch, values: Mapping[str, Any]) -> ZoneVersionRow:
    """A new version of a zone's geometry, numbered after every stored one (`zone.version`)."""
    latest = batch.connection.execute(
        sa.select(sa.func.max(zone_versions.c.number)).where(
            zone_versions.c.zone_id == values["zone_id"]
        )
    ).scalar_one()
    row = _written(batch, {**values, "number": (latest or 0) + 1})
    version_id = _insert(batch, zone_versions, row)
    batch.audit.record(
        "zone.version",
        zone_versions.name,
        version_id,
        content_hash(row),
        {"zone": row["zone_id"], "number": row["number"]},
    )
    return _classified(ZoneVersionRow, {"id": version_id, **row})


def zone_versions_seen(
    connection: Connection, zone_id: str, viewer: Principal
) -> list[ZoneVersionRow]:
    """The stored versions of a zone `viewer` may see, by number."""
    statement = (
        sa.select(zone_versions)
        .where(zone_versions.c.zone_id == zone_id, visible_to(zone_versions, viewer))
        .order_by(zone_versions.c.number)
    )
    return [_classified(ZoneVersionRow, row) for row in connection.execute(statement).mappings()]


def read_zone_versions(store: Store, zone_id: str, *, viewer: Principal) -> list[ZoneVersionRow]:
    with store.reading("reading a zone's versions") as connection:
        return zone_versions_seen(connection, zone_id, viewer)


def check_proposal_seen(batch: Batch, proposal_id: int) -> None:
    """NotFoundError unless the batch's principal may see proposal `proposal_id`."""
    if _visible_row(batch.connection, proposals, proposal_id, batch.by) is None:
        raise NotFoundError(f"no proposal with id {proposal_id}")


def insert_project(batch: Batch, values: Mapping[str, Any], *, on: dt.date) -> ProjectRow:
    row = _written(batch, values)
    project_id = _insert(batch, zone_projects, row)
    batch.audit.record(
        "zone.project.add",
        zone_projects.name,
        project_id,
        content_hash(row),
        {"zone": row["zone_id"], "status": row["status"]},
    )
    _history(batch, project_history, "project_id", project_id, None, row["status"], on, None)
    return _classified(ProjectRow, {"id": project_id, **row})


def project_in_batch(batch: Batch, project_id: int) -> ProjectRow:
    row = _visible_row(batch.connection, zone_projects, project_id, batch.by)
    if row is None:
        raise NotFoundError(f"no project with id {project_id}")
    return _classified(ProjectRow, row)


def move_project(
    batch: Batch, project: ProjectRow, to_status: str, note: str | None, *, on: dt.date
) -> ProjectRow:
    """Set a project's status, with a row of its history."""
    _set_status(batch, zone_projects, project.id, project.status, {"status": to_status}, "project")
    _history(batch, project_history, "project_id", project.id, project.status, to_status, on, note)
    values = {**_fields(project), "status": to_status}
    batch.audit.record(
        "zone.project.status",
        zone_projects.name,
        project.id,
        content_hash(values),
        {"status": {"was": project.status, "now": to_status}, "note": note},
    )
    return _classified(ProjectRow, {"id": project.id, **values})


def read_project(store: Store, project_id: int, *, viewer: Principal) -> ProjectRow:
    with store.reading("reading a project") as connection:
        row = _visible_row(connection, zone_projects, project_id, viewer)
    if row is None:
        raise NotFoundError(f"no project with id {project_id}")
    return _classified(ProjectRow, row)


def read_project_history(
    store: Store, project_ids: Sequence[int]
) -> dict[int, list[StatusChangeRow]]:
    """The history of each of these projects (ids the caller has read as visible), oldest
    first."""
    found: dict[int, list[StatusChangeRow]] = {pk: [] for pk in project_ids}
    with store.reading("reading projects' history") as connection:
        for change in _history_of(connection, project_history, "project_id", project_ids):
            found[change.subject_id].append(change)
    return found


def read_projects(store: Store, page: Page, *, viewer: Principal) -> tuple[list[ProjectRow], int]:
    """A page of the projects `viewer` may see with the given column values, by id."""
    conditions = [
        visible_to(zone_projects, viewer),
        *(zone_projects.c[k] == v for k, v in page.equal.items()),
    ]
    with store.reading("listing projects") as connection:
        total = connection.execute(
            sa.select(sa.func.count()).select_from(zone_projects).where(*conditions)
        ).scalar_one()
        statement = (
            sa.select(zone_projects)
            .where(*conditions)
            .order_by(zone_projects.c.id)
            .limit(page.limit)
            .offset(page.offset)
        )
        rows = [_classified(ProjectRow, row) for row in connection.execute(statement).mappings()]
    return rows, total


def read_incident_points(
    store: Store,
    *,
    viewer: Principal,
    bbox: tuple[float, float, float, float],
    start: dt.date | None,
    end: dt.date | None,
) -> list[IncidentPoint]:
    """The member events of active incidents that `viewer` may see, placed inside `bbox`
    (min_lon, min_lat, max_lon, max_lat) and dated within [start, end] (when given)."""
    min_lon, min_lat, max_lon, max_lat = bbox
    conditions: list[sa.ColumnElement[bool]] = [
        incidents.c.retired_at.is_(None),
        incident_members.c.removed_at.is_(None),
        visible_to(events, viewer),
        events.c.latitude.between(min_lat, max_lat),
        events.c.longitude.between(min_lon, max_lon),
    ]
    if start is not None:
        conditions.append(events.c.event_date >= start)
    if end is not None:
        conditions.append(events.c.event_date <= end)
    statement = (
        sa.select(
            incident_members.c.incident_id,
            events.c.id,
            events.c.event_date,
            events.c.latitude,
            events.c.longitude,
            events.c.location,
            events.c.event_type,
        )
        .select_from(
            incident_members.join(incidents, incidents.c.id == incident_members.c.incident_id).join(
                events, events.c.id == incident_members.c.event_id
            )
        )
        .where(*conditions)
        .order_by(incident_members.c.incident_id, events.c.id)
    )
    with store.reading("reading incidents in a zone") as connection:
        return [
            IncidentPoint(
                incident_id=row.incident_id,
                event_id=row.id,
                event_date=row.event_date,
                latitude=row.latitude,
                longitude=row.longitude,
                location=row.location,
                event_type=row.event_type,
            )
            for row in connection.execute(statement)
        ]


# --- helpers --------------------------------------------------------------------------------


def _written(batch: Batch, values: Mapping[str, Any]) -> dict[str, Any]:
    """The values with who wrote them and when."""
    return {**values, "created_by": batch.by.name, "created_at": dt.datetime.now(dt.UTC)}


def _insert(batch: Batch, table: sa.Table, values: Mapping[str, Any]) -> int:
    new_id: int = batch.connection.execute(
        sa.insert(table).values(dict(values)).returning(table.c.id)
    ).scalar_one()
    return new_id


def _classified(kind: type[_Row], row: Mapping[str, Any] | RowMapping) -> _Row:
    values = dict(row)
    if "classification" in values:
        values["classification"] = Classification(values["classification"])
    return kind(**values)


def _fields(record: object) -> dict[str, Any]:
    """A record's stored values as written (without its id), for the audit's content hash."""
    values = {k: v for k, v in vars(record).items() if k != "id"}
    if isinstance(values.get("classification"), Classification):
        values["classification"] = values["classification"].value
    return values


def _visible_row(
    connection: Connection, table: sa.Table, pk: int, viewer: Principal
) -> RowMapping | None:
    if not 0 < pk <= MAX_ID:
        return None
    statement = sa.select(table).where(table.c.id == pk, visible_to(table, viewer))
    return connection.execute(statement).mappings().first()


def _set_status(
    batch: Batch,
    table: sa.Table,
    pk: int,
    was: str,
    changes: Mapping[str, Any],
    what: str,
) -> None:
    changed = batch.connection.execute(
        sa.update(table).where(table.c.id == pk, table.c.status == was).values(dict(changes))
    ).rowcount
    if changed != 1:
        raise ConflictError(f"{what} {pk} changed while it was being updated; try again")


def _history(
    batch: Batch,
    table: sa.Table,
    column: str,
    subject_id: int,
    from_status: str | None,
    to_status: str,
    changed_on: dt.date,
    note: str | None,
) -> StatusChangeRow:
    values = _written(
        batch,
        {
            column: subject_id,
            "from_status": from_status,
            "to_status": to_status,
            "changed_on": changed_on,
            "note": note,
        },
    )
    change_id = _insert(batch, table, values)
    subject = column.removesuffix("_id")
    batch.audit.record(
        f"{subject}.history",
        table.name,
        change_id,
        content_hash(values),
        {subject: subject_id, "from": from_status, "to": to_status, "by": batch.by.name},
    )
    return StatusChangeRow(
        id=change_id,
        subject_id=subject_id,
        from_status=from_status,
        to_status=to_status,
        changed_on=changed_on,
        note=note,
        created_by=values["created_by"],
        created_at=values["created_at"],
    )


def _history_of(
    connection: Connection, table: sa.Table, column: str, ids: Sequence[int]
) -> list[StatusChangeRow]:
    found: list[StatusChangeRow] = []
    for chunk in chunks(sorted(ids)):
        statement = (
            sa.select(table)
            .where(table.c[column].in_(chunk))
            .order_by(table.c[column], table.c.changed_on, table.c.id)
        )
        for row in connection.execute(statement).mappings():
            found.append(
                StatusChangeRow(
                    id=row["id"],
                    subject_id=row[column],
                    from_status=row["from_status"],
                    to_status=row["to_status"],
                    changed_on=row["changed_on"],
                    note=row["note"],
                    created_by=row["created_by"],
                    created_at=row["created_at"],
                )
            )
    return found


def _visible_links(
    connection: Connection, site_ids: Sequence[int], viewer: Principal
) -> list[SiteLinkRow]:
    """The site links of an incident or evidence file `viewer` may see."""
    statement = (
        sa.select(site_links)
        .outerjoin(evidence_files, evidence_files.c.id == site_links.c.evidence_id)
        .where(
            site_links.c.site_id.in_(site_ids),
            sa.or_(site_links.c.evidence_id.is_(None), visible_to(evidence_files, viewer)),
        )
        .order_by(site_links.c.id)
    )
    links = [SiteLinkRow(**row) for row in connection.execute(statement).mappings()]
    shown = visible_incident_ids(
        connection, [link.incident_id for link in links if link.incident_id is not None], viewer
    )
    return [link for link in links if link.incident_id is None or link.incident_id in shown]


def _check_all_found(kind: str, wanted: Sequence[int], seen: Collection[int]) -> None:
    missing = [pk for pk in wanted if pk not in seen]
    if missing:
        raise NotFoundError(f"no {kind} with id {', '.join(str(pk) for pk in missing)}")
