"""`truce proposals` and `truce commitments` as the committee's people run them, on a real
store (SQLite and PostgreSQL): Lebanon's envoy makes a proposal at the December talks, the
chair takes it through discussion to agreement at the next meeting; the committee commits to
reconvene before the new year, which is overdue once the year turns; the dashboard counts it."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from typer.testing import CliRunner, Result

import truce.cli.commitments
import truce.cli.proposals  # noqa: F401  (registers `proposals` and `commitments`)
from builders import SYSTEM
from truce.cli.app import app
from truce.committee.meetings import (
    MeetingAction,
    NewMeeting,
    schedule_meeting,
    transition_meeting,
)
from truce.core.access import Role
from truce.security import add_user
from truce.store import Store

USERS = {
    "chair": (Role.CHAIR, None),
    "observer": (Role.OBSERVER, None),
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
    """The committee's people as users; meeting 1, the December talks in Naqoura (held), and
    meeting 2, in January (scheduled)."""
    with Store.open(store_url) as store:
        for username, (role, party) in USERS.items():
            add_user(store, username=username, role=role, password="p" * 16, by=SYSTEM, party=party)
        for day, title in ((dt.date(2025, 12, 19), "Naqoura talks"), (dt.date(2026, 1, 7), "")):
            meeting = schedule_meeting(
                store,
                NewMeeting(
                    title=title or "January meeting",
                    starts_at=dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC),
                    place="Naqoura",
                    invite=False,
                ),
                by=SYSTEM,
            )
            if title:
                transition_meeting(store, meeting.id, MeetingAction.HOLD, by=SYSTEM)
    return store_url


def test_a_proposal_from_draft_to_agreed(db: str) -> None:
    made = ok(db, "proposals", "create", "--title", "Joint feasibility study of an economic zone",
              "--kind", "economic-project", "--track", "civilian", "--meeting", "1",
              "--note", "raised by the civilian envoys", "--by", "delegate-lebanon")  # fmt: skip
    assert made.strip() == "made proposal 1 (draft)"

    refused = run(db, "proposals", "create", "--title", "x", "--kind", "other",
                  "--party", "israel", "--by", "delegate-lebanon")  # fmt: skip
    assert refused.exit_code == 1
    assert "may not propose for israel" in refused.stderr
    unknown = run(db, "proposals", "create", "--title", "x", "--kind", "other",
                  "--party", "atlantis")  # fmt: skip
    assert unknown.exit_code == 2
    assert "--party: unknown party 'atlantis'" in unknown.stderr

    tabled = ok(db, "proposals", "table", "1", "--meeting", "1", "--by", "delegate-lebanon")
    assert tabled.strip() == "proposal 1: table → tabled"
    not_theirs = run(db, "proposals", "discuss", "1", "--by", "delegate-lebanon")
    assert not_theirs.exit_code == 1
    assert "only the chair may" in not_theirs.stderr
    ok(db, "proposals", "discuss", "1", "--meeting", "2", "--by", "chair")
    ok(db, "proposals", "agree", "1", "--meeting", "2", "--note", "agreed in principle")
    again = run(db, "proposals", "withdraw", "1", "--by", "delegate-lebanon")
    assert again.exit_code == 1
    assert "proposal 1 is agreed: it cannot withdraw; agreed is final" in again.stderr

    view = run_json(db, "proposals", "show", "1", "--as", "observer")
    assert (view["status"], view["proposing_party"], view["track"]) == (
        "agreed",
        "lebanon",
        "civilian",
    )
    assert [m["id"] for m in view["meetings"]] == [1, 2]
    assert [(h["to_status"], h["meeting_id"], h["by"]) for h in view["history"][:3]] == [
        ("draft", 1, "delegate-lebanon"),
        ("tabled", 1, "delegate-lebanon"),
        ("under-discussion", 2, "chair"),
    ]
    agreed = view["history"][3]
    assert (agreed["to_status"], agreed["meeting_id"], agreed["note"]) == (
        "agreed",
        2,
        "agreed in principle",
    )
    assert agreed["by"].startswith("system:")  # the operator, without --by
    shown = ok(db, "proposals", "show", "1")
    assert "Joint feasibility study" in shown
    assert "meetings that handled it" in shown
    assert "Naqoura talks" in shown


def test_restricted_proposals_stay_with_their_party(db: str) -> None:
    ok(db, "proposals", "create", "--title", "Fallback line for the hilltops",
       "--kind", "confidence-building", "--classification", "restricted",
       "--by", "delegate-israel")  # fmt: skip
    ok(db, "proposals", "create", "--title", "Olive harvest access", "--kind", "other",
       "--by", "delegate-lebanon")  # fmt: skip
    lebanon = run_json(db, "proposals", "list", "--as", "delegate-lebanon")
    assert [item["title"] for item in lebanon["items"]] == ["Olive harvest access"]
    assert lebanon["total"] == 1
    israel = run_json(db, "proposals", "list", "--as", "delegate-israel")
    assert israel["total"] == 2
    hidden = run(db, "proposals", "show", "1", "--as", "delegate-lebanon")
    assert hidden.exit_code == 1
    assert "no proposal with id 1" in hidden.stderr
    table = ok(db, "proposals", "list", "--as", "delegate-israel", "--status", "draft")
    assert "Fallback line" in table
    assert "restricted of israel" in table
    counts = run_json(db, "commitments", "dashboard", "--as", "delegate-lebanon",
                      "--today", "2025-12-20")  # fmt: skip
    assert counts["proposals_by_status"]["draft"] == 1


def test_reconvene_before_the_new_year(db: str) -> None:
    made = ok(db, "commitments", "add", "--title", "Reconvene before the new year",
              "--deadline", "2025-12-31", "--meeting", "1")  # fmt: skip
    assert made.strip() == "recorded commitment 1 (open)"
    ok(db, "commitments", "add", "--title", "Name the civilian envoys", "--party", "israel",
       "--deadline", "2026-02-01", "--by", "delegate-israel")  # fmt: skip
    refused = run(db, "commitments", "add", "--title", "x", "--party", "lebanon",
                  "--by", "delegate-israel")  # fmt: skip
    assert refused.exit_code == 1
    assert "may not record commitments of lebanon" in refused.stderr
    bad_day = run(db, "commitments", "list", "--today", "31/12/2025")
    assert bad_day.exit_code == 2
    assert "--today" in bad_day.stderr

    before = run_json(db, "commitments", "list", "--overdue", "--today", "2025-12-20")
    assert before["items"] == []
    after = run_json(db, "commitments", "list", "--overdue", "--today", "2026-01-02")
    assert [(c["id"], c["overdue"], c["meeting_id"]) for c in after["items"]] == [(1, True, 1)]
    listed = ok(db, "commitments", "list", "--today", "2026-01-02")
    assert "2025-12-31 OVERDUE" in listed
    assert "2026-02-01 OVERDUE" not in listed

    counts = run_json(db, "commitments", "dashboard", "--today", "2026-01-02", "--as", "observer")
    assert (counts["open_commitments"], counts["overdue_commitments"]) == (2, 1)
    assert counts["commitments_by_party"] == [
        {"party": "israel", "open": 1, "overdue": 0},
        {"party": None, "open": 1, "overdue": 1},
    ]
    assert counts["next_meeting"]["id"] == 2
    shown = ok(db, "commitments", "dashboard", "--today", "2026-01-02")
    assert "2 open commitments, 1 overdue" in shown
    assert "next meeting: 2, January meeting" in shown

    not_theirs = run(db, "commitments", "done", "1", "--by", "delegate-israel")
    assert not_theirs.exit_code == 1
    assert "may not mark commitment 1 done" in not_theirs.stderr
    assert ok(db, "commitments", "done", "1", "--note", "met on 7 January").strip() == (
        "commitment 1: done"
    )
    again = run(db, "commitments", "drop", "1")
    assert again.exit_code == 1
    assert "commitment 1 is done: it cannot become dropped" in again.stderr
    shown = run_json(db, "commitments", "show", "1", "--today", "2026-01-02")
    assert (shown["status"], shown["overdue"], shown["close_note"]) == (
        "done",
        False,
        "met on 7 January",
    )
