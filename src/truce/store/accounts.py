"""The SQL of user accounts, API tokens and web sessions (the logic is truce.security's).

Reads take the Store and open their own read transaction; writes take the Batch of the
caller's transaction and record one audit entry for every row they write or change. Secrets
never reach this module: tokens and sessions arrive already hashed, and no audit detail holds
a password hash, a token hash or a session hash.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from truce.core.audit import content_hash
from truce.store.schema import api_tokens, users, web_sessions
from truce.store.store import MAX_ID, Batch, Store


@dataclass(frozen=True)
class UserRow:
    """A `users` row as stored."""

    id: int
    username: str
    display_name: str | None
    role: str
    party: str | None
    track: str | None
    password_hash: str = field(repr=False)
    created_at: dt.datetime
    created_by: str
    disabled_at: dt.datetime | None
    disabled_by: str | None


@dataclass(frozen=True)
class TokenRow:
    """An `api_tokens` row as stored, with its user's name, and without its hash."""

    id: int
    user_id: int
    username: str
    name: str
    prefix: str
    scopes: str  # space-separated
    created_at: dt.datetime
    created_by: str
    expires_at: dt.datetime
    revoked_at: dt.datetime | None
    revoked_by: str | None


@dataclass(frozen=True)
class SessionRow:
    """A `web_sessions` row as stored, without its hash."""

    id: int
    user_id: int
    created_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None


_TOKEN_COLUMNS = [c for c in api_tokens.c if c.name != "token_hash"]
_SESSION_COLUMNS = [c for c in web_sessions.c if c.name != "session_hash"]


def _user(row: Mapping[Any, Any]) -> UserRow:
    return UserRow(**{name: row[name] for name in UserRow.__dataclass_fields__})


def _token(row: Mapping[Any, Any]) -> TokenRow:
    return TokenRow(**{name: row[name] for name in TokenRow.__dataclass_fields__})


def _session(row: Mapping[Any, Any]) -> SessionRow:
    return SessionRow(**{name: row[name] for name in SessionRow.__dataclass_fields__})


def _possible_id(pk: int) -> bool:
    return 0 < pk <= MAX_ID


def _tokens_select() -> sa.Select[Any]:
    return sa.select(*_TOKEN_COLUMNS, users.c.username).select_from(
        api_tokens.join(users, api_tokens.c.user_id == users.c.id)
    )


# --- reads -----------------------------------------------------------------------------------


def find_user(store: Store, username: str) -> UserRow | None:
    """The user called `username`, if there is one."""
    with store.reading("reading a user") as connection:
        row = (
            connection.execute(sa.select(users).where(users.c.username == username))
            .mappings()
            .first()
        )
    return None if row is None else _user(row)


def all_users(store: Store) -> list[UserRow]:
    """Every user, by username."""
    with store.reading("listing users") as connection:
        rows = connection.execute(sa.select(users).order_by(users.c.username)).mappings().all()
    return [_user(row) for row in rows]


def find_token(store: Store, token_id: int) -> TokenRow | None:
    """The token with this id, if there is one."""
    if not _possible_id(token_id):
        return None
    with store.reading("reading an API token") as connection:
        row = (
            connection.execute(_tokens_select().where(api_tokens.c.id == token_id))
            .mappings()
            .first()
        )
    return None if row is None else _token(row)


def tokens_of(store: Store, username: str | None = None) -> list[TokenRow]:
    """The tokens of one user, or of everyone, oldest first."""
    statement = _tokens_select().order_by(api_tokens.c.id)
    if username is not None:
        statement = statement.where(users.c.username == username)
    with store.reading("listing API tokens") as connection:
        rows = connection.execute(statement).mappings().all()
    return [_token(row) for row in rows]


def token_by_hash(store: Store, token_hash: str) -> tuple[TokenRow, UserRow] | None:
    """The token whose secret hashes to `token_hash`, and its user."""
    statement = (
        sa.select(*_TOKEN_COLUMNS, *(c.label(f"account__{c.name}") for c in users.c))
        .select_from(api_tokens.join(users, api_tokens.c.user_id == users.c.id))
        .where(api_tokens.c.token_hash == token_hash)
    )
    with store.reading("checking an API token") as connection:
        row = connection.execute(statement).mappings().first()
    if row is None:
        return None
    user = _user(_unprefixed(row, "account__"))
    return _token({**row, "username": user.username}), user


def session_by_hash(store: Store, session_hash: str) -> tuple[SessionRow, UserRow] | None:
    """The session whose secret hashes to `session_hash`, and its user."""
    statement = (
        sa.select(*_SESSION_COLUMNS, *(c.label(f"account__{c.name}") for c in users.c))
        .select_from(web_sessions.join(users, web_sessions.c.user_id == users.c.id))
        .where(web_sessions.c.session_hash == session_hash)
    )
    with store.reading("checking a web session") as connection:
        row = connection.execute(statement).mappings().first()
    if row is None:
        return None
    return _session(row), _user(_unprefixed(row, "account__"))


def _unprefixed(row: Mapping[Any, Any], prefix: str) -> dict[str, Any]:
    return {
        name.removeprefix(prefix): value for name, value in row.items() if name.startswith(prefix)
    }


# --- writes ----------------------------------------------------------------------------------


def _stored_content(connection: Connection, table: sa.Table, pk: int) -> dict[str, Any]:
    """A row as stored, for its audit entry's content hash."""
    row = connection.execute(sa.select(table).where(table.c.id == pk)).mappings().one()
    return {name: value for name, value in row.items() if name != "id"}


def find_user_in(batch: Batch, user_id: int) -> UserRow | None:
    """The user with this id as the batch's transaction sees it (to check it before a
    write that depends on it)."""
    row = batch.connection.execute(sa.select(users).where(users.c.id == user_id)).mappings().first()
    return None if row is None else _user(row)


def insert_user(
    batch: Batch,
    *,
    username: str,
    role: str,
    password_hash: str,
    party: str | None,
    track: str | None,
    display_name: str | None,
    at: dt.datetime,
) -> UserRow | None:
    """Add a user, created by the batch's principal; None if the username is taken."""
    connection = batch.connection
    insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    statement = (
        insert(users)
        .values(
            username=username,
            display_name=display_name,
            role=role,
            party=party,
            track=track,
            password_hash=password_hash,
            created_at=at,
            created_by=batch.by.name,
        )
        .on_conflict_do_nothing(index_elements=["username"])
        .returning(users.c.id)
    )
    pk = connection.execute(statement).scalar_one_or_none()
    if pk is None:
        return None
    stored = _stored_content(connection, users, pk)
    batch.audit.record(
        "user.add",
        users.name,
        pk,
        content_hash(stored),
        {
            "username": username,
            "display_name": display_name,
            "role": role,
            "party": party,
            "track": track,
        },
    )
    return _user({"id": pk, **stored})


def set_password_hash(batch: Batch, user_id: int, password_hash: str, *, action: str) -> None:
    """Replace a user's password hash (`action`: the audit's name for why, e.g. user.rehash)."""
    connection = batch.connection
    connection.execute(
        sa.update(users).where(users.c.id == user_id).values(password_hash=password_hash)
    )
    batch.audit.record(
        action, users.name, user_id, content_hash(_stored_content(connection, users, user_id))
    )


def disable_user(batch: Batch, username: str, *, at: dt.datetime) -> UserRow | None:
    """Disable a user (if not already) and revoke its live tokens and sessions, each audited;
    the user as it is now, or None if there is no such user."""
    connection = batch.connection
    row = (
        connection.execute(sa.select(users).where(users.c.username == username)).mappings().first()
    )
    if row is None:
        return None
    user = _user(row)
    reason = {"reason": f"user {username} disabled"}
    if user.disabled_at is None:
        connection.execute(
            sa.update(users)
            .where(users.c.id == user.id)
            .values(disabled_at=at, disabled_by=batch.by.name)
        )
        stored = _stored_content(connection, users, user.id)
        batch.audit.record(
            "user.disable", users.name, user.id, content_hash(stored), {"disabled_at": at}
        )
        user = _user({"id": user.id, **stored})
    live_tokens = connection.execute(
        sa.select(api_tokens.c.id)
        .where(
            api_tokens.c.user_id == user.id,
            api_tokens.c.revoked_at.is_(None),
            api_tokens.c.expires_at > at,
        )
        .order_by(api_tokens.c.id)
    ).scalars()
    for token_id in list(live_tokens):
        revoke_token(batch, token_id, at=at, detail=reason)
    live_sessions = connection.execute(
        sa.select(web_sessions.c.id)
        .where(
            web_sessions.c.user_id == user.id,
            web_sessions.c.revoked_at.is_(None),
            web_sessions.c.expires_at > at,
        )
        .order_by(web_sessions.c.id)
    ).scalars()
    for session_id in list(live_sessions):
        end_session(batch, session_id, at=at, detail=reason)
    return user


def insert_token(
    batch: Batch,
    *,
    user_id: int,
    name: str,
    token_hash: str,
    prefix: str,
    scopes: str,
    at: dt.datetime,
    expires_at: dt.datetime,
) -> TokenRow:
    """Add an API token (its secret already hashed), created by the batch's principal."""
    connection = batch.connection
    pk = connection.execute(
        sa.insert(api_tokens)
        .values(
            user_id=user_id,
            name=name,
            token_hash=token_hash,
            prefix=prefix,
            scopes=scopes,
            created_at=at,
            created_by=batch.by.name,
            expires_at=expires_at,
        )
        .returning(api_tokens.c.id)
    ).scalar_one()
    row = connection.execute(_tokens_select().where(api_tokens.c.id == pk)).mappings().one()
    token = _token(row)
    batch.audit.record(
        "token.create",
        api_tokens.name,
        pk,
        content_hash(_stored_content(connection, api_tokens, pk)),
        {
            "user": token.username,
            "name": name,
            "scopes": scopes,
            "expires_at": token.expires_at,
        },
    )
    return token


def revoke_token(
    batch: Batch, token_id: int, *, at: dt.datetime, detail: dict[str, Any] | None = None
) -> bool:
    """Revoke a token unless it is already; whether this revoked it."""
    connection = batch.connection
    changed = connection.execute(
        sa.update(api_tokens)
        .where(api_tokens.c.id == token_id, api_tokens.c.revoked_at.is_(None))
        .values(revoked_at=at, revoked_by=batch.by.name)
    ).rowcount
    if changed:
        batch.audit.record(
            "token.revoke",
            api_tokens.name,
            token_id,
            content_hash(_stored_content(connection, api_tokens, token_id)),
            detail,
        )
    return bool(changed)


def insert_session(
    batch: Batch,
    *,
    user_id: int,
    session_hash: str,
    at: dt.datetime,
    expires_at: dt.datetime,
) -> SessionRow:
    """Start a web session (its secret already hashed)."""
    connection = batch.connection
    pk = connection.execute(
        sa.insert(web_sessions)
        .values(user_id=user_id, session_hash=session_hash, created_at=at, expires_at=expires_at)
        .returning(web_sessions.c.id)
    ).scalar_one()
    stored = _stored_content(connection, web_sessions, pk)
    batch.audit.record(
        "session.start",
        web_sessions.name,
        pk,
        content_hash(stored),
        {"user_id": user_id, "expires_at": stored["expires_at"]},
    )
    return _session({"id": pk, **stored})


def end_session(
    batch: Batch, session_id: int, *, at: dt.datetime, detail: dict[str, Any] | None = None
) -> bool:
    """End a session unless it is ended already; whether this ended it."""
    connection = batch.connection
    changed = connection.execute(
        sa.update(web_sessions)
        .where(web_sessions.c.id == session_id, web_sessions.c.revoked_at.is_(None))
        .values(revoked_at=at)
    ).rowcount
    if changed:
        batch.audit.record(
            "session.end",
            web_sessions.name,
            session_id,
            content_hash(_stored_content(connection, web_sessions, session_id)),
            detail,
        )
    return bool(changed)
