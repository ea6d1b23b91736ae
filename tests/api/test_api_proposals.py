"""`/api/proposals`, `/api/commitments` and `/api/committee/dashboard` through the real app on
both backends: a proposal made, tabled, discussed and agreed over HTTP at the meetings that
handled it; "reconvene before the new year" overdue once the year turns; who may do what;
and a party's restricted records invisible to the other party everywhere."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import pytest
from incident_sample import Site, open_site

from builders import SYSTEM
from truce.committee.meetings import (
    MeetingAction,
    NewMeeting,
    schedule_meeting,
    transition_meeting,
)

pytestmark = pytest.mark.anyio

MISSING = 987654321


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def site(store_url: str) -> AsyncIterator[Site]:
    async with open_site(store_url) as opened:
        yield opened


def meeting(site: Site, day: dt.date, title: str, *, held: bool) -> int:
    scheduled = schedule_meeting(
        site.store,
        NewMeeting(
            title=title,
            starts_at=dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC),
            place="UNIFIL headquarters, Naqoura",
            invite=False,
        ),
        by=SYSTEM,
    )
    if held:
        transition_meeting(site.store, scheduled.id, MeetingAction.HOLD, by=SYSTEM)
    return scheduled.id


async def post(site: Site, url: str, username: str, body: dict[str, Any]) -> tuple[int, Any]:
    response = await site.client.post(url, headers=site.as_user(username), json=body)
    return response.status_code, response.json()


async def get(site: Site, url: str, username: str, **params: Any) -> tuple[int, Any]:
    response = await site.client.get(url, headers=site.as_user(username), params=params)
    return response.status_code, response.json()


async def test_a_proposal_is_handled_meeting_by_meeting(site: Site) -> None:
    january = meeting(site, dt.date(2026, 1, 7), "January meeting", held=False)
    december = meeting(site, dt.date(2025, 12, 19), "Naqoura talks", held=True)
    status, made = await post(
        site,
        "/api/proposals",
        "delegate-lebanon",
        {
            "title": "Joint feasibility study of an economic zone",
            "kind": "economic-project",
            "track": "civilian",
            "meeting_id": december,
            "note": "raised by the civilian envoys",
        },
    )
    assert status == 201, made
    assert (made["status"], made["proposing_party"], made["owner_party"]) == (
        "draft",
        "lebanon",
        "lebanon",
    )
    assert made["actions"] == ["table", "withdraw"]
    url = f"/api/proposals/{made['id']}/transitions"
    assert (await post(site, url, "delegate-lebanon", {"action": "table"}))[0] == 200
    status, refused = await post(site, url, "delegate-lebanon", {"action": "discuss"})
    assert status == 403
    assert "only the chair may" in refused["detail"]
    status, refused = await post(site, url, "delegate-israel", {"action": "withdraw"})
    assert status == 403
    status, refused = await post(site, url, "reader", {"action": "discuss"})
    assert status == 403  # the chair's read-only token
    status, refused = await post(site, url, "chair", {"action": "agree"})
    assert status == 409
    assert "is tabled: it cannot agree; allowed from tabled: discuss" in refused["detail"]
    status, refused = await post(site, url, "chair", {"action": "ratify"})
    assert status == 422
    for action in ("discuss", "agree"):
        status, moved = await post(site, url, "chair", {"action": action, "meeting_id": january})
        assert status == 200, moved
    assert moved["status"] == "agreed"
    assert moved["actions"] == []

    status, view = await get(site, f"/api/proposals/{made['id']}", "observer")
    assert status == 200
    assert [m["id"] for m in view["meetings"]] == [december, january]
    assert view["meeting_ids"] == [december, january]
    assert [
        (h["from_status"], h["to_status"], h["meeting_id"], h["by"]) for h in view["history"]
    ] == [
        (None, "draft", december, "delegate-lebanon"),
        ("draft", "tabled", None, "delegate-lebanon"),
        ("tabled", "under-discussion", january, "chair"),
        ("under-discussion", "agreed", january, "chair"),
    ]
    status, page = await get(site, "/api/proposals", "observer", meeting_id=december)
    assert [item["id"] for item in page["items"]] == [made["id"]]
    status, missing = await get(site, f"/api/proposals/{MISSING}", "chair")
    assert (status, missing["detail"]) == (404, f"no proposal with id {MISSING}")


async def test_a_delegate_writes_for_its_own_party_only(site: Site) -> None:
    for url, body, party, words in (
        (
            "/api/proposals",
            {"title": "Return of residents", "kind": "return-of-residents"},
            "proposing_party",
            "may not propose for israel",
        ),
        (
            "/api/commitments",
            {"title": "Survey the return routes"},
            "responsible_party",
            "may not record commitments of israel",
        ),
    ):
        status, refused = await post(site, url, "delegate-lebanon", {**body, party: "israel"})
        assert status == 403
        assert words in refused["detail"]
        for nobody in ("observer", "monitor", "admin", "reader"):
            status, refused = await post(site, url, nobody, body)
            assert status == 403, (url, nobody, refused)
        anonymous = await site.client.post(url, json=body)
        assert anonymous.status_code in (401, 403)
        status, made = await post(site, url, "delegate-lebanon", body)
        assert status == 201, made
        assert (made[party], made["owner_party"], made["created_by"]) == (
            "lebanon",
            "lebanon",
            "delegate-lebanon",
        )


async def test_reconvene_before_the_new_year_and_the_dashboard(site: Site) -> None:
    december = meeting(site, dt.date(2025, 12, 19), "Naqoura talks", held=True)
    january = meeting(site, dt.date(2026, 1, 7), "January meeting", held=False)
    status, reconvene = await post(
        site,
        "/api/commitments",
        "chair",
        {
            "title": "Reconvene before the new year",
            "deadline": "2025-12-31",
            "meeting_id": december,
        },
    )
    assert status == 201, reconvene
    assert (reconvene["responsible_party"], reconvene["meeting_id"]) == (None, december)
    status, own = await post(
        site,
        "/api/commitments",
        "delegate-israel",
        {
            "title": "Report on the hilltops",
            "deadline": "2025-12-24",
            "classification": "restricted",
        },
    )
    assert status == 201, own
    assert own["responsible_party"] == "israel"

    status, late = await get(site, "/api/commitments", "chair", overdue="true", today="2026-01-02")
    assert [item["id"] for item in late["items"]] == [own["id"], reconvene["id"]]
    assert all(item["overdue"] for item in late["items"])
    status, early = await get(site, "/api/commitments", "chair", overdue="true", today="2025-12-20")
    assert early["total"] == 0

    status, counts = await get(site, "/api/committee/dashboard", "chair", today="2026-01-02")
    assert status == 200
    assert (counts["today"], counts["open_commitments"], counts["overdue_commitments"]) == (
        "2026-01-02",
        2,
        2,
    )
    assert counts["commitments_by_party"] == [
        {"party": "israel", "open": 1, "overdue": 1},
        {"party": None, "open": 1, "overdue": 1},
    ]
    assert counts["next_meeting"]["id"] == january
    status, lebanon = await get(
        site, "/api/committee/dashboard", "delegate-lebanon", today="2026-01-02"
    )
    assert (lebanon["open_commitments"], lebanon["overdue_commitments"]) == (1, 1)
    assert lebanon["commitments_by_party"] == [{"party": None, "open": 1, "overdue": 1}]

    close = f"/api/commitments/{reconvene['id']}/close"
    status, refused = await post(site, close, "delegate-lebanon", {"status": "done"})
    assert status == 403
    status, done = await post(site, close, "chair", {"status": "done", "note": "met in January"})
    assert status == 200, done
    assert (done["status"], done["closed_by"], done["overdue"]) == ("done", "chair", False)
    status, refused = await post(site, close, "chair", {"status": "dropped"})
    assert status == 409
    assert "is done: it cannot become dropped" in refused["detail"]
    status, shown = await get(site, f"/api/commitments/{reconvene['id']}", "observer")
    assert (status, shown["close_note"]) == (200, "met in January")


async def test_the_other_partys_restricted_records_are_invisible(site: Site) -> None:
    status, secret = await post(
        site,
        "/api/proposals",
        "delegate-israel",
        {"title": "Fallback line", "kind": "confidence-building", "classification": "restricted"},
    )
    assert status == 201
    status, pledge = await post(
        site,
        "/api/commitments",
        "delegate-israel",
        {
            "title": "Pull back from the fifth hilltop",
            "deadline": "2025-12-01",
            "proposal_id": secret["id"],
            "classification": "restricted",
        },
    )
    assert status == 201, pledge
    status, shared = await post(
        site,
        "/api/commitments",
        "chair",
        {
            "title": "Report on the fallback",
            "responsible_party": "israel",
            "proposal_id": secret["id"],
        },
    )
    assert status == 201
    for username in ("delegate-lebanon", "observer", "monitor"):
        for kind, record in (("proposals", secret), ("commitments", pledge)):
            hidden = await site.client.get(
                f"/api/{kind}/{record['id']}", headers=site.as_user(username)
            )
            missing = await site.client.get(
                f"/api/{kind}/{MISSING}", headers=site.as_user(username)
            )
            assert hidden.status_code == missing.status_code == 404
            assert hidden.text == missing.text.replace(str(MISSING), str(record["id"]))
        status, proposals = await get(site, "/api/proposals", username)
        assert proposals["total"] == 0
        status, commitments = await get(site, "/api/commitments", username)
        assert [item["id"] for item in commitments["items"]] == [shared["id"]]
        assert commitments["items"][0]["proposal_id"] is None
        status, counts = await get(site, "/api/committee/dashboard", username, today="2026-01-02")
        assert counts["open_commitments"] == 1
        assert counts["proposals_by_status"]["draft"] == 0
    status, refused = await post(
        site,
        f"/api/proposals/{secret['id']}/transitions",
        "delegate-lebanon",
        {"action": "withdraw"},
    )
    assert (status, refused["detail"]) == (404, f"no proposal with id {secret['id']}")
    status, counts = await get(
        site, "/api/committee/dashboard", "delegate-israel", today="2026-01-02"
    )
    assert (counts["open_commitments"], counts["overdue_commitments"]) == (2, 1)
    assert counts["proposals_by_status"]["draft"] == 1


async def test_openapi_describes_the_routes(site: Site) -> None:
    schema = (await site.client.get("/openapi.json")).json()
    paths = schema["paths"]
    for path, method, model in (
        ("/api/proposals", "get", "ProposalListOut"),
        ("/api/proposals", "post", "ProposalOut"),
        ("/api/proposals/{proposal_id}", "get", "ProposalOut"),
        ("/api/proposals/{proposal_id}/transitions", "post", "ProposalOut"),
        ("/api/commitments", "get", "CommitmentListOut"),
        ("/api/commitments", "post", "CommitmentOut"),
        ("/api/commitments/{commitment_id}", "get", "CommitmentOut"),
        ("/api/commitments/{commitment_id}/close", "post", "CommitmentOut"),
        ("/api/committee/dashboard", "get", "DashboardOut"),
    ):
        responses = paths[path][method]["responses"]
        ok = responses[
            "201" if path in ("/api/proposals", "/api/commitments") and method == "post" else "200"
        ]
        assert ok["content"]["application/json"]["schema"]["$ref"].endswith(f"/{model}")
    kinds = schema["components"]["schemas"]["ProposalKind"]["enum"]
    assert kinds == [
        "economic-project",
        "reconstruction",
        "return-of-residents",
        "confidence-building",
        "other",
    ]
    assert "409" in paths["/api/proposals/{proposal_id}/transitions"]["post"]["responses"]
