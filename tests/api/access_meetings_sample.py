"""Delegations, meetings and agenda items at every access level, for the access matrix
(tests/api).

A delegation at each level carries its level's marker (``ENVOYrestrictedlebanon``) in its
name and its member's; a meeting at each level its own (``SUMMITrestrictedlebanon``). The
public meeting has an agenda item at every level (``AGENDUMrestrictedlebanon``) and invites
every member on the table, of every delegation: its agenda, attendance and calendar must show
each viewer only what it may see.
"""

from __future__ import annotations

import datetime as dt

from access_sample import ACCESS_LEVELS, Record, marker

from builders import SYSTEM
from truce.committee.agenda import NewAgendaItem, add_agenda_items
from truce.committee.delegations import NewDelegation, NewMember, add_delegation, add_member
from truce.committee.meetings import NewMeeting, schedule_meeting
from truce.core.access import Classification
from truce.store import Store

DELEGATIONS = "ENVOY"
MEETINGS = "SUMMIT"
AGENDA = "AGENDUM"


def seed_meetings(store: Store) -> tuple[Record, ...]:
    records: list[Record] = []
    for classification, owner in ACCESS_LEVELS:
        mark = marker(DELEGATIONS, classification, owner)
        delegation = add_delegation(
            store,
            NewDelegation(
                kind="observer",
                name=f"Delegation {mark}",
                classification=classification,
                owner_party=owner,
            ),
            by=SYSTEM,
        )
        add_member(store, delegation.id, NewMember(name=f"Envoy of {mark}"), by=SYSTEM)
        records.append(Record("delegations", delegation.id, classification, owner, mark))
    public_meeting = 0
    for day, (classification, owner) in enumerate(ACCESS_LEVELS, start=1):
        mark = marker(MEETINGS, classification, owner)
        meeting = schedule_meeting(
            store,
            NewMeeting(
                title=f"Meeting {mark}",
                starts_at=dt.datetime(2026, 1, day, 10, tzinfo=dt.UTC),
                place="UNIFIL headquarters, Naqoura",
                classification=classification,
                owner_party=owner,
            ),
            by=SYSTEM,
        )
        records.append(Record("meetings", meeting.id, classification, owner, mark))
        if classification is Classification.PUBLIC:
            public_meeting = meeting.id
    items = [
        NewAgendaItem(
            kind="other",
            title=f"Item {marker(AGENDA, classification, owner)}",
            classification=classification,
            owner_party=owner,
        )
        for classification, owner in ACCESS_LEVELS
    ]
    added = add_agenda_items(store, public_meeting, items, by=SYSTEM)
    for item in added:
        assert item.id is not None
        mark = marker(AGENDA, item.classification, item.owner_party)
        records.append(Record("agenda items", item.id, item.classification, item.owner_party, mark))
    return tuple(records)
