"""API tokens on a real store: made, checked, expired, revoked, and who may do which."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
import sqlalchemy as sa
from security_sample import PASSWORD, actions, audit_entries, last_seq

from builders import SYSTEM
from truce.core.access import Principal, Role, Scope, Track
from truce.core.errors import AuthenticationError, InputError, NotFoundError, PermissionDeniedError
from truce.security import (
    MAX_TOKEN_LIFETIME,
    IssuedToken,
    User,
    add_user,
    create_token,
    disable_user,
    list_tokens,
    principal_for_token,
    revoke_token,
)
from truce.store import Store
from truce.store.schema import api_tokens

READ = frozenset({Scope.READ})
BOTH = frozenset({Scope.READ, Scope.WRITE})
DAY = dt.timedelta(days=1)


def _token(
    store: Store,
    username: str = "alice",
    *,
    by: Principal = SYSTEM,
    scopes: frozenset[Scope] = READ,
    expires_in: dt.timedelta = DAY,
    name: str = "ingest",
) -> IssuedToken:
    return create_token(store, username, name=name, scopes=scopes, expires_in=expires_in, by=by)


def test_a_token_is_random_shown_once_and_stored_hashed(store: Store, alice: User) -> None:
    issued = _token(store)
    assert re.fullmatch(r"truce_[A-Za-z0-9_-]{43}", issued.secret)
    assert issued.secret not in repr(issued)
    info = issued.info
    assert (info.username, info.name, info.scopes) == ("alice", "ingest", READ)
    assert info.prefix == issued.secret[:12]
    assert info.created_by == SYSTEM.name
    assert info.revoked_at is None
    assert info.expires_at - info.created_at == DAY
    with store.reading("test") as connection:
        row = connection.execute(sa.select(api_tokens)).mappings().one()
    assert row["token_hash"] == hashlib.sha256(issued.secret.encode()).hexdigest()
    assert row["scopes"] == "read"
    assert issued.secret not in str(dict(row))
    assert _token(store).secret != issued.secret
    (entry, _) = audit_entries(store, after=1)
    assert (entry.action, entry.entity, entry.entity_id) == ("token.create", "api_tokens", "1")
    assert entry.detail is not None
    assert issued.secret not in entry.detail
    assert row["token_hash"] not in entry.detail


def test_the_principal_of_a_token_carries_its_scopes_and_party(store: Store, alice: User) -> None:
    read_only = _token(store)
    both = _token(store, scopes=BOTH)
    principal = principal_for_token(store, read_only.secret)
    assert principal == Principal(
        name="alice",
        role=Role.DELEGATE,
        party="israel",
        track=Track.MILITARY,
        user_id=alice.id,
        scopes=READ,
    )
    assert not principal.may_write
    writer = principal_for_token(store, both.secret)
    assert writer.scopes == BOTH
    assert writer.may_write
    assert writer.may_see("restricted", "israel")
    assert not writer.may_see("restricted", "lebanon")


def test_reading_a_token_writes_nothing(store: Store, alice: User) -> None:
    issued = _token(store)
    seq = last_seq(store)
    for _ in range(3):
        principal_for_token(store, issued.secret)
    assert last_seq(store) == seq


def test_a_token_expires(store: Store, alice: User) -> None:
    issued = _token(store, expires_in=dt.timedelta(minutes=1))
    created = issued.info.created_at
    assert principal_for_token(store, issued.secret, now=created).name == "alice"
    assert principal_for_token(store, issued.secret, now=created + dt.timedelta(seconds=59))
    with pytest.raises(AuthenticationError):
        principal_for_token(store, issued.secret, now=created + dt.timedelta(minutes=1))
    with pytest.raises(AuthenticationError):
        principal_for_token(store, issued.secret, now=created + dt.timedelta(days=2))
    assert not issued.info.active(created + dt.timedelta(minutes=2))
    assert issued.info.active(created)


@pytest.mark.parametrize(
    "secret",
    ["", "truce_", "nottruce_abc", "truce_" + "A" * 43, "truce_" + "A" * 500, "Bearer x"],
)
def test_unknown_tokens_are_refused(store: Store, alice: User, secret: str) -> None:
    _token(store)
    with pytest.raises(AuthenticationError, match="unknown, expired or revoked"):
        principal_for_token(store, secret)


def test_a_revoked_token_stops_working(store: Store, alice: User) -> None:
    issued = _token(store)
    kept = _token(store, name="kept")
    seq = last_seq(store)
    info = revoke_token(store, issued.info.id, by=SYSTEM)
    assert info.revoked_at is not None
    assert info.id == issued.info.id
    with pytest.raises(AuthenticationError):
        principal_for_token(store, issued.secret)
    assert principal_for_token(store, kept.secret).name == "alice"
    assert actions(store, after=seq) == [("token.revoke", "api_tokens", str(info.id))]
    # revoking again changes nothing
    assert revoke_token(store, issued.info.id, by=SYSTEM) == info
    assert last_seq(store) == seq + 1
    for missing in (999, 0, -1, 2**40):
        with pytest.raises(NotFoundError):
            revoke_token(store, missing, by=SYSTEM)


def test_a_disabled_users_tokens_are_refused(store: Store, alice: User) -> None:
    issued = _token(store)
    disable_user(store, "alice", by=SYSTEM)
    with pytest.raises(AuthenticationError):
        principal_for_token(store, issued.secret)
    with pytest.raises(InputError, match="disabled"):
        _token(store)


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"expires_in": MAX_TOKEN_LIFETIME + dt.timedelta(seconds=1)}, "at most 366 days"),
        ({"expires_in": dt.timedelta(0)}, "at most 366 days"),
        ({"expires_in": -DAY}, "at most 366 days"),
        ({"scopes": frozenset()}, "at least one scope"),
        ({"name": "  "}, "needs a name"),
        ({"name": "n" * 201}, "needs a name"),
    ],
)
def test_create_rejects(store: Store, alice: User, fields: dict[str, object], problem: str) -> None:
    with pytest.raises(InputError, match=problem):
        _token(store, **fields)  # type: ignore[arg-type]
    assert list_tokens(store, by=SYSTEM) == []


def test_the_longest_lifetime_is_allowed(store: Store, alice: User) -> None:
    info = _token(store, expires_in=MAX_TOKEN_LIFETIME).info
    assert info.expires_at - info.created_at == MAX_TOKEN_LIFETIME


def test_no_token_for_an_unknown_user(store: Store) -> None:
    with pytest.raises(NotFoundError, match="'nobody'"):
        _token(store, "nobody")


def test_users_make_tokens_for_themselves_admins_for_anyone(
    store: Store, alice: User, admin: User
) -> None:
    bob = add_user(store, username="bob", role=Role.MONITOR, password=PASSWORD, by=SYSTEM)
    own = _token(store, by=alice.principal, scopes=BOTH)
    assert own.info.created_by == "alice"
    with pytest.raises(PermissionDeniedError, match=r"alice .* may not create tokens for bob"):
        _token(store, "bob", by=alice.principal)
    with pytest.raises(PermissionDeniedError, match="may not create tokens for nobody"):
        _token(store, "nobody", by=alice.principal)
    with pytest.raises(PermissionDeniedError):
        _token(store, "alice", by=Principal.public())
    # a read-only token cannot make tokens, nor a token make one with more scopes than it has
    read_only = principal_for_token(store, _token(store, by=alice.principal).secret)
    with pytest.raises(PermissionDeniedError, match="scopes"):
        _token(store, by=read_only)
    for_bob = _token(store, "bob", by=admin.principal, scopes=BOTH)
    assert for_bob.info.created_by == "root.admin"
    assert principal_for_token(store, for_bob.secret).user_id == bob.id


def test_who_lists_and_revokes_which_tokens(store: Store, alice: User, admin: User) -> None:
    add_user(store, username="bob", role=Role.MONITOR, password=PASSWORD, by=SYSTEM)
    alices = _token(store, "alice")
    bobs = _token(store, "bob")
    assert [t.id for t in list_tokens(store, by=SYSTEM)] == [alices.info.id, bobs.info.id]
    assert list_tokens(store, by=admin.principal, username="bob") == [bobs.info]
    assert list_tokens(store, by=alice.principal) == [alices.info]
    assert list_tokens(store, by=alice.principal, username="alice") == [alices.info]
    with pytest.raises(PermissionDeniedError, match=r"alice .* may not list the tokens of bob"):
        list_tokens(store, by=alice.principal, username="bob")
    with pytest.raises(PermissionDeniedError):
        list_tokens(store, by=Principal.public())
    with pytest.raises(PermissionDeniedError, match=f"revoke API token {bobs.info.id} of bob"):
        revoke_token(store, bobs.info.id, by=alice.principal)
    read_only = principal_for_token(store, alices.secret)
    with pytest.raises(PermissionDeniedError, match="read-only"):
        revoke_token(store, alices.info.id, by=read_only)
    assert revoke_token(store, alices.info.id, by=alice.principal).revoked_at is not None
    assert revoke_token(store, bobs.info.id, by=admin.principal).revoked_at is not None
    revoked_by = [e.actor for e in audit_entries(store) if e.action == "token.revoke"]
    assert revoked_by == ["alice", "root.admin"]
