"""The economic-zone page as HTML from the real app (no browser), on both backends: the
zone's activity per period (an incident inside it, for those who may see it), projects and
versions of the geometry recorded through the forms, refusals shown on the page, and a
delegate never seeing the other party's restricted project, version or incident."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from web_incident_sample import LEBANON, IncidentSample, populate_incidents, visit

from truce.api import create_app
from truce.committee.economic_zone import NewProject, add_project, add_zone_version
from truce.core.access import Classification
from truce.store import Store

LEBANON_PROJECT = "Irrigation canal of Lebanon"
LEBANON_VERSION = "Widened by the delegation of Lebanon"
#: Kfar Kila, inside the pack's illustrative zone; Beirut, far outside it
INSIDE = (33.27722, 35.55167)
OUTSIDE = (33.8938, 35.5018)
EARLY_2025 = {"start": "2025-01-01", "end": "2025-03-31", "by": "month"}


def square(half: float) -> str:
    lat, lon = INSIDE
    ring = [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
        [lon - half, lat - half],
    ]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


@dataclass(frozen=True)
class Site:
    app: FastAPI
    sample: IncidentSample
    lebanon_project: int


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def site(store_url: str) -> AsyncIterator[Site]:
    sample = populate_incidents(store_url, with_case=False)
    with Store.open(store_url) as store:
        project = add_project(
            store,
            NewProject(
                title=LEBANON_PROJECT,
                kind="water",
                latitude=INSIDE[0],
                longitude=INSIDE[1],
                classification=Classification.RESTRICTED,
            ),
            by=LEBANON,
        )
        add_zone_version(
            store,
            json.loads(square(0.2)),  # Khiam and Aitaroun inside
            by=LEBANON,
            note=LEBANON_VERSION,
            classification=Classification.RESTRICTED,
        )
    app = create_app(store_url)
    async with app.router.lifespan_context(app):
        yield Site(app, sample, project.id)


def periods(page: str) -> dict[str, str]:
    """Each period's label and the incident ids it lists inside the zone."""
    return dict(re.findall(r'data-label="([\w-]+)" data-incidents="([\d ]*)"', page))


@pytest.mark.anyio
async def test_the_zones_activity_shows_only_what_the_viewer_may_see(site: Site) -> None:
    # the chair sees Lebanon's wider version: Khiam's strike and Lebanon's own incident in
    # Aitaroun lie inside it; Israel's delegate sees the pack's version, and neither
    inside = f"{site.sample.strike} {site.sample.secret}"
    async with visit(site.app, site.sample.url, "chair") as chair:
        page = (await chair.http.get("/economic-zone", params=EARLY_2025)).text
        assert periods(page) == {"2025-01": inside, "2025-02": "", "2025-03": ""}
        assert (
            'data-geojson-url="/api/economic-zone.geojson?start=2025-01-01&amp;end=2025-03-31"'
            in page
        )
        assert LEBANON_PROJECT in page
        assert LEBANON_VERSION in page
        assert 'data-version="1" class="current"' in page
        # the pack's draft, chosen for the whole span: Khiam's strike lies outside it
        pack_drawn = (
            await chair.http.get("/economic-zone", params={**EARLY_2025, "version": "0"})
        ).text
        assert 'data-version="0" class="current"' in pack_drawn
        assert "not the latest (1)" in pack_drawn
        assert "version=0" in pack_drawn  # the map's GeoJSON follows the choice
        assert str(site.sample.strike) not in periods(pack_drawn)["2025-01"].split()
        hidden = await chair.http.get("/economic-zone", params={"version": "9"})
        assert hidden.status_code == 422
        assert "no version 9 of this zone" in hidden.text
    async with visit(site.app, site.sample.url, "delegate-israel") as israel:
        page = (await israel.http.get("/economic-zone", params=EARLY_2025)).text
        assert periods(page) == {"2025-01": "", "2025-02": "", "2025-03": ""}
        assert LEBANON_PROJECT not in page
        assert LEBANON_VERSION not in page
        assert 'data-version="0" class="current"' in page
        assert 'name="owner_party"' not in page  # its records are Israel's
        data = (await israel.http.get("/api/economic-zone.geojson")).json()
        kinds = [feature["properties"]["kind"] for feature in data["features"]]
        assert kinds == ["zone"]
        assert data["features"][0]["properties"]["version"] == 0
        # Lebanon's restricted version 1 is as unknown to Israel's delegate as a missing one
        refused = await israel.http.get("/economic-zone", params={"version": "1"})
        assert refused.status_code == 422
        assert "known: 0)" in refused.text
        assert LEBANON_VERSION not in refused.text
        moving = await israel.post(
            f"/economic-zone/projects/{site.lebanon_project}/status", {"status": "approved"}
        )
        assert moving.status_code == 404
        assert LEBANON_PROJECT not in moving.text
    async with visit(site.app, site.sample.url) as public:
        page = (await public.http.get("/economic-zone")).text
        assert "project-form" not in page
        assert "version-form" not in page
        bad = await public.http.get("/economic-zone", params={"by": "year"})
        assert bad.status_code == 422


@pytest.mark.anyio
async def test_chair_records_projects_and_a_version_through_the_forms(site: Site) -> None:
    async with visit(site.app, site.sample.url, "chair") as chair:
        outside = await chair.post(
            "/economic-zone/projects",
            {
                "title": "Market in Beirut",
                "kind": "trade",
                "latitude": str(OUTSIDE[0]),
                "longitude": str(OUTSIDE[1]),
            },
        )
        assert outside.status_code == 422
        assert "lies outside zone" in outside.text
        assert 'value="Market in Beirut"' in outside.text
        added = await chair.post(
            "/economic-zone/projects",
            {
                "title": "Solar farm at Kfar Kila",
                "kind": "energy",
                "sponsor": "EU",
                "latitude": str(INSIDE[0]),
                "longitude": str(INSIDE[1]),
                "classification": "committee",
            },
        )
        assert added.status_code == 303
        anchor = re.search(r"#project-(\d+)$", added.headers["location"])
        assert anchor is not None
        project = anchor.group(1)
        skipped = await chair.post(f"/economic-zone/projects/{project}/status", {"status": "done"})
        assert skipped.status_code == 409
        approved = await chair.post(
            f"/economic-zone/projects/{project}/status", {"status": "approved"}
        )
        assert approved.status_code == 303
        page = (await chair.http.get("/economic-zone")).text
        row = re.search(rf'<tr id="project-{project}".*?</tr>', page, re.S)
        assert row is not None
        assert '<span class="state state-approved project-status">approved</span>' in row.group(0)
        assert re.findall(r'name="status" value="(\w+)"', row.group(0)) == ["underway"]
        history = re.findall(r"<li>[\d-]+: (.*?), chair</li>", row.group(0))
        assert history == ["recorded proposed", "proposed → approved"]

        not_json = await chair.post("/economic-zone/versions", {"geometry": "{polygon"})
        assert not_json.status_code == 422
        assert "not JSON" in not_json.text
        a_point = await chair.post(
            "/economic-zone/versions", {"geometry": '{"type": "Point", "coordinates": [35, 33]}'}
        )
        assert a_point.status_code == 422
        assert "not &#39;Point&#39;" in a_point.text
        drawn = await chair.post(
            "/economic-zone/versions",
            {"geometry": square(0.05), "note": "Drawn at the meeting", "classification": "public"},
        )
        assert drawn.status_code == 303
        assert drawn.headers["location"].endswith("#version-2")
        data = (await chair.http.get("/api/economic-zone.geojson")).json()
        zone = data["features"][0]
        assert zone["properties"]["version"] == 2
        assert zone["geometry"]["coordinates"][0][0] == pytest.approx(
            [INSIDE[1] - 0.05, INSIDE[0] - 0.05]
        )
    async with visit(site.app, site.sample.url, "delegate-israel") as israel:
        page = (await israel.http.get("/economic-zone")).text
        assert 'data-version="2" class="current"' in page  # public: the latest it may see
        assert "Drawn at the meeting" in page
