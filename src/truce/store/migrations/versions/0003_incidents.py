"""Incidents: events linked into incidents, membership with its history, the analysts' actions
(link, merge, split, undo) and the constraints their decisions leave for the linker.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
_TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "incident_actions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("at", _TIMESTAMP, nullable=False),
        sa.Column("by", sa.Text, nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("detail", _JSON, nullable=False),
        sa.Column("undone_at", _TIMESTAMP),
        sa.Column("undone_by", sa.Text),
        sa.Column("undoes", sa.Integer),
        sa.PrimaryKeyConstraint("id", name="pk_incident_actions"),
        sa.ForeignKeyConstraint(
            ["undoes"], ["incident_actions.id"], name="fk_incident_actions_undoes_incident_actions"
        ),
    )
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_at", _TIMESTAMP, nullable=False),
        sa.Column("created_by", sa.Text, nullable=False),
        sa.Column("retired_at", _TIMESTAMP),
        sa.Column("retired_by", sa.Text),
        sa.Column("retired_action", sa.Integer),
        sa.Column("superseded_by", sa.Integer),
        sa.PrimaryKeyConstraint("id", name="pk_incidents"),
        sa.ForeignKeyConstraint(
            ["retired_action"],
            ["incident_actions.id"],
            name="fk_incidents_retired_action_incident_actions",
        ),
        sa.ForeignKeyConstraint(
            ["superseded_by"], ["incidents.id"], name="fk_incidents_superseded_by_incidents"
        ),
    )
    op.create_table(
        "incident_members",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("incident_id", sa.Integer, nullable=False),
        sa.Column("event_id", sa.Integer, nullable=False),
        sa.Column("added_at", _TIMESTAMP, nullable=False),
        sa.Column("added_by", sa.Text, nullable=False),
        sa.Column("added_action", sa.Integer, nullable=False),
        sa.Column("link_score", sa.Float),
        sa.Column("linked_to", sa.Integer),
        sa.Column("removed_at", _TIMESTAMP),
        sa.Column("removed_by", sa.Text),
        sa.Column("removed_action", sa.Integer),
        sa.PrimaryKeyConstraint("id", name="pk_incident_members"),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name="fk_incident_members_incident_id_incidents"
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name="fk_incident_members_event_id_events"
        ),
        sa.ForeignKeyConstraint(
            ["added_action"],
            ["incident_actions.id"],
            name="fk_incident_members_added_action_incident_actions",
        ),
        sa.ForeignKeyConstraint(
            ["removed_action"],
            ["incident_actions.id"],
            name="fk_incident_members_removed_action_incident_actions",
        ),
    )
    op.create_index("ix_incident_members_event_id", "incident_members", ["event_id"])
    op.create_index("ix_incident_members_incident_id", "incident_members", ["incident_id"])
    op.create_index("ix_incident_members_added_action", "incident_members", ["added_action"])
    op.create_index("ix_incident_members_removed_action", "incident_members", ["removed_action"])
    # an event is an active member of at most one incident
    op.create_index(
        "uq_incident_members_active_event",
        "incident_members",
        ["event_id"],
        unique=True,
        sqlite_where=sa.text("removed_at IS NULL"),
        postgresql_where=sa.text("removed_at IS NULL"),
    )
    op.create_table(
        "link_constraints",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("event_a", sa.Integer, nullable=False),
        sa.Column("event_b", sa.Integer, nullable=False),
        sa.Column("action_id", sa.Integer, nullable=False),
        sa.Column("retracted_at", _TIMESTAMP),
        sa.PrimaryKeyConstraint("id", name="pk_link_constraints"),
        sa.ForeignKeyConstraint(
            ["event_a"], ["events.id"], name="fk_link_constraints_event_a_events"
        ),
        sa.ForeignKeyConstraint(
            ["event_b"], ["events.id"], name="fk_link_constraints_event_b_events"
        ),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["incident_actions.id"],
            name="fk_link_constraints_action_id_incident_actions",
        ),
    )
    op.create_index("ix_link_constraints_action_id", "link_constraints", ["action_id"])
    op.create_index("ix_link_constraints_event_a", "link_constraints", ["event_a"])
    op.create_index("ix_link_constraints_event_b", "link_constraints", ["event_b"])


def downgrade() -> None:
    for table in ("link_constraints", "incident_members", "incidents", "incident_actions"):
        op.drop_table(table)
