"""Proposals and commitments: every query of their tables (the rules are those of
`truce.committee.proposals` and `truce.committee.commitments`).

A proposal and a commitment are classified records (owner party and classification). A
proposal's history rows are seen with it; the meeting a history row or a commitment names is
shown only to a viewer who may see that meeting, and the proposal a commitment names only to
one who may see that proposal (the row is kept; the reference reads as none).

Reads take the Store and open their own read transaction, or, inside a write, the Batch;
writes take the Batch and record one audit entry for every row written or changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from truce.core.access import Classification, Principal
from truce.core.audit import content_hash
from truce.core.errors import ConflictError, NotFoundError
from truce.store.access import visible_to
from truce.store.committee_schema import commitments, meetings, proposal_history, proposals
from truce.store.store import MAX_ID, Batch, Store

# --- rows -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingRef:
    """A meeting as a proposal's history or a commitment names it."""

    id: int
    title: str
    starts_at: dt.datetime
    status: str
    place: str | None


@dataclass(frozen=True)
class ProposalRow:
    """A `proposals` row as stored (kind, track and status as text)."""

    id: int
    title: str
    summary: str | None
    kind: str
    proposing_party: str | None
    track: str | None
    status: str
    created_by: str
    created_at: dt.datetime
    classification: Classification
    owner_party: str | None


@dataclass(frozen=True)
class ProposalHistoryRow:
    """One change of a proposal's status (from none: its creation); `meeting_id` is none
    when no meeting handled it or the viewer may not see the meeting that did."""

    id: int
    proposal_id: int
    from_status: str | None
    to_status: str
    meeting_id: int | None
    note: str | None
    created_by: str
    created_at: dt.datetime


@dataclass(frozen=True)
class ProposalRecord:
    """A proposal with its history (oldest first) and the meetings that handled it (those
    the viewer may see, in the order they met)."""

    proposal: ProposalRow
    history: tuple[ProposalHistoryRow, ...]
    meetings: tuple[MeetingRef, ...]


@dataclass(frozen=True)
class ProposalListing:
    proposal: ProposalRow
    meeting_ids: tuple[int, ...]  # the meetings that handled it, as in ProposalRecord


@dataclass(frozen=True)
class ProposalFilter:
    status: str | None = None
    kind: str | None = None
    party: str | None = None  # the proposing party
    meeting_id: int | None = None  # handled by this meeting
    limit: int = 50
    offset: int = 0


@dataclass(frozen=True)
class NewProposalRow:
    title: str
    summary: str | None
    kind: str
    proposing_party: str | None
    track: str | None
    status: str
    created_at: dt.datetime
    classification: Classification
    owner_party: str | None


@dataclass(frozen=True)
class CommitmentRow:
    """A `commitments` row as stored; `meeting_id`/`proposal_id` none where the viewer may
    not see what they name."""

    id: int
    title: str
    responsible_party: str | None
    deadline: dt.date | None
    status: str
    meeting_id: int | None
    proposal_id: int | None
    closed_by: str | None
    closed_at: dt.datetime | None
    close_note: str | None
    created_by: str
    created_at: dt.datetime
    classification: Classification
    owner_party: str | None


@dataclass(frozen=True)
class CommitmentFilter:
    """Which commitments a list holds. `overdue` (with `open_status` and `today`): True, only
    open ones whose deadline is before `today`; False, only the others; None, all."""

    today: dt.date
    open_status: str
    status: str | None = None
    party: str | None = None  # the responsible party
    overdue: bool | None = None
    meeting_id: int | None = None
    proposal_id: int | None = None
    limit: int = 50
    offset: int = 0


@dataclass(frozen=True)
class NewCommitmentRow:
    title: str
    responsible_party: str | None
    deadline: dt.date | None
    status: str
    meeting_id: int | None
    proposal_id: int | None
    created_at: dt.datetime
    classification: Classification
    owner_party: str | None


@dataclass(frozen=True)
class PartyCommitments:
    """Open and overdue commitments of one responsible party (none: the whole committee)."""

    party: str | None
    open: int
    overdue: int


@dataclass(frozen=True)
class DashboardCounts:
    commitments: tuple[PartyCommitments, ...]  # by party, the committee's (none) last
    proposals_by_status: Mapping[str, int]  # statuses with none left out
    next_meeting: MeetingRef | None


# --- reading proposals ----------------------------------------------------------------------


def read_proposal(store: Store, proposal_id: int, *, viewer: Principal) -> ProposalRecord:
    """Proposal `proposal_id` with its history and the meetings that handled it, as `viewer`
    sees them; NotFoundError if there is none or `viewer` may not see it."""
    with store.reading("reading a proposal") as connection:
        proposal = _proposal_where(connection, proposal_id, viewer)
        if proposal is None:
            raise NotFoundError(f"no proposal with id {proposal_id}")
        rows = _history(connection, [proposal_id])
        shown = _visible_meetings(connection, {row.meeting_id for row in rows}, viewer)
        return ProposalRecord(
            proposal=proposal,
            history=tuple(_hide_meeting(row, shown) for row in rows),
            meetings=tuple(_in_meeting_order(shown, rows)),
        )


def read_proposal_page(
    store: Store, proposal_filter: ProposalFilter, *, viewer: Principal
) -> tuple[list[ProposalListing], int]:
    """One page of the proposals `viewer` may see that pass the filter, the last created
    first, and how many pass it in all."""
    conditions: list[sa.ColumnElement[bool]] = [visible_to(proposals, viewer)]
    if proposal_filter.status is not None:
        conditions.append(proposals.c.status == proposal_filter.status)
    if proposal_filter.kind is not None:
        conditions.append(proposals.c.kind == proposal_filter.kind)
    if proposal_filter.party is not None:
        conditions.append(proposals.c.proposing_party == proposal_filter.party)
    with store.reading("listing proposals") as connection:
        if proposal_filter.meeting_id is not None:
            meeting_id = proposal_filter.meeting_id
            if not _visible_meetings(connection, {meeting_id}, viewer):
                return [], 0  # a meeting the viewer may not see handled nothing it may know of
            handled = sa.select(proposal_history.c.proposal_id).where(
                proposal_history.c.meeting_id == meeting_id
            )
            conditions.append(proposals.c.id.in_(handled))
        total = connection.execute(
            sa.select(sa.func.count()).select_from(proposals).where(*conditions)
        ).scalar_one()
        statement = (
            sa.select(proposals)
            .where(*conditions)
            .order_by(proposals.c.created_at.desc(), proposals.c.id.desc())
            .limit(proposal_filter.limit)
            .offset(proposal_filter.offset)
        )
        rows = [_proposal(row) for row in connection.execute(statement).mappings()]
        history = _history(connection, [row.id for row in rows])
        shown = _visible_meetings(connection, {row.meeting_id for row in history}, viewer)
    listings = []
    for row in rows:
        own = [step for step in history if step.proposal_id == row.id]
        ids = tuple(meeting.id for meeting in _in_meeting_order(shown, own))
        listings.append(ProposalListing(proposal=row, meeting_ids=ids))
    return listings, total


# --- reading commitments --------------------------------------------------------------------


def read_commitment(store: Store, commitment_id: int, *, viewer: Principal) -> CommitmentRow:
    """Commitment `commitment_id` as `viewer` sees it; NotFoundError if there is none or
    `viewer` may not see it."""
    with store.reading("reading a commitment") as connection:
        row = _commitment_where(connection, commitment_id, viewer)
        if row is None:
            raise NotFoundError(f"no commitment with id {commitment_id}")
        return _hide_references(connection, [row], viewer)[0]


def read_commitment_page(
    store: Store, commitment_filter: CommitmentFilter, *, viewer: Principal
) -> tuple[list[CommitmentRow], int]:
    """One page of the commitments `viewer` may see that pass the filter, the soonest
    deadline first (those without one last), and how many pass it in all."""
    conditions: list[sa.ColumnElement[bool]] = [visible_to(commitments, viewer)]
    if commitment_filter.status is not None:
        conditions.append(commitments.c.status == commitment_filter.status)
    if commitment_filter.party is not None:
        conditions.append(commitments.c.responsible_party == commitment_filter.party)
    overdue = _overdue(commitment_filter.open_status, commitment_filter.today)
    if commitment_filter.overdue is True:
        conditions.append(overdue)
    elif commitment_filter.overdue is False:
        conditions.append(sa.not_(overdue))
    with store.reading("listing commitments") as connection:
        # a meeting or proposal the viewer may not see names no commitment it may know of
        if commitment_filter.meeting_id is not None:
            if not _visible_meetings(connection, {commitment_filter.meeting_id}, viewer):
                return [], 0
            conditions.append(commitments.c.meeting_id == commitment_filter.meeting_id)
        if commitment_filter.proposal_id is not None:
            if not _visible_proposals(connection, {commitment_filter.proposal_id}, viewer):
                return [], 0
            conditions.append(commitments.c.proposal_id == commitment_filter.proposal_id)
        total = connection.execute(
            sa.select(sa.func.count()).select_from(commitments).where(*conditions)
        ).scalar_one()
        statement = (
            sa.select(commitments)
            .where(*conditions)
            .order_by(
                commitments.c.deadline.is_(None),
                commitments.c.deadline,
                commitments.c.id,
            )
            .limit(commitment_filter.limit)
            .offset(commitment_filter.offset)
        )
        rows = [_commitment(row) for row in connection.execute(statement).mappings()]
        return _hide_references(connection, rows, viewer), total


# --- the dashboard --------------------------------------------------------------------------


def read_dashboard(
    store: Store,
    *,
    viewer: Principal,
    today: dt.date,
    open_status: str,
    scheduled_status: str,
) -> DashboardCounts:
    """What the committee's dashboard counts, of the records `viewer` may see: open and
    overdue commitments by responsible party, proposals by status, and the first meeting
    still scheduled to start on or after `today` (UTC)."""
    overdue = sa.case((_overdue(open_status, today), 1), else_=0)
    by_party = (
        sa.select(commitments.c.responsible_party, sa.func.count(), sa.func.sum(overdue))
        .where(commitments.c.status == open_status, visible_to(commitments, viewer))
        .group_by(commitments.c.responsible_party)
    )
    by_status = (
        sa.select(proposals.c.status, sa.func.count())
        .where(visible_to(proposals, viewer))
        .group_by(proposals.c.status)
    )
    start_of_day = dt.datetime.combine(today, dt.time.min, tzinfo=dt.UTC)
    upcoming = (
        sa.select(*_MEETING_COLUMNS)
        .where(
            meetings.c.status == scheduled_status,
            meetings.c.starts_at >= start_of_day,
            visible_to(meetings, viewer),
        )
        .order_by(meetings.c.starts_at, meetings.c.id)
        .limit(1)
    )
    with store.reading("counting the committee's work") as connection:
        parties = [
            PartyCommitments(party=party, open=count, overdue=int(late or 0))
            for party, count, late in connection.execute(by_party)
        ]
        statuses = {str(status): int(count) for status, count in connection.execute(by_status)}
        following = connection.execute(upcoming).mappings().first()
    parties.sort(key=lambda row: (row.party is None, row.party or ""))
    return DashboardCounts(
        commitments=tuple(parties),
        proposals_by_status=statuses,
        next_meeting=None if following is None else MeetingRef(**following),
    )


# --- reading inside a write -----------------------------------------------------------------


def proposal_in_batch(batch: Batch, proposal_id: int) -> ProposalRow:
    """Proposal `proposal_id` as the batch's principal sees it, read inside the batch's
    transaction; NotFoundError if absent or not visible to them."""
    row = _proposal_where(batch.connection, proposal_id, batch.by)
    if row is None:
        raise NotFoundError(f"no proposal with id {proposal_id}")
    return row


def commitment_in_batch(batch: Batch, commitment_id: int) -> CommitmentRow:
    """Commitment `commitment_id` as stored, if the batch's principal may see it; else
    NotFoundError."""
    row = _commitment_where(batch.connection, commitment_id, batch.by)
    if row is None:
        raise NotFoundError(f"no commitment with id {commitment_id}")
    return row


def meeting_in_batch(batch: Batch, meeting_id: int) -> MeetingRef:
    """Meeting `meeting_id`, if the batch's principal may see it; else NotFoundError."""
    row = None
    if _possible_id(meeting_id):
        statement = sa.select(*_MEETING_COLUMNS).where(
            meetings.c.id == meeting_id, visible_to(meetings, batch.by)
        )
        row = batch.connection.execute(statement).mappings().first()
    if row is None:
        raise NotFoundError(f"no meeting with id {meeting_id}")
    return MeetingRef(**row)


# --- writing (inside a Batch) ---------------------------------------------------------------


def insert_proposal(batch: Batch, new: NewProposalRow) -> ProposalRow:
    """Insert a proposal made by the batch's principal, recording `proposal.create`."""
    values: dict[str, Any] = {
        "title": new.title,
        "summary": new.summary,
        "kind": new.kind,
        "proposing_party": new.proposing_party,
        "track": new.track,
        "status": new.status,
        "created_by": batch.by.name,
        "created_at": new.created_at,
        "classification": new.classification.value,
        "owner_party": new.owner_party,
    }
    proposal_id = _insert(batch, proposals, values)
    batch.audit.record("proposal.create", proposals.name, proposal_id, content_hash(values))
    return _proposal({"id": proposal_id, **values})


def move_proposal(batch: Batch, proposal: ProposalRow, to_status: str) -> None:
    """Set the proposal's status, if it is still the one read (ConflictError if another
    writer moved it meanwhile), recording `proposal.status`."""
    changed = batch.connection.execute(
        sa.update(proposals)
        .where(proposals.c.id == proposal.id, proposals.c.status == proposal.status)
        .values(status=to_status)
    ).rowcount
    if changed != 1:
        raise ConflictError(f"proposal {proposal.id} changed while it was being moved; try again")
    values = {**_values_of(proposal), "status": to_status}
    batch.audit.record(
        "proposal.status",
        proposals.name,
        proposal.id,
        content_hash(values),
        {"status": {"was": proposal.status, "now": to_status}},
    )


def insert_proposal_history(
    batch: Batch,
    proposal_id: int,
    *,
    from_status: str | None,
    to_status: str,
    meeting_id: int | None,
    note: str | None,
    at: dt.datetime,
) -> ProposalHistoryRow:
    """Record a change of status made by the batch's principal, and its
    `proposal.history` entry (whose detail names the proposal, the statuses, the meeting
    and who)."""
    values: dict[str, Any] = {
        "proposal_id": proposal_id,
        "from_status": from_status,
        "to_status": to_status,
        "meeting_id": meeting_id,
        "note": note,
        "created_by": batch.by.name,
        "created_at": at,
    }
    history_id = _insert(batch, proposal_history, values)
    batch.audit.record(
        "proposal.history",
        proposal_history.name,
        history_id,
        content_hash(values),
        {
            "proposal": proposal_id,
            "from": from_status,
            "to": to_status,
            "meeting": meeting_id,
            "by": batch.by.name,
        },
    )
    return ProposalHistoryRow(id=history_id, **values)


def insert_commitment(batch: Batch, new: NewCommitmentRow) -> CommitmentRow:
    """Insert a commitment recorded by the batch's principal (`commitment.create`)."""
    values: dict[str, Any] = {
        "title": new.title,
        "responsible_party": new.responsible_party,
        "deadline": new.deadline,
        "status": new.status,
        "meeting_id": new.meeting_id,
        "proposal_id": new.proposal_id,
        "closed_by": None,
        "closed_at": None,
        "close_note": None,
        "created_by": batch.by.name,
        "created_at": new.created_at,
        "classification": new.classification.value,
        "owner_party": new.owner_party,
    }
    commitment_id = _insert(batch, commitments, values)
    batch.audit.record(
        "commitment.create",
        commitments.name,
        commitment_id,
        content_hash(values),
        {"meeting": new.meeting_id, "proposal": new.proposal_id},
    )
    return _commitment({"id": commitment_id, **values})


def close_commitment_row(
    batch: Batch, commitment: CommitmentRow, *, status: str, at: dt.datetime, note: str | None
) -> CommitmentRow:
    """Close a commitment (done or dropped) by the batch's principal, if it is still as read
    (ConflictError if not), recording `commitment.close` with who and from what."""
    changes: dict[str, Any] = {
        "status": status,
        "closed_by": batch.by.name,
        "closed_at": at,
        "close_note": note,
    }
    changed = batch.connection.execute(
        sa.update(commitments)
        .where(commitments.c.id == commitment.id, commitments.c.status == commitment.status)
        .values(changes)
    ).rowcount
    if changed != 1:
        raise ConflictError(
            f"commitment {commitment.id} changed while it was being closed; try again"
        )
    closed = replace(commitment, **changes)
    values = _values_of(closed)
    batch.audit.record(
        "commitment.close",
        commitments.name,
        commitment.id,
        content_hash(values),
        {"status": {"was": commitment.status, "now": status}, "by": batch.by.name},
    )
    return closed


# --- helpers --------------------------------------------------------------------------------

_MEETING_COLUMNS = (
    meetings.c.id,
    meetings.c.title,
    meetings.c.starts_at,
    meetings.c.status,
    meetings.c.place,
)


def _overdue(open_status: str, today: dt.date) -> sa.ColumnElement[bool]:
    return sa.and_(
        commitments.c.status == open_status,
        commitments.c.deadline.is_not(None),
        commitments.c.deadline < today,
    )


def _proposal_where(
    connection: Connection, proposal_id: int, viewer: Principal
) -> ProposalRow | None:
    if not _possible_id(proposal_id):
        return None
    statement = sa.select(proposals).where(
        proposals.c.id == proposal_id, visible_to(proposals, viewer)
    )
    row = connection.execute(statement).mappings().first()
    return None if row is None else _proposal(row)


def _commitment_where(
    connection: Connection, commitment_id: int, viewer: Principal
) -> CommitmentRow | None:
    if not _possible_id(commitment_id):
        return None
    statement = sa.select(commitments).where(
        commitments.c.id == commitment_id, visible_to(commitments, viewer)
    )
    row = connection.execute(statement).mappings().first()
    return None if row is None else _commitment(row)


def _proposal(row: Mapping[str, Any] | RowMapping) -> ProposalRow:
    values = dict(row)
    values["classification"] = Classification(values["classification"])
    return ProposalRow(**values)


def _commitment(row: Mapping[str, Any] | RowMapping) -> CommitmentRow:
    values = dict(row)
    values["classification"] = Classification(values["classification"])
    return CommitmentRow(**values)


def _values_of(row: ProposalRow | CommitmentRow) -> dict[str, Any]:
    """A row as its insert hashed it (without its id)."""
    values = {name: value for name, value in vars(row).items() if name != "id"}
    values["classification"] = row.classification.value
    return values


def _history(connection: Connection, proposal_ids: list[int]) -> list[ProposalHistoryRow]:
    if not proposal_ids:
        return []
    statement = (
        sa.select(proposal_history)
        .where(proposal_history.c.proposal_id.in_(proposal_ids))
        .order_by(proposal_history.c.created_at, proposal_history.c.id)
    )
    return [ProposalHistoryRow(**row) for row in connection.execute(statement).mappings()]


def _visible_meetings(
    connection: Connection, meeting_ids: Collection[int | None], viewer: Principal
) -> dict[int, MeetingRef]:
    """The meetings of `meeting_ids` that `viewer` may see, by id."""
    wanted = sorted(pk for pk in meeting_ids if pk is not None and _possible_id(pk))
    if not wanted:
        return {}
    statement = sa.select(*_MEETING_COLUMNS).where(
        meetings.c.id.in_(wanted), visible_to(meetings, viewer)
    )
    return {row["id"]: MeetingRef(**row) for row in connection.execute(statement).mappings()}


def _visible_proposals(
    connection: Connection, proposal_ids: Collection[int | None], viewer: Principal
) -> set[int]:
    wanted = sorted(pk for pk in proposal_ids if pk is not None and _possible_id(pk))
    if not wanted:
        return set()
    statement = sa.select(proposals.c.id).where(
        proposals.c.id.in_(wanted), visible_to(proposals, viewer)
    )
    return set(connection.execute(statement).scalars())


def _hide_meeting(row: ProposalHistoryRow, shown: Mapping[int, MeetingRef]) -> ProposalHistoryRow:
    if row.meeting_id is None or row.meeting_id in shown:
        return row
    return replace(row, meeting_id=None)


def _in_meeting_order(
    shown: Mapping[int, MeetingRef], rows: list[ProposalHistoryRow]
) -> list[MeetingRef]:
    """The visible meetings `rows` name, each once, in the order they met."""
    named = {row.meeting_id for row in rows if row.meeting_id in shown}
    found = [shown[pk] for pk in named if pk is not None]
    return sorted(found, key=lambda meeting: (meeting.starts_at, meeting.id))


def _hide_references(
    connection: Connection, rows: list[CommitmentRow], viewer: Principal
) -> list[CommitmentRow]:
    """`rows` with the meetings and proposals `viewer` may not see left out."""
    meeting_ids = _visible_meetings(connection, {row.meeting_id for row in rows}, viewer)
    proposal_ids = _visible_proposals(connection, {row.proposal_id for row in rows}, viewer)
    return [
        replace(
            row,
            meeting_id=row.meeting_id if row.meeting_id in meeting_ids else None,
            proposal_id=row.proposal_id if row.proposal_id in proposal_ids else None,
        )
        for row in rows
    ]


def _insert(batch: Batch, table: sa.Table, values: Mapping[str, Any]) -> int:
    new_id: int = batch.connection.execute(
        sa.insert(table).values(dict(values)).returning(table.c.id)
    ).scalar_one()
    return new_id


def _possible_id(pk: int) -> bool:
    """Ids are positive 32-bit integers; asking PostgreSQL for others is an error, not a miss."""
    return 0 < pk <= MAX_ID
