"""Delegations and their members: the chair manages them, everyone reads what their access
allows, and every change is in the audit chain."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from meetings_sample import (
    CHAIR,
    CHAIR_READ_ONLY,
    ISRAEL_DELEGATE,
    LEBANON_DELEGATE,
    OBSERVER,
    PUBLIC,
    delegations,
)

from builders import SYSTEM
from truce.committee.delegations import (
    DelegationKind,
    NewDelegation,
    NewMember,
    add_delegation,
    add_member,
    end_membership,
    get_delegation,
    list_delegations,
)
from truce.core.access import Classification, Role, Track
from truce.core.errors import ConflictError, InputError, NotFoundError, PermissionDeniedError
from truce.security import add_user
from truce.security.audit import verify_chain
from truce.store import Store
from truce.store.audit import read_chain
from truce.store.schema import audit_log


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as opened:
        yield opened


def test_the_table_with_its_delegations_and_members(store: Store) -> None:
    made = delegations(store)
    listed = list_delegations(store, viewer=OBSERVER)
    assert [d.name for d in listed] == ["Chair", "France", "Israel", "Lebanon", "UNIFIL"]
    lebanon = get_delegation(store, made["Lebanon"], viewer=ISRAEL_DELEGATE)
    assert (lebanon.kind, lebanon.party, lebanon.owner_party) == (
        DelegationKind.PARTY,
        "lebanon",
        "lebanon",
    )
    assert lebanon.classification is Classification.COMMITTEE
    assert [(m.name, m.title, m.track) for m in lebanon.members] == [
        ("Simon Karam", "former ambassador", Track.CIVILIAN),
        ("Edgard Lawandos", "Brigadier General", Track.MILITARY),
    ]
    assert all(member.current for member in lebanon.members)
    france = get_delegation(store, made["France"], viewer=CHAIR)
    assert (france.kind, france.party, france.members) == (DelegationKind.OBSERVER, None, ())
    # committee records: the public sees none of them
    assert list_delegations(store, viewer=PUBLIC) == []
    with pytest.raises(NotFoundError, match=f"no delegation with id {made['Israel']}"):
        get_delegation(store, made["Israel"], viewer=PUBLIC)


def test_members_join_with_their_accounts_and_leave(store: Store) -> None:
    made = delegations(store)
    add_user(store, username="karam", role=Role.DELEGATE, password="p" * 16, by=SYSTEM,
             party="lebanon", track=Track.CIVILIAN)  # fmt: skip
    add_user(store, username="resnick", role=Role.DELEGATE, password="p" * 16, by=SYSTEM,
             party="israel")  # fmt: skip
    envoy = add_member(
        store,
        made["Lebanon"],
        NewMember(
            name="Karam",
            title="envoy",
            role="head",
            track="civilian",
            username="karam",
            joined_on=dt.date(2025, 12, 3),
        ),
        by=CHAIR,
    )
    assert (envoy.username, envoy.role, envoy.track, envoy.created_by) == (
        "karam",
        "head",
        Track.CIVILIAN,
        "chair",
    )
    with pytest.raises(InputError, match="resnick is a delegate of israel, not a member"):
        add_member(store, made["Lebanon"], NewMember(name="R", username="resnick"), by=CHAIR)
    with pytest.raises(InputError, match="username: no user 'nobody'"):
        add_member(store, made["Lebanon"], NewMember(name="N", username="nobody"), by=CHAIR)
    with pytest.raises(InputError, match="track: 'naval' is not one of military, civilian"):
        add_member(store, made["Lebanon"], NewMember(name="N", track="naval"), by=CHAIR)
    with pytest.raises(InputError, match="left_on: 2025-12-01 is before the member joined"):
        end_membership(store, envoy.id, left_on=dt.date(2025, 12, 1), by=CHAIR)
    left = end_membership(store, envoy.id, left_on=dt.date(2026, 1, 15), by=CHAIR)
    assert (left.left_on, left.current, left.username) == (dt.date(2026, 1, 15), False, "karam")
    with pytest.raises(ConflictError, match="left on 2026-01-15 already"):
        end_membership(store, envoy.id, left_on=dt.date(2026, 2, 1), by=CHAIR)
    shown = get_delegation(store, made["Lebanon"], viewer=LEBANON_DELEGATE).members[-1]
    assert (shown.id, shown.left_on) == (envoy.id, dt.date(2026, 1, 15))
    with store.reading("test") as connection:
        rows = connection.execute(
            sa.select(audit_log.c.actor, audit_log.c.detail).where(
                audit_log.c.action == "delegation.member.leave"
            )
        ).all()
    assert [(actor, json.loads(detail)["left_on"]) for actor, detail in rows] == [
        ("chair", "2026-01-15")
    ]
    report = verify_chain(read_chain(store))
    assert report.ok, report.problem


def test_only_the_chair_manages_delegations(store: Store) -> None:
    made = delegations(store)
    new = NewDelegation(kind="observer", name="United States")
    for who in (LEBANON_DELEGATE, OBSERVER, PUBLIC, CHAIR_READ_ONLY):
        with pytest.raises(PermissionDeniedError, match="the chair does"):
            add_delegation(store, new, by=who)
        with pytest.raises(PermissionDeniedError):
            add_member(store, made["Lebanon"], NewMember(name="Someone"), by=who)
    assert add_delegation(store, new, by=CHAIR).name == "United States"


def test_delegations_are_checked(store: Store) -> None:
    delegations(store)
    with pytest.raises(ConflictError, match="lebanon has a delegation already"):
        add_delegation(
            store, NewDelegation(kind="party", name="Lebanon II", party="lebanon"), by=CHAIR
        )
    with pytest.raises(ConflictError, match="named 'unifil' already"):
        add_delegation(store, NewDelegation(kind="observer", name="unifil"), by=CHAIR)
    with pytest.raises(InputError, match="party: unknown party 'syria'"):
        add_delegation(store, NewDelegation(kind="party", name="Syria", party="syria"), by=CHAIR)
    with pytest.raises(InputError, match="party: a party delegation names its party"):
        add_delegation(store, NewDelegation(kind="party", name="Nobody's"), by=CHAIR)
    with pytest.raises(InputError, match="party: a observer delegation speaks for no party"):
        add_delegation(
            store, NewDelegation(kind="observer", name="Egypt", party="israel"), by=CHAIR
        )
    with pytest.raises(InputError, match="kind: 'guest' is not one of party, chair, observer"):
        add_delegation(store, NewDelegation(kind="guest", name="Qatar"), by=CHAIR)


def test_a_restricted_delegation_is_its_party_s_and_the_chair_s(store: Store) -> None:
    israel = add_delegation(
        store,
        NewDelegation(
            kind="party", name="Israel", party="israel", classification=Classification.RESTRICTED
        ),
        by=CHAIR,
    )
    add_member(store, israel.id, NewMember(name="Uri Resnick", track="civilian"), by=CHAIR)
    assert [d.id for d in list_delegations(store, viewer=ISRAEL_DELEGATE)] == [israel.id]
    assert len(get_delegation(store, israel.id, viewer=CHAIR).members) == 1
    for viewer in (LEBANON_DELEGATE, OBSERVER):
        assert list_delegations(store, viewer=viewer) == []
        with pytest.raises(NotFoundError):
            get_delegation(store, israel.id, viewer=viewer)
