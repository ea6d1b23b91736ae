"""The shape of a committee set-up file (`truce.committee.import_file`), as pydantic models:
unknown fields are errors, and so are values of the wrong kind (a date that is no date, a
time without a time zone, a status, kind or track outside its choices).

::

    delegations:
      - name: Lebanon
        kind: party                     # party | chair | observer
        party: lebanon                  # a party delegation's party (one of the pack's)
        classification: committee       # public | committee | restricted (default committee)
        members:
          - {name: ..., title: ..., role: head, track: military, username: ...,
             joined_on: 2024-12-10}
    meetings:
      - title: ...
        starts_at: 2025-12-19T10:00:00+02:00      # with a time zone
        ends_at: 2025-12-19T14:00:00+02:00
        place: Naqoura
        tracks: [military, civilian]    # default both
        status: held                    # scheduled | held | cancelled (default scheduled)
        minutes: ...                    # minutes and outcomes: of a held meeting only
        outcomes: ...
        classification: committee
    proposals:
      - {title: ..., summary: ..., kind: economic-project, proposing_party: lebanon,
         track: civilian, status: tabled, meeting: <a meeting's title>,
         classification: committee}
    commitments:
      - {title: ..., responsible_party: lebanon, deadline: 2025-12-31, status: open,
         meeting: <a meeting's title>, proposal: <a proposal's title>,
         classification: committee}
    positions: seed-from-pack           # store the pack's held positions

Every section is optional. A proposal without `proposing_party` is the chair's; a commitment
without `responsible_party` the whole committee's.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from truce.committee import proposals as proposal_rules
from truce.committee.commitments import CommitmentStatus
from truce.committee.delegations import DelegationKind
from truce.committee.meeting_fields import MAX_NAME, MAX_TEXT, MAX_TITLE
from truce.committee.meetings import MeetingStatus
from truce.committee.proposals import ProposalKind, ProposalStatus
from truce.core.access import Classification, Track

#: the one value of the `positions` section
SEED_FROM_PACK = "seed-from-pack"

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TITLE)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_NAME)]
LongText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=proposal_rules.MAX_TEXT)
]
Minutes = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT)
]
Party = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=proposal_rules.MAX_NAME)
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MemberEntry(_Strict):
    name: Name
    title: Name | None = None
    role: Name | None = None
    track: Track | None = None
    username: Name | None = None
    joined_on: dt.date | None = None


class DelegationEntry(_Strict):
    name: Name
    kind: DelegationKind
    party: Party | None = None
    classification: Classification = Classification.COMMITTEE
    members: list[MemberEntry] = Field(default_factory=list)

    @model_validator(mode="after")
    def _party_of_its_kind(self) -> Self:
        if self.kind is DelegationKind.PARTY and self.party is None:
            raise ValueError("a party delegation names its party")
        if self.kind is not DelegationKind.PARTY and self.party is not None:
            raise ValueError(f"a {self.kind} delegation speaks for no party")
        return self


class MeetingEntry(_Strict):
    title: Title
    starts_at: AwareDatetime
    ends_at: AwareDatetime | None = None
    place: Title | None = None
    tracks: list[Track] = Field(default_factory=lambda: list(Track), min_length=1)
    status: MeetingStatus = MeetingStatus.SCHEDULED
    minutes: Minutes | None = None
    outcomes: Minutes | None = None
    classification: Classification = Classification.COMMITTEE

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.ends_at is not None and self.ends_at <= self.starts_at:
            raise ValueError(f"ends at {self.ends_at.isoformat()}, not after it starts")
        if self.status is not MeetingStatus.HELD and (self.minutes or self.outcomes):
            raise ValueError(f"a {self.status} meeting has no minutes or outcomes yet")
        return self

    @property
    def start(self) -> dt.datetime:
        return self.starts_at.astimezone(dt.UTC)


class ProposalEntry(_Strict):
    title: Title
    summary: LongText | None = None
    kind: ProposalKind
    proposing_party: Party | None = None
    track: Track | None = None
    status: ProposalStatus = ProposalStatus.DRAFT
    meeting: Title | None = None
    classification: Classification = Classification.COMMITTEE


class CommitmentEntry(_Strict):
    title: Title
    responsible_party: Party | None = None
    deadline: dt.date | None = None
    status: CommitmentStatus = CommitmentStatus.OPEN
    meeting: Title | None = None
    proposal: Title | None = None
    classification: Classification = Classification.COMMITTEE


class CommitteeFile(_Strict):
    delegations: list[DelegationEntry] = Field(default_factory=list)
    meetings: list[MeetingEntry] = Field(default_factory=list)
    proposals: list[ProposalEntry] = Field(default_factory=list)
    commitments: list[CommitmentEntry] = Field(default_factory=list)
    positions: Literal["seed-from-pack"] | None = None
