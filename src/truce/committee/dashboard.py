"""The committee's dashboard: what is open, what is late, and when it next meets.

Counted over the records the viewer may see, and nothing else: a delegate's counts never
include the other party's restricted commitments or proposals.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from truce.committee.commitments import CommitmentStatus
from truce.committee.proposals import ProposalStatus
from truce.core.access import Principal
from truce.store import Store
from truce.store.proposals import MeetingRef, PartyCommitments, read_dashboard

__all__ = ["CommitteeDashboard", "PartyCommitments", "committee_dashboard"]

#: the status of a meeting still to be held
SCHEDULED_MEETING = "scheduled"


@dataclass(frozen=True)
class CommitteeDashboard:
    """Counts as of `today`: open and overdue commitments in all and by responsible party
    (party none: the whole committee's), proposals by status (every status, zeros too), and
    the next meeting still scheduled on or after `today`, if any."""

    today: dt.date
    open_commitments: int
    overdue_commitments: int
    commitments_by_party: tuple[PartyCommitments, ...]
    proposals_by_status: dict[ProposalStatus, int]
    next_meeting: MeetingRef | None


def committee_dashboard(
    store: Store, *, viewer: Principal, today: dt.date | None = None
) -> CommitteeDashboard:
    """The dashboard of the committee's work as `viewer` may see it, on `today` (default:
    today, UTC): what counts as overdue, and which meeting is next, depend on it."""
    day = today or dt.datetime.now(dt.UTC).date()
    counts = read_dashboard(
        store,
        viewer=viewer,
        today=day,
        open_status=CommitmentStatus.OPEN.value,
        scheduled_status=SCHEDULED_MEETING,
    )
    return CommitteeDashboard(
        today=day,
        open_commitments=sum(row.open for row in counts.commitments),
        overdue_commitments=sum(row.overdue for row in counts.commitments),
        commitments_by_party=counts.commitments,
        proposals_by_status={
            status: counts.proposals_by_status.get(status.value, 0) for status in ProposalStatus
        },
        next_meeting=counts.next_meeting,
    )
