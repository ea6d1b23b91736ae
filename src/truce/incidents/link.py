"""Linking events into incidents: blocking, pair checks, complete-linkage-guarded merging."""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections import defaultdict, deque
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Final, TypeVar

from truce.core.errors import InputError
from truce.core.models import Event
from truce.core.vocab import GeoPrecision, Modality, Plover
from truce.incidents.similarity import (
    Features,
    LinkDecision,
    LinkSettings,
    check_pair,
    decide,
    features,
    published_utc,
)

_DEFAULT_SETTINGS: Final = LinkSettings()
_Value = TypeVar("_Value", str, int)

#: km per degree of latitude on the haversine sphere, a little under so cells are never small
_KM_PER_DEGREE = 111.0
_MAX_BLOCK_LATITUDE = 89.0


@dataclass(frozen=True, slots=True)
class LinkableEvent:
    """An extracted event as the linker sees it: with its document, outlet and date."""

    id: int
    event: Event
    document: str  # two events of one document are never merged
    source: str | None = None  # the outlet, for counting independent sources
    published: dt.datetime | dt.date | None = None


@dataclass(frozen=True, slots=True)
class Member:
    """One event of an incident, and why it is there."""

    id: int
    document: str
    source: str | None
    published: dt.datetime | None  # UTC
    evidence: str
    score: float  # its best link to another member; 1.0 for an incident of one event, 0.0
    # when an analyst put it there and it is compatible with no other member
    linked_to: int | None  # the member of that best link


@dataclass(frozen=True, slots=True)
class IncidentCluster:
    """Events from different documents about the same happening."""

    members: tuple[Member, ...]  # by id
    representative: int  # the id of the member most alike to the others
    event_type: str | None
    sub_event_type: str | None
    plover: Plover | None
    modality: Modality
    start: dt.date | None
    end: dt.date | None
    location: str | None
    admin1: str | None  # the representative's, else the members' most common
    country: str | None
    latitude: float | None  # centroid of the members placed most precisely
    longitude: float | None
    geo_precision: GeoPrecision | None  # the best of the members'; None when none is placed
    actor1: str | None  # the representative's, else the members' most common
    actor2: str | None
    fatalities: int | None  # the figure most members report (ties: the lower); None if none
    sources: tuple[str, ...]  # distinct outlets, sorted
    independent_sources: int  # distinct outlets, plus each document with no outlet
    first_reported: dt.datetime | None
    last_reported: dt.datetime | None

    @property
    def ids(self) -> tuple[int, ...]:
        return tuple(m.id for m in self.members)

    @property
    def documents(self) -> tuple[str, ...]:
        return tuple(sorted({m.document for m in self.members}))


def explain_link(a: LinkableEvent, b: LinkableEvent, settings: LinkSettings) -> LinkDecision:
    """Whether the linker may put `a` and `b` in one incident, and why (for the UI, tests)."""
    return decide(
        features(0, a.document, a.event, settings),
        features(1, b.document, b.event, settings),
        settings,
    )


def _cell_degrees(prepared: Sequence[Features], max_km: float) -> float:
    """A grid cell at least `max_km` wide everywhere the data lies, so neighbours suffice."""
    top = max((abs(f.lat) for f in prepared if f.point), default=0.0)
    cos = math.cos(math.radians(min(top, _MAX_BLOCK_LATITUDE)))
    return max_km / (_KM_PER_DEGREE * cos)


class _Blocks:
    """Three indexes per day, keyed with the family: grid cells, place names, regions.

    Days are added and dropped as a sweep moves through the calendar, so only the days
    within reach of the day being linked are held, not the whole index.
    """

    __slots__ = ("cell", "days")

    def __init__(self, cell: float) -> None:
        self.cell = cell
        self.days: dict[int, defaultdict[tuple[object, ...], list[int]]] = {}

    def _cell_of(self, f: Features) -> tuple[int, int]:
        return math.floor(f.lon / self.cell), math.floor(f.lat / self.cell)

    def add(self, f: Features) -> None:
        index = self.days.get(f.day)
        if index is None:
            index = self.days[f.day] = defaultdict(list)
        if f.point:
            index[(0, f.family, *self._cell_of(f))].append(f.index)
        if f.name is not None:
            index[(1, f.family, f.country, f.name)].append(f.index)
        if f.admin is not None:
            index[(2, f.family, f.country, f.admin)].append(f.index)

    def drop(self, day: int) -> None:
        self.days.pop(day, None)

    def candidates(self, f: Features) -> set[int]:
        """Every event `f`'s own probes find (its cells and neighbours, name, region)."""
        found: set[int] = set()
        cx, cy = self._cell_of(f) if f.point else (0, 0)
        for day in range(f.day - f.slack, f.day + f.slack + 1):
            index = self.days.get(day)
            if index is None:
                continue
            if f.point:
                for dx in (-1, 0, 1):
                    for dy in (-1, 0, 1):
                        hit = index.get((0, f.family, cx + dx, cy + dy))
                        if hit:
                            found.update(hit)
            if f.name is not None:
                hit = index.get((1, f.family, f.country, f.name))
                if hit:
                    found.update(hit)
            if f.region_only:
                hit = index.get((2, f.family, f.country, f.admin))
                if hit:
                    found.update(hit)
        found.discard(f.index)
        return found

    def finds(self, g: Features, f: Features) -> bool:
        """Whether `g`'s own probes find `f` (so the pair is checked once, from one side)."""
        if abs(g.day - f.day) > g.slack or g.family != f.family:
            return False
        if g.point and f.point:
            gx, gy = self._cell_of(g)
            fx, fy = self._cell_of(f)
            if abs(gx - fx) <= 1 and abs(gy - fy) <= 1:
                return True
        if g.name is not None and g.name == f.name and g.country == f.country:
            return True
        return g.region_only and g.admin == f.admin and g.country == f.country


def _scored_links(prepared: Sequence[Features], settings: LinkSettings) -> dict[int, float]:
    """Every compatible pair scoring at least `min_similarity` (key i * n + j, i < j).

    A sweep through the days: the blocks hold only the days within the widest slack of the
    day being linked. Only the links are kept: the pairs below the threshold (most of the
    candidates) are rechecked on demand by the merge, so memory grows with the links, not
    with the candidates. Undated events stay alone.
    """
    n = len(prepared)
    threshold = settings.min_similarity
    blocks = _Blocks(_cell_degrees(prepared, settings.max_km))
    dated = sorted((f for f in prepared if f.day >= 0), key=lambda f: (f.day, f.index))
    reach = max((f.slack for f in dated), default=0)
    held: deque[int] = deque()  # the days in the blocks, in order
    added = 0
    links: dict[int, float] = {}
    for f in dated:
        while added < len(dated) and dated[added].day <= f.day + reach:
            if not held or held[-1] != dated[added].day:
                held.append(dated[added].day)
            blocks.add(dated[added])
            added += 1
        while held and held[0] < f.day - reach:
            blocks.drop(held.popleft())
        i = f.index
        for j in blocks.candidates(f):
            g = prepared[j]
            if j < i and blocks.finds(g, f):
                continue  # checked from g's side
            a, b = (f, g) if i < j else (g, f)
            score = check_pair(a, b, settings)
            if score >= threshold:
                links[a.index * n + b.index] = score
    return links


class _Constraints:
    """Analyst decisions in index space: groups that start as one incident, pairs kept apart."""

    __slots__ = ("apart", "groups")

    def __init__(
        self,
        ordered: Sequence[LinkableEvent],
        together: Iterable[Collection[int]],
        apart: Iterable[tuple[int, int]],
    ) -> None:
        position = {le.id: i for i, le in enumerate(ordered)}
        n = len(ordered)
        parent = list(range(n))

        def root(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for group in together:
            known = sorted({position[e] for e in group if e in position})
            for other in known[1:]:
                ri, rj = root(known[0]), root(other)
                if ri != rj:
                    parent[max(ri, rj)] = min(ri, rj)
        components: defaultdict[int, list[int]] = defaultdict(list)
        for i in range(n):
            components[root(i)].append(i)
        self.groups = [g for g in components.values() if len(g) > 1]
        self.apart: set[int] = set()
        for pair in apart:
            a, b = pair
            if a not in position or b not in position or a == b:
                continue
            i, j = sorted((position[a], position[b]))
            if root(i) == root(j):
                raise InputError(
                    f"events {min(a, b)} and {max(a, b)} are both to be kept apart and, "
                    "through the groups given as together, in one incident",
                    source="link_events",
                )
            self.apart.add(i * n + j)


def _merge(
    prepared: Sequence[Features],
    links: dict[int, float],
    settings: LinkSettings,
    constraints: _Constraints,
) -> list[list[int]]:
    """Merge along the strongest links first; two groups merge only if every cross pair is
    compatible (complete linkage on compatibility), so no chain of links stretches an
    incident past `max_km` or the date window. Analysts' together groups start merged (even
    against the checks); their apart pairs are never both in one group."""
    n = len(prepared)
    apart = constraints.apart
    group = list(range(n))
    members: dict[int, list[int]] = {}
    for seed in constraints.groups:
        head = seed[0]
        for k in seed:
            group[k] = head
        members[head] = list(seed)

    def compatible(a: int, b: int) -> bool:
        key = a * n + b if a < b else b * n + a
        if key in apart:
            return False
        if key in links:
            return True
        lo, hi = (a, b) if a < b else (b, a)
        return check_pair(prepared[lo], prepared[hi], settings) >= 0.0

    # strongest first, ties by key; sorting the keys alone spares a tuple per link
    order = sorted(links)
    order.sort(key=links.__getitem__, reverse=True)  # stable: ties keep the key order
    for key in order:
        i, j = divmod(key, n)
        gi, gj = group[i], group[j]
        if gi == gj:
            continue
        left = members.get(gi, [i])
        right = members.get(gj, [j])
        if not all(compatible(a, b) for a in left for b in right):
            continue
        if len(left) < len(right):
            left, right, gi, gj = right, left, gj, gi
        merged = left + right
        for k in right:
            group[k] = gi
        members[gi] = merged
        members.pop(gj, None)
    return [sorted(members.get(g, [g])) for g in range(n) if group[g] == g]


def _cluster(
    indices: Sequence[int],
    events: Sequence[LinkableEvent],
    prepared: Sequence[Features],
    settings: LinkSettings,
) -> IncidentCluster:
    """The incident made of these members; pair scores are recomputed within it (a pair an
    analyst put together against the checks scores 0)."""
    scores: dict[tuple[int, int], float] = {}
    for x, a in enumerate(indices):
        for b in indices[x + 1 :]:
            scores[(a, b)] = max(check_pair(prepared[a], prepared[b], settings), 0.0)

    def score(a: int, b: int) -> float:
        return scores[(a, b) if a < b else (b, a)]

    members = []
    totals = {}
    for i in indices:
        others = [(score(i, k), -events[k].id, k) for k in indices if k != i]
        best = max(others, default=None)
        totals[i] = sum(s for s, _, _ in others)
        le = events[i]
        members.append(
            Member(
                id=le.id,
                document=le.document,
                source=le.source,
                published=published_utc(le.published),
                evidence=le.event.evidence.text,
                score=round(best[0], 6) if best else 1.0,
                linked_to=events[best[2]].id if best else None,
            )
        )
    rep = max(indices, key=lambda i: (totals[i], -events[i].id))
    head = events[rep].event
    group = [events[i].event for i in indices]
    placed = [e for e in group if e.latitude is not None]
    best_precision = min((e.geo_precision for e in placed), default=None)
    precise = [e for e in placed if e.geo_precision == best_precision]
    dates = [e.event_date for e in group if e.event_date is not None]
    outlets = {events[i].source for i in indices if events[i].source}
    unsourced = {events[i].document for i in indices if not events[i].source}
    published = [m.published for m in members if m.published is not None]
    return IncidentCluster(
        members=tuple(members),
        representative=events[rep].id,
        event_type=head.event_type,
        sub_event_type=_most_common([e.sub_event_type for e in group]) if head.event_type else None,
        plover=head.plover,
        modality=head.modality,
        start=min(dates, default=None),
        end=max(dates, default=None),
        location=head.location,
        admin1=head.admin1 or _most_common([e.admin1 for e in group]),
        country=head.country,
        latitude=sum(e.latitude or 0.0 for e in precise) / len(precise) if precise else None,
        longitude=sum(e.longitude or 0.0 for e in precise) / len(precise) if precise else None,
        geo_precision=best_precision,
        actor1=head.actor1 or _most_common([e.actor1 for e in group]),
        actor2=head.actor2 or _most_common([e.actor2 for e in group]),
        fatalities=_most_common([e.fatalities for e in group]),
        sources=tuple(sorted(s for s in outlets if s is not None)),
        independent_sources=len(outlets) + len(unsourced),
        first_reported=min(published, default=None),
        last_reported=max(published, default=None),
    )


def _most_common(values: list[_Value | None]) -> _Value | None:
    """The value most members give; of equally common values, the lower."""
    if len(values) == 1:
        return values[0]
    counts: dict[_Value, int] = {}
    for value in values:
        if value is not None:
            counts[value] = counts.get(value, 0) + 1
    if not counts:
        return None
    return min(counts, key=lambda v: (-counts[v], v))


def _ordered(events: Iterable[LinkableEvent], caller: str) -> list[LinkableEvent]:
    ordered = sorted(events, key=lambda le: le.id)
    for prev, cur in itertools.pairwise(ordered):
        if prev.id == cur.id:
            raise InputError(f"event id {cur.id} is given twice", source=caller)
    return ordered


def link_events(
    events: Iterable[LinkableEvent],
    settings: LinkSettings = _DEFAULT_SETTINGS,
    *,
    together: Iterable[Collection[int]] = (),
    apart: Iterable[tuple[int, int]] = (),
) -> list[IncidentCluster]:
    """Group events into incidents (every event in exactly one; most alone).

    `together`: groups of event ids an analyst merged; each group (and, transitively, groups
    sharing an event) is one incident even where the hard checks fail, and may still gain
    members that are compatible with all of it. `apart`: pairs an analyst split; never in
    one incident. Ids not among `events` are ignored; a pair both apart and (transitively)
    together is an InputError (which decision is current is the caller's to settle).

    Deterministic: events are sorted by id first, so any input order gives the same
    incidents, returned by start date then first member id.
    """
    ordered = _ordered(events, "link_events")
    constraints = _Constraints(ordered, together, apart)
    prepared = [features(i, le.document, le.event, settings) for i, le in enumerate(ordered)]
    links = _scored_links(prepared, settings)
    groups = _merge(prepared, links, settings, constraints)
    del links
    clusters = [_cluster(g, ordered, prepared, settings) for g in groups]
    clusters.sort(key=lambda c: (c.start or dt.date.max, c.members[0].id))
    return clusters


def summarise(
    events: Sequence[LinkableEvent], settings: LinkSettings = _DEFAULT_SETTINGS
) -> IncidentCluster:
    """The incident made of exactly these events (e.g. the members one viewer may see),
    with the linker's representative rules. InputError when there are none."""
    ordered = _ordered(events, "summarise")
    if not ordered:
        raise InputError("an incident needs at least one event", source="summarise")
    prepared = [features(i, le.document, le.event, settings) for i, le in enumerate(ordered)]
    return _cluster(range(len(ordered)), ordered, prepared, settings)
