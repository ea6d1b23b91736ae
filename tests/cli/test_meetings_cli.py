"""`truce delegations` and `truce meetings` as the chair's secretariat runs them, on a real
store (SQLite and PostgreSQL): the table set up, a meeting scheduled, its agenda drafted from
open work and adopted, the calendar exported; a delegate sees only what it may."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import icalendar
import pytest
from typer.testing import CliRunner, Result

import truce.cli.cases
import truce.cli.delegations
import truce.cli.meetings  # noqa: F401  (registers `delegations`, `meetings` and `cases`)
from builders import SYSTEM
from truce.cli.app import app
from truce.core.access import Role, Track
from truce.security import add_user
from truce.store import Store

USERS = {
    "chair": (Role.CHAIR, None, None),
    "delegate-israel": (Role.DELEGATE, "israel", Track.MILITARY),
    "delegate-lebanon": (Role.DELEGATE, "lebanon", Track.CIVILIAN),
}
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)


def run(url: str, *args: str) -> Result:
    return CliRunner().invoke(app, [*args, "--db", url], env={"COLUMNS": "250"})


def ok(url: str, *args: str) -> str:
    result = run(url, *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def run_json(url: str, *args: str) -> Any:
    return json.loads(ok(url, *args, "--json"))


@pytest.fixture
def db(store_url: str) -> str:
    with Store.open(store_url) as store:
        for username, (role, party, track) in USERS.items():
            add_user(store, username=username, role=role, password="p" * 16, by=SYSTEM,
                     party=party, track=track)  # fmt: skip
    return store_url


def test_the_table_is_set(db: str) -> None:
    assert ok(db, "delegations", "add", "--name", "Lebanon", "--kind", "party",
              "--party", "lebanon").strip() == "added delegation 1: Lebanon (party)"  # fmt: skip
    ok(db, "delegations", "add", "--name", "UNIFIL", "--kind", "observer")
    added = ok(db, "delegations", "member", "add", "1", "--name", "Simon Karam", "--title",
               "former ambassador", "--role", "head", "--track", "civilian", "--user",
               "delegate-lebanon", "--joined", "2025-12-03")  # fmt: skip
    assert added.strip() == "added member 1 to delegation 1: Simon Karam"
    left = ok(db, "delegations", "member", "leave", "1", "--on", "2026-01-15")
    assert left.strip() == "member 1 (Simon Karam) left on 2026-01-15"
    shown = run_json(db, "delegations", "show", "1", "--as", "delegate-israel")
    assert shown["members"][0] == {
        **shown["members"][0],
        "name": "Simon Karam",
        "username": "delegate-lebanon",
        "track": "civilian",
        "left_on": "2026-01-15",
    }
    table = ok(db, "delegations", "list")
    assert "Lebanon" in table
    assert "UNIFIL" in table
    refused = run(db, "delegations", "add", "--name", "Israel", "--kind", "party",
                  "--party", "israel", "--by", "delegate-israel")  # fmt: skip
    assert refused.exit_code == 1
    assert "the chair does" in refused.stderr
    unknown = run(db, "delegations", "add", "--name", "Syria", "--kind", "party", "--party", "sy")
    assert unknown.exit_code == 2
    assert "party: unknown party 'sy'" in unknown.stderr
    bad_day = run(db, "delegations", "member", "leave", "1", "--on", "soon")
    assert (bad_day.exit_code, "--on: 'soon' is not a date" in bad_day.stderr) == (2, True)


def test_a_meeting_with_its_agenda_and_calendar(db: str, tmp_path: Path) -> None:
    held_at = (NOW - dt.timedelta(days=10)).isoformat()
    ok(db, "meetings", "schedule", "--title", "First civilian talks", "--start", held_at,
       "--place", "Naqoura", "--track", "civilian")  # fmt: skip
    assert ok(db, "meetings", "hold", "1", "--note", "as planned").strip() == (
        "meeting 1: hold → held"
    )
    start = (NOW + dt.timedelta(days=7)).replace(hour=10, minute=0, second=0)
    scheduled = ok(db, "meetings", "schedule", "--title", "Before the new year", "--start",
                   start.isoformat(), "--end", (start + dt.timedelta(hours=3)).isoformat(),
                   "--place", "UNIFIL headquarters, Naqoura", "--by", "chair")  # fmt: skip
    assert scheduled.startswith("scheduled meeting 2: Before the new year")
    assert "calendar UID" in scheduled
    ok(db, "cases", "file", "--title", "Bulldozers in Aitaroun", "--accused", "israel",
       "--by", "delegate-lebanon")  # fmt: skip
    ok(db, "cases", "file", "--title", "Drone over Khiam", "--classification", "committee")

    israel = run_json(db, "meetings", "draft", "2", "--as", "delegate-israel")
    assert [(i["kind"], i["ref_id"], i["title"]) for i in israel] == [
        ("case", 2, "Case 2: Drone over Khiam")
    ]
    lebanon = run_json(db, "meetings", "draft", "2", "--as", "delegate-lebanon")
    assert {i["ref_id"] for i in lebanon} == {1, 2}
    refused = run(db, "meetings", "draft", "2", "--add", "--as", "delegate-lebanon")
    assert refused.exit_code == 1
    assert "the chair does" in refused.stderr
    assert "2 items added" in ok(db, "meetings", "draft", "2", "--add")
    assert "0 items added" in ok(db, "meetings", "draft", "2", "--add")
    ok(db, "meetings", "agenda", "add", "2", "--other", "Any other business")

    shown = run_json(db, "meetings", "show", "2", "--as", "delegate-israel")
    assert [item["title"] for item in shown["agenda"]] == [
        "Case 2: Drone over Khiam",
        "Any other business",
    ]
    assert [item["position"] for item in shown["agenda"]] == [1, 2]
    assert "Aitaroun" not in json.dumps(shown)
    chair_view = run_json(db, "meetings", "show", "2", "--as", "chair")
    assert len(chair_view["agenda"]) == 3

    out = tmp_path / "meetings.ics"
    assert ok(db, "meetings", "ics", "--out", str(out), "--as", "delegate-israel").strip() == (
        f"wrote {out}"
    )
    calendar = icalendar.Calendar.from_ical(out.read_bytes())
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert sorted(events) == ["Before the new year", "First civilian talks"]
    upcoming = events["Before the new year"]
    assert upcoming.decoded("DTSTART") == start
    assert int(upcoming["SEQUENCE"]) == 2  # two items Israel sees, no change to the meeting
    assert "Aitaroun" not in out.read_text()
    one = ok(db, "meetings", "ics", "--meeting", "2", "--as", "delegate-lebanon")
    assert "Aitaroun" in icalendar.Calendar.from_ical(one).walk("VEVENT")[0]["DESCRIPTION"]

    moved = ok(db, "meetings", "change", "2", "--start", (start + dt.timedelta(days=1)).isoformat())
    assert moved.strip().endswith("(sequence 1)")
    again = icalendar.Calendar.from_ical(ok(db, "meetings", "ics", "--as", "delegate-israel"))
    renewed = {str(e["SUMMARY"]): e for e in again.walk("VEVENT")}["Before the new year"]
    assert (str(renewed["UID"]), int(renewed["SEQUENCE"])) == (str(upcoming["UID"]), 3)
    assert ok(db, "meetings", "cancel", "2").strip() == "meeting 2: cancel → cancelled"
    listed = run_json(db, "meetings", "list", "--status", "cancelled")
    assert [m["id"] for m in listed["items"]] == [2]


def test_meeting_errors_name_what_was_wrong(db: str) -> None:
    naive = run(db, "meetings", "schedule", "--title", "x", "--start", "2026-01-07T10:00")
    assert naive.exit_code == 2
    assert "--start: '2026-01-07T10:00' has no offset" in naive.stderr
    ok(db, "meetings", "schedule", "--title", "Later", "--start", "2099-01-07T10:00Z")
    early = run(db, "meetings", "hold", "1")
    assert early.exit_code == 1
    assert "cannot be held before it begins" in early.stderr
    bad_ref = run(db, "meetings", "agenda", "add", "1", "--ref", "rumour:3")
    assert bad_ref.exit_code == 2
    assert "--ref: 'rumour:3' is not KIND:ID" in bad_ref.stderr
    missing = run(db, "meetings", "agenda", "add", "1", "--ref", "case:3")
    assert (missing.exit_code, "no case with id 3" in missing.stderr) == (1, True)
    hidden = run(db, "meetings", "show", "5")
    assert (hidden.exit_code, "no meeting with id 5" in hidden.stderr) == (1, True)
    minutes = run(db, "meetings", "minutes", "1", "--minutes", "Nothing yet.")
    assert "minutes are recorded once it is held" in minutes.stderr
