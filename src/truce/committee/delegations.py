"""The delegations at the table and their members.

A party delegation speaks for one party of the theatre pack (one per party); the chair's
delegation is the mediator's; observers (France, UNIFIL) sit without a party. Members have a
name, a title, a role in the delegation (head, deputy, expert, envoy), a track (military or
civilian), optionally the user account they sign in with, and when they joined and left.
Members are never deleted: one who leaves keeps the day it left.

The chair (or the system) manages delegations; everyone else reads them, as far as their
classification allows (a delegation is a classified record; its members are seen with it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from truce.committee.meeting_fields import (
    MAX_NAME,
    choice,
    now,
    optional_text,
    require_chair,
    text,
)
from truce.core.access import Classification, Principal, Role, Track
from truce.core.errors import ConflictError, InputError, NotFoundError
from truce.store import Store
from truce.store.meetings import (
    DelegationRow,
    MemberRow,
    delegation_in_batch,
    delegation_named,
    insert_delegation,
    insert_member,
    member_in_batch,
    party_delegation_exists,
    read_delegations,
    set_member_left,
    user_id_of,
)
from truce.theatre import TheatrePack, load_pack


class DelegationKind(StrEnum):
    PARTY = "party"  # speaks for a party of the pack
    CHAIR = "chair"  # the mediator
    OBSERVER = "observer"  # France, UNIFIL


@dataclass(frozen=True)
class NewDelegation:
    """A delegation to add: a party delegation names its party (and is owned by it); the
    chair's and observers' have none, and may be owned by a party (`owner_party`: who a
    restricted one is shared with, besides the chair)."""

    kind: DelegationKind | str
    name: str
    party: str | None = None
    classification: Classification = Classification.COMMITTEE
    owner_party: str | None = None


@dataclass(frozen=True)
class NewMember:
    name: str
    title: str | None = None  # "Brigadier General", "former ambassador"
    role: str | None = None  # in the delegation: head, deputy, expert, envoy
    track: Track | str | None = None
    username: str | None = None  # the member's account, if any
    joined_on: dt.date | None = None


@dataclass(frozen=True)
class Member:
    id: int
    delegation_id: int
    name: str
    title: str | None
    role: str | None
    track: Track | None
    username: str | None
    joined_on: dt.date | None
    left_on: dt.date | None
    created_by: str
    created_at: dt.datetime

    @property
    def current(self) -> bool:
        """Still a member (has not left)."""
        return self.left_on is None


@dataclass(frozen=True)
class Delegation:
    id: int
    kind: DelegationKind
    party: str | None
    name: str
    classification: Classification
    owner_party: str | None
    created_by: str
    created_at: dt.datetime
    members: tuple[Member, ...]  # those who left too, oldest first


def list_delegations(store: Store, *, viewer: Principal) -> list[Delegation]:
    """The delegations `viewer` may see, by name, with their members."""
    return [_delegation(row, members) for row, members in read_delegations(store, viewer=viewer)]


def get_delegation(store: Store, delegation_id: int, *, viewer: Principal) -> Delegation:
    """One delegation with its members; NotFoundError if none or `viewer` may not see it."""
    found = read_delegations(store, viewer=viewer, delegation_id=delegation_id)
    if not found:
        raise NotFoundError(f"no delegation with id {delegation_id}")
    row, members = found[0]
    return _delegation(row, members)


def add_delegation(
    store: Store, new: NewDelegation, *, by: Principal, pack: TheatrePack | None = None
) -> Delegation:
    """Add a delegation (the chair). A party delegation's party must be one of the pack's,
    and have no delegation yet (ConflictError); names are unique (ConflictError)."""
    require_chair(by, "add delegations")
    kind = choice(new.kind, DelegationKind, "kind")
    name = text(new.name, "name", MAX_NAME)
    party = optional_text(new.party, "party", MAX_NAME)
    classification = choice(new.classification, Classification, "classification")
    owner = optional_text(new.owner_party, "owner_party", MAX_NAME)
    if kind is DelegationKind.PARTY:
        if party is None:
            raise InputError("a party delegation names its party", source="party")
        party = _pack_party(pack, party, "party")
        if owner is not None and owner != party:
            raise InputError(
                f"a party delegation is owned by its party, {party}", source="owner_party"
            )
        owner = party
    elif party is not None:
        raise InputError(f"a {kind} delegation speaks for no party", source="party")
    elif owner is not None:
        owner = _pack_party(pack, owner, "owner_party")
    by.check_may_create(classification, owner)
    with store.transaction(by=by) as batch:
        if party is not None and party_delegation_exists(batch, party):
            raise ConflictError(f"{party} has a delegation already")
        if delegation_named(batch, name):
            raise ConflictError(f"there is a delegation named {name!r} already")
        row = insert_delegation(
            batch,
            kind=kind.value,
            party=party,
            name=name,
            at=now(),
            classification=classification,
            owner_party=owner,
        )
    return _delegation(row, ())


def _pack_party(pack: TheatrePack | None, party: str, field: str) -> str:
    try:
        return (pack or load_pack()).party(party)
    except InputError as error:
        raise InputError(error.message, source=field) from None


def add_member(store: Store, delegation_id: int, new: NewMember, *, by: Principal) -> Member:
    """Add a member to a delegation (the chair). A member's account, if given, must exist;
    a delegate's account may only be a member of its own party's delegation."""
    require_chair(by, "add delegation members")
    name = text(new.name, "name", MAX_NAME)
    title = optional_text(new.title, "title", MAX_NAME)
    role = optional_text(new.role, "role", MAX_NAME)
    track = None if new.track is None else choice(new.track, Track, "track")
    username = optional_text(new.username, "username", MAX_NAME)
    with store.transaction(by=by) as batch:
        delegation = delegation_in_batch(batch, delegation_id)
        user = None
        if username is not None:
            found = user_id_of(batch, username)
            if found is None:
                raise InputError(f"no user {username!r}", source="username")
            user_id, user_party, user_role = found
            if user_role == Role.DELEGATE.value and user_party != delegation.party:
                raise InputError(
                    f"{username} is a delegate of {user_party}, not a member of the "
                    f"{delegation.name} delegation",
                    source="username",
                )
            user = (user_id, username)
        row = insert_member(
            batch,
            delegation.id,
            name=name,
            title=title,
            role=role,
            track=None if track is None else track.value,
            user=user,
            joined_on=new.joined_on,
            at=now(),
        )
    return _member(row)


def end_membership(store: Store, member_id: int, *, left_on: dt.date, by: Principal) -> Member:
    """Record that a member left its delegation on `left_on` (the chair); ConflictError if
    it has left already, InputError if before it joined."""
    require_chair(by, "change delegation members")
    with store.transaction(by=by) as batch:
        member = member_in_batch(batch, member_id)
        if member.joined_on is not None and left_on < member.joined_on:
            raise InputError(
                f"{left_on} is before the member joined ({member.joined_on})", source="left_on"
            )
        if member.left_on is not None:
            raise ConflictError(f"member {member.id} left on {member.left_on} already")
        row = set_member_left(batch, member, left_on)
    return _member(row)


def _member(row: MemberRow) -> Member:
    return Member(
        id=row.id,
        delegation_id=row.delegation_id,
        name=row.name,
        title=row.title,
        role=row.role,
        track=None if row.track is None else Track(row.track),
        username=row.username,
        joined_on=row.joined_on,
        left_on=row.left_on,
        created_by=row.created_by,
        created_at=row.created_at,
    )


def _delegation(row: DelegationRow, members: tuple[MemberRow, ...] | tuple[()]) -> Delegation:
    return Delegation(
        id=row.id,
        kind=DelegationKind(row.kind),
        party=row.party,
        name=row.name,
        classification=row.classification,
        owner_party=row.owner_party,
        created_by=row.created_by,
        created_at=row.created_at,
        members=tuple(_member(member) for member in members),
    )
