"""`truce incidents` as an analyst runs it, on a real store (SQLite and PostgreSQL): linking
reports from several outlets, showing and listing incidents, merging, splitting, undoing and
explaining, as the local system and as stored users."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from typer.testing import CliRunner, Result

import truce.cli.incidents  # noqa: F401  (registers `incidents`)
from builders import ISRAEL, SYSTEM, event, write
from truce.cli.app import app
from truce.core.access import Classification, Role
from truce.core.models import Document, Event
from truce.security import add_user
from truce.store import EventQuery, Store

DAY = dt.date(2025, 1, 14)
KHIAM = {"location": "Khiam", "latitude": 33.3294, "longitude": 35.6117}
KFAR_KILA = {"location": "Kfar Kila", "latitude": 33.2833, "longitude": 35.5667}
STRIKE = {
    "event_type": "Explosions/Remote violence",
    "sub_event_type": "Air/drone strike",
    "plover": "ASSAULT",
    "actor1": ISRAEL,
    "admin1": "Nabatieh",
    "country": "LB",
}
PASSWORD = "a perfectly long password"


def report(
    doc_id: str,
    sentence: str,
    *,
    source: str,
    place: dict[str, object],
    day: dt.date,
    hour: int = 15,
    **fields: object,
) -> tuple[Document, Event]:
    """A one-sentence article and its one event: an Israeli drone strike."""
    document = Document(
        id=doc_id,
        text=f"{sentence} More to follow.",
        published=dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC),
        title=sentence[:40],
        source=source,
    )
    return document, event(document, sentence, **{**STRIKE, **place, "event_date": day, **fields})


#: the Khiam strike, in three outlets' words; the Kfar Kila strike next day, in two
REPORTS = [
    report(
        "wire-1",
        "An Israeli drone struck a car in Khiam on Tuesday, killing two people.",
        source="Levant Wire",
        place=KHIAM,
        day=DAY,
        hour=14,
        fatalities=2,
    ),
    report(
        "cedar-1",
        "Two people were killed when an Israeli drone struck a car in Khiam.",
        source="Cedar News",
        place=KHIAM,
        day=DAY,
        hour=16,
        fatalities=2,
    ),
    report(
        "daily-1",
        "An Israeli drone strike on a car in Khiam killed two people, residents said.",
        source="Daily Star",
        place=KHIAM,
        day=DAY,
        hour=18,
        fatalities=2,
    ),
    report(
        "wire-2",
        "An Israeli drone struck a house in Kfar Kila on Wednesday, wounding three.",
        source="Levant Wire",
        place=KFAR_KILA,
        day=DAY + dt.timedelta(days=1),
    ),
    report(
        "cedar-2",
        "Three people were wounded when an Israeli drone struck a house in Kfar Kila.",
        source="Cedar News",
        place=KFAR_KILA,
        day=DAY + dt.timedelta(days=1),
    ),
]
#: Lebanon's own complaint about the Khiam strike, restricted to Lebanon and the chair
COMPLAINT = report(
    "lb-complaint-1",
    "An Israeli drone struck a car in Khiam, killing five civilians, the army reported.",
    source="Lebanese Armed Forces",
    place=KHIAM,
    day=DAY,
    hour=20,
    fatalities=5,
)
USERS = {
    "chair": (Role.CHAIR, None),
    "monitor": (Role.MONITOR, None),
    "observer": (Role.OBSERVER, None),
    "delegate-israel": (Role.DELEGATE, "israel"),
    "delegate-lebanon": (Role.DELEGATE, "lebanon"),
}


def run(url: str, *args: str) -> Result:
    """`truce incidents ARGS... --db URL`, as the operator types it."""
    return CliRunner().invoke(app, ["incidents", *args, "--db", url], env={"COLUMNS": "250"})


def run_json(url: str, *args: str) -> Any:
    result = run(url, *args, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def db(store_url: str) -> str:
    """A store with the five news reports, Lebanon's restricted complaint and one user of
    each kind; nothing linked yet."""
    with Store.open(store_url) as store:
        write(store, {document: [found] for document, found in REPORTS})
        write(
            store,
            {COMPLAINT[0]: [COMPLAINT[1]]},
            classification=Classification.RESTRICTED,
            owner_party="lebanon",
        )
        for username, (role, party) in USERS.items():
            add_user(store, username=username, role=role, password=PASSWORD, by=SYSTEM, party=party)
    return store_url


def event_ids(url: str) -> dict[str, int]:
    """doc_id -> the id of its one event."""
    with Store.open(url) as store:
        stored = store.query_events(EventQuery(limit=100), viewer=SYSTEM).items
    return {item.doc_id: item.id for item in stored}


def incident_of(url: str, event_id: int) -> dict[str, Any]:
    """The listed incident (JSON) holding `event_id`."""
    listed = run_json(url, "list")
    return next(
        item for item in listed["items"] if event_id in [m["event"]["id"] for m in item["members"]]
    )


def test_link_twice_then_show_and_list(db: str) -> None:
    ids = event_ids(db)
    first = run(db, "link")
    assert first.exit_code == 0, first.stderr
    assert "linked 6 events into 2 incidents: 2 new, 0 changed, 0 unchanged, 0 retired" in (
        first.stdout
    )
    second = run(db, "link")
    assert second.exit_code == 0, second.stderr
    assert second.stdout.strip() == "nothing changed: 6 events in 2 incidents"

    listed = run_json(db, "list")
    assert listed["total"] == 2
    assert [item["summary"]["location"] for item in listed["items"]] == ["Kfar Kila", "Khiam"]
    khiam = incident_of(db, ids["wire-1"])
    assert {m["event"]["doc_id"] for m in khiam["members"]} == {
        "wire-1",
        "cedar-1",
        "daily-1",
        "lb-complaint-1",
    }

    shown = run_json(db, "show", str(khiam["id"]))
    summary = shown["summary"]
    assert summary["start"] == DAY.isoformat()
    assert summary["independent_sources"] == 4
    assert summary["first_reported"].startswith("2025-01-14T14:00")
    assert summary["last_reported"].startswith("2025-01-14T20:00")
    assert [a["kind"] for a in shown["actions"]] == ["link"]
    assert any(v["party"] == "israel" and v["effect"] == "violation" for v in shown["violations"])

    table = run(db, "show", str(khiam["id"]))
    assert table.exit_code == 0, table.stderr
    out = table.stdout
    for expected in (
        "Air/drone strike",
        "Khiam, Nabatieh, LB",
        "Military Forces of Israel",
        "4 independent: Cedar News, Daily Star, Lebanese Armed Forces, Levant Wire",
        "2025-01-14 14:00 UTC",
        "Two people were killed when an Israeli drone struck a car in Khiam.",
        "No operations against the other side",
        "which binds the State of Israel",
        "history",
    ):
        assert expected in out, expected

    listed_table = run(db, "list", "--text", "Kfar")
    assert listed_table.exit_code == 0, listed_table.stderr
    assert "Kfar Kila" in listed_table.stdout
    assert "Khiam" not in listed_table.stdout
    assert "incidents 1–1 of 1" in listed_table.stdout


def test_what_other_users_see(db: str) -> None:
    assert run(db, "link").exit_code == 0
    ids = event_ids(db)
    khiam = incident_of(db, ids["wire-1"])["id"]
    public_view = run_json(db, "show", str(khiam), "--as", "delegate-israel")
    assert {m["event"]["doc_id"] for m in public_view["members"]} == {
        "wire-1",
        "cedar-1",
        "daily-1",
    }
    assert public_view["summary"]["fatalities"] == 2
    assert public_view["actions"] == []  # only the chair and monitors see the history
    lebanon = run_json(db, "show", str(khiam), "--as", "delegate-lebanon")
    assert "lb-complaint-1" in {m["event"]["doc_id"] for m in lebanon["members"]}
    assert "Lebanese Armed Forces" not in run(db, "show", str(khiam), "--as", "observer").stdout
    unknown = run(db, "show", str(khiam), "--as", "nobody")
    assert unknown.exit_code == 2
    assert "--as: no user 'nobody'" in unknown.stderr


def test_merge_undo_split_explain(db: str) -> None:
    ids = event_ids(db)
    assert run(db, "link").exit_code == 0
    khiam = incident_of(db, ids["wire-1"])["id"]
    kfar_kila = incident_of(db, ids["wire-2"])["id"]

    merged = run(db, "merge", str(khiam), str(kfar_kila), "--reason", "one raid", "--by", "chair")
    assert merged.exit_code == 0, merged.stderr
    merge_action = int(merged.stdout.split()[1].rstrip(":"))
    survivor = min(khiam, kfar_kila)
    assert f"merged incidents {survivor}, {max(khiam, kfar_kila)} into {survivor}" in merged.stdout
    assert run_json(db, "list")["total"] == 1
    assert len(run_json(db, "show", str(survivor))["members"]) == 6
    retired = run_json(db, "list", "--include-retired")
    assert retired["total"] == 2
    # the linker keeps the analyst's merge
    assert run(db, "link").stdout.strip() == "nothing changed: 6 events in 1 incidents"

    undone = run(db, "undo", str(merge_action))
    assert undone.exit_code == 0, undone.stderr
    assert f"undid action {merge_action}" in undone.stdout
    assert run_json(db, "list")["total"] == 2
    again = run(db, "undo", str(merge_action))
    assert again.exit_code == 1
    assert f"incident action {merge_action} is undone already" in again.stderr

    split = run(db, "split", str(khiam), "--events", str(ids["daily-1"]), "--by", "monitor")
    assert split.exit_code == 0, split.stderr
    assert f"split events {ids['daily-1']} off incident {khiam}" in split.stdout
    assert run_json(db, "list")["total"] == 3
    alone = incident_of(db, ids["daily-1"])
    assert [m["event"]["id"] for m in alone["members"]] == [ids["daily-1"]]
    history = run_json(db, "show", str(khiam))["actions"]
    assert [a["kind"] for a in history] == ["link", "merge", "undo", "split"]
    assert history[1]["undone_by"] is not None
    shown = run(db, "show", str(khiam))
    assert "one raid" in shown.stdout

    explained = run(db, "explain", str(ids["wire-1"]), str(ids["cedar-1"]))
    assert explained.exit_code == 0, explained.stderr
    assert "may be one incident" in explained.stdout
    apart = run_json(db, "explain", str(ids["wire-1"]), str(ids["wire-2"]))
    assert apart["compatible"] is False
    assert apart["failed"]
    assert apart["days_apart"] == 1
    hidden = run(db, "explain", str(ids["wire-1"]), str(ids["lb-complaint-1"]), "--as", "observer")
    assert hidden.exit_code == 1


def test_who_may_reshape(db: str) -> None:
    assert run(db, "link").exit_code == 0
    listed = run_json(db, "list")["items"]
    first, second = (str(item["id"]) for item in listed)
    refused = run(db, "merge", first, second, "--by", "delegate-lebanon")
    assert refused.exit_code == 1
    assert "may not link, merge, split or undo incidents" in refused.stderr
    unknown = run(db, "merge", first, second, "--by", "nobody")
    assert unknown.exit_code == 2
    assert "--by: no user 'nobody'" in unknown.stderr
    assert run(db, "link", "--by", "observer").exit_code == 1
    bad = run(db, "split", first, "--events", "one,two")
    assert bad.exit_code == 2
    assert "--events" in bad.stderr
    assert run_json(db, "list")["total"] == 2  # nothing changed
