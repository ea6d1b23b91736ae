"""`truce disarmament` and `truce zone` as the committee's people run them, on a real store
(SQLite and PostgreSQL): a cache through its statuses into the figures, the hilltops seeded
once and one withdrawn, the plan's phases, the zone's versions, projects, activity and map,
and who sees what."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

import truce.cli.disarmament
import truce.cli.economic_zone
import truce.cli.incidents  # noqa: F401  (registers `disarmament`, `zone` and `incidents`)
from builders import ISRAEL, SYSTEM, event, write
from truce.cli.app import app
from truce.core.access import Role
from truce.core.models import Document
from truce.security import add_user
from truce.store import Store

KFAR_KILA = ("33.27722", "35.55167")
KHIAM = ("33.32778", "35.61278")
HOULA = ("33.20917", "35.51500")
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
    """Drone strikes on Houla (inside the economic zone) and Khiam (outside), linked into
    incidents 1 and 2; the committee's people as users."""
    batches = {}
    for number, (place, lat, lon) in enumerate((("Houla", *HOULA), ("Khiam", *KHIAM))):
        sentence = f"An Israeli drone struck a house in {place} on 5 March 2025."
        document = Document(id=f"report-{number}", text=sentence, published=dt.date(2025, 3, 5))
        batches[document] = [
            event(
                document,
                sentence,
                event_type="Explosions/Remote violence",
                sub_event_type="Air/drone strike",
                plover="ASSAULT",
                actor1=ISRAEL,
                country="LB",
                location=place,
                latitude=float(lat),
                longitude=float(lon),
                event_date=dt.date(2025, 3, 5),
            )
        ]
    with Store.open(store_url) as store:
        write(store, batches)
        for username, (role, party) in USERS.items():
            add_user(store, username=username, role=role, password="p" * 16, by=SYSTEM, party=party)
    assert "2 new" in ok(store_url, "incidents", "link")
    return store_url


def test_a_cache_from_report_to_verification(db: str) -> None:
    reported = ok(db, "disarmament", "site", "report", "--kind", "cache", "--name",
                  "Rocket cache", "--reported-on", "2025-09-10", "--lat", KFAR_KILA[0],
                  "--lon", KFAR_KILA[1], "--by", "delegate-lebanon")  # fmt: skip
    assert reported.startswith("site 1: Rocket cache (reported; zones: south-of-litani")
    jump = run(db, "disarmament", "site", "move", "1", "verified", "--by", "chair")
    assert jump.exit_code == 1
    assert "site 1 is reported: it cannot become verified; allowed from reported: referred" in (
        jump.stderr
    )
    denied = run(db, "disarmament", "site", "move", "1", "referred", "--by", "observer")
    assert denied.exit_code == 1
    for status, day in (("referred", "2025-09-20"), ("dismantled", "2025-10-05")):
        assert ok(db, "disarmament", "site", "move", "1", status, "--on", day).strip() == (
            f"site 1: {status}"
        )
    ok(db, "disarmament", "site", "move", "1", "verified", "--on", "2025-10-15", "--by", "chair")
    linked = ok(db, "disarmament", "site", "link", "1", "--incident", "1")  # Houla
    assert linked.strip() == "site 1: linked incident 1"
    site = run_json(db, "disarmament", "site", "show", "1")
    assert [h["to_status"] for h in site["history"]] == [
        "reported",
        "referred",
        "dismantled",
        "verified",
    ]
    assert site["incident_ids"] == [1]
    figures = run_json(db, "disarmament", "figures", "--as", "observer")
    assert figures["sites"] == {"reported": 1, "referred": 1, "dismantled": 1, "verified": 1}
    assert figures["by_month"]["2025-10"]["verified"] == 1
    assert figures["by_zone"]["economic-zone-illustrative"]["verified"] == 1
    table = ok(db, "disarmament", "figures", "--start", "2025-10-01")
    assert "Israeli-held positions still held: 0" in table
    bad_day = run(db, "disarmament", "figures", "--start", "October")
    assert bad_day.exit_code == 2
    assert "--start" in bad_day.stderr


def test_a_delegate_never_sees_the_other_partys_restricted_site(db: str) -> None:
    ok(db, "disarmament", "site", "report", "--kind", "tunnel", "--name", "Tunnel",
       "--reported-on", "2025-09-10", "--classification", "restricted",
       "--by", "delegate-israel")  # fmt: skip
    listed = run_json(db, "disarmament", "site", "list", "--as", "delegate-lebanon")
    assert listed["total"] == 0
    assert run_json(db, "disarmament", "site", "list", "--as", "delegate-israel")["total"] == 1
    hidden = run(db, "disarmament", "site", "show", "1", "--as", "delegate-lebanon")
    assert hidden.exit_code == 1
    assert "no site with id 1" in hidden.stderr
    figures = run_json(db, "disarmament", "figures", "--as", "delegate-lebanon")
    assert figures["sites"]["reported"] == 0
    for_all = ok(db, "disarmament", "site", "list", "--as", "chair")
    assert "Tunnel" in for_all
    assert "restricted of israel" in for_all


def test_hilltops_seeded_once_and_one_withdrawn(db: str) -> None:
    denied = run(db, "disarmament", "position", "seed", "--by", "delegate-israel")
    assert denied.exit_code == 1
    assert ok(db, "disarmament", "position", "seed").startswith("seeded 5 positions: ")
    assert ok(db, "disarmament", "position", "seed").strip() == "seeded 0 positions: none new"
    positions = run_json(db, "disarmament", "position", "list", "--holder", "israel")
    hamames = next(p for p in positions["items"] if p["name"] == "Hamames hill")
    moved = ok(db, "disarmament", "position", "move", str(hamames["id"]), "withdrawn",
               "--on", "2025-06-01", "--by", "chair")  # fmt: skip
    assert moved.strip() == f"position {hamames['id']}: withdrawn on 2025-06-01"
    again = run(db, "disarmament", "position", "move", str(hamames["id"]), "handed-over")
    assert again.exit_code == 1
    assert "withdrawn is final" in again.stderr
    assert run_json(db, "disarmament", "figures")["israeli_positions_held"] == 4
    added = ok(db, "disarmament", "position", "add", "--name", "Army post", "--holder",
               "lebanon", "--lat", KFAR_KILA[0], "--lon", KFAR_KILA[1],
               "--supported-by", "UNIFIL")  # fmt: skip
    assert "(lebanon, held)" in added
    figures = run_json(db, "disarmament", "figures")
    assert (figures["army_positions_established"], figures["positions_supported"]) == (1, 1)
    shown = ok(db, "disarmament", "position", "show", str(hamames["id"]))
    assert "withdrawn" in shown


def test_the_plan_and_a_phase_update(db: str) -> None:
    recorded = ok(db, "disarmament", "phase", "arms-plan-2", "in-progress", "--as-of",
                  "2026-02-10", "--source", "army statement")  # fmt: skip
    assert recorded.strip() == "phase arms-plan-2: in-progress as of 2026-02-10"
    plan = run_json(db, "disarmament", "plan")
    second = plan["phases"][1]
    assert (second["status"], second["as_of"]) == ("in-progress", "2026-02-10")
    assert [u["from_pack"] for u in second["history"]] == [True, False]
    unknown = run(db, "disarmament", "phase", "arms-plan-9", "planned")
    assert unknown.exit_code == 2
    assert "phase_id: no phase 'arms-plan-9'" in unknown.stderr
    assert "South of the Litani" in ok(db, "disarmament", "plan")


def test_the_zone_versions_projects_activity_and_map(db: str, tmp_path: Path) -> None:
    bow_tie = tmp_path / "bow-tie.geojson"
    bow_tie.write_text(
        json.dumps(
            {
                "type": "Feature",
                "properties": {},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        [[35.3, 33.1], [35.4, 33.2], [35.4, 33.1], [35.3, 33.2], [35.3, 33.1]]
                    ],
                },
            }
        )
    )
    refused = run(db, "zone", "version", "--geometry", str(bow_tie))
    assert refused.exit_code == 2
    assert "geometry: not a valid polygon: Self-intersection" in refused.stderr
    broken = tmp_path / "broken.geojson"
    broken.write_text('{"type": "Polygon",\n "coordinates": [}')
    unreadable = run(db, "zone", "version", "--geometry", str(broken))
    assert unreadable.exit_code == 2
    assert f"{broken}:2:" in unreadable.stderr
    lat, lon = float(HOULA[0]), float(HOULA[1])
    ring = [[lon - 0.02, lat - 0.02], [lon + 0.02, lat - 0.02], [lon + 0.02, lat + 0.02],
            [lon - 0.02, lat + 0.02], [lon - 0.02, lat - 0.02]]  # fmt: skip
    square = tmp_path / "square.geojson"
    square.write_text(json.dumps({"type": "Polygon", "coordinates": [ring]}))
    added = ok(db, "zone", "version", "--geometry", str(square), "--note", "smaller")
    assert added.strip() == "zone economic-zone-illustrative: version 1"
    outside = run(db, "zone", "project", "add", "--title", "School", "--kind", "education",
                  "--lat", KHIAM[0], "--lon", KHIAM[1])  # fmt: skip
    assert outside.exit_code == 2
    assert "outside zone" in outside.stderr
    made = ok(db, "zone", "project", "add", "--title", "Olive press", "--kind", "agriculture",
              "--sponsor", "EU", "--lat", HOULA[0], "--lon", HOULA[1])  # fmt: skip
    assert made.strip() == "project 1: Olive press (proposed)"
    assert ok(db, "zone", "project", "move", "1", "approved", "--note", "funded").strip() == (
        "project 1: approved"
    )
    shown = run_json(db, "zone", "project", "show", "1")
    assert [(c["from_status"], c["to_status"], c["note"]) for c in shown["history"]] == [
        (None, "proposed", None),
        ("proposed", "approved", "funded"),
    ]
    assert "funded" in ok(db, "zone", "project", "show", "1")
    assert run(db, "zone", "project", "move", "1", "done").exit_code == 1
    zone = run_json(db, "zone", "show")
    assert (zone["current"]["number"], len(zone["projects"])) == (1, 1)
    activity = run_json(db, "zone", "activity", "--start", "2025-03-01", "--end", "2025-04-30")
    assert [(p["label"], p["incident_ids"]) for p in activity["periods"]] == [
        ("2025-03", [1]),
        ("2025-04", []),
    ]
    drafts = run_json(db, "zone", "activity", "--start", "2025-03-01", "--end", "2025-04-30",
                      "--zone-version", "0")  # fmt: skip
    assert drafts["version"] == 0
    unknown = run(db, "zone", "geojson", "--zone-version", "4")
    assert unknown.exit_code == 2
    assert "no version 4 of this zone (known: 0, 1)" in unknown.stderr
    out = tmp_path / "zone.geojson"
    wrote = ok(db, "zone", "geojson", "--out", str(out))
    collection = json.loads(out.read_text())
    assert wrote.strip() == f"wrote {len(collection['features'])} features to {out}"
    kinds = [feature["properties"]["kind"] for feature in collection["features"]]
    assert kinds == ["zone", "project", "incident"]
    assert ok(db, "zone", "project", "list").count("Olive press") == 1
