"""The proposal and commitment pages as HTML from the real app (no browser), on both
backends: a proposal's life through its forms with the meetings that handled it, the forms
each viewer is offered, refusals shown on the page, commitments flagged overdue and closed,
and a delegate never seeing the other party's restricted proposal or commitment."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from web_incident_sample import LEBANON, Visitor, populate_incidents, visit

from builders import SYSTEM
from truce.api import create_app
from truce.committee.commitments import NewCommitment, create_commitment
from truce.committee.meetings import NewMeeting, schedule_meeting
from truce.committee.proposals import NewProposal, create_proposal
from truce.core.access import Classification
from truce.store import Store

LEBANON_PROPOSAL = "Return of residents to Kfar Kila, a draft of Lebanon"
LEBANON_COMMITMENT = "Clear the rubble of Kfar Kila, undertaken by Lebanon"


@dataclass(frozen=True)
class Site:
    app: FastAPI
    url: str
    meeting: int
    lebanon_proposal: int
    lebanon_commitment: int


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def site(store_url: str) -> AsyncIterator[Site]:
    sample = populate_incidents(store_url, with_case=False)
    with Store.open(store_url) as store:
        meeting = schedule_meeting(
            store,
            NewMeeting(
                title="Naqoura, civilian track",
                starts_at=dt.datetime(2025, 12, 19, 9, tzinfo=dt.UTC),
                place="Naqoura",
            ),
            by=SYSTEM,
        )
        proposal = create_proposal(
            store,
            NewProposal(
                title=LEBANON_PROPOSAL,
                kind="return-of-residents",
                classification=Classification.RESTRICTED,
            ),
            by=LEBANON,
        )
        commitment = create_commitment(
            store,
            NewCommitment(
                title=LEBANON_COMMITMENT,
                deadline=dt.date(2025, 12, 31),
                classification=Classification.RESTRICTED,
            ),
            by=LEBANON,
        )
    app = create_app(store_url)
    async with app.router.lifespan_context(app):
        yield Site(app, sample.url, meeting.id, proposal.id, commitment.id)


def offered_actions(page: str) -> list[str]:
    return re.findall(r'<button type="submit" name="action" value="([\w-]+)">', page)


def history(page: str) -> list[tuple[str, str]]:
    return re.findall(r"<tr><td>([\w—-]+)</td><td>([\w-]+)</td>", page)


def commitment_rows(page: str) -> list[tuple[str, str, str]]:
    """(id, the overdue class or "", the row's cells) of each commitment listed."""
    pattern = (
        r'<tr id="commitment-\d+" data-commitment-id="(\d+)"( class="overdue-row")?>(.*?)</tr>'
    )
    return re.findall(pattern, page, re.S)


async def propose(visitor: Visitor, **fields: str) -> int:
    response = await visitor.post("/proposals", fields)
    assert response.status_code == 303, response.text
    found = re.search(r"/proposals/(\d+)$", response.headers["location"])
    assert found is not None
    return int(found.group(1))


@pytest.mark.anyio
async def test_a_proposal_goes_from_draft_to_agreed_through_its_forms(site: Site) -> None:
    async with visit(site.app, site.url, "delegate-israel") as israel:
        form = (await israel.http.get("/proposals")).text
        assert 'class="stacked proposal-form"' in form
        assert "Proposed by the State of Israel" in form  # a delegation proposes for itself
        assert f'<option value="{site.meeting}">' in form
        proposal = await propose(
            israel,
            title="Joint <b>market</b> in the zone",
            kind="economic-project",
            summary="A market on the line.",
            track="civilian",
            classification="committee",
            meeting_id=str(site.meeting),
        )
        page = (await israel.http.get(f"/proposals/{proposal}")).text
        assert "Joint &lt;b&gt;market&lt;/b&gt; in the zone" in page
        assert offered_actions(page) == ["table", "withdraw"]
        assert history(page) == [("—", "draft")]
        assert f'<a href="/meetings/{site.meeting}">Naqoura, civilian track</a>' in page
        tabled = await israel.post(
            f"/proposals/{proposal}/actions", {"action": "table", "meeting_id": str(site.meeting)}
        )
        assert tabled.status_code == 303
        page = (await israel.http.get(f"/proposals/{proposal}")).text
        assert offered_actions(page) == ["withdraw"]  # discussing is the chair's
        refused = await israel.post(f"/proposals/{proposal}/actions", {"action": "discuss"})
        assert refused.status_code == 403
        assert "only the chair may" in refused.text
    async with visit(site.app, site.url, "delegate-lebanon") as lebanon:
        page = (await lebanon.http.get(f"/proposals/{proposal}")).text
        assert offered_actions(page) == []  # not Lebanon's to withdraw
    async with visit(site.app, site.url, "chair") as chair:
        page = (await chair.http.get(f"/proposals/{proposal}")).text
        assert offered_actions(page) == ["discuss", "withdraw"]
        for action in ("discuss", "agree"):
            moved = await chair.post(
                f"/proposals/{proposal}/actions", {"action": action, "note": f"{action}ed"}
            )
            assert moved.status_code == 303
        page = (await chair.http.get(f"/proposals/{proposal}")).text
        assert '<span class="state state-agreed" id="proposal-status">agreed</span>' in page
        assert offered_actions(page) == []
        assert history(page) == [
            ("—", "draft"),
            ("draft", "tabled"),
            ("tabled", "under-discussion"),
            ("under-discussion", "agreed"),
        ]
        assert page.count(f'data-meeting-id="{site.meeting}"') == 1  # handled it, listed once
        late = await chair.post(f"/proposals/{proposal}/actions", {"action": "reject"})
        assert late.status_code == 409
        assert "agreed is final" in late.text
        listing = (await chair.http.get("/proposals", params={"status": "agreed"})).text
        assert re.findall(r'<tr data-proposal-id="(\d+)"', listing) == [str(proposal)]
        empty = await chair.post("/proposals", {"title": " ", "kind": "other"})
        assert empty.status_code == 422
        assert "title" in empty.text


@pytest.mark.anyio
async def test_commitments_are_flagged_overdue_and_closed_by_whom_the_library_lets(
    site: Site,
) -> None:
    yesterday = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)
    async with visit(site.app, site.url, "chair") as chair:
        recorded = await chair.post(
            "/commitments",
            {
                "title": "Reconvene before the new year",
                "responsible_party": "israel",
                "deadline": yesterday.isoformat(),
                "meeting_id": str(site.meeting),
                "classification": "committee",
            },
        )
        assert recorded.status_code == 303
        page = (await chair.http.get("/commitments", params={"overdue": "true"})).text
        rows = commitment_rows(page)
        commitment, overdue, row = next(r for r in rows if "Reconvene before the new year" in r[2])
        assert overdue == ' class="overdue-row"'
        assert '<span class="overdue">overdue</span>' in row
        assert f'href="/meetings/{site.meeting}"' in row
        assert re.findall(r'name="status" value="(\w+)"', row) == ["done", "dropped"]
        assert f'/commitments/{commitment}">' in row
        detail = (await chair.http.get(f"/commitments/{commitment}")).text
        assert "Reconvene before the new year" in detail
        assert '<span class="overdue">overdue</span>' in detail
        assert f'/meetings/{site.meeting}">' in detail
        assert re.findall(r'name="status" value="(\w+)"', detail) == ["done", "dropped"]
    async with visit(site.app, site.url, "delegate-lebanon") as lebanon:
        page = (await lebanon.http.get("/commitments")).text
        theirs = re.search(
            rf'<tr id="commitment-{commitment}" data-commitment-id="{commitment}".*?</tr>',
            page,
            re.S,
        )
        assert theirs is not None
        assert "close-commitment-form" not in theirs.group(0)
        refused = await lebanon.post(f"/commitments/{commitment}/close", {"status": "done"})
        assert refused.status_code == 403
    async with visit(site.app, site.url, "delegate-israel") as israel:
        page = (await israel.http.get("/commitments")).text
        mine = re.search(
            rf'<tr id="commitment-{commitment}" data-commitment-id="{commitment}".*?</tr>',
            page,
            re.S,
        )
        assert mine is not None
        assert re.findall(r'name="status" value="(\w+)"', mine.group(0)) == ["done"]
        closed = await israel.post(
            f"/commitments/{commitment}/close",
            {"status": "done", "note": "met on the 20th", "back": "commitment"},
        )
        assert closed.status_code == 303
        assert closed.headers["location"].endswith(f"/commitments/{commitment}")
        detail = (await israel.http.get(f"/commitments/{commitment}")).text
        assert "met on the 20th" in detail
        assert "close-commitment-form" not in detail
        page = (await israel.http.get("/commitments", params={"status": "done"})).text
        assert "met on the 20th" in page
        assert "overdue-row" not in page
        again = await israel.post(f"/commitments/{commitment}/close", {"status": "done"})
        assert again.status_code == 409
        again_there = await israel.post(
            f"/commitments/{commitment}/close", {"status": "done", "back": "commitment"}
        )
        assert again_there.status_code == 409
        assert 'class="page commitment-page"' in again_there.text
        bad_day = await israel.post("/commitments", {"title": "x", "deadline": "31/12/2025"})
        assert bad_day.status_code == 422
        assert "is not a date" in bad_day.text


@pytest.mark.anyio
async def test_a_delegate_never_sees_the_other_partys_restricted_proposal_or_commitment(
    site: Site,
) -> None:
    for username in (None, "delegate-israel", "observer", "monitor"):
        async with visit(site.app, site.url, username) as visitor:
            for path in ("/proposals", "/commitments", f"/proposals/{site.lebanon_proposal}"):
                shown = await visitor.http.get(path)
                assert LEBANON_PROPOSAL not in shown.text, (username, path)
                assert LEBANON_COMMITMENT not in shown.text, (username, path)
            missing = await visitor.http.get(f"/proposals/{site.lebanon_proposal}")
            assert missing.status_code == 404
            hidden = await visitor.http.get(f"/commitments/{site.lebanon_commitment}")
            assert hidden.status_code == 404
            assert LEBANON_COMMITMENT not in hidden.text
            closing = await visitor.post(
                f"/commitments/{site.lebanon_commitment}/close", {"status": "done"}
            )
            assert closing.status_code in (403, 404)
            assert LEBANON_COMMITMENT not in closing.text
    async with visit(site.app, site.url, "delegate-lebanon") as lebanon:
        page = (await lebanon.http.get(f"/proposals/{site.lebanon_proposal}")).text
        assert LEBANON_PROPOSAL in page
        assert "restricted: lebanon and the chair only" in page
        assert LEBANON_COMMITMENT in (await lebanon.http.get("/commitments")).text
        own = (await lebanon.http.get(f"/commitments/{site.lebanon_commitment}")).text
        assert LEBANON_COMMITMENT in own
        assert "restricted: lebanon and the chair only" in own
