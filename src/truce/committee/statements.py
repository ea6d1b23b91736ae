"""Joint statements: drafted in versions, commented on by each delegation, approved by every
party delegation, issued with the text frozen by its SHA-256, and published.

::

                 issue (the chair, once every party               publish
      draft ──── delegation approved the current version) ───▶ issued ──────────▶ published
        │                                                               (the chair)
        └── while drafted: new versions (the chair), comments and approvals (a delegate for
            its own party's delegation; the chair for any), approvals withdrawn

Who may do what:

    draft, add a version,    the chair (or the system). A statement is drafted for the
    share, issue, publish    committee, or restricted to a party (or to the chair alone);
                             publishing makes it public, so only a committee statement is:
                             sharing opens a restricted draft to the committee.
    comment                  a delegate, for its own party's delegation, on any version; the
                             chair, for any delegation. A comment is shared with the committee
                             or restricted to the delegation's party and the chair.
    approve, withdraw        a delegate, for its own party's delegation; the chair, recording
                             a delegation's word. Approvals are of the current version: a new
                             version needs them again, and earlier ones do not count for it.

Issuing needs the approval of the current version by every party delegation that may see the
statement (all of them, for a committee statement); it freezes that version: its id and the
SHA-256 of its text as stored. Nothing of an issued statement changes after (ConflictError);
`verify_statement` re-hashes the stored text and raises IntegrityError if it no longer
matches. The public sees a published statement's issued text and hash, never its drafts,
comments or approvals (`truce.store.statements`).

Every operation first reads the statement as its actor sees it: one the actor may not see is
`NotFoundError`, like a missing one. Every row written records an audit entry naming who.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from truce.committee.statement_records import (
    ALLOWED,
    DELEGATE_ACTIONS,
    NewStatement,
    StatementAction,
    StatementApproval,
    StatementCheck,
    StatementComment,
    StatementPage,
    StatementStatus,
    StatementSummary,
    StatementVersion,
    StatementView,
    approval_of,
    comment_of,
    is_chair,
    party_delegations,
    party_sees,
    required_delegations,
    statement_sha256,
    summary_of,
    view_of,
    writes,
)
from truce.core.access import Classification, Principal, Role
from truce.core.errors import (
    ConflictError,
    InputError,
    IntegrityError,
    NotFoundError,
    PermissionDeniedError,
)
from truce.store import Batch, Store
from truce.store.statements import (
    ApprovalRow,
    DelegationRow,
    NewStatementRow,
    StatementFilter,
    StatementRow,
    VersionRow,
    active_approvals_in_batch,
    delegations_in_batch,
    insert_approval,
    insert_comment,
    insert_statement,
    insert_version,
    mark_issued,
    mark_published,
    mark_shared,
    meeting_visible_in_batch,
    read_statement,
    read_statement_page,
    statement_in_batch,
    versions_in_batch,
    withdraw_approval_row,
)

__all__ = [
    "ALLOWED",
    "MAX_PAGE",
    "NewStatement",
    "StatementAction",
    "StatementApproval",
    "StatementCheck",
    "StatementComment",
    "StatementPage",
    "StatementStatus",
    "StatementSummary",
    "StatementVersion",
    "StatementView",
    "add_version",
    "approve_statement",
    "check_statement",
    "comment_on_statement",
    "draft_statement",
    "get_statement",
    "issue_statement",
    "list_statements",
    "publish_statement",
    "statement_sha256",
    "verify_statement",
    "withdraw_approval",
]

MAX_PAGE = 500
MAX_TITLE = 300
MAX_TEXT = 50_000
MAX_NOTE = 2_000
MAX_COMMENT = 20_000
MAX_NAME = 64


# --- writing --------------------------------------------------------------------------------


def draft_statement(store: Store, new: NewStatement, *, by: Principal) -> StatementView:
    """Draft a statement with its first version (the chair); the statement as `by` sees it.
    InputError for a public one (publishing makes it public) or an owner party without
    restriction; NotFoundError for a meeting `by` may not see."""
    _check_chair(by, "draft statements")
    title = _text(new.title, "title", MAX_TITLE)
    text = _statement_text(new.text)
    note = _optional(new.note, "note", MAX_NOTE)
    classification = _classification(new.classification, "classification")
    owner = _optional(new.owner_party, "owner_party", MAX_NAME)
    if classification is Classification.PUBLIC:
        raise InputError(
            "a statement is drafted for the committee (or restricted); publishing it makes "
            "it public",
            source="classification",
        )
    if owner is not None and classification is not Classification.RESTRICTED:
        raise InputError(
            "an owner party is given to a restricted statement only", source="owner_party"
        )
    by.check_may_create(classification, owner)
    now = _now()
    with store.transaction(by=by) as batch:
        if new.meeting_id is not None and not meeting_visible_in_batch(batch, new.meeting_id):
            raise NotFoundError(f"no meeting with id {new.meeting_id}")
        statement_id = insert_statement(
            batch,
            NewStatementRow(
                title=title,
                meeting_id=new.meeting_id,
                status=StatementStatus.DRAFT.value,
                created_at=now,
                classification=classification,
                owner_party=owner,
            ),
        )
        insert_version(
            batch,
            statement_id,
            number=1,
            text=text,
            sha256=statement_sha256(text),
            note=note,
            at=now,
        )
    return get_statement(store, statement_id, viewer=by)


def add_version(
    store: Store, statement_id: int, text: str, *, by: Principal, note: str | None = None
) -> StatementView:
    """A new version of a drafted statement (the chair): the current one from now on, so
    every delegation's approval is needed again. The current text given again changes
    nothing."""
    text = _statement_text(text)
    note = _optional(note, "note", MAX_NOTE)
    with store.transaction(by=by) as batch:
        statement = _statement_for(batch, statement_id, StatementAction.ADD_VERSION)
        latest = versions_in_batch(batch, statement.id)[-1]
        if latest.text != text:  # the current text again (a re-run) is no new version
            insert_version(
                batch,
                statement.id,
                number=latest.number + 1,
                text=text,
                sha256=statement_sha256(text),
                note=note,
                at=_now(),
            )
    return get_statement(store, statement_id, viewer=by)


def comment_on_statement(
    store: Store,
    statement_id: int,
    text: str,
    *,
    by: Principal,
    delegation_id: int | None = None,
    version: int | None = None,
    classification: Classification = Classification.COMMITTEE,
) -> StatementComment:
    """A delegation's comment on a version (default: the current one) of a drafted statement:
    a delegate comments for its own party's delegation, the chair for the one it names.
    `classification`: committee, or restricted (the delegation's party and the chair)."""
    text = _text(text, "text", MAX_COMMENT)
    level = _classification(classification, "classification")
    if level is Classification.PUBLIC:
        raise InputError(
            "a comment is shared with the committee or restricted to its delegation's party",
            source="classification",
        )
    with store.transaction(by=by) as batch:
        statement = _statement_for(batch, statement_id, StatementAction.COMMENT)
        delegation = _acting_delegation(batch, by, delegation_id, StatementAction.COMMENT)
        by.check_may_create(level, delegation.party)
        versions = versions_in_batch(batch, statement.id)
        chosen = _version(statement, versions, version)
        row = insert_comment(batch, chosen, delegation, text=text, at=_now(), classification=level)
    return comment_of(row, {chosen.id: chosen.number}, {delegation.id: delegation})


def approve_statement(
    store: Store,
    statement_id: int,
    *,
    by: Principal,
    delegation_id: int | None = None,
    version: int | None = None,
) -> StatementApproval:
    """Approve the current version of a drafted statement for a party delegation: a
    delegate for its own party's, the chair for the one it names. `version`, if given, must
    be the current one (ConflictError: a newer was added since it was read). Approving again
    changes nothing and returns the approval given."""
    with store.transaction(by=by) as batch:
        statement = _statement_for(batch, statement_id, StatementAction.APPROVE)
        delegation = _acting_delegation(batch, by, delegation_id, StatementAction.APPROVE)
        _check_party_delegation(statement, delegation)
        versions = versions_in_batch(batch, statement.id)
        current = versions[-1]
        if version is not None and version != current.number:
            _version(statement, versions, version)  # a number it never had: InputError
            raise ConflictError(
                f"statement {statement.id}: version {version} is no longer the current one "
                f"(version {current.number} is); read it before approving"
            )
        given = [a for a in active_approvals_in_batch(batch, current.id) if _of(a, delegation)]
        row = given[0] if given else insert_approval(batch, current, delegation, at=_now())
    return approval_of(row, {current.id: current.number}, {delegation.id: delegation})


def withdraw_approval(
    store: Store,
    statement_id: int,
    *,
    by: Principal,
    delegation_id: int | None = None,
) -> StatementApproval:
    """Withdraw a delegation's approval of the current version of a drafted statement;
    ConflictError if it has not approved it."""
    with store.transaction(by=by) as batch:
        statement = _statement_for(batch, statement_id, StatementAction.WITHDRAW_APPROVAL)
        delegation = _acting_delegation(batch, by, delegation_id, StatementAction.WITHDRAW_APPROVAL)
        current = versions_in_batch(batch, statement.id)[-1]
        given = [a for a in active_approvals_in_batch(batch, current.id) if _of(a, delegation)]
        if not given:
            raise ConflictError(
                f"statement {statement.id}: {delegation.name} has not approved version "
                f"{current.number}, the current one: there is nothing to withdraw"
            )
        row = withdraw_approval_row(batch, given[0], delegation, at=_now())
    return approval_of(row, {current.id: current.number}, {delegation.id: delegation})


def issue_statement(store: Store, statement_id: int, *, by: Principal) -> StatementView:
    """Issue a drafted statement (the chair): ConflictError naming the party delegations
    that have not approved its current version; else that version is frozen, its SHA-256
    recorded (IntegrityError, nothing issued, if its stored text no longer matches the hash
    it was written with)."""
    with store.transaction(by=by) as batch:
        statement = _statement_for(batch, statement_id, StatementAction.ISSUE)
        current = versions_in_batch(batch, statement.id)[-1]
        required = required_delegations(statement, delegations_in_batch(batch))
        if not required:
            raise ConflictError(
                f"statement {statement.id} cannot be issued: no party delegation "
                + (
                    "may see it"
                    if party_delegations(delegations_in_batch(batch))
                    else "is registered to approve it"
                )
            )
        approved = {a.delegation_id for a in active_approvals_in_batch(batch, current.id)}
        missing = [d.name for d in required if d.id not in approved]
        if missing:
            done = [d.name for d in required if d.id in approved]
            raise ConflictError(
                f"statement {statement.id} cannot be issued: version {current.number} is not "
                f"approved by {', '.join(missing)}"
                + (f" (approved by {', '.join(done)})" if done else "")
            )
        sha = statement_sha256(current.text)
        if sha != current.sha256:
            raise IntegrityError(
                f"statement {statement.id}: the stored text of version {current.number} no "
                "longer matches its SHA-256; it is not issued"
            )
        mark_issued(
            batch, statement, current, status=StatementStatus.ISSUED.value, sha256=sha, at=_now()
        )
    return get_statement(store, statement_id, viewer=by)


def share_statement(store: Store, statement_id: int, *, by: Principal) -> StatementView:
    """Open a restricted draft to the whole committee (the chair), so that it can be issued
    with every party delegation's approval and later published; the statement as `by` now
    sees it. ConflictError once issued, or for one the committee already sees."""
    with store.transaction(by=by) as batch:
        statement = _statement_for(batch, statement_id, StatementAction.SHARE)
        if statement.classification is not Classification.RESTRICTED:
            raise ConflictError(
                f"statement {statement.id} is {statement.classification}: it is shared already"
            )
        mark_shared(batch, statement)
    return get_statement(store, statement_id, viewer=by)


def publish_statement(store: Store, statement_id: int, *, by: Principal) -> StatementView:
    """Publish an issued statement (the chair): classification public, so that anyone may
    read its issued text and hash. Only a committee statement is published (a restricted
    one's drafts are kept from the rest of the committee)."""
    with store.transaction(by=by) as batch:
        statement = _statement_for(batch, statement_id, StatementAction.PUBLISH)
        if statement.classification is not Classification.COMMITTEE:
            raise ConflictError(
                f"statement {statement.id} is restricted: only a committee statement is published"
            )
        mark_published(batch, statement, status=StatementStatus.PUBLISHED.value, at=_now())
    return get_statement(store, statement_id, viewer=by)


# --- reading --------------------------------------------------------------------------------


def get_statement(store: Store, statement_id: int, *, viewer: Principal) -> StatementView:
    """The statement as `viewer` sees it; NotFoundError if there is none or `viewer` may not
    see it."""
    record = read_statement(store, statement_id, viewer=viewer)
    return view_of(record, viewer)


def list_statements(
    store: Store,
    *,
    viewer: Principal,
    status: StatementStatus | str | None = None,
    meeting_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> StatementPage:
    """A page of the statements `viewer` may see, the last drafted first: in `status`; of
    `meeting_id` (none if `viewer` may not see that meeting)."""
    if not 1 <= limit <= MAX_PAGE:
        raise InputError(f"limit must be between 1 and {MAX_PAGE}, not {limit}", source="limit")
    if offset < 0:
        raise InputError(f"offset must not be negative, not {offset}", source="offset")
    chosen = None if status is None else _status(status)
    listings, total, every = read_statement_page(
        store,
        StatementFilter(
            status=None if chosen is None else chosen.value,
            meeting_id=meeting_id,
            limit=limit,
            offset=offset,
        ),
        viewer=viewer,
    )
    return StatementPage(
        items=[summary_of(listing, every) for listing in listings],
        total=total,
        limit=limit,
        offset=offset,
    )


def check_statement(store: Store, statement_id: int, *, viewer: Principal) -> StatementCheck:
    """Re-hash the stored text of every version `viewer` may see (the issued one alone for
    the public) and compare with the hashes recorded: each version's own, and the one
    recorded at issue. NotFoundError if `viewer` may not see the statement."""
    record = read_statement(store, statement_id, viewer=viewer)
    statement = record.statement
    problems = []
    for version in record.versions:
        if statement_sha256(version.text) != version.sha256:
            problems.append(
                f"the stored text of version {version.number} does not match its SHA-256 "
                f"{version.sha256}"
            )
    if statement.issued_version_id is not None:
        issued = [v for v in record.versions if v.id == statement.issued_version_id]
        if not issued:
            problems.append(f"the issued version (id {statement.issued_version_id}) is missing")
        elif statement_sha256(issued[0].text) != statement.issued_sha256:
            problems.append(
                f"the issued text (version {issued[0].number}) does not match the SHA-256 "
                f"recorded at issue, {statement.issued_sha256}"
            )
    return StatementCheck(
        statement_id=statement.id,
        title=statement.title,
        status=StatementStatus(statement.status),
        issued_sha256=statement.issued_sha256,
        checked=tuple(version.number for version in record.versions),
        problems=tuple(problems),
    )


def verify_statement(store: Store, statement_id: int, *, viewer: Principal) -> StatementCheck:
    """`check_statement`, raising IntegrityError naming every mismatch."""
    check = check_statement(store, statement_id, viewer=viewer)
    check.raise_if_broken()
    return check


# --- rules ----------------------------------------------------------------------------------


def _check_chair(by: Principal, what: str) -> None:
    if not (writes(by) and is_chair(by)):
        raise PermissionDeniedError(f"{by.name} ({by.role}) may not {what}: the chair does")


def _statement_for(batch: Batch, statement_id: int, action: StatementAction) -> StatementRow:
    """The statement, locked, if its status allows `action` (ConflictError naming the status
    and what it allows) and the batch's principal may take it (PermissionDeniedError)."""
    statement = statement_in_batch(batch, statement_id)
    by = batch.by
    status = StatementStatus(statement.status)
    if action not in ALLOWED[status]:
        allowed = ", ".join(ALLOWED[status])
        if status is StatementStatus.DRAFT:
            hint = f"allowed while drafted: {allowed}"
        else:
            hint = f"its text is frozen at issue (SHA-256 {statement.issued_sha256}); " + (
                f"allowed now: {allowed}" if allowed else "nothing may change"
            )
        raise ConflictError(f"statement {statement.id} is {status}: it cannot {action}; {hint}")
    if writes(by) and (is_chair(by) or (action in DELEGATE_ACTIONS and by.role is Role.DELEGATE)):
        return statement
    who = "a delegate for its party, or the chair" if action in DELEGATE_ACTIONS else "the chair"
    raise PermissionDeniedError(
        f"{by.name} ({by.role}) may not {action} statement {statement.id}: {who} may"
    )


def _acting_delegation(
    batch: Batch, by: Principal, delegation_id: int | None, action: StatementAction
) -> DelegationRow:
    """The delegation `by` acts for: a delegate's own party's delegation (another named is
    PermissionDeniedError); the one the chair names."""
    every = delegations_in_batch(batch)
    if by.role is Role.DELEGATE and not by.system:
        own = [d for d in party_delegations(every) if d.party == by.party]
        if not own:
            raise ConflictError(
                f"no delegation of {by.party} is registered: the chair adds it first"
            )
        if delegation_id is not None and delegation_id != own[0].id:
            # named only if the delegate may see that delegation
            other = next(
                (
                    d.name
                    for d in every
                    if d.id == delegation_id and by.may_see(d.classification, d.owner_party)
                ),
                f"delegation {delegation_id}",
            )
            raise PermissionDeniedError(
                f"{by.name} is a delegate of {by.party} and may not {action} for {other}"
            )
        return own[0]
    if delegation_id is None:
        raise InputError(f"name the delegation the chair's {action} is for", source="delegation_id")
    for delegation in every:
        if delegation.id == delegation_id:
            return delegation
    raise InputError(f"there is no delegation {delegation_id}", source="delegation_id")


def _check_party_delegation(statement: StatementRow, delegation: DelegationRow) -> None:
    if delegation.kind != "party" or delegation.party is None:
        raise InputError(
            f"{delegation.name} is not a party's delegation: only parties approve a statement",
            source="delegation_id",
        )
    if not party_sees(statement, delegation.party):
        raise ConflictError(
            f"statement {statement.id} is restricted to {statement.owner_party or 'the chair'}:"
            f" {delegation.name} does not approve it"
        )


def _of(approval: ApprovalRow, delegation: DelegationRow) -> bool:
    return approval.delegation_id == delegation.id


def _version(
    statement: StatementRow, versions: Sequence[VersionRow], number: int | None
) -> VersionRow:
    if number is None:
        return versions[-1]
    for version in versions:
        if version.number == number:
            return version
    raise InputError(
        f"statement {statement.id} has versions 1 to {versions[-1].number}, not {number}",
        source="version",
    )


# --- checking arguments ---------------------------------------------------------------------


def _status(status: StatementStatus | str) -> StatementStatus:
    try:
        return StatementStatus(status)
    except ValueError:
        choices = ", ".join(StatementStatus)
        raise InputError(f"{status!r} is not a status; one of {choices}", source="status") from None


def _classification(value: Classification | str, field: str) -> Classification:
    try:
        return Classification(value)
    except ValueError:
        choices = ", ".join(Classification)
        raise InputError(f"{value!r} is not one of {choices}", source=field) from None


def _statement_text(value: str) -> str:
    """The text as it will be stored and hashed: line ends as \\n, no surrounding blanks."""
    return _text(value.replace("\r\n", "\n").replace("\r", "\n"), "text", MAX_TEXT)


def _text(value: str, field: str, limit: int) -> str:
    text = value.strip()
    if not text:
        raise InputError("must not be empty", source=field)
    if len(text) > limit:
        raise InputError(f"is longer than {limit} characters", source=field)
    return text


def _optional(value: str | None, field: str, limit: int) -> str | None:
    if value is None or not value.strip():
        return None
    return _text(value, field, limit)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
