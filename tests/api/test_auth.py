"""Signing in: sessions, API tokens, CSRF, the log-in limit, and the headers of the responses,
through the real app on both backends."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from access_sample import (
    BACKENDS,
    USERS,
    Record,
    UserSpec,
    add_users,
    csrf_of,
    log_in,
    login_token_of,
    marker,
    module_database,
    post_login,
    seed_records,
)
from fastapi import FastAPI

from builders import SYSTEM
from truce.api import create_app, status_for
from truce.core.access import Classification, Role, Scope
from truce.core.errors import (
    AuthenticationError,
    ConfigError,
    IntegrityError,
    PermissionDeniedError,
    RateLimitedError,
)
from truce.security import (
    User,
    add_user,
    create_token,
    disable_user,
    list_tokens,
    revoke_token,
    start_session,
)
from truce.store import Store
from truce.web.auth import LOGIN_COOKIE, LOGIN_FORM_EXPIRED, safe_next

pytestmark = pytest.mark.anyio

SPECS = {spec.username: spec for spec in USERS}
ISRAEL_MARK = marker("MARKER", Classification.RESTRICTED, "israel")
LEBANON_MARK = marker("MARKER", Classification.RESTRICTED, "lebanon")
PUBLIC_MARK = marker("MARKER", Classification.PUBLIC, None)
COMMITTEE_MARK = marker("MARKER", Classification.COMMITTEE, None)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@dataclass
class Site:
    app: FastAPI
    store: Store
    users: dict[str, User]
    records: tuple[Record, ...]

    def client(self, **headers: str) -> httpx.AsyncClient:
        """A client over HTTPS (Secure cookies are sent back), with its own cookie jar."""
        return httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app),
            base_url="https://testserver",
            headers=headers,
        )

    def token(self, username: str, *scopes: Scope, expires_in: dt.timedelta | None = None) -> str:
        issued = create_token(
            self.store,
            username,
            name="tests",
            scopes=frozenset(scopes or (Scope.READ, Scope.WRITE)),
            expires_in=expires_in or dt.timedelta(hours=1),
            by=SYSTEM,
        )
        return issued.secret


Seeded = tuple[str, Store, dict[str, User], tuple[Record, ...]]


@pytest.fixture(scope="module", params=BACKENDS)
def seeded_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Seeded]:
    """Records and users, once per backend for the module (password hashing is slow on
    purpose); tests that change a user add their own."""
    backend = request.param
    admin = request.getfixturevalue("postgres_admin") if backend != "sqlite" else None
    for url in module_database(backend, tmp_path_factory.mktemp("auth"), admin):
        with Store.open(url) as store:
            records = seed_records(store)
            yield url, store, add_users(store), records


async def _site(seeded: Seeded) -> Site:
    url, store, users, records = seeded
    return Site(create_app(url), store, users, records)


@pytest.fixture
async def site(
    seeded_store: Seeded,
) -> AsyncIterator[Site]:
    made = await _site(seeded_store)
    async with made.app.router.lifespan_context(made.app):
        yield made


async def _markers(client: httpx.AsyncClient) -> str:
    response = await client.get("/api/events")
    assert response.status_code == 200, response.text
    return response.text


def _cookie_header(response: httpx.Response, name: str = "truce_session") -> str:
    (cookie,) = _set_cookies(response, name)
    return cookie


def _set_cookies(response: httpx.Response, name: str = "truce_session") -> list[str]:
    return [v for v in response.headers.get_list("set-cookie") if v.startswith(f"{name}=")]


# --- sessions --------------------------------------------------------------------------


async def test_log_in_sets_a_strict_session_cookie(site: Site) -> None:
    spec = SPECS["delegate-israel"]
    async with site.client() as client:
        response = await post_login(client, spec.username, spec.password)
        assert response.status_code == 303
        assert response.headers["location"] == "/"
        cookie = _cookie_header(response).lower()
        for flag in ("httponly", "samesite=strict", "secure", "path=/", "max-age="):
            assert flag in cookie
        assert response.headers["cache-control"] == "no-store"
        # the log-in form's token has served: its cookie goes
        assert "max-age=0" in _cookie_header(response, LOGIN_COOKIE).lower()
        assert LOGIN_COOKIE not in client.cookies
        page = await client.get("/")
        assert "Signed in as <strong>delegate-israel</strong>" in page.text
        assert f'name="csrf_token" value="{csrf_of(page.text)}"' in page.text
        assert page.headers["cache-control"] == "no-store"
        # the delegate sees its own party's restricted record, never the other party's
        listing = await _markers(client)
        assert ISRAEL_MARK in listing
        assert COMMITTEE_MARK in listing
        assert LEBANON_MARK not in listing


async def test_the_public_sees_public_records_only_and_a_log_in_link(site: Site) -> None:
    async with site.client() as client:
        listing = await _markers(client)
        page = await client.get("/")
    assert PUBLIC_MARK in listing
    assert COMMITTEE_MARK not in listing
    assert ISRAEL_MARK not in listing
    assert '/login">Log in</a>' in page.text
    assert "csrf_token" not in page.text
    assert "cache-control" not in page.headers


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/events/3?from=map#evidence", "/events/3?from=map#evidence"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example/", "/"),
        ("javascript:alert(1)", "/"),
        ("evil.example", "/"),
        ("/ok\r\nSet-Cookie: x=1", "/"),
        ("", "/"),
    ],
)
async def test_log_in_goes_back_only_within_the_site(
    site: Site, target: str, expected: str
) -> None:
    spec = SPECS["observer"]
    async with site.client() as client:
        form = await client.get("/login", params={"next": target})
        response = await client.post(
            "/login",
            data={
                "login_token": login_token_of(form.text),
                "username": spec.username,
                "password": spec.password,
                "next": target,
            },
        )
    assert response.status_code == 303
    assert response.headers["location"] == expected
    assert f'name="next" value="{expected}"' in form.text.replace("&#34;", '"')


@pytest.mark.parametrize(
    "target", ["/", "/a?b=c", "//x", "/\\x", "http://x/", "x", "", None, "/\x7f", "/a\\b"]
)
def test_safe_next_keeps_only_site_paths(target: str | None) -> None:
    kept = safe_next(target)
    assert kept == (target if target in {"/", "/a?b=c"} else "/")


async def test_wrong_password_and_unknown_user_fail_alike(site: Site) -> None:
    async with site.client() as client:
        wrong = await post_login(client, "chair", "not-the-password-at-all")
        unknown = await post_login(client, "nobody", "not-the-password-at-all")
        empty = await post_login(client, "", "")
    for response in (wrong, unknown, empty):
        assert response.status_code == 401
        assert "Wrong username or password." in response.text
        assert _set_cookies(response) == []
        assert "not-the-password-at-all" not in response.text
        # the form shown again is still good to post
        assert login_token_of(response.text) in _cookie_header(response, LOGIN_COOKIE)


async def test_too_many_failures_are_refused_with_retry_after(site: Site) -> None:
    spec = SPECS["monitor"]
    async with site.client() as client:
        for _ in range(5):
            failed = await post_login(client, spec.username, "wrong-password-123")
            assert failed.status_code == 401
        refused = await post_login(client, spec.username, spec.password)
        # the address is limited too: another user from it is refused as well
        other = SPECS["observer"]
        also_refused = await post_login(client, other.username, other.password)
    for response in (refused, also_refused):
        assert response.status_code == 429
        assert int(response.headers["retry-after"]) > 0
        assert "Too many failed log-ins" in response.text
        assert _set_cookies(response) == []


# --- the log-in form's token (login CSRF) -------------------------------------------------


async def test_log_in_form_sets_a_strict_login_cookie(site: Site) -> None:
    async with site.client() as client, site.client() as elsewhere:
        first = await client.get("/login")
        cookie = _cookie_header(first, LOGIN_COOKIE).lower()
        for flag in ("httponly", "samesite=strict", "secure", "path=/login", "max-age=3600"):
            assert flag in cookie
        assert first.headers["cache-control"] == "no-store"
        token = login_token_of(first.text)
        assert client.cookies[LOGIN_COOKIE] == token
        assert len(token) == 43
        # a second tab gets the same token, so the form of the first still works
        second = await client.get("/login", params={"next": "/events/1"})
        assert login_token_of(second.text) == token
        # another browser gets its own
        assert login_token_of((await elsewhere.get("/login")).text) != token
        # a cookie this server did not make is replaced
        client.cookies.set(LOGIN_COOKIE, "planted", domain="testserver.local", path="/login")
        replaced = login_token_of((await client.get("/login")).text)
        assert replaced not in {"planted", token}
        assert client.cookies[LOGIN_COOKIE] == replaced
        spec = SPECS["observer"]
        done = await client.post(
            "/login",
            data={"login_token": replaced, "username": spec.username, "password": spec.password},
        )
    assert done.status_code == 303


async def test_log_in_without_its_form_token_is_refused(site: Site) -> None:
    """Another site's form cannot sign a browser in, whatever account it names."""
    spec = SPECS["chair"]
    credentials = {"username": spec.username, "password": spec.password}
    async with site.client() as browser, site.client() as attacker:
        attackers_token = login_token_of((await attacker.get("/login")).text)
        # posted without the form at all: no token, no cookie
        no_token = await browser.post("/login", data=credentials)
        # another site's form, with the token of its own visit: this browser has no cookie
        browser.cookies.clear()
        no_cookie = await browser.post(
            "/login", data={**credentials, "login_token": attackers_token}
        )
        # this browser has its cookie, the form carries another's token, or none
        own = login_token_of((await browser.get("/login")).text)
        mismatched = await browser.post(
            "/login", data={**credentials, "login_token": attackers_token}
        )
        no_field = await browser.post("/login", data=credentials)
        refusals = (no_token, no_cookie, mismatched, no_field)
        for refused in refusals:
            assert refused.status_code == 403
            assert LOGIN_FORM_EXPIRED in refused.text
            assert _set_cookies(refused) == []  # no session
            assert refused.headers["cache-control"] == "no-store"
            # the form comes back with a fresh token, its cookie set
            fresh = login_token_of(refused.text)
            assert fresh != attackers_token
            assert f"{LOGIN_COOKIE}={fresh};" in _cookie_header(refused, LOGIN_COOKIE)
            assert 'name="username" value="chair"' in refused.text
        # each refusal replaced the token the browser had (no_field's had mismatched's)
        assert len({login_token_of(r.text) for r in refusals}) == len(refusals)
        assert login_token_of(mismatched.text) != own
        assert "truce_session" not in browser.cookies
        assert COMMITTEE_MARK not in await _markers(browser)
        # the form shown again is good to post
        retried = await browser.post(
            "/login", data={**credentials, "login_token": login_token_of(no_field.text)}
        )
    assert retried.status_code == 303


async def test_refused_forms_are_no_failed_log_ins(site: Site) -> None:
    """Refusing a form proves nothing about the account: the limiter does not count it."""
    spec = SPECS["delegate-lebanon"]
    async with site.client() as client:
        await client.get("/login")
        for _ in range(6):  # more than the limiter's five failures
            refused = await client.post(
                "/login",
                data={
                    "username": spec.username,
                    "password": "wrong-password-123",
                    "login_token": "A" * 43,
                },
            )
            assert refused.status_code == 403
        done = await post_login(client, spec.username, spec.password)
    assert done.status_code == 303


async def test_log_out_needs_the_csrf_token(site: Site) -> None:
    async with site.client() as client:
        token = await log_in(client, SPECS["delegate-israel"])
        secret = client.cookies["truce_session"]
        missing = await client.post("/logout")
        wrong = await client.post("/logout", headers={"X-CSRF-Token": "0" * 64})
        wrong_field = await client.post("/logout", data={"csrf_token": "1" * 64})
        for refused in (missing, wrong, wrong_field):
            assert refused.status_code == 403
            assert "CSRF token" in refused.text
            assert refused.headers["cache-control"] == "no-store"
        assert ISRAEL_MARK in await _markers(client)  # still signed in

        done = await client.post("/logout", data={"csrf_token": token})
        assert done.status_code == 303
        assert done.headers["location"] == "/"
        assert "max-age=0" in _cookie_header(done).lower()
        assert "truce_session" not in client.cookies
        assert ISRAEL_MARK not in await _markers(client)

    # the ended session's secret is worth nothing now: the public's view, cookie removed
    async with site.client() as replay:
        replay.cookies.set("truce_session", secret, domain="testserver.local")
        stale = await replay.get("/api/events")
        assert stale.status_code == 200
        assert ISRAEL_MARK not in stale.text
        assert PUBLIC_MARK in stale.text
        assert "max-age=0" in _cookie_header(stale).lower()


async def test_csrf_token_in_header_or_multipart_form(site: Site) -> None:
    async with site.client() as client:
        token = await log_in(client, SPECS["chair"])
        by_header = await client.post("/logout", headers={"X-CSRF-Token": token})
        assert by_header.status_code == 303
        token = await log_in(client, SPECS["chair"])
        late = await client.post(
            "/logout",
            files={"upload": ("big.bin", b"x" * (1 << 21))},
            data={"z_after": "1"},
            headers={"X-Other": "1"},
        )
        assert late.status_code == 403  # no token in the form at all
        by_form = await client.post(
            "/logout",
            data={"csrf_token": token},
            files={"upload": ("small.txt", b"hello")},
        )
        assert by_form.status_code == 303


async def test_signed_in_log_in_form_carries_its_csrf_token(site: Site) -> None:
    async with site.client() as client:
        await log_in(client, SPECS["observer"])
        form = await client.get("/login")
        token = csrf_of(form.text)
        login_token = login_token_of(form.text)
        spec = SPECS["chair"]
        refused = await client.post(
            "/login",
            data={
                "login_token": login_token,
                "username": spec.username,
                "password": spec.password,
            },
        )
        assert refused.status_code == 403
        assert "CSRF token" in refused.text
        switched = await client.post(
            "/login",
            data={
                "csrf_token": token,
                "login_token": login_token,
                "username": spec.username,
                "password": spec.password,
            },
        )
        assert switched.status_code == 303
        assert marker("MARKER", Classification.RESTRICTED, None) in await _markers(client)


async def test_the_route_still_reads_the_whole_form_after_the_csrf_check(site: Site) -> None:
    """The middleware reads a form only up to its csrf_token; the route gets every byte,
    here the username and password that come after a 2 MiB file part."""
    async with site.client() as client:
        token = await log_in(client, SPECS["observer"])
        login_token = login_token_of((await client.get("/login")).text)
        spec = SPECS["delegate-lebanon"]
        switched = await client.post(
            "/login",
            data={"csrf_token": token},
            files=[
                ("upload", ("big.bin", b"\x00" * (2 << 20))),
                ("username", (None, spec.username)),
                ("password", (None, spec.password)),
                ("login_token", (None, login_token)),
            ],
        )
        assert switched.status_code == 303
        assert LEBANON_MARK in await _markers(client)


async def test_expired_session_is_the_public(site: Site) -> None:
    issued = start_session(
        site.store, site.users["delegate-lebanon"], lifetime=dt.timedelta(milliseconds=1)
    )
    await asyncio.sleep(0.05)
    async with site.client() as client:
        client.cookies.set("truce_session", issued.secret, domain="testserver.local")
        response = await client.get("/api/events")
    assert LEBANON_MARK not in response.text
    assert PUBLIC_MARK in response.text
    assert "max-age=0" in _cookie_header(response).lower()


async def test_disabled_user_loses_sessions_and_tokens(site: Site) -> None:
    spec = UserSpec(f"leaving-{uuid.uuid4().hex[:8]}", Role.DELEGATE, "lebanon")
    add_user(
        site.store,
        username=spec.username,
        role=spec.role,
        password=spec.password,
        party=spec.party,
        by=SYSTEM,
    )
    token = site.token(spec.username)
    async with site.client() as client, site.client(Authorization=f"Bearer {token}") as api:
        await log_in(client, spec)
        assert LEBANON_MARK in await _markers(client)
        assert LEBANON_MARK in await _markers(api)
        disable_user(site.store, spec.username, by=SYSTEM)
        assert LEBANON_MARK not in await _markers(client)
        assert (await api.get("/api/events")).status_code == 401


# --- tokens ----------------------------------------------------------------------------


async def test_bearer_token_reads_as_its_user(site: Site) -> None:
    token = site.token("delegate-israel", Scope.READ)
    async with site.client(Authorization=f"Bearer {token}") as api:
        response = await api.get("/api/events")
        document = next(r for r in site.records if r.marker == ISRAEL_MARK)
        page = await api.get(f"/api/documents/{document.id}")
    assert ISRAEL_MARK in response.text
    assert LEBANON_MARK not in response.text
    assert response.headers["cache-control"] == "no-store"
    assert "set-cookie" not in response.headers
    assert page.status_code == 200
    assert ISRAEL_MARK in page.json()["text"]


async def test_bad_tokens_are_401_with_www_authenticate(site: Site) -> None:
    revoked = site.token("chair")
    (info,) = [
        t
        for t in list_tokens(site.store, by=SYSTEM, username="chair")
        if revoked.startswith(t.prefix)
    ]
    revoke_token(site.store, info.id, by=SYSTEM)
    expired = site.token("chair", expires_in=dt.timedelta(milliseconds=1))
    await asyncio.sleep(0.05)
    authorizations = [
        f"Bearer {revoked}",
        f"Bearer {expired}",
        "Bearer truce_" + "A" * 43,
        "Bearer not-a-truce-token",
        "Bearer",
        f"Basic {revoked}",
        f"Bearer {site.token('chair')} extra",
    ]
    async with site.client() as client:
        for authorization in authorizations:
            for path in ("/api/events", "/"):
                response = await client.get(path, headers={"Authorization": authorization})
                assert response.status_code == 401, (authorization, path)
                assert response.headers["www-authenticate"] == "Bearer"
                assert revoked not in response.text
                assert "truce_" not in response.text
                if path.startswith("/api/"):
                    assert "detail" in response.json()
                else:
                    assert response.headers["content-type"].startswith("text/html")


async def test_read_only_token_may_not_post(site: Site) -> None:
    read_only = site.token("chair", Scope.READ)
    writer = site.token("chair", Scope.READ, Scope.WRITE)
    async with site.client() as client:
        refused = await client.post("/logout", headers={"Authorization": f"Bearer {read_only}"})
        refused_api = await client.delete(
            "/api/events/1", headers={"Authorization": f"Bearer {read_only}"}
        )
        # a token is never sent by a browser on its own: no CSRF token needed
        allowed = await client.post("/logout", headers={"Authorization": f"Bearer {writer}"})
    assert refused.status_code == 403
    assert refused_api.status_code == 403
    assert "read scope" in refused_api.json()["detail"]
    assert allowed.status_code == 303


async def test_token_wins_over_a_cookie(site: Site) -> None:
    token = site.token("delegate-israel")
    async with site.client() as client:
        await log_in(client, SPECS["delegate-lebanon"])
        response = await client.get("/api/events", headers={"Authorization": f"Bearer {token}"})
    assert ISRAEL_MARK in response.text
    assert LEBANON_MARK not in response.text


# --- headers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/", "/login", "/api/events", "/api/events/999999", "/static/map.js", "/nothing"]
)
async def test_security_headers_signed_in_and_not(site: Site, path: str) -> None:
    async with site.client() as client:
        anonymous = await client.get(path)
        await log_in(client, SPECS["monitor"])
        signed_in = await client.get(path)
    for response in (anonymous, signed_in):
        headers = response.headers
        assert "script-src 'self'" in headers["content-security-policy"]
        assert "unsafe-inline" not in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert headers["strict-transport-security"].startswith("max-age=")
    if path.startswith("/static/"):
        assert signed_in.headers.get("cache-control") != "no-store"
    else:
        assert signed_in.headers["cache-control"] == "no-store"
    if path == "/login":  # it sets the log-in form's cookie: no cache may keep it
        assert anonymous.headers["cache-control"] == "no-store"
    else:
        assert anonymous.headers.get("cache-control") != "no-store"


async def test_insecure_cookie_setting_drops_secure_and_hsts(
    monkeypatch: pytest.MonkeyPatch,
    seeded_store: Seeded,
) -> None:
    monkeypatch.setenv("TRUCE_COOKIE_SECURE", "0")
    made = await _site(seeded_store)
    spec = SPECS["chair"]
    async with (
        made.app.router.lifespan_context(made.app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=made.app), base_url="http://testserver"
        ) as client,
    ):
        form = await client.get("/login")
        response = await post_login(client, spec.username, spec.password)
        listing = await _markers(client)
    login_cookie = _cookie_header(form, LOGIN_COOKIE).lower()
    assert "secure" not in login_cookie
    assert "samesite=strict" in login_cookie
    cookie = _cookie_header(response).lower()
    assert "secure" not in cookie
    assert "httponly" in cookie
    assert "samesite=strict" in cookie
    assert "strict-transport-security" not in response.headers
    assert LEBANON_MARK in listing  # the cookie works over plain HTTP


def test_bad_cookie_setting_is_a_config_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TRUCE_COOKIE_SECURE", "maybe")
    with pytest.raises(ConfigError, match="TRUCE_COOKIE_SECURE"):
        create_app(f"sqlite:///{tmp_path}/x.db")


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (AuthenticationError("who?"), 401),
        (RateLimitedError("slow down", retry_after=30), 429),
        (PermissionDeniedError("no"), 403),
        (IntegrityError("changed"), 500),
    ],
)
def test_security_errors_map_to_statuses(error: Exception, status: int) -> None:
    assert isinstance(error, AuthenticationError | PermissionDeniedError | IntegrityError)
    assert status_for(error) == status
