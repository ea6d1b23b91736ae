"""The delegation, meeting and dashboard pages as HTML from the real app (no browser), on both
backends: the chair schedules a meeting, drafts its agenda from open work and adopts part of
it, holds a meeting and records its attendance, minutes and outcomes; refused forms show the
page again with their message and status; other viewers are offered no forms; and Israel's
delegate never sees Lebanon's restricted work on a meeting page, a draft or the dashboard."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from web_committee_sample import (
    CANAL,
    CASE_TITLE,
    LEBANON_WORDS,
    PUMPING,
    RECONVENE,
    ROAD,
    CommitteeSample,
    populate_committee,
)
from web_incident_sample import LEBANON_CASE_TITLE, Visitor, visit

from truce.api import create_app


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


def items(page: str, css: str) -> list[tuple[str, int]]:
    """The (kind, id) of the agenda items (css "agenda-item") or drafted ones ("draft-item")."""
    found = re.findall(rf'<li class="{css}" data-kind="(\w+)" data-ref-id="(\d+)">', page)
    return [(kind, int(ref)) for kind, ref in found]


def offered(page: str) -> set[str]:
    """The forms a meeting page offers, by class, and its transitions by action."""
    found = set(re.findall(r'<input type="hidden" name="action" value="(\w+)">', page))
    found.update(re.findall(r'<form class="(?:inline-form|stacked) ([\w-]+-form)"', page))
    if 'class="draft-agenda"' in page:
        found.add("draft-agenda")
    return found - {"transition-form"}


async def schedule(chair: Visitor, **fields: str | list[str]) -> int:
    response = await chair.post("/meetings", fields)
    assert response.status_code == 303, response.text
    found = re.search(r"/meetings/(\d+)$", response.headers["location"])
    assert found is not None
    return int(found.group(1))


def in_a_week() -> str:
    moment = dt.datetime.now(dt.UTC) + dt.timedelta(days=7)
    return moment.strftime("%Y-%m-%dT10:00")


@pytest.mark.anyio
async def test_chair_schedules_a_meeting_and_adopts_a_drafted_agenda(site: Site) -> None:
    sample = site.sample
    strike, secret = sample.incidents.strike, sample.incidents.secret
    async with visit(site.app, sample.url, "chair") as chair:
        listing = (await chair.http.get("/meetings")).text
        assert 'class="stacked schedule-form"' in listing
        assert 'href="/api/meetings.ics"' in listing

        refused = await chair.post(
            "/meetings", {"title": "Talks", "starts_at": "next Tuesday", "tracks": ["civilian"]}
        )
        assert refused.status_code == 422
        assert "&#39;next Tuesday&#39; is not a time" in refused.text
        assert 'name="title" value="Talks"' in refused.text  # nothing typed is lost
        no_track = await chair.post("/meetings", {"title": "Talks", "starts_at": in_a_week()})
        assert no_track.status_code == 422
        assert "a meeting has at least one track" in no_track.text

        meeting = await schedule(
            chair,
            title="Mechanism meeting before the new year",
            starts_at=in_a_week(),
            place="UNIFIL headquarters, Naqoura",
            tracks=["military", "civilian"],
            classification="committee",
            invite="true",
        )
        page = (await chair.http.get(f"/meetings/{meeting}")).text
        assert 'id="meeting-status">scheduled<' in page
        assert f'href="/api/meetings/{meeting}.ics"' in page
        assert offered(page) == {"hold", "cancel", "draft-agenda", "add-item-form"}
        assert "Simon Karam" in page
        assert "Diodato Abagnara" in page
        assert items(page, "agenda-item") == []

        # the draft: new incidents since the held meeting, open cases (the overdue first),
        # overdue commitments, proposals tabled or under discussion
        draft = (await chair.http.get(f"/meetings/{meeting}/agenda/draft")).text
        drafted = items(draft, "draft-item")
        assert set(drafted) == {
            ("incident", strike),
            ("incident", secret),
            ("case", sample.case),
            ("case", sample.incidents.lebanon_case),
            ("commitment", sample.commitment),
            ("commitment", sample.lebanon_commitment),
            ("proposal", sample.proposal),
            ("proposal", sample.lebanon_proposal),
        }
        assert [kind for kind, _ in drafted] == [
            "incident",
            "incident",
            "case",
            "case",
            "commitment",
            "commitment",
            "proposal",
            "proposal",
        ]
        assert drafted[2] == ("case", sample.case)  # overdue first
        assert "overdue since" in draft
        assert "new since the meeting of" in draft
        for title in (CASE_TITLE, RECONVENE, ROAD, CANAL, PUMPING):
            assert title in draft
        assert items((await chair.http.get(f"/meetings/{meeting}")).text, "agenda-item") == []

        adopted = await chair.post(
            f"/meetings/{meeting}/agenda",
            {
                "items": [
                    f"incident:{strike}",
                    f"case:{sample.case}",
                    f"commitment:{sample.commitment}",
                    f"proposal:{sample.proposal}",
                ],
                "other": "Date of the next meeting",
            },
        )
        assert adopted.status_code == 303
        assert adopted.headers["location"].endswith(f"/meetings/{meeting}")
        page = (await chair.http.get(f"/meetings/{meeting}")).text
        assert items(page, "agenda-item") == [
            ("incident", strike),
            ("case", sample.case),
            ("commitment", sample.commitment),
            ("proposal", sample.proposal),
        ]
        assert f'href="/incidents/{strike}"' in page
        assert f'href="/cases/{sample.case}"' in page
        assert f'href="/proposals/{sample.proposal}"' in page
        assert "Date of the next meeting" in page
        # what is on the agenda is not proposed again
        again = items(
            (await chair.http.get(f"/meetings/{meeting}/agenda/draft")).text, "draft-item"
        )
        assert ("case", sample.case) not in again
        assert (
            "case",
            sample.incidents.lebanon_case,
        ) in again

        bad = await chair.post(f"/meetings/{meeting}/agenda", {"items": ["case:x"]})
        assert bad.status_code == 422
        assert "is not an agenda item" in bad.text
        early = await chair.post(f"/meetings/{meeting}/transitions", {"action": "hold"})
        assert early.status_code == 409
        assert "cannot be held before it begins" in early.text
        cancelled = await chair.post(
            f"/meetings/{meeting}/transitions", {"action": "cancel", "note": "postponed"}
        )
        assert cancelled.status_code == 303
        page = (await chair.http.get(f"/meetings/{meeting}")).text
        assert 'id="meeting-status">cancelled<' in page
        assert offered(page) == set()
        closed = await chair.post(f"/meetings/{meeting}/agenda", {"other": "Late item"})
        assert closed.status_code == 409
        assert "its agenda is closed" in closed.text

    # no one else is offered a form, nor may post one
    for username in ("delegate-israel", "observer", "monitor"):
        async with visit(site.app, sample.url, username) as other:
            page = (await other.http.get(f"/meetings/{sample.held_meeting}")).text
            assert offered(page) == set(), username
            refused = await other.post(
                f"/meetings/{sample.held_meeting}/minutes", {"minutes": "We met."}
            )
            assert refused.status_code == 403, username
            assert "the chair does" in refused.text


@pytest.mark.anyio
async def test_chair_records_a_held_meetings_attendance_minutes_and_outcomes(site: Site) -> None:
    sample = site.sample
    meeting = sample.held_meeting
    async with visit(site.app, sample.url, "chair") as chair:
        page = (await chair.http.get(f"/meetings/{meeting}")).text
        assert offered(page) == {"add-item-form", "attendance-form", "minutes-form", "draft-agenda"}
        member = re.search(r'<tr data-member-id="(\d+)">\s*<td>Simon Karam</td>', page)
        assert member is not None
        attended = await chair.post(
            f"/meetings/{meeting}/attendance",
            {"member_id": member.group(1), "status": "attended"},
        )
        assert attended.status_code == 303
        minutes = await chair.post(
            f"/meetings/{meeting}/minutes",
            {"minutes": "The envoys met <b>for the first time</b>.", "outcomes": "Reconvene."},
        )
        assert minutes.status_code == 303
        added = await chair.post(
            f"/meetings/{meeting}/agenda", {"items": [f"proposal:{sample.proposal}"]}
        )
        assert added.status_code == 303
        page = (await chair.http.get(f"/meetings/{meeting}")).text
        row = re.search(
            r"<td>Simon Karam</td>.*?<td class=\"attendance-status\">(\w+)</td>", page, re.S
        )
        assert row is not None
        assert row.group(1) == "attended"
        assert "The envoys met &lt;b&gt;for the first time&lt;/b&gt;." in page
        item = re.search(r"/meetings/\d+/agenda/(\d+)/outcome", page)
        assert item is not None
        outcome = await chair.post(item.group(0), {"outcome": "Referred to the civilian track"})
        assert outcome.status_code == 303
        page = (await chair.http.get(f"/meetings/{meeting}")).text
        assert "<strong>Outcome:</strong> Referred to the civilian track" in page

    async with visit(site.app, sample.url, None) as public:
        assert (await public.http.get(f"/meetings/{meeting}")).status_code == 404
        delegations = await public.http.get("/delegations")
        assert delegations.status_code == 200
        assert "Simon Karam" not in delegations.text  # the committee's delegations
    async with visit(site.app, sample.url, "observer") as observer:
        seen = (await observer.http.get("/delegations")).text
        for name in ("Israel", "Lebanon", "UNIFIL", "Simon Karam", "Brigadier General"):
            assert name in seen


@pytest.mark.anyio
async def test_israels_delegate_never_sees_lebanons_restricted_work(site: Site) -> None:
    sample = site.sample
    async with visit(site.app, sample.url, "chair") as chair:
        meeting = await schedule(
            chair, title="Mechanism meeting", starts_at=in_a_week(), tracks=["civilian"]
        )
        draft = (await chair.http.get(f"/meetings/{meeting}/agenda/draft")).text
        everything = [f"{kind}:{ref}" for kind, ref in items(draft, "draft-item")]
        assert len(everything) == 8
        adopted = await chair.post(f"/meetings/{meeting}/agenda", {"items": everything})
        assert adopted.status_code == 303
        dashboard = (await chair.http.get("/committee")).text
        assert 'id="overdue-commitments">2<' in dashboard
        assert 'id="open-cases">2<' in dashboard
        assert 'id="overdue-cases">1<' in dashboard

    async with visit(site.app, sample.url, "delegate-israel") as israel:
        pages = {
            path: (await israel.http.get(path)).text
            for path in (
                f"/meetings/{meeting}",
                f"/meetings/{meeting}/agenda/draft",
                "/meetings",
                "/committee",
            )
        }
        for path, page in pages.items():
            for word in (*LEBANON_WORDS, LEBANON_CASE_TITLE):
                assert word not in page, (path, word)
        assert items(pages[f"/meetings/{meeting}"], "agenda-item") == [
            ("incident", sample.incidents.strike),
            ("case", sample.case),
            ("commitment", sample.commitment),
            ("proposal", sample.proposal),
        ]
        dashboard = pages["/committee"]
        assert 'id="overdue-commitments">1<' in dashboard
        assert 'id="open-cases">1<' in dashboard
        assert CASE_TITLE in dashboard
        assert RECONVENE in dashboard
        assert re.search(
            r'<tr data-status="tabled"><td>tabled</td><td class="number">0<', dashboard
        )

    async with visit(site.app, sample.url, "delegate-lebanon") as lebanon:
        page = (await lebanon.http.get(f"/meetings/{meeting}")).text
        assert len(items(page, "agenda-item")) == 8
        assert PUMPING in page
        assert CANAL in page
        dashboard = (await lebanon.http.get("/committee")).text
        assert 'id="overdue-commitments">2<' in dashboard
