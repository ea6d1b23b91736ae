"""`/api/delegations` and `/api/meetings` through the real app on both backends: the table
set, a meeting scheduled, its agenda drafted and adopted, its calendar; who may do what, and a
delegate never sees the other party's restricted items."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import icalendar
import pytest
from incident_sample import Site, open_site

pytestmark = pytest.mark.anyio

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def site(store_url: str) -> AsyncIterator[Site]:
    async with open_site(store_url) as opened:
        yield opened


async def post(site: Site, username: str, url: str, body: dict[str, Any]) -> Any:
    response = await site.client.post(url, headers=site.as_user(username), json=body)
    assert response.status_code in (200, 201), response.text
    return response.json()


async def get(site: Site, username: str, url: str) -> Any:
    response = await site.client.get(url, headers=site.as_user(username))
    assert response.status_code == 200, response.text
    return response.json()


async def test_delegations_are_the_chair_s_to_set(site: Site) -> None:
    lebanon = await post(
        site, "chair", "/api/delegations", {"kind": "party", "name": "Lebanon", "party": "lebanon"}
    )
    assert (lebanon["kind"], lebanon["owner_party"], lebanon["created_by"]) == (
        "party",
        "lebanon",
        "chair",
    )
    member = await post(
        site,
        "chair",
        f"/api/delegations/{lebanon['id']}/members",
        {"name": "Simon Karam", "track": "civilian", "username": "delegate-lebanon"},
    )
    assert (member["username"], member["track"], member["left_on"]) == (
        "delegate-lebanon",
        "civilian",
        None,
    )
    left = await post(
        site, "chair", f"/api/delegation-members/{member['id']}/leave", {"left_on": "2026-01-15"}
    )
    assert left["left_on"] == "2026-01-15"
    shown = await get(site, "observer", f"/api/delegations/{lebanon['id']}")
    assert [m["name"] for m in shown["members"]] == ["Simon Karam"]
    for username in ("delegate-lebanon", "monitor", "reader"):
        refused = await site.client.post(
            "/api/delegations",
            headers=site.as_user(username),
            json={"kind": "observer", "name": "France"},
        )
        assert refused.status_code == 403, username
    again = await site.client.post(
        "/api/delegations",
        headers=site.as_user("chair"),
        json={"kind": "party", "name": "Lebanon 2", "party": "lebanon"},
    )
    assert again.status_code == 409
    bad = await site.client.post(
        "/api/delegations", headers=site.as_user("chair"), json={"kind": "guest", "name": "x"}
    )
    assert bad.status_code == 422
    public = await site.client.get("/api/delegations")
    assert (public.status_code, public.json()) == (200, [])
    hidden = await site.client.get(f"/api/delegations/{lebanon['id']}")
    assert hidden.status_code == 404


async def test_a_meeting_s_agenda_drafted_adopted_and_exported(site: Site) -> None:
    aitaroun = site.incidents["aitaroun"]
    starts = (NOW + dt.timedelta(days=7)).replace(hour=10, minute=0, second=0)
    meeting = await post(
        site,
        "chair",
        "/api/meetings",
        {
            "title": "Mechanism meeting before the new year",
            "starts_at": starts.isoformat(),
            "ends_at": (starts + dt.timedelta(hours=3)).isoformat(),
            "place": "UNIFIL headquarters, Naqoura",
        },
    )
    meeting_id = meeting["id"]
    assert (meeting["status"], meeting["sequence"], meeting["actions"]) == (
        "scheduled",
        0,
        ["hold", "cancel"],
    )
    case = await post(
        site,
        "delegate-lebanon",
        "/api/cases",
        {"title": "Demolition in Aitaroun", "incident_ids": [aitaroun]},
    )
    israel = await get(site, "delegate-israel", f"/api/meetings/{meeting_id}/draft-agenda")
    assert israel["meeting_title"] == "Mechanism meeting before the new year"
    israel_refs = {(item["kind"], item["ref_id"]) for item in israel["items"]}
    assert israel_refs == {
        ("incident", site.incidents["khiam"]),
        ("incident", site.incidents["kfar_kila"]),
    }
    lebanon = await get(site, "delegate-lebanon", f"/api/meetings/{meeting_id}/draft-agenda")
    lebanon_refs = {(item["kind"], item["ref_id"]) for item in lebanon["items"]}
    assert lebanon_refs == israel_refs | {("incident", aitaroun), ("case", case["id"])}
    assert all(item["id"] is None and item["reason"] for item in lebanon["items"])

    body = {"items": [{"kind": i["kind"], "ref_id": i["ref_id"]} for i in lebanon["items"]]}
    added = await post(site, "chair", f"/api/meetings/{meeting_id}/agenda", body)
    assert len(added["added"]) == 4
    restricted = {
        (item["kind"], item["classification"], item["owner_party"])
        for item in added["added"]
        if item["classification"] == "restricted"
    }
    assert restricted == {("incident", "restricted", "lebanon"), ("case", "restricted", "lebanon")}
    again = await post(site, "chair", f"/api/meetings/{meeting_id}/agenda", body)
    assert again["added"] == []

    seen = await get(site, "delegate-israel", f"/api/meetings/{meeting_id}")
    assert [item["position"] for item in seen["agenda"]] == [1, 2]
    listed = await get(site, "delegate-israel", "/api/meetings")
    calendar = await site.client.get("/api/meetings.ics", headers=site.as_user("delegate-israel"))
    assert calendar.status_code == 200
    assert calendar.headers["content-type"] == "text/calendar; charset=utf-8"
    for text in (str(seen), str(listed), calendar.text):
        assert "Aitaroun" not in text
        assert f"Case {case['id']}" not in text
    (event,) = icalendar.Calendar.from_ical(calendar.content).walk("VEVENT")
    assert (str(event["UID"]), int(event["SEQUENCE"])) == (meeting["uid"], 2)
    theirs = await site.client.get(
        f"/api/meetings/{meeting_id}.ics", headers=site.as_user("delegate-lebanon")
    )
    (mine,) = icalendar.Calendar.from_ical(theirs.content).walk("VEVENT")
    assert "Aitaroun" in str(mine["DESCRIPTION"])
    assert int(mine["SEQUENCE"]) == 4

    changed = await site.client.patch(
        f"/api/meetings/{meeting_id}",
        headers=site.as_user("chair"),
        json={"starts_at": (starts + dt.timedelta(days=1)).isoformat()},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["sequence"] == 1
    ends = dt.datetime.fromisoformat(changed.json()["ends_at"])
    assert ends == starts + dt.timedelta(days=1, hours=3)  # moved, it keeps its length
    early = await site.client.post(
        f"/api/meetings/{meeting_id}/transitions",
        headers=site.as_user("chair"),
        json={"action": "hold"},
    )
    assert early.status_code == 409
    assert "before it begins" in early.json()["detail"]
    refused = await site.client.post(
        f"/api/meetings/{meeting_id}/transitions",
        headers=site.as_user("delegate-lebanon"),
        json={"action": "cancel"},
    )
    assert refused.status_code == 403
    cancelled = await post(
        site,
        "chair",
        f"/api/meetings/{meeting_id}/transitions",
        {"action": "cancel", "note": "the envoys are away"},
    )
    assert cancelled["status"] == "cancelled"
    calendar = await site.client.get("/api/meetings.ics", headers=site.as_user("observer"))
    (event,) = icalendar.Calendar.from_ical(calendar.content).walk("VEVENT")
    assert (str(event["STATUS"]), str(event["UID"])) == ("CANCELLED", meeting["uid"])
    page = await get(site, "observer", "/api/meetings?status=cancelled")
    assert [m["id"] for m in page["items"]] == [meeting_id]


async def test_a_held_meeting_gets_attendance_minutes_and_outcomes(site: Site) -> None:
    delegation = await post(
        site, "chair", "/api/delegations", {"kind": "party", "name": "Israel", "party": "israel"}
    )
    member = await post(
        site,
        "chair",
        f"/api/delegations/{delegation['id']}/members",
        {"name": "Uri Resnick", "track": "civilian"},
    )
    meeting = await post(
        site,
        "chair",
        "/api/meetings",
        {"title": "Civilian talks", "starts_at": (NOW - dt.timedelta(hours=2)).isoformat()},
    )
    assert [a["member_name"] for a in meeting["attendance"]] == ["Uri Resnick"]
    url = f"/api/meetings/{meeting['id']}"
    item = (
        await post(
            site, "chair", f"{url}/agenda", {"items": [{"kind": "other", "title": "Prisoners"}]}
        )
    )["added"][0]
    early = await site.client.post(
        f"{url}/minutes", headers=site.as_user("chair"), json={"minutes": "x"}
    )
    assert early.status_code == 409
    await post(site, "chair", f"{url}/transitions", {"action": "hold"})
    attended = await post(
        site, "chair", f"{url}/attendance", {"member_id": member["id"], "status": "attended"}
    )
    assert attended["attendance"][0]["status"] == "attended"
    done = await post(
        site,
        "chair",
        f"{url}/minutes",
        {"minutes": "Met for two hours.", "outcomes": "Reconvene before the new year."},
    )
    assert (done["minutes"], done["outcomes"], done["sequence"]) == (
        "Met for two hours.",
        "Reconvene before the new year.",
        2,
    )
    outcome = await post(
        site, "chair", f"{url}/agenda/{item['id']}/outcome", {"outcome": "Lists exchanged."}
    )
    assert outcome["outcome"] == "Lists exchanged."
    shown = await get(site, "delegate-israel", url)
    assert shown["agenda"][0]["outcome"] == "Lists exchanged."
    missing = await site.client.post(
        f"{url}/agenda/987654/outcome", headers=site.as_user("chair"), json={"outcome": "x"}
    )
    assert missing.status_code == 404


async def test_the_routes_are_in_the_openapi_schema(site: Site) -> None:
    schema = (await site.client.get("/openapi.json")).json()
    paths = schema["paths"]
    listing = paths["/api/meetings"]["get"]["responses"]["200"]["content"]["application/json"]
    assert listing["schema"] == {"$ref": "#/components/schemas/MeetingListOut"}
    assert "text/calendar" in paths["/api/meetings.ics"]["get"]["responses"]["200"]["content"]
    draft = paths["/api/meetings/{meeting_id}/draft-agenda"]["get"]["responses"]
    assert draft["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/DraftAgendaOut"
    }
    assert "404" in draft
    components = schema["components"]["schemas"]
    assert {"MeetingOut", "AgendaItemOut", "DelegationOut", "AttendanceOut"} <= set(components)
    assert set(paths["/api/meetings/{meeting_id}"]) == {"get", "patch"}
