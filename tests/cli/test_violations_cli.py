"""`truce violations` on a real store (SQLite and PostgreSQL): candidate violations from the
agreement check, and confirmed ones once a case concludes with a finding, counted by party and
clause with the incidents behind each number."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import pytest
from typer.testing import CliRunner, Result

import truce.cli.cases
import truce.cli.incidents
import truce.cli.violations  # noqa: F401  (registers `cases`, `incidents`, `violations`)
from builders import ISRAEL, SYSTEM, event, write
from truce.cli.app import app
from truce.core.access import Role
from truce.core.models import Document
from truce.security import add_user
from truce.store import Store

KHIAM_DAY = dt.date(2025, 1, 14)
METULA_DAY = dt.date(2025, 2, 3)
KHIAM_STRIKE = {
    "event_type": "Explosions/Remote violence",
    "sub_event_type": "Air/drone strike",
    "plover": "ASSAULT",
    "actor1": ISRAEL,
    "admin1": "Nabatieh",
    "country": "LB",
    "location": "Khiam",
    "latitude": 33.3294,
    "longitude": 35.6117,
    "event_date": KHIAM_DAY,
}
METULA_ROCKETS = {
    "event_type": "Explosions/Remote violence",
    "sub_event_type": "Shelling/artillery/missile attack",
    "plover": "ASSAULT",
    "actor1": "Hezbollah",
    "admin1": "Northern",
    "country": "IL",
    "location": "Metula",
    "latitude": 33.2797,
    "longitude": 35.5783,
    "event_date": METULA_DAY,
}
REPORTS = [
    ("Levant Wire", "An Israeli drone struck a car in Khiam, killing two people.", KHIAM_STRIKE),
    (
        "Cedar News",
        "Two people were killed when an Israeli drone hit a car in Khiam.",
        KHIAM_STRIKE,
    ),
    ("Levant Wire", "Hezbollah fired rockets at Metula, damaging two houses.", METULA_ROCKETS),
    ("Galilee Post", "Rockets fired by Hezbollah hit two houses in Metula.", METULA_ROCKETS),
]


def run(url: str, *args: str) -> Result:
    """`truce ARGS... --db URL`, as the operator types it."""
    return CliRunner().invoke(app, [*args, "--db", url], env={"COLUMNS": "250"})


def ok(url: str, *args: str) -> str:
    result = run(url, *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def run_json(url: str, *args: str) -> Any:
    return json.loads(ok(url, *args, "--json"))


@pytest.fixture
def db(store_url: str) -> str:
    """Two outlets on an Israeli drone strike in Khiam, two on Hezbollah rockets on Metula,
    linked into two incidents; the chair and Israel's delegate as users."""
    batches = {}
    for number, (source, sentence, fields) in enumerate(REPORTS):
        day = fields["event_date"]
        assert isinstance(day, dt.date)
        document = Document(
            id=f"report-{number}",
            text=sentence,
            published=dt.datetime.combine(day, dt.time(12 + number), dt.UTC),
            source=source,
        )
        batches[document] = [event(document, sentence, **fields)]
    with Store.open(store_url) as store:
        write(store, batches)
        add_user(store, username="chair", role=Role.CHAIR, password="p" * 16, by=SYSTEM)
        add_user(store, username="delegate-israel", role=Role.DELEGATE, password="p" * 16,
                 by=SYSTEM, party="israel")  # fmt: skip
    assert "2 new" in ok(store_url, "incidents", "link")
    return store_url


def incident_at(url: str, place: str) -> dict[str, Any]:
    items = run_json(url, "incidents", "list")["items"]
    return next(item for item in items if item["summary"]["location"] == place)


def rows_of(counts: dict[str, Any]) -> dict[tuple[str, ...], list[int]]:
    return {tuple(row["key"]): row["incident_ids"] for row in counts["rows"]}


def test_candidate_counts_match_each_incidents_check(db: str) -> None:
    counts = run_json(db, "violations", "count", "--by", "party,clause")
    assert counts["basis"] == "candidate"
    assert counts["by"] == ["party", "clause"]
    expected: dict[tuple[str, ...], set[int]] = {}
    for place in ("Khiam", "Metula"):
        incident = incident_at(db, place)
        for candidate in incident["violations"]:
            if candidate["effect"] == "violation":
                key = (candidate["party"], candidate["clause_id"])
                expected.setdefault(key, set()).add(incident["id"])
    assert expected  # both happenings bear on the agreement
    assert {key: set(ids) for key, ids in rows_of(counts).items()} == expected
    khiam = incident_at(db, "Khiam")["id"]
    metula = incident_at(db, "Metula")["id"]
    assert rows_of(counts)[("israel", "coh-2024-02")] == [khiam]
    assert any(key[0] == "lebanon" and ids == [metula] for key, ids in rows_of(counts).items())
    assert counts["total"] == 2

    january = run_json(db, "violations", "count", "--by", "party", "--to", "2025-01-31")
    assert rows_of(january) == {("israel",): [khiam]}
    by_month = run_json(db, "violations", "count", "--by", "period")
    assert rows_of(by_month) == {("2025-01",): [khiam], ("2025-02",): [metula]}

    table = ok(db, "violations", "count", "--by", "party,clause")
    assert "2. No operations against the other side" in table
    assert "the State of Israel" in table
    assert "2 incidents in all" in table
    table_rows = list(csv.DictReader(io.StringIO(ok(db, "violations", "count", "--by",
                                                    "party,clause", "--csv"))))  # fmt: skip
    assert {(r["party"], r["clause"]): r["incident_ids"] for r in table_rows}[
        ("israel", "coh-2024-02")
    ] == str(khiam)

    behind = ok(db, "violations", "incidents", "--by", "party,clause",
                "--key", "israel,coh-2024-02")  # fmt: skip
    assert f"truce incidents list --ids {khiam}" in behind
    bad = run(db, "violations", "count", "--by", "colour")
    assert bad.exit_code == 2
    assert "cannot count by 'colour'" in bad.stderr


def test_finding_counts_follow_the_case(db: str) -> None:
    khiam = incident_at(db, "Khiam")["id"]
    before = run_json(db, "violations", "count", "--by", "party,clause", "--basis", "finding")
    assert (before["rows"], before["total"]) == ([], 0)

    assert ok(db, "cases", "file", "--title", "Drone strike on Khiam", "--incident", str(khiam),
              "--accused", "israel", "--clause", "coh-2024-02", "--classification", "public",
              "--by", "chair").strip() == "filed case 1"  # fmt: skip
    ok(db, "cases", "investigate", "1", "--by", "chair")
    still = run_json(db, "violations", "count", "--by", "party,clause", "--basis", "finding")
    assert still["total"] == 0  # an investigation is not a finding
    ok(db, "cases", "conclude", "1", "--outcome", "confirmed", "--rationale",
       "Two outlets agree.", "--shared-with", "public", "--by", "chair")  # fmt: skip

    after = run_json(db, "violations", "count", "--by", "party,clause", "--basis", "finding")
    assert rows_of(after) == {("israel", "coh-2024-02"): [khiam]}
    assert after["rows"][0]["labels"][1] == "2. No operations against the other side"
    seen = run_json(db, "violations", "count", "--by", "party,clause", "--basis", "finding",
                    "--as", "delegate-israel")  # fmt: skip
    assert rows_of(seen) == rows_of(after)  # a public finding on a public incident
    candidates = run_json(db, "violations", "count", "--by", "party,clause")
    assert rows_of(candidates)[("israel", "coh-2024-02")] == [khiam]


def test_a_table_truncates_the_ids_that_json_and_csv_list_in_full(store_url: str) -> None:
    """Eleven strikes on Khiam on eleven days: eleven incidents behind one number."""
    days = [KHIAM_DAY + dt.timedelta(days=n) for n in range(11)]
    batches = {}
    for day in days:
        sentence = f"An Israeli drone struck Khiam on {day:%d %B %Y}."
        document = Document(id=f"strike-{day}", text=sentence, source="Levant Wire")
        batches[document] = [event(document, sentence, **{**KHIAM_STRIKE, "event_date": day})]
    with Store.open(store_url) as store:
        write(store, batches)
    ok(store_url, "incidents", "link")
    counts = run_json(store_url, "violations", "count", "--by", "party")
    ids = rows_of(counts)[("israel",)]
    assert len(ids) == 11
    listed = run_json(store_url, "incidents", "list", "--ids", ",".join(map(str, ids)))
    assert sorted(item["id"] for item in listed["items"]) == ids
    table = ok(store_url, "violations", "count", "--by", "party", "--from", days[0].isoformat())
    shown = ", ".join(map(str, ids[:8]))
    assert f"{shown}, … (+3)" in table
    assert f"from {days[0].isoformat()}" in table
    rows = list(csv.DictReader(io.StringIO(ok(store_url, "violations", "count", "--by", "party",
                                              "--csv"))))  # fmt: skip
    assert [row["incident_ids"].split() for row in rows] == [[str(i) for i in ids]]
