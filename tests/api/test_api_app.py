"""The app as a whole: documents, OpenAPI, docs page, headers, start-up configuration."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from api_sample import Sample

from truce.api import create_app, status_for
from truce.core.errors import (
    ConfigError,
    DocumentError,
    MigrationError,
    NotFoundError,
    StoreError,
    TruceError,
    VocabularyError,
)

pytestmark = pytest.mark.anyio

SECURITY_HEADERS = ("x-content-type-options", "referrer-policy", "x-frame-options")


async def test_document_by_pk_has_text_and_metadata(
    client: httpx.AsyncClient, sample: Sample
) -> None:
    event = sample.by_sentence("On 2 December 2024 an Israeli drone")
    response = await client.get(f"/api/documents/{event.document_pk}")
    assert response.status_code == 200
    body = response.json()
    khiam = sample.documents[0]
    assert body["pk"] == event.document_pk
    assert body["id"] == khiam.id == event.doc_id
    assert body["text"] == khiam.text
    assert body["sha256"] == khiam.sha256
    assert body["title"] == khiam.title
    assert body["url"] == khiam.url
    assert body["published"] == "2024-12-03"
    assert body["origin"] == "tests/api"


async def test_unknown_document_is_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/documents/424242")
    assert response.status_code == 404
    assert "424242" in response.json()["detail"]


async def test_openapi_lists_the_routes_with_typed_responses(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()
    assert set(schema["paths"]) == {
        "/api/events",
        "/api/events.geojson",
        "/api/events.csv",
        "/api/events/{event_id}",
        "/api/documents/{document_pk}",
        "/api/evidence",
        "/api/evidence/{evidence_id}",
        # incidents, cases and violations: each checked in its own test_api_*.py
        "/api/incidents",
        "/api/incidents/{incident_id}",
        "/api/incidents/link",
        "/api/incidents/merge",
        "/api/incidents/{incident_id}/split",
        "/api/incident-actions/{action_id}/undo",
        "/api/agreement/clauses",
        "/api/cases",
        "/api/cases/{case_id}",
        "/api/cases/{case_id}/transitions",
        "/api/cases/{case_id}/tasks",
        "/api/cases/{case_id}/tasks/{task_id}/done",
        "/api/cases/{case_id}/visits",
        "/api/cases/{case_id}/incidents",
        "/api/cases/{case_id}/evidence",
        "/api/delegations",
        "/api/delegations/{delegation_id}",
        "/api/delegations/{delegation_id}/members",
        "/api/delegation-members/{member_id}/leave",
        "/api/meetings",
        "/api/meetings.ics",
        "/api/meetings/{meeting_id}.ics",
        "/api/meetings/{meeting_id}",
        "/api/meetings/{meeting_id}/draft-agenda",
        "/api/meetings/{meeting_id}/transitions",
        "/api/meetings/{meeting_id}/minutes",
        "/api/meetings/{meeting_id}/attendance",
        "/api/meetings/{meeting_id}/agenda",
        "/api/meetings/{meeting_id}/agenda/{item_id}/outcome",
        "/api/violations/counts",
        "/api/violations/incidents",
        "/api/statements",
        "/api/statements/{statement_id}",
        "/api/statements/{statement_id}/verification",
        "/api/statements/{statement_id}/versions",
        "/api/statements/{statement_id}/comments",
        "/api/statements/{statement_id}/approvals",
        "/api/statements/{statement_id}/approvals/withdraw",
        "/api/statements/{statement_id}/issue",
        "/api/statements/{statement_id}/publish",
        "/api/statements/{statement_id}/share",
        "/api/proposals",
        "/api/proposals/{proposal_id}",
        "/api/proposals/{proposal_id}/transitions",
        "/api/commitments",
        "/api/commitments/{commitment_id}",
        "/api/commitments/{commitment_id}/close",
        "/api/committee/dashboard",
        "/api/disarmament/plan",
        "/api/disarmament/plan/{phase_id}/updates",
        "/api/disarmament/figures",
        "/api/disarmament/sites",
        "/api/disarmament/sites/{site_id}",
        "/api/disarmament/sites/{site_id}/status",
        "/api/disarmament/sites/{site_id}/links",
        "/api/disarmament/positions",
        "/api/disarmament/positions/seed",
        "/api/disarmament/positions/{position_id}",
        "/api/disarmament/positions/{position_id}/status",
        "/api/economic-zone",
        "/api/economic-zone/versions",
        "/api/economic-zone/projects",
        "/api/economic-zone/projects/{project_id}",
        "/api/economic-zone/projects/{project_id}/status",
        "/api/economic-zone/activity",
        "/api/economic-zone.geojson",
    }
    listing = schema["paths"]["/api/events"]["get"]
    names = {parameter["name"] for parameter in listing["parameters"]}
    assert names == {
        "start",
        "end",
        "event_type",
        "sub_event_type",
        "plover",
        "actor",
        "country",
        "bbox",
        "q",
        "limit",
        "offset",
    }
    ok = listing["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": "#/components/schemas/ExportPage"}
    components = schema["components"]["schemas"]
    assert {"ExportPage", "ExportedEvent", "EventFeatureCollection", "DocumentOut"} <= set(
        components
    )
    assert "evidence" in components["ExportedEvent"]["properties"]
    assert listing["responses"]["422"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorOut"
    }


async def test_docs_page_uses_local_swagger_ui(client: httpx.AsyncClient) -> None:
    page = await client.get("/docs")
    assert page.status_code == 200
    assert 'data-openapi-url="/openapi.json"' in page.text
    assert "<script>" not in page.text  # no inline script: the CSP forbids it
    for asset in ("swagger-ui/swagger-ui-bundle.js", "swagger-ui/swagger-ui.css"):
        assert f"/assets/{asset}" in page.text
        served = await client.get(f"/assets/{asset}")
        assert served.status_code == 200
        assert len(served.content) > 10_000


async def test_only_listed_assets_are_served(client: httpx.AsyncClient) -> None:
    assert (await client.get("/assets/world-atlas/countries-50m.json")).status_code == 200
    assert (
        (await client.get("/assets/leaflet/leaflet.js"))
        .headers["content-type"]
        .startswith("text/javascript")
    )
    for path in ("world-atlas/package.json", "../package.json", "leaflet/dist/leaflet.js"):
        assert (await client.get(f"/assets/{path}")).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/api/events",
        "/api/events.csv",
        "/api/events/999999",
        "/api/events?limit=0",
        "/docs",
        "/openapi.json",
        "/static/map.js",
        "/assets/leaflet/leaflet.js",
        "/no/such/page",
    ],
)
async def test_security_headers_on_every_response(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path)
    headers = response.headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "no-referrer"
    policy = headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_missing_node_modules_is_a_config_error_with_the_fix(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TRUCE_NODE_MODULES", str(tmp_path))
    with pytest.raises(ConfigError, match="npm ci") as raised:
        create_app(f"sqlite:///{tmp_path / 'x.db'}")
    assert "leaflet/dist/leaflet.js" in str(raised.value)


def test_bad_tile_url_is_a_config_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TRUCE_TILE_URL", "ftp://tiles.example.org/{z}/{x}/{y}.png")
    with pytest.raises(ConfigError, match="TRUCE_TILE_URL"):
        create_app(f"sqlite:///{tmp_path / 'x.db'}")


async def test_configured_tiles_are_allowed_by_the_policy_and_given_to_the_map(
    monkeypatch: pytest.MonkeyPatch, sample: Sample
) -> None:
    monkeypatch.setenv("TRUCE_TILE_URL", "https://{s}.tiles.example.org/{z}/{x}/{y}.png")
    monkeypatch.setenv("TRUCE_TILE_ATTRIBUTION", "© Example Tiles")
    app = create_app(sample.url)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http,
    ):
        page = await http.get("/")
    assert (
        "img-src 'self' data: https://*.tiles.example.org;"
        in (page.headers["content-security-policy"])
    )
    assert 'data-tile-url="https://{s}.tiles.example.org/{z}/{x}/{y}.png"' in page.text
    assert 'data-tile-attribution="© Example Tiles"' in page.text


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (NotFoundError("gone"), 404),
        (DocumentError("empty", source="a.txt", line=3), 422),
        (VocabularyError("no such type"), 422),
        (MigrationError("old schema"), 500),
        (StoreError("down"), 500),
        (ConfigError("bad"), 500),
        (TruceError("other"), 500),
    ],
)
def test_truce_errors_map_to_statuses(error: TruceError, status: int) -> None:
    assert status_for(error) == status
