"""`/api/incidents` through the real app on both backends: what each viewer sees of an
incident, and linking, merging, splitting and undoing by API token and by browser session."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from incident_sample import COMPLAINT_OUTLET, KHIAM, SECRET_WORD, Site, open_site, report

from builders import write

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def site(store_url: str) -> AsyncIterator[Site]:
    async with open_site(store_url) as opened:
        yield opened


def members(incident: dict[str, Any]) -> set[str]:
    return {member["doc_id"] for member in incident["members"]}


def listed(page: dict[str, Any]) -> dict[int, set[str]]:
    return {item["id"]: members(item) for item in page["items"]}


@pytest.mark.parametrize("username", [None, "delegate-israel", "observer", "monitor"])
async def test_a_restricted_member_is_invisible_to_others(site: Site, username: str | None) -> None:
    headers = site.as_user(username) if username else {}
    page = await site.client.get("/api/incidents", headers=headers)
    assert page.status_code == 200, page.text
    khiam, kfar_kila = site.incidents["khiam"], site.incidents["kfar_kila"]
    assert listed(page.json()) == {
        khiam: {"wire-1", "cedar-1"},
        kfar_kila: {"wire-2", "cedar-2"},
    }
    assert page.json()["total"] == 2

    one = await site.client.get(f"/api/incidents/{khiam}", headers=headers)
    assert one.status_code == 200
    incident = one.json()
    assert members(incident) == {"wire-1", "cedar-1"}
    summary = incident["summary"]
    assert summary["independent_sources"] == 2
    assert summary["sources"] == ["Cedar News", "Levant Wire"]
    assert summary["fatalities"] == 2  # not the complaint's five
    assert site.events["lb-complaint-1"] not in summary["event_ids"]
    for text in (page.text, one.text):
        assert COMPLAINT_OUTLET not in text
        assert SECRET_WORD not in text
        assert "army reported" not in text

    # an incident made only of hidden members is answered like a missing one
    hidden = site.incidents["aitaroun"]
    gone = await site.client.get(f"/api/incidents/{hidden}", headers=headers)
    missing = await site.client.get("/api/incidents/999999", headers=headers)
    assert gone.status_code == missing.status_code == 404
    assert gone.json() == {"detail": f"no incident with id {hidden}"}
    assert missing.json() == {"detail": "no incident with id 999999"}
    # a filter matching only the hidden member finds nothing
    army = await site.client.get("/api/incidents", params={"q": "army"}, headers=headers)
    assert army.json()["total"] == 0


@pytest.mark.parametrize("username", ["delegate-lebanon", "chair"])
async def test_lebanon_and_the_chair_see_every_member(site: Site, username: str) -> None:
    page = (await site.client.get("/api/incidents", headers=site.as_user(username))).json()
    assert page["total"] == 3
    shown = listed(page)
    assert shown[site.incidents["khiam"]] == {"wire-1", "cedar-1", "lb-complaint-1"}
    assert shown[site.incidents["aitaroun"]] == {"lb-complaint-2"}
    khiam = await site.client.get(
        f"/api/incidents/{site.incidents['khiam']}", headers=site.as_user(username)
    )
    assert khiam.json()["summary"]["independent_sources"] == 3
    assert COMPLAINT_OUTLET in khiam.json()["summary"]["sources"]


async def test_an_incident_shows_its_evidence_violations_and_history(site: Site) -> None:
    khiam = site.incidents["khiam"]
    chair = (await site.client.get(f"/api/incidents/{khiam}", headers=site.as_user("chair"))).json()
    member = next(m for m in chair["members"] if m["doc_id"] == "wire-1")
    assert member["source"] == "Levant Wire"
    assert member["event"]["evidence"]["text"].startswith("An Israeli drone struck a car")
    assert member["event"]["id"] == site.events["wire-1"]
    assert 0 < member["link_score"] <= 1
    assert member["linked_to"] in chair["summary"]["event_ids"]
    # an Israeli air strike in Lebanon after the ceasefire: a candidate against Israel
    against_israel = [v for v in chair["violations"] if v["party"] == "israel"]
    assert against_israel
    assert all(v["effect"] in {"violation", "compliance"} for v in chair["violations"])
    assert "Khiam" in against_israel[0]["reason"]
    assert set(against_israel[0]["event_ids"]) <= set(chair["summary"]["event_ids"])
    assert [action["kind"] for action in chair["actions"]] == ["link"]
    assert site.events["lb-complaint-1"] in chair["actions"][0]["after"][str(khiam)]

    monitor = await site.client.get(f"/api/incidents/{khiam}", headers=site.as_user("monitor"))
    (link,) = monitor.json()["actions"]
    assert site.events["lb-complaint-1"] not in link["after"][str(khiam)]
    assert SECRET_WORD not in monitor.text
    public = (await site.client.get(f"/api/incidents/{khiam}")).json()
    assert public["actions"] == []
    assert all(site.events["lb-complaint-1"] not in v["event_ids"] for v in public["violations"])


async def test_the_list_pages_and_filters(site: Site) -> None:
    first = await site.client.get("/api/incidents", params={"limit": 1})
    body = first.json()
    assert (body["total"], body["limit"], body["offset"], len(body["items"])) == (2, 1, 0, 1)
    assert body["items"][0]["id"] == site.incidents["kfar_kila"]  # the latest first
    second = (await site.client.get(body["next"])).json()
    assert [item["id"] for item in second["items"]] == [site.incidents["khiam"]]
    assert second["next"] is None

    filtered = await site.client.get("/api/incidents", params={"q": "Kfar Kila"})
    assert [item["id"] for item in filtered.json()["items"]] == [site.incidents["kfar_kila"]]
    dated = await site.client.get("/api/incidents", params={"start": "2025-01-15"})
    assert [item["id"] for item in dated.json()["items"]] == [site.incidents["kfar_kila"]]
    malformed: list[tuple[dict[str, str | int], str]] = [
        ({"limit": 0}, "limit"),
        ({"bbox": "1,2,3"}, "bbox"),
        ({"country": "Lebanon"}, "country"),
        ({"start": "soon"}, "start"),
    ]
    for params, name in malformed:
        bad = await site.client.get("/api/incidents", params=params)
        assert bad.status_code == 422, params
        assert name in bad.json()["detail"], bad.json()


async def test_merge_split_and_undo_as_the_chair(site: Site) -> None:
    chair = site.as_user("chair")
    khiam, kfar_kila = site.incidents["khiam"], site.incidents["kfar_kila"]
    survivor, other = sorted((khiam, kfar_kila))

    merged = await site.client.post(
        "/api/incidents/merge",
        headers=chair,
        json={"incident_ids": [other, survivor], "reason": "one strike"},
    )
    assert merged.status_code == 201, merged.text
    merge = merged.json()
    assert (merge["kind"], merge["by"], merge["reason"]) == ("merge", "chair", "one strike")
    assert merge["after"][str(other)] == []
    assert merge["retired"] == [other]
    both = (await site.client.get(f"/api/incidents/{survivor}", headers=chair)).json()
    assert members(both) == {"wire-1", "cedar-1", "lb-complaint-1", "wire-2", "cedar-2"}
    active = await site.client.get("/api/incidents", headers=chair)
    assert other not in {item["id"] for item in active.json()["items"]}
    with_retired = await site.client.get(
        "/api/incidents", headers=chair, params={"include_retired": "true"}
    )
    (gone,) = [item for item in with_retired.json()["items"] if item["id"] == other]
    # a retired incident shows the members it had, and where they went
    assert (gone["superseded_by"], gone["retired_at"] is not None) == (survivor, True)

    again = await site.client.post(
        "/api/incidents/merge", headers=chair, json={"incident_ids": [other, survivor]}
    )
    assert again.status_code == 409
    assert "retired" in again.json()["detail"]

    moved = [site.events["wire-2"], site.events["cedar-2"]]
    split = await site.client.post(
        f"/api/incidents/{survivor}/split", headers=chair, json={"event_ids": moved}
    )
    assert split.status_code == 201, split.text
    (created,) = split.json()["created"]
    apart = (await site.client.get(f"/api/incidents/{created}", headers=chair)).json()
    assert members(apart) == {"wire-2", "cedar-2"}

    # undo the merge first: the split changed its incidents since
    conflict = await site.client.post(f"/api/incident-actions/{merge['id']}/undo", headers=chair)
    assert conflict.status_code == 409
    assert "undo the later action first" in conflict.json()["detail"]
    for action in (split.json()["id"], merge["id"]):
        undone = await site.client.post(f"/api/incident-actions/{action}/undo", headers=chair)
        assert undone.status_code == 201, undone.text
        assert undone.json()["undoes"] == action
    page = (await site.client.get("/api/incidents", headers=chair)).json()
    assert listed(page)[kfar_kila] == {"wire-2", "cedar-2"}
    assert listed(page)[khiam] == {"wire-1", "cedar-1", "lb-complaint-1"}
    twice = await site.client.post(f"/api/incident-actions/{merge['id']}/undo", headers=chair)
    assert twice.status_code == 409
    assert "undone already" in twice.json()["detail"]

    run = await site.client.post("/api/incidents/link", headers=chair)
    assert run.status_code == 200, run.text
    assert run.json()["action"] is None  # nothing changed since
    assert run.json()["incidents"] == 3


@pytest.mark.parametrize("headers", ["delegate-lebanon", "observer", "reader", None])
async def test_only_the_chair_and_monitors_reshape(site: Site, headers: str | None) -> None:
    sent = site.as_user(headers) if headers else {}
    khiam, kfar_kila = site.incidents["khiam"], site.incidents["kfar_kila"]
    attempts = [
        ("/api/incidents/link", None),
        ("/api/incidents/merge", {"incident_ids": [khiam, kfar_kila]}),
        (f"/api/incidents/{khiam}/split", {"event_ids": [site.events["wire-1"]]}),
        ("/api/incident-actions/1/undo", None),
    ]
    for path, body in attempts:
        response = await site.client.post(path, headers=sent, json=body)
        assert response.status_code == 403, (path, response.text)
    if headers == "reader":
        assert "read scope" in response.json()["detail"]
    page = (await site.client.get("/api/incidents", headers=site.as_user("chair"))).json()
    assert len(page["items"]) == 3  # nothing changed
    assert all(len(item["actions"]) == 0 for item in page["items"])  # lists carry no actions


async def test_a_monitor_cannot_reshape_what_it_cannot_see(site: Site) -> None:
    monitor = site.as_user("monitor")
    hidden = site.incidents["aitaroun"]
    merge = await site.client.post(
        "/api/incidents/merge",
        headers=monitor,
        json={"incident_ids": [site.incidents["khiam"], hidden]},
    )
    assert merge.status_code == 404
    assert merge.json() == {"detail": f"no incident with id {hidden}"}
    split = await site.client.post(
        f"/api/incidents/{site.incidents['khiam']}/split",
        headers=monitor,
        json={"event_ids": [site.events["lb-complaint-1"]]},
    )
    assert split.status_code == 422  # not a member it sees
    ok = await site.client.post(
        f"/api/incidents/{site.incidents['khiam']}/split",
        headers=monitor,
        json={"event_ids": [site.events["cedar-1"]], "reason": "another car"},
    )
    assert ok.status_code == 201, ok.text
    assert ok.json()["by"] == "monitor"


async def test_bad_bodies_are_named(site: Site) -> None:
    chair = site.as_user("chair")
    cases = [
        ("/api/incidents/merge", {"incident_ids": [site.incidents["khiam"]]}, "incident_ids"),
        ("/api/incidents/merge", {"incident_ids": [1, 2], "colour": "red"}, "colour"),
        ("/api/incidents/link", {"max_km": 0}, "max_km"),
        ("/api/incidents/link", {"day_slack_days": -1}, "day_slack_days"),
        (f"/api/incidents/{site.incidents['khiam']}/split", {"event_ids": []}, "event_ids"),
    ]
    for path, body, name in cases:
        response = await site.client.post(path, headers=chair, json=body)
        assert response.status_code == 422, (path, body)
        assert name in response.json()["detail"]
    missing = await site.client.post("/api/incident-actions/999999/undo", headers=chair)
    assert missing.status_code == 404


async def test_a_browser_session_reshapes_with_its_csrf_token(site: Site) -> None:
    late = report(
        "daily-1",
        "An Israeli drone strike on a car in Khiam killed two people, residents said.",
        source="Daily Star",
        place=KHIAM,
        fatalities=2,
    )
    write(site.store, {late[0]: [late[1]]})
    settings = {"max_km": 10, "day_slack_days": 0}
    async with site.browser("monitor") as (browser, csrf):
        refused = await browser.post("/api/incidents/link", json=settings)
        assert refused.status_code == 403
        assert "CSRF" in refused.json()["detail"]
        run = await browser.post(
            "/api/incidents/link", json=settings, headers={"X-CSRF-Token": csrf}
        )
        assert run.status_code == 200, run.text
        body = run.json()
        assert body["events"] == len(site.events) + 1
        # the new report joins the Khiam incident, which keeps its id
        assert (body["incidents"], body["new"], body["changed"], body["retired"]) == (3, 0, 1, 0)
        assert body["action"] is not None
        khiam = (await browser.get(f"/api/incidents/{site.incidents['khiam']}")).json()
        assert "daily-1" in members(khiam)
        assert khiam["actions"][-1]["by"] == "monitor"
    async with site.browser("delegate-israel") as (browser, csrf):
        denied = await browser.post("/api/incidents/link", headers={"X-CSRF-Token": csrf})
        assert denied.status_code == 403
        assert "chair and monitors" in denied.json()["detail"]
