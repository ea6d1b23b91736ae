"""What the statement functions take and give back (`truce.committee.statements`): the
statuses and what each allows, a new statement in, a statement as a viewer sees it out; and
the rules both need: who must approve, what a viewer may do now."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TypedDict

from truce.core.access import Classification, Principal, Role, Scope
from truce.core.errors import IntegrityError
from truce.store.statements import (
    ApprovalRow,
    CommentRow,
    DelegationRow,
    StatementListing,
    StatementRecord,
    StatementRow,
    VersionRow,
)


class StatementStatus(StrEnum):
    DRAFT = "draft"
    ISSUED = "issued"  # frozen: its text is the issued version's, hashed
    PUBLISHED = "published"  # issued, and public


class StatementAction(StrEnum):
    ADD_VERSION = "add-version"
    COMMENT = "comment"
    APPROVE = "approve"
    WITHDRAW_APPROVAL = "withdraw-approval"
    SHARE = "share"  # a restricted draft, with the whole committee
    ISSUE = "issue"
    PUBLISH = "publish"


#: what each status allows; nothing else decides whether an action is valid now
ALLOWED: Mapping[StatementStatus, tuple[StatementAction, ...]] = {
    StatementStatus.DRAFT: (
        StatementAction.ADD_VERSION,
        StatementAction.COMMENT,
        StatementAction.APPROVE,
        StatementAction.WITHDRAW_APPROVAL,
        StatementAction.SHARE,
        StatementAction.ISSUE,
    ),
    StatementStatus.ISSUED: (StatementAction.PUBLISH,),
    StatementStatus.PUBLISHED: (),
}
#: actions a delegate takes for its own party's delegation; the chair takes every action
DELEGATE_ACTIONS = frozenset(
    {StatementAction.COMMENT, StatementAction.APPROVE, StatementAction.WITHDRAW_APPROVAL}
)


# --- what goes in and comes out -------------------------------------------------------------


@dataclass(frozen=True)
class NewStatement:
    """A statement to draft, with the text of its first version. `owner_party` only for a
    restricted one (none: the chair's alone)."""

    title: str
    text: str
    meeting_id: int | None = None
    note: str | None = None
    classification: Classification = Classification.COMMITTEE
    owner_party: str | None = None


@dataclass(frozen=True)
class StatementVersion:
    id: int
    number: int
    text: str
    sha256: str  # of the text as stored, UTF-8
    note: str | None  # what changed; not shown to those who may not see the drafts
    created_by: str
    created_at: dt.datetime


@dataclass(frozen=True)
class StatementComment:
    id: int
    statement_id: int
    version: int  # the number of the version commented on
    delegation_id: int
    delegation: str
    text: str
    created_by: str
    created_at: dt.datetime
    classification: Classification  # committee, or restricted to the owner party and chair
    owner_party: str | None


@dataclass(frozen=True)
class StatementApproval:
    id: int
    statement_id: int
    version: int
    delegation_id: int
    delegation: str
    approved_by: str
    approved_at: dt.datetime
    withdrawn_by: str | None
    withdrawn_at: dt.datetime | None

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


@dataclass(frozen=True)
class StatementSummary:
    """A statement as a list shows it, for one viewer: the version it stands at (the issued
    one once issued) with its text and hash, and, to those who see the drafts, which party
    delegations approved that version and which are awaited."""

    id: int
    title: str
    status: StatementStatus
    meeting_id: int | None
    classification: Classification
    owner_party: str | None
    created_by: str
    created_at: dt.datetime
    version: int
    text: str
    sha256: str
    issued_at: dt.datetime | None
    published_at: dt.datetime | None
    approved_by: tuple[str, ...]  # delegation names
    awaiting: tuple[str, ...]  # party delegations yet to approve; empty once issued


@dataclass(frozen=True)
class StatementView(StatementSummary):
    """A statement with its versions (all of them to those who see the drafts, else the
    issued one alone), the comments and approvals the viewer may see, and what it may do."""

    issued_version: int | None
    issued_sha256: str | None
    issued_by: str | None
    published_by: str | None
    versions: tuple[StatementVersion, ...]
    comments: tuple[StatementComment, ...]
    approvals: tuple[StatementApproval, ...]  # oldest first, withdrawn ones kept
    actions: tuple[StatementAction, ...]


@dataclass(frozen=True)
class StatementPage:
    items: list[StatementSummary]
    total: int
    limit: int
    offset: int


@dataclass(frozen=True)
class StatementCheck:
    """What `check_statement` found: the versions it re-hashed and every mismatch."""

    statement_id: int
    title: str
    status: StatementStatus
    issued_sha256: str | None
    checked: tuple[int, ...]  # version numbers
    problems: tuple[str, ...]

    @property
    def intact(self) -> bool:
        return not self.problems

    def raise_if_broken(self) -> None:
        if self.problems:
            raise IntegrityError(f"statement {self.statement_id}: " + "; ".join(self.problems))


def statement_sha256(text: str) -> str:
    """The SHA-256 of a statement's text as stored (UTF-8): what issuing records."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- rules ----------------------------------------------------------------------------------


def writes(by: Principal) -> bool:
    return by.system or Scope.WRITE in by.scopes


def is_chair(by: Principal) -> bool:
    return by.system or by.role is Role.CHAIR


def party_delegations(every: Sequence[DelegationRow]) -> list[DelegationRow]:
    return [d for d in every if d.kind == "party" and d.party is not None]


def required_delegations(
    statement: StatementRow, every: Sequence[DelegationRow]
) -> list[DelegationRow]:
    """The party delegations whose approval issuing needs: every one that may see it."""
    return [d for d in party_delegations(every) if party_sees(statement, d.party)]


def party_sees(statement: StatementRow, party: str | None) -> bool:
    if statement.classification is not Classification.RESTRICTED:
        return True
    return party is not None and statement.owner_party == party


def actions_for(record: StatementRecord, viewer: Principal) -> tuple[StatementAction, ...]:
    """What `viewer` may do with the statement now (for pages to offer)."""
    if not writes(viewer) or not record.papers:
        return ()
    allowed = ALLOWED[StatementStatus(record.statement.status)]
    if is_chair(viewer):
        if record.statement.classification is Classification.RESTRICTED:
            return allowed
        return tuple(a for a in allowed if a is not StatementAction.SHARE)
    if viewer.role is not Role.DELEGATE:
        return ()
    own = [d for d in party_delegations(record.delegations) if d.party == viewer.party]
    if not own or not party_sees(record.statement, own[0].party):
        return ()
    current = record.versions[-1].id
    approved = any(
        a.active and a.version_id == current and a.delegation_id == own[0].id
        for a in record.approvals
    )
    unwanted = StatementAction.APPROVE if approved else StatementAction.WITHDRAW_APPROVAL
    return tuple(a for a in allowed if a in DELEGATE_ACTIONS and a is not unwanted)


# --- views ----------------------------------------------------------------------------------


def view_of(record: StatementRecord, viewer: Principal) -> StatementView:
    statement = record.statement
    names = {d.id: d for d in record.delegations}
    numbers = {v.id: v.number for v in record.versions}
    shown = _shown_version(statement, record.versions)
    versions = tuple(_version_of(v, record.papers) for v in record.versions)
    approved, awaiting = _standing(
        statement,
        record.delegations,
        [a.delegation_id for a in record.approvals if a.active and a.version_id == shown.id],
        record.papers,
    )
    return StatementView(
        **_summary_fields(statement, record.meeting_id, shown),
        approved_by=approved,
        awaiting=awaiting,
        issued_version=numbers.get(statement.issued_version_id or 0),
        issued_sha256=statement.issued_sha256,
        issued_by=statement.issued_by,
        published_by=statement.published_by,
        versions=versions,
        comments=tuple(comment_of(c, numbers, names) for c in record.comments),
        approvals=tuple(approval_of(a, numbers, names) for a in record.approvals),
        actions=actions_for(record, viewer),
    )


def summary_of(listing: StatementListing, every: Sequence[DelegationRow]) -> StatementSummary:
    approved, awaiting = _standing(listing.statement, every, listing.approved_by, listing.papers)
    return StatementSummary(
        **_summary_fields(listing.statement, listing.meeting_id, listing.version),
        approved_by=approved,
        awaiting=awaiting,
    )


class _SummaryFields(TypedDict):
    id: int
    title: str
    status: StatementStatus
    meeting_id: int | None
    classification: Classification
    owner_party: str | None
    created_by: str
    created_at: dt.datetime
    version: int
    text: str
    sha256: str
    issued_at: dt.datetime | None
    published_at: dt.datetime | None


def _summary_fields(
    statement: StatementRow, meeting_id: int | None, version: VersionRow
) -> _SummaryFields:
    return {
        "id": statement.id,
        "title": statement.title,
        "status": StatementStatus(statement.status),
        "meeting_id": meeting_id,
        "classification": statement.classification,
        "owner_party": statement.owner_party,
        "created_by": statement.created_by,
        "created_at": statement.created_at,
        "version": version.number,
        "text": version.text,
        "sha256": statement.issued_sha256 or version.sha256,
        "issued_at": statement.issued_at,
        "published_at": statement.published_at,
    }


def _standing(
    statement: StatementRow,
    every: Sequence[DelegationRow],
    approved_ids: Sequence[int],
    papers: bool,
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(approved by, awaiting): names of delegations, for those who see the drafts."""
    if not papers:
        return (), ()
    names = {d.id: d.name for d in every}
    approved = tuple(names.get(pk, f"delegation {pk}") for pk in approved_ids)
    awaiting: tuple[str, ...] = ()
    if statement.status == StatementStatus.DRAFT.value:
        awaiting = tuple(
            d.name for d in required_delegations(statement, every) if d.id not in approved_ids
        )
    return approved, awaiting


def _shown_version(statement: StatementRow, versions: Sequence[VersionRow]) -> VersionRow:
    for version in versions:
        if version.id == statement.issued_version_id:
            return version
    return versions[-1]


def _version_of(row: VersionRow, papers: bool) -> StatementVersion:
    return StatementVersion(
        id=row.id,
        number=row.number,
        text=row.text,
        sha256=row.sha256,
        note=row.note if papers else None,  # what changed tells of the drafts
        created_by=row.created_by,
        created_at=row.created_at,
    )


def comment_of(
    row: CommentRow, numbers: Mapping[int, int], names: Mapping[int, DelegationRow]
) -> StatementComment:
    return StatementComment(
        id=row.id,
        statement_id=row.statement_id,
        version=numbers[row.version_id],
        delegation_id=row.delegation_id,
        delegation=_name(names, row.delegation_id),
        text=row.text,
        created_by=row.created_by,
        created_at=row.created_at,
        classification=row.classification,
        owner_party=row.owner_party,
    )


def approval_of(
    row: ApprovalRow, numbers: Mapping[int, int], names: Mapping[int, DelegationRow]
) -> StatementApproval:
    return StatementApproval(
        id=row.id,
        statement_id=row.statement_id,
        version=numbers[row.version_id],
        delegation_id=row.delegation_id,
        delegation=_name(names, row.delegation_id),
        approved_by=row.created_by,
        approved_at=row.created_at,
        withdrawn_by=row.withdrawn_by,
        withdrawn_at=row.withdrawn_at,
    )


def _name(names: Mapping[int, DelegationRow], delegation_id: int) -> str:
    found = names.get(delegation_id)
    return found.name if found is not None else f"delegation {delegation_id}"
