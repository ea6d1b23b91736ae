"""Joint statements on a real store (SQLite and PostgreSQL): drafted in versions, commented
on by each delegation, approved by both party delegations, issued with the text frozen by its
SHA-256, published; who may do what, who sees what, and that nothing changes after issue."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from builders import SYSTEM
from truce.committee.delegations import DelegationKind, NewDelegation, add_delegation
from truce.committee.statements import (
    NewStatement,
    StatementAction,
    StatementStatus,
    add_version,
    approve_statement,
    check_statement,
    comment_on_statement,
    draft_statement,
    get_statement,
    issue_statement,
    list_statements,
    publish_statement,
    share_statement,
    statement_sha256,
    verify_statement,
    withdraw_approval,
)
from truce.core.access import Classification, Principal, Role, Scope
from truce.core.errors import (
    ConflictError,
    InputError,
    IntegrityError,
    NotFoundError,
    PermissionDeniedError,
)
from truce.security.audit import verify_chain
from truce.store import Store
from truce.store.audit import read_chain
from truce.store.committee_schema import (
    meetings,
    statement_approvals,
    statement_comments,
    statement_versions,
    statements,
)
from truce.store.schema import audit_log

CHAIR = Principal(name="chair", role=Role.CHAIR)
ISRAEL = Principal(name="delegate-israel", role=Role.DELEGATE, party="israel")
LEBANON = Principal(name="delegate-lebanon", role=Role.DELEGATE, party="lebanon")
LEBANON_READ_ONLY = Principal(
    name="delegate-lebanon-token",
    role=Role.DELEGATE,
    party="lebanon",
    scopes=frozenset({Scope.READ}),
)
MONITOR = Principal(name="monitor", role=Role.MONITOR)
OBSERVER = Principal(name="observer", role=Role.OBSERVER)
PUBLIC = Principal.public()

DRAFT_1 = (
    "The Mechanism met in Naqoura on 19 December 2025 with civilian envoys of both countries. "
    "The parties agreed to reconvene before the new year."
)
DRAFT_2 = (
    "The Mechanism met in Naqoura on 19 December 2025 with civilian envoys of both countries. "
    "The parties discussed economic cooperation and agreed to reconvene before the new year "
    "with proposals for recovery and confidence-building."
)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as opened:
        yield opened


@pytest.fixture
def delegations(store: Store) -> dict[str, int]:
    """Both party delegations, the chair's, and an observer, through the delegations library."""
    made = {}
    for kind, name, party in (
        (DelegationKind.PARTY, "Israel", "israel"),
        (DelegationKind.PARTY, "Lebanon", "lebanon"),
        (DelegationKind.CHAIR, "Chair", None),
        (DelegationKind.OBSERVER, "France", None),
    ):
        made[name] = add_delegation(
            store, NewDelegation(kind=kind, name=name, party=party), by=SYSTEM
        ).id
    return made


def draft(store: Store, **fields: object) -> int:
    values: dict[str, object] = {
        "title": "Joint statement on the meeting of 19 December",
        "text": DRAFT_1,
        "note": "first draft",
    }
    values.update(fields)
    return draft_statement(store, NewStatement(**values), by=CHAIR).id  # type: ignore[arg-type]


def approved_by_both(store: Store, statement_id: int) -> None:
    approve_statement(store, statement_id, by=LEBANON)
    approve_statement(store, statement_id, by=ISRAEL)


def audit_rows(store: Store, prefix: str) -> list[sa.RowMapping]:
    statement = (
        sa.select(audit_log).where(audit_log.c.action.like(f"{prefix}%")).order_by(audit_log.c.seq)
    )
    with store.reading("test") as connection:
        return list(connection.execute(statement).mappings())


def count(store: Store, table: sa.Table) -> int:
    with store.reading("test") as connection:
        return connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()


def test_the_whole_flow_from_draft_to_publication(
    store: Store, delegations: dict[str, int]
) -> None:
    statement_id = draft(store)
    drafted = get_statement(store, statement_id, viewer=LEBANON)
    assert (drafted.status, drafted.version, drafted.text) == (StatementStatus.DRAFT, 1, DRAFT_1)
    assert drafted.sha256 == hashlib.sha256(DRAFT_1.encode()).hexdigest()
    assert drafted.awaiting == ("Israel", "Lebanon")
    assert drafted.actions == (StatementAction.COMMENT, StatementAction.APPROVE)
    with pytest.raises(NotFoundError):  # a draft is the committee's
        get_statement(store, statement_id, viewer=PUBLIC)

    comment = comment_on_statement(
        store, statement_id, "Name the economic talks, and the proposals we bring.", by=LEBANON
    )
    assert (comment.delegation, comment.version, comment.created_by) == (
        "Lebanon",
        1,
        "delegate-lebanon",
    )
    assert (comment.classification, comment.owner_party) == (Classification.COMMITTEE, "lebanon")

    revised = add_version(store, statement_id, DRAFT_2, by=CHAIR, note="Lebanon's comment")
    assert (revised.version, revised.text) == (2, DRAFT_2)
    assert [v.number for v in revised.versions] == [1, 2]

    first = approve_statement(store, statement_id, by=LEBANON, version=2)
    assert (first.delegation, first.version, first.approved_by) == (
        "Lebanon",
        2,
        "delegate-lebanon",
    )
    assert get_statement(store, statement_id, viewer=CHAIR).awaiting == ("Israel",)
    approve_statement(store, statement_id, by=ISRAEL, version=2)

    issued = issue_statement(store, statement_id, by=CHAIR)
    assert issued.status is StatementStatus.ISSUED
    assert (issued.issued_version, issued.issued_by) == (2, "chair")
    assert issued.issued_sha256 == hashlib.sha256(DRAFT_2.encode()).hexdigest()
    assert (issued.text, issued.sha256) == (DRAFT_2, issued.issued_sha256)
    assert issued.awaiting == ()
    assert issued.actions == (StatementAction.PUBLISH,)
    assert sorted(issued.approved_by) == ["Israel", "Lebanon"]
    with pytest.raises(NotFoundError):  # issued, but not yet public
        get_statement(store, statement_id, viewer=PUBLIC)

    published = publish_statement(store, statement_id, by=CHAIR)
    assert published.status is StatementStatus.PUBLISHED
    assert published.classification is Classification.PUBLIC
    assert published.published_by == "chair"

    # the public: the issued text and its hash, never the drafts, comments or approvals
    public = get_statement(store, statement_id, viewer=PUBLIC)
    assert (public.text, public.sha256, public.issued_sha256) == (
        DRAFT_2,
        issued.issued_sha256,
        issued.issued_sha256,
    )
    assert [(v.number, v.text, v.note) for v in public.versions] == [(2, DRAFT_2, None)]
    assert (public.comments, public.approvals, public.approved_by, public.actions) == (
        (),
        (),
        (),
        (),
    )
    assert DRAFT_1 not in json.dumps([str(field) for field in vars(public).values()])
    page = list_statements(store, viewer=PUBLIC)
    assert [(item.id, item.text, item.approved_by) for item in page.items] == [
        (statement_id, DRAFT_2, ())
    ]
    # the committee still reads the drafts and comments of the published statement
    committee = get_statement(store, statement_id, viewer=OBSERVER)
    assert [v.text for v in committee.versions] == [DRAFT_1, DRAFT_2]
    assert [c.text for c in committee.comments] == [comment.text]
    assert verify_statement(store, statement_id, viewer=PUBLIC).checked == (2,)
    assert verify_statement(store, statement_id, viewer=CHAIR).checked == (1, 2)

    # every step is in the audit, naming who took it, and the chain verifies
    actions = [(row["action"], row["actor"]) for row in audit_rows(store, "statement.")]
    assert actions == [
        ("statement.draft", "chair"),
        ("statement.version", "chair"),
        ("statement.comment", "delegate-lebanon"),
        ("statement.version", "chair"),
        ("statement.approve", "delegate-lebanon"),
        ("statement.approve", "delegate-israel"),
        ("statement.issue", "chair"),
        ("statement.publish", "chair"),
    ]
    issue_entry = audit_rows(store, "statement.issue")[0]
    assert json.loads(issue_entry["detail"])["status"] == {"was": "draft", "now": "issued"}
    report = verify_chain(read_chain(store))
    assert report.ok, report.problem


def test_a_new_version_voids_earlier_approvals(store: Store, delegations: dict[str, int]) -> None:
    statement_id = draft(store)
    approved_by_both(store, statement_id)
    assert get_statement(store, statement_id, viewer=CHAIR).awaiting == ()

    revised = add_version(store, statement_id, DRAFT_2, by=CHAIR)
    assert revised.awaiting == ("Israel", "Lebanon")
    assert revised.approved_by == ()
    # the approvals of version 1 are kept, as approvals of version 1
    assert [(a.delegation, a.version, a.active) for a in revised.approvals] == [
        ("Lebanon", 1, True),
        ("Israel", 1, True),
    ]
    with pytest.raises(ConflictError, match="version 2 is not approved by Israel, Lebanon"):
        issue_statement(store, statement_id, by=CHAIR)
    # approving what one read before the new version is refused, not counted for version 2
    with pytest.raises(ConflictError, match="version 1 is no longer the current one"):
        approve_statement(store, statement_id, by=ISRAEL, version=1)
    assert get_statement(store, statement_id, viewer=CHAIR).status is StatementStatus.DRAFT


def test_issuing_needs_every_party_delegation(store: Store, delegations: dict[str, int]) -> None:
    statement_id = draft(store)
    with pytest.raises(ConflictError, match=r"not approved by Israel, Lebanon$"):
        issue_statement(store, statement_id, by=CHAIR)

    approve_statement(store, statement_id, by=LEBANON)
    with pytest.raises(ConflictError) as refused:
        issue_statement(store, statement_id, by=CHAIR)
    assert str(refused.value) == (
        f"statement {statement_id} cannot be issued: version 1 is not approved by Israel "
        "(approved by Lebanon)"
    )

    approve_statement(store, statement_id, by=ISRAEL)
    withdrawn = withdraw_approval(store, statement_id, by=ISRAEL)
    assert (withdrawn.withdrawn_by, withdrawn.active) == ("delegate-israel", False)
    with pytest.raises(ConflictError, match="not approved by Israel"):
        issue_statement(store, statement_id, by=CHAIR)
    with pytest.raises(ConflictError, match="Israel has not approved version 1"):
        withdraw_approval(store, statement_id, by=ISRAEL)

    # the chair records a delegation's word given at the table; approving twice is once
    on_behalf = approve_statement(
        store, statement_id, by=CHAIR, delegation_id=delegations["Israel"]
    )
    again = approve_statement(store, statement_id, by=ISRAEL)
    assert again.id == on_behalf.id
    assert on_behalf.approved_by == "chair"
    assert issue_statement(store, statement_id, by=CHAIR).status is StatementStatus.ISSUED
    assert [row["actor"] for row in audit_rows(store, "statement.approve")] == [
        "delegate-lebanon",
        "delegate-israel",
        "chair",
    ]
    assert len(audit_rows(store, "statement.approval.withdraw")) == 1


def test_no_party_delegation_no_issue(store: Store) -> None:
    statement_id = draft(store)
    with pytest.raises(ConflictError, match="no party delegation is registered"):
        issue_statement(store, statement_id, by=CHAIR)
    with pytest.raises(ConflictError, match="no delegation of lebanon is registered"):
        approve_statement(store, statement_id, by=LEBANON)


def test_a_delegate_approves_only_for_its_own_party(
    store: Store, delegations: dict[str, int]
) -> None:
    statement_id = draft(store)
    with pytest.raises(
        PermissionDeniedError, match="delegate of israel and may not approve for Lebanon"
    ):
        approve_statement(store, statement_id, by=ISRAEL, delegation_id=delegations["Lebanon"])
    with pytest.raises(PermissionDeniedError, match="may not comment for Israel"):
        comment_on_statement(
            store, statement_id, "In Israel's name", by=LEBANON, delegation_id=delegations["Israel"]
        )
    for someone in (MONITOR, OBSERVER, LEBANON_READ_ONLY):
        with pytest.raises(PermissionDeniedError, match="may not approve"):
            approve_statement(store, statement_id, by=someone)
    with pytest.raises(NotFoundError):  # the public does not even see the draft
        approve_statement(store, statement_id, by=PUBLIC)
    with pytest.raises(InputError, match="delegation_id: name the delegation"):
        approve_statement(store, statement_id, by=CHAIR)
    with pytest.raises(InputError, match="France is not a party's delegation"):
        approve_statement(store, statement_id, by=CHAIR, delegation_id=delegations["France"])
    with pytest.raises(PermissionDeniedError, match="may not add-version"):
        add_version(store, statement_id, DRAFT_2, by=LEBANON)
    with pytest.raises(PermissionDeniedError, match="may not issue statement"):
        issue_statement(store, statement_id, by=LEBANON)
    with pytest.raises(PermissionDeniedError, match="may not draft statements"):
        draft_statement(store, NewStatement(title="Ours", text="Our text"), by=LEBANON)
    assert count(store, statement_approvals) == 0
    assert count(store, statement_comments) == 0
    assert get_statement(store, statement_id, viewer=CHAIR).awaiting == ("Israel", "Lebanon")


def test_a_restricted_comment_is_kept_from_the_other_party(
    store: Store, delegations: dict[str, int]
) -> None:
    statement_id = draft(store)
    private = comment_on_statement(
        store,
        statement_id,
        "We cannot accept the date; we will say so at the table.",
        by=ISRAEL,
        classification=Classification.RESTRICTED,
    )
    shared = comment_on_statement(store, statement_id, "Agreed in substance.", by=ISRAEL)
    chairs = comment_on_statement(
        store,
        statement_id,
        "Note for the file.",
        by=CHAIR,
        delegation_id=delegations["Chair"],
        classification=Classification.RESTRICTED,
    )
    assert (private.classification, private.owner_party) == (Classification.RESTRICTED, "israel")
    seen = {
        who.name: [c.id for c in get_statement(store, statement_id, viewer=who).comments]
        for who in (CHAIR, ISRAEL, LEBANON, OBSERVER)
    }
    assert seen == {
        "chair": [private.id, shared.id, chairs.id],
        "delegate-israel": [private.id, shared.id],
        "delegate-lebanon": [shared.id],
        "observer": [shared.id],
    }
    with pytest.raises(InputError, match="classification"):
        comment_on_statement(
            store, statement_id, "For all", by=ISRAEL, classification=Classification.PUBLIC
        )
    with pytest.raises(InputError, match=r"version: statement .* has versions 1 to 1, not 3"):
        comment_on_statement(store, statement_id, "On a later text", by=ISRAEL, version=3)


def test_nothing_changes_after_issue(store: Store, delegations: dict[str, int]) -> None:
    statement_id = draft(store)
    approved_by_both(store, statement_id)
    issue_statement(store, statement_id, by=CHAIR)
    refused = [
        lambda: add_version(store, statement_id, DRAFT_2, by=CHAIR),
        lambda: comment_on_statement(store, statement_id, "Too late", by=LEBANON),
        lambda: approve_statement(store, statement_id, by=LEBANON),
        lambda: withdraw_approval(store, statement_id, by=ISRAEL),
        lambda: issue_statement(store, statement_id, by=CHAIR),
    ]
    for attempt in refused:
        with pytest.raises(ConflictError, match=r"is issued: .* its text is frozen"):
            attempt()
    publish_statement(store, statement_id, by=CHAIR)
    with pytest.raises(ConflictError, match=r"is published: it cannot publish; .*nothing may"):
        publish_statement(store, statement_id, by=CHAIR)
    with pytest.raises(ConflictError, match="is published: it cannot add-version"):
        add_version(store, statement_id, DRAFT_2, by=CHAIR)
    assert count(store, statement_versions) == 1
    assert count(store, statement_comments) == 0
    assert count(store, statement_approvals) == 2
    assert get_statement(store, statement_id, viewer=CHAIR).approvals[-1].withdrawn_at is None


def test_tampering_with_the_stored_text_is_detected(
    store: Store, delegations: dict[str, int]
) -> None:
    statement_id = draft(store)
    approved_by_both(store, statement_id)
    issued = issue_statement(store, statement_id, by=CHAIR)
    publish_statement(store, statement_id, by=CHAIR)
    assert check_statement(store, statement_id, viewer=PUBLIC).intact

    # someone with the database edits the issued text behind truce's back
    with store.transaction(by=SYSTEM) as batch:
        batch.connection.execute(
            sa.update(statement_versions)
            .where(statement_versions.c.statement_id == statement_id)
            .values(text=DRAFT_1.replace("before the new year", "in the spring"))
        )
    for viewer in (PUBLIC, CHAIR):
        with pytest.raises(IntegrityError, match="stored text of version 1 does not match"):
            verify_statement(store, statement_id, viewer=viewer)
    check = check_statement(store, statement_id, viewer=PUBLIC)
    assert not check.intact
    assert len(check.problems) == 2  # the version's own hash, and the one recorded at issue
    assert issued.issued_sha256 is not None
    assert issued.issued_sha256 in check.problems[1]

    # the hash recorded at issue edited to match a new text is caught against the version's
    with store.transaction(by=SYSTEM) as batch:
        batch.connection.execute(
            sa.update(statements)
            .where(statements.c.id == statement_id)
            .values(issued_sha256=statement_sha256("another text"))
        )
        batch.connection.execute(
            sa.update(statement_versions)
            .where(statement_versions.c.statement_id == statement_id)
            .values(text="another text")
        )
    with pytest.raises(IntegrityError, match="version 1 does not match its SHA-256"):
        verify_statement(store, statement_id, viewer=CHAIR)


def test_a_tampered_draft_is_not_issued(store: Store, delegations: dict[str, int]) -> None:
    statement_id = draft(store)
    approved_by_both(store, statement_id)
    with store.transaction(by=SYSTEM) as batch:
        batch.connection.execute(sa.update(statement_versions).values(text="Not what was approved"))
    with pytest.raises(IntegrityError, match="no longer matches its SHA-256; it is not issued"):
        issue_statement(store, statement_id, by=CHAIR)
    assert get_statement(store, statement_id, viewer=CHAIR).status is StatementStatus.DRAFT


def test_a_restricted_statement_is_one_party_s(store: Store, delegations: dict[str, int]) -> None:
    statement_id = draft(
        store,
        title="Note to the Lebanese delegation",
        classification=Classification.RESTRICTED,
        owner_party="lebanon",
    )
    committee_id = draft(store, title="For everyone")
    for hidden in (
        lambda: get_statement(store, statement_id, viewer=ISRAEL),
        lambda: approve_statement(store, statement_id, by=ISRAEL),
        lambda: comment_on_statement(store, statement_id, "What is this?", by=ISRAEL),
        lambda: check_statement(store, statement_id, viewer=OBSERVER),
    ):
        with pytest.raises(NotFoundError, match=f"no statement with id {statement_id}"):
            hidden()
    assert [s.id for s in list_statements(store, viewer=ISRAEL).items] == [committee_id]
    assert list_statements(store, viewer=ISRAEL).total == 1
    assert [s.id for s in list_statements(store, viewer=LEBANON).items] == [
        committee_id,
        statement_id,
    ]
    # only the party that sees it approves it; the chair may not approve it for Israel
    assert get_statement(store, statement_id, viewer=LEBANON).awaiting == ("Lebanon",)
    with pytest.raises(ConflictError, match="restricted to lebanon: Israel does not approve it"):
        approve_statement(store, statement_id, by=CHAIR, delegation_id=delegations["Israel"])
    approve_statement(store, statement_id, by=LEBANON)
    assert issue_statement(store, statement_id, by=CHAIR).status is StatementStatus.ISSUED
    with pytest.raises(ConflictError, match="only a committee statement is published"):
        publish_statement(store, statement_id, by=CHAIR)
    chairs_own = draft(store, title="Chair's note", classification=Classification.RESTRICTED)
    assert get_statement(store, chairs_own, viewer=CHAIR).awaiting == ()
    with pytest.raises(ConflictError, match="no party delegation may see it"):
        issue_statement(store, chairs_own, by=CHAIR)
    for delegate in (ISRAEL, LEBANON):
        with pytest.raises(NotFoundError):
            get_statement(store, chairs_own, viewer=delegate)


def test_a_restricted_draft_shared_with_the_committee_needs_both_approvals(
    store: Store, delegations: dict[str, int]
) -> None:
    statement_id = draft(
        store,
        title="Lebanese draft on returns",
        classification=Classification.RESTRICTED,
        owner_party="lebanon",
    )
    kept = comment_on_statement(
        store, statement_id, "Our own remark", by=LEBANON, classification=Classification.RESTRICTED
    )
    approve_statement(store, statement_id, by=LEBANON)
    assert StatementAction.SHARE in get_statement(store, statement_id, viewer=CHAIR).actions
    assert StatementAction.SHARE not in get_statement(store, statement_id, viewer=LEBANON).actions
    for refused_by in (LEBANON, ISRAEL, MONITOR):
        with pytest.raises((PermissionDeniedError, NotFoundError)):
            share_statement(store, statement_id, by=refused_by)
    shared = share_statement(store, statement_id, by=CHAIR)
    assert (shared.classification, shared.owner_party) == (Classification.COMMITTEE, None)
    assert StatementAction.SHARE not in shared.actions
    # Israel now sees the draft (not Lebanon's restricted comment) and must approve it too
    seen = get_statement(store, statement_id, viewer=ISRAEL)
    assert kept.id not in {c.id for c in seen.comments}
    assert seen.awaiting == ("Israel",)
    with pytest.raises(ConflictError, match="not approved by Israel"):
        issue_statement(store, statement_id, by=CHAIR)
    with pytest.raises(ConflictError, match="is committee: it is shared already"):
        share_statement(store, statement_id, by=CHAIR)
    approve_statement(store, statement_id, by=ISRAEL)
    issue_statement(store, statement_id, by=CHAIR)
    with pytest.raises(ConflictError, match="is issued: it cannot share"):
        share_statement(store, statement_id, by=CHAIR)
    published = publish_statement(store, statement_id, by=CHAIR)
    assert published.classification is Classification.PUBLIC
    [entry] = audit_rows(store, "statement.share")
    assert (entry["actor"], entry["entity_id"]) == ("chair", str(statement_id))
    report = verify_chain(read_chain(store))
    assert report.ok, report.problem


def test_drafting_checks_its_input(store: Store, delegations: dict[str, int]) -> None:
    with pytest.raises(InputError, match=r"classification: .*publishing it makes it public"):
        draft(store, classification=Classification.PUBLIC)
    with pytest.raises(InputError, match=r"owner_party: .*restricted statement only"):
        draft(store, owner_party="israel")
    with pytest.raises(InputError, match="text: must not be empty"):
        draft(store, text="  \n ")
    with pytest.raises(InputError, match="title: is longer than 300"):
        draft(store, title="x" * 301)
    with pytest.raises(NotFoundError, match="no meeting with id 4242"):
        draft(store, meeting_id=4242)
    with pytest.raises(InputError, match="status: 'final' is not a status"):
        list_statements(store, viewer=CHAIR, status="final")
    with pytest.raises(InputError, match="limit"):
        list_statements(store, viewer=CHAIR, limit=0)
    assert count(store, statements) == 0
    # the text is stored as given but for its line ends and surrounding blanks: what is hashed
    statement_id = draft(store, text="  Line one.\r\nLine two.\n")
    view = get_statement(store, statement_id, viewer=CHAIR)
    assert view.text == "Line one.\nLine two."
    assert view.sha256 == hashlib.sha256(b"Line one.\nLine two.").hexdigest()
    # the current text again is no new version (a re-run changes nothing)
    again = add_version(store, statement_id, "Line one.\r\nLine two.  ", by=CHAIR)
    assert [v.number for v in again.versions] == [1]
    assert len(audit_rows(store, "statement.version")) == 1


def test_statements_of_a_meeting_follow_the_meeting_s_access(
    store: Store, delegations: dict[str, int]
) -> None:
    israel_only = _meeting(store, Classification.RESTRICTED, "israel")
    shared = _meeting(store, Classification.COMMITTEE, None)
    of_restricted = draft(store, title="After the Israeli briefing", meeting_id=israel_only)
    of_shared = draft(store, title="After the plenary", meeting_id=shared)
    assert get_statement(store, of_restricted, viewer=ISRAEL).meeting_id == israel_only
    # Lebanon sees the committee statement, not the meeting it was drafted at
    assert get_statement(store, of_restricted, viewer=LEBANON).meeting_id is None
    assert list_statements(store, viewer=LEBANON, meeting_id=israel_only).total == 0
    by_meeting = list_statements(store, viewer=ISRAEL, meeting_id=shared)
    assert [s.id for s in by_meeting.items] == [of_shared]
    assert list_statements(store, viewer=CHAIR, status="draft").total == 2
    assert list_statements(store, viewer=CHAIR, status="issued").total == 0


def _meeting(store: Store, classification: Classification, owner: str | None) -> int:
    """A meetings row written straight (the meetings library is tested on its own)."""
    now = dt.datetime.now(dt.UTC)
    with store.transaction(by=SYSTEM) as batch:
        meeting_id: int = batch.connection.execute(
            sa.insert(meetings)
            .values(
                title="Mechanism meeting",
                starts_at=now,
                tracks=["civilian"],
                status="scheduled",
                uid=uuid.uuid4().hex,
                created_by=SYSTEM.name,
                created_at=now,
                classification=classification.value,
                owner_party=owner,
            )
            .returning(meetings.c.id)
        ).scalar_one()
    return meeting_id
