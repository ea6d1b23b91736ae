"""`/api/disarmament` and `/api/economic-zone` through the real app on both backends: a cache
through its statuses into the figures, the plan's phases, the hilltops seeded and withdrawn,
the economic zone's versions, projects, activity and map, and who sees what."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import pytest
from incident_sample import KFAR_KILA, KHIAM, Site, open_site

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def site(store_url: str) -> AsyncIterator[Site]:
    async with open_site(store_url) as opened:
        yield opened


def point(place: dict[str, object]) -> dict[str, object]:
    return {"latitude": place["latitude"], "longitude": place["longitude"]}


async def post(site: Site, url: str, username: str, body: dict[str, Any]) -> tuple[int, Any]:
    response = await site.client.post(url, headers=site.as_user(username), json=body)
    return response.status_code, response.json()


async def get(site: Site, url: str, username: str | None = None, **params: Any) -> Any:
    headers = site.as_user(username) if username else {}
    response = await site.client.get(url, headers=headers, params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def test_a_cache_through_its_statuses_moves_the_figures(site: Site) -> None:
    status, cache = await post(
        site,
        "/api/disarmament/sites",
        "delegate-lebanon",
        {"kind": "cache", "name": "Rocket cache", "reported_on": "2025-09-10", **point(KFAR_KILA)},
    )
    assert status == 201, cache
    assert (cache["status"], cache["owner_party"], cache["created_by"]) == (
        "reported",
        "lebanon",
        "delegate-lebanon",
    )
    assert "economic-zone-illustrative" in cache["zones"]
    url = f"/api/disarmament/sites/{cache['id']}"
    status, jump = await post(site, f"{url}/status", "chair", {"status": "verified"})
    assert status == 409
    assert "allowed from reported: referred" in jump["detail"]
    status, denied = await post(site, f"{url}/status", "observer", {"status": "referred"})
    assert status == 403, denied
    steps = [("referred", "2025-09-20"), ("dismantled", "2025-10-05"), ("verified", "2025-10-15")]
    for step, day in steps:
        status, moved = await post(site, f"{url}/status", "chair", {"status": step, "on": day})
        assert status == 200, moved
    assert [h["to_status"] for h in moved["history"]] == [
        "reported",
        "referred",
        "dismantled",
        "verified",
    ]
    status, links = await post(
        site, f"{url}/links", "chair", {"incident_ids": [site.incidents["kfar_kila"]]}
    )
    assert (status, links["incident_ids"]) == (200, [site.incidents["kfar_kila"]])
    figures = await get(site, "/api/disarmament/figures", "observer")
    every = {"reported": 1, "referred": 1, "dismantled": 1, "verified": 1}
    assert figures["sites"] == every
    assert figures["by_zone"]["south-of-litani"] == every
    assert figures["by_month"]["2025-10"] == {
        "reported": 0,
        "referred": 0,
        "dismantled": 1,
        "verified": 1,
    }
    october = await get(site, "/api/disarmament/figures", "observer", start="2025-10-01")
    assert october["sites"]["reported"] == 0
    public = await get(site, "/api/disarmament/figures")
    assert public["sites"] == dict.fromkeys(every, 0)


async def test_the_plan_and_its_updates(site: Site) -> None:
    plan = await get(site, "/api/disarmament/plan")
    assert [phase["id"] for phase in plan["phases"]] == [f"arms-plan-{n}" for n in range(1, 6)]
    status, update = await post(
        site,
        "/api/disarmament/plan/arms-plan-2/updates",
        "monitor",
        {"status": "in-progress", "as_of": "2026-02-10", "classification": "public"},
    )
    assert (status, update["created_by"]) == (201, "monitor")
    second = (await get(site, "/api/disarmament/plan"))["phases"][1]
    assert (second["status"], len(second["history"])) == ("in-progress", 2)
    status, bad = await post(
        site, "/api/disarmament/plan/arms-plan-9/updates", "chair", {"status": "planned"}
    )
    assert status == 422
    assert "phase_id" in bad["detail"]


async def test_hilltops_seeded_once_and_withdrawn(site: Site) -> None:
    status, denied = await post(site, "/api/disarmament/positions/seed", "delegate-israel", {})
    assert status == 403, denied
    status, seeded = await post(site, "/api/disarmament/positions/seed", "chair", {})
    assert (status, len(seeded)) == (200, 5)
    status, again = await post(site, "/api/disarmament/positions/seed", "chair", {})
    assert (status, again) == (200, [])
    hamames = next(p for p in seeded if p["pack_place"] == "il-lb:position-hamames")
    status, moved = await post(
        site,
        f"/api/disarmament/positions/{hamames['id']}/status",
        "chair",
        {"status": "withdrawn", "on": "2025-06-01"},
    )
    assert (status, moved["status"]) == (200, "withdrawn")
    figures = await get(site, "/api/disarmament/figures", "delegate-israel")
    assert (figures["israeli_positions_held"], figures["positions_withdrawn"]) == (4, 1)
    listed = await get(site, "/api/disarmament/positions", "observer", status="held")
    assert listed["total"] == 4


async def test_a_delegate_never_sees_the_other_partys_restricted_records(site: Site) -> None:
    secret = {"classification": "restricted", **point(KFAR_KILA)}
    status, israeli_site = await post(
        site,
        "/api/disarmament/sites",
        "delegate-israel",
        {"kind": "launcher", "name": "Launcher seen", "reported_on": "2025-09-01", **secret},
    )
    assert status == 201, israeli_site
    status, israeli_project = await post(
        site,
        "/api/economic-zone/projects",
        "delegate-israel",
        {"title": "Water pipeline", "kind": "water", **secret},
    )
    assert status == 201, israeli_project
    for url, record in (
        ("/api/disarmament/sites", israeli_site),
        ("/api/economic-zone/projects", israeli_project),
    ):
        hidden = await site.client.get(
            f"{url}/{record['id']}", headers=site.as_user("delegate-lebanon")
        )
        missing = await site.client.get(f"{url}/987654", headers=site.as_user("delegate-lebanon"))
        assert hidden.status_code == missing.status_code == 404
        assert hidden.json()["detail"] == missing.json()["detail"].replace(
            "987654", str(record["id"])
        )
        assert (await get(site, url, "delegate-lebanon"))["total"] == 0
        assert (await get(site, url, "delegate-israel"))["total"] == 1
    figures = await get(site, "/api/disarmament/figures", "delegate-lebanon")
    assert figures["sites"]["reported"] == 0
    assert (await get(site, "/api/disarmament/figures", "chair"))["sites"]["reported"] == 1
    for username, shown in (("delegate-lebanon", False), ("delegate-israel", True)):
        collection = await get(site, "/api/economic-zone.geojson", username)
        kinds = {feature["properties"]["kind"] for feature in collection["features"]}
        assert ({"site", "project"} <= kinds) is shown
        zone = await get(site, "/api/economic-zone", username)
        assert len(zone["projects"]) == int(shown)


async def test_the_economic_zone_versions_projects_and_activity(site: Site) -> None:
    zone = await get(site, "/api/economic-zone")
    assert (zone["zone_id"], zone["current"]["number"], zone["illustrative"]) == (
        "economic-zone-illustrative",
        0,
        True,
    )
    bow_tie = {
        "type": "Polygon",
        "coordinates": [[[35.3, 33.1], [35.4, 33.2], [35.4, 33.1], [35.3, 33.2], [35.3, 33.1]]],
    }
    status, refused = await post(
        site, "/api/economic-zone/versions", "chair", {"geometry": bow_tie}
    )
    assert status == 422
    assert refused["detail"].startswith("geometry: not a valid polygon: Self-intersection")
    status, outside = await post(
        site,
        "/api/economic-zone/projects",
        "monitor",
        {"title": "School", "kind": "education", **point(KHIAM)},
    )
    assert status == 422
    assert "outside zone" in outside["detail"]
    status, made = await post(
        site,
        "/api/economic-zone/projects",
        "monitor",
        {"title": "Olive press", "kind": "agriculture", "sponsor": "EU", **point(KFAR_KILA)},
    )
    assert (status, made["next_statuses"]) == (201, ["approved"])
    assert [(c["from_status"], c["to_status"], c["by"]) for c in made["history"]] == [
        (None, "proposed", "monitor")
    ]
    status, moved = await post(
        site, f"/api/economic-zone/projects/{made['id']}/status", "chair", {"status": "done"}
    )
    assert status == 409, moved
    activity = await get(
        site,
        "/api/economic-zone/activity",
        "observer",
        start="2025-01-01",
        end="2025-01-31",
        by="week",
    )
    inside = {n for period in activity["periods"] for n in period["incident_ids"]}
    assert site.incidents["kfar_kila"] in inside
    assert site.incidents["khiam"] not in inside
    pack_drawn = await get(site, "/api/economic-zone/activity", "observer", version="0")
    assert pack_drawn["version"] == 0
    default = await get(site, "/api/economic-zone/activity")
    assert default["start"] == "2024-11-26"
    assert default["end"] == dt.datetime.now(dt.UTC).date().isoformat()
    collection = await get(site, "/api/economic-zone.geojson", "observer")
    assert collection["features"][0]["properties"]["kind"] == "zone"
    incidents = {
        f["properties"]["id"]
        for f in collection["features"]
        if f["properties"]["kind"] == "incident"
    }
    assert site.incidents["kfar_kila"] in incidents
    assert site.incidents["khiam"] not in incidents
