"""The joint statement pages as HTML from the real app (no browser), on both backends: a
statement's whole life through its forms (draft, comments, a new version that needs the
approvals again, approvals by both party delegations, issue, publish), the forms each viewer
is offered, refusals shown on the page, a delegate never reading the other party's restricted
comment, and the public reading only the published statement's issued text and hash."""

from __future__ import annotations

import hashlib
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from web_committee_sample import CommitteeSample, populate_committee
from web_incident_sample import Visitor, visit

from truce.api import create_app

FIRST = "The committee met in Naqoura.\nBoth delegations attended."
SECOND = "The committee met in Naqoura on the civilian track.\nBoth delegations attended."
LEBANON_COMMENT = "Name the Wazzani station."
ISRAEL_COMMENT = "Say which track met."


@dataclass(frozen=True)
class Site:
    app: FastAPI
    sample: CommitteeSample


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def site(store_url: str) -> AsyncIterator[Site]:
    sample = populate_committee(store_url)
    app = create_app(store_url)
    async with app.router.lifespan_context(app):
        yield Site(app, sample)


def offered(page: str) -> set[str]:
    return set(re.findall(r'<form class="(?:inline-form|stacked) ([\w-]+)-form"', page))


def status_of(page: str) -> str:
    found = re.search(r'id="statement-status">(\w+)<', page)
    assert found is not None
    return found.group(1)


def approvals_now(page: str) -> dict[str, str]:
    found = re.findall(r'<tr data-delegation="(\w+)"><td>\w+</td><td class="approval (\w+)">', page)
    return dict(found)


async def draft(chair: Visitor, **fields: str) -> int:
    response = await chair.post("/statements", fields)
    assert response.status_code == 303, response.text
    found = re.search(r"/statements/(\d+)$", response.headers["location"])
    assert found is not None
    return int(found.group(1))


@pytest.mark.anyio
async def test_a_statement_from_draft_to_publication(site: Site) -> None:
    sample = site.sample
    meeting = sample.held_meeting
    async with visit(site.app, sample.url, "chair") as chair:
        form = (await chair.http.get("/statements", params={"meeting_id": str(meeting)})).text
        assert f'name="meeting_id" value="{meeting}"' in form
        refused = await chair.post("/statements", {"title": "Empty", "text": "  "})
        assert refused.status_code == 422
        assert 'name="title" value="Empty"' in refused.text
        statement = await draft(
            chair,
            title="Joint statement on the December talks",
            text=FIRST.replace("\n", "\r\n"),  # as a browser sends a textarea
            meeting_id=str(meeting),
            classification="committee",
        )
        page = (await chair.http.get(f"/statements/{statement}")).text
        assert status_of(page) == "draft"
        assert offered(page) == {"issue", "revise"}
        assert approvals_now(page) == {"Israel": "awaiting", "Lebanon": "awaiting"}
        assert hashlib.sha256(FIRST.encode()).hexdigest() in page  # stored with \n line ends
        early = await chair.post(f"/statements/{statement}/issue", {})
        assert early.status_code == 409
        assert "is not approved by Israel, Lebanon" in early.text
        meeting_page = (await chair.http.get(f"/meetings/{meeting}")).text
        assert f'/statements/{statement}">Joint statement on the December talks</a>' in meeting_page

    async with visit(site.app, sample.url, "delegate-lebanon") as lebanon:
        page = (await lebanon.http.get(f"/statements/{statement}")).text
        assert offered(page) == {"approve", "comment"}
        commented = await lebanon.post(
            f"/statements/{statement}/comments",
            {"text": LEBANON_COMMENT, "version": "1", "classification": "restricted"},
        )
        assert commented.status_code == 303
        assert (
            await lebanon.post(f"/statements/{statement}/approval", {"version": "1"})
        ).status_code == 303
        page = (await lebanon.http.get(f"/statements/{statement}")).text
        assert offered(page) == {"withdraw", "comment"}
        assert approvals_now(page) == {"Lebanon": "approved", "Israel": "awaiting"}
        assert LEBANON_COMMENT in page

    async with visit(site.app, sample.url, "delegate-israel") as israel:
        page = (await israel.http.get(f"/statements/{statement}")).text
        assert LEBANON_COMMENT not in page
        assert "Wazzani" not in page
        commented = await israel.post(
            f"/statements/{statement}/comments", {"text": ISRAEL_COMMENT, "version": "1"}
        )
        assert commented.status_code == 303
        withdraw = await israel.post(f"/statements/{statement}/approval/withdraw", {})
        assert withdraw.status_code == 409
        assert "there is nothing to withdraw" in withdraw.text

    async with visit(site.app, sample.url, "chair") as chair:
        revised = await chair.post(
            f"/statements/{statement}/versions", {"text": SECOND, "note": "the track named"}
        )
        assert revised.status_code == 303
        page = (await chair.http.get(f"/statements/{statement}")).text
        assert 'id="statement-version">2<' in page
        assert approvals_now(page) == {"Israel": "awaiting", "Lebanon": "awaiting"}
        assert LEBANON_COMMENT in page
        assert ISRAEL_COMMENT in page

    async with visit(site.app, sample.url, "delegate-israel") as israel:
        stale = await israel.post(f"/statements/{statement}/approval", {"version": "1"})
        assert stale.status_code == 409
        assert "is no longer the current one" in stale.text
        approved = await israel.post(f"/statements/{statement}/approval", {"version": "2"})
        assert approved.status_code == 303
    async with visit(site.app, sample.url, "delegate-lebanon") as lebanon:
        approved = await lebanon.post(f"/statements/{statement}/approval", {"version": "2"})
        assert approved.status_code == 303
        # the dashboard no longer waits for anyone
        dashboard = (await lebanon.http.get("/committee")).text
        assert f'<li data-statement-id="{statement}"' not in dashboard

    async with visit(site.app, sample.url, "chair") as chair:
        issued = await chair.post(f"/statements/{statement}/issue", {})
        assert issued.status_code == 303
        page = (await chair.http.get(f"/statements/{statement}")).text
        assert status_of(page) == "issued"
        assert offered(page) == {"publish"}
        sha = re.search(r'<code id="issued-sha256">([0-9a-f]{64})</code>', page)
        assert sha is not None
        assert sha.group(1) == hashlib.sha256(SECOND.encode("utf-8")).hexdigest()
        assert f'<pre class="statement-text" id="issued-text">{SECOND}</pre>' in page
        frozen = await chair.post(f"/statements/{statement}/versions", {"text": "Changed."})
        assert frozen.status_code == 409

    async with visit(site.app, sample.url, None) as public:
        assert (await public.http.get(f"/statements/{statement}")).status_code == 404
        async with visit(site.app, sample.url, "chair") as chair:
            assert (await chair.post(f"/statements/{statement}/publish", {})).status_code == 303
        published = await public.http.get(f"/statements/{statement}")
        assert published.status_code == 200
        assert status_of(published.text) == "published"
        assert sha.group(1) in published.text
        assert SECOND in published.text
        for hidden in ("Naqoura.\nBoth", LEBANON_COMMENT, ISRAEL_COMMENT, "the track named"):
            assert hidden not in published.text
        assert offered(published.text) == set()
        listing = (await public.http.get("/statements")).text
        assert f'<tr data-statement-id="{statement}">' in listing


@pytest.mark.anyio
async def test_only_the_chair_drafts_and_others_are_offered_no_forms(site: Site) -> None:
    sample = site.sample
    async with visit(site.app, sample.url, "chair") as chair:
        statement = await draft(chair, title="Draft communiqué", text="The committee met.")
        restricted = await draft(
            chair,
            title="Note for Lebanon",
            text="On the Wazzani station.",
            classification="restricted",
            owner_party="lebanon",
        )
    for username in ("observer", "monitor", "delegate-israel"):
        async with visit(site.app, sample.url, username) as other:
            listing = (await other.http.get("/statements")).text
            assert "draft-statement-form" not in listing, username
            assert "Wazzani" not in listing, username
            refused = await other.post("/statements", {"title": "Mine", "text": "Ours."})
            assert refused.status_code == 403, username
            hidden = await other.http.get(f"/statements/{restricted}")
            assert hidden.status_code == 404, username
            page = (await other.http.get(f"/statements/{statement}")).text
            if username == "delegate-israel":
                assert offered(page) == {"approve", "comment"}
                refused = await other.post(f"/statements/{statement}/issue", {})
                assert refused.status_code == 403
            else:
                assert offered(page) == set(), username
    async with visit(site.app, sample.url, "delegate-lebanon") as lebanon:
        page = (await lebanon.http.get(f"/statements/{restricted}")).text
        assert "On the Wazzani station." in page
        assert approvals_now(page) == {"Lebanon": "awaiting"}
        dashboard = (await lebanon.http.get("/committee")).text
        assert re.search(rf'<li data-statement-id="{restricted}" class="awaits-me">', dashboard)
        assert "share-form" not in page  # the chair shares; a delegate is not offered it
    async with visit(site.app, sample.url, "chair") as chair:
        page = (await chair.http.get(f"/statements/{restricted}")).text
        assert "share" in offered(page)
        shared = await chair.post(f"/statements/{restricted}/share", {})
        assert shared.status_code == 303
        page = (await chair.http.get(f"/statements/{restricted}")).text
        assert "share" not in offered(page)
        assert approvals_now(page) == {"Israel": "awaiting", "Lebanon": "awaiting"}
        again = await chair.post(f"/statements/{restricted}/share", {})
        assert again.status_code == 409
        assert "it is shared already" in again.text
    async with visit(site.app, sample.url, "delegate-israel") as israel:
        page = (await israel.http.get(f"/statements/{restricted}")).text
        assert "On the Wazzani station." in page
