"""Engines set up the way truce needs them, and database errors turned into StoreError."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, exc
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import StaticPool

from truce.core.errors import ConfigError, StoreError
from truce.store.url import hide_password, sqlite_path

#: execution option naming how a SQLite transaction begins (DEFERRED or IMMEDIATE)
SQLITE_BEGIN = "truce_sqlite_begin"
BUSY_TIMEOUT_MS = 30_000
CACHE_KIB = 65_536  # per connection


def create_store_engine(url: str) -> Engine:
    """An engine for `url` (already checked by `database_url`)."""
    backend = sa.make_url(url).get_backend_name()
    if backend != "sqlite":
        return sa.create_engine(url, pool_pre_ping=True)
    path = sqlite_path(url)
    if path is None:  # in memory: one connection, or every checkout would see a new database
        engine = sa.create_engine(
            url, poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
    else:
        folder = Path(path).parent
        if not path.startswith("file:") and not folder.is_dir():
            raise ConfigError(f"cannot create the database {path}: no folder {folder}")
        engine = sa.create_engine(url)
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # sqlite3 would BEGIN only before DML; SQLAlchemy's "begin" hook below does it instead,
    # so reads see one snapshot and DDL is transactional (the documented recipe).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        _switch_to_wal(cursor)  # readers never block the writer
        cursor.execute("PRAGMA synchronous=NORMAL")  # durable enough with WAL, much faster
        cursor.execute("PRAGMA foreign_keys=ON")
        # a million events' indexes do not fit SQLite's 2 MB default page cache
        cursor.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
        cursor.execute("PRAGMA temp_store=MEMORY")  # sorts of a page's candidates
    finally:
        cursor.close()


def _switch_to_wal(cursor: sqlite3.Cursor) -> None:
    # WAL is persistent, so this only changes a new file; that change needs an exclusive lock,
    # and SQLite answers "database is locked" at once, without its busy handler, when another
    # connection is opening the same new file: wait for it ourselves.
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    pause = 0.005
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.2)


def _sqlite_begin(connection: Connection) -> None:
    # Writers take the write lock up front: a deferred transaction that reads, then writes,
    # fails at once with "database is locked" when another writer got there in between.
    mode = connection.get_execution_options().get(SQLITE_BEGIN, "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")


def begin_writing(connection: Connection) -> None:
    """Mark a connection so its next transaction is a write transaction."""
    connection.execution_options(**{SQLITE_BEGIN: "IMMEDIATE"})


@contextmanager
def database_errors(action: str, url: str) -> Iterator[None]:
    """Re-raise SQLAlchemy's and the driver's errors as StoreError naming the database."""
    try:
        yield
    except exc.DBAPIError as error:
        raise StoreError(f"{action} failed on {hide_password(url)}: {error.orig}") from error
    except exc.SQLAlchemyError as error:
        raise StoreError(f"{action} failed on {hide_password(url)}: {error}") from error
