"""User accounts: adding, listing and disabling them, and logging in with a password.

Only administrators (or the local system: the `truce` command) manage users. A failed log-in
says the same for an unknown username, a wrong password and a disabled account, and takes
the same time, so nobody learns which usernames exist. Failed log-ins are counted per
username and per address; after `max_failures` in the window further attempts are refused
until the oldest failure leaves the window. A success does not clear earlier failures: the
window forgets them on its own, which keeps the rule simple to state and to check.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
import time
from dataclasses import dataclass

from limits import RateLimitItemPerSecond
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from truce.core.access import Principal, Role, Track
from truce.core.errors import (
    AuthenticationError,
    ConfigError,
    InputError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
)
from truce.security.passwords import (
    check_password_rules,
    hash_password,
    needs_rehash,
    verify_dummy,
    verify_password,
)
from truce.store import Store
from truce.store import accounts as rows
from truce.store.accounts import UserRow

USERNAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")
MAX_DISPLAY_NAME = 200
MAX_PARTY = 64
#: what every failed log-in says, whatever failed
LOGIN_FAILED = "wrong username or password"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class User:
    """A user account (its password hash stays in the store)."""

    id: int
    username: str
    display_name: str | None
    role: Role
    party: str | None
    track: Track | None
    created_at: dt.datetime
    created_by: str
    disabled_at: dt.datetime | None

    @property
    def disabled(self) -> bool:
        return self.disabled_at is not None

    @property
    def principal(self) -> Principal:
        """This user acting with every scope (a signed-in web session; tokens narrow it)."""
        return Principal(
            name=self.username,
            role=self.role,
            party=self.party,
            track=self.track,
            user_id=self.id,
        )


def user_from_row(row: UserRow) -> User:
    return User(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        role=Role(row.role),
        party=row.party,
        track=None if row.track is None else Track(row.track),
        created_at=row.created_at,
        created_by=row.created_by,
        disabled_at=row.disabled_at,
    )


def check_may_administer(by: Principal, what: str) -> None:
    """PermissionDeniedError unless `by` manages users and tokens."""
    if not by.may_administer:
        raise PermissionDeniedError(f"{by.name} ({by.role}) may not {what}: only an admin may")


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# --- managing users -----------------------------------------------------------------------


def add_user(
    store: Store,
    *,
    username: str,
    role: Role,
    password: str,
    by: Principal,
    party: str | None = None,
    track: Track | None = None,
    display_name: str | None = None,
) -> User:
    """Add a user account. InputError for a malformed or taken username, a password under
    12 characters or equal to the username, a party for anyone but a delegate or none for a
    delegate, a track for anyone but a delegate."""
    check_may_administer(by, f"add user {username!r}")
    _check_username(username)
    if role is Role.PUBLIC:
        raise InputError("the public is who is not signed in, not a user's role", source="role")
    if role is Role.DELEGATE:
        if not party:
            raise InputError(f"delegate {username!r} needs a party", source="party")
        if len(party) > MAX_PARTY:
            raise InputError(f"a party id has at most {MAX_PARTY} characters", source="party")
    elif party is not None:
        raise InputError(f"only delegates have a party, not a {role}", source="party")
    if track is not None and role is not Role.DELEGATE:
        raise InputError(f"only delegates have a track, not a {role}", source="track")
    if display_name is not None:
        display_name = display_name.strip() or None
    if display_name is not None and len(display_name) > MAX_DISPLAY_NAME:
        raise InputError(
            f"a display name has at most {MAX_DISPLAY_NAME} characters", source="display name"
        )
    check_password_rules(username, password)
    password_hash = hash_password(password)
    with store.transaction(by=by) as batch:
        row = rows.insert_user(
            batch,
            username=username,
            role=role.value,
            password_hash=password_hash,
            party=party,
            track=None if track is None else track.value,
            display_name=display_name,
            at=now_utc(),
        )
        if row is None:
            raise InputError(f"the username {username!r} is taken", source="username")
    log.info("%s added user %s (%s)", by.name, username, role.value)
    return user_from_row(row)


def _check_username(username: str) -> None:
    if USERNAME_PATTERN.fullmatch(username) is None:
        raise InputError(
            f"{username!r} is not a username: 2 to 64 of a-z, 0-9, '.', '_', '-', starting "
            "with a letter or digit",
            source="username",
        )


def get_user(store: Store, username: str) -> User:
    """The user called `username`; NotFoundError if there is none."""
    row = rows.find_user(store, username)
    if row is None:
        raise NotFoundError(f"no user {username!r}")
    return user_from_row(row)


def list_users(store: Store, *, by: Principal) -> list[User]:
    """Every user, by username, disabled ones included."""
    check_may_administer(by, "list users")
    return [user_from_row(row) for row in rows.all_users(store)]


def disable_user(store: Store, username: str, *, by: Principal) -> User:
    """Disable a user for good and revoke its tokens and sessions; disabling a disabled user
    changes nothing. NotFoundError if there is no such user."""
    check_may_administer(by, f"disable user {username!r}")
    with store.transaction(by=by) as batch:
        row = rows.disable_user(batch, username, at=now_utc())
        if row is None:
            raise NotFoundError(f"no user {username!r}")
    log.info("%s disabled user %s", by.name, username)
    return user_from_row(row)


# --- logging in ---------------------------------------------------------------------------


class LoginLimiter:
    """Counts failed log-ins per username and per address over a moving window, in memory
    (one process; a restart forgets them)."""

    def __init__(
        self, max_failures: int = 5, window: dt.timedelta = dt.timedelta(minutes=15)
    ) -> None:
        seconds = math.ceil(window.total_seconds())
        if max_failures < 1 or seconds < 1:
            raise ConfigError("a log-in limit needs at least one failure and one second")
        self.max_failures = max_failures
        self.window = window
        self._item = RateLimitItemPerSecond(max_failures, seconds, namespace="truce-login")
        self._limiter = MovingWindowRateLimiter(MemoryStorage())

    def check(self, username: str, address: str | None) -> None:
        """RateLimitedError if the username or the address has used up its failures."""
        for kind, key in self._keys(username, address):
            if not self._limiter.test(self._item, kind, key):
                reset_at = self._limiter.get_window_stats(self._item, kind, key).reset_time
                retry_after = max(1, math.ceil(reset_at - time.time()))
                log.warning("log-ins refused for a while: too many failures for this %s", kind)
                raise RateLimitedError(
                    f"too many failed log-ins; try again in {retry_after} seconds",
                    retry_after=retry_after,
                )

    def record_failure(self, username: str, address: str | None) -> None:
        for kind, key in self._keys(username, address):
            self._limiter.hit(self._item, kind, key)

    @staticmethod
    def _keys(username: str, address: str | None) -> list[tuple[str, str]]:
        keys = [("username", username.lower())]
        if address:
            keys.append(("address", address))
        return keys


def authenticate(
    store: Store,
    username: str,
    password: str,
    *,
    limiter: LoginLimiter,
    address: str | None = None,
) -> User:
    """The user whose username and password these are. AuthenticationError, saying the same
    whatever was wrong, for an unknown user, a wrong password or a disabled account;
    RateLimitedError (before checking anything) when the username or the address has failed
    too often lately."""
    limiter.check(username, address)
    row = rows.find_user(store, username.lower()) if len(username) <= 64 else None
    if row is None:
        verify_dummy(password)
        accepted = False
    else:
        accepted = verify_password(row.password_hash, password) and row.disabled_at is None
    if row is None or not accepted:
        limiter.record_failure(username, address)
        who = f"user {row.username}" if row is not None else "an unknown username"
        log.info("failed log-in for %s from %s", who, address or "an unknown address")
        raise AuthenticationError(LOGIN_FAILED)
    user = user_from_row(row)
    if needs_rehash(row.password_hash):
        with store.transaction(by=user.principal) as batch:
            rows.set_password_hash(batch, user.id, hash_password(password), action="user.rehash")
    return user
