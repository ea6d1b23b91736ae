"""`/api/statements` through the real app on both backends: a joint statement drafted,
commented on, revised, approved by both delegations, issued and published over HTTP; who may
take which step, who sees what, and that the public sees the issued text and hash alone."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from access_sample import add_users

from builders import SYSTEM
from truce.api import create_app
from truce.committee.delegations import DelegationKind, NewDelegation, add_delegation
from truce.core.access import Scope
from truce.security import create_token
from truce.store import Store
from truce.store.committee_schema import statement_versions

pytestmark = pytest.mark.anyio

DRAFT_1 = "The Mechanism met in Naqoura. The parties agreed to reconvene before the new year."
DRAFT_2 = (
    "The Mechanism met in Naqoura with civilian envoys of both countries. The parties agreed "
    "to reconvene before the new year with proposals for recovery."
)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@dataclass
class Desk:
    """The app on a store with both party delegations, the chair's, and users with tokens."""

    client: httpx.AsyncClient
    store: Store
    tokens: dict[str, str]  # username: secret; "reader": the chair's read-only token
    delegations: dict[str, int]  # name: id

    def as_user(self, username: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[username]}"}

    async def post(self, username: str, path: str, body: dict[str, Any] | None = None) -> Any:
        return await self.client.post(path, headers=self.as_user(username), json=body or {})

    async def get(self, path: str, username: str | None = None) -> httpx.Response:
        headers = self.as_user(username) if username else {}
        return await self.client.get(path, headers=headers)


@pytest.fixture
async def desk(store_url: str) -> AsyncIterator[Desk]:
    with Store.open(store_url) as store:
        users = add_users(store)
        tokens = {
            name: create_token(
                store,
                name,
                name="api tests",
                scopes=user.principal.scopes,
                expires_in=dt.timedelta(hours=1),
                by=SYSTEM,
            ).secret
            for name, user in users.items()
        }
        tokens["reader"] = create_token(
            store,
            "chair",
            name="read only",
            scopes=frozenset({Scope.READ}),
            expires_in=dt.timedelta(hours=1),
            by=SYSTEM,
        ).secret
        delegations = {
            name: add_delegation(
                store, NewDelegation(kind=kind, name=name, party=party), by=SYSTEM
            ).id
            for kind, name, party in (
                (DelegationKind.PARTY, "Israel", "israel"),
                (DelegationKind.PARTY, "Lebanon", "lebanon"),
                (DelegationKind.CHAIR, "Chair", None),
            )
        }
        app = create_app(store_url)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="https://testserver"
            ) as http,
        ):
            yield Desk(http, store, tokens, delegations)


async def drafted(desk: Desk, **fields: Any) -> dict[str, Any]:
    body = {"title": "Joint statement of 19 December", "text": DRAFT_1, **fields}
    response = await desk.post("chair", "/api/statements", body)
    assert response.status_code == 201, response.text
    statement: dict[str, Any] = response.json()
    return statement


async def test_a_statement_from_draft_to_publication(desk: Desk) -> None:
    statement = await drafted(desk, note="first draft")
    sid = statement["id"]
    assert (statement["status"], statement["version"], statement["created_by"]) == (
        "draft",
        1,
        "chair",
    )
    assert statement["awaiting"] == ["Israel", "Lebanon"]
    missing = await desk.get("/api/statements/987654")
    hidden = await desk.get(f"/api/statements/{sid}")
    assert (hidden.status_code, missing.status_code) == (404, 404)
    assert hidden.json()["detail"] == missing.json()["detail"].replace("987654", str(sid))

    comment = await desk.post(
        "delegate-lebanon",
        f"/api/statements/{sid}/comments",
        {"text": "Say that civilian envoys took part."},
    )
    assert comment.status_code == 201, comment.text
    assert (comment.json()["delegation"], comment.json()["version"]) == ("Lebanon", 1)

    revised = await desk.post(
        "chair", f"/api/statements/{sid}/versions", {"text": DRAFT_2, "note": "as Lebanon asked"}
    )
    assert revised.status_code == 201, revised.text
    assert revised.json()["version"] == 2

    for username in ("delegate-lebanon", "delegate-israel"):
        approval = await desk.post(username, f"/api/statements/{sid}/approvals", {"version": 2})
        assert approval.status_code == 201, approval.text
        assert approval.json()["version"] == 2

    issued = await desk.post("chair", f"/api/statements/{sid}/issue")
    assert issued.status_code == 200, issued.text
    sha = hashlib.sha256(DRAFT_2.encode()).hexdigest()
    assert (issued.json()["status"], issued.json()["issued_sha256"]) == ("issued", sha)
    assert issued.json()["actions"] == ["publish"]

    published = await desk.post("chair", f"/api/statements/{sid}/publish")
    assert published.status_code == 200, published.text
    assert (published.json()["status"], published.json()["classification"]) == (
        "published",
        "public",
    )

    public = await desk.get(f"/api/statements/{sid}")
    assert public.status_code == 200, public.text
    seen = public.json()
    assert (seen["text"], seen["sha256"], seen["issued_sha256"]) == (DRAFT_2, sha, sha)
    assert [(v["number"], v["note"]) for v in seen["versions"]] == [(2, None)]
    assert (seen["comments"], seen["approvals"], seen["approved_by"]) == ([], [], [])
    assert DRAFT_1 not in public.text
    assert "civilian envoys took part" not in public.text
    listing = (await desk.get("/api/statements")).json()
    assert [(item["id"], item["text"]) for item in listing["items"]] == [(sid, DRAFT_2)]
    check = (await desk.get(f"/api/statements/{sid}/verification")).json()
    assert (check["intact"], check["checked"], check["issued_sha256"]) == (True, [2], sha)
    committee = (await desk.get(f"/api/statements/{sid}", "observer")).json()
    assert [v["text"] for v in committee["versions"]] == [DRAFT_1, DRAFT_2]


async def test_who_may_take_which_step(desk: Desk) -> None:
    sid = (await drafted(desk))["id"]
    refused = await desk.post("chair", f"/api/statements/{sid}/issue")
    assert refused.status_code == 409
    assert "not approved by Israel, Lebanon" in refused.json()["detail"]

    for_other = await desk.post(
        "delegate-israel",
        f"/api/statements/{sid}/approvals",
        {"delegation_id": desk.delegations["Lebanon"]},
    )
    assert for_other.status_code == 403
    assert "may not approve for Lebanon" in for_other.json()["detail"]
    for username in ("observer", "monitor", "reader"):
        response = await desk.post(username, f"/api/statements/{sid}/approvals")
        assert response.status_code == 403, username
    assert (
        await desk.post("delegate-lebanon", "/api/statements", {"title": "x", "text": "y"})
    ).status_code == 403
    bad = await desk.post("chair", f"/api/statements/{sid}/approvals", {"party": "israel"})
    assert bad.status_code == 422

    await desk.post("delegate-israel", f"/api/statements/{sid}/approvals")
    withdrawn = await desk.post("delegate-israel", f"/api/statements/{sid}/approvals/withdraw")
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["withdrawn_by"] == "delegate-israel"
    for username in ("delegate-israel", "delegate-lebanon"):
        await desk.post(username, f"/api/statements/{sid}/approvals")
    assert (await desk.post("chair", f"/api/statements/{sid}/issue")).status_code == 200
    after = await desk.post("chair", f"/api/statements/{sid}/versions", {"text": DRAFT_2})
    assert after.status_code == 409
    assert "is issued" in after.json()["detail"]
    late = await desk.post("delegate-lebanon", f"/api/statements/{sid}/comments", {"text": "Late"})
    assert late.status_code == 409


async def test_a_restricted_draft_is_shared_with_the_committee(desk: Desk) -> None:
    sid = (
        await drafted(
            desk, title="LEBANESEDRAFT", classification="restricted", owner_party="lebanon"
        )
    )["id"]
    assert (await desk.get(f"/api/statements/{sid}", "delegate-israel")).status_code == 404
    chair_view = (await desk.get(f"/api/statements/{sid}", "chair")).json()
    assert "share" in chair_view["actions"]
    for username, status in (("delegate-lebanon", 403), ("delegate-israel", 404), ("reader", 403)):
        refused = await desk.post(username, f"/api/statements/{sid}/share")
        assert refused.status_code == status, username
        assert ("LEBANESEDRAFT" in refused.text) is False
    shared = await desk.post("chair", f"/api/statements/{sid}/share")
    assert shared.status_code == 200, shared.text
    assert (shared.json()["classification"], shared.json()["owner_party"]) == ("committee", None)
    israel = (await desk.get(f"/api/statements/{sid}", "delegate-israel")).json()
    assert israel["awaiting"] == ["Israel", "Lebanon"]
    again = await desk.post("chair", f"/api/statements/{sid}/share")
    assert again.status_code == 409


async def test_a_restricted_comment_is_kept_from_the_other_party(desk: Desk) -> None:
    sid = (await drafted(desk))["id"]
    private = await desk.post(
        "delegate-israel",
        f"/api/statements/{sid}/comments",
        {"text": "Our reservation PRIVATEWORD", "classification": "restricted"},
    )
    assert private.status_code == 201, private.text
    assert private.json()["owner_party"] == "israel"
    for username, sees in (
        ("delegate-israel", True),
        ("chair", True),
        ("delegate-lebanon", False),
        ("observer", False),
    ):
        response = await desk.get(f"/api/statements/{sid}", username)
        assert response.status_code == 200
        assert ("PRIVATEWORD" in response.text) is sees, username


async def test_tampering_shows_in_the_verification(desk: Desk) -> None:
    sid = (await drafted(desk))["id"]
    with desk.store.transaction(by=SYSTEM) as batch:
        batch.connection.execute(sa.update(statement_versions).values(text="Something else"))
    check = (await desk.get(f"/api/statements/{sid}/verification", "chair")).json()
    assert check["intact"] is False
    assert check["problems"] == [
        "the stored text of version 1 does not match its SHA-256 "
        + hashlib.sha256(DRAFT_1.encode()).hexdigest()
    ]


async def test_the_routes_are_in_the_openapi_schema(desk: Desk) -> None:
    schema = (await desk.get("/openapi.json")).json()
    paths = {path for path in schema["paths"] if path.startswith("/api/statements")}
    assert paths == {
        "/api/statements",
        "/api/statements/{statement_id}",
        "/api/statements/{statement_id}/verification",
        "/api/statements/{statement_id}/versions",
        "/api/statements/{statement_id}/comments",
        "/api/statements/{statement_id}/approvals",
        "/api/statements/{statement_id}/approvals/withdraw",
        "/api/statements/{statement_id}/share",
        "/api/statements/{statement_id}/issue",
        "/api/statements/{statement_id}/publish",
    }
    issue = schema["paths"]["/api/statements/{statement_id}/issue"]["post"]
    assert {"403", "404", "409"} <= set(issue["responses"])
    assert "StatementOut" in schema["components"]["schemas"]
