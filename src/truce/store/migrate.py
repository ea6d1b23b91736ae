"""Schema versions: Alembic configured in code, run under a lock so two processes never race."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine

from truce.core.errors import MigrationError
from truce.store.engine import begin_writing, create_store_engine, database_errors
from truce.store.url import database_url, hide_password, sqlite_path

MIGRATIONS = Path(__file__).with_name("migrations")

#: pg_advisory_xact_lock key held while migrating ("truce" in ASCII)
_PG_LOCK_KEY = 0x7472756365


@dataclass(frozen=True)
class SchemaStatus:
    """Where a database's schema stands: `current` is None for an empty database."""

    url: str  # password hidden
    current: str | None
    head: str
    previous: str | None = None  # before `upgrade_database` ran

    @property
    def at_head(self) -> bool:
        return self.current == self.head

    @property
    def upgraded(self) -> bool:
        return self.previous != self.current


def alembic_config(connection: Connection | None = None, *, url: str | None = None) -> Config:
    """Alembic's configuration for truce's migrations, without any alembic.ini."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@cache
def head_revision() -> str:
    """The revision this version of truce needs."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package ships its migrations
        raise MigrationError(f"no migrations found in {MIGRATIONS}")
    return head


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def ensure_schema(engine: Engine, url: str, *, migrate: bool) -> tuple[str | None, str | None]:
    """Check the schema is at head, upgrading it first when `migrate`; (before, after)."""
    head = head_revision()
    with database_errors("reading the schema version", url), engine.connect() as connection:
        with connection.begin():
            before = current_revision(connection)
        if before == head:
            return before, before
        _check_known(before, url)
        if not migrate:
            raise MigrationError(
                f"the database {hide_password(url)} is at schema revision {before or 'none'}, "
                f"this truce needs {head}: run `truce db upgrade`"
            )
    with database_errors("upgrading the schema", url), engine.connect() as connection:
        begin_writing(connection)
        with connection.begin():
            if connection.dialect.name == "postgresql":
                connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_LOCK_KEY})")
            before = current_revision(connection)  # another process may have done it meanwhile
            if before != head:
                _check_known(before, url)
                command.upgrade(alembic_config(connection), "head")
            after = current_revision(connection)
    return before, after


def upgrade_database(url: str | None = None) -> SchemaStatus:
    """Create or upgrade the schema of the database at `url` (see `database_url`)."""
    resolved = database_url(url)
    engine = create_store_engine(resolved)
    try:
        before, after = ensure_schema(engine, resolved, migrate=True)
    finally:
        engine.dispose()
    return SchemaStatus(hide_password(resolved), after, head_revision(), previous=before)


def schema_status(url: str | None = None) -> SchemaStatus:
    """The schema revision of the database at `url`, changing nothing (not even creating it)."""
    resolved = database_url(url)
    path = sqlite_path(resolved)
    if path is not None and not path.startswith("file:") and not Path(path).exists():
        return SchemaStatus(hide_password(resolved), None, head_revision())
    engine = create_store_engine(resolved)
    try:
        with (
            database_errors("reading the schema version", resolved),
            engine.connect() as connection,
            connection.begin(),
        ):
            current = current_revision(connection)
    finally:
        engine.dispose()
    return SchemaStatus(hide_password(resolved), current, head_revision())


def _check_known(revision: str | None, url: str) -> None:
    if revision is None:
        return
    script = ScriptDirectory.from_config(alembic_config())
    if revision not in {rev.revision for rev in script.walk_revisions()}:
        raise MigrationError(
            f"the database {hide_password(url)} is at schema revision {revision}, which this "
            "truce does not know: it was written by a newer truce; upgrade truce"
        )
