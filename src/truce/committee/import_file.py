"""A committee's set-up from one YAML file: its delegations and their members, its meetings,
proposals and commitments, and the pack's held positions, instead of dozens of commands. The
file's format is `truce.committee.import_schema`'s.

A proposal's status is reached through the valid transitions from draft (each a history entry
naming the proposal's meeting), a commitment's by closing it, a meeting's by holding or
cancelling it (then recording its minutes and outcomes); `meeting` and `proposal` name a
record of the same file or one already stored, by title.

Importing is the chair's (or the system's), and idempotent: records already there are
matched (a delegation by name, a member by name within its delegation, a meeting by title and
start, a proposal and a commitment by title) and not created again. A matched record whose
status is behind the file's is moved on along the valid transitions (and a held meeting's
missing minutes and outcomes filled in); one whose status the file's cannot be reached from
is an error. The whole file is checked, against the pack and what is stored, before anything
is written: a file with an error anywhere writes nothing, and the InputError names the file
and the line. The writes are then the library's own, one transaction each, audited.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from truce.committee import proposals as proposal_rules
from truce.committee.commitments import (
    CommitmentStatus,
    NewCommitment,
    close_commitment,
    create_commitment,
    list_commitments,
)
from truce.committee.delegations import (
    Delegation,
    NewDelegation,
    NewMember,
    add_delegation,
    add_member,
    list_delegations,
)
from truce.committee.import_schema import (
    SEED_FROM_PACK,
    CommitmentEntry,
    CommitteeFile,
    DelegationEntry,
    MeetingEntry,
    MemberEntry,
    ProposalEntry,
)
from truce.committee.meeting_fields import now, require_chair
from truce.committee.meetings import (
    MeetingAction,
    MeetingStatus,
    MeetingSummary,
    NewMeeting,
    all_meetings,
    get_meeting,
    record_minutes,
    schedule_meeting,
    transition_meeting,
)
from truce.committee.positions import HELD_POSITION_PREFIX, seed_positions_from_pack
from truce.committee.proposals import (
    MAX_PAGE,
    NewProposal,
    ProposalAction,
    ProposalStatus,
    change_proposal,
    create_proposal,
    list_proposals,
)
from truce.core.access import Principal, Role
from truce.core.errors import InputError, TheatreError
from truce.store import Store
from truce.store.accounts import find_user
from truce.theatre import TheatrePack, load_pack
from truce.theatre.yamlfile import YamlLines, describe

#: the kinds of record an import counts, in the order it writes them
KINDS = ("delegations", "members", "meetings", "proposals", "commitments", "positions")

# --- the summary ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportCount:
    """Of one kind of record named in the file: how many the import created, how many were
    already there as they are, and how many were there but moved on (status, minutes)."""

    kind: str
    created: int = 0
    existing: int = 0
    updated: int = 0


@dataclass(frozen=True)
class ImportSummary:
    path: str
    counts: tuple[ImportCount, ...]  # one per kind, in the order of KINDS

    @property
    def created(self) -> int:
        return sum(counted.created for counted in self.counts)

    @property
    def changed(self) -> bool:
        """Whether the import wrote anything."""
        return any(counted.created or counted.updated for counted in self.counts)


# --- the plan: what the checked file asks for, against what is stored ------------------------


@dataclass(frozen=True)
class _Ref:
    """A record a proposal or commitment names: one of this file (`index`), or stored (`id`)."""

    index: int | None = None
    id: int | None = None


@dataclass
class _DelegationPlan:
    entry: DelegationEntry
    existing_id: int | None
    new_members: list[MemberEntry]


@dataclass
class _MeetingPlan:
    entry: MeetingEntry
    existing_id: int | None
    actions: list[MeetingAction]
    minutes: str | None = None
    outcomes: str | None = None

    @property
    def changes(self) -> bool:
        return bool(self.actions or self.minutes or self.outcomes)


@dataclass
class _ProposalPlan:
    entry: ProposalEntry
    existing_id: int | None
    actions: list[ProposalAction]
    meeting: _Ref | None


@dataclass
class _CommitmentPlan:
    entry: CommitmentEntry
    existing_id: int | None
    close_to: CommitmentStatus | None
    meeting: _Ref | None
    proposal: _Ref | None


@dataclass
class _Plan:
    delegations: list[_DelegationPlan] = field(default_factory=list)
    meetings: list[_MeetingPlan] = field(default_factory=list)
    proposals: list[_ProposalPlan] = field(default_factory=list)
    commitments: list[_CommitmentPlan] = field(default_factory=list)
    seed_positions: bool = False


# --- the library ----------------------------------------------------------------------------


def import_committee(
    store: Store, path: Path | str, *, by: Principal, pack: TheatrePack | None = None
) -> ImportSummary:
    """Load the committee's set-up from the YAML file at `path` (module docstring), as `by`
    (the chair or the system: PermissionDeniedError otherwise). The file is checked whole
    before anything is written: InputError naming the file and the line if anything in it
    cannot be used, and then nothing is written. What was created, already there, or moved
    on, per kind."""
    require_chair(by, "import the committee's set-up")
    source = Path(path)
    loaded = pack or load_pack()
    document = _read(source)
    checker = _Checker(store, document, loaded, by)
    plan = checker.plan(_parse(document))
    counts = _Writer(store, source, loaded, by).write(plan)
    return ImportSummary(str(source), counts)


def _read(path: Path) -> YamlLines:
    try:
        document = YamlLines(path)
    except TheatreError as error:
        # yamlfile reports `path:line: problem`; as InputError, with the line apart
        message = str(error)
        prefix = f"{path}:"
        line = None
        if message.startswith(prefix):
            found = re.match(r"(\d+): (.*)", message[len(prefix) :], re.DOTALL)
            message = found.group(2) if found else message[len(prefix) :].strip()
            line = int(found.group(1)) if found else None
        raise InputError(message, source=str(path), line=line) from None
    if document.value is None:
        raise InputError("the file is empty", source=str(path))
    return document


def _parse(document: YamlLines) -> CommitteeFile:
    try:
        return CommitteeFile.model_validate(document.value)
    except ValidationError as error:
        first = error.errors()[0]
        raise InputError(
            describe(dict(first)), source=str(document.path), line=document.line_of(first["loc"])
        ) from None


class _Checker:
    """Checks a parsed file against the pack and the store, and plans its writes."""

    def __init__(self, store: Store, document: YamlLines, pack: TheatrePack, by: Principal):
        self.store = store
        self.document = document
        self.pack = pack
        self.by = by
        self._meetings: list[MeetingSummary] | None = None
        self._proposals: list[proposal_rules.Proposal] | None = None

    def fail(self, loc: Sequence[Any], message: str) -> InputError:
        """An InputError at `loc` in the file: its line, and its path as pydantic's are."""
        where = ".".join(str(part) for part in loc)
        return InputError(
            f"{where}: {message}", source=str(self.document.path), line=self.document.line_of(loc)
        )

    def party(self, party: str | None, loc: Sequence[Any]) -> None:
        if party is not None and party not in self.pack.parties:
            known = ", ".join(self.pack.parties)
            raise self.fail(loc, f"unknown party {party!r}; theatre pack {self.pack.name!r} "
                            f"knows: {known}")  # fmt: skip

    def plan(self, parsed: CommitteeFile) -> _Plan:
        return _Plan(
            delegations=self.delegations(parsed.delegations),
            meetings=self.meetings(parsed.meetings),
            proposals=self.proposals(parsed.proposals, parsed.meetings),
            commitments=self.commitments(parsed.commitments, parsed.meetings, parsed.proposals),
            seed_positions=parsed.positions == SEED_FROM_PACK,
        )

    # --- delegations ----------------------------------------------------------------------

    def delegations(self, entries: list[DelegationEntry]) -> list[_DelegationPlan]:
        stored = list_delegations(self.store, viewer=self.by)
        by_name = {delegation.name: delegation for delegation in stored}
        by_party = {d.party: d for d in stored if d.party is not None}
        _unique(self, "delegations", [entry.name for entry in entries], "name", "a delegation")
        parties = [entry.party for entry in entries]
        for i, party in enumerate(parties):
            if party is not None and party in parties[:i]:
                raise self.fail(("delegations", i, "party"), f"{party} has a delegation twice")
        plans = []
        for i, entry in enumerate(entries):
            loc = ("delegations", i)
            self.party(entry.party, (*loc, "party"))
            existing = by_name.get(entry.name)
            if existing is not None and (existing.kind, existing.party) != (
                entry.kind,
                entry.party,
            ):
                raise self.fail(
                    (*loc, "kind"),
                    f"the delegation {entry.name!r} is there already as a {existing.kind} "
                    f"delegation{_of(existing.party)}, not a {entry.kind} one{_of(entry.party)}",
                )
            other = by_party.get(entry.party) if entry.party is not None else None
            if existing is None and other is not None:
                raise self.fail(
                    (*loc, "party"),
                    f"{entry.party} has a delegation already, named {other.name!r}",
                )
            existing_id = None if existing is None else existing.id
            plans.append(
                _DelegationPlan(entry, existing_id, self.new_members(entry, existing, loc))
            )
        return plans

    def new_members(
        self, entry: DelegationEntry, existing: Delegation | None, loc: tuple[Any, ...]
    ) -> list[MemberEntry]:
        names = [member.name for member in entry.members]
        _unique(self, (*loc, "members"), names, "name", "a member")
        stored = set() if existing is None else {member.name for member in existing.members}
        new = []
        for j, member in enumerate(entry.members):
            if member.name in stored:
                continue
            if member.username is not None:
                self.check_user(member.username, entry.party, entry.name, (*loc, "members", j))
            new.append(member)
        return new

    def check_user(
        self, username: str, party: str | None, delegation: str, loc: tuple[Any, ...]
    ) -> None:
        user = find_user(self.store, username)
        if user is None:
            raise self.fail((*loc, "username"), f"no user {username!r}")
        if user.role == Role.DELEGATE.value and user.party != party:
            raise self.fail(
                (*loc, "username"),
                f"{username} is a delegate of {user.party}, not a member of the {delegation} "
                "delegation",
            )

    # --- meetings -------------------------------------------------------------------------

    def meetings(self, entries: list[MeetingEntry]) -> list[_MeetingPlan]:
        stored = {(m.title, _utc(m.starts_at)): m for m in self.stored_meetings()}
        _unique(
            self,
            "meetings",
            [(entry.title, entry.start) for entry in entries],
            "starts_at",
            "a meeting with this title and start",
        )
        started = now()
        plans = []
        for i, entry in enumerate(entries):
            loc = ("meetings", i)
            existing = stored.get((entry.title, entry.start))
            current = MeetingStatus.SCHEDULED if existing is None else existing.status
            actions = self.meeting_actions(entry, current, loc)
            if MeetingAction.HOLD in actions and entry.start > started:
                raise self.fail(
                    (*loc, "status"),
                    f"the meeting begins at {entry.starts_at.isoformat()}: it cannot be held "
                    "before it begins",
                )
            plan = _MeetingPlan(entry, None if existing is None else existing.id, actions)
            if entry.status is MeetingStatus.HELD:
                self.missing_minutes(plan, existing)
            plans.append(plan)
        return plans

    def meeting_actions(
        self, entry: MeetingEntry, current: MeetingStatus, loc: tuple[Any, ...]
    ) -> list[MeetingAction]:
        if entry.status is current:
            return []
        if current is MeetingStatus.SCHEDULED:
            held = entry.status is MeetingStatus.HELD
            return [MeetingAction.HOLD if held else MeetingAction.CANCEL]
        raise self.fail(
            (*loc, "status"),
            f"the meeting {entry.title!r} of {entry.start.isoformat()} is {current} already: "
            f"it cannot become {entry.status}",
        )

    def missing_minutes(self, plan: _MeetingPlan, existing: MeetingSummary | None) -> None:
        """The file's minutes and outcomes the stored meeting lacks (those it has stay)."""
        entry = plan.entry
        if existing is None:
            plan.minutes, plan.outcomes = entry.minutes, entry.outcomes
            return
        if entry.minutes is None and entry.outcomes is None:
            return
        stored = get_meeting(self.store, existing.id, viewer=self.by)
        plan.minutes = entry.minutes if stored.minutes is None else None
        plan.outcomes = entry.outcomes if stored.outcomes is None else None

    def meeting_ref(
        self, title: str | None, entries: list[MeetingEntry], loc: tuple[Any, ...]
    ) -> _Ref | None:
        """The meeting `title` names: of the file, or stored; never a cancelled one."""
        if title is None:
            return None
        in_file = [i for i, entry in enumerate(entries) if entry.title == title]
        if in_file:
            if len(in_file) > 1:
                raise self.fail(loc, f"{len(in_file)} meetings of this file are titled {title!r}")
            if entries[in_file[0]].status is MeetingStatus.CANCELLED:
                raise self.fail(loc, f"the meeting {title!r} is cancelled: nothing is done there")
            return _Ref(index=in_file[0])
        stored = [m for m in self.stored_meetings() if m.title == title]
        if not stored:
            raise self.fail(loc, f"no meeting titled {title!r}, in this file or stored")
        if len(stored) > 1:
            raise self.fail(loc, f"{len(stored)} stored meetings are titled {title!r}")
        if stored[0].status is MeetingStatus.CANCELLED:
            raise self.fail(loc, f"the meeting {title!r} was cancelled: nothing was done there")
        return _Ref(id=stored[0].id)

    def stored_meetings(self) -> list[MeetingSummary]:
        if self._meetings is None:
            self._meetings = all_meetings(self.store, viewer=self.by)
        return self._meetings

    # --- proposals ------------------------------------------------------------------------

    def proposals(
        self, entries: list[ProposalEntry], meetings: list[MeetingEntry]
    ) -> list[_ProposalPlan]:
        # of two stored with one title, the oldest (the last listed) is the one matched
        stored = {p.title: p for p in self.stored_proposals()}
        _unique(self, "proposals", [entry.title for entry in entries], "title", "a proposal")
        plans = []
        for i, entry in enumerate(entries):
            loc = ("proposals", i)
            self.party(entry.proposing_party, (*loc, "proposing_party"))
            existing = stored.get(entry.title)
            current = ProposalStatus.DRAFT if existing is None else existing.status
            actions = proposal_path(current, entry.status)
            if actions is None:
                raise self.fail(
                    (*loc, "status"),
                    f"the proposal {entry.title!r} is {current} already: {entry.status} cannot "
                    f"be reached from it ({_reachable(current)})",
                )
            meeting = self.meeting_ref(entry.meeting, meetings, (*loc, "meeting"))
            plans.append(
                _ProposalPlan(entry, None if existing is None else existing.id, actions, meeting)
            )
        return plans

    def stored_proposals(self) -> list[proposal_rules.Proposal]:
        """Every stored proposal, the last made first."""
        if self._proposals is None:
            found: list[proposal_rules.Proposal] = []
            while True:
                page = list_proposals(self.store, viewer=self.by, limit=MAX_PAGE, offset=len(found))
                found += page.items
                if not page.items or len(found) >= page.total:
                    break
            self._proposals = found
        return self._proposals

    # --- commitments ----------------------------------------------------------------------

    def commitments(
        self,
        entries: list[CommitmentEntry],
        meetings: list[MeetingEntry],
        proposals: list[ProposalEntry],
    ) -> list[_CommitmentPlan]:
        stored: dict[str, tuple[int, CommitmentStatus]] = {}
        offset = 0
        while True:
            page = list_commitments(self.store, viewer=self.by, limit=MAX_PAGE, offset=offset)
            for item in page.items:
                stored.setdefault(item.title, (item.id, item.status))
            offset += len(page.items)
            if not page.items or offset >= page.total:
                break
        _unique(self, "commitments", [entry.title for entry in entries], "title", "a commitment")
        plans = []
        for i, entry in enumerate(entries):
            loc = ("commitments", i)
            self.party(entry.responsible_party, (*loc, "responsible_party"))
            existing_id, current = stored.get(entry.title, (None, CommitmentStatus.OPEN))
            close_to = None
            if entry.status is not current:
                if current is not CommitmentStatus.OPEN:
                    raise self.fail(
                        (*loc, "status"),
                        f"the commitment {entry.title!r} is {current} already: it cannot "
                        f"become {entry.status}",
                    )
                close_to = entry.status
            plans.append(
                _CommitmentPlan(
                    entry,
                    existing_id,
                    close_to,
                    self.meeting_ref(entry.meeting, meetings, (*loc, "meeting")),
                    self.proposal_ref(entry.proposal, proposals, (*loc, "proposal")),
                )
            )
        return plans

    def proposal_ref(
        self, title: str | None, entries: list[ProposalEntry], loc: tuple[Any, ...]
    ) -> _Ref | None:
        if title is None:
            return None
        for i, entry in enumerate(entries):
            if entry.title == title:
                return _Ref(index=i)
        for proposal in reversed(self.stored_proposals()):  # the oldest first
            if proposal.title == title:
                return _Ref(id=proposal.id)
        raise self.fail(loc, f"no proposal titled {title!r}, in this file or stored")


def proposal_path(source: ProposalStatus, target: ProposalStatus) -> list[ProposalAction] | None:
    """The fewest actions of `proposals.TRANSITIONS` that take a proposal from `source` to
    `target` (none for the same status); None if `target` cannot be reached."""
    paths: dict[ProposalStatus, list[ProposalAction]] = {source: []}
    queue = deque([source])
    while queue:
        status = queue.popleft()
        for action in ProposalAction:
            rule = proposal_rules.TRANSITIONS.get((status, action))
            if rule is not None and rule.target not in paths:
                paths[rule.target] = [*paths[status], action]
                queue.append(rule.target)
    return paths.get(target)


def _reachable(status: ProposalStatus) -> str:
    reachable = [s.value for s in ProposalStatus if s is not status and proposal_path(status, s)]
    return f"from {status}: {', '.join(reachable)}" if reachable else f"{status} is final"


def _unique(
    checker: _Checker, section: str | tuple[Any, ...], keys: Iterable[Any], field: str, what: str
) -> None:
    loc = (section,) if isinstance(section, str) else section
    seen: dict[Any, int] = {}
    for i, key in enumerate(keys):
        if key in seen:
            first = checker.document.line_of((*loc, seen[key]))
            raise checker.fail((*loc, i, field), f"{what} is named twice (first on line {first})")
        seen[key] = i


def _of(party: str | None) -> str:
    return "" if party is None else f" of {party}"


def _utc(value: dt.datetime) -> dt.datetime:
    # SQLite gives back naive UTC times
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


# --- writing --------------------------------------------------------------------------------


class _Writer:
    """Writes a checked plan through the library, counting what it does."""

    def __init__(self, store: Store, source: Path, pack: TheatrePack, by: Principal):
        self.store = store
        self.pack = pack
        self.by = by
        self.note = f"imported from {source.name}"
        self.counts = {kind: [0, 0, 0] for kind in KINDS}  # created, already there, updated
        self.meeting_ids: list[int] = []  # of the file's meetings, in its order
        self.proposal_ids: list[int] = []

    def tally(self, kind: str, existing_id: int | None, updated: bool = False) -> None:
        self.counts[kind][0 if existing_id is None else 2 if updated else 1] += 1

    def delegation(self, plan: _DelegationPlan) -> None:
        entry = plan.entry
        delegation_id = plan.existing_id
        if delegation_id is None:
            new = NewDelegation(entry.kind, entry.name, entry.party, entry.classification)
            delegation_id = add_delegation(self.store, new, by=self.by, pack=self.pack).id
        self.tally("delegations", plan.existing_id)
        for member in plan.new_members:
            made = NewMember(
                name=member.name,
                title=member.title,
                role=member.role,
                track=member.track,
                username=member.username,
                joined_on=member.joined_on,
            )
            add_member(self.store, delegation_id, made, by=self.by)
        self.counts["members"][0] += len(plan.new_members)
        self.counts["members"][1] += len(entry.members) - len(plan.new_members)

    def meeting(self, plan: _MeetingPlan) -> None:
        entry = plan.entry
        meeting_id = plan.existing_id
        if meeting_id is None:
            new = NewMeeting(
                title=entry.title,
                starts_at=entry.starts_at,
                ends_at=entry.ends_at,
                place=entry.place,
                tracks=tuple(entry.tracks),
                classification=entry.classification,
            )
            meeting_id = schedule_meeting(self.store, new, by=self.by).id
        for action in plan.actions:
            transition_meeting(self.store, meeting_id, action, by=self.by, note=self.note)
        if plan.minutes is not None or plan.outcomes is not None:
            record_minutes(
                self.store, meeting_id, by=self.by, minutes=plan.minutes, outcomes=plan.outcomes
            )
        self.meeting_ids.append(meeting_id)
        self.tally("meetings", plan.existing_id, plan.changes)

    def proposal(self, plan: _ProposalPlan) -> None:
        entry = plan.entry
        handled_by = _ref_id(plan.meeting, self.meeting_ids)
        proposal_id = plan.existing_id
        if proposal_id is None:
            new = NewProposal(
                title=entry.title,
                kind=entry.kind,
                summary=entry.summary,
                proposing_party=entry.proposing_party,
                track=entry.track,
                classification=entry.classification,
                meeting_id=handled_by,
                note=self.note,
            )
            proposal_id = create_proposal(self.store, new, by=self.by, pack=self.pack).id
        for action in plan.actions:
            change_proposal(
                self.store, proposal_id, action, by=self.by, meeting_id=handled_by, note=self.note
            )
        self.proposal_ids.append(proposal_id)
        self.tally("proposals", plan.existing_id, bool(plan.actions))

    def commitment(self, plan: _CommitmentPlan) -> None:
        entry = plan.entry
        commitment_id = plan.existing_id
        if commitment_id is None:
            new = NewCommitment(
                title=entry.title,
                responsible_party=entry.responsible_party,
                deadline=entry.deadline,
                meeting_id=_ref_id(plan.meeting, self.meeting_ids),
                proposal_id=_ref_id(plan.proposal, self.proposal_ids),
                classification=entry.classification,
            )
            commitment_id = create_commitment(self.store, new, by=self.by, pack=self.pack).id
        if plan.close_to is not None:
            close_commitment(self.store, commitment_id, plan.close_to, by=self.by, note=self.note)
        self.tally("commitments", plan.existing_id, plan.close_to is not None)

    def positions(self) -> None:
        places = self.pack.places
        held = [p for p in places if p.id.rpartition(":")[2].startswith(HELD_POSITION_PREFIX)]
        seeded = len(seed_positions_from_pack(self.store, by=self.by, pack=self.pack))
        self.counts["positions"] = [seeded, max(len(held) - seeded, 0), 0]

    def write(self, plan: _Plan) -> tuple[ImportCount, ...]:
        for delegation in plan.delegations:
            self.delegation(delegation)
        for meeting in plan.meetings:
            self.meeting(meeting)
        for proposal in plan.proposals:
            self.proposal(proposal)
        for commitment in plan.commitments:
            self.commitment(commitment)
        if plan.seed_positions:
            self.positions()
        return tuple(ImportCount(kind, *self.counts[kind]) for kind in KINDS)


def _ref_id(ref: _Ref | None, written: list[int]) -> int | None:
    """The id of the record `ref` names: one this import wrote (by its place in the file),
    or one stored before."""
    if ref is None:
        return None
    return written[ref.index] if ref.index is not None else ref.id
