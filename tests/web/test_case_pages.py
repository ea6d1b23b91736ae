"""The case pages as HTML from the real app (no browser), on both backends: the list and
the filing form, a case's whole life through its forms, the forms each viewer is offered,
refusals shown on the page, and a delegate never seeing the other party's restricted case."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from web_incident_sample import (
    LEBANON_CASE_TITLE,
    IncidentSample,
    Visitor,
    populate_incidents,
    visit,
)

from builders import SYSTEM
from truce.api import create_app
from truce.store import Store
from truce.store.schema import cases


@dataclass(frozen=True)
class Site:
    app: FastAPI
    sample: IncidentSample


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def site(store_url: str) -> AsyncIterator[Site]:
    sample = populate_incidents(store_url)
    app = create_app(store_url)
    async with app.router.lifespan_context(app):
        yield Site(app, sample)


def listed_cases(page: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr data-case-id="(\d+)"', page)]


def offered(page: str) -> set[str]:
    """The forms a case page offers: transitions by action, and the other forms by class."""
    found = set(re.findall(r'<input type="hidden" name="action" value="(\w+)">', page))
    for form in ("task-form", "visit-form", "close-task-form", "link-incidents-form"):
        if f'class="inline-form {form}"' in page or f'class="stacked {form}"' in page:
            found.add(form)
    return found


async def file_case(visitor: Visitor, **fields: str) -> int:
    response = await visitor.post("/cases", fields)
    assert response.status_code == 303, response.text
    found = re.search(r"/cases/(\d+)$", response.headers["location"])
    assert found is not None
    return int(found.group(1))


@pytest.mark.anyio
async def test_a_delegate_never_sees_the_other_partys_restricted_case(site: Site) -> None:
    sample = site.sample
    case = sample.lebanon_case
    for username in (None, "delegate-israel", "observer", "monitor"):
        async with visit(site.app, sample.url, username) as visitor:
            listing = await visitor.http.get("/cases")
            assert listing.status_code == 200
            assert case not in listed_cases(listing.text), username
            assert LEBANON_CASE_TITLE not in listing.text
            page = await visitor.http.get(f"/cases/{case}")
            assert page.status_code == 404, username
            assert LEBANON_CASE_TITLE not in page.text
            assert "Aitaroun" not in page.text
    for username in ("delegate-lebanon", "chair"):
        async with visit(site.app, sample.url, username) as visitor:
            assert listed_cases((await visitor.http.get("/cases")).text) == [case]
            page = await visitor.http.get(f"/cases/{case}")
            assert page.status_code == 200
            assert LEBANON_CASE_TITLE in page.text
            assert "restricted: lebanon and the chair only" in page.text


@pytest.mark.anyio
async def test_chair_takes_a_case_from_filing_to_a_finding(site: Site) -> None:
    sample = site.sample
    today = dt.datetime.now(dt.UTC).date()
    async with visit(site.app, sample.url, "chair") as chair:
        form = await chair.http.get("/cases", params={"incident_id": str(sample.strike)})
        assert f'name="incidents" value="{sample.strike}"' in form.text
        case = await file_case(
            chair,
            title="Drone strike on a car in Khiam",
            summary="Two killed <b>in</b> Khiam.",
            accused_party="israel",
            clause_id="coh-2024-02",
            deadline=(today + dt.timedelta(days=30)).isoformat(),
            classification="committee",
            incidents=str(sample.strike),
        )
        page = (await chair.http.get(f"/cases/{case}")).text
        assert "Two killed &lt;b&gt;in&lt;/b&gt; Khiam." in page
        assert offered(page) == {"investigate", "withdraw", "link-incidents-form"}
        assert f'/incidents/{sample.strike}">Incident {sample.strike}</a>' in page

        stale = await chair.post(f"/cases/{case}/tasks", {"title": "too early"})
        assert stale.status_code == 409
        assert "only while it is investigating" in stale.text

        moved = await chair.post(f"/cases/{case}/transitions", {"action": "investigate"})
        assert moved.status_code == 303
        page = (await chair.http.get(f"/cases/{case}")).text
        assert offered(page) == {
            "withdraw",
            "conclude",
            "task-form",
            "visit-form",
            "link-incidents-form",
        }
        task = await chair.post(
            f"/cases/{case}/tasks",
            {"title": "Visit the site", "assigned_to": "monitor", "due": ""},
        )
        assert task.status_code == 303
        page = (await chair.http.get(f"/cases/{case}")).text
        task_id = re.search(r'<tr data-task-id="(\d+)"', page)
        assert task_id is not None
        future = await chair.post(
            f"/cases/{case}/visits",
            {
                "visited_on": (today + dt.timedelta(days=2)).isoformat(),
                "place": "Khiam",
                "text": "x",
            },
        )
        assert future.status_code == 422
        assert "is in the future" in future.text
        visit_report = await chair.post(
            f"/cases/{case}/visits",
            {
                "visited_on": today.isoformat(),
                "place": "Khiam, the main road",
                "text": "The car's wreck and a drone's fragments.",
                "task_id": task_id.group(1),
            },
        )
        assert visit_report.status_code == 303
        done = await chair.post(f"/cases/{case}/tasks/{task_id.group(1)}/done", {"status": "done"})
        assert done.status_code == 303

        unfounded = await chair.post(
            f"/cases/{case}/transitions",
            {"action": "conclude", "outcome": "confirmed", "rationale": ""},
        )
        assert unfounded.status_code == 422
        concluded = await chair.post(
            f"/cases/{case}/transitions",
            {
                "action": "conclude",
                "outcome": "confirmed",
                "clause_id": "",
                "attributed_party": "",
                "rationale": "Two independent reports and the site visit agree.",
                "shared_with": "public",
                "shared_party": "",
                "note": "decided in the meeting of the committee",
            },
        )
        assert concluded.status_code == 303
        page = (await chair.http.get(f"/cases/{case}")).text
        assert offered(page) == {"reopen"}
        assert '<span class="state state-concluded" id="case-state">concluded</span>' in page
        history = re.findall(r"<tr><td>(\w+)</td><td>([\w—]+)</td><td>(\w+)</td>", page)
        assert history == [
            ("file", "—", "filed"),
            ("investigate", "filed", "investigating"),
            ("conclude", "investigating", "concluded"),
        ]
        assert "decided in the meeting of the committee" in page
        assert '<strong class="outcome">confirmed</strong>' in page
        assert "clause 2. No operations against the other side" in page
        assert "attributed to the State of Israel" in page
        assert "The car&#39;s wreck and a drone&#39;s fragments." in page
        assert '<td class="task-status">done</td>' in page

        # the finding is public: the public's counts show it, linked to the incident
        again = await chair.post(f"/cases/{case}/transitions", {"action": "investigate"})
        assert again.status_code == 409
        assert "it cannot investigate" in again.text
    async with visit(site.app, sample.url) as public:
        counts = await public.http.get("/violations", params={"basis": "finding"})
        row = re.search(r'<tr data-key="israel\|coh-2024-02">(.*?)</tr>', counts.text, re.S)
        assert row is not None
        assert '">1</a>' in row.group(1)


@pytest.mark.anyio
async def test_each_viewer_is_offered_only_what_it_may_do(site: Site) -> None:
    sample = site.sample
    async with visit(site.app, sample.url, "delegate-israel") as israel:
        listing = await israel.http.get("/cases")
        assert "file-form" in listing.text
        assert "Filed for the State of Israel" in listing.text
        case = await file_case(israel, title="Rockets at Metula", classification="restricted")
        page = (await israel.http.get(f"/cases/{case}")).text
        assert offered(page) == {"withdraw", "link-incidents-form"}
        # a delegation may not file for the other party: refused on the page, typed text kept
        refused = await israel.post(
            "/cases",
            {"title": "For Lebanon", "filed_for_party": "lebanon", "classification": "committee"},
        )
        assert refused.status_code == 403
        assert "may not file for lebanon" in refused.text
        assert 'value="For Lebanon"' in refused.text
    async with visit(site.app, sample.url, "chair") as chair:
        moved = await chair.post(f"/cases/{case}/transitions", {"action": "investigate"})
        assert moved.status_code == 303
    async with visit(site.app, sample.url, "delegate-lebanon") as lebanon:
        assert (await lebanon.http.get(f"/cases/{case}")).status_code == 404
    async with visit(site.app, sample.url, "observer") as observer:
        listing = await observer.http.get("/cases")
        assert "file-form" not in listing.text
        assert case not in listed_cases(listing.text)  # restricted to Israel
    async with visit(site.app, sample.url, "monitor") as monitor:
        shared = await file_case_as_chair(site, "Shelling near Kfar Kila")
        page = (await monitor.http.get(f"/cases/{shared}")).text
        assert offered(page) == {"link-incidents-form"}
        refused = await monitor.post(f"/cases/{shared}/transitions", {"action": "investigate"})
        assert refused.status_code == 403
        assert "only the chair may" in refused.text
    async with visit(site.app, sample.url, "delegate-israel") as israel:
        page = (await israel.http.get(f"/cases/{case}")).text
        assert offered(page) == {"withdraw", "link-incidents-form"}
        withdrawn = await israel.post(
            f"/cases/{case}/transitions", {"action": "withdraw", "note": "settled"}
        )
        assert withdrawn.status_code == 303
        page = (await israel.http.get(f"/cases/{case}")).text
        assert offered(page) == set()


async def file_case_as_chair(site: Site, title: str) -> int:
    async with visit(site.app, site.sample.url, "chair") as chair:
        return await file_case(chair, title=title, classification="committee")


@pytest.mark.anyio
async def test_overdue_cases_are_flagged_and_listed_alone(site: Site) -> None:
    sample = site.sample
    async with visit(site.app, sample.url, "chair") as chair:
        late = await file_case(chair, title="Late", classification="committee")
        await file_case(chair, title="On time", classification="committee")
    # the deadline passes (a filing may not set one in the past)
    with Store.open(sample.url) as store, store.transaction(by=SYSTEM) as batch:
        batch.connection.execute(
            sa.update(cases).where(cases.c.id == late).values(deadline=dt.date(2025, 1, 1))
        )
    async with visit(site.app, sample.url, "chair") as chair:
        listing = await chair.http.get("/cases")
        assert f'<tr data-case-id="{late}" class="overdue-row">' in listing.text
        overdue = await chair.http.get("/cases", params={"overdue": "true"})
        assert listed_cases(overdue.text) == [late]
        page = await chair.http.get(f"/cases/{late}")
        assert '<span class="overdue">overdue</span>' in page.text
