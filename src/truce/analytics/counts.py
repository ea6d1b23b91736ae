"""Violation counts by party, clause, type, area and period, each number with its incidents.

The tallies follow the manner of the UN Secretary-General's reports on resolution 1701 and of
UNIFIL's: a number of violations per party over a reporting period, broken down by kind and
place. Here a *violation* is one incident against one clause by one answerable party:

- `basis="candidate"`: the agreement check's candidate violations (truce.agreement), computed
  from what the viewer may see of each incident. These are leads, not findings.
- `basis="finding"`: findings of cases that confirmed a violation (truce.cases), attributed
  to a party and a clause by the committee; the incidents are those the case links.

A row counts *distinct incidents*, so an incident against two clauses counts once in the row
of its party and once in each clause's row; `total` is the number of distinct incidents
behind any row. Every row carries its incident ids, so each number is one click away from the
incidents behind it.

Dimensions (`by`): `party` (answerable party), `clause`, `type` (the incident's ACLED
sub-event type, else its PLOVER type), `area` (the incident's admin1, e.g. the governorate),
`zone` (a zone of the pack the violation lies in, e.g. south of the Litani), `period` (the
incident's first day, by `month`, `quarter`, `year`, `week` or `day`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal, get_args

from truce.core.errors import InputError

Dimension = Literal["party", "clause", "type", "area", "zone", "period"]
Granularity = Literal["day", "week", "month", "quarter", "year"]
Basis = Literal["candidate", "finding"]

DIMENSIONS: tuple[Dimension, ...] = get_args(Dimension)
GRANULARITIES: tuple[Granularity, ...] = get_args(Granularity)
#: what a row shows when an incident has no value for a dimension
UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class CountedViolation:
    """One clause one party is answerable for, in one incident."""

    clause_id: str
    clause_label: str  # "2. No operations against the other side"
    party: str
    party_name: str
    zones: tuple[tuple[str, str], ...] = ()  # (zone id, zone name)


@dataclass(frozen=True, slots=True)
class CountableIncident:
    """What the counts need of an incident, as one viewer sees it."""

    id: int
    start: dt.date | None
    kind: str | None  # ACLED sub-event type, else PLOVER type
    area: str | None  # admin1
    violations: tuple[CountedViolation, ...]


@dataclass(frozen=True, slots=True)
class CountRow:
    key: tuple[str, ...]  # one value per dimension of `by`, in its order
    labels: tuple[str, ...]  # the same values as people read them
    count: int
    incident_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class ViolationCounts:
    basis: Basis
    by: tuple[Dimension, ...]
    granularity: Granularity
    start: dt.date | None
    end: dt.date | None
    rows: tuple[CountRow, ...]  # largest first, then by key
    total: int  # distinct incidents behind any row
    incident_ids: tuple[int, ...] = field(default=())


def period_of(day: dt.date | None, granularity: Granularity) -> str:
    """The period a day falls in: '2025-01' (month), '2025-Q1', '2025', '2025-W03', the day."""
    if day is None:
        return UNKNOWN
    if granularity == "day":
        return day.isoformat()
    if granularity == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    if granularity == "month":
        return f"{day.year}-{day.month:02d}"
    if granularity == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return str(day.year)


def check_dimensions(by: Sequence[str]) -> tuple[Dimension, ...]:
    """`by` as dimensions, or InputError naming the unknown one."""
    if not by:
        raise InputError(f"say what to count by: one or more of {', '.join(DIMENSIONS)}")
    checked: list[Dimension] = []
    for name in by:
        if name not in DIMENSIONS:
            raise InputError(f"cannot count by {name!r}: choose from {', '.join(DIMENSIONS)}")
        if name in checked:
            raise InputError(f"{name!r} is given twice")
        checked.append(name)
    return tuple(checked)


def tally(
    incidents: Iterable[CountableIncident],
    *,
    by: Sequence[str],
    basis: Basis = "candidate",
    granularity: Granularity = "month",
    start: dt.date | None = None,
    end: dt.date | None = None,
    key: Sequence[str] | None = None,
) -> ViolationCounts:
    """Count distinct incidents per combination of the `by` dimensions.

    Incidents whose first day is outside [start, end] are left out (undated ones too when a
    range is given). With `key`, only the row of that key is kept: the incidents behind one
    number.
    """
    dimensions = check_dimensions(by)
    if granularity not in GRANULARITIES:
        raise InputError(f"unknown period {granularity!r}: choose from {', '.join(GRANULARITIES)}")
    if start and end and end < start:
        raise InputError(f"the period ends ({end}) before it starts ({start})")
    if key is not None and len(key) != len(dimensions):
        raise InputError(f"a row key has one value per dimension ({', '.join(dimensions)})")
    behind: dict[tuple[str, ...], set[int]] = defaultdict(set)
    labels: dict[tuple[str, ...], tuple[str, ...]] = {}
    for incident in incidents:
        if not _within(incident.start, start, end):
            continue
        for violation in incident.violations:
            for values in _keys(incident, violation, dimensions, granularity):
                row_key = tuple(value for value, _ in values)
                behind[row_key].add(incident.id)
                labels.setdefault(row_key, tuple(label for _, label in values))
    if key is not None:
        wanted = tuple(key)
        behind = {wanted: behind.get(wanted, set())} if wanted in behind else {}
    rows = tuple(
        sorted(
            (
                CountRow(row_key, labels[row_key], len(ids), tuple(sorted(ids)))
                for row_key, ids in behind.items()
            ),
            key=lambda row: (-row.count, row.key),
        )
    )
    every = sorted(set().union(*behind.values())) if behind else []
    return ViolationCounts(
        basis=basis,
        by=dimensions,
        granularity=granularity,
        start=start,
        end=end,
        rows=rows,
        total=len(every),
        incident_ids=tuple(every),
    )


def _within(day: dt.date | None, start: dt.date | None, end: dt.date | None) -> bool:
    if start is None and end is None:
        return True
    if day is None:
        return False
    return (start is None or start <= day) and (end is None or day <= end)


def _keys(
    incident: CountableIncident,
    violation: CountedViolation,
    dimensions: Sequence[Dimension],
    granularity: Granularity,
) -> list[tuple[tuple[str, str], ...]]:
    """Every row (value, label per dimension) this violation counts in: one, or one per zone."""
    rows: list[tuple[tuple[str, str], ...]] = [()]
    for dimension in dimensions:
        options = _values(incident, violation, dimension, granularity)
        rows = [(*row, option) for row in rows for option in options]
    return rows


def _values(
    incident: CountableIncident,
    violation: CountedViolation,
    dimension: Dimension,
    granularity: Granularity,
) -> list[tuple[str, str]]:
    if dimension == "party":
        return [(violation.party, violation.party_name)]
    if dimension == "clause":
        return [(violation.clause_id, violation.clause_label)]
    if dimension == "type":
        kind = incident.kind or UNKNOWN
        return [(kind, kind)]
    if dimension == "area":
        area = incident.area or UNKNOWN
        return [(area, area)]
    if dimension == "zone":
        # an incident outside every zone still counts, under "none"
        return list(violation.zones) or [("none", "outside every zone")]
    period = period_of(incident.start, granularity)
    return [(period, period)]
