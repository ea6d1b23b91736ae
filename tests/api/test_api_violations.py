"""`/api/violations` and `/api/agreement` through the real app on both backends: counts of
candidate violations per viewer with the incidents behind each number, the agreement's
clauses, and every new route in the OpenAPI schema."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator

import pytest
from incident_sample import Site, open_site

from truce.analytics.violations import count_violations
from truce.core.access import Principal
from truce.security import get_user
from truce.theatre import load_pack

pytestmark = pytest.mark.anyio

NEW_PATHS = {
    "/api/incidents": {"get"},
    "/api/incidents/{incident_id}": {"get"},
    "/api/incidents/link": {"post"},
    "/api/incidents/merge": {"post"},
    "/api/incidents/{incident_id}/split": {"post"},
    "/api/incident-actions/{action_id}/undo": {"post"},
    "/api/agreement/clauses": {"get"},
    "/api/cases": {"get", "post"},
    "/api/cases/{case_id}": {"get"},
    "/api/cases/{case_id}/transitions": {"post"},
    "/api/cases/{case_id}/tasks": {"post"},
    "/api/cases/{case_id}/tasks/{task_id}/done": {"post"},
    "/api/cases/{case_id}/visits": {"post"},
    "/api/cases/{case_id}/incidents": {"post"},
    "/api/cases/{case_id}/evidence": {"post"},
    "/api/violations/counts": {"get"},
    "/api/violations/incidents": {"get"},
}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def site(store_url: str) -> AsyncIterator[Site]:
    async with open_site(store_url) as opened:
        yield opened


def principal(site: Site, username: str | None) -> Principal:
    if username is None:
        return Principal.public()
    user = get_user(site.store, username)
    return user.principal


@pytest.mark.parametrize("username", [None, "delegate-israel", "delegate-lebanon", "chair"])
async def test_candidate_counts_are_what_the_viewer_may_see(
    site: Site, username: str | None
) -> None:
    headers = site.as_user(username) if username else {}
    response = await site.client.get(
        "/api/violations/counts", params={"by": "party,clause"}, headers=headers
    )
    assert response.status_code == 200, response.text
    counts = response.json()
    expected = count_violations(
        site.store, by=["party", "clause"], viewer=principal(site, username)
    )
    assert [(r["key"], r["count"], r["incident_ids"]) for r in counts["rows"]] == [
        (list(r.key), r.count, list(r.incident_ids)) for r in expected.rows
    ]
    assert (counts["basis"], counts["by"], counts["period"]) == (
        "candidate",
        ["party", "clause"],
        "month",
    )
    # both Israeli drone strikes count against Israel, for everyone
    against_israel = {
        i for r in counts["rows"] if r["key"][0] == "israel" for i in r["incident_ids"]
    }
    assert {site.incidents["khiam"], site.incidents["kfar_kila"]} <= against_israel
    if username not in ("delegate-lebanon", "chair"):
        assert site.incidents["aitaroun"] not in counts["incident_ids"]


async def test_the_incidents_behind_a_number(site: Site) -> None:
    counts = (
        await site.client.get("/api/violations/counts", params=[("by", "party"), ("by", "period")])
    ).json()
    row = next(r for r in counts["rows"] if r["key"] == ["israel", "2025-01"])
    behind = await site.client.get(
        "/api/violations/incidents",
        params={"by": "party,period", "key": "israel,2025-01", "limit": 1},
    )
    assert behind.status_code == 200, behind.text
    body = behind.json()
    assert [r["key"] for r in body["counts"]["rows"]] == [["israel", "2025-01"]]
    page = body["incidents"]
    assert page["total"] == row["count"] == len(row["incident_ids"])
    assert page["items"][0]["id"] in row["incident_ids"]
    assert [v["party"] for v in page["items"][0]["violations"]].count("israel") >= 1
    if page["total"] > 1:
        following = (await site.client.get(page["next"])).json()["incidents"]
        assert following["items"][0]["id"] in row["incident_ids"]
    nothing = await site.client.get(
        "/api/violations/incidents", params={"by": "party", "key": "atlantis"}
    )
    assert nothing.json()["incidents"]["items"] == []
    assert nothing.json()["counts"]["rows"] == []


async def test_bad_parameters_are_named(site: Site) -> None:
    for params, words in [
        ({"by": "colour"}, "colour"),
        ({"by": "party,party"}, "twice"),
        ({"basis": "rumour"}, "basis"),
        ({"period": "decade"}, "period"),
        ({"start": "2025-02-01", "end": "2025-01-01"}, "before it starts"),
    ]:
        response = await site.client.get("/api/violations/counts", params=params)
        assert response.status_code == 422, params
        assert words in response.json()["detail"], response.json()
    wrong_key = await site.client.get(
        "/api/violations/incidents", params={"by": "party,clause", "key": "israel"}
    )
    assert wrong_key.status_code == 422
    assert "one value per dimension" in wrong_key.json()["detail"]


async def test_the_agreement_clauses(site: Site) -> None:
    response = await site.client.get("/api/agreement/clauses")
    assert response.status_code == 200
    agreement = response.json()
    pack = load_pack(None)
    assert (
        agreement["agreement_hash"] == hashlib.sha256(pack.agreement_path.read_bytes()).hexdigest()
    )
    numbers = [clause["number"] for clause in agreement["clauses"]]
    assert numbers == sorted(numbers)
    assert [clause["id"] for clause in agreement["clauses"]] == [
        clause.id for clause in sorted(pack.agreement.clauses, key=lambda c: c.number)
    ]
    second = next(c for c in agreement["clauses"] if c["id"] == "coh-2024-02")
    assert second["conditions"]
    assert all("acting_parties" in condition for condition in second["conditions"])


async def test_every_new_route_is_in_the_openapi_schema(site: Site) -> None:
    schema = (await site.client.get("/openapi.json")).json()
    for path, methods in NEW_PATHS.items():
        assert path in schema["paths"], path
        assert set(schema["paths"][path]) == methods, path
        for method in methods:
            operation = schema["paths"][path][method]
            assert operation["summary"], (path, method)
            success = next(code for code in operation["responses"] if code.startswith("2"))
            content = operation["responses"][success]["content"]["application/json"]
            # a named response model, never a bare object
            assert content["schema"]["$ref"].startswith("#/components/schemas/"), (path, method)
            if method == "post":
                assert {"403", "409"} <= set(operation["responses"]), path
    assert "IncidentOut" in schema["components"]["schemas"]
    assert "CaseOut" in schema["components"]["schemas"]
    assert "ViolationCountsOut" in schema["components"]["schemas"]
