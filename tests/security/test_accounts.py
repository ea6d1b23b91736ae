"""User accounts on a real store: adding, listing, disabling, logging in, rate limits."""

from __future__ import annotations

import datetime as dt
import time

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from security_sample import PASSWORD, actions, audit_entries, last_seq

from builders import SYSTEM
from truce.core.access import ALL_SCOPES, Principal, Role, Scope, Track
from truce.core.audit import content_hash
from truce.core.errors import (
    AuthenticationError,
    InputError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
)
from truce.security import (
    LoginLimiter,
    User,
    add_user,
    authenticate,
    create_token,
    disable_user,
    get_user,
    list_users,
    passwords,
    principal_for_token,
    session_for,
    start_session,
)
from truce.security.accounts import LOGIN_FAILED
from truce.store import Store
from truce.store import accounts as account_rows
from truce.store.schema import users


def _stored_hash(store: Store, username: str) -> str:
    with store.reading("test") as connection:
        stored: str = connection.execute(
            sa.select(users.c.password_hash).where(users.c.username == username)
        ).scalar_one()
    return stored


def test_add_user_stores_an_argon2id_hash_and_audits(store: Store, alice: User) -> None:
    assert alice.username == "alice"
    assert alice.role is Role.DELEGATE
    assert alice.party == "israel"
    assert alice.track is Track.MILITARY
    assert alice.display_name == "Alice A."
    assert alice.created_by == SYSTEM.name
    assert alice.disabled_at is None
    stored = _stored_hash(store, "alice")
    assert stored.startswith("$argon2id$")
    assert passwords.verify_password(stored, PASSWORD)
    (entry,) = audit_entries(store)
    assert (entry.action, entry.entity, entry.entity_id) == ("user.add", "users", str(alice.id))
    assert entry.actor == SYSTEM.name
    assert entry.detail is not None
    assert stored not in entry.detail
    assert PASSWORD not in entry.detail
    with store.reading("test") as connection:
        row = connection.execute(sa.select(users).where(users.c.id == alice.id)).mappings().one()
    assert entry.content_hash == content_hash({k: v for k, v in row.items() if k != "id"})


def test_a_users_principal(alice: User) -> None:
    principal = alice.principal
    assert principal == Principal(
        name="alice", role=Role.DELEGATE, party="israel", track=Track.MILITARY, user_id=alice.id
    )
    assert principal.scopes == ALL_SCOPES
    assert not principal.system


def test_get_user(store: Store, alice: User) -> None:
    assert get_user(store, "alice") == alice
    with pytest.raises(NotFoundError, match="'bob'"):
        get_user(store, "bob")


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"username": "Alice"}, "not a username"),
        ({"username": "a"}, "not a username"),
        ({"username": "-alice"}, "not a username"),
        ({"username": "alice\n"}, "not a username"),
        ({"username": "a" * 65}, "not a username"),
        ({"username": "al ice"}, "not a username"),
        ({"password": "short"}, "at least 12"),
        ({"username": "bob.the.builder", "password": "bob.the.builder"}, "not be the username"),
        ({"role": Role.DELEGATE}, "needs a party"),
        ({"party": "israel"}, "only delegates have a party"),
        ({"track": Track.CIVILIAN}, "only delegates have a track"),
        ({"role": Role.PUBLIC}, "not a user's role"),
        ({"display_name": "x" * 201}, "display name"),
    ],
)
def test_add_user_rejects(store: Store, fields: dict[str, object], problem: str) -> None:
    values: dict[str, object] = {"username": "bob", "role": Role.MONITOR, "password": PASSWORD}
    values.update(fields)
    with pytest.raises(InputError, match=problem):
        add_user(store, by=SYSTEM, **values)  # type: ignore[arg-type]
    assert audit_entries(store) == []
    assert list_users(store, by=SYSTEM) == []


def test_a_taken_username_is_refused_and_nothing_written(store: Store, alice: User) -> None:
    seq = last_seq(store)
    with pytest.raises(InputError, match="'alice' is taken"):
        add_user(store, username="alice", role=Role.MONITOR, password=PASSWORD, by=SYSTEM)
    assert last_seq(store) == seq
    assert [user.username for user in list_users(store, by=SYSTEM)] == ["alice"]


def test_only_admins_manage_users(store: Store, alice: User, admin: User) -> None:
    for by in (alice.principal, Principal.public()):
        with pytest.raises(PermissionDeniedError, match=f"{by.name} .* may not add user 'carol'"):
            add_user(store, username="carol", role=Role.MONITOR, password=PASSWORD, by=by)
        with pytest.raises(PermissionDeniedError, match="may not list users"):
            list_users(store, by=by)
        with pytest.raises(PermissionDeniedError, match="may not disable user 'alice'"):
            disable_user(store, "alice", by=by)
    read_only_admin = Principal(
        name=admin.username, role=Role.ADMIN, user_id=admin.id, scopes=frozenset({Scope.READ})
    )
    with pytest.raises(PermissionDeniedError):
        list_users(store, by=read_only_admin)
    carol = add_user(
        store, username="carol", role=Role.CHAIR, password=PASSWORD, by=admin.principal
    )
    assert carol.created_by == "root.admin"
    assert [u.username for u in list_users(store, by=admin.principal)] == [
        "alice",
        "carol",
        "root.admin",
    ]


def test_login_with_the_right_password(store: Store, alice: User) -> None:
    limiter = LoginLimiter()
    assert authenticate(store, "alice", PASSWORD, limiter=limiter, address="10.0.0.1") == alice
    # usernames are lower case, so a capitalised one is the same user
    assert authenticate(store, "ALICE", PASSWORD, limiter=limiter, address=None) == alice


def test_wrong_password_unknown_user_and_disabled_user_look_the_same(
    store: Store, alice: User
) -> None:
    add_user(store, username="gone", role=Role.OBSERVER, password=PASSWORD, by=SYSTEM)
    disable_user(store, "gone", by=SYSTEM)
    limiter = LoginLimiter()
    messages = []
    for username, password in [
        ("alice", PASSWORD + "!"),
        ("nobody", PASSWORD),
        ("gone", PASSWORD),
        ("x" * 500, PASSWORD),
    ]:
        with pytest.raises(AuthenticationError) as raised:
            authenticate(store, username, password, limiter=limiter, address=None)
        assert type(raised.value) is AuthenticationError
        messages.append(str(raised.value))
    assert messages == [LOGIN_FAILED] * 4


def test_unknown_usernames_still_run_argon2(store: Store) -> None:
    before = passwords._dummy_hash.cache_info()
    with pytest.raises(AuthenticationError):
        authenticate(store, "nobody", PASSWORD, limiter=LoginLimiter(), address=None)
    after = passwords._dummy_hash.cache_info()
    assert after.hits + after.misses == before.hits + before.misses + 1


def _fail(store: Store, limiter: LoginLimiter, username: str, address: str | None) -> None:
    with pytest.raises(AuthenticationError) as raised:
        authenticate(store, username, "wrong password!!", limiter=limiter, address=address)
    assert not isinstance(raised.value, RateLimitedError)


def test_five_failures_for_a_username_lock_it_from_any_address(store: Store, alice: User) -> None:
    limiter = LoginLimiter()
    for n in range(5):
        _fail(store, limiter, "alice", f"10.0.0.{n}")
    with pytest.raises(RateLimitedError) as raised:
        authenticate(store, "alice", PASSWORD, limiter=limiter, address="10.9.9.9")
    assert 0 < raised.value.retry_after <= 15 * 60
    assert str(raised.value.retry_after) in str(raised.value)
    # other users are not locked out
    add_user(store, username="bob", role=Role.MONITOR, password=PASSWORD, by=SYSTEM)
    assert authenticate(store, "bob", PASSWORD, limiter=limiter, address="10.9.9.9").username == (
        "bob"
    )


def test_five_failures_from_an_address_lock_it_for_any_username(store: Store, alice: User) -> None:
    limiter = LoginLimiter()
    for n in range(5):
        _fail(store, limiter, f"user{n}", "192.0.2.7")
    with pytest.raises(RateLimitedError) as raised:
        authenticate(store, "alice", PASSWORD, limiter=limiter, address="192.0.2.7")
    assert raised.value.retry_after > 0
    assert authenticate(store, "alice", PASSWORD, limiter=limiter, address="192.0.2.8") == alice


def test_only_failures_count_and_a_success_does_not_reset(store: Store, alice: User) -> None:
    limiter = LoginLimiter(max_failures=3)
    for _ in range(10):
        authenticate(store, "alice", PASSWORD, limiter=limiter, address="10.0.0.1")
    _fail(store, limiter, "alice", "10.0.0.1")
    _fail(store, limiter, "alice", "10.0.0.1")
    authenticate(store, "alice", PASSWORD, limiter=limiter, address="10.0.0.1")
    _fail(store, limiter, "alice", "10.0.0.1")
    with pytest.raises(RateLimitedError):
        authenticate(store, "alice", PASSWORD, limiter=limiter, address="10.0.0.1")


def test_failures_leave_the_window(store: Store, alice: User) -> None:
    limiter = LoginLimiter(max_failures=2, window=dt.timedelta(seconds=1))
    _fail(store, limiter, "alice", None)
    _fail(store, limiter, "alice", None)
    with pytest.raises(RateLimitedError) as raised:
        authenticate(store, "alice", PASSWORD, limiter=limiter, address=None)
    assert raised.value.retry_after == 1
    time.sleep(1.1)
    assert authenticate(store, "alice", PASSWORD, limiter=limiter, address=None) == alice


def test_a_hash_of_older_parameters_is_replaced_at_login(store: Store, alice: User) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    with store.transaction(by=SYSTEM) as batch:
        account_rows.set_password_hash(batch, alice.id, weak, action="user.rehash")
    seq = last_seq(store)
    authenticate(store, "alice", PASSWORD, limiter=LoginLimiter(), address=None)
    stored = _stored_hash(store, "alice")
    assert stored != weak
    assert not passwords.needs_rehash(stored)
    (entry,) = audit_entries(store, after=seq)
    assert (entry.actor, entry.action, entry.entity_id) == ("alice", "user.rehash", str(alice.id))
    assert entry.detail is None
    # a current hash is left alone
    authenticate(store, "alice", PASSWORD, limiter=LoginLimiter(), address=None)
    assert _stored_hash(store, "alice") == stored
    assert last_seq(store) == entry.seq


def test_disabling_revokes_tokens_and_sessions_each_audited(store: Store, alice: User) -> None:
    tokens = [
        create_token(
            store,
            "alice",
            name=f"t{n}",
            scopes=frozenset({Scope.READ}),
            expires_in=dt.timedelta(days=1),
            by=SYSTEM,
        )
        for n in range(2)
    ]
    sessions = [start_session(store, alice) for _ in range(2)]
    seq = last_seq(store)
    disabled = disable_user(store, "alice", by=SYSTEM)
    assert disabled.disabled_at is not None
    assert disabled.id == alice.id
    assert get_user(store, "alice").disabled_at == disabled.disabled_at
    assert actions(store, after=seq) == [
        ("user.disable", "users", str(alice.id)),
        ("token.revoke", "api_tokens", str(tokens[0].info.id)),
        ("token.revoke", "api_tokens", str(tokens[1].info.id)),
        ("session.end", "web_sessions", "1"),
        ("session.end", "web_sessions", "2"),
    ]
    for token in tokens:
        with pytest.raises(AuthenticationError):
            principal_for_token(store, token.secret)
    for session in sessions:
        with pytest.raises(AuthenticationError):
            session_for(store, session.secret)
    with pytest.raises(AuthenticationError, match=LOGIN_FAILED):
        authenticate(store, "alice", PASSWORD, limiter=LoginLimiter(), address=None)
    # disabling again changes nothing
    seq = last_seq(store)
    assert disable_user(store, "alice", by=SYSTEM) == disabled
    assert last_seq(store) == seq
    with pytest.raises(NotFoundError):
        disable_user(store, "nobody", by=SYSTEM)
