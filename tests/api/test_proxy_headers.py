"""Behind a reverse proxy: the log-in limit counts each client that X-Forwarded-For names, when
the header comes from a trusted proxy, and ignores the header from anyone else.

`truce serve --proxy-headers --forwarded-allow-ips …` has uvicorn wrap the app in its
ProxyHeadersMiddleware; the app is wrapped the same way here, under ASGITransport with the
peer's address chosen. One slow test runs the real command to check that the options reach
uvicorn, and that without them the header is ignored.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from access_sample import post_login, post_login_sync
from fastapi import FastAPI
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from builders import SYSTEM
from truce.api import create_app
from truce.core.access import Role
from truce.security import add_user
from truce.store import Store

PROXY = "10.0.0.1"
STRANGER = "192.0.2.7"
USERNAME = "monitor"
PASSWORD = "Proxy-Monitor-Password-1"
#: more failures than the limiter allows from one address (five)
FAILURES = 5


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def _add_monitor(url: str) -> None:
    with Store.open(url) as store:
        add_user(store, username=USERNAME, role=Role.MONITOR, password=PASSWORD, by=SYSTEM)


@pytest.fixture
async def app(store_url: str) -> AsyncIterator[FastAPI]:
    _add_monitor(store_url)
    made = create_app(store_url)
    async with made.router.lifespan_context(made):
        yield made


def _client(app: FastAPI, peer: str, forwarded_for: str) -> httpx.AsyncClient:
    """A browser at `forwarded_for`, its requests arriving from `peer`, with PROXY trusted."""
    proxied = ProxyHeadersMiddleware(app, trusted_hosts=[PROXY])
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=proxied, client=(peer, 123)),
        base_url="https://testserver",
        headers={"X-Forwarded-For": forwarded_for},
    )


async def _fail(client: httpx.AsyncClient) -> None:
    # each a different unknown user, so only the address reaches its limit
    for attempt in range(FAILURES):
        failed = await post_login(client, f"nobody-{attempt}", "wrong-password-123")
        assert failed.status_code == 401


@pytest.mark.anyio
async def test_each_forwarded_client_has_its_own_log_in_limit(app: FastAPI) -> None:
    async with (
        _client(app, PROXY, "203.0.113.1") as first,
        _client(app, PROXY, "203.0.113.2") as second,
        _client(app, PROXY, "203.0.113.1, 198.51.100.9") as third,
    ):
        await _fail(first)
        refused = await post_login(first, USERNAME, PASSWORD)
        allowed = await post_login(second, USERNAME, PASSWORD)
        # the last hop the proxy added is the client; an earlier one is the client's claim
        also_allowed = await post_login(third, USERNAME, PASSWORD)
    assert refused.status_code == 429
    assert allowed.status_code == 303
    assert also_allowed.status_code == 303


@pytest.mark.anyio
async def test_an_untrusted_peer_cannot_choose_its_address(app: FastAPI) -> None:
    async with (
        _client(app, STRANGER, "203.0.113.1") as first,
        _client(app, STRANGER, "203.0.113.2") as second,
    ):
        await _fail(first)
        refused = await post_login(second, USERNAME, PASSWORD)
    assert refused.status_code == 429


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _limited_apart(url: str, tmp_path: Path, *options: str) -> bool:
    """Run `truce serve` with `options`, fail log-ins as one X-Forwarded-For address, and say
    whether another address may still log in."""
    port = _free_port()
    command = [sys.executable, "-m", "truce.cli.main", "serve", "--port", str(port), "--db", url]
    command += options
    log = tmp_path / f"serve-{port}.log"
    environ = {**os.environ, "TRUCE_COOKIE_SECURE": "0"}  # plain HTTP: cookies not Secure
    with (
        log.open("wb") as output,
        subprocess.Popen(command, stdout=output, stderr=output, env=environ) as server,
    ):
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 30
            while server.poll() is None and time.monotonic() < deadline:
                try:
                    httpx.get(f"{base}/api/events", timeout=2)
                    break
                except httpx.TransportError:
                    time.sleep(0.2)
            else:
                raise AssertionError(f"truce serve did not start: {log.read_text()}")
            first = httpx.Client(base_url=base, headers={"X-Forwarded-For": "203.0.113.1"})
            second = httpx.Client(base_url=base, headers={"X-Forwarded-For": "203.0.113.2"})
            with first, second:
                for attempt in range(FAILURES):
                    failed = post_login_sync(first, f"nobody-{attempt}", "wrong-password-123")
                    assert failed.status_code == 401
                assert post_login_sync(first, USERNAME, PASSWORD).status_code == 429
                answer = post_login_sync(second, USERNAME, PASSWORD).status_code
                assert answer in {303, 429}
                return answer == 303
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=20)


@pytest.mark.slow
def test_serve_options_reach_uvicorn(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'proxy.db'}"
    _add_monitor(url)
    # the test's client connects from 127.0.0.1: trusted only when named
    assert _limited_apart(url, tmp_path, "--proxy-headers", "--forwarded-allow-ips", "127.0.0.1")
    assert not _limited_apart(url, tmp_path)  # off by default (uvicorn's own default is on)
    assert not _limited_apart(url, tmp_path, "--proxy-headers", "--forwarded-allow-ips", PROXY)
