"""The incident and violation pages as HTML from the real app (no browser), on both backends:
what each viewer sees, the analysts' forms (merge, split, undo) and their refusals."""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from web_incident_sample import (
    CEDAR_SENTENCE,
    CEDAR_TITLE,
    SECRET_SENTENCE,
    WIRE_SENTENCE,
    IncidentSample,
    populate_incidents,
    visit,
)
from web_sample import SCRIPT

from truce.api import create_app


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


def listed_incidents(page: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr data-incident-id="(\d+)"', page)]


def timeline_events(page: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<li class="report" data-event-id="(\d+)"', page)]


@pytest.mark.anyio
async def test_the_list_shows_each_viewer_what_it_may_see(site: Site) -> None:
    sample = site.sample
    async with visit(site.app, sample.url) as public:
        page = await public.http.get("/incidents")
        assert page.status_code == 200
        assert listed_incidents(page.text) == [sample.strike]
        assert "Air/drone strike — Khiam, 2025-01-14" in page.text
        assert "2. No operations against the other side — the State of Israel" in page.text
    async with visit(site.app, sample.url, "delegate-israel") as israel:
        assert listed_incidents((await israel.http.get("/incidents")).text) == [sample.strike]
    async with visit(site.app, sample.url, "delegate-lebanon") as lebanon:
        page = await lebanon.http.get("/incidents")
        assert listed_incidents(page.text) == [sample.secret, sample.strike]  # latest first
        only = await lebanon.http.get("/incidents", params={"ids": str(sample.strike)})
        assert listed_incidents(only.text) == [sample.strike]
        dated = await lebanon.http.get("/incidents", params={"start": "2025-01-15"})
        assert listed_incidents(dated.text) == [sample.secret]


@pytest.mark.anyio
async def test_incident_page_shows_reports_evidence_and_the_agreement_check(site: Site) -> None:
    sample = site.sample
    async with visit(site.app, sample.url) as public:
        page = await public.http.get(f"/incidents/{sample.strike}")
    assert page.status_code == 200
    text = page.text
    # the timeline: by publication time, with outlets, the evidence marked
    assert timeline_events(text) == [sample.wire_event, sample.cedar_event]
    timeline = text[text.index('id="timeline"') :]
    assert timeline.index("Levant Wire") < timeline.index("Cedar News")
    assert "2025-01-14 15:00 UTC" in text
    assert "2025-01-14 17:00 UTC" in text
    assert f"<mark>{WIRE_SENTENCE}</mark>" in text
    assert f"<mark>{CEDAR_SENTENCE}</mark>" in text
    assert 'data-latitude="33.3294" data-longitude="35.6117"' in text
    assert 'id="incident-map"' in text
    # the hostile title is shown as text, never as markup
    assert html.escape(CEDAR_TITLE, quote=False) in text.replace("&#34;", '"')
    assert SCRIPT not in text
    # the candidate violation, with its clause, party and reason
    assert 'data-clause="coh-2024-02" data-party="israel"' in text
    assert "2. No operations against the other side" in text
    assert "Candidate violation of clause 2, No operations against the other side" in text
    assert "2 from 2 independent sources: Cedar News, Levant Wire" in text
    assert "zones: South of the Litani" in text
    # the public may not reshape nor file
    assert "merge-form" not in text
    assert "File an allegation" not in text


@pytest.mark.anyio
async def test_hidden_incident_is_a_404_page_for_those_who_may_not_see_it(site: Site) -> None:
    sample = site.sample
    for username in (None, "delegate-israel", "observer", "monitor"):
        async with visit(site.app, sample.url, username) as visitor:
            page = await visitor.http.get(f"/incidents/{sample.secret}")
            assert page.status_code == 404, username
            assert page.headers["content-type"].startswith("text/html")
            assert "Aitaroun" not in page.text
    async with visit(site.app, sample.url, "delegate-lebanon") as lebanon:
        page = await lebanon.http.get(f"/incidents/{sample.secret}")
        assert page.status_code == 200
        assert f"<mark>{SECRET_SENTENCE}</mark>" in page.text
        # its cases: Lebanon's own allegation; a delegate may file, not reshape
        assert f'/cases/{sample.lebanon_case}">Case {sample.lebanon_case}:' in page.text
        assert f"/cases?incident_id={sample.secret}#file" in page.text
        assert "merge-form" not in page.text


@pytest.mark.anyio
async def test_monitor_splits_then_undoes_through_the_forms(site: Site) -> None:
    sample = site.sample
    async with visit(site.app, sample.url, "monitor") as monitor:
        page = await monitor.http.get(f"/incidents/{sample.strike}")
        assert "merge-form" in page.text
        assert "split-form" in page.text
        split = await monitor.post(
            f"/incidents/{sample.strike}/split",
            {"events": [str(sample.cedar_event)], "reason": "two cars, two strikes"},
        )
        assert split.status_code == 303
        assert split.headers["location"].endswith(f"/incidents/{sample.strike}")
        after = await monitor.http.get(split.headers["location"])
        assert timeline_events(after.text) == [sample.wire_event]
        assert "two cars, two strikes" in after.text  # the history names the reason
        actions = re.findall(r'<tr data-action-id="(\d+)"', after.text)
        split_action = max(int(pk) for pk in actions)
        undo = await monitor.post(
            f"/incident-actions/{split_action}/undo", {"incident": str(sample.strike)}
        )
        assert undo.status_code == 303
        restored = await monitor.http.get(undo.headers["location"])
        assert timeline_events(restored.text) == [sample.wire_event, sample.cedar_event]
        # undoing it again is refused with the reason, on the page, as a conflict
        again = await monitor.post(
            f"/incident-actions/{split_action}/undo", {"incident": str(sample.strike)}
        )
        assert again.status_code == 409
        assert f"incident action {split_action} is undone already" in again.text
        assert timeline_events(again.text) == [sample.wire_event, sample.cedar_event]


@pytest.mark.anyio
async def test_chair_merges_and_refusals_show_on_the_page(site: Site) -> None:
    sample = site.sample
    async with visit(site.app, sample.url, "chair") as chair:
        bad = await chair.post(f"/incidents/{sample.strike}/merge", {"others": "seven"})
        assert bad.status_code == 422
        assert "&#39;seven&#39; is not an id" in bad.text
        missing = await chair.post(f"/incidents/{sample.strike}/merge", {"others": "99999"})
        assert missing.status_code == 404
        assert "no incident with id 99999" in missing.text
        merged = await chair.post(
            f"/incidents/{sample.secret}/merge", {"others": str(sample.strike), "reason": ""}
        )
        assert merged.status_code == 303
        survivor = min(sample.strike, sample.secret)
        assert merged.headers["location"].endswith(f"/incidents/{survivor}")
        page = await chair.http.get(merged.headers["location"])
        assert len(timeline_events(page.text)) == 3
    async with visit(site.app, sample.url, "delegate-lebanon") as lebanon:
        refused = await lebanon.post(f"/incidents/{survivor}/merge", {"others": "1"})
        assert refused.status_code == 403
        assert "may not link, merge, split or undo incidents" in refused.text
        # without its CSRF token a signed-in form is refused before any route runs
        forged = await lebanon.http.post(f"/incidents/{survivor}/split", data={"events": "1"})
        assert forged.status_code == 403
        assert "CSRF" in forged.text


@pytest.mark.anyio
async def test_violation_counts_link_to_the_incidents_behind_them(site: Site) -> None:
    sample = site.sample
    async with visit(site.app, sample.url) as public:
        page = await public.http.get("/violations")
        assert page.status_code == 200
        row = re.search(r'<tr data-key="israel\|coh-2024-02">(.*?)</tr>', page.text, re.S)
        assert row is not None
        link = re.search(r'<a class="count" href="([^"]+)">(\d+)</a>', row.group(1))
        assert link is not None
        assert link.group(2) == "1"  # the public sees one incident of Israel's
        behind = await public.http.get(html.unescape(link.group(1)))
        assert behind.status_code == 200
        assert listed_incidents(behind.text) == [sample.strike]
        assert "Party: the State of Israel" in behind.text
        total = re.search(r'<a class="total" href="([^"]+)">1 incident</a>', page.text)
        assert total is not None
        every = await public.http.get(html.unescape(total.group(1)))
        assert listed_incidents(every.text) == [sample.strike]
        findings = await public.http.get("/violations", params={"basis": "finding"})
        assert "Nothing to count: no confirmed finding you may see" in findings.text
        wrong = await public.http.get("/violations", params={"basis": "rumour"})
        assert wrong.status_code == 422
        assert "is not a basis" in wrong.text
    async with visit(site.app, sample.url, "chair") as chair:
        page = await chair.http.get("/violations", params={"by": "party"})
        row = re.search(r'<tr data-key="israel">(.*?)</tr>', page.text, re.S)
        assert row is not None
        assert '">2</a>' in row.group(1)  # the chair also counts Lebanon's restricted report
        by_period = await chair.http.get(
            "/violations", params={"by": "period", "start": "2025-01-15", "end": "2025-01-31"}
        )
        assert 'data-key="2025-01"' in by_period.text
        assert '">1</a>' in by_period.text


PAGE_ROUTES = (
    "incidents_page",
    "incident_page",
    "merge_incident_form",
    "split_incident_form",
    "undo_incident_action_form",
    "cases_page",
    "file_case_form",
    "case_page",
    "case_transition_form",
    "case_task_form",
    "case_close_task_form",
    "case_visit_form",
    "case_link_incidents_form",
    "case_link_evidence_form",
    "violations_page",
    "violation_incidents_page",
)


@pytest.mark.anyio
async def test_page_route_names_are_the_pages_own(site: Site) -> None:
    """Templates find routes by name: a name an /api route also had would send a form
    to the JSON API."""
    names = Counter(getattr(route, "name", None) for route in site.app.routes)
    assert {name: names[name] for name in PAGE_ROUTES} == dict.fromkeys(PAGE_ROUTES, 1)
