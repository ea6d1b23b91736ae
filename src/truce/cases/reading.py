"""Reading cases for a viewer: one case with all of it, pages of cases, findings to count.

A case the viewer may not see is `NotFoundError`, exactly like a missing one; of a case it
sees, it is shown only the linked incidents, evidence and findings it may see (a delegate
never learns of another party's restricted finding or evidence through a shared case).
"""

from __future__ import annotations

import datetime as dt

from truce.cases.records import (
    CasePage,
    CaseView,
    FindingRecord,
    finding_of,
    summary_of,
    view_of,
)
from truce.cases.states import OPEN_STATES, CaseState, actions_for
from truce.core.access import Principal
from truce.core.errors import InputError
from truce.store import Store
from truce.store.cases import CaseFilter, read_case, read_case_page, read_current_findings

MAX_PAGE = 500


def get_case(
    store: Store, case_id: int, *, viewer: Principal, today: dt.date | None = None
) -> CaseView:
    """The case as `viewer` sees it, with its history, tasks, visit reports, links, findings,
    whether it is overdue on `today` (default: today, UTC) and what `viewer` may do with it
    now; NotFoundError if there is none or `viewer` may not see it."""
    record = read_case(store, case_id, viewer=viewer)
    actions = actions_for(CaseState(record.case.state), viewer, record.case.filed_for_party)
    return view_of(record, today or _today(), tuple(actions))


def list_cases(
    store: Store,
    *,
    viewer: Principal,
    state: CaseState | str | None = None,
    overdue: bool | None = None,
    incident_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
    today: dt.date | None = None,
) -> CasePage:
    """A page of the cases `viewer` may see, the last opened first: in `state`; overdue
    (still open, past their deadline on `today`) or, with False, not overdue; linking
    `incident_id` (none if `viewer` may not see that incident)."""
    if not 1 <= limit <= MAX_PAGE:
        raise InputError(f"limit must be between 1 and {MAX_PAGE}, not {limit}", source="limit")
    if offset < 0:
        raise InputError(f"offset must not be negative, not {offset}", source="offset")
    chosen = None
    if state is not None:
        try:
            chosen = CaseState(state)
        except ValueError:
            choices = ", ".join(CaseState)
            raise InputError(
                f"{state!r} is not a state; one of {choices}", source="state"
            ) from None
    day = today or _today()
    listings, total = read_case_page(
        store,
        CaseFilter(
            today=day,
            open_states=frozenset(state.value for state in OPEN_STATES),
            state=None if chosen is None else chosen.value,
            overdue=overdue,
            incident_id=incident_id,
            limit=limit,
            offset=offset,
        ),
        viewer=viewer,
    )
    return CasePage(
        items=[summary_of(listing, day) for listing in listings],
        total=total,
        limit=limit,
        offset=offset,
    )


def findings_for_counting(store: Store, *, viewer: Principal) -> list[FindingRecord]:
    """Every current finding `viewer` may see (superseded ones are not counted), oldest
    first, with its case id and the incidents of that case `viewer` may see.

    A finding is current from its case's conclusion until a later conclusion supersedes it:
    reopening a case does not withdraw its finding, concluding it again replaces it.
    """
    return [
        FindingRecord(finding=finding_of(row), case_id=row.case_id, incident_ids=incident_ids)
        for row, incident_ids in read_current_findings(store, viewer=viewer)
    ]


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()
