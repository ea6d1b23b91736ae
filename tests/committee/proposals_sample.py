"""Who acts on proposals and commitments in the tests, and the meetings that handle them.

The meetings are scheduled, held and cancelled by the chair through their own library
(`truce.committee.meetings`, tested in test_meetings.py; here only a meeting's id, date,
status and classification matter): the December 2025 talks in Naqoura with civilian envoys,
the one before the new year, and one in January.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from truce.committee.meetings import MeetingAction, NewMeeting, schedule_meeting, transition_meeting
from truce.core.access import Classification, Principal, Role, Scope, Track
from truce.store import Store
from truce.store.schema import audit_log

CHAIR = Principal(name="chair", role=Role.CHAIR)
MONITOR = Principal(name="monitor", role=Role.MONITOR)
OBSERVER = Principal(name="observer", role=Role.OBSERVER)
ADMIN = Principal(name="admin", role=Role.ADMIN)
PUBLIC = Principal.public()
ISRAEL_DELEGATE = Principal(
    name="delegate-israel", role=Role.DELEGATE, party="israel", track=Track.CIVILIAN
)
LEBANON_DELEGATE = Principal(
    name="delegate-lebanon", role=Role.DELEGATE, party="lebanon", track=Track.CIVILIAN
)
LEBANON_READ_ONLY = Principal(
    name="delegate-lebanon-token",
    role=Role.DELEGATE,
    party="lebanon",
    scopes=frozenset({Scope.READ}),
)
CHAIR_READ_ONLY = Principal(name="chair-token", role=Role.CHAIR, scopes=frozenset({Scope.READ}))

#: the meetings of the sample, by name: (day, status)
MEETINGS = {
    "naqoura-civilian": (dt.date(2025, 12, 3), "held"),
    "before-new-year": (dt.date(2025, 12, 19), "held"),
    "january": (dt.date(2026, 1, 7), "scheduled"),
    "called-off": (dt.date(2025, 12, 10), "cancelled"),
}


def add_meeting(
    store: Store,
    title: str,
    day: dt.date,
    *,
    status: str = "scheduled",
    classification: Classification = Classification.COMMITTEE,
    owner_party: str | None = None,
) -> int:
    """A meeting at 10:00 UTC on `day`, scheduled by the chair through the meetings library,
    then held or cancelled if `status` says so."""
    scheduled = schedule_meeting(
        store,
        NewMeeting(
            title=title,
            starts_at=dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC),
            ends_at=dt.datetime.combine(day, dt.time(13), tzinfo=dt.UTC),
            place="UNIFIL headquarters, Naqoura",
            classification=classification,
            owner_party=owner_party,
            invite=False,
        ),
        by=CHAIR,
    )
    action = {"scheduled": None, "held": MeetingAction.HOLD, "cancelled": MeetingAction.CANCEL}
    if action[status] is not None:
        transition_meeting(store, scheduled.id, action[status], by=CHAIR)
    return scheduled.id


def add_sample_meetings(store: Store) -> dict[str, int]:
    """The meetings of MEETINGS, written latest first (so their ids do not follow their
    dates); their ids by name."""
    ordered = sorted(MEETINGS.items(), key=lambda item: item[1][0], reverse=True)
    return {
        name: add_meeting(store, f"Mechanism meeting {name}", day, status=status)
        for name, (day, status) in ordered
    }


def counts(store: Store, table: sa.Table) -> tuple[int, int]:
    """Rows of `table`, and audit entries: what a refused write must leave as it was."""
    with store.reading("test") as connection:
        return (
            connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one(),
            connection.execute(sa.select(sa.func.count()).select_from(audit_log)).scalar_one(),
        )


def audit_entries(store: Store, action: str) -> list[dict[str, object]]:
    with store.reading("test") as connection:
        rows = connection.execute(
            sa.select(audit_log).where(audit_log.c.action == action).order_by(audit_log.c.seq)
        )
        return [dict(row) for row in rows.mappings()]
