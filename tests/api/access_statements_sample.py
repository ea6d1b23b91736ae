"""Joint statements at every access level, for the access matrix (tests/api).

A statement at each level carries its level's marker (``COMMUNIQUErestrictedlebanon``) in its
title and text. The public one went the whole way: drafted for the committee, commented on,
revised, approved by both party delegations, issued and published. Its first draft carries
the committee's marker and its comments those of the parties they are restricted to, so the
matrix finds it if the public is shown a draft, or a delegate the other party's comment.
"""

from __future__ import annotations

from access_sample import ACCESS_LEVELS, Record, marker

from builders import SYSTEM
from truce.committee.delegations import (
    DelegationKind,
    NewDelegation,
    add_delegation,
    list_delegations,
)
from truce.committee.statements import (
    NewStatement,
    add_version,
    approve_statement,
    comment_on_statement,
    draft_statement,
    issue_statement,
    publish_statement,
)
from truce.core.access import Classification
from truce.store import Store

STATEMENTS = "COMMUNIQUE"


def seed_statements(store: Store) -> tuple[Record, ...]:
    """A statement at every access level; both party delegations added if none are yet."""
    party_delegations = _party_delegations(store)
    records = []
    for classification, owner in ACCESS_LEVELS:
        mark = marker(STATEMENTS, classification, owner)
        # a statement is drafted for the committee or restricted, and made public by publishing
        drafted_as = (
            Classification.RESTRICTED
            if classification is Classification.RESTRICTED
            else Classification.COMMITTEE
        )
        first_text = mark
        if classification is Classification.PUBLIC:
            # the first draft is the committee's: the public must never read it
            first_text = marker(STATEMENTS, Classification.COMMITTEE, None)
        statement = draft_statement(
            store,
            NewStatement(
                title=f"Joint statement {mark}",
                text=f"The committee met. {first_text} was agreed.",
                classification=drafted_as,
                owner_party=owner,
            ),
            by=SYSTEM,
        )
        if classification is Classification.PUBLIC:
            for party in ("israel", "lebanon"):
                comment_on_statement(
                    store,
                    statement.id,
                    f"Our view: {marker(STATEMENTS, Classification.RESTRICTED, party)}",
                    by=SYSTEM,
                    delegation_id=party_delegations[party],
                    classification=Classification.RESTRICTED,
                )
            add_version(store, statement.id, f"The committee met. {mark} was agreed.", by=SYSTEM)
            for delegation_id in party_delegations.values():
                approve_statement(store, statement.id, by=SYSTEM, delegation_id=delegation_id)
            issue_statement(store, statement.id, by=SYSTEM)
            publish_statement(store, statement.id, by=SYSTEM)
        records.append(Record("statements", statement.id, classification, owner, mark))
    return tuple(records)


def _party_delegations(store: Store) -> dict[str, int]:
    """Both parties' delegations: those another sample added, else added here."""
    found = {d.party: d.id for d in list_delegations(store, viewer=SYSTEM) if d.party is not None}
    for party, name in (("israel", "Israel"), ("lebanon", "Lebanon")):
        if party not in found:
            made = add_delegation(
                store,
                NewDelegation(kind=DelegationKind.PARTY, name=name, party=party),
                by=SYSTEM,
            )
            found[party] = made.id
    return found
