"""The life of a case, as data: its states, the actions that move it, and who may take them.

::

                 investigate (chair)              conclude (chair, with a finding)
      filed ───────────────────────────▶ investigating ─────────────────────────▶ concluded
        │                                 │       ▲                                  │
        │                                 │       └────────── reopen (chair) ────────┘
        │ withdraw                        │ withdraw
        │ (the filing party's delegate,   │ (the filing party's delegate,
        │  or the chair)                  │  or the chair)
        ▼                                 ▼
      withdrawn ◀─────────────────────────┘                      (withdrawn is final)

`TRANSITIONS` is this drawing; nothing else decides whether an action is valid. An action
not in it for the case's state is a `ConflictError` naming the state and what is allowed
from it; an action in it taken by someone the row does not name is a
`PermissionDeniedError`. The system (the `truce` command's operator) acts as the chair.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from truce.core.access import Principal, Role, Scope
from truce.core.errors import ConflictError, PermissionDeniedError


class CaseState(StrEnum):
    FILED = "filed"  # an allegation, not yet taken up
    INVESTIGATING = "investigating"
    CONCLUDED = "concluded"  # a finding was recorded
    WITHDRAWN = "withdrawn"  # final


class CaseAction(StrEnum):
    INVESTIGATE = "investigate"
    WITHDRAW = "withdraw"
    CONCLUDE = "conclude"
    REOPEN = "reopen"


class Actor(StrEnum):
    """Who a transition names: roles relative to the case, not only in the committee."""

    CHAIR = "chair"  # the chair, or the system
    FILING_PARTY = "filing party's delegate"  # a delegate of the party that filed the case


@dataclass(frozen=True)
class Transition:
    source: CaseState
    action: CaseAction
    target: CaseState
    by: frozenset[Actor]


def _rule(source: CaseState, action: CaseAction, target: CaseState, *by: Actor) -> Transition:
    return Transition(source, action, target, frozenset(by))


#: every valid transition, keyed by (state, action): the drawing of the module docstring
TRANSITIONS: Mapping[tuple[CaseState, CaseAction], Transition] = {
    (rule.source, rule.action): rule
    for rule in (
        _rule(CaseState.FILED, CaseAction.INVESTIGATE, CaseState.INVESTIGATING, Actor.CHAIR),
        _rule(
            CaseState.FILED,
            CaseAction.WITHDRAW,
            CaseState.WITHDRAWN,
            Actor.FILING_PARTY,
            Actor.CHAIR,
        ),
        _rule(
            CaseState.INVESTIGATING,
            CaseAction.WITHDRAW,
            CaseState.WITHDRAWN,
            Actor.FILING_PARTY,
            Actor.CHAIR,
        ),
        _rule(CaseState.INVESTIGATING, CaseAction.CONCLUDE, CaseState.CONCLUDED, Actor.CHAIR),
        _rule(CaseState.CONCLUDED, CaseAction.REOPEN, CaseState.INVESTIGATING, Actor.CHAIR),
    )
}

#: states in which a case is still open: its deadline can pass, work can be added to it
OPEN_STATES = frozenset({CaseState.FILED, CaseState.INVESTIGATING})


def allowed_from(state: CaseState) -> list[Transition]:
    """The transitions valid from `state`, in the order of `CaseAction`."""
    return [TRANSITIONS[state, action] for action in CaseAction if (state, action) in TRANSITIONS]


def transition_for(case_id: int, state: CaseState, action: CaseAction) -> Transition:
    """The transition `action` takes from `state`; ConflictError naming the state and the
    actions allowed from it if there is none."""
    rule = TRANSITIONS.get((state, action))
    if rule is not None:
        return rule
    allowed = allowed_from(state)
    if allowed:
        options = ", ".join(f"{rule.action} ({' or '.join(sorted(rule.by))})" for rule in allowed)
        hint = f"allowed from {state}: {options}"
    else:
        hint = f"{state} is final: no action is allowed"
    raise ConflictError(f"case {case_id} is {state}: it cannot {action}; {hint}")


def actors_of(principal: Principal, filed_for_party: str | None) -> frozenset[Actor]:
    """What `principal` counts as on a case filed for `filed_for_party`: nothing for a
    principal who may not write (a read-only token, an observer)."""
    if not principal.system and Scope.WRITE not in principal.scopes:
        return frozenset()
    if principal.system or principal.role is Role.CHAIR:
        return frozenset({Actor.CHAIR})
    if (
        principal.role is Role.DELEGATE
        and filed_for_party is not None
        and principal.party == filed_for_party
    ):
        return frozenset({Actor.FILING_PARTY})
    return frozenset()


def check_may_take(
    case_id: int, rule: Transition, principal: Principal, filed_for_party: str | None
) -> None:
    """PermissionDeniedError unless `principal` is one of those `rule` names."""
    if rule.by & actors_of(principal, filed_for_party):
        return
    raise PermissionDeniedError(
        f"{principal.name} ({principal.role}) may not {rule.action} case {case_id}: only the "
        f"{' or the '.join(sorted(rule.by))} may"
    )


def actions_for(
    state: CaseState, principal: Principal, filed_for_party: str | None
) -> list[CaseAction]:
    """The actions `principal` may take now on a case in `state` (for pages to offer)."""
    mine = actors_of(principal, filed_for_party)
    return [rule.action for rule in allowed_from(state) if rule.by & mine]
