"""`/api/cases` through the real app on both backends: an allegation filed, investigated and
concluded over HTTP, who may take which step, and who sees which case."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import pytest
from incident_sample import Site, open_site

pytestmark = pytest.mark.anyio

CLAUSE = "coh-2024-02"  # No operations against the other side


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def site(store_url: str) -> AsyncIterator[Site]:
    async with open_site(store_url) as opened:
        yield opened


async def file_case(site: Site, username: str, **fields: Any) -> dict[str, Any]:
    body = {
        "title": "Drone strike on a car in Khiam",
        "summary": "Two civilians killed.",
        "accused_party": "israel",
        "clause_id": CLAUSE,
        "incident_ids": [site.incidents["khiam"]],
        **fields,
    }
    response = await site.client.post("/api/cases", headers=site.as_user(username), json=body)
    assert response.status_code == 201, response.text
    case: dict[str, Any] = response.json()
    return case


async def move(
    site: Site, case_id: int, username: str, action: str, **fields: Any
) -> tuple[int, dict[str, Any]]:
    response = await site.client.post(
        f"/api/cases/{case_id}/transitions",
        headers=site.as_user(username),
        json={"action": action, **fields},
    )
    return response.status_code, response.json()


async def test_a_case_from_allegation_to_finding_moves_the_count(site: Site) -> None:
    khiam = site.incidents["khiam"]
    counts_url = "/api/violations/counts?by=party,clause&basis=finding"
    before = (await site.client.get(counts_url, headers=site.as_user("chair"))).json()
    assert before["rows"] == []

    case = await file_case(site, "delegate-lebanon", classification="committee")
    case_id = case["id"]
    assert (case["state"], case["filed_by"], case["filed_for_party"]) == (
        "filed",
        "delegate-lebanon",
        "lebanon",
    )
    assert case["incident_ids"] == [khiam]
    assert case["actions"] == ["withdraw"]  # what the filing delegate may do now
    assert [t["action"] for t in case["transitions"]] == ["file"]

    status, body = await move(site, case_id, "chair", "investigate", note="taken up")
    assert status == 200, body
    assert body["state"] == "investigating"
    assert body["transitions"][-1] == {
        **body["transitions"][-1],
        "action": "investigate",
        "from_state": "filed",
        "to_state": "investigating",
        "by": "chair",
        "note": "taken up",
    }

    monitor = site.as_user("monitor")
    task = await site.client.post(
        f"/api/cases/{case_id}/tasks",
        headers=monitor,
        json={"title": "Visit the site", "assigned_to": "monitor", "due": "2099-01-01"},
    )
    assert task.status_code == 201, task.text
    assert (task.json()["status"], task.json()["created_by"]) == ("open", "monitor")
    task_id = task.json()["id"]
    visit = await site.client.post(
        f"/api/cases/{case_id}/visits",
        headers=monitor,
        json={
            "visited_on": dt.datetime.now(dt.UTC).date().isoformat(),
            "place": "Khiam",
            "text": "Burnt-out car by the road; shrapnel marks on the wall.",
            "task_id": task_id,
        },
    )
    assert visit.status_code == 201, visit.text
    assert (visit.json()["by"], visit.json()["task_id"]) == ("monitor", task_id)
    done = await site.client.post(
        f"/api/cases/{case_id}/tasks/{task_id}/done", headers=monitor, json={"note": "seen"}
    )
    assert done.status_code == 200, done.text
    assert (done.json()["status"], done.json()["completed_by"]) == ("done", "monitor")
    closed_again = await site.client.post(
        f"/api/cases/{case_id}/tasks/{task_id}/done", headers=monitor, json={}
    )
    assert closed_again.status_code == 409

    status, body = await move(site, case_id, "chair", "conclude")
    assert status == 422  # concluding takes a finding
    assert "finding" in body["detail"]
    status, body = await move(
        site,
        case_id,
        "chair",
        "conclude",
        finding={
            "outcome": "confirmed",
            "rationale": "Two outlets and the site visit agree.",
            "classification": "committee",
        },
    )
    assert status == 200, body
    assert body["state"] == "concluded"
    finding = body["finding"]
    assert (finding["outcome"], finding["clause_id"], finding["attributed_party"]) == (
        "confirmed",
        CLAUSE,
        "israel",
    )
    assert [t["to_state"] for t in body["transitions"]] == ["filed", "investigating", "concluded"]
    assert [t["title"] for t in body["tasks"]] == ["Visit the site"]
    assert [v["place"] for v in body["visit_reports"]] == ["Khiam"]

    for username in ("chair", "delegate-israel", "observer"):
        counts = (await site.client.get(counts_url, headers=site.as_user(username))).json()
        row = next(r for r in counts["rows"] if r["key"] == ["israel", CLAUSE])
        assert (row["count"], row["incident_ids"]) == (1, [khiam]), username
        assert counts["basis"] == "finding"
    # the finding is the committee's: the public counts nothing
    public = (await site.client.get(counts_url)).json()
    assert public["rows"] == []

    listed = (await site.client.get("/api/cases", headers=site.as_user("observer"))).json()
    assert [(c["id"], c["state"]) for c in listed["items"]] == [(case_id, "concluded")]
    assert listed["items"][0]["finding"]["outcome"] == "confirmed"
    concluded = await site.client.get(
        "/api/cases", params={"state": "concluded"}, headers=site.as_user("chair")
    )
    assert concluded.json()["total"] == 1
    by_incident = await site.client.get(
        "/api/cases", params={"incident_id": khiam}, headers=site.as_user("chair")
    )
    assert [c["id"] for c in by_incident.json()["items"]] == [case_id]


async def test_an_invalid_transition_is_a_conflict(site: Site) -> None:
    case = await file_case(site, "chair", classification="committee")
    status, body = await move(site, case["id"], "chair", "reopen")
    assert status == 409
    assert "filed" in body["detail"]
    assert "investigate" in body["detail"]  # what is allowed from it
    status, body = await move(site, case["id"], "chair", "withdraw")
    assert (status, body["state"]) == (200, "withdrawn")
    status, body = await move(site, case["id"], "chair", "investigate")
    assert status == 409
    assert "final" in body["detail"]
    status, body = await move(site, case["id"], "chair", "dismiss")
    assert status == 422
    assert "action" in body["detail"]
    task = await site.client.post(
        f"/api/cases/{case['id']}/tasks", headers=site.as_user("chair"), json={"title": "Go"}
    )
    assert task.status_code == 409


async def test_who_may_file_and_move_cases(site: Site) -> None:
    # monitors and observers do not file; a delegate files for its own party only
    for username, fields in [
        ("monitor", {}),
        ("observer", {}),
        ("delegate-israel", {"filed_for_party": "lebanon"}),
        ("delegate-israel", {"classification": "public"}),
    ]:
        refused = await site.client.post(
            "/api/cases",
            headers=site.as_user(username),
            json={"title": "An allegation", **fields},
        )
        assert refused.status_code == 403, (username, fields)
    read_only = await site.client.post(
        "/api/cases", headers=site.as_user("reader"), json={"title": "An allegation"}
    )
    assert read_only.status_code == 403
    assert "read scope" in read_only.json()["detail"]

    case = await file_case(site, "delegate-lebanon")  # restricted to Lebanon by default
    assert (case["classification"], case["owner_party"]) == ("restricted", "lebanon")
    status, _ = await move(site, case["id"], "delegate-lebanon", "investigate")
    assert status == 403  # the chair's step
    status, _ = await move(site, case["id"], "monitor", "investigate")
    assert status == 404  # a monitor does not see Lebanon's restricted case
    task = await site.client.post(
        f"/api/cases/{case['id']}/tasks",
        headers=site.as_user("delegate-lebanon"),
        json={"title": "Go"},
    )
    assert task.status_code == 403
    status, body = await move(site, case["id"], "delegate-lebanon", "withdraw", note="settled")
    assert (status, body["state"]) == (200, "withdrawn")


async def test_a_party_never_sees_the_other_partys_restricted_case(site: Site) -> None:
    case = await file_case(site, "delegate-lebanon", title="Khiam complaint of Lebanon")
    for username in ("delegate-israel", "monitor", "observer", None):
        headers = site.as_user(username) if username else {}
        one = await site.client.get(f"/api/cases/{case['id']}", headers=headers)
        assert one.status_code == 404
        assert one.json() == {"detail": f"no case with id {case['id']}"}
        page = await site.client.get("/api/cases", headers=headers)
        assert page.json()["total"] == 0
        assert "Khiam complaint" not in page.text
    for username in ("delegate-lebanon", "chair"):
        one = await site.client.get(f"/api/cases/{case['id']}", headers=site.as_user(username))
        assert one.status_code == 200
        assert one.json()["title"] == "Khiam complaint of Lebanon"


async def test_linking_incidents_and_evidence(site: Site) -> None:
    case = await file_case(site, "chair", classification="committee", incident_ids=[])
    hidden = site.incidents["aitaroun"]
    monitor = site.as_user("monitor")
    refused = await site.client.post(
        f"/api/cases/{case['id']}/incidents", headers=monitor, json={"incident_ids": [hidden]}
    )
    assert refused.status_code == 404  # the monitor does not see Lebanon's incident
    linked = await site.client.post(
        f"/api/cases/{case['id']}/incidents",
        headers=monitor,
        json={"incident_ids": [site.incidents["khiam"], site.incidents["kfar_kila"]]},
    )
    assert linked.status_code == 200, linked.text
    assert sorted(linked.json()["linked"]) == sorted(
        [site.incidents["khiam"], site.incidents["kfar_kila"]]
    )
    again = await site.client.post(
        f"/api/cases/{case['id']}/incidents",
        headers=site.as_user("chair"),
        json={"incident_ids": [site.incidents["khiam"], hidden], "note": "the demolition too"},
    )
    assert again.json() == {"case_id": case["id"], "linked": [hidden]}
    # the committee sees the case, but not the incident only Lebanon and the chair see
    seen = (await site.client.get(f"/api/cases/{case['id']}", headers=monitor)).json()
    assert hidden not in seen["incident_ids"]
    assert sorted(seen["incident_ids"]) == sorted(
        [site.incidents["khiam"], site.incidents["kfar_kila"]]
    )
    chair = (
        await site.client.get(f"/api/cases/{case['id']}", headers=site.as_user("chair"))
    ).json()
    assert hidden in chair["incident_ids"]
    no_evidence = await site.client.post(
        f"/api/cases/{case['id']}/evidence", headers=monitor, json={"evidence_ids": [999999]}
    )
    assert no_evidence.status_code == 404
    empty = await site.client.post(
        f"/api/cases/{case['id']}/evidence", headers=monitor, json={"evidence_ids": []}
    )
    assert empty.status_code == 422


async def test_a_task_is_closed_under_its_own_case(site: Site) -> None:
    first = await file_case(site, "chair", classification="committee")
    second = await file_case(site, "chair", classification="committee")
    for case in (first, second):
        status, _ = await move(site, case["id"], "chair", "investigate")
        assert status == 200
    task = await site.client.post(
        f"/api/cases/{first['id']}/tasks", headers=site.as_user("chair"), json={"title": "Go"}
    )
    task_id = task.json()["id"]
    wrong = await site.client.post(
        f"/api/cases/{second['id']}/tasks/{task_id}/done", headers=site.as_user("chair"), json={}
    )
    assert wrong.status_code == 404
    cancelled = await site.client.post(
        f"/api/cases/{first['id']}/tasks/{task_id}/done",
        headers=site.as_user("chair"),
        json={"status": "cancelled", "note": "not needed"},
    )
    assert cancelled.json()["status"] == "cancelled"


async def test_a_browser_session_files_with_its_csrf_token(site: Site) -> None:
    body = {"title": "Shelling of Kfar Kila", "incident_ids": [site.incidents["kfar_kila"]]}
    async with site.browser("delegate-israel") as (browser, csrf):
        refused = await browser.post("/api/cases", json=body)
        assert refused.status_code == 403
        filed = await browser.post("/api/cases", json=body, headers={"X-CSRF-Token": csrf})
        assert filed.status_code == 201, filed.text
        assert (filed.json()["filed_for_party"], filed.json()["owner_party"]) == (
            "israel",
            "israel",
        )


async def test_bad_input_is_named(site: Site) -> None:
    chair = site.as_user("chair")
    for body, name in [
        ({"title": ""}, "title"),
        ({"title": "x", "deadline": "2000-01-01"}, "deadline"),
        ({"title": "x", "classification": "secret"}, "classification"),
        ({"title": "x", "colour": "red"}, "colour"),
    ]:
        response = await site.client.post("/api/cases", headers=chair, json=body)
        assert response.status_code == 422, body
        assert name in response.json()["detail"], response.json()
    for params in ({"state": "open"}, {"limit": 0}):
        response = await site.client.get("/api/cases", params=params, headers=chair)
        assert response.status_code == 422
    missing = await site.client.get("/api/cases/999999", headers=chair)
    assert missing.json() == {"detail": "no case with id 999999"}
