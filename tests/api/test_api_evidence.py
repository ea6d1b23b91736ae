"""`/api/evidence` through the real app on both backends: who sees which files, and uploads
streamed into a real vault (signed in with real API tokens)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from builders import SYSTEM
from evidence_sample import html, jpeg, pdf, png
from truce.api import create_app
from truce.core.access import Classification, Role, Scope
from truce.evidence import EvidenceRecord, EvidenceVault, add_evidence
from truce.security import add_user, create_token
from truce.store import Store
from truce.store.schema import custody_events, evidence_files

pytestmark = pytest.mark.anyio

#: username: (role, party)
USERS = {
    "monitor": (Role.MONITOR, None),
    "observer": (Role.OBSERVER, None),
    "delegate-israel": (Role.DELEGATE, "israel"),
    "delegate-lebanon": (Role.DELEGATE, "lebanon"),
}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@dataclass
class Site:
    client: httpx.AsyncClient
    store: Store
    vault: EvidenceVault
    filed: dict[str, EvidenceRecord]
    tokens: dict[str, str]  # username: secret (and "reader": a read-only token of monitor)

    def as_user(self, username: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[username]}"}

    def rows(self, table: sa.Table) -> int:
        with self.store.reading("counting") as connection:
            return connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()

    def leftovers(self) -> list[Path]:
        return list((self.vault.root / "tmp").glob("*"))


def _file(
    store: Store,
    vault: EvidenceVault,
    content: bytes,
    level: Classification,
    party: str | None,
    name: str,
) -> EvidenceRecord:
    return add_evidence(
        store,
        vault,
        io.BytesIO(content),
        original_name=name,
        received_from=f"source of {name}",
        received_by="Secretariat",
        by=SYSTEM,
        classification=level,
        owner_party=party,
    )


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as opened:
        yield opened


@pytest.fixture
async def site(
    store_url: str, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Site]:
    monkeypatch.setenv("TRUCE_EVIDENCE_DIR", str(tmp_path / "vault"))
    vault = EvidenceVault.from_env()
    filed = {
        "public": _file(store, vault, jpeg("public"), Classification.PUBLIC, None, "public.jpg"),
        "committee": _file(
            store, vault, png("committee"), Classification.COMMITTEE, None, "committee.png"
        ),
        "israel": _file(
            store, vault, pdf("israel"), Classification.RESTRICTED, "israel", "israel.pdf"
        ),
    }
    tokens: dict[str, str] = {}
    for username, (role, party) in USERS.items():
        add_user(
            store,
            username=username,
            role=role,
            password=f"{username}-Horse-Battery-9",
            by=SYSTEM,
            party=party,
        )
        tokens[username] = create_token(
            store,
            username,
            name="tests",
            scopes=frozenset(Scope),
            expires_in=dt.timedelta(days=1),
            by=SYSTEM,
        ).secret
    tokens["reader"] = create_token(
        store,
        "monitor",
        name="read only",
        scopes=frozenset({Scope.READ}),
        expires_in=dt.timedelta(days=1),
        by=SYSTEM,
    ).secret
    app = create_app(store_url)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as http,
    ):
        yield Site(http, store, vault, filed, tokens)


def upload_fields(**extra: str) -> dict[str, str]:
    return {"received_from": "UNIFIL patrol 7", "received_by": "Secretariat", **extra}


async def test_the_public_lists_and_gets_only_public_files(site: Site) -> None:
    listed = (await site.client.get("/api/evidence")).json()
    assert [item["id"] for item in listed["items"]] == [site.filed["public"].id]
    assert (listed["limit"], listed["offset"], listed["next_offset"]) == (100, 0, None)
    public = (await site.client.get(f"/api/evidence/{site.filed['public'].id}")).json()
    assert public["sha256"] == site.filed["public"].sha256
    assert public["media_type"] == "image/jpeg"
    assert [entry["action"] for entry in public["custody"]] == ["received"]
    assert public["custody"][0]["from_whom"] == "source of public.jpg"
    for hidden in ("committee", "israel"):
        response = await site.client.get(f"/api/evidence/{site.filed[hidden].id}")
        assert response.status_code == 404
        assert response.json() == {"detail": f"no evidence with id {site.filed[hidden].id}"}
        assert site.filed[hidden].original_name not in (await site.client.get("/api/evidence")).text


@pytest.mark.parametrize(
    ("username", "sees"),
    [
        ("observer", {"public", "committee"}),
        ("delegate-lebanon", {"public", "committee"}),
        ("delegate-israel", {"public", "committee", "israel"}),
    ],
)
async def test_signed_in_users_see_their_files(site: Site, username: str, sees: set[str]) -> None:
    listed = (await site.client.get("/api/evidence", headers=site.as_user(username))).json()
    assert {item["id"] for item in listed["items"]} == {site.filed[name].id for name in sees}
    israel = await site.client.get(
        f"/api/evidence/{site.filed['israel'].id}", headers=site.as_user(username)
    )
    assert israel.status_code == (200 if "israel" in sees else 404)
    if "israel" not in sees:
        assert "israel.pdf" not in listed.__repr__() + israel.text


async def test_the_list_pages(site: Site) -> None:
    first = await site.client.get("/api/evidence?limit=2", headers=site.as_user("observer"))
    assert [item["original_name"] for item in first.json()["items"]] == [
        "committee.png",
        "public.jpg",
    ]
    assert first.json()["next_offset"] == 2
    bad = await site.client.get("/api/evidence?limit=0")
    assert bad.status_code == 422


async def test_a_writer_uploads_a_file_once(site: Site) -> None:
    content = jpeg("uploaded crater")
    response = await site.client.post(
        "/api/evidence",
        headers=site.as_user("monitor"),
        data=upload_fields(description="crater", classification="public"),
        # the client's name for the type is ignored: the bytes say JPEG
        files={"file": ("crater.jpg", content, "text/plain")},
    )
    assert response.status_code == 201, response.text
    record = response.json()
    assert record["sha256"] == hashlib.sha256(content).hexdigest()
    assert (record["media_type"], record["size"], record["original_name"]) == (
        "image/jpeg",
        len(content),
        "crater.jpg",
    )
    assert (record["classification"], record["description"]) == ("public", "crater")
    assert record["custody"][0]["recorded_by"] == "monitor"
    assert site.vault.original_path(record["sha256"]).read_bytes() == content
    assert site.leftovers() == []
    again = await site.client.post(
        "/api/evidence",
        headers=site.as_user("monitor"),
        data=upload_fields(),
        files={"file": ("crater.jpg", content, "image/jpeg")},
    )
    assert again.status_code == 201
    assert again.json() == record
    public = (await site.client.get(f"/api/evidence/{record['id']}")).json()
    assert public["id"] == record["id"]


async def test_a_delegate_uploads_for_its_own_party_only(site: Site) -> None:
    own = await site.client.post(
        "/api/evidence",
        headers=site.as_user("delegate-lebanon"),
        data=upload_fields(classification="restricted", owner_party="lebanon"),
        files={"file": ("scan.pdf", pdf("lebanese scan"), "application/pdf")},
    )
    assert own.status_code == 201, own.text
    assert own.json()["owner_party"] == "lebanon"
    other = await site.client.post(
        "/api/evidence",
        headers=site.as_user("delegate-lebanon"),
        data=upload_fields(classification="restricted", owner_party="israel"),
        files={"file": ("scan.pdf", pdf("for israel"), "application/pdf")},
    )
    assert other.status_code == 403
    assert site.leftovers() == []


async def test_readers_may_not_upload(site: Site) -> None:
    before = (site.rows(evidence_files), site.rows(custody_events))
    for headers in ({}, site.as_user("observer"), site.as_user("reader")):
        response = await site.client.post(
            "/api/evidence",
            headers=headers,
            data=upload_fields(),
            files={"file": ("photo.jpg", jpeg("not allowed"), "image/jpeg")},
        )
        assert response.status_code == 403, response.text
    assert (site.rows(evidence_files), site.rows(custody_events)) == before
    assert site.leftovers() == []


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.jpg", b"Notes from the field\n", "notes.jpg is not accepted as evidence"),
        ("page.jpg", html("page"), "page.jpg is not accepted as evidence"),
        ("empty.jpg", b"", "empty.jpg is empty"),
        ("../escape.jpg", jpeg("escape"), "not a plain file name"),
    ],
)
async def test_unaccepted_uploads_are_refused_clearly(
    site: Site, name: str, content: bytes, message: str
) -> None:
    before = site.rows(evidence_files)
    response = await site.client.post(
        "/api/evidence",
        headers=site.as_user("monitor"),
        data=upload_fields(),
        files={"file": (name, content, "image/jpeg")},
    )
    assert response.status_code == 422
    assert message in response.json()["detail"]
    assert site.rows(evidence_files) == before
    assert site.leftovers() == []


async def test_missing_or_bad_fields_are_named(site: Site) -> None:
    cases = [
        ({"received_by": "Secretariat"}, "received_from: must not be empty"),
        (upload_fields(classification="secret"), "classification: 'secret' is not one of"),
        (upload_fields(owner_party="atlantis"), "unknown party 'atlantis'"),
        (upload_fields(received_at="yesterday"), "received_at: 'yesterday' is not"),
        (upload_fields(colour="red"), "colour: unknown field"),
    ]
    for data, message in cases:
        response = await site.client.post(
            "/api/evidence",
            headers=site.as_user("monitor"),
            data=data,
            files={"file": ("photo.jpg", jpeg("fields"), "image/jpeg")},
        )
        assert response.status_code == 422, data
        assert message in response.json()["detail"]
    no_file = await site.client.post(
        "/api/evidence", headers=site.as_user("monitor"), data=upload_fields()
    )
    assert no_file.status_code == 422
    assert "multipart/form-data body with a file field" in no_file.json()["detail"]
    assert site.leftovers() == []


async def test_a_large_upload_is_refused_while_it_streams(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRUCE_MAX_EVIDENCE_MB", "1")
    boundary = "truce-test-boundary"
    sent = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal sent
        head = "".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            for name, value in upload_fields().items()
        )
        yield (
            f'{head}--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            'filename="huge.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'
        ).encode() + jpeg("huge")[:-2]
        while sent < 50 * 2**20:  # a file that would go on for 50 MB
            sent += 64 * 1024
            yield b"\x00" * (64 * 1024)

    response = await site.client.post(
        "/api/evidence",
        headers={
            **site.as_user("monitor"),
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        },
        content=body(),
    )
    assert response.status_code == 422
    assert response.json()["detail"] == (
        "huge.jpg is larger than the 1 MB limit ($TRUCE_MAX_EVIDENCE_MB)"
    )
    assert sent <= 2**20 + 128 * 1024  # stopped reading just past the limit
    assert site.leftovers() == []
    assert site.rows(evidence_files) == 3


async def test_the_routes_are_in_the_openapi_schema(site: Site) -> None:
    schema = (await site.client.get("/openapi.json")).json()
    assert schema["paths"]["/api/evidence"]["get"]["tags"] == ["evidence"]
    upload = schema["paths"]["/api/evidence"]["post"]
    assert upload["tags"] == ["evidence"]
    form = upload["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert set(form["required"]) == {"file", "received_from", "received_by"}
    one = schema["paths"]["/api/evidence/{evidence_id}"]["get"]
    assert one["parameters"][0]["name"] == "evidence_id"
    assert "404" in one["responses"]
