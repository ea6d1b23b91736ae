"""Web sessions: the random secret in a signed-in browser's cookie, and its CSRF token.

Only the secret's SHA-256 is stored. A session lasts 12 hours from log-in whatever happens
in between (no sliding renewal: reads never write), and ends earlier at log-out or when its
user is disabled. The CSRF token of a session is derived from its secret (an HMAC), so it
needs no storage and changes with every session.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field

from truce.core.access import Principal
from truce.core.errors import AuthenticationError, InputError, PermissionDeniedError
from truce.security.accounts import User, now_utc, user_from_row
from truce.security.passwords import secret_digest
from truce.store import Store
from truce.store import accounts as rows

SESSION_LIFETIME = dt.timedelta(hours=12)
#: longer than any session secret truce makes; longer strings are not looked up at all
_MAX_SECRET = 128
_CSRF_MESSAGE = b"truce-csrf"
SESSION_REJECTED = "not signed in, or the session has expired"


@dataclass(frozen=True)
class IssuedSession:
    """A session just started: its secret goes into the cookie, and is not kept."""

    secret: str = field(repr=False)
    csrf_token: str = field(repr=False)
    expires_at: dt.datetime


@dataclass(frozen=True)
class ActiveSession:
    """A valid session, as a request presents it."""

    principal: Principal
    session_id: int
    csrf_token: str = field(repr=False)
    expires_at: dt.datetime


def start_session(
    store: Store, user: User, *, lifetime: dt.timedelta = SESSION_LIFETIME
) -> IssuedSession:
    """Start a session for `user` (just authenticated). AuthenticationError if the account
    has been disabled since."""
    if lifetime <= dt.timedelta(0):
        raise InputError("a session must last some time", source="session lifetime")
    secret = secrets.token_urlsafe(32)
    at = now_utc()
    with store.transaction(by=user.principal) as batch:
        current = rows.find_user_in(batch, user.id)
        if current is None or current.disabled_at is not None:
            raise AuthenticationError(SESSION_REJECTED)
        row = rows.insert_session(
            batch,
            user_id=user.id,
            session_hash=secret_digest(secret),
            at=at,
            expires_at=at + lifetime,
        )
    return IssuedSession(secret=secret, csrf_token=csrf_token(secret), expires_at=row.expires_at)


def session_for(store: Store, secret: str, *, now: dt.datetime | None = None) -> ActiveSession:
    """The session with this secret; AuthenticationError if there is none, or it has expired
    (at `now`, default the present) or ended, or its user is disabled."""
    if not secret or len(secret) > _MAX_SECRET:
        raise AuthenticationError(SESSION_REJECTED)
    found = rows.session_by_hash(store, secret_digest(secret))
    if found is None:
        raise AuthenticationError(SESSION_REJECTED)
    session, user_row = found
    if (
        session.revoked_at is not None
        or session.expires_at <= (now or now_utc())
        or user_row.disabled_at is not None
    ):
        raise AuthenticationError(SESSION_REJECTED)
    return ActiveSession(
        principal=user_from_row(user_row).principal,
        session_id=session.id,
        csrf_token=csrf_token(secret),
        expires_at=session.expires_at,
    )


def end_session(store: Store, secret: str) -> None:
    """Log out: end the session with this secret. Ending an unknown or ended one does
    nothing."""
    if not secret or len(secret) > _MAX_SECRET:
        return
    found = rows.session_by_hash(store, secret_digest(secret))
    if found is None or found[0].revoked_at is not None:
        return
    session, user_row = found
    with store.transaction(by=user_from_row(user_row).principal) as batch:
        rows.end_session(batch, session.id, at=now_utc(), detail={"reason": "log-out"})


def csrf_token(session_secret: str) -> str:
    """The CSRF token of a session: HMAC-SHA256 keyed with its secret, hex."""
    return hmac.new(session_secret.encode(), _CSRF_MESSAGE, hashlib.sha256).hexdigest()


def check_csrf(session_secret: str, presented: str | None) -> None:
    """PermissionDeniedError unless `presented` is the session's CSRF token."""
    expected = csrf_token(session_secret).encode()
    if presented is None or not hmac.compare_digest(expected, presented.encode()):
        raise PermissionDeniedError("the form's CSRF token is missing or wrong; reload the page")
