"""Shared fixtures. Every test that touches the store runs on SQLite and on PostgreSQL.

PostgreSQL is expected at 127.0.0.1:5432 with trust auth (override the server with
TRUCE_TEST_POSTGRES_URL). Each test gets a database of its own at the schema's head with no
rows, so tests and parallel runs never see each other's rows (`store_url`); the tests of
migrations themselves take a database with nothing in it at all (`empty_store_url`).
TRUCE_TEST_BACKENDS=sqlite limits a local run to SQLite; CI runs both.

Creating and migrating a PostgreSQL database costs about a second, and the suite asks for
well over a thousand. So each pytest process keeps the databases its tests have finished
with, emptied (TRUNCATE ... RESTART IDENTITY), and hands them to later tests; one whose
schema a test changed is dropped instead. A SQLite database is a copy of a file migrated
once per process.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import argon2
import psycopg
import pytest
from sqlalchemy.engine import make_url

import truce.security.passwords
from truce.store import Store
from truce.store.migrate import head_revision

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
        # a test database is thrown away: waiting for each commit to reach the disk only
        # slows the suite (the store's own durability settings are not changed)
        conn.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(_postgres_dsn(admin_url), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=BACKENDS)
def empty_store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database URL for a database with no schema at all, once per backend (for the tests
    of migrations)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'truce.db'}"
    else:
        yield from _fresh_postgres(request.getfixturevalue("postgres_admin"))


class PostgresPool:
    """Migrated PostgreSQL databases that tests have finished with, emptied for the next."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self.head = head_revision()
        self.idle: list[str] = []
        self.made: list[str] = []

    def url(self, name: str) -> str:
        return make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)

    def take(self) -> str:
        if self.idle:
            return self.idle.pop()
        name = f"truce_test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(_postgres_dsn(self.admin_url), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        self.made.append(name)
        Store.open(self.url(name)).close()  # migrated to head
        return name

    def give_back(self, name: str) -> None:
        """Empty the database for the next test, or drop it if its schema is not the one
        migrations made (a test may change it)."""
        try:
            with psycopg.connect(_postgres_dsn(self.url(name)), autocommit=True) as conn:
                conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
                conn.execute("SET lock_timeout = '5s'")
                version = conn.execute("SELECT version_num FROM alembic_version").fetchall()
                if version != [(self.head,)]:
                    raise psycopg.DataError(f"schema at {version}, not {self.head}")
                tables = [
                    row[0]
                    for row in conn.execute(
                        "SELECT quote_ident(tablename) FROM pg_tables "
                        "WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
                    )
                ]
                conn.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        except psycopg.Error:
            self.drop(name)
            return
        self.idle.append(name)

    def drop(self, name: str) -> None:
        with psycopg.connect(_postgres_dsn(self.admin_url), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.made.remove(name)

    def close(self) -> None:
        for name in list(self.made):
            self.drop(name)


@pytest.fixture(scope="session")
def postgres_pool(postgres_admin: str) -> Iterator[PostgresPool]:
    pool = PostgresPool(postgres_admin)
    try:
        yield pool
    finally:
        pool.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head, closed (its WAL checkpointed into it)."""
    path = tmp_path_factory.mktemp("template") / "truce.db"
    Store.open(f"sqlite:///{path}").close()
    assert not path.with_name("truce.db-wal").exists()
    return path


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database URL for a database of this test's own, at the schema's head with no rows,
    once per backend."""
    if request.param == "sqlite":
        path = tmp_path / "truce.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
    else:
        pool: PostgresPool = request.getfixturevalue("postgres_pool")
        name = pool.take()
        try:
            yield pool.url(name)
        finally:
            pool.give_back(name)


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
