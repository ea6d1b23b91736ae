"""Joint statements and their working papers: every query of the statement tables (the rules
are `truce.committee.statements`').

A statement is a classified record: committee (or restricted) while it is drafted, public once
published. Its working papers (versions, comments, approvals) are seen by whoever may see the
statement as it was drafted, so publishing a statement does not publish its drafts: the
papers of a published statement stay with the committee, and a viewer who sees the statement
but not its papers is shown its issued version alone. Comments are classified on their own
besides: a delegation may keep its comment to itself and the chair.

Reads take the Store and open their own read transaction; writes take the Batch, lock the
statement's row first (so two writers never act on one statement at once) and record one
audit entry for every row written or changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from truce.core.access import Classification, Principal
from truce.core.audit import content_hash
from truce.core.errors import ConflictError, NotFoundError
from truce.store.access import visible_to
from truce.store.committee_schema import (
    delegations,
    meetings,
    statement_approvals,
    statement_comments,
    statement_versions,
    statements,
)
from truce.store.store import MAX_ID, Batch, Store

# --- rows -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatementRow:
    """A `statements` row as stored (its status as text: `truce.committee.statements` gives
    it meaning)."""

    id: int
    title: str
    meeting_id: int | None
    status: str
    issued_version_id: int | None
    issued_sha256: str | None
    issued_by: str | None
    issued_at: dt.datetime | None
    published_by: str | None
    published_at: dt.datetime | None
    created_by: str
    created_at: dt.datetime
    owner_party: str | None
    classification: Classification

    def papers_visible_to(self, viewer: Principal) -> bool:
        """Whether `viewer` may see the working papers: those who may see the statement as
        it was drafted (a published statement was a committee one)."""
        if self.published_at is not None:
            return viewer.may_see(Classification.COMMITTEE, None)
        return viewer.may_see(self.classification, self.owner_party)


@dataclass(frozen=True)
class VersionRow:
    id: int
    statement_id: int
    number: int
    text: str
    sha256: str
    note: str | None
    created_by: str
    created_at: dt.datetime


@dataclass(frozen=True)
class DelegationRow:
    """What a statement needs of a delegation: which it is, and its party, if any."""

    id: int
    kind: str  # party, chair, observer
    party: str | None
    name: str
    classification: Classification
    owner_party: str | None


@dataclass(frozen=True)
class CommentRow:
    id: int
    statement_id: int
    version_id: int
    delegation_id: int
    text: str
    created_by: str
    created_at: dt.datetime
    owner_party: str | None
    classification: Classification


@dataclass(frozen=True)
class ApprovalRow:
    id: int
    statement_id: int
    version_id: int
    delegation_id: int
    created_by: str  # who approved for the delegation
    created_at: dt.datetime
    withdrawn_by: str | None
    withdrawn_at: dt.datetime | None

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


@dataclass(frozen=True)
class StatementRecord:
    """A statement with what of it the viewer may see, read in one transaction: every
    version, comment and approval if it sees the papers (comments: those it may see), else
    the issued version alone; and every delegation (their names, and who must approve)."""

    statement: StatementRow
    meeting_id: int | None  # none if the viewer may not see the meeting
    papers: bool
    versions: tuple[VersionRow, ...]  # by number
    comments: tuple[CommentRow, ...]  # oldest first
    approvals: tuple[ApprovalRow, ...]  # oldest first, withdrawn ones kept
    delegations: tuple[DelegationRow, ...]


@dataclass(frozen=True)
class StatementListing:
    """A statement as a list shows it: the version it stands at (the issued one, once
    issued), and, if the viewer sees the papers, the delegations that approved that version."""

    statement: StatementRow
    meeting_id: int | None
    papers: bool
    version: VersionRow
    approved_by: tuple[int, ...]  # delegation ids


@dataclass(frozen=True)
class StatementFilter:
    status: str | None = None
    meeting_id: int | None = None
    limit: int = 50
    offset: int = 0


@dataclass(frozen=True)
class NewStatementRow:
    title: str
    meeting_id: int | None
    status: str
    created_at: dt.datetime
    classification: Classification
    owner_party: str | None


# --- reading --------------------------------------------------------------------------------


def read_statement(store: Store, statement_id: int, *, viewer: Principal) -> StatementRecord:
    """Statement `statement_id` as `viewer` may see it; NotFoundError if there is none or
    `viewer` may not see it."""
    with store.reading("reading a statement") as connection:
        statement = _statement_where(connection, statement_id, viewer)
        if statement is None:
            raise NotFoundError(f"no statement with id {statement_id}")
        papers = statement.papers_visible_to(viewer)
        versions = _versions(connection, [statement.id])
        comments: list[CommentRow] = []
        approvals: list[ApprovalRow] = []
        if papers:
            comments = [
                _comment(row)
                for row in connection.execute(
                    sa.select(statement_comments)
                    .where(
                        statement_comments.c.statement_id == statement.id,
                        visible_to(statement_comments, viewer),
                    )
                    .order_by(statement_comments.c.id)
                ).mappings()
            ]
            approvals = _approvals(connection, statement_approvals.c.statement_id == statement.id)
        else:
            versions = [v for v in versions if v.id == statement.issued_version_id]
        return StatementRecord(
            statement=statement,
            meeting_id=_shown_meeting(connection, statement.meeting_id, viewer),
            papers=papers,
            versions=tuple(versions),
            comments=tuple(comments),
            approvals=tuple(approvals),
            delegations=tuple(_delegations(connection)),
        )


def read_statement_page(
    store: Store, statement_filter: StatementFilter, *, viewer: Principal
) -> tuple[list[StatementListing], int, tuple[DelegationRow, ...]]:
    """One page of the statements `viewer` may see that pass the filter, the last drafted
    first; how many pass it in all; and every delegation."""
    conditions: list[sa.ColumnElement[bool]] = [visible_to(statements, viewer)]
    if statement_filter.status is not None:
        conditions.append(statements.c.status == statement_filter.status)
    with store.reading("listing statements") as connection:
        every_delegation = tuple(_delegations(connection))
        meeting_id = statement_filter.meeting_id
        if meeting_id is not None:
            if _shown_meeting(connection, meeting_id, viewer) is None:
                return [], 0, every_delegation  # a meeting the viewer may not see: nothing
            conditions.append(statements.c.meeting_id == meeting_id)
        total = connection.execute(
            sa.select(sa.func.count()).select_from(statements).where(*conditions)
        ).scalar_one()
        rows = [
            _statement(row)
            for row in connection.execute(
                sa.select(statements)
                .where(*conditions)
                .order_by(statements.c.created_at.desc(), statements.c.id.desc())
                .limit(statement_filter.limit)
                .offset(statement_filter.offset)
            ).mappings()
        ]
        versions: dict[int, list[VersionRow]] = {}
        for version in _versions(connection, [row.id for row in rows]):
            versions.setdefault(version.statement_id, []).append(version)
        shown = {row.id: _version_shown(row, versions[row.id]) for row in rows}
        approved: dict[int, list[int]] = {}
        for approval in _approvals(
            connection,
            statement_approvals.c.version_id.in_([version.id for version in shown.values()]),
            statement_approvals.c.withdrawn_at.is_(None),
        ):
            approved.setdefault(approval.version_id, []).append(approval.delegation_id)
        seen_meetings = _visible_meetings(
            connection, {row.meeting_id for row in rows if row.meeting_id is not None}, viewer
        )
    listings = []
    for row in rows:
        papers = row.papers_visible_to(viewer)
        version = shown[row.id]
        listings.append(
            StatementListing(
                statement=row,
                meeting_id=row.meeting_id if row.meeting_id in seen_meetings else None,
                papers=papers,
                version=version,
                approved_by=tuple(approved.get(version.id, ())) if papers else (),
            )
        )
    return listings, total, every_delegation


# --- reading inside a write -----------------------------------------------------------------


def statement_in_batch(batch: Batch, statement_id: int) -> StatementRow:
    """Statement `statement_id` as the batch's principal sees it, its row locked for the rest
    of the transaction; NotFoundError if absent or not visible to them."""
    statement = _statement_where(batch.connection, statement_id, batch.by, lock=True)
    if statement is None:
        raise NotFoundError(f"no statement with id {statement_id}")
    return statement


def versions_in_batch(batch: Batch, statement_id: int) -> list[VersionRow]:
    """Every version of the statement, by number."""
    return _versions(batch.connection, [statement_id])


def delegations_in_batch(batch: Batch) -> list[DelegationRow]:
    """Every delegation, by id."""
    return _delegations(batch.connection)


def active_approvals_in_batch(batch: Batch, version_id: int) -> list[ApprovalRow]:
    """The approvals of a version that are not withdrawn, oldest first."""
    return _approvals(
        batch.connection,
        statement_approvals.c.version_id == version_id,
        statement_approvals.c.withdrawn_at.is_(None),
    )


def meeting_visible_in_batch(batch: Batch, meeting_id: int) -> bool:
    return _shown_meeting(batch.connection, meeting_id, batch.by) is not None


# --- writing (inside a Batch) ---------------------------------------------------------------


def insert_statement(batch: Batch, new: NewStatementRow) -> int:
    """Insert a statement drafted by the batch's principal, recording `statement.draft`."""
    values: dict[str, Any] = {
        "title": new.title,
        "meeting_id": new.meeting_id,
        "status": new.status,
        "issued_version_id": None,
        "issued_sha256": None,
        "issued_by": None,
        "issued_at": None,
        "published_by": None,
        "published_at": None,
        "created_by": batch.by.name,
        "created_at": new.created_at,
        "owner_party": new.owner_party,
        "classification": new.classification.value,
    }
    statement_id = _insert(batch, statements, values)
    batch.audit.record("statement.draft", statements.name, statement_id, content_hash(values))
    return statement_id


def insert_version(
    batch: Batch,
    statement_id: int,
    *,
    number: int,
    text: str,
    sha256: str,
    note: str | None,
    at: dt.datetime,
) -> VersionRow:
    """Add version `number` of the statement (`statement.version`)."""
    values: dict[str, Any] = {
        "statement_id": statement_id,
        "number": number,
        "text": text,
        "sha256": sha256,
        "note": note,
        "created_by": batch.by.name,
        "created_at": at,
    }
    version_id = _insert(batch, statement_versions, values)
    batch.audit.record(
        "statement.version",
        statement_versions.name,
        version_id,
        content_hash(values),
        {"statement": statement_id, "number": number, "sha256": sha256},
    )
    return VersionRow(id=version_id, **values)


def insert_comment(
    batch: Batch,
    version: VersionRow,
    delegation: DelegationRow,
    *,
    text: str,
    at: dt.datetime,
    classification: Classification,
) -> CommentRow:
    """A delegation's comment on a version (`statement.comment`), owned by its party."""
    values: dict[str, Any] = {
        "statement_id": version.statement_id,
        "version_id": version.id,
        "delegation_id": delegation.id,
        "text": text,
        "created_by": batch.by.name,
        "created_at": at,
        "owner_party": delegation.party,
        "classification": classification.value,
    }
    comment_id = _insert(batch, statement_comments, values)
    batch.audit.record(
        "statement.comment",
        statement_comments.name,
        comment_id,
        content_hash(values),
        {
            "statement": version.statement_id,
            "version": version.number,
            "delegation": delegation.name,
        },
    )
    return _comment({"id": comment_id, **values})


def insert_approval(
    batch: Batch, version: VersionRow, delegation: DelegationRow, *, at: dt.datetime
) -> ApprovalRow:
    """The delegation's approval of a version, given by the batch's principal."""
    values: dict[str, Any] = {
        "statement_id": version.statement_id,
        "version_id": version.id,
        "delegation_id": delegation.id,
        "created_by": batch.by.name,
        "created_at": at,
        "withdrawn_by": None,
        "withdrawn_at": None,
    }
    approval_id = _insert(batch, statement_approvals, values)
    batch.audit.record(
        "statement.approve",
        statement_approvals.name,
        approval_id,
        content_hash(values),
        {
            "statement": version.statement_id,
            "version": version.number,
            "sha256": version.sha256,
            "delegation": delegation.name,
        },
    )
    return ApprovalRow(id=approval_id, **values)


def withdraw_approval_row(
    batch: Batch, approval: ApprovalRow, delegation: DelegationRow, *, at: dt.datetime
) -> ApprovalRow:
    """Mark an approval withdrawn by the batch's principal (`statement.approval.withdraw`)."""
    changes = {"withdrawn_by": batch.by.name, "withdrawn_at": at}
    changed = batch.connection.execute(
        sa.update(statement_approvals)
        .where(
            statement_approvals.c.id == approval.id, statement_approvals.c.withdrawn_at.is_(None)
        )
        .values(changes)
    ).rowcount
    if changed != 1:
        raise ConflictError(f"approval {approval.id} was withdrawn meanwhile")
    values = {**_values_of(approval), **changes}
    batch.audit.record(
        "statement.approval.withdraw",
        statement_approvals.name,
        approval.id,
        content_hash(values),
        {"statement": approval.statement_id, "delegation": delegation.name},
    )
    return ApprovalRow(id=approval.id, **values)


def mark_issued(
    batch: Batch,
    statement: StatementRow,
    version: VersionRow,
    *,
    status: str,
    sha256: str,
    at: dt.datetime,
) -> None:
    """Freeze the statement at `version`, whose text hashes to `sha256` (`statement.issue`)."""
    changes: dict[str, Any] = {
        "status": status,
        "issued_version_id": version.id,
        "issued_sha256": sha256,
        "issued_by": batch.by.name,
        "issued_at": at,
    }
    _change(batch, statement, changes, "statement.issue", {"version": version.number})


def mark_shared(batch: Batch, statement: StatementRow) -> None:
    """Open a restricted draft to the whole committee (`statement.share`); its comments keep
    their own classification."""
    changes: dict[str, Any] = {
        "status": statement.status,
        "classification": Classification.COMMITTEE.value,
        "owner_party": None,
    }
    was = statement.classification.value
    detail = {"classification": {"was": was, "owner_party": statement.owner_party}}
    _change(batch, statement, changes, "statement.share", detail)


def mark_published(batch: Batch, statement: StatementRow, *, status: str, at: dt.datetime) -> None:
    """Make the statement public (`statement.publish`)."""
    changes: dict[str, Any] = {
        "status": status,
        "published_by": batch.by.name,
        "published_at": at,
        "classification": Classification.PUBLIC.value,
        "owner_party": None,
    }
    _change(
        batch,
        statement,
        changes,
        "statement.publish",
        {"classification": {"was": statement.classification.value, "now": "public"}},
    )


# --- helpers --------------------------------------------------------------------------------


def _statement_where(
    connection: Connection, statement_id: int, viewer: Principal, *, lock: bool = False
) -> StatementRow | None:
    if not _possible_id(statement_id):
        return None
    query = sa.select(statements).where(
        statements.c.id == statement_id, visible_to(statements, viewer)
    )
    if lock:
        query = query.with_for_update()  # PostgreSQL; a SQLite write is exclusive already
    row = connection.execute(query).mappings().first()
    return None if row is None else _statement(row)


def _statement(row: Mapping[str, Any] | RowMapping) -> StatementRow:
    values = dict(row)
    values["classification"] = Classification(values["classification"])
    return StatementRow(**values)


def _values_of(row: object) -> dict[str, Any]:
    """A row's values as they were hashed when written: all but its id, enums as text."""
    values = {name: value for name, value in vars(row).items() if name != "id"}
    if isinstance(values.get("classification"), Classification):
        values["classification"] = values["classification"].value
    return values


def _change(
    batch: Batch,
    statement: StatementRow,
    changes: dict[str, Any],
    action: str,
    detail: dict[str, Any],
) -> None:
    """Update the statement if its status is still the one read; audit it."""
    changed = batch.connection.execute(
        sa.update(statements)
        .where(statements.c.id == statement.id, statements.c.status == statement.status)
        .values(changes)
    ).rowcount
    if changed != 1:
        raise ConflictError(f"statement {statement.id} changed meanwhile; try again")
    values = {**_values_of(statement), **changes}
    detail = {"status": {"was": statement.status, "now": changes["status"]}, **detail}
    batch.audit.record(action, statements.name, statement.id, content_hash(values), detail)


def _versions(connection: Connection, statement_ids: Sequence[int]) -> list[VersionRow]:
    if not statement_ids:
        return []
    query = (
        sa.select(statement_versions)
        .where(statement_versions.c.statement_id.in_(statement_ids))
        .order_by(statement_versions.c.statement_id, statement_versions.c.number)
    )
    return [VersionRow(**row) for row in connection.execute(query).mappings()]


def _version_shown(statement: StatementRow, versions: Sequence[VersionRow]) -> VersionRow:
    """The issued version once issued, else the latest."""
    for version in versions:
        if version.id == statement.issued_version_id:
            return version
    return versions[-1]


def _comment(row: Mapping[str, Any] | RowMapping) -> CommentRow:
    values = dict(row)
    values["classification"] = Classification(values["classification"])
    return CommentRow(**values)


def _approvals(connection: Connection, *conditions: sa.ColumnElement[bool]) -> list[ApprovalRow]:
    query = sa.select(statement_approvals).where(*conditions).order_by(statement_approvals.c.id)
    return [ApprovalRow(**row) for row in connection.execute(query).mappings()]


def _delegations(connection: Connection) -> list[DelegationRow]:
    query = sa.select(
        delegations.c.id,
        delegations.c.kind,
        delegations.c.party,
        delegations.c.name,
        delegations.c.classification,
        delegations.c.owner_party,
    ).order_by(delegations.c.id)
    return [
        DelegationRow(**{**row, "classification": Classification(row["classification"])})
        for row in connection.execute(query).mappings()
    ]


def _shown_meeting(connection: Connection, meeting_id: int | None, viewer: Principal) -> int | None:
    """`meeting_id` if `viewer` may see that meeting, else None."""
    if meeting_id is None:
        return None
    return meeting_id if _visible_meetings(connection, {meeting_id}, viewer) else None


def _visible_meetings(connection: Connection, ids: set[int], viewer: Principal) -> set[int]:
    possible = [pk for pk in ids if _possible_id(pk)]
    if not possible:
        return set()
    query = sa.select(meetings.c.id).where(
        meetings.c.id.in_(possible), visible_to(meetings, viewer)
    )
    return set(connection.execute(query).scalars())


def _insert(batch: Batch, table: sa.Table, values: Mapping[str, Any]) -> int:
    new_id: int = batch.connection.execute(
        sa.insert(table).values(dict(values)).returning(table.c.id)
    ).scalar_one()
    return new_id


def _possible_id(pk: int) -> bool:
    """Ids are positive 32-bit integers; asking PostgreSQL for others is an error, not a miss."""
    return 0 < pk <= MAX_ID
