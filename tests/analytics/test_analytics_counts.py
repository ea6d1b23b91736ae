"""Counting violations: distinct incidents per row, every number with the incidents behind it."""

from __future__ import annotations

import datetime as dt

import pytest

from truce.analytics import CountableIncident, CountedViolation, period_of, tally
from truce.core.errors import InputError

STRIKES = CountedViolation(
    "coh-2024-02", "2. No operations", "israel", "Israel", (("south-of-litani", "South"),)
)
HOSTILITIES_ISRAEL = CountedViolation("coh-2024-01", "1. Cessation", "israel", "Israel")
ROCKETS = CountedViolation("coh-2024-02", "2. No operations", "lebanon", "Lebanon")
PRESENCE = CountedViolation(
    "coh-2024-05",
    "5. Only the state's forces",
    "lebanon",
    "Lebanon",
    (("south-of-litani", "South"),),
)

INCIDENTS = (
    # an Israeli strike: against clauses 1 and 2, one incident
    CountableIncident(
        1, dt.date(2025, 1, 14), "Air/drone strike", "South", (STRIKES, HOSTILITIES_ISRAEL)
    ),
    CountableIncident(2, dt.date(2025, 1, 20), "Air/drone strike", "Nabatieh", (STRIKES,)),
    CountableIncident(
        3, dt.date(2025, 2, 2), "Shelling/artillery/missile attack", "South", (ROCKETS,)
    ),
    CountableIncident(4, dt.date(2025, 3, 30), "Armed clash", None, (PRESENCE, ROCKETS)),
    CountableIncident(5, None, "Air/drone strike", "South", (STRIKES,)),
    CountableIncident(6, dt.date(2025, 1, 2), "Peaceful protest", "Beirut", ()),  # no violation
)


def rows(counts: object) -> dict[tuple[str, ...], tuple[int, tuple[int, ...]]]:
    return {row.key: (row.count, row.incident_ids) for row in counts.rows}  # type: ignore[attr-defined]


def test_by_party_counts_each_incident_once_whatever_its_clauses() -> None:
    counts = tally(INCIDENTS, by=["party"])
    assert rows(counts) == {("israel",): (3, (1, 2, 5)), ("lebanon",): (2, (3, 4))}
    assert counts.total == 5
    assert counts.incident_ids == (1, 2, 3, 4, 5)
    assert [row.key for row in counts.rows] == [("israel",), ("lebanon",)]  # largest first


def test_by_clause_counts_an_incident_under_each_clause_it_breaks() -> None:
    counts = tally(INCIDENTS, by=["clause"])
    assert rows(counts) == {
        ("coh-2024-02",): (5, (1, 2, 3, 4, 5)),
        ("coh-2024-01",): (1, (1,)),
        ("coh-2024-05",): (1, (4,)),
    }
    assert counts.total == 5


def test_party_by_period_with_a_reporting_window() -> None:
    counts = tally(
        INCIDENTS,
        by=["party", "period"],
        start=dt.date(2025, 1, 1),
        end=dt.date(2025, 2, 28),
    )
    # incident 5 has no date and incident 4 is after the window: both left out
    assert rows(counts) == {
        ("israel", "2025-01"): (2, (1, 2)),
        ("lebanon", "2025-02"): (1, (3,)),
    }
    assert counts.total == 3


def test_type_area_and_zone_use_unknown_and_none_when_missing() -> None:
    assert rows(tally(INCIDENTS, by=["area"]))[("unknown",)] == (1, (4,))
    zones = tally(INCIDENTS, by=["zone"])
    assert rows(zones) == {("south-of-litani",): (4, (1, 2, 4, 5)), ("none",): (3, (1, 3, 4))}
    assert {row.labels for row in zones.rows} == {("South",), ("outside every zone",)}
    assert rows(tally(INCIDENTS, by=["type"]))[("Air/drone strike",)] == (3, (1, 2, 5))


def test_one_key_gives_the_incidents_behind_one_number() -> None:
    counts = tally(INCIDENTS, by=["party", "clause"], key=["lebanon", "coh-2024-02"])
    assert rows(counts) == {("lebanon", "coh-2024-02"): (2, (3, 4))}
    assert counts.incident_ids == (3, 4)
    assert tally(INCIDENTS, by=["party"], key=["france"]).rows == ()


@pytest.mark.parametrize(
    ("day", "granularity", "period"),
    [
        (dt.date(2025, 1, 14), "day", "2025-01-14"),
        (dt.date(2025, 1, 14), "week", "2025-W03"),
        (dt.date(2024, 12, 30), "week", "2025-W01"),  # ISO weeks cross the new year
        (dt.date(2025, 1, 14), "month", "2025-01"),
        (dt.date(2025, 11, 30), "quarter", "2025-Q4"),
        (dt.date(2025, 4, 1), "quarter", "2025-Q2"),
        (dt.date(2025, 4, 1), "year", "2025"),
        (None, "month", "unknown"),
    ],
)
def test_periods(day: dt.date | None, granularity: str, period: str) -> None:
    assert period_of(day, granularity) == period  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"by": []}, "say what to count by"),
        ({"by": ["colour"]}, "cannot count by 'colour'"),
        ({"by": ["party", "party"]}, "'party' is given twice"),
        ({"by": ["party"], "granularity": "decade"}, "unknown period 'decade'"),
        (
            {"by": ["party"], "start": dt.date(2025, 2, 1), "end": dt.date(2025, 1, 1)},
            "ends (2025-01-01) before it starts",
        ),
        ({"by": ["party", "clause"], "key": ["israel"]}, "one value per dimension"),
    ],
)
def test_bad_requests_say_what_is_wrong(arguments: dict[str, object], message: str) -> None:
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        tally(INCIDENTS, **arguments)  # type: ignore[arg-type]
