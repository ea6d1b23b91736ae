"""No password, token, session secret, CSRF token or log-in form token in any log record of
the server.

The real app runs under uvicorn on a local port with every logger at DEBUG and uvicorn's
access log on; a client fails to log in, posts the log-in form with a forged token, logs in,
reads with a token, uses a revoked token and logs out. Every record the server side wrote
(truce's, uvicorn's, the libraries') is searched for each secret. The client's own libraries
(httpx, httpcore) are left out: they run in this test process only, and httpcore logs the
response headers it receives, cookies included.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from access_sample import USERS, add_users, csrf_of, login_token_of, post_login_sync, seed_records

from builders import SYSTEM
from truce.api import create_app
from truce.core.access import Scope
from truce.security import create_token, list_tokens, revoke_token
from truce.store import Store

CLIENT_LOGGERS = ("httpx", "httpcore")


@pytest.fixture
def server(store_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The app under uvicorn with access logs, on plain HTTP (so the cookie is not Secure)."""
    monkeypatch.setenv("TRUCE_COOKIE_SECURE", "0")
    listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listening.bind(("127.0.0.1", 0))
    host, port = listening.getsockname()
    config = uvicorn.Config(
        create_app(store_url),
        log_config=None,  # uvicorn's records go to the root logger, where caplog listens
        log_level="debug",
        access_log=True,
        ws="none",
        lifespan="on",
    )
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, kwargs={"sockets": [listening]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started:
        assert thread.is_alive(), "the server stopped while starting"
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    yield f"http://{host}:{port}"
    running.should_exit = True
    thread.join(timeout=20)
    listening.close()


def test_no_secret_is_logged(store_url: str, server: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    spec = next(spec for spec in USERS if spec.username == "delegate-israel")
    wrong_password = "Wrong-" + secrets.token_urlsafe(12)
    unknown_token = "truce_" + secrets.token_urlsafe(32)
    with Store.open(store_url) as store:
        seed_records(store)
        add_users(store)
        token = create_token(
            store,
            spec.username,
            name="logs",
            scopes=frozenset({Scope.READ, Scope.WRITE}),
            expires_in=dt.timedelta(hours=1),
            by=SYSTEM,
        ).secret
        revoked = create_token(
            store,
            spec.username,
            name="revoked",
            scopes=frozenset({Scope.READ}),
            expires_in=dt.timedelta(hours=1),
            by=SYSTEM,
        ).secret
        (revoked_info,) = [
            info
            for info in list_tokens(store, by=SYSTEM, username=spec.username)
            if revoked.startswith(info.prefix) and info.name == "revoked"
        ]
        revoke_token(store, revoked_info.id, by=SYSTEM)

    forged_token = secrets.token_urlsafe(32)
    with httpx.Client(base_url=server) as client:
        failed = post_login_sync(client, spec.username, wrong_password)
        assert failed.status_code == 401
        login_tokens = [login_token_of(failed.text)]
        forged = client.post(
            "/login",
            data={
                "username": spec.username,
                "password": spec.password,
                "login_token": forged_token,
            },
        )
        assert forged.status_code == 403
        login_tokens.append(login_token_of(forged.text))
        login_tokens.append(client.cookies["truce_login"])
        logged_in = post_login_sync(client, spec.username, spec.password)
        assert logged_in.status_code == 303
        session = client.cookies["truce_session"]
        csrf = csrf_of(client.get("/").text)
        refused = client.post("/logout", data={"csrf_token": "0" * 64})
        assert refused.status_code == 403
        with_token = client.get(
            "/api/events", params={"q": "SEEKpublic"}, headers={"Authorization": f"Bearer {token}"}
        )
        assert with_token.status_code == 200
        for bad in (revoked, unknown_token):
            response = client.get("/api/events", headers={"Authorization": f"Bearer {bad}"})
            assert response.status_code == 401
        assert client.post("/logout", data={"csrf_token": csrf}).status_code == 303
        stale = httpx.Client(base_url=server, cookies={"truce_session": session})
        with stale:
            assert stale.get("/").status_code == 200

    server_side = [r for r in caplog.records if not r.name.startswith(CLIENT_LOGGERS)]
    text = "\n".join(_everything(record) for record in server_side)
    # the server did log these requests, so their absence below means something
    assert '"POST /login HTTP/1.1" 303' in text
    assert '"POST /login HTTP/1.1" 403' in text
    assert "refused a log-in form" in text
    assert '"GET /api/events?q=SEEKpublic HTTP/1.1" 200' in text
    assert "failed log-in for user delegate-israel" in text
    assert "a stale session cookie on GET /" in text  # a DEBUG record of truce's
    for secret in (
        spec.password,
        wrong_password,
        token,
        revoked,
        unknown_token,
        session,
        csrf,
        token.removeprefix("truce_"),
        session[8:],  # a part of one is a leak too
        forged_token,
        *login_tokens,
        *(login_token[8:] for login_token in login_tokens),
    ):
        assert secret not in text


def _everything(record: logging.LogRecord) -> str:
    """All a handler could write of a record: message, raw arguments, exception, stack."""
    parts = [record.name, record.getMessage(), repr(record.args), repr(record.__dict__)]
    if record.exc_info:
        parts.append(logging.Formatter().formatException(record.exc_info))
    if record.stack_info:
        parts.append(record.stack_info)
    return "\n".join(parts)
