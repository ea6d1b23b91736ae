"""The state machine: the table in truce.cases.states is the one written out here, and every
action it does not allow from a state is refused with ConflictError, changing nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from cases_sample import CHAIR, LEBANON_DELEGATE, Sample

from truce.cases import (
    TRANSITIONS,
    Actor,
    CaseAction,
    CaseState,
    FindingOutcome,
    NewAllegation,
    NewFinding,
    file_allegation,
    get_case,
    transition,
)
from truce.core.access import Classification
from truce.core.errors import ConflictError
from truce.store import Store
from truce.store.schema import audit_log, case_transitions

# Written from the plan, not from the module: (state, action) -> (target, who).
CHAIR_ONLY = {"chair"}
FILER_OR_CHAIR = {"chair", "filing party's delegate"}
EXPECTED = {
    ("filed", "investigate"): ("investigating", CHAIR_ONLY),
    ("filed", "withdraw"): ("withdrawn", FILER_OR_CHAIR),
    ("investigating", "withdraw"): ("withdrawn", FILER_OR_CHAIR),
    ("investigating", "conclude"): ("concluded", CHAIR_ONLY),
    ("concluded", "reopen"): ("investigating", CHAIR_ONLY),
}
STATES = ("filed", "investigating", "concluded", "withdrawn")
ACTIONS = ("investigate", "withdraw", "conclude", "reopen")

#: how to bring a new case to each state
PATHS: dict[str, tuple[str, ...]] = {
    "filed": (),
    "investigating": ("investigate",),
    "concluded": ("investigate", "conclude"),
    "withdrawn": ("withdraw",),
}

FINDING = NewFinding(outcome=FindingOutcome.INCONCLUSIVE, rationale="Not enough to go on.")


def test_the_transition_table_is_the_one_of_the_plan() -> None:
    table = {
        (state.value, action.value): (rule.target.value, {str(who) for who in rule.by})
        for (state, action), rule in TRANSITIONS.items()
    }
    assert table == EXPECTED
    assert {state.value for state in CaseState} == set(STATES)
    assert {action.value for action in CaseAction} == set(ACTIONS)
    assert {str(actor) for actor in Actor} == FILER_OR_CHAIR


def case_in(store: Store, sample: Sample, state: str) -> int:
    case_id = file_allegation(
        store,
        NewAllegation(
            title="Shelling of Kfar Kila",
            deadline=dt.datetime.now(dt.UTC).date() + dt.timedelta(days=10),
            classification=Classification.COMMITTEE,
            incident_ids=(sample.shared,),
        ),
        by=LEBANON_DELEGATE,
    )
    for action in PATHS[state]:
        finding = FINDING if action == "conclude" else None
        transition(store, case_id, action, by=CHAIR, finding=finding)
    assert get_case(store, case_id, viewer=CHAIR).state == state
    return case_id


def counts(store: Store) -> tuple[int, int]:
    with store.reading("test") as connection:
        return (
            connection.execute(
                sa.select(sa.func.count()).select_from(case_transitions)
            ).scalar_one(),
            connection.execute(sa.select(sa.func.count()).select_from(audit_log)).scalar_one(),
        )


@pytest.mark.parametrize("state", STATES)
def test_every_invalid_action_is_a_conflict_naming_state_and_allowed(
    store: Store, sample: Sample, state: str
) -> None:
    case_id = case_in(store, sample, state)
    invalid = [action for action in CaseAction if (CaseState(state), action) not in TRANSITIONS]
    assert invalid == [action for action in ACTIONS if (state, action) not in EXPECTED]
    allowed = sorted(action for (source, action) in EXPECTED if source == state)
    before = counts(store)
    for action in invalid:
        finding = FINDING if action is CaseAction.CONCLUDE else None
        with pytest.raises(ConflictError) as refused:
            transition(store, case_id, action, by=CHAIR, finding=finding)
        message = str(refused.value)
        assert f"case {case_id} is {state}" in message
        assert f"cannot {action}" in message
        for name in allowed:
            assert name in message
        if not allowed:
            assert "final" in message
    assert counts(store) == before
    assert get_case(store, case_id, viewer=CHAIR).state == state


@pytest.mark.parametrize(("state", "action"), sorted(EXPECTED))
def test_every_valid_action_moves_the_case(
    store: Store, sample: Sample, state: str, action: str
) -> None:
    case_id = case_in(store, sample, state)
    finding = FINDING if action == "conclude" else None
    view = transition(store, case_id, action, by=CHAIR, finding=finding)
    assert view.state == EXPECTED[state, action][0]
    assert (view.transitions[-1].action, view.transitions[-1].by) == (action, "chair")
