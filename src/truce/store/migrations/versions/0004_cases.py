"""Cases: allegations, their transitions, investigation tasks, visit reports, the evidence and
incidents they link, and findings.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TIMESTAMP = sa.DateTime(timezone=True)


def _access_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("owner_party", sa.String(64)),
        sa.Column("classification", sa.String(16), nullable=False, server_default="committee"),
    ]


def _of_case(table: str) -> list[Any]:
    """The id, the case it belongs to and its keys, shared by every table of a case."""
    return [
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=f"fk_{table}_case_id_cases"),
    ]


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("summary", sa.Text),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("filed_by", sa.Text, nullable=False),
        sa.Column("filed_for_party", sa.String(64)),
        sa.Column("accused_party", sa.String(64)),
        sa.Column("clause_id", sa.String(64)),
        sa.Column("deadline", sa.Date),
        sa.Column("opened_at", _TIMESTAMP, nullable=False),
        *_access_columns(),
        sa.PrimaryKeyConstraint("id", name="pk_cases"),
    )
    op.create_index("ix_cases_state_deadline", "cases", ["state", "deadline"])
    op.create_index("ix_cases_access", "cases", ["classification", "owner_party"])

    op.create_table(
        "case_transitions",
        *_of_case("case_transitions"),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("from_state", sa.String(16)),
        sa.Column("to_state", sa.String(16), nullable=False),
        sa.Column("by", sa.Text, nullable=False),
        sa.Column("at", _TIMESTAMP, nullable=False),
        sa.Column("note", sa.Text),
    )
    op.create_table(
        "investigation_tasks",
        *_of_case("investigation_tasks"),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("assigned_to", sa.String(64)),
        sa.Column("due", sa.Date),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_by", sa.Text, nullable=False),
        sa.Column("created_at", _TIMESTAMP, nullable=False),
        sa.Column("completed_by", sa.Text),
        sa.Column("completed_at", _TIMESTAMP),
        sa.Column("note", sa.Text),
    )
    op.create_table(
        "visit_reports",
        *_of_case("visit_reports"),
        sa.Column("task_id", sa.Integer),
        sa.Column("visited_on", sa.Date, nullable=False),
        sa.Column("place", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("by", sa.Text, nullable=False),
        sa.Column("at", _TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["investigation_tasks.id"],
            name="fk_visit_reports_task_id_investigation_tasks",
        ),
    )
    op.create_table(
        "case_evidence",
        *_of_case("case_evidence"),
        sa.Column("evidence_id", sa.Integer, nullable=False),
        sa.Column("added_by", sa.Text, nullable=False),
        sa.Column("added_at", _TIMESTAMP, nullable=False),
        sa.Column("note", sa.Text),
        sa.ForeignKeyConstraint(
            ["evidence_id"],
            ["evidence_files.id"],
            name="fk_case_evidence_evidence_id_evidence_files",
        ),
        sa.UniqueConstraint("case_id", "evidence_id", name="uq_case_evidence_case_id_evidence_id"),
    )
    op.create_index("ix_case_evidence_evidence_id", "case_evidence", ["evidence_id"])
    op.create_table(
        "case_incidents",
        *_of_case("case_incidents"),
        sa.Column("incident_id", sa.Integer, nullable=False),
        sa.Column("added_by", sa.Text, nullable=False),
        sa.Column("added_at", _TIMESTAMP, nullable=False),
        sa.Column("note", sa.Text),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name="fk_case_incidents_incident_id_incidents"
        ),
        sa.UniqueConstraint("case_id", "incident_id", name="uq_case_incidents_case_id_incident_id"),
    )
    op.create_index("ix_case_incidents_incident_id", "case_incidents", ["incident_id"])
    op.create_table(
        "findings",
        *_of_case("findings"),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("clause_id", sa.String(64)),
        sa.Column("attributed_party", sa.String(64)),
        sa.Column("rationale", sa.Text, nullable=False),
        sa.Column("decided_by", sa.Text, nullable=False),
        sa.Column("decided_at", _TIMESTAMP, nullable=False),
        sa.Column("superseded_at", _TIMESTAMP),
        sa.Column("superseded_by", sa.Integer),
        *_access_columns(),
        sa.ForeignKeyConstraint(
            ["superseded_by"], ["findings.id"], name="fk_findings_superseded_by_findings"
        ),
    )
    # one current finding per case: a new one supersedes the old, which stays
    op.create_index(
        "ix_findings_current",
        "findings",
        ["case_id"],
        unique=True,
        sqlite_where=sa.text("superseded_at IS NULL"),
        postgresql_where=sa.text("superseded_at IS NULL"),
    )
    for table in _CASE_TABLES:
        op.create_index(f"ix_{table}_case_id", table, ["case_id"])


#: the tables of a case's parts, each indexed by its case
_CASE_TABLES = (
    "case_transitions",
    "investigation_tasks",
    "visit_reports",
    "case_evidence",
    "case_incidents",
    "findings",
)


def downgrade() -> None:
    for table in reversed(_CASE_TABLES):
        op.drop_table(table)
    op.drop_table("cases")
