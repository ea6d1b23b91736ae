"""A zone project's status history, as sites and positions have theirs: one row per move,
naming who, when and why. Projects recorded before it get one row, their status as recorded.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "project_history",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("from_status", sa.String(16)),
        sa.Column("to_status", sa.String(16), nullable=False),
        sa.Column("changed_on", sa.Date, nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("created_by", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_project_history"),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["zone_projects.id"],
            name="fk_project_history_project_id_zone_projects",
        ),
    )
    op.create_index("ix_project_history_project_id", "project_history", ["project_id"])
    # what was recorded before: the status each project has now, as of its recording (the
    # day in UTC; SQLite keeps the time as ISO text)
    if op.get_bind().dialect.name == "postgresql":
        day = "CAST(created_at AT TIME ZONE 'UTC' AS DATE)"
    else:
        day = "substr(created_at, 1, 10)"
    op.execute(
        "INSERT INTO project_history "
        "(project_id, from_status, to_status, changed_on, note, created_by, created_at) "
        f"SELECT id, NULL, status, {day}, "
        "'status as recorded before the history was kept', created_by, created_at "
        "FROM zone_projects"
    )


def downgrade() -> None:
    op.drop_index("ix_project_history_project_id", table_name="project_history")
    op.drop_table("project_history")
