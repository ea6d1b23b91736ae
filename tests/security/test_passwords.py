"""Password hashing and the rules a password must meet."""

from __future__ import annotations

import hashlib

import argon2
import pytest
from argon2 import PasswordHasher

from truce.core.errors import InputError
from truce.security.passwords import (
    MIN_PASSWORD_LENGTH,
    check_password_rules,
    hash_password,
    needs_rehash,
    secret_digest,
    verify_password,
)


def test_hash_is_argon2id_and_verifies_only_the_password() -> None:
    hashed = hash_password("a long enough secret")
    assert hashed.startswith("$argon2id$")
    assert "a long enough secret" not in hashed
    assert verify_password(hashed, "a long enough secret")
    assert not verify_password(hashed, "a long enough secreT")


def test_same_password_hashes_differently_each_time() -> None:
    assert hash_password("a long enough secret") != hash_password("a long enough secret")


@pytest.mark.parametrize("broken", ["", "not a hash", "$argon2id$v=19$m=1,t=1,p=1$xx$yy"])
def test_a_broken_stored_hash_verifies_nothing(broken: str) -> None:
    assert not verify_password(broken, "a long enough secret")


def test_hashes_of_older_parameters_need_rehashing() -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash("pw-pw-pw-pw-pw")
    assert needs_rehash(weak)
    assert not needs_rehash(hash_password("pw-pw-pw-pw-pw"))


@pytest.mark.parametrize(
    ("username", "password", "problem"),
    [
        ("alice", "x" * (MIN_PASSWORD_LENGTH - 1), "at least 12"),
        ("alice.long.name", "alice.long.name", "not be the username"),
        ("alice.long.name", "Alice.Long.Name", "not be the username"),
        ("alice", "y" * 1025, "at most 1024"),
    ],
)
def test_password_rules_reject(username: str, password: str, problem: str) -> None:
    with pytest.raises(InputError, match=problem) as raised:
        check_password_rules(username, password)
    assert raised.value.source == "password"
    assert password not in str(raised.value)


def test_password_rules_accept_twelve_characters() -> None:
    check_password_rules("alice", "x" * MIN_PASSWORD_LENGTH)


def test_secret_digest_is_sha256_hex() -> None:
    assert secret_digest("truce_abc") == hashlib.sha256(b"truce_abc").hexdigest()


def test_production_parameters_are_rfc9106_low_memory(
    production_hasher: PasswordHasher,
) -> None:
    # the tests hash cheaply (tests/conftest.py); truce itself uses argon2id per RFC 9106
    assert production_hasher.type is argon2.Type.ID
    expected = argon2.profiles.RFC_9106_LOW_MEMORY
    assert (
        production_hasher.time_cost,
        production_hasher.memory_cost,
        production_hasher.parallelism,
    ) == (expected.time_cost, expected.memory_cost, expected.parallelism)
    assert production_hasher.hash("a long enough password").startswith(
        f"$argon2id$v=19$m={expected.memory_cost},t={expected.time_cost},p={expected.parallelism}$"
    )
