"""The schema comes only from the packaged Alembic migrations; opening checks it is at head."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from builders import SYSTEM
from truce.core.errors import MigrationError
from truce.store import Store, head_revision, schema_status, upgrade_database
from truce.store.migrate import alembic_config
from truce.store.schema import FTS_TABLE, metadata


def test_empty_database_upgrades_to_head(empty_store_url: str) -> None:
    before = schema_status(empty_store_url)
    assert before.current is None
    assert not before.at_head

    upgraded = upgrade_database(empty_store_url)
    assert (upgraded.previous, upgraded.current) == (None, head_revision())
    assert upgraded.upgraded

    again = upgrade_database(empty_store_url)
    assert (again.previous, again.current, again.upgraded) == (head_revision(),) * 2 + (False,)
    assert schema_status(empty_store_url).at_head


def test_status_of_a_missing_sqlite_file_creates_nothing(tmp_path: object) -> None:
    path = f"{tmp_path}/absent.db"
    assert schema_status(f"sqlite:///{path}").current is None
    with pytest.raises(FileNotFoundError):
        open(path).close()


def test_open_without_migrating_refuses_an_old_schema(empty_store_url: str) -> None:
    with pytest.raises(MigrationError, match="run `truce db upgrade`"):
        Store.open(empty_store_url, migrate=False)
    upgrade_database(empty_store_url)
    with Store.open(empty_store_url, migrate=False) as store:
        assert store.count_events(viewer=SYSTEM) == 0


def test_open_refuses_a_schema_from_a_newer_truce(empty_store_url: str) -> None:
    upgrade_database(empty_store_url)
    engine = sa.create_engine(empty_store_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = 'f00d'"))
    engine.dispose()
    with pytest.raises(MigrationError, match="newer truce"):
        Store.open(empty_store_url)


def test_schema_module_matches_the_migrations(empty_store_url: str) -> None:
    upgrade_database(empty_store_url)
    engine = sa.create_engine(empty_store_url)

    def ours(obj: object, name: str | None, type_: str, *_: object) -> bool:
        return not (type_ == "table" and name is not None and name.startswith(FTS_TABLE))

    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_object": ours, "compare_type": True}
        )
        differences = compare_metadata(context, metadata)
    engine.dispose()
    # the ordered index is spelled per dialect in the migration (NULLS LAST on PostgreSQL)
    differences = [d for d in differences if "ix_events_date_order" not in repr(d)]
    assert differences == []


def test_downgrade_to_nothing_and_back(empty_store_url: str) -> None:
    upgrade_database(empty_store_url)
    engine = sa.create_engine(empty_store_url)
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "base")
    with engine.connect() as connection:
        left = set(sa.inspect(connection).get_table_names()) - {"alembic_version"}
    engine.dispose()
    assert left == set()
    assert upgrade_database(empty_store_url).current == head_revision()


def test_concurrent_opens_migrate_once(empty_store_url: str) -> None:
    barrier = threading.Barrier(3)
    failures: list[BaseException] = []

    def open_store() -> None:
        barrier.wait()
        try:
            Store.open(empty_store_url).close()
        except BaseException as error:  # reported below
            failures.append(error)

    threads = [threading.Thread(target=open_store) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert schema_status(empty_store_url).at_head


def test_sqlite_runs_in_wal_mode(tmp_path: object) -> None:
    path = f"{tmp_path}/wal.db"
    with Store.open(f"sqlite:///{path}") as store:
        assert store.dialect == "sqlite"
        connection = sqlite3.connect(path)
        try:
            (mode,) = connection.execute("PRAGMA journal_mode").fetchone()
        finally:
            connection.close()
    assert mode == "wal"


def test_projects_recorded_before_0006_get_their_status_as_history(empty_store_url: str) -> None:
    engine = sa.create_engine(empty_store_url)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0005")
        connection.execute(
            sa.text(
                "INSERT INTO zone_projects (zone_id, title, kind, status, created_by, "
                "created_at, classification) VALUES ('z', 'Olive press', 'agriculture', "
                "'underway', 'chair', :at, 'committee')"
            ),
            {"at": dt.datetime(2025, 12, 19, 23, 30, tzinfo=dt.UTC)},
        )
    engine.dispose()
    assert upgrade_database(empty_store_url).current == head_revision()
    engine = sa.create_engine(empty_store_url)
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text(
                "SELECT project_id, from_status, to_status, changed_on, created_by "
                "FROM project_history"
            )
        ).all()
    engine.dispose()
    assert [tuple(row[:3]) for row in rows] == [(1, None, "underway")]
    assert str(rows[0][3])[:10] == "2025-12-19"
    assert rows[0][4] == "chair"
