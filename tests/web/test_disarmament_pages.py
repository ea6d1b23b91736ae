"""The disarmament pages as HTML from the real app (no browser), on both backends: the plan's
phases with their history and an update recorded through the form, a site reported and moved
through its statuses and linked to an incident, the pack's held positions seeded and one
withdrawn, the figures for a period, the forms each viewer is offered, refusals shown on the
page, and a delegate never seeing the other party's restricted site or position."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from web_incident_sample import LEBANON, IncidentSample, populate_incidents, visit

from truce.api import create_app
from truce.committee.disarmament import NewSite, report_site
from truce.committee.positions import NewPosition, add_position
from truce.core.access import Classification
from truce.store import Store

LEBANON_SITE = "Tunnel under the olive grove of Lebanon"
LEBANON_POSITION = "Army post on the ridge of Lebanon"
#: Khiam, south of the Litani
LATITUDE, LONGITUDE = 33.3294, 35.6117


@dataclass(frozen=True)
class Site:
    app: FastAPI
    sample: IncidentSample
    lebanon_site: int
    lebanon_position: int


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def site(store_url: str) -> AsyncIterator[Site]:
    sample = populate_incidents(store_url, with_case=False)
    with Store.open(store_url) as store:
        secret_site = report_site(
            store,
            NewSite(
                kind="tunnel",
                name=LEBANON_SITE,
                reported_on=dt.date(2025, 10, 2),
                latitude=LATITUDE,
                longitude=LONGITUDE,
                classification=Classification.RESTRICTED,
            ),
            by=LEBANON,
        )
        secret_position = add_position(
            store,
            NewPosition(
                name=LEBANON_POSITION,
                holder_party="lebanon",
                latitude=LATITUDE,
                longitude=LONGITUDE,
                established_on=dt.date(2025, 10, 3),
                classification=Classification.RESTRICTED,
            ),
            by=LEBANON,
        )
    app = create_app(store_url)
    async with app.router.lifespan_context(app):
        yield Site(app, sample, secret_site.id, secret_position.id)


def figure(page: str, name: str) -> int:
    found = re.search(rf'<td id="figure-{name}">(\d+)</td>', page)
    assert found is not None, name
    return int(found.group(1))


@pytest.mark.anyio
async def test_chair_records_the_plan_a_site_and_positions_through_the_forms(site: Site) -> None:
    today = dt.datetime.now(dt.UTC).date()
    async with visit(site.app, site.sample.url, "chair") as chair:
        page = (await chair.http.get("/disarmament")).text
        phases = re.findall(r'<tr id="phase-([\w-]+)" data-phase-id', page)
        assert phases == [f"arms-plan-{n}" for n in range(1, 6)]
        assert "(the theatre pack)" in page
        updated = await chair.post(
            "/disarmament/phases",
            {
                "phase_id": "arms-plan-2",
                "status": "in-progress",
                "as_of": "2026-02-01",
                "note": "Army units deployed north",
            },
        )
        assert updated.status_code == 303
        assert updated.headers["location"].endswith("/disarmament#phase-arms-plan-2")
        page = (await chair.http.get("/disarmament")).text
        row = re.search(r'<tr id="phase-arms-plan-2".*?</tr>', page, re.S)
        assert row is not None
        assert '<span class="state state-in-progress">in-progress</span>' in row.group(0)
        assert "2026-02-01: in-progress" in row.group(0)
        assert "Army units deployed north" in row.group(0)
        wrong = await chair.post(
            "/disarmament/phases", {"phase_id": "arms-plan-9", "status": "in-progress"}
        )
        assert wrong.status_code == 422
        assert "no phase &#39;arms-plan-9&#39;" in wrong.text

        reported = await chair.post(
            "/disarmament/sites",
            {
                "kind": "cache",
                "name": "Rocket cache near Khiam",
                "reported_on": "2025-10-05",
                "latitude": str(LATITUDE),
                "longitude": str(LONGITUDE),
                "classification": "committee",
            },
        )
        assert reported.status_code == 303
        site_path = reported.headers["location"]
        page = (await chair.http.get(site_path)).text
        assert '<span class="state state-reported" id="site-status">reported</span>' in page
        assert "south-of-litani" in page
        skipped = await chair.post(f"{site_path}/status", {"status": "verified"})
        assert skipped.status_code == 409
        assert "allowed from reported: referred" in skipped.text
        for status in ("referred", "dismantled"):
            moved = await chair.post(
                f"{site_path}/status", {"status": status, "on": today.isoformat()}
            )
            assert moved.status_code == 303
        linked = await chair.post(f"{site_path}/links", {"incidents": str(site.sample.strike)})
        assert linked.status_code == 303
        page = (await chair.http.get(site_path)).text
        assert re.findall(r"<tr><td>([\w—]+)</td><td>(\w+)</td>", page) == [
            ("—", "reported"),
            ("reported", "referred"),
            ("referred", "dismantled"),
        ]
        assert f'/incidents/{site.sample.strike}">Incident {site.sample.strike}</a>' in page
        assert re.findall(r'name="status" value="(\w+)"', page) == ["verified"]

        seeded = await chair.post("/disarmament/positions/seed", {})
        assert seeded.status_code == 303
        page = (await chair.http.get("/disarmament")).text
        held = re.findall(r'data-position-id="(\d+)" data-holder="israel"', page)
        assert len(held) == 5
        assert figure(page, "held") == 5
        withdrawn = await chair.post(
            f"/disarmament/positions/{held[0]}/status",
            {"status": "withdrawn", "on": today.isoformat(), "note": "handed to the army"},
        )
        assert withdrawn.status_code == 303
        page = (await chair.http.get("/disarmament")).text
        assert figure(page, "held") == 4
        row = re.search(rf'<tr id="position-{held[0]}".*?</tr>', page, re.S)
        assert row is not None
        assert "held → withdrawn" in row.group(0)
        assert "position-status-form" not in row.group(0)  # withdrawn is final
        period = {"start": "2025-10-01", "end": "2025-10-31"}
        october = (await chair.http.get("/disarmament", params=period)).text
        assert figure(october, "referred") == 0  # referred today, not in October
        assert figure(october, "established") == 1  # Lebanon's restricted post, seen by the chair
        bad = await chair.post(
            "/disarmament/positions", {"name": "Nowhere", "holder_party": "lebanon"}
        )
        assert bad.status_code == 422
        assert "a position needs its point" in bad.text
        assert 'value="Nowhere"' in bad.text  # what was typed is kept


@pytest.mark.anyio
async def test_forms_follow_who_may_write_and_restricted_records_stay_hidden(site: Site) -> None:
    async with visit(site.app, site.sample.url, "chair") as chair:
        assert (await chair.post("/disarmament/positions/seed", {})).status_code == 303
    async with visit(site.app, site.sample.url, "delegate-israel") as israel:
        page = (await israel.http.get("/disarmament")).text
        assert LEBANON_SITE not in page
        assert LEBANON_POSITION not in page
        assert 'class="stacked site-form"' in page  # its own party's records
        assert 'name="owner_party"' not in page
        assert "seed-positions-form" not in page
        assert "position-status-form" not in page  # the seeded positions are the committee's
        missing = await israel.http.get(f"/disarmament/sites/{site.lebanon_site}")
        assert missing.status_code == 404
        assert LEBANON_SITE not in missing.text
        moving = await israel.post(
            f"/disarmament/positions/{site.lebanon_position}/status", {"status": "withdrawn"}
        )
        assert moving.status_code == 404
        assert LEBANON_POSITION not in moving.text
        refused = await israel.post(
            "/disarmament/sites",
            {
                "kind": "cache",
                "name": "Of Lebanon",
                "reported_on": "2025-10-05",
                "classification": "restricted",
                "owner_party": "lebanon",
            },
        )
        assert refused.status_code == 403
    async with visit(site.app, site.sample.url, "observer") as observer:
        page = (await observer.http.get("/disarmament")).text
        assert "site-form" not in page
        assert "phase-update-form" not in page
    async with visit(site.app, site.sample.url, "delegate-lebanon") as lebanon:
        page = (await lebanon.http.get("/disarmament")).text
        assert LEBANON_SITE in page
        assert LEBANON_POSITION in page
        own = re.search(rf'<tr id="position-{site.lebanon_position}".*?</tr>', page, re.S)
        assert own is not None
        assert "position-status-form" in own.group(0)
        site_page = (await lebanon.http.get(f"/disarmament/sites/{site.lebanon_site}")).text
        assert "restricted: lebanon and the chair only" in site_page
        assert "site-status-form" in site_page
