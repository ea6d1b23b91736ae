"""The security model: owner party and classification on records, users, web sessions, API
tokens, the audit chain, evidence files and their custody.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TIMESTAMP = sa.DateTime(timezone=True)


def _access_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("owner_party", sa.String(64)),
        sa.Column("classification", sa.String(16), nullable=False, server_default="committee"),
    ]


def upgrade() -> None:
    for table in ("documents", "events"):
        for column in _access_columns():
            op.add_column(table, column)
    op.create_index("ix_events_access", "events", ["classification", "owner_party"])
    _index_access_in_filters(with_access=True)

    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("display_name", sa.Text),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("party", sa.String(64)),
        sa.Column("track", sa.String(16)),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("created_at", _TIMESTAMP, nullable=False),
        sa.Column("created_by", sa.Text, nullable=False),
        sa.Column("disabled_at", _TIMESTAMP),
        sa.Column("disabled_by", sa.Text),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("username", name="uq_users_username"),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("scopes", sa.String(64), nullable=False),
        sa.Column("created_at", _TIMESTAMP, nullable=False),
        sa.Column("created_by", sa.Text, nullable=False),
        sa.Column("expires_at", _TIMESTAMP, nullable=False),
        sa.Column("revoked_at", _TIMESTAMP),
        sa.Column("revoked_by", sa.Text),
        sa.PrimaryKeyConstraint("id", name="pk_api_tokens"),
        sa.UniqueConstraint("token_hash", name="uq_api_tokens_token_hash"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_api_tokens_user_id_users"),
    )
    op.create_index("ix_api_tokens_user_id", "api_tokens", ["user_id"])
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("session_hash", sa.String(64), nullable=False),
        sa.Column("created_at", _TIMESTAMP, nullable=False),
        sa.Column("expires_at", _TIMESTAMP, nullable=False),
        sa.Column("revoked_at", _TIMESTAMP),
        sa.PrimaryKeyConstraint("id", name="pk_web_sessions"),
        sa.UniqueConstraint("session_hash", name="uq_web_sessions_session_hash"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_web_sessions_user_id_users"),
    )
    op.create_index("ix_web_sessions_user_id", "web_sessions", ["user_id"])
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("at", _TIMESTAMP, nullable=False),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("entity", sa.String(64), nullable=False),
        sa.Column("entity_id", sa.Text, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("detail", sa.Text),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_entity", "audit_log", ["entity", "entity_id"])
    op.create_table(
        "evidence_files",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("media_type", sa.String(128), nullable=False),
        sa.Column("original_name", sa.Text, nullable=False),
        sa.Column("description", sa.Text),
        sa.Column("received_from", sa.Text, nullable=False),
        sa.Column("received_by", sa.Text, nullable=False),
        sa.Column("received_at", _TIMESTAMP, nullable=False),
        sa.Column("created_at", _TIMESTAMP, nullable=False),
        *_access_columns(),
        sa.PrimaryKeyConstraint("id", name="pk_evidence_files"),
        sa.UniqueConstraint("sha256", name="uq_evidence_files_sha256"),
    )
    for table in ("evidence_copies", "custody_events"):
        extra: list[sa.Column[Any]] = (
            [
                sa.Column("sha256", sa.String(64), nullable=False),
                sa.Column("purpose", sa.Text, nullable=False),
                sa.Column("path", sa.Text, nullable=False),
                sa.Column("created_by", sa.Text, nullable=False),
                sa.Column("created_at", _TIMESTAMP, nullable=False),
            ]
            if table == "evidence_copies"
            else [
                sa.Column("action", sa.String(32), nullable=False),
                sa.Column("from_whom", sa.Text),
                sa.Column("to_whom", sa.Text),
                sa.Column("at", _TIMESTAMP, nullable=False),
                sa.Column("recorded_by", sa.Text, nullable=False),
                sa.Column("note", sa.Text),
                sa.Column("sha256_checked", sa.String(64)),
            ]
        )
        op.create_table(
            table,
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("evidence_id", sa.Integer, nullable=False),
            *extra,
            sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
            sa.ForeignKeyConstraint(
                ["evidence_id"],
                ["evidence_files.id"],
                name=f"fk_{table}_evidence_id_evidence_files",
            ),
        )
        op.create_index(f"ix_{table}_evidence_id", table, ["evidence_id"])


def downgrade() -> None:
    for table in (
        "custody_events",
        "evidence_copies",
        "evidence_files",
        "audit_log",
        "web_sessions",
        "api_tokens",
        "users",
    ):
        op.drop_table(table)
    op.drop_index("ix_events_access", "events")
    _index_access_in_filters(with_access=False)
    # SQLite drops columns since 3.35; the FTS triggers on events name none of these
    for table in ("events", "documents"):
        op.drop_column(table, "classification")
        op.drop_column(table, "owner_party")


#: the event indexes that serve the list's filters and order: with who may see each event at
#: their end, a viewer's count and page are read from the index alone, never row by row
_FILTER_INDEXES = {
    "ix_events_type_date": ["event_type", "event_date"],
    "ix_events_plover_date": ["plover", "event_date"],
    "ix_events_country_date": ["country", "event_date"],
    "ix_events_lat_lon": ["latitude", "longitude", "event_date"],
}


def _index_access_in_filters(*, with_access: bool) -> None:
    access = ["classification", "owner_party"] if with_access else []
    postgres = op.get_bind().dialect.name == "postgresql"
    for name, columns in _FILTER_INDEXES.items():
        op.drop_index(name, "events")
        op.create_index(name, "events", [*columns, *access])
    date_desc = "event_date DESC NULLS LAST" if postgres else "event_date DESC"
    op.drop_index("ix_events_date_order", "events")
    op.create_index(
        "ix_events_date_order",
        "events",
        [sa.text(date_desc), sa.text("id DESC"), *(sa.text(column) for column in access)],
    )
