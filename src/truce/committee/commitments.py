"""Commitments and action items: what a party (or the whole committee) undertook to do, by
when, at which meeting, perhaps on which proposal; open until done or dropped.

::

            done (the chair, or a delegate of the responsible party)
      open ───────────────────────────────────────────────────────────▶ done
        │
        │ dropped (the chair)
        └─────────────────────────────────────────────────────────────▶ dropped

`TRANSITIONS` is this drawing (keyed by the status closed from and to); done and dropped are
final. Closing from any other status is a `ConflictError` naming the status and what is
allowed from it; by anyone the row does not name, a `PermissionDeniedError`. A commitment is
*overdue* while it is open and its deadline is past: "reconvene before the new year" is a
commitment of the committee with the deadline of 31 December.

A commitment is a classified record owned by its responsible party: a delegate records
commitments of its own party only, the chair of any party or of the whole committee (none).
Everything is read for a viewer: the meeting and proposal a commitment names are shown only
to one who may see them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from truce.committee.proposals import (
    MAX_NAME,
    MAX_TEXT,
    MAX_TITLE,
    check_page,
    enum_field,
    optional_text_field,
    text_field,
    usable_meeting,
)
from truce.committee.record_fields import pack_party
from truce.core.access import Classification, Principal, Role, Scope
from truce.core.errors import ConflictError, PermissionDeniedError
from truce.store import Store
from truce.store.proposals import (
    CommitmentFilter,
    CommitmentRow,
    NewCommitmentRow,
    close_commitment_row,
    commitment_in_batch,
    insert_commitment,
    proposal_in_batch,
    read_commitment,
    read_commitment_page,
)
from truce.theatre import TheatrePack, load_pack

__all__ = [
    "TRANSITIONS",
    "Closing",
    "Commitment",
    "CommitmentActor",
    "CommitmentPage",
    "CommitmentStatus",
    "NewCommitment",
    "actions_for",
    "close_commitment",
    "create_commitment",
    "get_commitment",
    "is_overdue",
    "list_commitments",
]


class CommitmentStatus(StrEnum):
    OPEN = "open"
    DONE = "done"  # final
    DROPPED = "dropped"  # final


class CommitmentActor(StrEnum):
    CHAIR = "chair"  # the chair, or the system
    RESPONSIBLE = "responsible party's delegate"


@dataclass(frozen=True)
class Closing:
    source: CommitmentStatus
    target: CommitmentStatus
    by: frozenset[CommitmentActor]


_S, _BY = CommitmentStatus, CommitmentActor

#: every valid closing, keyed by (status, status closed to): the drawing of the docstring
TRANSITIONS: Mapping[tuple[CommitmentStatus, CommitmentStatus], Closing] = {
    (rule.source, rule.target): rule
    for rule in (
        Closing(_S.OPEN, _S.DONE, frozenset({_BY.CHAIR, _BY.RESPONSIBLE})),
        Closing(_S.OPEN, _S.DROPPED, frozenset({_BY.CHAIR})),
    )
}


def _allowed_from(status: CommitmentStatus) -> list[Closing]:
    return [TRANSITIONS[status, to] for to in CommitmentStatus if (status, to) in TRANSITIONS]


def _closing_for(commitment_id: int, status: CommitmentStatus, to: CommitmentStatus) -> Closing:
    rule = TRANSITIONS.get((status, to))
    if rule is not None:
        return rule
    allowed = _allowed_from(status)
    if allowed:
        options = ", ".join(f"{rule.target} ({' or '.join(sorted(rule.by))})" for rule in allowed)
        hint = f"allowed from {status}: {options}"
    else:
        hint = f"{status} is final: no change is allowed"
    raise ConflictError(f"commitment {commitment_id} is {status}: it cannot become {to}; {hint}")


def _actors_of(principal: Principal, responsible_party: str | None) -> frozenset[CommitmentActor]:
    if not principal.system and Scope.WRITE not in principal.scopes:
        return frozenset()
    if principal.system or principal.role is Role.CHAIR:
        return frozenset({CommitmentActor.CHAIR})
    if (
        principal.role is Role.DELEGATE
        and responsible_party is not None
        and principal.party == responsible_party
    ):
        return frozenset({CommitmentActor.RESPONSIBLE})
    return frozenset()


def actions_for(
    status: CommitmentStatus, principal: Principal, responsible_party: str | None
) -> list[CommitmentStatus]:
    """The statuses `principal` may close a commitment in `status` to, now."""
    mine = _actors_of(principal, responsible_party)
    return [rule.target for rule in _allowed_from(status) if rule.by & mine]


# --- records --------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewCommitment:
    """A commitment to record, open. A delegate records one of its own party
    (`responsible_party` is then that party, given or not); the chair one of any party, or
    of the whole committee (none). The deadline may be past: commitments are often recorded
    after the meeting that made them."""

    title: str
    responsible_party: str | None = None
    deadline: dt.date | None = None
    meeting_id: int | None = None  # the meeting where it was made
    proposal_id: int | None = None  # the proposal it carries out
    classification: Classification = Classification.COMMITTEE


@dataclass(frozen=True)
class Commitment:
    """A commitment as `viewer` sees it: `meeting_id` and `proposal_id` are none where the
    viewer may not see what they name; `overdue` on the day asked about; `actions`, the
    statuses the viewer may close it to now."""

    id: int
    title: str
    responsible_party: str | None  # none: the whole committee
    deadline: dt.date | None
    status: CommitmentStatus
    overdue: bool
    meeting_id: int | None
    proposal_id: int | None
    closed_by: str | None
    closed_at: dt.datetime | None
    close_note: str | None
    created_by: str
    created_at: dt.datetime
    classification: Classification
    owner_party: str | None
    actions: tuple[CommitmentStatus, ...]


@dataclass(frozen=True)
class CommitmentPage:
    items: list[Commitment]
    total: int
    limit: int
    offset: int


# --- the library ----------------------------------------------------------------------------


def create_commitment(
    store: Store,
    commitment: NewCommitment,
    *,
    by: Principal,
    today: dt.date | None = None,
    pack: TheatrePack | None = None,
) -> Commitment:
    """Record an open commitment; it as `by` now sees it (overdue as of `today`, default
    today UTC). InputError for a responsible party the theatre pack does not know,
    PermissionDeniedError unless `by` may record it (module docstring), NotFoundError for a
    meeting or proposal `by` may not see, ConflictError for a cancelled meeting."""
    title = text_field(commitment.title, "title", MAX_TITLE)
    party = optional_text_field(commitment.responsible_party, "responsible_party", MAX_NAME)
    if party is not None:
        party = pack_party(pack or load_pack(), party, "responsible_party")
    classification = enum_field(Classification, commitment.classification, "classification")
    party = _check_may_record(by, party, classification)
    with store.transaction(by=by) as batch:
        meeting_id = usable_meeting(batch, commitment.meeting_id)
        proposal_id = None
        if commitment.proposal_id is not None:
            proposal_id = proposal_in_batch(batch, commitment.proposal_id).id
        row = insert_commitment(
            batch,
            NewCommitmentRow(
                title=title,
                responsible_party=party,
                deadline=commitment.deadline,
                status=CommitmentStatus.OPEN.value,
                meeting_id=meeting_id,
                proposal_id=proposal_id,
                created_at=_now(),
                classification=classification,
                owner_party=party,
            ),
        )
    return get_commitment(store, row.id, viewer=by, today=today)


def close_commitment(
    store: Store,
    commitment_id: int,
    status: CommitmentStatus | str,
    *,
    by: Principal,
    note: str | None = None,
    today: dt.date | None = None,
) -> Commitment:
    """Close an open commitment as done or dropped, recording who, when and why:
    ConflictError if its status does not allow it, PermissionDeniedError if `by` may not,
    NotFoundError if `by` may not see it. The commitment as `by` now sees it."""
    target = enum_field(CommitmentStatus, status, "status")
    note = optional_text_field(note, "note", MAX_TEXT)
    with store.transaction(by=by) as batch:
        row = commitment_in_batch(batch, commitment_id)
        rule = _closing_for(row.id, CommitmentStatus(row.status), target)
        if not rule.by & _actors_of(by, row.responsible_party):
            raise PermissionDeniedError(
                f"{by.name} ({by.role}) may not mark commitment {row.id} {target}: only the "
                f"{' or the '.join(sorted(rule.by))} may"
            )
        close_commitment_row(batch, row, status=target.value, at=_now(), note=note)
    return get_commitment(store, commitment_id, viewer=by, today=today)


def get_commitment(
    store: Store, commitment_id: int, *, viewer: Principal, today: dt.date | None = None
) -> Commitment:
    """The commitment as `viewer` sees it, overdue or not on `today` (default: today, UTC);
    NotFoundError if there is none or `viewer` may not see it."""
    row = read_commitment(store, commitment_id, viewer=viewer)
    return _commitment_of(row, today or _today(), viewer)


def list_commitments(
    store: Store,
    *,
    viewer: Principal,
    status: CommitmentStatus | str | None = None,
    party: str | None = None,
    overdue: bool | None = None,
    meeting_id: int | None = None,
    proposal_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
    today: dt.date | None = None,
) -> CommitmentPage:
    """A page of the commitments `viewer` may see, the soonest deadline first: in `status`;
    of the responsible `party`; overdue on `today` (default: today, UTC) or, with False, not;
    made at meeting `meeting_id`; on proposal `proposal_id` (none for a meeting or proposal
    `viewer` may not see)."""
    check_page(limit, offset)
    chosen = None if status is None else enum_field(CommitmentStatus, status, "status")
    day = today or _today()
    rows, total = read_commitment_page(
        store,
        CommitmentFilter(
            today=day,
            open_status=CommitmentStatus.OPEN.value,
            status=None if chosen is None else chosen.value,
            party=optional_text_field(party, "party", MAX_NAME),
            overdue=overdue,
            meeting_id=meeting_id,
            proposal_id=proposal_id,
            limit=limit,
            offset=offset,
        ),
        viewer=viewer,
    )
    return CommitmentPage(
        items=[_commitment_of(row, day, viewer) for row in rows],
        total=total,
        limit=limit,
        offset=offset,
    )


def is_overdue(status: CommitmentStatus | str, deadline: dt.date | None, today: dt.date) -> bool:
    """Open, and its deadline is before `today`."""
    return status == CommitmentStatus.OPEN and deadline is not None and deadline < today


# --- rules ----------------------------------------------------------------------------------


def _check_may_record(
    by: Principal, party: str | None, classification: Classification
) -> str | None:
    """The responsible party; PermissionDeniedError unless `by` may record the commitment."""
    if not by.system and Scope.WRITE not in by.scopes:
        raise PermissionDeniedError(f"{by.name} may not record commitments with read access only")
    if by.system or by.role is Role.CHAIR:
        by.check_may_create(classification, party)
        return party
    if by.role is not Role.DELEGATE:
        raise PermissionDeniedError(
            f"{by.name} ({by.role}) may not record commitments: a delegation or the chair does"
        )
    if party is not None and party != by.party:
        raise PermissionDeniedError(
            f"{by.name} is a delegate of {by.party} and may not record commitments of {party}"
        )
    by.check_may_create(classification, by.party)
    return by.party


def _commitment_of(row: CommitmentRow, today: dt.date, viewer: Principal) -> Commitment:
    status = CommitmentStatus(row.status)
    return Commitment(
        id=row.id,
        title=row.title,
        responsible_party=row.responsible_party,
        deadline=row.deadline,
        status=status,
        overdue=is_overdue(status, row.deadline, today),
        meeting_id=row.meeting_id,
        proposal_id=row.proposal_id,
        closed_by=row.closed_by,
        closed_at=row.closed_at,
        close_note=row.close_note,
        created_by=row.created_by,
        created_at=row.created_at,
        classification=row.classification,
        owner_party=row.owner_party,
        actions=tuple(actions_for(status, viewer, row.responsible_party)),
    )


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
