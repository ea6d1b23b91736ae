"""The tables of the committee's own work (issue 7), in the store's one MetaData.

Delegations and their members, meetings (attendance, agenda items, minutes, outcomes), joint
statements (versions, comments, approvals; the issued text frozen by its hash), proposals and
commitments, the arms plan's phase updates, sites and caches, positions, and the economic
zone's geometry versions and projects. Like `schema`, this mirrors the Alembic migrations.
Every record carries who wrote it and when; changes of status are rows of their own (history
tables), never overwritten silently. Party ids are the theatre pack's.
"""

from __future__ import annotations

import sqlalchemy as sa

from truce.store.schema import JSONType, UTCDateTime, access_columns, metadata


def _written() -> list[sa.Column[object]]:
    return [
        sa.Column("created_by", sa.Text, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    ]


def _refers(column: str, table: str, *, nullable: bool = True) -> sa.Column[int]:
    return sa.Column(
        column, sa.Integer, sa.ForeignKey(f"{table}.id"), nullable=nullable, index=True
    )


def _status_history(name: str, column: str, table: str) -> sa.Table:
    """The moves of a record of `table` from one status to another: when, why and by whom."""
    return sa.Table(
        name,
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        _refers(column, table, nullable=False),
        sa.Column("from_status", sa.String(16)),
        sa.Column("to_status", sa.String(16), nullable=False),
        sa.Column("changed_on", sa.Date, nullable=False),
        sa.Column("note", sa.Text),
        *_written(),
    )


delegations = sa.Table(
    "delegations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("kind", sa.String(16), nullable=False),  # party, chair, observer
    sa.Column("party", sa.String(64)),  # a party delegation's party; null for chair/observers
    sa.Column("name", sa.Text, nullable=False, unique=True),  # "Lebanon", "France", "UNIFIL"
    *_written(),
    *access_columns(),
)

delegation_members = sa.Table(
    "delegation_members",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _refers("delegation_id", "delegations", nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("title", sa.Text),  # "Brigadier General", "former ambassador"
    sa.Column("role", sa.Text),  # in the delegation: head, deputy, expert, envoy
    sa.Column("track", sa.String(16)),  # military, civilian (truce.core.access.Track)
    _refers("user_id", "users"),  # the member's account, if any
    sa.Column("joined_on", sa.Date),
    sa.Column("left_on", sa.Date),
    *_written(),
)

meetings = sa.Table(
    "meetings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("starts_at", UTCDateTime, nullable=False),
    sa.Column("ends_at", UTCDateTime),
    sa.Column("place", sa.Text),  # "UNIFIL headquarters, Naqoura"
    sa.Column("tracks", JSONType, nullable=False),  # ["military", "civilian"]
    sa.Column("status", sa.String(16), nullable=False),  # scheduled, held, cancelled
    sa.Column("minutes", sa.Text),
    sa.Column("outcomes", sa.Text),
    sa.Column("uid", sa.String(64), nullable=False, unique=True),  # iCalendar UID, stable
    sa.Column("sequence", sa.Integer, nullable=False, server_default="0"),  # iCalendar SEQUENCE
    *_written(),
    sa.Column("updated_by", sa.Text),
    sa.Column("updated_at", UTCDateTime),
    *access_columns(),
)

meeting_attendance = sa.Table(
    "meeting_attendance",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _refers("meeting_id", "meetings", nullable=False),
    _refers("member_id", "delegation_members", nullable=False),
    sa.Column("status", sa.String(16), nullable=False),  # invited, attended, absent
    sa.Column("note", sa.Text),
    *_written(),
    sa.UniqueConstraint("meeting_id", "member_id"),
)

agenda_items = sa.Table(
    "agenda_items",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _refers("meeting_id", "meetings", nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    # what it is about: incident, case, proposal, commitment, statement, or other (no ref_id)
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("ref_id", sa.Integer),
    sa.Column("outcome", sa.Text),
    *_written(),
    *access_columns(),  # an item about a restricted case is as restricted as the case
)

statements = sa.Table(
    "statements",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("title", sa.Text, nullable=False),
    _refers("meeting_id", "meetings"),
    sa.Column("status", sa.String(16), nullable=False),  # draft, issued, published
    # issuing freezes one version: its id (statement_versions.id) and the SHA-256 of its text
    sa.Column("issued_version_id", sa.Integer),
    sa.Column("issued_sha256", sa.String(64)),
    sa.Column("issued_by", sa.Text),
    sa.Column("issued_at", UTCDateTime),
    sa.Column("published_by", sa.Text),
    sa.Column("published_at", UTCDateTime),
    *_written(),
    *access_columns(),  # committee while drafted; public once published
)

statement_versions = sa.Table(
    "statement_versions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _refers("statement_id", "statements", nullable=False),
    sa.Column("number", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("note", sa.Text),  # what changed
    *_written(),
    sa.UniqueConstraint("statement_id", "number"),
)

statement_comments = sa.Table(
    "statement_comments",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _refers("statement_id", "statements", nullable=False),
    _refers("version_id", "statement_versions", nullable=False),
    _refers("delegation_id", "delegations", nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    *_written(),
    *access_columns(),  # a delegation may keep its comment to itself and the chair
)

statement_approvals = sa.Table(
    "statement_approvals",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _refers("statement_id", "statements", nullable=False),
    _refers("version_id", "statement_versions", nullable=False),
    _refers("delegation_id", "delegations", nullable=False),
    *_written(),  # who approved for the delegation, and when
    sa.Column("withdrawn_by", sa.Text),
    sa.Column("withdrawn_at", UTCDateTime),
)

proposals = sa.Table(
    "proposals",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("summary", sa.Text),
    # economic-project, reconstruction, return-of-residents, confidence-building, other
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("proposing_party", sa.String(64)),  # null: the chair's own
    sa.Column("track", sa.String(16)),
    # draft, tabled, under-discussion, agreed, rejected, withdrawn
    sa.Column("status", sa.String(24), nullable=False),
    *_written(),
    *access_columns(),
)

proposal_history = sa.Table(
    "proposal_history",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _refers("proposal_id", "proposals", nullable=False),
    sa.Column("from_status", sa.String(24)),  # null: created
    sa.Column("to_status", sa.String(24), nullable=False),
    _refers("meeting_id", "meetings"),  # the meeting that handled it, if any
    sa.Column("note", sa.Text),
    *_written(),
)

commitments = sa.Table(
    "commitments",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("title", sa.Text, nullable=False),  # "reconvene before the new year"
    sa.Column("responsible_party", sa.String(64)),  # who must act; null: the whole committee
    sa.Column("deadline", sa.Date),
    sa.Column("status", sa.String(16), nullable=False),  # open, done, dropped
    _refers("meeting_id", "meetings"),  # where it was made
    _refers("proposal_id", "proposals"),
    sa.Column("closed_by", sa.Text),
    sa.Column("closed_at", UTCDateTime),
    sa.Column("close_note", sa.Text),
    *_written(),
    *access_columns(),
)

# Disarmament and deployment. The plan's phases are the pack's (agreement.yaml); their status
# as the committee records it over time is here, newest last.
phase_updates = sa.Table(
    "phase_updates",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("phase_id", sa.String(64), nullable=False, index=True),  # the pack's phase id
    sa.Column("status", sa.String(24), nullable=False),  # the pack's PhaseStatus values
    sa.Column("as_of", sa.Date, nullable=False),
    sa.Column("note", sa.Text),
    sa.Column("source", sa.Text),
    *_written(),
    *access_columns(),
)

sites = sa.Table(
    "sites",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    # cache, depot, launcher, tunnel, facility, position (an armed group's)
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("latitude", sa.Float),
    sa.Column("longitude", sa.Float),
    sa.Column("zones", JSONType, nullable=False),  # zone ids at its point, tagged when written
    sa.Column("status", sa.String(16), nullable=False),  # reported, referred, dismantled, verified
    sa.Column("reported_on", sa.Date, nullable=False),
    sa.Column("reported_by_party", sa.String(64)),
    *_written(),
    *access_columns(),
)

site_history = _status_history("site_history", "site_id", "sites")

site_links = sa.Table(
    "site_links",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _refers("site_id", "sites", nullable=False),
    _refers("incident_id", "incidents"),
    _refers("evidence_id", "evidence_files"),
    *_written(),
)

positions = sa.Table(
    "positions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("holder_party", sa.String(64), nullable=False),  # lebanon (the army), israel
    sa.Column("latitude", sa.Float, nullable=False),
    sa.Column("longitude", sa.Float, nullable=False),
    sa.Column("zones", JSONType, nullable=False),
    sa.Column("established_on", sa.Date),
    sa.Column("status", sa.String(16), nullable=False),  # held, withdrawn, handed-over
    sa.Column("status_on", sa.Date),
    sa.Column("supported_by", sa.Text),  # "UNIFIL" for positions the mission supports
    # the pack's place id, for the five hilltops: each seeded once, even by concurrent runs
    sa.Column("pack_place", sa.Text, unique=True),
    *_written(),
    *access_columns(),
)

position_history = sa.Table(
    "position_history",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _refers("position_id", "positions", nullable=False),
    sa.Column("from_status", sa.String(16)),
    sa.Column("to_status", sa.String(16), nullable=False),
    sa.Column("changed_on", sa.Date, nullable=False),
    sa.Column("note", sa.Text),
    *_written(),
)

# The economic zone: versions of its geometry (the pack's zone is version 0), projects in it.
zone_versions = sa.Table(
    "zone_versions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("zone_id", sa.String(64), nullable=False),  # the pack's zone id it revises
    sa.Column("number", sa.Integer, nullable=False),
    sa.Column("geometry", JSONType, nullable=False),  # GeoJSON Polygon or MultiPolygon
    sa.Column("note", sa.Text),
    _refers("proposal_id", "proposals"),
    *_written(),
    *access_columns(),
    sa.UniqueConstraint("zone_id", "number"),
)

zone_projects = sa.Table(
    "zone_projects",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("zone_id", sa.String(64), nullable=False, index=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),  # agriculture, energy, housing, ...
    sa.Column("sponsor", sa.Text),
    sa.Column("status", sa.String(16), nullable=False),  # proposed, approved, underway, done
    sa.Column("latitude", sa.Float),
    sa.Column("longitude", sa.Float),
    _refers("proposal_id", "proposals"),
    *_written(),
    *access_columns(),
)

project_history = _status_history("project_history", "project_id", "zone_projects")


#: the committee's tables of records that carry an owner party and a classification
COMMITTEE_CLASSIFIED_TABLES = (
    delegations,
    meetings,
    agenda_items,
    statements,
    statement_comments,
    proposals,
    commitments,
    phase_updates,
    sites,
    positions,
    zone_versions,
    zone_projects,
)
