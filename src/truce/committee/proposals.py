"""Proposals put to the committee: economic projects, reconstruction, the return of residents,
confidence-building measures; their life as data, and the meetings that handled them.

::

              table                 discuss                 agree
      draft ─────────▶ tabled ─────────────▶ under-discussion ───────▶ agreed
        │   (proposer    │       (chair)             │        (chair)
        │   or chair)    │                           │ reject
        │                │                           └────────────────▶ rejected
        │ withdraw       │ withdraw                  │ withdraw         (chair)
        ▼ (proposer or   ▼ (proposer or              ▼ (proposer or
      withdrawn ◀────────┴───────────────────────────┘  chair)

`TRANSITIONS` is this drawing; nothing else decides whether a change is valid. An action not
in it for the proposal's status is a `ConflictError` naming the status and what is allowed
from it; an action in it taken by someone the row does not name is a
`PermissionDeniedError`. "The proposer" is a delegate of the proposing party; the system
(the `truce` command's operator) acts as the chair. Agreed, rejected and withdrawn are final.

Each change is a `proposal_history` row naming who, when, and the meeting that handled it (if
any); the meetings that handled a proposal are read from there, in the order they met. A
proposal is a classified record owned by its proposing party: a delegate proposes for its own
party only, the chair for any party or none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from truce.committee.record_fields import pack_party
from truce.core.access import Classification, Principal, Role, Scope, Track
from truce.core.errors import ConflictError, InputError, PermissionDeniedError
from truce.store import Batch, Store
from truce.store.proposals import (
    MeetingRef,
    NewProposalRow,
    ProposalFilter,
    ProposalHistoryRow,
    ProposalListing,
    ProposalRecord,
    ProposalRow,
    insert_proposal,
    insert_proposal_history,
    meeting_in_batch,
    move_proposal,
    proposal_in_batch,
    read_proposal,
    read_proposal_page,
)
from truce.theatre import TheatrePack, load_pack

__all__ = [
    "MAX_PAGE",
    "TRANSITIONS",
    "MeetingRef",
    "NewProposal",
    "Proposal",
    "ProposalAction",
    "ProposalActor",
    "ProposalChange",
    "ProposalKind",
    "ProposalPage",
    "ProposalStatus",
    "ProposalView",
    "Transition",
    "actions_for",
    "allowed_from",
    "change_proposal",
    "check_page",
    "create_proposal",
    "enum_field",
    "get_proposal",
    "list_proposals",
    "optional_text_field",
    "text_field",
    "usable_meeting",
]

MAX_PAGE = 500
MAX_TITLE = 300
MAX_TEXT = 20_000
MAX_NAME = 64

#: the status of a meeting that will not take place: nothing is done there
CANCELLED_MEETING = "cancelled"

E = TypeVar("E", bound=StrEnum)


class ProposalKind(StrEnum):
    ECONOMIC_PROJECT = "economic-project"
    RECONSTRUCTION = "reconstruction"
    RETURN_OF_RESIDENTS = "return-of-residents"
    CONFIDENCE_BUILDING = "confidence-building"
    OTHER = "other"


class ProposalStatus(StrEnum):
    DRAFT = "draft"
    TABLED = "tabled"  # put on the committee's table
    UNDER_DISCUSSION = "under-discussion"
    AGREED = "agreed"  # final
    REJECTED = "rejected"  # final
    WITHDRAWN = "withdrawn"  # final


class ProposalAction(StrEnum):
    TABLE = "table"
    DISCUSS = "discuss"
    AGREE = "agree"
    REJECT = "reject"
    WITHDRAW = "withdraw"


class ProposalActor(StrEnum):
    """Who a transition names: roles relative to the proposal."""

    CHAIR = "chair"  # the chair, or the system
    PROPOSER = "proposing party's delegate"


@dataclass(frozen=True)
class Transition:
    source: ProposalStatus
    action: ProposalAction
    target: ProposalStatus
    by: frozenset[ProposalActor]


def _rule(
    source: ProposalStatus, action: ProposalAction, target: ProposalStatus, *by: ProposalActor
) -> Transition:
    return Transition(source, action, target, frozenset(by))


_S, _A, _BY = ProposalStatus, ProposalAction, ProposalActor

#: every valid transition, keyed by (status, action): the drawing of the module docstring
TRANSITIONS: Mapping[tuple[ProposalStatus, ProposalAction], Transition] = {
    (rule.source, rule.action): rule
    for rule in (
        _rule(_S.DRAFT, _A.TABLE, _S.TABLED, _BY.PROPOSER, _BY.CHAIR),
        _rule(_S.DRAFT, _A.WITHDRAW, _S.WITHDRAWN, _BY.PROPOSER, _BY.CHAIR),
        _rule(_S.TABLED, _A.DISCUSS, _S.UNDER_DISCUSSION, _BY.CHAIR),
        _rule(_S.TABLED, _A.WITHDRAW, _S.WITHDRAWN, _BY.PROPOSER, _BY.CHAIR),
        _rule(_S.UNDER_DISCUSSION, _A.AGREE, _S.AGREED, _BY.CHAIR),
        _rule(_S.UNDER_DISCUSSION, _A.REJECT, _S.REJECTED, _BY.CHAIR),
        _rule(_S.UNDER_DISCUSSION, _A.WITHDRAW, _S.WITHDRAWN, _BY.PROPOSER, _BY.CHAIR),
    )
}

#: statuses in which a proposal is still before the committee
OPEN_STATUSES = frozenset({_S.DRAFT, _S.TABLED, _S.UNDER_DISCUSSION})


def allowed_from(status: ProposalStatus) -> list[Transition]:
    """The transitions valid from `status`, in the order of `ProposalAction`."""
    return [
        TRANSITIONS[status, action] for action in ProposalAction if (status, action) in TRANSITIONS
    ]


def transition_for(proposal_id: int, status: ProposalStatus, action: ProposalAction) -> Transition:
    """The transition `action` takes from `status`; ConflictError naming the status and the
    actions allowed from it if there is none."""
    rule = TRANSITIONS.get((status, action))
    if rule is not None:
        return rule
    allowed = allowed_from(status)
    if allowed:
        options = ", ".join(f"{rule.action} ({' or '.join(sorted(rule.by))})" for rule in allowed)
        hint = f"allowed from {status}: {options}"
    else:
        hint = f"{status} is final: no action is allowed"
    raise ConflictError(f"proposal {proposal_id} is {status}: it cannot {action}; {hint}")


def actors_of(principal: Principal, proposing_party: str | None) -> frozenset[ProposalActor]:
    """What `principal` counts as on a proposal of `proposing_party`: nothing for one who
    may not write (a read-only token, an observer, a monitor)."""
    if not principal.system and Scope.WRITE not in principal.scopes:
        return frozenset()
    if principal.system or principal.role is Role.CHAIR:
        return frozenset({ProposalActor.CHAIR})
    if (
        principal.role is Role.DELEGATE
        and proposing_party is not None
        and principal.party == proposing_party
    ):
        return frozenset({ProposalActor.PROPOSER})
    return frozenset()


def actions_for(
    status: ProposalStatus, principal: Principal, proposing_party: str | None
) -> list[ProposalAction]:
    """The actions `principal` may take now on a proposal in `status` (for pages to offer)."""
    mine = actors_of(principal, proposing_party)
    return [rule.action for rule in allowed_from(status) if rule.by & mine]


def _check_may_take(
    proposal_id: int, rule: Transition, principal: Principal, proposing_party: str | None
) -> None:
    if rule.by & actors_of(principal, proposing_party):
        return
    raise PermissionDeniedError(
        f"{principal.name} ({principal.role}) may not {rule.action} proposal {proposal_id}: "
        f"only the {' or the '.join(sorted(rule.by))} may"
    )


# --- records --------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewProposal:
    """A proposal to make, in status draft. A delegate proposes for its own party
    (`proposing_party` is then that party, given or not); the chair for any party or none
    (the chair's own). `meeting_id`: the meeting it was made at, if any."""

    title: str
    kind: ProposalKind | str
    summary: str | None = None
    proposing_party: str | None = None
    track: Track | str | None = None
    classification: Classification = Classification.COMMITTEE
    meeting_id: int | None = None
    note: str | None = None


@dataclass(frozen=True)
class ProposalChange:
    """One entry of a proposal's history: from no status (its making) or a status, to one;
    the meeting that handled it (none: none did, or one the viewer may not see)."""

    id: int
    from_status: ProposalStatus | None
    to_status: ProposalStatus
    meeting_id: int | None
    note: str | None
    by: str
    at: dt.datetime


@dataclass(frozen=True)
class Proposal:
    """A proposal as a list shows it, with the ids of the meetings that handled it (those
    the viewer may see, in the order they met)."""

    id: int
    title: str
    summary: str | None
    kind: ProposalKind
    proposing_party: str | None  # none: the chair's own
    track: Track | None
    status: ProposalStatus
    created_by: str
    created_at: dt.datetime
    classification: Classification
    owner_party: str | None
    meeting_ids: tuple[int, ...]


@dataclass(frozen=True)
class ProposalView(Proposal):
    """A proposal with its history (oldest first), the meetings that handled it, and the
    actions the viewer may take on it now."""

    history: tuple[ProposalChange, ...]
    meetings: tuple[MeetingRef, ...]
    actions: tuple[ProposalAction, ...]


@dataclass(frozen=True)
class ProposalPage:
    items: list[Proposal]
    total: int
    limit: int
    offset: int


# --- the library ----------------------------------------------------------------------------


def create_proposal(
    store: Store, proposal: NewProposal, *, by: Principal, pack: TheatrePack | None = None
) -> ProposalView:
    """Make a proposal (status draft), with its first history entry naming the meeting it
    was made at; the proposal as `by` now sees it. InputError for a proposing party the
    theatre pack does not know, PermissionDeniedError unless `by` may make it (module
    docstring), NotFoundError for a meeting `by` may not see."""
    title = text_field(proposal.title, "title", MAX_TITLE)
    summary = optional_text_field(proposal.summary, "summary", MAX_TEXT)
    note = optional_text_field(proposal.note, "note", MAX_TEXT)
    kind = enum_field(ProposalKind, proposal.kind, "kind")
    track = None if proposal.track is None else enum_field(Track, proposal.track, "track")
    party = optional_text_field(proposal.proposing_party, "proposing_party", MAX_NAME)
    if party is not None:
        party = pack_party(pack or load_pack(), party, "proposing_party")
    classification = enum_field(Classification, proposal.classification, "classification")
    party = _check_may_propose(by, party, classification)
    now = _now()
    with store.transaction(by=by) as batch:
        meeting_id = usable_meeting(batch, proposal.meeting_id)
        row = insert_proposal(
            batch,
            NewProposalRow(
                title=title,
                summary=summary,
                kind=kind.value,
                proposing_party=party,
                track=None if track is None else track.value,
                status=ProposalStatus.DRAFT.value,
                created_at=now,
                classification=classification,
                owner_party=party,
            ),
        )
        insert_proposal_history(
            batch,
            row.id,
            from_status=None,
            to_status=ProposalStatus.DRAFT.value,
            meeting_id=meeting_id,
            note=note,
            at=now,
        )
    return get_proposal(store, row.id, viewer=by)


def change_proposal(
    store: Store,
    proposal_id: int,
    action: ProposalAction | str,
    *,
    by: Principal,
    meeting_id: int | None = None,
    note: str | None = None,
) -> ProposalView:
    """Take `action` on the proposal, handled by meeting `meeting_id` (if any):
    ConflictError if its status does not allow it (naming the status and what it allows) or
    the meeting was cancelled, PermissionDeniedError if `by` may not take it, NotFoundError
    for a proposal or meeting `by` may not see. Records the change (who, when, from, to, the
    meeting, the note); the proposal as `by` now sees it."""
    chosen = enum_field(ProposalAction, action, "action")
    note = optional_text_field(note, "note", MAX_TEXT)
    with store.transaction(by=by) as batch:
        row = proposal_in_batch(batch, proposal_id)
        rule = transition_for(row.id, ProposalStatus(row.status), chosen)
        _check_may_take(row.id, rule, by, row.proposing_party)
        handled_by = usable_meeting(batch, meeting_id)
        move_proposal(batch, row, rule.target.value)
        insert_proposal_history(
            batch,
            row.id,
            from_status=row.status,
            to_status=rule.target.value,
            meeting_id=handled_by,
            note=note,
            at=_now(),
        )
    return get_proposal(store, proposal_id, viewer=by)


def get_proposal(store: Store, proposal_id: int, *, viewer: Principal) -> ProposalView:
    """The proposal as `viewer` sees it, with its history, the meetings that handled it and
    what `viewer` may do with it now; NotFoundError if there is none or `viewer` may not see
    it."""
    return _view_of(read_proposal(store, proposal_id, viewer=viewer), viewer)


def list_proposals(
    store: Store,
    *,
    viewer: Principal,
    status: ProposalStatus | str | None = None,
    kind: ProposalKind | str | None = None,
    party: str | None = None,
    meeting_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> ProposalPage:
    """A page of the proposals `viewer` may see, the last made first: in `status`, of
    `kind`, proposed by `party`, handled by meeting `meeting_id` (none if `viewer` may not
    see that meeting)."""
    check_page(limit, offset)
    chosen_status = None if status is None else enum_field(ProposalStatus, status, "status")
    chosen_kind = None if kind is None else enum_field(ProposalKind, kind, "kind")
    listings, total = read_proposal_page(
        store,
        ProposalFilter(
            status=None if chosen_status is None else chosen_status.value,
            kind=None if chosen_kind is None else chosen_kind.value,
            party=optional_text_field(party, "party", MAX_NAME),
            meeting_id=meeting_id,
            limit=limit,
            offset=offset,
        ),
        viewer=viewer,
    )
    return ProposalPage(
        items=[_summary_of(listing) for listing in listings],
        total=total,
        limit=limit,
        offset=offset,
    )


# --- rules ----------------------------------------------------------------------------------


def _check_may_propose(
    by: Principal, party: str | None, classification: Classification
) -> str | None:
    """The proposing party; PermissionDeniedError unless `by` may propose for it."""
    if not by.system and Scope.WRITE not in by.scopes:
        raise PermissionDeniedError(f"{by.name} may not make proposals with read access only")
    if by.system or by.role is Role.CHAIR:
        by.check_may_create(classification, party)
        return party
    if by.role is not Role.DELEGATE:
        raise PermissionDeniedError(
            f"{by.name} ({by.role}) may not make proposals: a delegation or the chair does"
        )
    if party is not None and party != by.party:
        raise PermissionDeniedError(
            f"{by.name} is a delegate of {by.party} and may not propose for {party}"
        )
    by.check_may_create(classification, by.party)
    return by.party


def usable_meeting(batch: Batch, meeting_id: int | None) -> int | None:
    """`meeting_id`, if the batch's principal may see that meeting (else NotFoundError) and
    it was not cancelled (else ConflictError: nothing happens at a meeting not held)."""
    if meeting_id is None:
        return None
    meeting = meeting_in_batch(batch, meeting_id)
    if meeting.status == CANCELLED_MEETING:
        raise ConflictError(f"meeting {meeting.id} was cancelled: nothing was done there")
    return meeting.id


# --- from the store's rows ------------------------------------------------------------------


def _fields(row: ProposalRow, meeting_ids: tuple[int, ...]) -> Proposal:
    return Proposal(
        id=row.id,
        title=row.title,
        summary=row.summary,
        kind=ProposalKind(row.kind),
        proposing_party=row.proposing_party,
        track=None if row.track is None else Track(row.track),
        status=ProposalStatus(row.status),
        created_by=row.created_by,
        created_at=row.created_at,
        classification=row.classification,
        owner_party=row.owner_party,
        meeting_ids=meeting_ids,
    )


def _summary_of(listing: ProposalListing) -> Proposal:
    return _fields(listing.proposal, listing.meeting_ids)


def _change_of(row: ProposalHistoryRow) -> ProposalChange:
    return ProposalChange(
        id=row.id,
        from_status=None if row.from_status is None else ProposalStatus(row.from_status),
        to_status=ProposalStatus(row.to_status),
        meeting_id=row.meeting_id,
        note=row.note,
        by=row.created_by,
        at=row.created_at,
    )


def _view_of(record: ProposalRecord, viewer: Principal) -> ProposalView:
    row = record.proposal
    summary = _fields(row, tuple(meeting.id for meeting in record.meetings))
    actions = actions_for(ProposalStatus(row.status), viewer, row.proposing_party)
    return ProposalView(
        **vars(summary),
        history=tuple(_change_of(step) for step in record.history),
        meetings=record.meetings,
        actions=tuple(actions),
    )


# --- checking arguments ---------------------------------------------------------------------


def enum_field(kind: type[E], value: E | str, field: str) -> E:
    """`value` as a member of `kind`; InputError naming `field` and the choices if not."""
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(kind)
        raise InputError(f"{value!r} is not one of {choices}", source=field) from None


def check_page(limit: int, offset: int) -> None:
    if not 1 <= limit <= MAX_PAGE:
        raise InputError(f"limit must be between 1 and {MAX_PAGE}, not {limit}", source="limit")
    if offset < 0:
        raise InputError(f"offset must not be negative, not {offset}", source="offset")


def text_field(value: str, field: str, limit: int) -> str:
    text = value.strip()
    if not text:
        raise InputError("must not be empty", source=field)
    if len(text) > limit:
        raise InputError(f"is longer than {limit} characters", source=field)
    return text


def optional_text_field(value: str | None, field: str, limit: int) -> str | None:
    if value is None or not value.strip():
        return None
    return text_field(value, field, limit)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
