"""Proposals: the status machine (the table in truce.committee.proposals is the one written
out here, and every action it does not allow is refused with ConflictError, changing
nothing), who may make, move and withdraw them, the meetings that handled them, and who sees
which, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import pytest
from proposals_sample import (
    ADMIN,
    CHAIR,
    CHAIR_READ_ONLY,
    ISRAEL_DELEGATE,
    LEBANON_DELEGATE,
    LEBANON_READ_ONLY,
    MONITOR,
    OBSERVER,
    PUBLIC,
    add_meeting,
    add_sample_meetings,
    audit_entries,
    counts,
)

from builders import SYSTEM
from truce.committee import dashboard, proposals
from truce.committee.meetings import MeetingStatus
from truce.committee.proposals import (
    TRANSITIONS,
    NewProposal,
    ProposalAction,
    ProposalActor,
    ProposalKind,
    ProposalStatus,
    change_proposal,
    create_proposal,
    get_proposal,
    list_proposals,
)
from truce.core.access import Classification, Principal, Track
from truce.core.errors import ConflictError, InputError, NotFoundError, PermissionDeniedError
from truce.security.audit import verify_chain
from truce.store import Store
from truce.store.audit import read_chain
from truce.store.committee_schema import proposal_history

# Written from the plan, not from the module: (status, action) -> (target, who).
CHAIR_ONLY = {"chair"}
PROPOSER_OR_CHAIR = {"chair", "proposing party's delegate"}
EXPECTED = {
    ("draft", "table"): ("tabled", PROPOSER_OR_CHAIR),
    ("draft", "withdraw"): ("withdrawn", PROPOSER_OR_CHAIR),
    ("tabled", "discuss"): ("under-discussion", CHAIR_ONLY),
    ("tabled", "withdraw"): ("withdrawn", PROPOSER_OR_CHAIR),
    ("under-discussion", "agree"): ("agreed", CHAIR_ONLY),
    ("under-discussion", "reject"): ("rejected", CHAIR_ONLY),
    ("under-discussion", "withdraw"): ("withdrawn", PROPOSER_OR_CHAIR),
}
STATUSES = ("draft", "tabled", "under-discussion", "agreed", "rejected", "withdrawn")
ACTIONS = ("table", "discuss", "agree", "reject", "withdraw")
KINDS = (
    "economic-project",
    "reconstruction",
    "return-of-residents",
    "confidence-building",
    "other",
)
#: how to bring a new proposal to each status
PATHS: dict[str, tuple[str, ...]] = {
    "draft": (),
    "tabled": ("table",),
    "under-discussion": ("table", "discuss"),
    "agreed": ("table", "discuss", "agree"),
    "rejected": ("table", "discuss", "reject"),
    "withdrawn": ("withdraw",),
}

FARMLAND = NewProposal(
    title="Reopen farmland access along the Blue Line for the olive harvest",
    kind=ProposalKind.CONFIDENCE_BUILDING,
    summary="Escorted access for farmers of the border villages, announced a day ahead.",
    track=Track.CIVILIAN,
)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as opened:
        yield opened


def test_the_transition_table_is_the_one_of_the_plan() -> None:
    table = {
        (status.value, action.value): (rule.target.value, {str(who) for who in rule.by})
        for (status, action), rule in TRANSITIONS.items()
    }
    assert table == EXPECTED
    assert {status.value for status in ProposalStatus} == set(STATUSES)
    assert {action.value for action in ProposalAction} == set(ACTIONS)
    assert {kind.value for kind in ProposalKind} == set(KINDS)
    assert {str(actor) for actor in ProposalActor} == PROPOSER_OR_CHAIR


def proposal_in(store: Store, status: str, by: Principal = LEBANON_DELEGATE) -> int:
    made = create_proposal(store, FARMLAND, by=by)
    for action in PATHS[status]:
        change_proposal(store, made.id, action, by=CHAIR)
    assert get_proposal(store, made.id, viewer=CHAIR).status == status
    return made.id


@pytest.mark.parametrize("status", STATUSES)
def test_every_invalid_action_is_a_conflict_naming_status_and_allowed(
    store: Store, status: str
) -> None:
    proposal_id = proposal_in(store, status)
    invalid = [
        action for action in ProposalAction if (ProposalStatus(status), action) not in TRANSITIONS
    ]
    assert invalid == [action for action in ACTIONS if (status, action) not in EXPECTED]
    allowed = sorted(action for (source, action) in EXPECTED if source == status)
    before = counts(store, proposal_history)
    for action in invalid:
        with pytest.raises(ConflictError) as refused:
            change_proposal(store, proposal_id, action, by=CHAIR)
        message = str(refused.value)
        assert f"proposal {proposal_id} is {status}" in message
        assert f"cannot {action}" in message
        for name in allowed:
            assert name in message
        if not allowed:
            assert "final" in message
    assert counts(store, proposal_history) == before
    assert get_proposal(store, proposal_id, viewer=CHAIR).status == status


@pytest.mark.parametrize(("status", "action"), sorted(EXPECTED))
def test_every_valid_action_moves_the_proposal(store: Store, status: str, action: str) -> None:
    proposal_id = proposal_in(store, status)
    view = change_proposal(store, proposal_id, action, by=CHAIR, note=f"{action} it")
    assert view.status == EXPECTED[status, action][0]
    last = view.history[-1]
    assert (last.from_status, last.to_status, last.by, last.note) == (
        status,
        EXPECTED[status, action][0],
        "chair",
        f"{action} it",
    )
    assert len(view.history) == len(PATHS[status]) + 2  # made, the path, this action


@pytest.mark.parametrize("status", ["draft", "tabled", "under-discussion"])
def test_only_the_proposing_party_or_the_chair_withdraws(store: Store, status: str) -> None:
    for outsider in (ISRAEL_DELEGATE, MONITOR, OBSERVER, ADMIN, LEBANON_READ_ONLY, PUBLIC):
        proposal_id = proposal_in(store, status)
        before = counts(store, proposal_history)
        with pytest.raises((PermissionDeniedError, NotFoundError)) as refused:
            change_proposal(store, proposal_id, ProposalAction.WITHDRAW, by=outsider)
        # the public does not see a committee proposal at all; the others may not withdraw it
        expected = NotFoundError if outsider is PUBLIC else PermissionDeniedError
        assert type(refused.value) is expected, outsider
        assert counts(store, proposal_history) == before
    own = proposal_in(store, status)
    view = change_proposal(store, own, ProposalAction.WITHDRAW, by=LEBANON_DELEGATE)
    assert (view.status, view.history[-1].by) == ("withdrawn", "delegate-lebanon")
    theirs = proposal_in(store, status, by=ISRAEL_DELEGATE)
    view = change_proposal(store, theirs, ProposalAction.WITHDRAW, by=CHAIR, note="overtaken")
    assert (view.status, view.history[-1].by) == ("withdrawn", "chair")
    # the chair's own proposal (no party) is withdrawn by the chair alone
    chairs = proposal_in(store, status, by=CHAIR)
    with pytest.raises(PermissionDeniedError, match="only the chair or the proposing party"):
        change_proposal(store, chairs, ProposalAction.WITHDRAW, by=LEBANON_DELEGATE)
    with pytest.raises(PermissionDeniedError):
        change_proposal(store, chairs, ProposalAction.WITHDRAW, by=CHAIR_READ_ONLY)
    assert change_proposal(store, chairs, "withdraw", by=SYSTEM).status == "withdrawn"


def test_the_proposer_tables_but_only_the_chair_decides(store: Store) -> None:
    proposal_id = proposal_in(store, "draft")
    view = get_proposal(store, proposal_id, viewer=LEBANON_DELEGATE)
    assert view.actions == (ProposalAction.TABLE, ProposalAction.WITHDRAW)
    assert get_proposal(store, proposal_id, viewer=ISRAEL_DELEGATE).actions == ()
    with pytest.raises(PermissionDeniedError, match="may not table"):
        change_proposal(store, proposal_id, "table", by=ISRAEL_DELEGATE)
    change_proposal(store, proposal_id, "table", by=LEBANON_DELEGATE)
    with pytest.raises(PermissionDeniedError, match="only the chair may"):
        change_proposal(store, proposal_id, "discuss", by=LEBANON_DELEGATE)
    change_proposal(store, proposal_id, "discuss", by=CHAIR)
    for decision in ("agree", "reject"):
        with pytest.raises(PermissionDeniedError, match=f"may not {decision}"):
            change_proposal(store, proposal_id, decision, by=LEBANON_DELEGATE)
    assert get_proposal(store, proposal_id, viewer=CHAIR).actions == (
        ProposalAction.AGREE,
        ProposalAction.REJECT,
        ProposalAction.WITHDRAW,
    )


def test_the_meetings_that_handled_a_proposal_are_listed_in_order(store: Store) -> None:
    meetings = add_sample_meetings(store)
    made = create_proposal(
        store,
        NewProposal(
            title="Economic zone along the border: a joint feasibility study",
            kind="economic-project",
            track="civilian",
            meeting_id=meetings["naqoura-civilian"],
            note="first raised by the civilian envoys",
        ),
        by=LEBANON_DELEGATE,
    )
    assert made.meeting_ids == (meetings["naqoura-civilian"],)
    change_proposal(
        store, made.id, "table", by=LEBANON_DELEGATE, meeting_id=meetings["naqoura-civilian"]
    )
    change_proposal(store, made.id, "discuss", by=CHAIR, meeting_id=meetings["before-new-year"])
    change_proposal(store, made.id, "agree", by=CHAIR, meeting_id=meetings["january"])
    view = get_proposal(store, made.id, viewer=ISRAEL_DELEGATE)
    in_order = [meetings[name] for name in ("naqoura-civilian", "before-new-year", "january")]
    # ids were given latest first: the order is the meetings' own
    assert in_order != sorted(in_order)
    assert [meeting.id for meeting in view.meetings] == in_order
    assert list(view.meeting_ids) == in_order
    assert [meeting.starts_at for meeting in view.meetings] == sorted(
        meeting.starts_at for meeting in view.meetings
    )
    assert [(step.from_status, step.to_status, step.meeting_id) for step in view.history] == [
        (None, "draft", meetings["naqoura-civilian"]),
        ("draft", "tabled", meetings["naqoura-civilian"]),
        ("tabled", "under-discussion", meetings["before-new-year"]),
        ("under-discussion", "agreed", meetings["january"]),
    ]
    assert [step.by for step in view.history] == [
        "delegate-lebanon",
        "delegate-lebanon",
        "chair",
        "chair",
    ]
    # a list names them too, and a meeting lists what it handled
    listed = list_proposals(store, viewer=OBSERVER)
    assert [(item.id, list(item.meeting_ids)) for item in listed.items] == [(made.id, in_order)]
    assert [p.id for p in list_proposals(store, viewer=CHAIR, meeting_id=in_order[1]).items] == [
        made.id
    ]
    assert list_proposals(store, viewer=CHAIR, meeting_id=meetings["called-off"]).total == 0
    # each change's audit entry names the proposal, the meeting and who
    details = [json.loads(str(row["detail"])) for row in audit_entries(store, "proposal.history")]
    assert [(d["proposal"], d["meeting"], d["by"]) for d in details] == [
        (made.id, meetings["naqoura-civilian"], "delegate-lebanon"),
        (made.id, meetings["naqoura-civilian"], "delegate-lebanon"),
        (made.id, meetings["before-new-year"], "chair"),
        (made.id, meetings["january"], "chair"),
    ]


def test_a_meeting_must_be_seen_and_held_or_scheduled(store: Store) -> None:
    meetings = add_sample_meetings(store)
    israeli = add_meeting(
        store,
        "Israeli delegation's preparatory meeting",
        dt.date(2025, 12, 18),
        classification=Classification.RESTRICTED,
        owner_party="israel",
    )
    proposal_id = proposal_in(store, "draft")
    before = counts(store, proposal_history)
    with pytest.raises(ConflictError, match="was cancelled"):
        change_proposal(
            store, proposal_id, "table", by=LEBANON_DELEGATE, meeting_id=meetings["called-off"]
        )
    for missing in (israeli, 987654321, -1):
        with pytest.raises(NotFoundError, match=f"no meeting with id {missing}"):
            change_proposal(store, proposal_id, "table", by=LEBANON_DELEGATE, meeting_id=missing)
    assert counts(store, proposal_history) == before
    # the chair may name Israel's meeting; Lebanon's delegate then sees the change, not it
    view = change_proposal(store, proposal_id, "table", by=CHAIR, meeting_id=israeli)
    assert view.meeting_ids == (israeli,)
    seen = get_proposal(store, proposal_id, viewer=LEBANON_DELEGATE)
    assert (seen.meeting_ids, seen.meetings, seen.history[-1].meeting_id) == ((), (), None)
    assert get_proposal(store, proposal_id, viewer=ISRAEL_DELEGATE).meeting_ids == (israeli,)
    assert list_proposals(store, viewer=LEBANON_DELEGATE, meeting_id=israeli).items == []


def test_a_delegate_proposes_for_its_own_party_only(store: Store) -> None:
    before = counts(store, proposal_history)
    for party in ("israel", None):
        made = create_proposal(
            store,
            NewProposal(
                title="Return of residents", kind="return-of-residents", proposing_party=party
            ),
            by=ISRAEL_DELEGATE,
        )
        assert (made.proposing_party, made.owner_party, made.status) == (
            "israel",
            "israel",
            "draft",
        )
        assert made.created_by == "delegate-israel"
    with pytest.raises(PermissionDeniedError, match="may not propose for lebanon"):
        create_proposal(
            store,
            NewProposal(title="x", kind="other", proposing_party="lebanon"),
            by=ISRAEL_DELEGATE,
        )
    for nobody in (MONITOR, OBSERVER, ADMIN, PUBLIC, LEBANON_READ_ONLY, CHAIR_READ_ONLY):
        with pytest.raises(PermissionDeniedError):
            create_proposal(store, NewProposal(title="x", kind="other"), by=nobody)
    assert counts(store, proposal_history)[0] == before[0] + 2
    # the chair proposes for any party, or for none (its own)
    for party in ("lebanon", "israel", None):
        made = create_proposal(
            store, NewProposal(title="Joint patrols", kind="other", proposing_party=party), by=CHAIR
        )
        assert (made.proposing_party, made.owner_party) == (party, party)


def test_bad_values_name_the_field(store: Store) -> None:
    for proposal, field in (
        (NewProposal(title=" ", kind="other"), "title"),
        (NewProposal(title="x", kind="airport"), "kind"),
        (NewProposal(title="x", kind="other", track="naval"), "track"),
        (NewProposal(title="x", kind="other", classification="secret"), "classification"),  # type: ignore[arg-type]
        (NewProposal(title="x" * 301, kind="other"), "title"),
        (NewProposal(title="x", kind="other", proposing_party="atlantis"), "proposing_party"),
    ):
        with pytest.raises(InputError) as refused:
            create_proposal(store, proposal, by=CHAIR)
        assert refused.value.source == field
    proposal_id = proposal_in(store, "draft")
    with pytest.raises(InputError, match="'ratify' is not one of") as refused:
        change_proposal(store, proposal_id, "ratify", by=CHAIR)
    assert refused.value.source == "action"
    with pytest.raises(InputError) as refused:
        list_proposals(store, viewer=CHAIR, status="pending")
    assert refused.value.source == "status"
    with pytest.raises(InputError) as refused:
        list_proposals(store, viewer=CHAIR, limit=0)
    assert refused.value.source == "limit"


def test_the_other_partys_restricted_proposal_is_invisible(store: Store) -> None:
    secret = create_proposal(
        store,
        NewProposal(
            title="Fallback line for the hilltop positions",
            kind="confidence-building",
            classification=Classification.RESTRICTED,
        ),
        by=ISRAEL_DELEGATE,
    )
    shared = create_proposal(store, FARMLAND, by=LEBANON_DELEGATE)
    own = create_proposal(
        store,
        NewProposal(
            title="Reconstruction fund",
            kind="reconstruction",
            classification=Classification.RESTRICTED,
        ),
        by=LEBANON_DELEGATE,
    )
    change_proposal(store, secret.id, "table", by=ISRAEL_DELEGATE)
    sees = {
        CHAIR: {secret.id, shared.id, own.id},
        SYSTEM: {secret.id, shared.id, own.id},
        ISRAEL_DELEGATE: {secret.id, shared.id},
        LEBANON_DELEGATE: {shared.id, own.id},
        MONITOR: {shared.id},
        OBSERVER: {shared.id},
        PUBLIC: set(),
    }
    for viewer, expected in sees.items():
        page = list_proposals(store, viewer=viewer)
        assert {item.id for item in page.items} == expected, viewer.name
        assert page.total == len(expected)
        assert list_proposals(store, viewer=viewer, status="tabled").total == (
            1 if secret.id in expected else 0
        )
        for proposal_id in (secret.id, shared.id, own.id):
            if proposal_id in expected:
                assert get_proposal(store, proposal_id, viewer=viewer).id == proposal_id
                continue
            with pytest.raises(NotFoundError) as hidden:
                get_proposal(store, proposal_id, viewer=viewer)
            with pytest.raises(NotFoundError) as missing:
                get_proposal(store, 987654321, viewer=viewer)
            assert str(hidden.value) == str(missing.value).replace("987654321", str(proposal_id))
    # nor can Lebanon's delegate act on it: it is not there for them
    with pytest.raises(NotFoundError, match=f"no proposal with id {secret.id}"):
        change_proposal(store, secret.id, "withdraw", by=LEBANON_DELEGATE)


def test_every_change_is_audited_and_the_chain_verifies(store: Store) -> None:
    proposal_id = proposal_in(store, "agreed")
    entries = audit_entries(store, "proposal.status")
    assert [(row["actor"], json.loads(str(row["detail"]))["status"]) for row in entries] == [
        ("chair", {"was": "draft", "now": "tabled"}),
        ("chair", {"was": "tabled", "now": "under-discussion"}),
        ("chair", {"was": "under-discussion", "now": "agreed"}),
    ]
    assert {row["entity_id"] for row in entries} == {str(proposal_id)}
    made = audit_entries(store, "proposal.create")
    assert [(row["actor"], row["entity_id"]) for row in made] == [
        ("delegate-lebanon", str(proposal_id))
    ]
    report = verify_chain(read_chain(store))
    assert report.ok, report.problem
    assert report.entries == 1 + 4 + 3  # made, four history rows, three status changes


def test_the_meeting_statuses_named_are_the_meetings_own() -> None:
    assert proposals.CANCELLED_MEETING == MeetingStatus.CANCELLED
    assert dashboard.SCHEDULED_MEETING == MeetingStatus.SCHEDULED
