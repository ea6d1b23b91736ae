"""`truce cases` as the committee's people run it, on a real store (SQLite and PostgreSQL):
Lebanon's delegate files an allegation about an incident, the chair investigates, a monitor
does a task and visits, the chair concludes; who may do what, and the state machine, hold."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

import truce.cli.cases
import truce.cli.incidents  # noqa: F401  (registers `cases` and `incidents`)
from builders import ISRAEL, SYSTEM, event, write
from evidence_sample import jpeg
from truce.cli.app import app
from truce.core.access import Role
from truce.core.models import Document
from truce.evidence import EvidenceVault, add_evidence
from truce.security import add_user
from truce.store import Store

DAY = dt.date(2025, 1, 14)
TODAY = dt.datetime.now(dt.UTC).date()
STRIKE = {
    "event_type": "Explosions/Remote violence",
    "sub_event_type": "Air/drone strike",
    "plover": "ASSAULT",
    "actor1": ISRAEL,
    "admin1": "Nabatieh",
    "country": "LB",
    "location": "Khiam",
    "latitude": 33.3294,
    "longitude": 35.6117,
    "event_date": DAY,
    "fatalities": 2,
}
SENTENCES = {
    "Levant Wire": "An Israeli drone struck a car in Khiam on Tuesday, killing two people.",
    "Cedar News": "Two people were killed when an Israeli drone struck a car in Khiam.",
}
USERS = {
    "chair": (Role.CHAIR, None),
    "monitor": (Role.MONITOR, None),
    "delegate-israel": (Role.DELEGATE, "israel"),
    "delegate-lebanon": (Role.DELEGATE, "lebanon"),
}


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
    """Two outlets' reports of one drone strike, linked into incident 1; the committee's
    people as users."""
    batches = {}
    for number, (source, sentence) in enumerate(SENTENCES.items()):
        document = Document(
            id=f"report-{number}",
            text=sentence,
            published=dt.datetime.combine(DAY, dt.time(15 + number), tzinfo=dt.UTC),
            source=source,
        )
        batches[document] = [event(document, sentence, **STRIKE)]
    with Store.open(store_url) as store:
        write(store, batches)
        for username, (role, party) in USERS.items():
            add_user(store, username=username, role=role, password="p" * 16, by=SYSTEM, party=party)
    assert "1 new" in ok(store_url, "incidents", "link")
    return store_url


def test_a_case_from_allegation_to_finding(db: str) -> None:
    deadline = (TODAY + dt.timedelta(days=30)).isoformat()
    filed = ok(db, "cases", "file", "--title", "Drone strike on Khiam", "--summary",
               "Two civilians killed in a car.", "--incident", "1", "--party", "lebanon",
               "--accused", "israel", "--clause", "coh-2024-02", "--deadline", deadline,
               "--classification", "committee", "--by", "delegate-lebanon")  # fmt: skip
    assert filed.strip() == "filed case 1"

    premature = run(db, "cases", "conclude", "1", "--outcome", "confirmed", "--rationale", "x")
    assert premature.exit_code == 1
    assert "case 1 is filed: it cannot conclude" in premature.stderr
    not_theirs = run(db, "cases", "investigate", "1", "--by", "delegate-lebanon")
    assert not_theirs.exit_code == 1
    assert "may not investigate case 1" in not_theirs.stderr

    assert ok(db, "cases", "investigate", "1", "--note", "taken up", "--by", "chair").strip() == (
        "case 1: investigate → investigating"
    )
    task = ok(db, "cases", "task", "add", "1", "--title", "Visit the site in Khiam",
              "--assign", "monitor", "--due", deadline, "--by", "chair")  # fmt: skip
    assert task.strip() == "task 1 of case 1: Visit the site in Khiam (open)"
    visit = ok(db, "cases", "visit", "1", "--on", TODAY.isoformat(), "--place", "Khiam",
               "--text", "A burnt-out car, shrapnel of a guided missile.", "--task", "1",
               "--by", "monitor")  # fmt: skip
    assert visit.startswith("visit report 1 of case 1: Khiam")
    assert ok(db, "cases", "task", "done", "1", "--by", "monitor").strip() == (
        "task 1 of case 1: done"
    )
    assert "nothing changed" in ok(db, "cases", "link", "1", "--incident", "1")
    concluded = ok(db, "cases", "conclude", "1", "--outcome", "confirmed", "--rationale",
                   "Two outlets and the site visit agree.", "--shared-with", "public",
                   "--by", "chair")  # fmt: skip
    assert "case 1: conclude → concluded" in concluded
    assert "confirmed clause coh-2024-02 by israel (shared: public)" in concluded

    case = run_json(db, "cases", "show", "1")
    assert case["state"] == "concluded"
    assert [
        (t["action"], t["from_state"], t["to_state"], t["by"]) for t in case["transitions"]
    ] == [
        ("file", None, "filed", "delegate-lebanon"),
        ("investigate", "filed", "investigating", "chair"),
        ("conclude", "investigating", "concluded", "chair"),
    ]
    assert case["transitions"][1]["note"] == "taken up"
    assert [(t["status"], t["completed_by"]) for t in case["tasks"]] == [("done", "monitor")]
    assert case["visit_reports"][0]["by"] == "monitor"
    assert case["visit_reports"][0]["visited_on"] == TODAY.isoformat()
    assert case["incident_ids"] == [1]
    assert case["finding"]["outcome"] == "confirmed"
    assert case["finding"]["attributed_party"] == "israel"
    assert case["deadline"] == deadline
    assert case["overdue"] is False

    shown = ok(db, "cases", "show", "1")
    for expected in ("Drone strike on Khiam", "history", "taken up", "delegate-lebanon",
                     "Visit the site in Khiam", "burnt-out car", "findings",
                     "Two outlets and the site visit agree."):  # fmt: skip
        assert expected in shown, expected

    finished = run(db, "cases", "withdraw", "1", "--by", "delegate-lebanon")
    assert finished.exit_code == 1
    assert "case 1 is concluded: it cannot withdraw; allowed from concluded: reopen" in (
        finished.stderr
    )
    assert "case 1: reopen → investigating" in ok(db, "cases", "reopen", "1")
    listed = run_json(db, "cases", "list", "--state", "investigating")
    assert [item["id"] for item in listed["items"]] == [1]
    assert run_json(db, "cases", "list", "--state", "filed")["total"] == 0
    assert run_json(db, "cases", "list", "--overdue")["total"] == 0
    assert "Drone strike on Khiam" in ok(db, "cases", "list", "--incident", "1")


def test_delegates_file_only_for_their_party(db: str, tmp_path: Path) -> None:
    for_other = run(db, "cases", "file", "--title", "Rocket fire", "--party", "israel",
                    "--by", "delegate-lebanon")  # fmt: skip
    assert for_other.exit_code == 1
    assert "is a delegate of lebanon and may not file for israel" in for_other.stderr
    assert run(db, "cases", "file", "--title", "x", "--by", "monitor").exit_code == 1
    unknown = run(db, "cases", "file", "--title", "x", "--by", "nobody")
    assert unknown.exit_code == 2
    assert "--by: no user 'nobody'" in unknown.stderr
    past = run(db, "cases", "file", "--title", "x", "--deadline", "2024-12-01")
    assert past.exit_code == 2
    assert "in the past" in past.stderr
    bad_clause = run(db, "cases", "file", "--title", "x", "--clause", "coh-2024-99")
    assert bad_clause.exit_code == 2
    assert "--clause: unknown clause 'coh-2024-99'" in bad_clause.stderr
    assert run_json(db, "cases", "list")["total"] == 0  # nothing was filed

    # restricted to Lebanon: Israel's delegate never sees it, Lebanon's and the chair do
    assert ok(db, "cases", "file", "--title", "Khiam", "--by", "delegate-lebanon").strip() == (
        "filed case 1"
    )
    assert run_json(db, "cases", "list", "--as", "delegate-israel")["total"] == 0
    hidden = run(db, "cases", "show", "1", "--as", "delegate-israel")
    assert hidden.exit_code == 1
    assert "no case" in hidden.stderr.lower()
    mine = run_json(db, "cases", "show", "1", "--as", "delegate-lebanon")
    assert mine["owner_party"] == "lebanon"
    assert mine["actions"] == ["withdraw"]
    assert run_json(db, "cases", "list", "--as", "chair")["total"] == 1
    with Store.open(db) as store:
        photo = add_evidence(
            store,
            EvidenceVault(tmp_path / "vault"),
            io.BytesIO(jpeg("the car in Khiam")),
            original_name="car.jpg",
            received_from="a witness",
            received_by="delegate-lebanon",
            by=SYSTEM,
        ).id
    both = run(db, "cases", "link", "1", "--incident", "1", "--evidence", str(photo))
    assert both.exit_code == 2
    linked = ok(db, "cases", "link", "1", "--evidence", str(photo), "--by", "delegate-lebanon")
    assert linked.strip() == f"case 1: linked evidence {photo}"
    assert run_json(db, "cases", "show", "1")["evidence"][0]["added_by"] == "delegate-lebanon"
    withdrawn = ok(db, "cases", "withdraw", "1", "--note", "settled", "--by", "delegate-lebanon")
    assert withdrawn.strip() == "case 1: withdraw → withdrawn"
