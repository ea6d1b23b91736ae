"""Passwords and the other secrets truce hands out: how they are hashed and checked.

Passwords are hashed with argon2id (argon2-cffi's defaults, which follow RFC 9106); a hash
made under older parameters is replaced at the next successful log-in. API tokens and session
secrets are long random strings, so one SHA-256 of them is as good as a slow hash.
"""

from __future__ import annotations

import hashlib
import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from truce.core.errors import InputError

MIN_PASSWORD_LENGTH = 12
#: argon2 hashes anything, but nobody types more, and huge inputs are work for nothing
MAX_PASSWORD_LENGTH = 1024

_HASHER = PasswordHasher()


def check_password_rules(username: str, password: str) -> None:
    """InputError unless `password` is long enough and not the username."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(
            f"a password needs at least {MIN_PASSWORD_LENGTH} characters", source="password"
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InputError(
            f"a password has at most {MAX_PASSWORD_LENGTH} characters", source="password"
        )
    if password.strip().lower() == username.lower():
        raise InputError("the password must not be the username", source="password")


def hash_password(password: str) -> str:
    """The argon2id hash of `password`, in its PHC string form ($argon2id$...)."""
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether `password` matches `password_hash` (False for a hash that is not argon2)."""
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with other parameters than the current ones."""
    return _HASHER.check_needs_rehash(password_hash)


def verify_dummy(password: str) -> None:
    """Spend the time a real check takes, for a username that does not exist: otherwise
    how long a failed log-in takes would tell which usernames do."""
    verify_password(_dummy_hash(), password)


@cache
def _dummy_hash() -> str:
    return _HASHER.hash(secrets.token_urlsafe(32))


def secret_digest(secret: str) -> str:
    """SHA-256 (hex) of a token or session secret: what the database keeps of it."""
    return hashlib.sha256(secret.encode()).hexdigest()
