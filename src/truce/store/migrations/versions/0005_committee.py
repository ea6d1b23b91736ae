"""The committee's own work: delegations and members, meetings (attendance, agenda items),
joint statements (versions, comments, approvals), proposals and commitments, the arms plan's
phase updates, sites and caches, positions, and the economic zone's versions and projects.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TIMESTAMP = sa.DateTime(timezone=True)
_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _access_columns() -> list[Any]:
    return [
        sa.Column("owner_party", sa.String(64)),
        sa.Column("classification", sa.String(16), nullable=False, server_default="committee"),
    ]


def _written() -> list[Any]:
    return [
        sa.Column("created_by", sa.Text, nullable=False),
        sa.Column("created_at", _TIMESTAMP, nullable=False),
    ]


def _key(table: str) -> list[Any]:
    return [
        sa.Column("id", sa.Integer, primary_key=True),
        sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
    ]


#: (table, column, referred table, not null) of every reference; each is indexed
_REFERENCES: tuple[tuple[str, str, str, bool], ...] = (
    ("delegation_members", "delegation_id", "delegations", True),
    ("delegation_members", "user_id", "users", False),
    ("meeting_attendance", "meeting_id", "meetings", True),
    ("meeting_attendance", "member_id", "delegation_members", True),
    ("agenda_items", "meeting_id", "meetings", True),
    ("statements", "meeting_id", "meetings", False),
    ("statement_versions", "statement_id", "statements", True),
    ("statement_comments", "statement_id", "statements", True),
    ("statement_comments", "version_id", "statement_versions", True),
    ("statement_comments", "delegation_id", "delegations", True),
    ("statement_approvals", "statement_id", "statements", True),
    ("statement_approvals", "version_id", "statement_versions", True),
    ("statement_approvals", "delegation_id", "delegations", True),
    ("proposal_history", "proposal_id", "proposals", True),
    ("proposal_history", "meeting_id", "meetings", False),
    ("commitments", "meeting_id", "meetings", False),
    ("commitments", "proposal_id", "proposals", False),
    ("site_history", "site_id", "sites", True),
    ("site_links", "site_id", "sites", True),
    ("site_links", "incident_id", "incidents", False),
    ("site_links", "evidence_id", "evidence_files", False),
    ("position_history", "position_id", "positions", True),
    ("zone_versions", "proposal_id", "proposals", False),
    ("zone_projects", "proposal_id", "proposals", False),
)


def _refs(table: str) -> list[Any]:
    """The reference columns of `table` and their foreign keys."""
    parts: list[Any] = []
    for owner, column, referred, not_null in _REFERENCES:
        if owner != table:
            continue
        parts.append(sa.Column(column, sa.Integer, nullable=not not_null))
        parts.append(
            sa.ForeignKeyConstraint(
                [column], [f"{referred}.id"], name=f"fk_{table}_{column}_{referred}"
            )
        )
    return parts


def _status_history(status_width: int) -> list[Any]:
    return [
        sa.Column("from_status", sa.String(status_width)),
        sa.Column("to_status", sa.String(status_width), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "delegations",
        *_key("delegations"),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("party", sa.String(64)),
        sa.Column("name", sa.Text, nullable=False),
        *_written(),
        *_access_columns(),
        sa.UniqueConstraint("name", name="uq_delegations_name"),
    )
    op.create_table(
        "delegation_members",
        *_key("delegation_members"),
        *_refs("delegation_members"),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("role", sa.Text),
        sa.Column("track", sa.String(16)),
        sa.Column("joined_on", sa.Date),
        sa.Column("left_on", sa.Date),
        *_written(),
    )
    op.create_table(
        "meetings",
        *_key("meetings"),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("starts_at", _TIMESTAMP, nullable=False),
        sa.Column("ends_at", _TIMESTAMP),
        sa.Column("place", sa.Text),
        sa.Column("tracks", _JSON, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("minutes", sa.Text),
        sa.Column("outcomes", sa.Text),
        sa.Column("uid", sa.String(64), nullable=False),
        sa.Column("sequence", sa.Integer, nullable=False, server_default="0"),
        *_written(),
        sa.Column("updated_by", sa.Text),
        sa.Column("updated_at", _TIMESTAMP),
        *_access_columns(),
        sa.UniqueConstraint("uid", name="uq_meetings_uid"),
    )
    op.create_table(
        "meeting_attendance",
        *_key("meeting_attendance"),
        *_refs("meeting_attendance"),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("note", sa.Text),
        *_written(),
        sa.UniqueConstraint(
            "meeting_id", "member_id", name="uq_meeting_attendance_meeting_id_member_id"
        ),
    )
    op.create_table(
        "agenda_items",
        *_key("agenda_items"),
        *_refs("agenda_items"),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("ref_id", sa.Integer),
        sa.Column("outcome", sa.Text),
        *_written(),
        *_access_columns(),
    )
    op.create_table(
        "statements",
        *_key("statements"),
        sa.Column("title", sa.Text, nullable=False),
        *_refs("statements"),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("issued_version_id", sa.Integer),
        sa.Column("issued_sha256", sa.String(64)),
        sa.Column("issued_by", sa.Text),
        sa.Column("issued_at", _TIMESTAMP),
        sa.Column("published_by", sa.Text),
        sa.Column("published_at", _TIMESTAMP),
        *_written(),
        *_access_columns(),
    )
    op.create_table(
        "statement_versions",
        *_key("statement_versions"),
        *_refs("statement_versions"),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("note", sa.Text),
        *_written(),
        sa.UniqueConstraint(
            "statement_id", "number", name="uq_statement_versions_statement_id_number"
        ),
    )
    op.create_table(
        "statement_comments",
        *_key("statement_comments"),
        *_refs("statement_comments"),
        sa.Column("text", sa.Text, nullable=False),
        *_written(),
        *_access_columns(),
    )
    op.create_table(
        "statement_approvals",
        *_key("statement_approvals"),
        *_refs("statement_approvals"),
        *_written(),
        sa.Column("withdrawn_by", sa.Text),
        sa.Column("withdrawn_at", _TIMESTAMP),
    )
    op.create_table(
        "proposals",
        *_key("proposals"),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("summary", sa.Text),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("proposing_party", sa.String(64)),
        sa.Column("track", sa.String(16)),
        sa.Column("status", sa.String(24), nullable=False),
        *_written(),
        *_access_columns(),
    )
    op.create_table(
        "proposal_history",
        *_key("proposal_history"),
        *_refs("proposal_history"),
        *_status_history(24),
        sa.Column("note", sa.Text),
        *_written(),
    )
    op.create_table(
        "commitments",
        *_key("commitments"),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("responsible_party", sa.String(64)),
        sa.Column("deadline", sa.Date),
        sa.Column("status", sa.String(16), nullable=False),
        *_refs("commitments"),
        sa.Column("closed_by", sa.Text),
        sa.Column("closed_at", _TIMESTAMP),
        sa.Column("close_note", sa.Text),
        *_written(),
        *_access_columns(),
    )
    op.create_table(
        "phase_updates",
        *_key("phase_updates"),
        sa.Column("phase_id", sa.String(64), nullable=False),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("source", sa.Text),
        *_written(),
        *_access_columns(),
    )
    op.create_index("ix_phase_updates_phase_id", "phase_updates", ["phase_id"])
    op.create_table(
        "sites",
        *_key("sites"),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("latitude", sa.Float),
        sa.Column("longitude", sa.Float),
        sa.Column("zones", _JSON, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reported_on", sa.Date, nullable=False),
        sa.Column("reported_by_party", sa.String(64)),
        *_written(),
        *_access_columns(),
    )
    op.create_table(
        "site_history",
        *_key("site_history"),
        *_refs("site_history"),
        *_status_history(16),
        sa.Column("changed_on", sa.Date, nullable=False),
        sa.Column("note", sa.Text),
        *_written(),
    )
    op.create_table(
        "site_links",
        *_key("site_links"),
        *_refs("site_links"),
        *_written(),
    )
    op.create_table(
        "positions",
        *_key("positions"),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("holder_party", sa.String(64), nullable=False),
        sa.Column("latitude", sa.Float, nullable=False),
        sa.Column("longitude", sa.Float, nullable=False),
        sa.Column("zones", _JSON, nullable=False),
        sa.Column("established_on", sa.Date),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("status_on", sa.Date),
        sa.Column("supported_by", sa.Text),
        sa.Column("pack_place", sa.Text),
        *_written(),
        *_access_columns(),
        sa.UniqueConstraint("pack_place", name="uq_positions_pack_place"),
    )
    op.create_table(
        "position_history",
        *_key("position_history"),
        *_refs("position_history"),
        *_status_history(16),
        sa.Column("changed_on", sa.Date, nullable=False),
        sa.Column("note", sa.Text),
        *_written(),
    )
    op.create_table(
        "zone_versions",
        *_key("zone_versions"),
        sa.Column("zone_id", sa.String(64), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("geometry", _JSON, nullable=False),
        sa.Column("note", sa.Text),
        *_refs("zone_versions"),
        *_written(),
        *_access_columns(),
        sa.UniqueConstraint("zone_id", "number", name="uq_zone_versions_zone_id_number"),
    )
    op.create_table(
        "zone_projects",
        *_key("zone_projects"),
        sa.Column("zone_id", sa.String(64), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("sponsor", sa.Text),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("latitude", sa.Float),
        sa.Column("longitude", sa.Float),
        *_refs("zone_projects"),
        *_written(),
        *_access_columns(),
    )
    op.create_index("ix_zone_projects_zone_id", "zone_projects", ["zone_id"])
    for table, column, _referred, _not_null in _REFERENCES:
        op.create_index(f"ix_{table}_{column}", table, [column])


#: in the order of creation; dropped in reverse, so nothing is dropped while referred to
_TABLES = (
    "delegations",
    "delegation_members",
    "meetings",
    "meeting_attendance",
    "agenda_items",
    "statements",
    "statement_versions",
    "statement_comments",
    "statement_approvals",
    "proposals",
    "proposal_history",
    "commitments",
    "phase_updates",
    "sites",
    "site_history",
    "site_links",
    "positions",
    "position_history",
    "zone_versions",
    "zone_projects",
)


def downgrade() -> None:
    for table in reversed(_TABLES):
        op.drop_table(table)
