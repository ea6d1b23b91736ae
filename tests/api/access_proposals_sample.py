"""Proposals and commitments at every access level, for the access matrix (tests/api).

A proposal at each level carries its level's marker (``MOTIONrestrictedlebanon``) in its
title, a commitment at each level its own (``PLEDGErestrictedlebanon``). The public proposal
was tabled at a meeting restricted to Israel, whose title carries the marker of Israel's
restricted proposal: a history that showed that meeting to anyone but Israel's delegation and
the chair is caught. The public commitment carries out Lebanon's restricted proposal (its id
must read as none to others) and was made at that same Israeli meeting.
"""

from __future__ import annotations

import datetime as dt

from access_sample import ACCESS_LEVELS, Record, marker

from builders import SYSTEM
from truce.committee.commitments import NewCommitment, create_commitment
from truce.committee.meetings import (
    MeetingAction,
    NewMeeting,
    schedule_meeting,
    transition_meeting,
)
from truce.committee.proposals import NewProposal, change_proposal, create_proposal
from truce.core.access import Classification
from truce.store import Store

PROPOSALS = "MOTION"
COMMITMENTS = "PLEDGE"


def seed_proposals(store: Store) -> tuple[Record, ...]:
    """A proposal and a commitment at every access level (and one meeting of Israel's)."""
    hidden_meeting = schedule_meeting(
        store,
        NewMeeting(
            title=f"Delegation meeting {marker(PROPOSALS, Classification.RESTRICTED, 'israel')}",
            starts_at=dt.datetime(2025, 12, 18, 10, tzinfo=dt.UTC),
            classification=Classification.RESTRICTED,
            owner_party="israel",
            invite=False,
        ),
        by=SYSTEM,
    )
    transition_meeting(store, hidden_meeting.id, MeetingAction.HOLD, by=SYSTEM)
    records: list[Record] = []
    proposal_of: dict[tuple[Classification, str | None], int] = {}
    for classification, owner in ACCESS_LEVELS:
        mark = marker(PROPOSALS, classification, owner)
        made = create_proposal(
            store,
            NewProposal(
                title=f"Proposal {mark}",
                kind="confidence-building",
                summary=f"What {mark} proposes.",
                proposing_party=owner,
                classification=classification,
            ),
            by=SYSTEM,
        )
        proposal_of[classification, owner] = made.id
        records.append(Record("proposals", made.id, classification, owner, mark))
    change_proposal(
        store,
        proposal_of[Classification.PUBLIC, None],
        "table",
        by=SYSTEM,
        meeting_id=hidden_meeting.id,
    )
    for classification, owner in ACCESS_LEVELS:
        mark = marker(COMMITMENTS, classification, owner)
        public = classification is Classification.PUBLIC
        made_commitment = create_commitment(
            store,
            NewCommitment(
                title=f"Commitment {mark}",
                responsible_party=owner,
                deadline=dt.date(2025, 12, 31),
                meeting_id=hidden_meeting.id if public else None,
                proposal_id=proposal_of[Classification.RESTRICTED, "lebanon"] if public else None,
                classification=classification,
            ),
            by=SYSTEM,
        )
        records.append(Record("commitments", made_commitment.id, classification, owner, mark))
    return tuple(records)
