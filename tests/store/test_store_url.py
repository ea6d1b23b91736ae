"""database_url: where the database is, checked before anything connects."""

from __future__ import annotations

import re

import pytest

from truce.core.errors import ConfigError, StoreError
from truce.store import Store, database_url


@pytest.fixture(autouse=True)
def no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRUCE_DATABASE_URL", raising=False)


def test_default_is_truce_db_in_the_working_folder() -> None:
    assert database_url() == "sqlite:///truce.db"
    assert database_url("  ") == "sqlite:///truce.db"


def test_environment_is_used_without_an_explicit_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRUCE_DATABASE_URL", "sqlite:////srv/truce/events.db")
    assert database_url() == "sqlite:////srv/truce/events.db"
    assert database_url("sqlite:///other.db") == "sqlite:///other.db"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://truce:s3cret@db.example.org:5433/truce", "postgresql+psycopg"),
        ("postgres://truce@localhost/truce", "postgresql+psycopg"),
        ("postgresql+psycopg://truce@localhost/truce", "postgresql+psycopg"),
    ],
)
def test_postgresql_urls_use_psycopg_3(given: str, expected: str) -> None:
    url = database_url(given)
    assert url.startswith(expected + "://")
    assert url.removeprefix(expected) == given[given.index("://") :]


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ("mysql://root@localhost/truce", "'mysql'"),
        ("postgresql+psycopg2://u@localhost/truce", "'postgresql+psycopg2'"),
        ("truce.db", "not a database URL"),
        ("postgresql://u@localhost", "names no database"),
    ],
)
def test_unsupported_urls_are_config_errors(given: str, says: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(says)):
        database_url(given)


def test_bad_url_in_the_environment_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRUCE_DATABASE_URL", "oracle://scott:tiger@db/orcl")
    with pytest.raises(ConfigError, match=r"\$TRUCE_DATABASE_URL") as raised:
        database_url()
    assert "tiger" not in str(raised.value)


def test_missing_folder_for_sqlite_is_a_config_error(tmp_path: object) -> None:
    with pytest.raises(ConfigError, match="no folder"):
        Store.open(f"sqlite:///{tmp_path}/missing/truce.db")


def test_unreachable_server_is_a_store_error() -> None:
    with pytest.raises(StoreError, match=r"127\.0\.0\.1:1") as raised:
        Store.open("postgresql://truce:s3cret@127.0.0.1:1/truce")
    assert "s3cret" not in str(raised.value)
