"""Who may see and do what: roles, classifications, and the principal a request acts as.

The rules are here, as plain functions of plain values, so that the store can turn them into
one SQL condition applied to every read (`truce.store.access`), and anything else can ask the
same question of a single record. The rules, by role:

    role       sees                                              writes
    system     everything (the local operator holding the        everything
               database file: the `truce` command)
    chair      everything                                        records of any party
    delegate   public, committee, and its own party's restricted records of its own party
    monitor    public and committee                              records of any party
    observer   public and committee                              nothing
    admin      public and committee                              users and tokens only
    public     public                                            nothing

A restricted record with no owner party is the chair's alone. Records have an owner party (or
none) and a classification; the security model of DESIGN.md is this table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from truce.core.errors import PermissionDeniedError


class Role(StrEnum):
    ADMIN = "admin"
    CHAIR = "chair"
    DELEGATE = "delegate"
    MONITOR = "monitor"
    OBSERVER = "observer"
    PUBLIC = "public"


class Track(StrEnum):
    """A delegate's track in the talks."""

    MILITARY = "military"
    CIVILIAN = "civilian"


class Classification(StrEnum):
    PUBLIC = "public"
    COMMITTEE = "committee"
    RESTRICTED = "restricted"  # the owner party and the chair only


class Scope(StrEnum):
    """What an API token may be used for; a web session has every scope of its user."""

    READ = "read"
    WRITE = "write"


ALL_SCOPES = frozenset(Scope)
#: roles that may create and change records (within their party, for delegates)
WRITING_ROLES = frozenset({Role.CHAIR, Role.DELEGATE, Role.MONITOR})
#: roles that see committee records
COMMITTEE_ROLES = frozenset({Role.ADMIN, Role.CHAIR, Role.DELEGATE, Role.MONITOR, Role.OBSERVER})


@dataclass(frozen=True)
class Principal:
    """Whoever a read or write acts for: a signed-in user, a token, the public, the system.

    `name` is what the audit records (a username, or "system:<os user>" for the command line).
    """

    name: str
    role: Role
    party: str | None = None
    track: Track | None = None
    user_id: int | None = None
    scopes: frozenset[Scope] = field(default=ALL_SCOPES)
    system: bool = False

    def __post_init__(self) -> None:
        if (self.role is Role.DELEGATE) != (self.party is not None):
            raise PermissionDeniedError(
                f"{self.name}: a delegate has a party and no other role has one"
            )

    @classmethod
    def public(cls) -> Principal:
        """Anyone not signed in."""
        return cls(name="public", role=Role.PUBLIC, scopes=frozenset({Scope.READ}))

    @classmethod
    def local_system(cls, os_user: str) -> Principal:
        """The operator of the `truce` command: whoever can open the database file sees and
        writes everything anyway, so the command does too, and the audit names them."""
        return cls(name=f"system:{os_user}", role=Role.ADMIN, system=True)

    @property
    def sees_everything(self) -> bool:
        return self.system or self.role is Role.CHAIR

    @property
    def sees_committee(self) -> bool:
        return self.sees_everything or self.role in COMMITTEE_ROLES

    def may_see(self, classification: Classification | str, owner_party: str | None) -> bool:
        """Whether this principal may see a record classified so and owned by that party."""
        level = Classification(classification)
        if self.sees_everything or level is Classification.PUBLIC:
            return True
        if level is Classification.COMMITTEE:
            return self.sees_committee
        return self.party is not None and owner_party == self.party

    @property
    def may_write(self) -> bool:
        return self.system or (self.role in WRITING_ROLES and Scope.WRITE in self.scopes)

    @property
    def may_administer(self) -> bool:
        """Manage users and tokens."""
        return self.system or (self.role is Role.ADMIN and Scope.WRITE in self.scopes)

    def check_may_create(
        self, classification: Classification | str, owner_party: str | None
    ) -> None:
        """Raise PermissionDeniedError unless this principal may create (or reclassify to)
        a record classified so and owned by that party."""
        level = Classification(classification)
        if not self.may_write:
            raise PermissionDeniedError(f"{self.name} ({self.role}) may not write records")
        if self.role is Role.DELEGATE and owner_party != self.party:
            raise PermissionDeniedError(
                f"{self.name} is a delegate of {self.party} and may only file records of "
                f"{self.party}, not of {owner_party or 'no party'}"
            )
        if not self.may_see(level, owner_party):
            raise PermissionDeniedError(
                f"{self.name} could not see a {level} record of {owner_party or 'no party'}"
            )
