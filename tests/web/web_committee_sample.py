"""The committee's work for the web tests of the meeting, statement and dashboard pages.

On top of `web_incident_sample` (its users, the public Khiam strike and Lebanon's restricted
Aitaroun demolition, Lebanon's restricted case):

- delegations: Israel's and Lebanon's (party), the chair's, UNIFIL (observer), with members
  on both tracks;
- a meeting held ten days ago (so the incidents, linked after it, are new since it);
- a committee case about the Khiam strike, overdue (its deadline passed yesterday);
- commitments: "Reconvene before the new year" (the whole committee's, overdue), and
  Lebanon's restricted "Clear the Wazzani canal" (overdue);
- proposals: "Reopen the road to Naqoura" (under discussion), and Lebanon's restricted
  "Rebuild the Wazzani pumping station" (tabled).

Everything of Lebanon's restricted work says "Wazzani" or "Aitaroun" (`LEBANON_WORDS`): a
page Israel's delegate sees must say neither.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from web_incident_sample import LEBANON, IncidentSample, populate_incidents

from builders import SYSTEM
from truce.cases import NewAllegation, file_allegation
from truce.committee.commitments import NewCommitment, create_commitment
from truce.committee.delegations import (
    DelegationKind,
    NewDelegation,
    NewMember,
    add_delegation,
    add_member,
)
from truce.committee.meetings import (
    MeetingAction,
    NewMeeting,
    schedule_meeting,
    transition_meeting,
)
from truce.committee.proposals import (
    NewProposal,
    ProposalAction,
    change_proposal,
    create_proposal,
)
from truce.core.access import Classification, Track
from truce.store import Store
from truce.store.schema import cases

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
TODAY = NOW.date()
LEBANON_WORDS = ("Wazzani", "Aitaroun")
HELD_TITLE = "Mechanism meeting, civilian envoys"
CASE_TITLE = "Drone strike on a car in Khiam"
RECONVENE = "Reconvene before the new year"
ROAD = "Reopen the road to Naqoura"
CANAL = "Clear the Wazzani canal"
PUMPING = "Rebuild the Wazzani pumping station"


@dataclass(frozen=True)
class CommitteeSample:
    url: str
    incidents: IncidentSample
    delegations: dict[str, int]  # by name
    held_meeting: int
    case: int  # the committee's overdue case
    commitment: int  # the committee's overdue commitment
    lebanon_commitment: int
    proposal: int  # under discussion
    lebanon_proposal: int


def populate_committee(url: str) -> CommitteeSample:
    with Store.open(url) as store:
        delegations = _delegations(store)
        held = schedule_meeting(
            store,
            NewMeeting(
                title=HELD_TITLE,
                starts_at=NOW - dt.timedelta(days=10),
                ends_at=NOW - dt.timedelta(days=10, hours=-2),
                place="UNIFIL headquarters, Naqoura",
            ),
            by=SYSTEM,
        ).id
        transition_meeting(store, held, MeetingAction.HOLD, by=SYSTEM)
    found = populate_incidents(url)  # linked now: after the held meeting began
    with Store.open(url) as store:
        case = file_allegation(
            store,
            NewAllegation(
                title=CASE_TITLE,
                accused_party="israel",
                clause_id="coh-2024-02",
                deadline=TODAY + dt.timedelta(days=1),
                classification=Classification.COMMITTEE,
                incident_ids=(found.strike,),
            ),
            by=SYSTEM,
        )
        with store.transaction(by=SYSTEM) as batch:  # its deadline passed: filing refuses that
            batch.connection.execute(
                sa.update(cases)
                .where(cases.c.id == case)
                .values(deadline=TODAY - dt.timedelta(days=1))
            )
        commitment = create_commitment(
            store,
            NewCommitment(title=RECONVENE, deadline=TODAY - dt.timedelta(days=3), meeting_id=held),
            by=SYSTEM,
        ).id
        lebanon_commitment = create_commitment(
            store,
            NewCommitment(
                title=CANAL,
                responsible_party="lebanon",
                deadline=TODAY - dt.timedelta(days=2),
                classification=Classification.RESTRICTED,
            ),
            by=LEBANON,
        ).id
        proposal = create_proposal(
            store,
            NewProposal(title=ROAD, kind="confidence-building", track=Track.CIVILIAN),
            by=SYSTEM,
        ).id
        for action in (ProposalAction.TABLE, ProposalAction.DISCUSS):
            change_proposal(store, proposal, action, by=SYSTEM, meeting_id=held)
        lebanon_proposal = create_proposal(
            store,
            NewProposal(
                title=PUMPING,
                kind="reconstruction",
                proposing_party="lebanon",
                classification=Classification.RESTRICTED,
            ),
            by=LEBANON,
        ).id
        change_proposal(store, lebanon_proposal, ProposalAction.TABLE, by=LEBANON)
    return CommitteeSample(
        url=url,
        incidents=found,
        delegations=delegations,
        held_meeting=held,
        case=case,
        commitment=commitment,
        lebanon_commitment=lebanon_commitment,
        proposal=proposal,
        lebanon_proposal=lebanon_proposal,
    )


def _delegations(store: Store) -> dict[str, int]:
    made = {}
    for kind, name, party in (
        (DelegationKind.PARTY, "Israel", "israel"),
        (DelegationKind.PARTY, "Lebanon", "lebanon"),
        (DelegationKind.CHAIR, "Chair", None),
        (DelegationKind.OBSERVER, "UNIFIL", None),
    ):
        made[name] = add_delegation(
            store, NewDelegation(kind=kind, name=name, party=party), by=SYSTEM
        ).id
    for delegation, name, title, track in (
        ("Israel", "Uri Resnick", "envoy", Track.CIVILIAN),
        ("Israel", "Amir Levi", "Brigadier General", Track.MILITARY),
        ("Lebanon", "Simon Karam", "former ambassador", Track.CIVILIAN),
        ("Lebanon", "Edgard Lawandos", "Brigadier General", Track.MILITARY),
        ("Chair", "Michael Leeney", "Lieutenant General", None),
        ("UNIFIL", "Diodato Abagnara", "Force Commander", Track.MILITARY),
    ):
        add_member(
            store, made[delegation], NewMember(name=name, title=title, track=track), by=SYSTEM
        )
    return made
