"""Which database truce uses: an explicit URL, else $TRUCE_DATABASE_URL, else ./truce.db."""

from __future__ import annotations

import os

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from truce.core.errors import ConfigError

ENV_VAR = "TRUCE_DATABASE_URL"
DEFAULT_URL = "sqlite:///truce.db"

#: driver names people write -> the one truce ships with (psycopg 3)
_POSTGRES_ALIASES = {"postgres", "postgresql", "postgresql+psycopg"}
_SQLITE_DRIVERS = {"sqlite", "sqlite+pysqlite"}


def database_url(explicit: str | None = None) -> str:
    """The SQLAlchemy URL of the database to use, checked.

    `explicit` wins, then the environment variable TRUCE_DATABASE_URL, then `truce.db` in the
    working folder. `postgresql://` (and `postgres://`) URLs are rewritten to use psycopg 3.
    Anything but SQLite or PostgreSQL raises ConfigError.
    """
    if explicit is not None and explicit.strip():
        raw, origin = explicit.strip(), "the database URL"
    elif os.environ.get(ENV_VAR, "").strip():
        raw, origin = os.environ[ENV_VAR].strip(), f"${ENV_VAR}"
    else:
        return DEFAULT_URL
    url = _parse(raw, origin)
    if url.drivername in _SQLITE_DRIVERS:
        return raw
    if url.drivername in _POSTGRES_ALIASES:
        if not url.database:
            raise ConfigError(f"{origin} {hide_password(raw)!r} names no database")
        return url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    raise ConfigError(
        f"{origin} {hide_password(raw)!r} uses {url.drivername!r}; truce supports "
        "sqlite:///PATH and postgresql://USER@HOST/DATABASE"
    )


def hide_password(url: str) -> str:
    """The URL as it may be shown in messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparsable URL>"


def sqlite_path(url: str) -> str | None:
    """The file a SQLite URL points at; None for other databases and in-memory SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return parsed.database


def _parse(raw: str, origin: str) -> URL:
    try:
        return make_url(raw)
    except ArgumentError:
        raise ConfigError(
            f"{origin} {raw!r} is not a database URL; write e.g. sqlite:///truce.db or "
            "postgresql://user@localhost/truce"
        ) from None
