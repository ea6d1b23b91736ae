"""Documents, events and the free-text index over events.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
_TIMESTAMP = sa.DateTime(timezone=True)

# What the free-text index covers: the evidence, both actors, the place, the document title.
_FTS_COLUMNS = ("evidence_text", "actor1", "actor2", "location")


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("doc_id", sa.Text, nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("source", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("published", _TIMESTAMP),
        sa.Column("published_has_time", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("retrieved", _TIMESTAMP),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("origin", sa.Text),
        sa.Column("created_at", _TIMESTAMP, nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("id", name="pk_documents"),
        sa.UniqueConstraint("sha256", name="uq_documents_sha256"),
    )
    op.create_index("ix_documents_doc_id", "documents", ["doc_id"])

    op.create_table(
        "events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("document_pk", sa.Integer, nullable=False),
        sa.Column("event_type", sa.String(64)),
        sa.Column("sub_event_type", sa.String(64)),
        sa.Column("plover", sa.String(16)),
        sa.Column("modality", sa.String(16), nullable=False),
        sa.Column("event_date", sa.Date),
        sa.Column("time_precision", sa.SmallInteger, nullable=False),
        sa.Column("actor1", sa.Text),
        sa.Column("actor2", sa.Text),
        sa.Column("inter1", sa.SmallInteger),
        sa.Column("inter2", sa.SmallInteger),
        sa.Column("location", sa.Text),
        sa.Column("admin1", sa.Text),
        sa.Column("country", sa.String(2)),
        sa.Column("latitude", sa.Float),
        sa.Column("longitude", sa.Float),
        sa.Column("geo_precision", sa.SmallInteger, nullable=False),
        sa.Column("fatalities", sa.Integer),
        sa.Column("sources", _JSON, nullable=False),
        sa.Column("evidence_text", sa.Text, nullable=False),
        sa.Column("evidence_start", sa.Integer, nullable=False),
        sa.Column("evidence_end", sa.Integer, nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("extra", _JSON),
        sa.Column("event_key", sa.String(64), nullable=False),
        sa.Column("created_at", _TIMESTAMP, nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("id", name="pk_events"),
        sa.ForeignKeyConstraint(
            ["document_pk"], ["documents.id"], name="fk_events_document_pk_documents"
        ),
        sa.UniqueConstraint("event_key", name="uq_events_event_key"),
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    # newest first, undated last: PostgreSQL must be told NULLS LAST, SQLite does it anyway
    date_desc = "event_date DESC NULLS LAST" if postgres else "event_date DESC"
    op.create_index("ix_events_date_order", "events", [sa.text(date_desc), sa.text("id DESC")])
    op.create_index("ix_events_type_date", "events", ["event_type", "event_date"])
    op.create_index("ix_events_plover_date", "events", ["plover", "event_date"])
    op.create_index("ix_events_country_date", "events", ["country", "event_date"])
    op.create_index("ix_events_document_pk", "events", ["document_pk"])
    op.create_index("ix_events_actor1", "events", ["actor1"])
    op.create_index("ix_events_actor2", "events", ["actor2"])
    op.create_index("ix_events_lat_lon", "events", ["latitude", "longitude", "event_date"])

    if postgres:
        _postgresql_fts_up()
    else:
        _sqlite_fts_up()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_fts_down()
    else:
        _sqlite_fts_down()
    op.drop_table("events")
    op.drop_table("documents")


# --- SQLite: a contentless FTS5 table whose rowid is events.id -------------------------------


def _sqlite_values(row: str, title: str) -> str:
    return ", ".join([f"{row}.id", *(f"{row}.{c}" for c in _FTS_COLUMNS), title])


_SQLITE_COLUMNS = ", ".join(["rowid", *_FTS_COLUMNS, "title"])
_SQLITE_TITLE_OF = "(SELECT title FROM documents WHERE id = {row}.document_pk)"


def _sqlite_fts_up() -> None:
    # Contentless: the text already lives in events and documents, so FTS5 keeps only its
    # index. Deleting from it needs the indexed values again, hence the 'delete' rows below.
    op.execute(
        "CREATE VIRTUAL TABLE events_fts USING fts5("
        + ", ".join([*_FTS_COLUMNS, "title"])
        + ", content='', tokenize='unicode61 remove_diacritics 2')"
    )
    insert_new = (
        f"INSERT INTO events_fts({_SQLITE_COLUMNS}) "
        f"VALUES ({_sqlite_values('new', _SQLITE_TITLE_OF.format(row='new'))});"
    )
    delete_old = (
        f"INSERT INTO events_fts(events_fts, {_SQLITE_COLUMNS}) "
        f"VALUES ('delete', {_sqlite_values('old', _SQLITE_TITLE_OF.format(row='old'))});"
    )
    indexed = ", ".join([*_FTS_COLUMNS, "document_pk"])
    op.execute(f"CREATE TRIGGER events_fts_insert AFTER INSERT ON events BEGIN {insert_new} END")
    op.execute(f"CREATE TRIGGER events_fts_delete BEFORE DELETE ON events BEGIN {delete_old} END")
    op.execute(
        f"CREATE TRIGGER events_fts_update_old BEFORE UPDATE OF {indexed} ON events "
        f"BEGIN {delete_old} END"
    )
    op.execute(
        f"CREATE TRIGGER events_fts_update_new AFTER UPDATE OF {indexed} ON events "
        f"BEGIN {insert_new} END"
    )
    columns = ", ".join(_FTS_COLUMNS)
    op.execute(
        "CREATE TRIGGER events_fts_title AFTER UPDATE OF title ON documents BEGIN "
        f"INSERT INTO events_fts(events_fts, {_SQLITE_COLUMNS}) "
        f"SELECT 'delete', id, {columns}, old.title FROM events WHERE document_pk = old.id; "
        f"INSERT INTO events_fts({_SQLITE_COLUMNS}) "
        f"SELECT id, {columns}, new.title FROM events WHERE document_pk = new.id; "
        "END"
    )


def _sqlite_fts_down() -> None:
    for trigger in (
        "events_fts_title",
        "events_fts_update_new",
        "events_fts_update_old",
        "events_fts_delete",
        "events_fts_insert",
    ):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS events_fts")


# --- PostgreSQL: a tsvector per event in events_fts, GIN-indexed -----------------------------

_PG_VECTOR = "events_fts_vector(e.evidence_text, e.actor1, e.actor2, e.location, d.title)"


def _postgresql_fts_up() -> None:
    # 'simple': no stemming or stop words, like SQLite's unicode61, so both backends find
    # the same events; prefix queries stand in for stemming.
    op.execute(
        """
        CREATE FUNCTION events_fts_vector(
            evidence text, actor1 text, actor2 text, location text, title text
        ) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
            SELECT to_tsvector('simple'::regconfig,
                               concat_ws(' ', evidence, actor1, actor2, location, title))
        $$
        """
    )
    op.execute(
        """
        CREATE TABLE events_fts (
            event_id integer PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
            document tsvector NOT NULL
        )
        """
    )
    op.execute("CREATE INDEX ix_events_fts_document ON events_fts USING gin (document)")
    # Inserts come in multi-row statements: index them a statement at a time.
    op.execute(
        f"""
        CREATE FUNCTION events_fts_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO events_fts (event_id, document)
            SELECT e.id, {_PG_VECTOR}
            FROM inserted e JOIN documents d ON d.id = e.document_pk;
            RETURN NULL;
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER events_fts_insert AFTER INSERT ON events "
        "REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT "
        "EXECUTE FUNCTION events_fts_inserted()"
    )
    op.execute(
        f"""
        CREATE FUNCTION events_fts_reindex() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_TABLE_NAME = 'documents' THEN
                UPDATE events_fts f SET document = {_PG_VECTOR}
                FROM events e JOIN documents d ON d.id = e.document_pk
                WHERE f.event_id = e.id AND e.document_pk = NEW.id;
            ELSE
                UPDATE events_fts f SET document = {_PG_VECTOR}
                FROM events e JOIN documents d ON d.id = e.document_pk
                WHERE f.event_id = e.id AND e.id = NEW.id;
            END IF;
            RETURN NULL;
        END $$
        """
    )
    indexed = ", ".join([*_FTS_COLUMNS, "document_pk"])
    op.execute(
        f"CREATE TRIGGER events_fts_update AFTER UPDATE OF {indexed} ON events "
        "FOR EACH ROW EXECUTE FUNCTION events_fts_reindex()"
    )
    op.execute(
        "CREATE TRIGGER events_fts_title AFTER UPDATE OF title ON documents "
        "FOR EACH ROW EXECUTE FUNCTION events_fts_reindex()"
    )


def _postgresql_fts_down() -> None:
    op.execute("DROP TRIGGER IF EXISTS events_fts_title ON documents")
    op.execute("DROP TRIGGER IF EXISTS events_fts_update ON events")
    op.execute("DROP TRIGGER IF EXISTS events_fts_insert ON events")
    op.execute("DROP TABLE IF EXISTS events_fts")
    op.execute("DROP FUNCTION IF EXISTS events_fts_reindex()")
    op.execute("DROP FUNCTION IF EXISTS events_fts_inserted()")
    op.execute("DROP FUNCTION IF EXISTS events_fts_vector(text, text, text, text, text)")
