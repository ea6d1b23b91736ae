"""Web sessions on a real store: started, checked, expired, ended; and CSRF tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

import pytest
import sqlalchemy as sa
from security_sample import actions, last_seq

from builders import SYSTEM
from truce.core.access import ALL_SCOPES
from truce.core.errors import AuthenticationError, InputError, PermissionDeniedError
from truce.security import (
    SESSION_LIFETIME,
    User,
    check_csrf,
    csrf_token,
    disable_user,
    end_session,
    session_for,
    start_session,
)
from truce.store import Store
from truce.store.schema import web_sessions


def test_a_session_is_stored_hashed_and_audited(store: Store, alice: User) -> None:
    seq = last_seq(store)
    issued = start_session(store, alice)
    assert len(issued.secret) >= 43
    assert issued.secret not in repr(issued)
    assert issued.csrf_token not in repr(issued)
    with store.reading("test") as connection:
        row = connection.execute(sa.select(web_sessions)).mappings().one()
    assert row["session_hash"] == hashlib.sha256(issued.secret.encode()).hexdigest()
    assert row["expires_at"] == issued.expires_at
    assert row["expires_at"] - row["created_at"] == SESSION_LIFETIME
    assert actions(store, after=seq) == [("session.start", "web_sessions", str(row["id"]))]
    assert start_session(store, alice).secret != issued.secret


def test_a_session_acts_as_its_user_with_every_scope(store: Store, alice: User) -> None:
    issued = start_session(store, alice)
    seq = last_seq(store)
    active = session_for(store, issued.secret)
    assert active.principal == alice.principal
    assert active.principal.scopes == ALL_SCOPES
    assert active.csrf_token == issued.csrf_token
    assert active.expires_at == issued.expires_at
    assert issued.csrf_token not in repr(active)
    assert last_seq(store) == seq  # reading a session writes nothing


def test_a_session_expires(store: Store, alice: User) -> None:
    issued = start_session(store, alice, lifetime=dt.timedelta(minutes=5))
    before = issued.expires_at - dt.timedelta(seconds=1)
    assert session_for(store, issued.secret, now=before).principal.name == "alice"
    with pytest.raises(AuthenticationError):
        session_for(store, issued.secret, now=issued.expires_at)
    with pytest.raises(AuthenticationError):
        session_for(store, issued.secret, now=issued.expires_at + dt.timedelta(hours=1))
    with pytest.raises(InputError):
        start_session(store, alice, lifetime=dt.timedelta(0))


@pytest.mark.parametrize("secret", ["", "x", "A" * 43, "A" * 1000])
def test_unknown_sessions_are_refused(store: Store, alice: User, secret: str) -> None:
    start_session(store, alice)
    with pytest.raises(AuthenticationError, match="not signed in"):
        session_for(store, secret)


def test_ending_a_session_is_audited_once(store: Store, alice: User) -> None:
    issued = start_session(store, alice)
    other = start_session(store, alice)
    active = session_for(store, issued.secret)
    seq = last_seq(store)
    end_session(store, issued.secret)
    with pytest.raises(AuthenticationError):
        session_for(store, issued.secret)
    assert session_for(store, other.secret).principal.name == "alice"
    end_session(store, issued.secret)
    end_session(store, "no such session")
    end_session(store, "")
    assert actions(store, after=seq) == [("session.end", "web_sessions", str(active.session_id))]


def test_no_session_for_a_disabled_user(store: Store, alice: User) -> None:
    disable_user(store, "alice", by=SYSTEM)
    seq = last_seq(store)
    with pytest.raises(AuthenticationError):
        start_session(store, alice)
    assert last_seq(store) == seq


def test_csrf_token_is_an_hmac_of_the_session_secret() -> None:
    token = csrf_token("session-secret")
    expected = hmac.new(b"session-secret", b"truce-csrf", hashlib.sha256).hexdigest()
    assert token == expected
    assert csrf_token("session-secret") == token
    assert csrf_token("another-secret") != token
    check_csrf("session-secret", token)


@pytest.mark.parametrize(
    "presented", [None, "", "0" * 64, csrf_token("another-secret"), "é" * 64, "session-secret"]
)
def test_a_wrong_csrf_token_is_refused(presented: str | None) -> None:
    with pytest.raises(PermissionDeniedError, match="CSRF"):
        check_csrf("session-secret", presented)
