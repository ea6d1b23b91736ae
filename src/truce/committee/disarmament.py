"""Disarmament and deployment: the arms plan's phases with their status over time, sites and
caches with their status and links, and figures in the manner of UNIFIL's (positions are
`truce.committee.positions`).

The life of a site, as data (`SITE_TRANSITIONS`)::

    reported ──▶ referred ──▶ dismantled ──▶ verified        (one step at a time)

A move not in the table for the site's status is a ConflictError naming the status and what
it allows; each move is a site_history row and an audit entry naming who. Who may write: see
`truce.committee.record_fields` (a delegate only its own party's records). Every record is
classified (default: committee) and read for a viewer: one it may not see is NotFoundError,
like a missing one, and is left out of every list and count.

A phase's status is the pack's (`agreement.yaml`, as of the plan's `as_of`) until an update
the viewer may see, as of that day or later, says otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

from truce.committee.positions import (
    ARMY_HOLDER,
    PACK_POSITIONS_HOLDER,
    PositionStatus,
    all_positions,
)
from truce.committee.record_fields import (
    MAX_TEXT,
    MAX_TITLE,
    StatusChange,
    access_values,
    change_of,
    check_after,
    check_move,
    check_page,
    check_period,
    choice,
    optional_point,
    optional_text,
    pack_party,
    past_day,
    required_text,
    today,
    zone_index,
)
from truce.core.access import Classification, Principal
from truce.core.errors import InputError
from truce.store import Store
from truce.store import disarmament as rows
from truce.store.committee_schema import site_history
from truce.store.disarmament import Page
from truce.theatre import TheatrePack, load_pack
from truce.theatre.agreement import Phase, PhaseStatus

PHASE_STATUSES: Final = ("planned", "in-progress", "reported-complete", "suspended")


class SiteKind(StrEnum):
    CACHE = "cache"
    DEPOT = "depot"
    LAUNCHER = "launcher"
    TUNNEL = "tunnel"
    FACILITY = "facility"
    POSITION = "position"  # an armed group's


class SiteStatus(StrEnum):
    REPORTED = "reported"
    REFERRED = "referred"  # to the army, for action
    DISMANTLED = "dismantled"
    VERIFIED = "verified"  # seen dismantled by the monitors


SITE_TRANSITIONS: Final[Mapping[SiteStatus, tuple[SiteStatus, ...]]] = {
    SiteStatus.REPORTED: (SiteStatus.REFERRED,),
    SiteStatus.REFERRED: (SiteStatus.DISMANTLED,),
    SiteStatus.DISMANTLED: (SiteStatus.VERIFIED,),
    SiteStatus.VERIFIED: (),
}

# --- records --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PhaseUpdate:
    """One status of a phase: the pack's (`id` None, `from_pack`) or one recorded since."""

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
    from_pack: bool = False


@dataclass(frozen=True)
class PhaseState:
    """A phase of the plan with its latest status the viewer may see and its history (the
    pack's first, then the updates, by as-of day)."""

    id: str
    order: int
    name: str
    areas: tuple[str, ...]
    status: str
    as_of: dt.date
    started: dt.date | None
    target: dt.date | None
    completed: dt.date | None
    uncertain: tuple[str, ...]
    history: tuple[PhaseUpdate, ...]


@dataclass(frozen=True)
class PlanStatus:
    id: str
    name: str
    summary: str
    decided: dt.date | None
    phases: tuple[PhaseState, ...]


@dataclass(frozen=True)
class NewSite:
    """A site or cache to report. A delegate reports for its own party (`owner_party`
    defaults to it); `reported_by_party` is who reported it (default: the owner party)."""

    kind: SiteKind | str
    name: str
    reported_on: dt.date
    latitude: float | None = None
    longitude: float | None = None
    reported_by_party: str | None = None
    note: str | None = None
    classification: Classification = Classification.COMMITTEE
    owner_party: str | None = None


@dataclass(frozen=True)
class Site:
    id: int
    kind: SiteKind
    name: str
    latitude: float | None
    longitude: float | None
    zones: tuple[str, ...]
    status: SiteStatus
    reported_on: dt.date
    reported_by_party: str | None
    created_by: str
    created_at: dt.datetime
    classification: Classification
    owner_party: str | None


@dataclass(frozen=True)
class SiteView(Site):
    """A site with its history (oldest first), the incidents and evidence linked to it that
    the viewer may see, and the statuses it may move to next."""

    history: tuple[StatusChange, ...]
    incident_ids: tuple[int, ...]
    evidence_ids: tuple[int, ...]
    next_statuses: tuple[SiteStatus, ...]


@dataclass(frozen=True)
class SitePage:
    items: list[Site]
    total: int
    limit: int
    offset: int


@dataclass(frozen=True)
class SiteLinks:
    """What a link request added (ids linked already are left out)."""

    site_id: int
    incident_ids: list[int]
    evidence_ids: list[int]


@dataclass(frozen=True)
class StatusCounts:
    """Sites moved to each status (a site reported and referred in one month counts in
    both)."""

    reported: int = 0
    referred: int = 0
    dismantled: int = 0
    verified: int = 0


@dataclass(frozen=True)
class SiteFigure:
    month: str  # YYYY-MM
    zone: str
    counts: StatusCounts


@dataclass(frozen=True)
class DisarmamentFigures:
    """Figures over [start, end] (open ends: everything), of what the viewer may see.

    Sites count by the day each reached a status, by month and by zone (a site counts in
    every zone it lies in; one with no point in none). Positions: army positions established
    in the period; positions supported (by UNIFIL, say) and Israeli-held positions still
    held at the end of the period (today when open); positions withdrawn or handed over in
    the period. `sites_by_current_status`: every site the viewer sees, by its status now."""

    start: dt.date | None
    end: dt.date | None
    sites: StatusCounts
    by_month: dict[str, StatusCounts]
    by_zone: dict[str, StatusCounts]
    by_zone_and_month: tuple[SiteFigure, ...]
    army_positions_established: int
    positions_supported: int
    israeli_positions_held: int
    positions_withdrawn: int
    sites_by_current_status: StatusCounts = field(default_factory=StatusCounts)


# --- the plan's phases ----------------------------------------------------------------------


def plan_status(store: Store, *, viewer: Principal, pack: TheatrePack | None = None) -> PlanStatus:
    """Each phase of the pack's plan with its latest status `viewer` may see, and its history
    (the pack's status first, as of the plan's `as_of`; then the updates, by as-of day)."""
    loaded = pack or load_pack()
    plan = loaded.agreement.plan
    if plan is None:
        raise InputError(f"theatre pack {loaded.name!r} has no plan", source="pack")
    updates: dict[str, list[PhaseUpdate]] = {}
    for row in rows.read_phase_updates(store, viewer=viewer):
        updates.setdefault(row.phase_id, []).append(_phase_update(row))
    phases = []
    for phase in loaded.agreement.phases:
        base = _pack_update(phase, plan.as_of)
        history = sorted(
            [base, *updates.get(phase.id, [])],
            key=lambda u: (u.as_of, not u.from_pack, u.id or 0),
        )
        latest = history[-1]
        phases.append(
            PhaseState(
                id=phase.id,
                order=phase.order,
                name=phase.name,
                areas=tuple(phase.areas),
                status=latest.status,
                as_of=latest.as_of,
                started=phase.started,
                target=phase.target,
                completed=phase.completed,
                uncertain=tuple(phase.uncertain),
                history=tuple(history),
            )
        )
    return PlanStatus(
        id=plan.id, name=plan.name, summary=plan.summary, decided=plan.decided, phases=tuple(phases)
    )


def record_phase_update(
    store: Store,
    phase_id: str,
    status: PhaseStatus | str,
    *,
    by: Principal,
    as_of: dt.date | None = None,
    note: str | None = None,
    source: str | None = None,
    classification: Classification = Classification.COMMITTEE,
    owner_party: str | None = None,
    pack: TheatrePack | None = None,
) -> PhaseUpdate:
    """Record a phase's status as of a day (default today): InputError for a phase the plan
    lacks, a status not among the pack's, or a day in the future."""
    loaded = pack or load_pack()
    known = [phase.id for phase in loaded.agreement.phases]
    if phase_id not in known:
        raise InputError(
            f"no phase {phase_id!r}; the plan has {', '.join(known) or 'none'}", source="phase_id"
        )
    if status not in PHASE_STATUSES:
        raise InputError(
            f"{status!r} is not a phase status; one of {', '.join(PHASE_STATUSES)}",
            source="status",
        )
    day = past_day(as_of or today(), "as_of")
    values = {
        "phase_id": phase_id,
        "status": str(status),
        "as_of": day,
        "note": optional_text(note, "note", MAX_TEXT),
        "source": optional_text(source, "source", MAX_TITLE),
        **access_values(by, classification, owner_party, loaded),
    }
    with store.transaction(by=by) as batch:
        row = rows.insert_phase_update(batch, values)
    return _phase_update(row)


# --- sites ----------------------------------------------------------------------------------


def report_site(
    store: Store, new: NewSite, *, by: Principal, pack: TheatrePack | None = None
) -> SiteView:
    """Record a site or cache, reported; its zones are tagged from its point now."""
    loaded = pack or load_pack()
    kind = choice(SiteKind, new.kind, "kind")
    point = optional_point(new.latitude, new.longitude)
    access = access_values(by, new.classification, new.owner_party, loaded)
    reporter = new.reported_by_party or access["owner_party"]
    values = {
        "kind": kind.value,
        "name": required_text(new.name, "name", MAX_TITLE),
        "latitude": None if point is None else point[0],
        "longitude": None if point is None else point[1],
        "zones": [] if point is None else zone_index(loaded).ids_at(*point),
        "status": SiteStatus.REPORTED.value,
        "reported_on": past_day(new.reported_on, "reported_on"),
        "reported_by_party": None
        if reporter is None
        else pack_party(loaded, reporter, "reported_by_party"),
        **access,
    }
    note = optional_text(new.note, "note", MAX_TEXT)
    with store.transaction(by=by) as batch:
        site = rows.insert_site(batch, values, note=note)
    return get_site(store, site.id, viewer=by)


def move_site(
    store: Store,
    site_id: int,
    status: SiteStatus | str,
    *,
    by: Principal,
    on: dt.date | None = None,
    note: str | None = None,
) -> SiteView:
    """Move a site to its next status on a day (default today): ConflictError if its status
    does not lead there (naming what it allows), InputError for a day in the future or before
    its last change, PermissionDeniedError unless `by` may write records of its party."""
    target = choice(SiteStatus, status, "status")
    day = past_day(on or today(), "on")
    note = optional_text(note, "note", MAX_TEXT)
    with store.transaction(by=by) as batch:
        site = rows.site_in_batch(batch, site_id)
        by.check_may_create(site.classification, site.owner_party)
        check_move("site", site.id, SiteStatus(site.status), target, SITE_TRANSITIONS)
        check_after(day, rows.last_change(batch, site_history, "site_id", site.id))
        rows.move_site(batch, site, target.value, day, note)
    return get_site(store, site_id, viewer=by)


def link_site(
    store: Store,
    site_id: int,
    *,
    by: Principal,
    incident_ids: Collection[int] = (),
    evidence_ids: Collection[int] = (),
) -> SiteLinks:
    """Link incidents and evidence files `by` may see to a site (NotFoundError naming those
    it may not see, linking none); linking again changes nothing."""
    if not incident_ids and not evidence_ids:
        raise InputError("give incidents or evidence files to link", source="links")
    with store.transaction(by=by) as batch:
        site = rows.site_in_batch(batch, site_id)
        by.check_may_create(site.classification, site.owner_party)
        new_incidents, new_evidence = rows.link_site_rows(
            batch, site.id, incident_ids=incident_ids, evidence_ids=evidence_ids
        )
    return SiteLinks(site_id=site_id, incident_ids=new_incidents, evidence_ids=new_evidence)


def get_site(store: Store, site_id: int, *, viewer: Principal) -> SiteView:
    """The site as `viewer` sees it; NotFoundError if there is none or it may not see it."""
    record = rows.read_site(store, site_id, viewer=viewer)
    site = site_of(record.site)
    return SiteView(
        **vars(site),
        history=tuple(change_of(row) for row in record.history),
        incident_ids=tuple(link.incident_id for link in record.links if link.incident_id),
        evidence_ids=tuple(link.evidence_id for link in record.links if link.evidence_id),
        next_statuses=SITE_TRANSITIONS[site.status],
    )


def list_sites(
    store: Store,
    *,
    viewer: Principal,
    status: SiteStatus | str | None = None,
    kind: SiteKind | str | None = None,
    zone: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> SitePage:
    """A page of the sites `viewer` may see, the last reported first."""
    check_page(limit, offset)
    equal: dict[str, object] = {}
    if status is not None:
        equal["status"] = choice(SiteStatus, status, "status").value
    if kind is not None:
        equal["kind"] = choice(SiteKind, kind, "kind").value
    found, total = rows.read_site_page(store, Page(equal, limit, offset), viewer=viewer, zone=zone)
    return SitePage([site_of(row) for row in found], total, limit, offset)


# --- figures --------------------------------------------------------------------------------


def disarmament_figures(
    store: Store,
    *,
    viewer: Principal,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> DisarmamentFigures:
    """The figures of `DisarmamentFigures` over [start, end], of what `viewer` may see."""
    check_period(start, end)

    def within(day: dt.date | None) -> bool:
        return day is not None and (start is None or start <= day) and (end is None or day <= end)

    moves: Counter[tuple[str, str, str]] = Counter()  # (month, zone, status)
    totals: Counter[str] = Counter()
    by_month: Counter[tuple[str, str]] = Counter()
    current: Counter[str] = Counter()
    for site, history in rows.read_sites_with_history(store, viewer=viewer):
        current[site.status] += 1
        for change in history:
            if not within(change.changed_on):
                continue
            month = change.changed_on.strftime("%Y-%m")
            totals[change.to_status] += 1
            by_month[month, change.to_status] += 1
            for zone in site.zones:
                moves[month, zone, change.to_status] += 1
    positions = all_positions(store, viewer=viewer)
    last = end or today()
    by_zone: Counter[tuple[str, str]] = Counter()
    for (_, zone, status), count in moves.items():
        by_zone[zone, status] += count
    cells = sorted({(month, zone) for month, zone, _ in moves})
    return DisarmamentFigures(
        start=start,
        end=end,
        sites=_counts(totals),
        by_month={
            month: _counts({s: n for (m, s), n in by_month.items() if m == month})
            for month in sorted({m for m, _ in by_month})
        },
        by_zone={
            zone: _counts({s: n for (z, s), n in by_zone.items() if z == zone})
            for zone in sorted({z for z, _ in by_zone})
        },
        by_zone_and_month=tuple(
            SiteFigure(
                month,
                zone,
                _counts({s: n for (m, z, s), n in moves.items() if (m, z) == (month, zone)}),
            )
            for month, zone in cells
        ),
        army_positions_established=sum(
            1 for p in positions if p.holder_party == ARMY_HOLDER and within(p.established_on)
        ),
        positions_supported=sum(
            1 for p in positions if p.supported_by and p.status_at(last) is PositionStatus.HELD
        ),
        israeli_positions_held=sum(
            1
            for p in positions
            if p.holder_party == PACK_POSITIONS_HOLDER and p.status_at(last) is PositionStatus.HELD
        ),
        positions_withdrawn=sum(
            1
            for p in positions
            for change in p.history
            if change.from_status is not None and within(change.changed_on)
        ),
        sites_by_current_status=_counts(current),
    )


# --- helpers --------------------------------------------------------------------------------


def _counts(counts: Mapping[str, int]) -> StatusCounts:
    return StatusCounts(**{status.value: counts.get(status.value, 0) for status in SiteStatus})


def _phase_update(row: rows.PhaseUpdateRow) -> PhaseUpdate:
    return PhaseUpdate(
        id=row.id,
        phase_id=row.phase_id,
        status=row.status,
        as_of=row.as_of,
        note=row.note,
        source=row.source,
        created_by=row.created_by,
        created_at=row.created_at,
        classification=row.classification,
        owner_party=row.owner_party,
    )


def _pack_update(phase: Phase, as_of: dt.date) -> PhaseUpdate:
    return PhaseUpdate(
        id=None,
        phase_id=phase.id,
        status=phase.status,
        as_of=as_of,
        note=phase.note or None,
        source="; ".join(phase.sources) or None,
        created_by=None,
        created_at=None,
        classification=Classification.PUBLIC,
        owner_party=None,
        from_pack=True,
    )


def site_of(row: rows.SiteRow) -> Site:
    return Site(
        id=row.id,
        kind=SiteKind(row.kind),
        name=row.name,
        latitude=row.latitude,
        longitude=row.longitude,
        zones=tuple(row.zones),
        status=SiteStatus(row.status),
        reported_on=row.reported_on,
        reported_by_party=row.reported_by_party,
        created_by=row.created_by,
        created_at=row.created_at,
        classification=row.classification,
        owner_party=row.owner_party,
    )
