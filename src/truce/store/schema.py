"""The tables every query runs against, in one MetaData.

Only the Alembic migrations in `migrations/` create or change the schema; this module mirrors
them for queries, and a test checks the two agree. The free-text index (`events_fts`: FTS5 on
SQLite, a tsvector table on PostgreSQL) and its triggers differ by dialect and so exist only in
the migrations.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect

#: the table of the free-text index, created by the migrations (see module docstring)
FTS_TABLE = "events_fts"

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def as_utc(value: dt.datetime) -> dt.datetime:
    """An aware UTC datetime; naive ones are taken to be UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


class UTCDateTime(sa.types.TypeDecorator[dt.datetime]):
    """Timestamps stored in UTC and always read back timezone-aware, on every dialect.

    SQLite has no time zones, so there the value is written as naive UTC.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        value = as_utc(value)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        return None if value is None else as_utc(value)


JSONType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def access_columns() -> list[sa.Column[object]]:
    """Every record's owner party (or none) and classification (see truce.core.access).

    Records made before the security model are `committee`: nobody outside sees them until
    someone decides they are public.
    """
    return [
        sa.Column("owner_party", sa.String(64)),
        sa.Column("classification", sa.String(16), nullable=False, server_default="committee"),
    ]


documents = sa.Table(
    "documents",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    # SHA-256 of normalise_text(text): a document is stored once per hash
    sa.Column("sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("doc_id", sa.Text, nullable=False, index=True),
    sa.Column("title", sa.Text),
    sa.Column("source", sa.Text),
    sa.Column("url", sa.Text),
    # a bare publication date is stored as midnight UTC with published_has_time false
    sa.Column("published", UTCDateTime),
    sa.Column("published_has_time", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("retrieved", UTCDateTime),
    sa.Column("language", sa.String(16), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("origin", sa.Text),  # the file or feed the document came from
    sa.Column("created_at", UTCDateTime, nullable=False, server_default=sa.func.now()),
    *access_columns(),
)

events = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("document_pk", sa.Integer, sa.ForeignKey("documents.id"), nullable=False),
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
    sa.Column("sources", JSONType, nullable=False),
    sa.Column("evidence_text", sa.Text, nullable=False),
    sa.Column("evidence_start", sa.Integer, nullable=False),
    sa.Column("evidence_end", sa.Integer, nullable=False),
    sa.Column("confidence", sa.Float, nullable=False),
    sa.Column("extra", JSONType),  # contract fields added after this schema, by name
    # hash of what makes an extraction "the same" (see store.event_key): re-storing is a no-op
    sa.Column("event_key", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", UTCDateTime, nullable=False, server_default=sa.func.now()),
    *access_columns(),
)

# The list is ordered by event_date (newest first, undated last), then id: this index serves
# both that order and date ranges. PostgreSQL sorts NULL first in DESC unless told, SQLite
# last; the migrations spell the PostgreSQL variant with NULLS LAST.
# Each also ends with who may see the event (classification, owner party): a viewer's count
# and page are then read from the index alone.
sa.Index(
    "ix_events_date_order",
    events.c.event_date.desc(),
    events.c.id.desc(),
    events.c.classification,
    events.c.owner_party,
)
# Equality filters combined with the list order, so "type X, newest first" walks one index.
sa.Index(
    "ix_events_type_date",
    events.c.event_type,
    events.c.event_date,
    events.c.classification,
    events.c.owner_party,
)
sa.Index(
    "ix_events_plover_date",
    events.c.plover,
    events.c.event_date,
    events.c.classification,
    events.c.owner_party,
)
sa.Index(
    "ix_events_country_date",
    events.c.country,
    events.c.event_date,
    events.c.classification,
    events.c.owner_party,
)
sa.Index("ix_events_document_pk", events.c.document_pk)
sa.Index("ix_events_actor1", events.c.actor1)
sa.Index("ix_events_actor2", events.c.actor2)
# Bounding boxes: latitude range, longitude checked in the index; with the date the index
# alone answers a bbox's count and page order.
sa.Index(
    "ix_events_lat_lon",
    events.c.latitude,
    events.c.longitude,
    events.c.event_date,
    events.c.classification,
    events.c.owner_party,
)
# What a viewer may see (truce.store.access): counts of a viewer's events read this index
# alone, rather than every row.
sa.Index("ix_events_access", events.c.classification, events.c.owner_party)

# --- security: users, their sessions and tokens, the audit chain -----------------------------

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("username", sa.String(64), nullable=False, unique=True),
    sa.Column("display_name", sa.Text),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("party", sa.String(64)),  # delegates only
    sa.Column("track", sa.String(16)),  # delegates only: military or civilian
    sa.Column("password_hash", sa.Text, nullable=False),  # argon2id, in its PHC string
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("created_by", sa.Text, nullable=False),
    sa.Column("disabled_at", UTCDateTime),
    sa.Column("disabled_by", sa.Text),
)

api_tokens = sa.Table(
    "api_tokens",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False, index=True),
    sa.Column("name", sa.Text, nullable=False),
    # SHA-256 of the token: tokens are long and random, so a slow hash adds nothing
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("prefix", sa.String(16), nullable=False),  # shown in lists, to tell tokens apart
    sa.Column("scopes", sa.String(64), nullable=False),  # space-separated Scope values
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("created_by", sa.Text, nullable=False),
    sa.Column("expires_at", UTCDateTime, nullable=False),
    sa.Column("revoked_at", UTCDateTime),
    sa.Column("revoked_by", sa.Text),
)

web_sessions = sa.Table(
    "web_sessions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False, index=True),
    sa.Column("session_hash", sa.String(64), nullable=False, unique=True),  # SHA-256
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("expires_at", UTCDateTime, nullable=False),
    sa.Column("revoked_at", UTCDateTime),  # log-out, or the user disabled
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("actor", sa.Text, nullable=False),
    sa.Column("action", sa.String(64), nullable=False),
    sa.Column("entity", sa.String(64), nullable=False),
    sa.Column("entity_id", sa.Text, nullable=False),
    sa.Column("content_hash", sa.String(64), nullable=False),
    sa.Column("detail", sa.Text),  # canonical JSON, hashed as stored
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
)
sa.Index("ix_audit_log_entity", audit_log.c.entity, audit_log.c.entity_id)

# --- evidence files and their chain of custody ------------------------------------------------

evidence_files = sa.Table(
    "evidence_files",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sha256", sa.String(64), nullable=False, unique=True),  # of the original's bytes
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("media_type", sa.String(128), nullable=False),  # sniffed from the bytes
    sa.Column("original_name", sa.Text, nullable=False),
    sa.Column("description", sa.Text),
    sa.Column("received_from", sa.Text, nullable=False),
    sa.Column("received_by", sa.Text, nullable=False),
    sa.Column("received_at", UTCDateTime, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    *access_columns(),
)

evidence_copies = sa.Table(
    "evidence_copies",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "evidence_id", sa.Integer, sa.ForeignKey("evidence_files.id"), nullable=False, index=True
    ),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("purpose", sa.Text, nullable=False),  # "working copy", "redacted for release"
    sa.Column("path", sa.Text, nullable=False),  # inside the evidence folder
    sa.Column("created_by", sa.Text, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
)

custody_events = sa.Table(
    "custody_events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "evidence_id", sa.Integer, sa.ForeignKey("evidence_files.id"), nullable=False, index=True
    ),
    sa.Column("action", sa.String(32), nullable=False),  # received, transferred, copied, ...
    sa.Column("from_whom", sa.Text),  # handed over by
    sa.Column("to_whom", sa.Text),  # received by
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("recorded_by", sa.Text, nullable=False),
    sa.Column("note", sa.Text),
    sa.Column("sha256_checked", sa.String(64)),  # the original's hash, re-read at hand-over
)

# --- incidents ---------------------------------------------------------------------------------
# Derived from events, they take their visibility from them (no access columns): a viewer sees
# an incident through the member events it may see (truce.store.incidents).

incident_actions = sa.Table(
    "incident_actions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("kind", sa.String(16), nullable=False),  # link, merge, split, undo
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("by", sa.Text, nullable=False),
    sa.Column("reason", sa.Text),
    # the incidents touched, their membership before and after, constraints switched on/off
    sa.Column("detail", JSONType, nullable=False),
    sa.Column("undone_at", UTCDateTime),
    sa.Column("undone_by", sa.Text),
    sa.Column("undoes", sa.Integer, sa.ForeignKey("incident_actions.id")),
)

incidents = sa.Table(
    "incidents",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("created_by", sa.Text, nullable=False),
    # an incident left with no members is retired, never deleted (cases may point at it)
    sa.Column("retired_at", UTCDateTime),
    sa.Column("retired_by", sa.Text),
    # the action that retired it: its members then are the ones a retired incident shows
    sa.Column("retired_action", sa.Integer, sa.ForeignKey("incident_actions.id")),
    sa.Column("superseded_by", sa.Integer, sa.ForeignKey("incidents.id")),
)

incident_members = sa.Table(
    "incident_members",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("incident_id", sa.Integer, sa.ForeignKey("incidents.id"), nullable=False, index=True),
    sa.Column("event_id", sa.Integer, sa.ForeignKey("events.id"), nullable=False, index=True),
    sa.Column("added_at", UTCDateTime, nullable=False),
    sa.Column("added_by", sa.Text, nullable=False),
    sa.Column(
        "added_action",
        sa.Integer,
        sa.ForeignKey("incident_actions.id"),
        nullable=False,
        index=True,
    ),
    sa.Column("link_score", sa.Float),
    sa.Column("linked_to", sa.Integer),  # the member of its best link (an event id)
    # rows are never deleted: a member taken out is marked removed, by whom and by which action
    sa.Column("removed_at", UTCDateTime),
    sa.Column("removed_by", sa.Text),
    sa.Column("removed_action", sa.Integer, sa.ForeignKey("incident_actions.id"), index=True),
)
# an event is an active member of at most one incident
sa.Index(
    "uq_incident_members_active_event",
    incident_members.c.event_id,
    unique=True,
    sqlite_where=incident_members.c.removed_at.is_(None),
    postgresql_where=incident_members.c.removed_at.is_(None),
)

link_constraints = sa.Table(
    "link_constraints",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("kind", sa.String(16), nullable=False),  # together (a merge), apart (a split)
    sa.Column("event_a", sa.Integer, sa.ForeignKey("events.id"), nullable=False, index=True),
    sa.Column("event_b", sa.Integer, sa.ForeignKey("events.id"), nullable=False, index=True),
    sa.Column(
        "action_id", sa.Integer, sa.ForeignKey("incident_actions.id"), nullable=False, index=True
    ),
    sa.Column("retracted_at", UTCDateTime),  # an undo retracts the decision
)

# --- cases: allegations, their investigation and findings -------------------------------------

cases = sa.Table(
    "cases",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("summary", sa.Text),
    sa.Column("state", sa.String(16), nullable=False),  # truce.cases.CaseState
    sa.Column("filed_by", sa.Text, nullable=False),  # a principal's name
    sa.Column("filed_for_party", sa.String(64)),  # the complaining party; none: the chair's
    sa.Column("accused_party", sa.String(64)),
    sa.Column("clause_id", sa.String(64)),  # the clause alleged broken
    sa.Column("deadline", sa.Date),  # by when a finding is due
    sa.Column("opened_at", UTCDateTime, nullable=False),
    *access_columns(),
)
# open cases past their deadline: the overdue list
sa.Index("ix_cases_state_deadline", cases.c.state, cases.c.deadline)
sa.Index("ix_cases_access", cases.c.classification, cases.c.owner_party)


def _case_id() -> sa.Column[int]:
    return sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), nullable=False, index=True)


case_transitions = sa.Table(
    "case_transitions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _case_id(),
    sa.Column("action", sa.String(16), nullable=False),  # "file" for the first
    sa.Column("from_state", sa.String(16)),  # none for the first
    sa.Column("to_state", sa.String(16), nullable=False),
    sa.Column("by", sa.Text, nullable=False),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("note", sa.Text),
)

investigation_tasks = sa.Table(
    "investigation_tasks",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _case_id(),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("assigned_to", sa.String(64)),  # a username
    sa.Column("due", sa.Date),
    sa.Column("status", sa.String(16), nullable=False),  # open, done, cancelled
    sa.Column("created_by", sa.Text, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("completed_by", sa.Text),
    sa.Column("completed_at", UTCDateTime),
    sa.Column("note", sa.Text),  # said when done or cancelled
)

visit_reports = sa.Table(
    "visit_reports",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _case_id(),
    sa.Column("task_id", sa.Integer, sa.ForeignKey("investigation_tasks.id")),
    sa.Column("visited_on", sa.Date, nullable=False),
    sa.Column("place", sa.Text, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("by", sa.Text, nullable=False),
    sa.Column("at", UTCDateTime, nullable=False),
)

case_evidence = sa.Table(
    "case_evidence",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _case_id(),
    sa.Column(
        "evidence_id", sa.Integer, sa.ForeignKey("evidence_files.id"), nullable=False, index=True
    ),
    sa.Column("added_by", sa.Text, nullable=False),
    sa.Column("added_at", UTCDateTime, nullable=False),
    sa.Column("note", sa.Text),
    sa.UniqueConstraint("case_id", "evidence_id"),
)

case_incidents = sa.Table(
    "case_incidents",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _case_id(),
    sa.Column("incident_id", sa.Integer, sa.ForeignKey("incidents.id"), nullable=False, index=True),
    sa.Column("added_by", sa.Text, nullable=False),
    sa.Column("added_at", UTCDateTime, nullable=False),
    sa.Column("note", sa.Text),
    sa.UniqueConstraint("case_id", "incident_id"),
)

findings = sa.Table(
    "findings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _case_id(),
    sa.Column("outcome", sa.String(16), nullable=False),  # truce.cases.FindingOutcome
    sa.Column("clause_id", sa.String(64)),
    sa.Column("attributed_party", sa.String(64)),
    sa.Column("rationale", sa.Text, nullable=False),
    sa.Column("decided_by", sa.Text, nullable=False),
    sa.Column("decided_at", UTCDateTime, nullable=False),
    # a case reopened and concluded again: the old finding stays, pointing at the new one
    sa.Column("superseded_at", UTCDateTime),
    sa.Column("superseded_by", sa.Integer, sa.ForeignKey("findings.id")),
    *access_columns(),  # who the finding is shared with, apart from the case
)
# one current finding per case
sa.Index(
    "ix_findings_current",
    findings.c.case_id,
    unique=True,
    sqlite_where=findings.c.superseded_at.is_(None),
    postgresql_where=findings.c.superseded_at.is_(None),
)

#: every table of records that carry an owner party and a classification (truce.core.access);
#: the committee's are in `committee_schema.COMMITTEE_CLASSIFIED_TABLES`
CLASSIFIED_TABLES = (documents, events, evidence_files, cases, findings)
