"""Alembic environment: runs truce's migrations on the connection truce.store hands over.

truce configures Alembic in code (`truce.store.migrate.alembic_config`), so there is no
alembic.ini. To write a new revision against a scratch database::

    from alembic import command
    from truce.store.migrate import alembic_config
    command.revision(alembic_config(url="sqlite:///scratch.db"), "what changed",
                     autogenerate=True)
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from truce.core.errors import MigrationError
from truce.store.engine import create_store_engine
from truce.store.schema import FTS_TABLE, metadata


def _include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    # the free-text index is dialect-specific and maintained by hand in the revisions
    return not (type_ == "table" and name is not None and name.startswith(FTS_TABLE))


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        include_object=_include_object,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER much
        compare_type=True,
    )
    with context.begin_transaction():  # joins the caller's transaction when there is one
        context.run_migrations()


def run_migrations() -> None:
    if context.is_offline_mode():
        raise MigrationError("truce does not write migrations as SQL scripts; run them online")
    connection = context.config.attributes.get("connection")
    if isinstance(connection, Connection):
        _run(connection)
        return
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise MigrationError("no database to migrate: pass a connection or sqlalchemy.url")
    engine = create_store_engine(url)
    try:
        with engine.begin() as connection:
            _run(connection)
    finally:
        engine.dispose()


run_migrations()
