"""API tokens: long random secrets a program sends as `Authorization: Bearer truce_...`.

A token acts as its user, narrowed to its scopes (read, write). Only its SHA-256 is stored,
so the secret is shown once, when it is made; a token always expires (within 366 days) and
can be revoked. A user makes tokens for itself, never with scopes it does not hold itself;
an admin (or the local system) for anyone.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass, field

from truce.core.access import Principal, Scope
from truce.core.errors import AuthenticationError, InputError, NotFoundError, PermissionDeniedError
from truce.security.accounts import get_user, now_utc, user_from_row
from truce.security.passwords import secret_digest
from truce.store import Store
from truce.store import accounts as rows
from truce.store.accounts import TokenRow

TOKEN_PREFIX = "truce_"
#: characters of the secret kept in the clear, to tell tokens apart in lists
SHOWN_PREFIX = 12
MAX_TOKEN_LIFETIME = dt.timedelta(days=366)
MAX_TOKEN_NAME = 200
#: longer than any token truce makes; longer strings are not looked up at all
_MAX_SECRET = 128
TOKEN_REJECTED = "unknown, expired or revoked API token"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TokenInfo:
    """What may be shown of a token: everything but its secret."""

    id: int
    username: str
    name: str
    prefix: str
    scopes: frozenset[Scope]
    created_at: dt.datetime
    created_by: str
    expires_at: dt.datetime
    revoked_at: dt.datetime | None

    def active(self, now: dt.datetime | None = None) -> bool:
        return self.revoked_at is None and self.expires_at > (now or now_utc())


@dataclass(frozen=True)
class IssuedToken:
    """A token just made: the only time its secret is known."""

    secret: str = field(repr=False)
    info: TokenInfo


def _info(row: TokenRow) -> TokenInfo:
    return TokenInfo(
        id=row.id,
        username=row.username,
        name=row.name,
        prefix=row.prefix,
        scopes=frozenset(Scope(scope) for scope in row.scopes.split()),
        created_at=row.created_at,
        created_by=row.created_by,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
    )


def _is_self(by: Principal, user_id: int) -> bool:
    return by.user_id is not None and by.user_id == user_id


def create_token(
    store: Store,
    username: str,
    *,
    name: str,
    scopes: frozenset[Scope],
    expires_in: dt.timedelta,
    by: Principal,
) -> IssuedToken:
    """Make a token for `username`; its secret is in the result and nowhere else."""
    # who may is settled before looking the user up: nobody else learns who exists
    if not by.may_administer and (by.user_id is None or by.name != username):
        raise PermissionDeniedError(
            f"{by.name} ({by.role}) may not create tokens for {username}: only for itself, "
            "or as an admin"
        )
    user = get_user(store, username)
    if not by.may_administer:
        if not _is_self(by, user.id):
            raise PermissionDeniedError(f"{by.name} may not create tokens for {username}")
        if Scope.WRITE not in by.scopes or not scopes <= by.scopes:
            raise PermissionDeniedError(
                f"{by.name} may not create a token with scopes it does not hold, nor with a "
                "read-only token"
            )
    name = name.strip()
    if not name or len(name) > MAX_TOKEN_NAME:
        raise InputError(
            f"a token needs a name of 1 to {MAX_TOKEN_NAME} characters", source="token name"
        )
    if not scopes:
        raise InputError("a token needs at least one scope (read, write)", source="scopes")
    if not dt.timedelta(0) < expires_in <= MAX_TOKEN_LIFETIME:
        raise InputError(
            f"a token expires after more than no time and at most {MAX_TOKEN_LIFETIME.days} days",
            source="expiry",
        )
    if user.disabled:
        raise InputError(f"user {username!r} is disabled", source="username")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    at = now_utc()
    with store.transaction(by=by) as batch:
        row = rows.insert_token(
            batch,
            user_id=user.id,
            name=name,
            token_hash=secret_digest(secret),
            prefix=secret[:SHOWN_PREFIX],
            scopes=" ".join(sorted(scope.value for scope in scopes)),
            at=at,
            expires_at=at + expires_in,
        )
    log.info("%s created API token %d (%s) for %s", by.name, row.id, name, username)
    return IssuedToken(secret=secret, info=_info(row))


def _token_for(store: Store, token_id: int, by: Principal, what: str) -> TokenRow:
    row = rows.find_token(store, token_id)
    if row is None:
        raise NotFoundError(f"no API token with id {token_id}")
    if not by.may_administer and not _is_self(by, row.user_id):
        raise PermissionDeniedError(
            f"{by.name} ({by.role}) may not {what} API token {token_id} of {row.username}"
        )
    return row


def revoke_token(store: Store, token_id: int, *, by: Principal) -> TokenInfo:
    """Revoke a token for good (revoking a revoked one changes nothing)."""
    _token_for(store, token_id, by, "revoke")
    if not by.may_administer and Scope.WRITE not in by.scopes:
        raise PermissionDeniedError(f"{by.name} may not revoke tokens with a read-only token")
    with store.transaction(by=by) as batch:
        rows.revoke_token(batch, token_id, at=now_utc())
    log.info("%s revoked API token %d", by.name, token_id)
    return _info(_token_for(store, token_id, by, "read"))


def list_tokens(store: Store, *, by: Principal, username: str | None = None) -> list[TokenInfo]:
    """The tokens of `username` (all users' if None, for an admin), oldest first; a user who
    is not an admin sees its own only."""
    if not by.may_administer:
        if by.user_id is None:
            raise PermissionDeniedError(f"{by.name} ({by.role}) has no tokens to list")
        if username is not None and username != by.name:
            raise PermissionDeniedError(
                f"{by.name} ({by.role}) may not list the tokens of {username}"
            )
        username = by.name
    return [_info(row) for row in rows.tokens_of(store, username)]


def principal_for_token(store: Store, secret: str, *, now: dt.datetime | None = None) -> Principal:
    """Who a token acts as: its user, with the token's scopes. AuthenticationError unless the
    token exists, has not expired (at `now`, default the present) nor been revoked, and its
    user is enabled."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > _MAX_SECRET:
        raise AuthenticationError(TOKEN_REJECTED)
    found = rows.token_by_hash(store, secret_digest(secret))
    if found is None:
        raise AuthenticationError(TOKEN_REJECTED)
    token, user_row = found
    info = _info(token)
    if not info.active(now) or user_row.disabled_at is not None:
        raise AuthenticationError(TOKEN_REJECTED)
    user = user_from_row(user_row)
    return Principal(
        name=user.username,
        role=user.role,
        party=user.party,
        track=user.track,
        user_id=user.id,
        scopes=info.scopes,
    )
