"""The agreement check: which clauses of a theatre pack's agreement events bear on.

`AgreementChecker.for_pack(pack).check([(event_id, event), ...])` returns the
`CandidateViolation`s (one per clause, condition and answerable party, merging the events that
meet it, each with a reason in words); `explain(event)` traces every condition part by part;
`check_events(events, pack=None)` is the one-call form. Candidates are computed, never
stored: they are leads for people to review, not findings. See `truce.agreement.check`.
Imports core, geo and theatre only.
"""

from truce.agreement.check import (
    AgreementChecker,
    CandidateViolation,
    ConditionTrace,
    PartCheck,
    check_events,
)

__all__ = [
    "AgreementChecker",
    "CandidateViolation",
    "ConditionTrace",
    "PartCheck",
    "check_events",
]
