"""Commitments: "reconvene before the new year" as a commitment with a deadline, overdue once
it passes; who may record and close them; the committee's dashboard counting them by party
(with the day given, so no test depends on the clock); and who sees which, on SQLite and
PostgreSQL."""

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
from truce.committee.commitments import (
    TRANSITIONS,
    CommitmentActor,
    CommitmentStatus,
    NewCommitment,
    close_commitment,
    create_commitment,
    get_commitment,
    list_commitments,
)
from truce.committee.dashboard import CommitteeDashboard, PartyCommitments, committee_dashboard
from truce.committee.proposals import NewProposal, change_proposal, create_proposal
from truce.core.access import Classification
from truce.core.errors import ConflictError, InputError, NotFoundError, PermissionDeniedError
from truce.security.audit import verify_chain
from truce.store import Store
from truce.store.audit import read_chain
from truce.store.committee_schema import commitments

NEW_YEAR = dt.date(2025, 12, 31)
BEFORE = dt.date(2025, 12, 20)  # the day after the meeting that made it
AFTER = dt.date(2026, 1, 2)

# Written from the plan, not from the module: (from, to) -> who.
EXPECTED = {
    ("open", "done"): {"chair", "responsible party's delegate"},
    ("open", "dropped"): {"chair"},
}
STATUSES = ("open", "done", "dropped")


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as opened:
        yield opened


@pytest.fixture
def meetings(store: Store) -> dict[str, int]:
    return add_sample_meetings(store)


def reconvene(store: Store, meetings: dict[str, int]) -> int:
    """The committee's own commitment, made at its last meeting before the new year."""
    made = create_commitment(
        store,
        NewCommitment(
            title="Reconvene before the new year",
            deadline=NEW_YEAR,
            meeting_id=meetings["before-new-year"],
        ),
        by=CHAIR,
        today=BEFORE,
    )
    return made.id


def test_the_closing_table_is_the_one_of_the_plan() -> None:
    table = {
        (source.value, target.value): {str(who) for who in rule.by}
        for (source, target), rule in TRANSITIONS.items()
    }
    assert table == EXPECTED
    assert {status.value for status in CommitmentStatus} == set(STATUSES)
    assert {str(actor) for actor in CommitmentActor} == EXPECTED["open", "done"]


def test_reconvene_before_the_new_year_is_overdue_once_the_year_turns(
    store: Store, meetings: dict[str, int]
) -> None:
    commitment_id = reconvene(store, meetings)
    made = get_commitment(store, commitment_id, viewer=OBSERVER, today=BEFORE)
    assert (made.title, made.deadline, made.status, made.overdue) == (
        "Reconvene before the new year",
        NEW_YEAR,
        "open",
        False,
    )
    assert (made.responsible_party, made.meeting_id, made.created_by) == (
        None,
        meetings["before-new-year"],
        "chair",
    )
    assert get_commitment(store, commitment_id, viewer=OBSERVER, today=NEW_YEAR).overdue is False
    assert get_commitment(store, commitment_id, viewer=OBSERVER, today=AFTER).overdue is True
    assert [
        c.id for c in list_commitments(store, viewer=OBSERVER, overdue=True, today=AFTER).items
    ] == [commitment_id]
    assert list_commitments(store, viewer=OBSERVER, overdue=True, today=BEFORE).total == 0
    assert list_commitments(store, viewer=OBSERVER, overdue=False, today=BEFORE).total == 1
    on_time = committee_dashboard(store, viewer=OBSERVER, today=BEFORE)
    late = committee_dashboard(store, viewer=OBSERVER, today=AFTER)
    assert (on_time.open_commitments, on_time.overdue_commitments) == (1, 0)
    assert (late.open_commitments, late.overdue_commitments) == (1, 1)
    assert late.commitments_by_party == (PartyCommitments(party=None, open=1, overdue=1),)
    # the meeting is held on 7 January: then it is done, and no longer overdue
    done = close_commitment(
        store, commitment_id, "done", by=CHAIR, note="met on 7 January", today=AFTER
    )
    assert (done.status, done.overdue, done.closed_by, done.close_note) == (
        "done",
        False,
        "chair",
        "met on 7 January",
    )
    assert done.closed_at is not None
    assert committee_dashboard(store, viewer=OBSERVER, today=AFTER).overdue_commitments == 0
    assert list_commitments(store, viewer=OBSERVER, overdue=True, today=AFTER).items == []


@pytest.mark.parametrize("status", STATUSES)
def test_every_invalid_closing_is_a_conflict(
    store: Store, meetings: dict[str, int], status: str
) -> None:
    commitment_id = reconvene(store, meetings)
    if status != "open":
        close_commitment(store, commitment_id, status, by=CHAIR)
    invalid = [
        target
        for target in CommitmentStatus
        if (CommitmentStatus(status), target) not in TRANSITIONS
    ]
    assert invalid == [target for target in STATUSES if (status, target) not in EXPECTED]
    before = counts(store, commitments)
    for target in invalid:
        with pytest.raises(ConflictError) as refused:
            close_commitment(store, commitment_id, target, by=CHAIR)
        message = str(refused.value)
        assert f"commitment {commitment_id} is {status}: it cannot become {target}" in message
        for source, allowed in EXPECTED:
            if source == status:
                assert allowed in message
        if status != "open":
            assert "final" in message
    assert counts(store, commitments) == before
    assert get_commitment(store, commitment_id, viewer=CHAIR).status == status


def test_who_may_close_a_commitment(store: Store, meetings: dict[str, int]) -> None:
    def lebanons() -> int:
        return create_commitment(
            store,
            NewCommitment(
                title="Deploy army units to the villages vacated south of the Litani",
                responsible_party="lebanon",
                deadline=dt.date(2026, 1, 31),
                meeting_id=meetings["before-new-year"],
            ),
            by=CHAIR,
        ).id

    first = lebanons()
    assert get_commitment(store, first, viewer=LEBANON_DELEGATE).actions == ("done",)
    assert get_commitment(store, first, viewer=CHAIR).actions == ("done", "dropped")
    assert get_commitment(store, first, viewer=ISRAEL_DELEGATE).actions == ()
    before = counts(store, commitments)
    for outsider in (ISRAEL_DELEGATE, MONITOR, OBSERVER, ADMIN, LEBANON_READ_ONLY):
        with pytest.raises(PermissionDeniedError, match=f"may not mark commitment {first} done"):
            close_commitment(store, first, "done", by=outsider)
    with pytest.raises(PermissionDeniedError, match="only the chair may"):
        close_commitment(store, first, "dropped", by=LEBANON_DELEGATE)
    with pytest.raises(NotFoundError):
        close_commitment(store, first, "done", by=PUBLIC)
    assert counts(store, commitments) == before
    assert close_commitment(store, first, "done", by=LEBANON_DELEGATE).closed_by == (
        "delegate-lebanon"
    )
    second = lebanons()
    dropped = close_commitment(store, second, "dropped", by=CHAIR, note="overtaken")
    assert (dropped.status, dropped.closed_by) == ("dropped", "chair")
    # the committee's own commitment is closed by the chair alone
    own = reconvene(store, meetings)
    with pytest.raises(PermissionDeniedError):
        close_commitment(store, own, "done", by=LEBANON_DELEGATE)
    assert close_commitment(store, own, "done", by=SYSTEM).status == "done"
    closings = audit_entries(store, "commitment.close")
    assert [(row["actor"], json.loads(str(row["detail"]))["status"]) for row in closings] == [
        ("delegate-lebanon", {"was": "open", "now": "done"}),
        ("chair", {"was": "open", "now": "dropped"}),
        (SYSTEM.name, {"was": "open", "now": "done"}),
    ]


def test_a_delegate_records_commitments_of_its_own_party_only(
    store: Store, meetings: dict[str, int]
) -> None:
    before = counts(store, commitments)
    for refused_by, party in (
        (ISRAEL_DELEGATE, "lebanon"),
        (LEBANON_DELEGATE, "israel"),
    ):
        with pytest.raises(PermissionDeniedError, match=f"may not record commitments of {party}"):
            create_commitment(
                store, NewCommitment(title="Withdraw", responsible_party=party), by=refused_by
            )
    for nobody in (MONITOR, OBSERVER, ADMIN, PUBLIC, LEBANON_READ_ONLY, CHAIR_READ_ONLY):
        with pytest.raises(PermissionDeniedError):
            create_commitment(store, NewCommitment(title="Withdraw"), by=nobody)
    assert counts(store, commitments) == before
    own = create_commitment(
        store,
        NewCommitment(
            title="Hand over the list of cleared sites",
            meeting_id=meetings["naqoura-civilian"],
            classification=Classification.RESTRICTED,
        ),
        by=ISRAEL_DELEGATE,
    )
    assert (own.responsible_party, own.owner_party, own.classification) == (
        "israel",
        "israel",
        "restricted",
    )
    with pytest.raises(ConflictError, match="was cancelled"):
        create_commitment(
            store,
            NewCommitment(title="x", meeting_id=meetings["called-off"]),
            by=CHAIR,
        )
    with pytest.raises(InputError) as bad:
        create_commitment(store, NewCommitment(title=""), by=CHAIR)
    assert bad.value.source == "title"
    with pytest.raises(InputError, match="unknown party 'atlantis'") as bad:
        create_commitment(store, NewCommitment(title="x", responsible_party="atlantis"), by=CHAIR)
    assert bad.value.source == "responsible_party"
    with pytest.raises(InputError) as bad:
        list_commitments(store, viewer=CHAIR, status="late")
    assert bad.value.source == "status"


def test_the_dashboard_counts_by_party_what_the_viewer_may_see(
    store: Store, meetings: dict[str, int]
) -> None:
    reconvene(store, meetings)  # the committee's: overdue after the new year
    specs = [
        # title, party, deadline, classification, closed
        ("Report on the hilltop positions", "israel", dt.date(2025, 12, 24), "committee", None),
        ("Prepare the withdrawal timetable", "israel", dt.date(2026, 2, 1), "restricted", None),
        ("Keep the list of sources", "israel", dt.date(2025, 12, 1), "restricted", None),
        ("Clear the Khiam depot", "lebanon", dt.date(2025, 12, 28), "committee", None),
        ("Survey the return routes", "lebanon", None, "restricted", None),
        ("Name the civilian envoys", "lebanon", dt.date(2025, 12, 10), "committee", "done"),
    ]
    for title, party, deadline, level, closed in specs:
        made = create_commitment(
            store,
            NewCommitment(
                title=title,
                responsible_party=party,
                deadline=deadline,
                meeting_id=meetings["before-new-year"],
                classification=Classification(level),
            ),
            by=CHAIR,
        )
        if closed:
            close_commitment(store, made.id, closed, by=CHAIR)
    draft = create_proposal(store, NewProposal(title="Olive harvest", kind="other"), by=CHAIR)
    tabled = create_proposal(
        store,
        NewProposal(
            title="Hilltop handover",
            kind="confidence-building",
            classification=Classification.RESTRICTED,
        ),
        by=ISRAEL_DELEGATE,
    )
    change_proposal(store, tabled.id, "table", by=ISRAEL_DELEGATE)
    agreed = create_proposal(
        store, NewProposal(title="Reconstruction", kind="reconstruction"), by=LEBANON_DELEGATE
    )
    for action in ("table", "discuss", "agree"):
        change_proposal(store, agreed.id, action, by=CHAIR)

    def counted(dashboard: CommitteeDashboard) -> dict[str | None, tuple[int, int]]:
        return {row.party: (row.open, row.overdue) for row in dashboard.commitments_by_party}

    chair = committee_dashboard(store, viewer=CHAIR, today=AFTER)
    assert counted(chair) == {None: (1, 1), "israel": (3, 2), "lebanon": (2, 1)}
    assert (chair.open_commitments, chair.overdue_commitments) == (6, 4)
    assert [row.party for row in chair.commitments_by_party] == ["israel", "lebanon", None]
    assert dict(chair.proposals_by_status) == {
        "draft": 1,
        "tabled": 1,
        "under-discussion": 0,
        "agreed": 1,
        "rejected": 0,
        "withdrawn": 0,
    }
    lebanon = committee_dashboard(store, viewer=LEBANON_DELEGATE, today=AFTER)
    assert counted(lebanon) == {None: (1, 1), "israel": (1, 1), "lebanon": (2, 1)}
    assert lebanon.proposals_by_status["tabled"] == 0  # Israel's restricted proposal
    israel = committee_dashboard(store, viewer=ISRAEL_DELEGATE, today=AFTER)
    assert counted(israel) == {None: (1, 1), "israel": (3, 2), "lebanon": (1, 1)}
    assert israel.proposals_by_status["tabled"] == 1
    observer = committee_dashboard(store, viewer=OBSERVER, today=AFTER)
    assert counted(observer) == {None: (1, 1), "israel": (1, 1), "lebanon": (1, 1)}
    assert committee_dashboard(store, viewer=PUBLIC, today=AFTER).open_commitments == 0
    # before the deadlines pass only the one of 1 December is late
    early = committee_dashboard(store, viewer=CHAIR, today=dt.date(2025, 12, 5))
    assert (early.open_commitments, early.overdue_commitments) == (6, 1)
    # the lists agree with the counts, for each viewer
    for viewer, dashboard in (
        (CHAIR, chair),
        (LEBANON_DELEGATE, lebanon),
        (ISRAEL_DELEGATE, israel),
    ):
        late = list_commitments(store, viewer=viewer, overdue=True, today=AFTER)
        assert late.total == dashboard.overdue_commitments
        assert all(item.overdue for item in late.items)
        assert list_commitments(store, viewer=viewer, status="open").total == (
            dashboard.open_commitments
        )
    by_israel = list_commitments(store, viewer=LEBANON_DELEGATE, party="israel", today=AFTER)
    assert [item.title for item in by_israel.items] == ["Report on the hilltop positions"]
    # soonest deadline first, those without one last
    deadlines = [item.deadline for item in list_commitments(store, viewer=CHAIR).items]
    dated = [day for day in deadlines if day is not None]
    assert dated == sorted(dated)
    assert deadlines[-1] is None
    assert draft.id != agreed.id


def test_the_next_meeting_is_the_first_scheduled_on_or_after_today(
    store: Store, meetings: dict[str, int]
) -> None:
    assert committee_dashboard(store, viewer=OBSERVER, today=BEFORE).next_meeting is not None
    following = committee_dashboard(store, viewer=OBSERVER, today=BEFORE).next_meeting
    assert following is not None
    assert (following.id, following.status) == (meetings["january"], "scheduled")
    assert (
        committee_dashboard(store, viewer=OBSERVER, today=dt.date(2026, 1, 8)).next_meeting is None
    )
    assert committee_dashboard(store, viewer=PUBLIC, today=BEFORE).next_meeting is None
    private = add_meeting(
        store,
        "Lebanon's delegation prepares",
        dt.date(2025, 12, 22),
        classification=Classification.RESTRICTED,
        owner_party="lebanon",
    )
    lebanon = committee_dashboard(store, viewer=LEBANON_DELEGATE, today=BEFORE).next_meeting
    israel = committee_dashboard(store, viewer=ISRAEL_DELEGATE, today=BEFORE).next_meeting
    assert (lebanon and lebanon.id, israel and israel.id) == (private, meetings["january"])


def test_the_other_partys_restricted_commitment_is_invisible(
    store: Store, meetings: dict[str, int]
) -> None:
    secret_proposal = create_proposal(
        store,
        NewProposal(
            title="Fallback line",
            kind="confidence-building",
            classification=Classification.RESTRICTED,
        ),
        by=ISRAEL_DELEGATE,
    )
    israeli_meeting = add_meeting(
        store,
        "Israel's delegation prepares",
        dt.date(2025, 12, 18),
        classification=Classification.RESTRICTED,
        owner_party="israel",
    )
    secret = create_commitment(
        store,
        NewCommitment(
            title="Pull back from the fifth hilltop",
            deadline=dt.date(2025, 12, 1),
            proposal_id=secret_proposal.id,
            meeting_id=israeli_meeting,
            classification=Classification.RESTRICTED,
        ),
        by=ISRAEL_DELEGATE,
    )
    # a committee commitment on Israel's restricted proposal, made at Israel's meeting
    shared = create_commitment(
        store,
        NewCommitment(
            title="Report on the fallback line",
            responsible_party="israel",
            deadline=dt.date(2025, 12, 1),
            proposal_id=secret_proposal.id,
            meeting_id=israeli_meeting,
        ),
        by=CHAIR,
    )
    assert (shared.proposal_id, shared.meeting_id) == (secret_proposal.id, israeli_meeting)
    for viewer in (LEBANON_DELEGATE, OBSERVER, MONITOR):
        page = list_commitments(store, viewer=viewer, today=AFTER)
        assert [item.id for item in page.items] == [shared.id]
        assert (page.items[0].proposal_id, page.items[0].meeting_id) == (None, None)
        assert list_commitments(store, viewer=viewer, proposal_id=secret_proposal.id).total == 0
        assert list_commitments(store, viewer=viewer, meeting_id=israeli_meeting).total == 0
        dashboard = committee_dashboard(store, viewer=viewer, today=AFTER)
        assert (dashboard.open_commitments, dashboard.overdue_commitments) == (1, 1)
        with pytest.raises(NotFoundError) as hidden:
            get_commitment(store, secret.id, viewer=viewer)
        with pytest.raises(NotFoundError) as missing:
            get_commitment(store, 987654321, viewer=viewer)
        assert str(hidden.value) == str(missing.value).replace("987654321", str(secret.id))
    with pytest.raises(NotFoundError):
        close_commitment(store, secret.id, "done", by=LEBANON_DELEGATE)
    with pytest.raises(NotFoundError, match=f"no proposal with id {secret_proposal.id}"):
        create_commitment(
            store, NewCommitment(title="x", proposal_id=secret_proposal.id), by=LEBANON_DELEGATE
        )
    israel = list_commitments(store, viewer=ISRAEL_DELEGATE, proposal_id=secret_proposal.id)
    assert {item.id for item in israel.items} == {secret.id, shared.id}
    assert committee_dashboard(store, viewer=ISRAEL_DELEGATE, today=AFTER).overdue_commitments == 2


def test_every_write_is_audited_and_the_chain_verifies(
    store: Store, meetings: dict[str, int]
) -> None:
    before = verify_chain(read_chain(store)).entries  # the meetings' own
    commitment_id = reconvene(store, meetings)
    close_commitment(store, commitment_id, "done", by=CHAIR)
    made = audit_entries(store, "commitment.create")
    assert [(row["actor"], row["entity_id"]) for row in made] == [("chair", str(commitment_id))]
    assert json.loads(str(made[0]["detail"])) == {
        "meeting": meetings["before-new-year"],
        "proposal": None,
    }
    report = verify_chain(read_chain(store))
    assert report.ok, report.problem
    assert report.entries == before + 2  # made, closed
