"""Shared fixtures. Every test that touches the store runs on SQLite and on PostgreSQL.

PostgreSQL is expected at 127.0.0.1:5432 with trust auth (override the server with
TRUCE_TEST_POSTGRES_URL). Each test gets its own fresh database, dropped afterwards, so
tests and parallel runs never see each other's rows. TRUCE_TEST_BACKENDS=sqlite limits a
local run to SQLite; CI runs both.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import argon2
import psycopg
import pytest
from sqlalchemy.engine import make_url

import truce.security.passwords

POSTGRES_ADMIN_URL = os.environ.get(
    "TRUCE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
BACKENDS = [b for b in os.environ.get("TRUCE_TEST_BACKENDS", "sqlite,postgresql").split(",") if b]


def _postgres_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_admin() -> str:
    try:
        with psycopg.connect(_postgres_dsn(POSTGRES_ADMIN_URL), connect_timeout=5):
            pass
    except psycopg.OperationalError as exc:
        pytest.fail(
            f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL} ({exc}); start it or set "
            "TRUCE_TEST_BACKENDS=sqlite for a SQLite-only local run",
            pytrace=False,
        )
    return POSTGRES_ADMIN_URL


def _fresh_postgres(admin_url: str) -> Iterator[str]:
    name = f"truce_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_postgres_dsn(admin_url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(_postgres_dsn(admin_url), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database URL for an empty database, once per backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'truce.db'}"
    else:
        yield from _fresh_postgres(request.getfixturevalue("postgres_admin"))


#: argon2id's production parameters (RFC 9106's low-memory profile) cost most of a second per
#: hash on a small machine; hundreds of log-ins would cost the suite minutes
_PRODUCTION_HASHER = truce.security.passwords._HASHER


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashes() -> Iterator[None]:
    """Every test hashes passwords with argon2id at its cheapest parameters; the production
    parameters are checked by `production_hasher` users in tests/security."""
    truce.security.passwords._HASHER = argon2.PasswordHasher.from_parameters(
        argon2.profiles.CHEAPEST
    )
    try:
        yield
    finally:
        truce.security.passwords._HASHER = _PRODUCTION_HASHER


@pytest.fixture
def production_hasher() -> argon2.PasswordHasher:
    """The hasher truce uses outside the tests."""
    return _PRODUCTION_HASHER
