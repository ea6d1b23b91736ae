"""Loading the committee's set-up from a YAML file: the sample creates what it says, a second
import creates nothing, a record behind the file is moved on, and a broken file raises an
InputError naming the file and the line and writes nothing (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import yaml
from meetings_sample import CHAIR, LEBANON_DELEGATE

from builders import SYSTEM
from truce.committee.commitments import CommitmentStatus, list_commitments
from truce.committee.delegations import DelegationKind, list_delegations
from truce.committee.import_file import KINDS, import_committee, proposal_path
from truce.committee.meetings import AttendanceStatus, MeetingStatus, all_meetings, get_meeting
from truce.committee.positions import PositionStatus, all_positions
from truce.committee.proposals import (
    ProposalAction,
    ProposalStatus,
    get_proposal,
    list_proposals,
)
from truce.core.access import Role, Track
from truce.core.errors import InputError, PermissionDeniedError
from truce.security import add_user
from truce.store import Store
from truce.store.committee_schema import (
    commitments,
    delegation_members,
    delegations,
    meeting_attendance,
    meetings,
    position_history,
    positions,
    proposal_history,
    proposals,
)
from truce.store.schema import audit_log
from truce.theatre import load_pack

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "committee.yaml"
TABLES = (
    delegations,
    delegation_members,
    meetings,
    meeting_attendance,
    proposals,
    proposal_history,
    commitments,
    positions,
    position_history,
    audit_log,
)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as opened:
        yield opened


def sample() -> dict[str, Any]:
    loaded = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def snapshot(store: Store) -> dict[str, int]:
    """How many rows each table the import writes to holds (the audit log too)."""
    with store.reading("test") as connection:
        return {
            table.name: connection.execute(
                sa.select(sa.func.count()).select_from(table)
            ).scalar_one()
            for table in TABLES
        }


def test_the_sample_creates_what_it_says(store: Store) -> None:
    wanted = sample()
    summary = import_committee(store, SAMPLE, by=SYSTEM)
    pack_positions = [p for p in load_pack().places if ":position-" in p.id]
    members = sum(len(d["members"]) for d in wanted["delegations"])
    assert [(c.kind, c.created, c.existing, c.updated) for c in summary.counts] == [
        ("delegations", len(wanted["delegations"]), 0, 0),
        ("members", members, 0, 0),
        ("meetings", len(wanted["meetings"]), 0, 0),
        ("proposals", len(wanted["proposals"]), 0, 0),
        ("commitments", len(wanted["commitments"]), 0, 0),
        ("positions", len(pack_positions), 0, 0),
    ]
    assert [c.kind for c in summary.counts] == list(KINDS)
    assert summary.changed
    assert summary.path == str(SAMPLE)

    stored = {d.name: d for d in list_delegations(store, viewer=CHAIR)}
    assert sorted(stored) == sorted(d["name"] for d in wanted["delegations"])
    for entry in wanted["delegations"]:
        delegation = stored[entry["name"]]
        assert (delegation.kind, delegation.party) == (
            DelegationKind(entry["kind"]),
            entry.get("party"),
        )
        assert [(m.name, m.title, m.role, m.track, m.joined_on) for m in delegation.members] == [
            (m["name"], m["title"], m["role"], Track(m["track"]), m["joined_on"])
            for m in entry["members"]
        ]
    envoys = {d.party: [m.name for m in d.members if m.track is Track.CIVILIAN]
              for d in stored.values() if d.kind is DelegationKind.PARTY}  # fmt: skip
    assert all(envoys[party] for party in ("lebanon", "israel"))

    held, scheduled = all_meetings(store, viewer=CHAIR)
    entry = wanted["meetings"][0]
    assert (held.title, held.status, held.starts_at, held.place, held.tracks) == (
        entry["title"],
        MeetingStatus.HELD,
        entry["starts_at"].astimezone(dt.UTC),
        entry["place"],
        (Track.MILITARY, Track.CIVILIAN),
    )
    assert held.starts_at.date() == dt.date(2025, 12, 19)
    view = get_meeting(store, held.id, viewer=CHAIR)
    assert (view.minutes, view.outcomes) == (entry["minutes"], entry["outcomes"])
    assert "reconvene with proposals for economic recovery" in (view.outcomes or "")
    # everyone on its tracks was invited when it was scheduled
    assert len(view.attendance) == members
    assert {a.status for a in view.attendance} == {AttendanceStatus.INVITED}
    assert (scheduled.status, scheduled.starts_at.date()) == (
        MeetingStatus.SCHEDULED,
        dt.date(2026, 1, 7),
    )

    made = {p.title: p for p in list_proposals(store, viewer=CHAIR).items}
    assert {title: p.status for title, p in made.items()} == {
        p["title"]: ProposalStatus(p["status"]) for p in wanted["proposals"]
    }
    assert len({p.status for p in made.values()}) == len(made)  # each at another status
    for entry in wanted["proposals"]:
        proposal = get_proposal(store, made[entry["title"]].id, viewer=CHAIR)
        assert (proposal.kind, proposal.proposing_party, proposal.track) == (
            entry["kind"],
            entry.get("proposing_party"),
            Track(entry["track"]),
        )
        steps = [(step.from_status, step.to_status) for step in proposal.history]
        path = proposal_path(ProposalStatus.DRAFT, ProposalStatus(entry["status"]))
        assert path is not None
        assert len(steps) == 1 + len(path)
        assert steps[0] == (None, ProposalStatus.DRAFT)
        assert steps[-1][1] == entry["status"]
        handled = [step.meeting_id for step in proposal.history]
        assert handled == [held.id if entry.get("meeting") else None] * len(steps)

    recorded = {c.title: c for c in list_commitments(store, viewer=CHAIR).items}
    reconvene = recorded["Reconvene before the new year with proposals for recovery"]
    assert (reconvene.deadline, reconvene.status, reconvene.responsible_party) == (
        dt.date(2025, 12, 31),
        CommitmentStatus.OPEN,
        None,
    )
    assert reconvene.meeting_id == held.id
    assert reconvene.overdue is (dt.datetime.now(dt.UTC).date() > dt.date(2025, 12, 31))
    for entry in wanted["commitments"]:
        commitment = recorded[entry["title"]]
        assert (commitment.status, commitment.deadline, commitment.responsible_party) == (
            CommitmentStatus(entry["status"]),
            entry["deadline"],
            entry.get("responsible_party"),
        )
        expected = made[entry["proposal"]].id if "proposal" in entry else None
        assert commitment.proposal_id == expected

    seeded = all_positions(store, viewer=CHAIR)
    assert sorted(p.pack_place or "" for p in seeded) == sorted(p.id for p in pack_positions)
    assert {(p.holder_party, p.status) for p in seeded} == {("israel", PositionStatus.HELD)}


def test_a_second_import_creates_nothing(store: Store) -> None:
    first = import_committee(store, SAMPLE, by=SYSTEM)
    before = snapshot(store)
    second = import_committee(store, SAMPLE, by=CHAIR)
    assert snapshot(store) == before  # not a row, not even an audit entry
    assert not second.changed
    assert second.created == 0
    assert [(c.kind, c.existing) for c in second.counts] == [
        (c.kind, c.created) for c in first.counts
    ]


def test_a_record_behind_the_file_is_moved_on(store: Store, tmp_path: Path) -> None:
    import_committee(store, SAMPLE, by=SYSTEM)
    lebanese = "    responsible_party: lebanon\n    deadline: 2026-01-05\n"
    path, _ = broken(
        tmp_path,
        "status: agreed",
        ("    status: tabled\n", "    status: agreed\n"),
        (f"{lebanese}    status: open\n", f"{lebanese}    status: done\n"),
    )
    summary = import_committee(store, path, by=CHAIR)
    assert [(c.kind, c.created, c.updated) for c in summary.counts if c.updated] == [
        ("proposals", 0, 1),
        ("commitments", 0, 1),
    ]
    page = list_proposals(store, viewer=CHAIR, status=ProposalStatus.AGREED)
    agreed = get_proposal(store, page.items[0].id, viewer=CHAIR)
    assert agreed.title == "Reconstruction of border villages - first phase"
    assert [step.to_status for step in agreed.history] == [
        ProposalStatus.DRAFT,
        ProposalStatus.TABLED,
        ProposalStatus.UNDER_DISCUSSION,
        ProposalStatus.AGREED,
    ]
    assert [step.note for step in agreed.history] == [
        "imported from committee.yaml",
        "imported from committee.yaml",
        "imported from broken.yaml",
        "imported from broken.yaml",
    ]
    done = list_commitments(store, viewer=CHAIR, party="lebanon").items[0]
    assert (done.status, done.closed_by) == (CommitmentStatus.DONE, "chair")
    again = import_committee(store, path, by=CHAIR)
    assert not again.changed


def broken(tmp_path: Path, marker: str, *changes: tuple[str, str]) -> tuple[Path, int]:
    """A copy of the sample with each `(old, new)` of `changes` made (`old` once in it), and
    the line `marker` is on in the copy."""
    text = SAMPLE.read_text(encoding="utf-8")
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    assert text.count(marker) == 1, marker
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    return path, text[: text.index(marker)].count("\n") + 1


#: case: (the change to the sample, the text on the line to name, what the error says)
BROKEN = {
    "an unknown field": (
        ("      - name: Samir Sample\n", "      - name: Samir Sample\n        nickname: envoy\n"),
        "nickname",
        "delegations.1.members.2.nickname: Extra inputs are not permitted",
    ),
    "an impossible date": (
        ("    deadline: 2025-12-31\n", "    deadline: 2025-13-45\n"),
        "2025-13-45",
        "invalid date '2025-13-45'",
    ),
    "a date that is no date": (
        ("        joined_on: 2025-02-17\n", "        joined_on: mid-February\n"),
        "mid-February",
        "delegations.1.members.1.joined_on: Input should be a valid date",
    ),
    "a time without its zone": (
        ("    starts_at: 2026-01-07T10:00:00+02:00\n", "    starts_at: 2026-01-07 10:00:00\n"),
        "2026-01-07 10:00:00",
        "meetings.1.starts_at: Input should have timezone info",
    ),
    "an unknown party": (
        ("    responsible_party: israel\n", "    responsible_party: syria\n"),
        "syria",
        "unknown party 'syria'; theatre pack 'israel-lebanon' knows: israel, lebanon",
    ),
    "a party delegation without its party": (
        ("    kind: party\n    party: israel\n", "    kind: party\n"),
        "name: Israel",
        "a party delegation names its party",
    ),
    "an unknown status": (
        ("    status: under-discussion\n", "    status: discussed\n"),
        "discussed",
        "proposals.0.status: Input should be 'draft', 'tabled', 'under-discussion'",
    ),
    "a meeting named nowhere": (
        (
            "    responsible_party: israel\n    deadline: 2026-01-05\n    status: open\n"
            "    meeting: Mechanism meeting with civilian envoys\n",
            "    responsible_party: israel\n    deadline: 2026-01-05\n    status: open\n"
            "    meeting: Mechanism meeting of 3 December\n",
        ),
        "Mechanism meeting of 3 December",
        "commitments.3.meeting: no meeting titled 'Mechanism meeting of 3 December', in this "
        "file or stored",
    ),
    "a meeting held before it begins": (
        (
            "    starts_at: 2026-01-07T10:00:00+02:00\n"
            "    ends_at: 2026-01-07T14:00:00+02:00\n"
            "    place: UNIFIL headquarters, Naqoura\n"
            "    tracks: [military, civilian]\n"
            "    status: scheduled\n",
            "    starts_at: 2999-01-07T10:00:00+02:00\n    status: held  # too early\n",
        ),
        "held  # too early",
        "it cannot be held before it begins",
    ),
    "a delegation named twice": (
        ("  - name: UNIFIL\n", "  - name: France  # again\n"),
        "France  # again",
        "delegations.4.name: a delegation is named twice (first on line",
    ),
}


@pytest.mark.parametrize("case", BROKEN)
def test_a_broken_file_names_its_line_and_writes_nothing(
    store: Store, tmp_path: Path, case: str
) -> None:
    change, marker, message = BROKEN[case]
    path, line = broken(tmp_path, marker, change)
    before = snapshot(store)
    with pytest.raises(InputError) as raised:
        import_committee(store, path, by=SYSTEM)
    error = raised.value
    assert message in error.message, error.message
    assert (error.source, error.line) == (str(path), line), str(error)
    assert str(error).startswith(f"{path}:{line}: ")
    assert snapshot(store) == before


def test_a_status_that_cannot_be_reached_writes_nothing(store: Store, tmp_path: Path) -> None:
    import_committee(store, SAMPLE, by=SYSTEM)
    # the economic project is under discussion: it cannot go back to tabled; and Egypt,
    # first in the file, is not added either
    path, line = broken(
        tmp_path,
        "tabled  # back",
        ("delegations:\n", "delegations:\n  - name: Egypt\n    kind: observer\n"),
        ("    status: under-discussion\n", "    status: tabled  # back\n"),
    )
    before = snapshot(store)
    with pytest.raises(InputError) as raised:
        import_committee(store, path, by=SYSTEM)
    error = raised.value
    assert (error.source, error.line) == (str(path), line)
    assert "is under-discussion already: tabled cannot be reached from it" in error.message
    assert "from under-discussion: agreed, rejected, withdrawn" in error.message
    assert snapshot(store) == before
    assert "Egypt" not in {d.name for d in list_delegations(store, viewer=CHAIR)}


def test_the_paths_follow_the_transitions() -> None:
    assert proposal_path(ProposalStatus.DRAFT, ProposalStatus.AGREED) == [
        ProposalAction.TABLE,
        ProposalAction.DISCUSS,
        ProposalAction.AGREE,
    ]
    assert proposal_path(ProposalStatus.DRAFT, ProposalStatus.WITHDRAWN) == [
        ProposalAction.WITHDRAW
    ]
    assert proposal_path(ProposalStatus.TABLED, ProposalStatus.TABLED) == []
    assert proposal_path(ProposalStatus.AGREED, ProposalStatus.REJECTED) is None
    assert proposal_path(ProposalStatus.UNDER_DISCUSSION, ProposalStatus.DRAFT) is None


def test_a_party_with_a_delegation_under_another_name(store: Store, tmp_path: Path) -> None:
    import_committee(store, SAMPLE, by=SYSTEM)
    path, line = broken(
        tmp_path, "Lebanese Republic", ("  - name: Lebanon\n", "  - name: Lebanese Republic\n")
    )
    before = snapshot(store)
    with pytest.raises(InputError) as raised:
        import_committee(store, path, by=SYSTEM)
    assert raised.value.message == (
        "delegations.1.party: lebanon has a delegation already, named 'Lebanon'"
    )
    assert raised.value.line == line + 2  # its party, two lines below its name
    assert snapshot(store) == before


def test_member_accounts_must_exist_and_fit(store: Store, tmp_path: Path) -> None:
    add_user(store, username="envoy-lb", role=Role.DELEGATE, password="p" * 16, by=SYSTEM,
             party="lebanon", track=Track.CIVILIAN)  # fmt: skip
    add_user(store, username="envoy-il", role=Role.DELEGATE, password="p" * 16, by=SYSTEM,
             party="israel", track=Track.CIVILIAN)  # fmt: skip

    def with_account(username: str) -> tuple[Path, int]:
        envoy = "      - name: Samir Sample\n"
        return broken(
            tmp_path, f"username: {username}", (envoy, f"{envoy}        username: {username}\n")
        )

    for username, message in (
        ("nobody", "no user 'nobody'"),
        ("envoy-il", "envoy-il is a delegate of israel, not a member of the Lebanon delegation"),
    ):
        message = f"delegations.1.members.2.username: {message}"
        path, line = with_account(username)
        with pytest.raises(InputError) as raised:
            import_committee(store, path, by=SYSTEM)
        assert (raised.value.message, raised.value.line) == (message, line)
    assert snapshot(store)["delegations"] == 0
    path, _ = with_account("envoy-lb")
    import_committee(store, path, by=SYSTEM)
    lebanon = next(d for d in list_delegations(store, viewer=CHAIR) if d.party == "lebanon")
    assert [m.username for m in lebanon.members if m.name == "Samir Sample"] == ["envoy-lb"]


def test_only_the_chair_imports(store: Store) -> None:
    with pytest.raises(PermissionDeniedError, match="may not import the committee's set-up"):
        import_committee(store, SAMPLE, by=LEBANON_DELEGATE)
    assert snapshot(store)["audit_log"] == 0


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        ("", None, "the file is empty"),
        ("delegations:\n  - name: [unclosed\n", 3, "invalid YAML"),
        ("meetings: []\nmeetings: []\n", 2, "duplicate key 'meetings'"),
        ("- just a list\n", 1, "Input should be a valid dictionary"),
        ("positions: seed-everything\n", 1, "positions: Input should be 'seed-from-pack'"),
    ],
)
def test_files_that_are_no_set_up(
    store: Store, tmp_path: Path, content: str, line: int | None, message: str
) -> None:
    path = tmp_path / "setup.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        import_committee(store, path, by=SYSTEM)
    assert (raised.value.source, raised.value.line) == (str(path), line)
    assert message in raised.value.message
    with pytest.raises(InputError, match="cannot read"):
        import_committee(store, tmp_path / "missing.yaml", by=SYSTEM)
