"""A pack's `agreement.yaml`: the clauses of the agreement and the phases of a plan, as data.

Each clause has the parties it binds and the conditions that make an event evidence about it::

    id: coh-2024-02
    number: 2
    title: No operations across the line
    summary: ...
    obligated: [lebanon, israel]          # party ids from actors.yaml
    conditions:
      - effect: violation                 # or compliance
        acting_parties: [israel]          # the party of the event's acting actor
        target_parties: []                # the party of the actor acted on; [] = any
        event_types: [Explosions/Remote violence]      # ACLED; with sub_event_types,
        sub_event_types: [Air/drone strike]           # or PLOVER: at least one is given
        plover: [ASSAULT]
        zones: [south-of-litani]          # zone ids from zones.geojson; [] = anywhere
        countries: [LB]                   # ISO codes of the event's country; [] = any
        window: {start: 2024-11-27, end: null}         # inclusive dates
        answerable: lebanon               # optional: the party that answers for it
    not_checkable: why no condition can be written   # instead of conditions

An event meets a condition when every part given holds: its acting actor's party is one of
`acting_parties`; its other actor's party is one of `target_parties` (when given); its coding
is listed (its ACLED sub-event type is in `sub_event_types`, or, when no sub-event types are
given, its event type is in `event_types`; or its PLOVER type is in `plover`); it lies in one
of `zones` and in one of `countries` (when given); its date is inside `window`. Meeting a
condition makes an event a candidate for people to review, never a finding.

Who answers for an event meeting a condition is `answerable` when given (say, Lebanon for
the acts of armed groups from its territory), which must be one of the clause's `obligated`
parties. Without it, the acting party answers when the clause obligates it, else the
clause's only obligated party; a condition whose acting party the clause does not obligate,
in a clause that obligates several, must say `answerable` (`Clause.answerable` applies
this rule, the loader enforces it).

A `plan` (optional) lists phases in order, each over zones, with a status and dates as
publicly reported; `uncertain` names the fields reporting does not settle.
`load_agreement` checks every reference (parties, answerable parties, zones, ACLED and PLOVER
codes) and raises TheatreError naming the file and the line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Annotated, Any, Literal, Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, model_validator

from truce.core.errors import TheatreError
from truce.core.vocab import ACLED_EVENT_TYPES, ACLED_SUB_EVENT_TYPES, Plover
from truce.theatre.yamlfile import YamlLines, describe, where

NonEmpty = Annotated[str, Field(min_length=1)]
Identifier = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
CountryCode = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
Effect = Literal["violation", "compliance"]
PhaseStatus = Literal["planned", "in-progress", "reported-complete", "suspended"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Window(_Strict):
    """When a condition applies: from `start` to `end` (inclusive); no end: still applies."""

    start: dt.date
    end: dt.date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"window ends ({self.end}) before it starts ({self.start})")
        return self

    def contains(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


class Condition(_Strict):
    """What makes an event evidence of a violation of, or compliance with, a clause."""

    effect: Effect
    acting_parties: Annotated[list[NonEmpty], Field(min_length=1)]
    target_parties: list[NonEmpty] = []
    event_types: list[str] = []
    sub_event_types: list[str] = []
    plover: list[Plover] = []
    zones: list[NonEmpty] = []
    countries: list[CountryCode] = []
    window: Window
    answerable: NonEmpty | None = None
    note: str = ""

    @model_validator(mode="after")
    def _codes(self) -> Self:
        for event_type in self.event_types:
            if event_type not in ACLED_EVENT_TYPES:
                raise ValueError(f"unknown ACLED event type {event_type!r}")
        for sub in self.sub_event_types:
            parent = ACLED_SUB_EVENT_TYPES.get(sub)
            if parent is None:
                raise ValueError(f"unknown ACLED sub-event type {sub!r}")
            if self.event_types and parent not in self.event_types:
                raise ValueError(
                    f"sub-event type {sub!r} belongs to {parent!r}, which event_types lacks"
                )
        if not (self.event_types or self.sub_event_types or self.plover):
            raise ValueError("give event_types, sub_event_types or plover (what events count)")
        return self


class Deadline(_Strict):
    """A date a clause sets, as publicly reported."""

    date: dt.date
    what: NonEmpty
    uncertain: bool = False


class Clause(_Strict):
    """One commitment of the agreement."""

    id: Identifier
    number: Annotated[int, Field(ge=1)]
    title: NonEmpty
    summary: NonEmpty
    obligated: Annotated[list[NonEmpty], Field(min_length=1)]
    conditions: list[Condition] = []
    not_checkable: str | None = None
    deadlines: list[Deadline] = []

    @model_validator(mode="after")
    def _checkable_or_why_not(self) -> Self:
        if bool(self.conditions) == bool(self.not_checkable):
            raise ValueError("give conditions, or not_checkable saying why there are none")
        return self

    @property
    def checkable(self) -> bool:
        return bool(self.conditions)

    def answerable(self, condition: Condition, acting_party: str) -> str | None:
        """The party that answers for an event of `acting_party` meeting `condition`: the
        condition's `answerable`, else the acting party when the clause obligates it, else the
        clause's only obligated party; None when the clause obligates several (the loader
        refuses such conditions)."""
        if condition.answerable is not None:
            return condition.answerable
        if acting_party in self.obligated:
            return acting_party
        obligated = set(self.obligated)
        return self.obligated[0] if len(obligated) == 1 else None


PhaseField = Literal["status", "started", "target", "completed"]


class Phase(_Strict):
    """One phase of a plan, over some zones, with its status and dates as reported."""

    id: Identifier
    order: Annotated[int, Field(ge=1)]
    name: NonEmpty
    areas: Annotated[list[NonEmpty], Field(min_length=1)]
    status: PhaseStatus
    started: dt.date | None = None
    target: dt.date | None = None
    completed: dt.date | None = None
    uncertain: list[PhaseField] = []
    note: str = ""
    sources: list[NonEmpty] = []

    @model_validator(mode="after")
    def _dates_fit_status(self) -> Self:
        if self.status == "reported-complete" and self.completed is None:
            raise ValueError("a reported-complete phase needs its completed date")
        if self.completed is not None and self.status != "reported-complete":
            raise ValueError(f"completed is given but the status is {self.status!r}")
        return self


class Plan(_Strict):
    """A plan carried out under the agreement, in ordered phases."""

    id: Identifier
    name: NonEmpty
    summary: NonEmpty
    decided: dt.date | None = None
    as_of: dt.date  # the date of the latest reporting the statuses follow
    sources: list[NonEmpty] = []
    phases: Annotated[list[Phase], Field(min_length=1)]


class Agreement(_Strict):
    """The agreement a theatre's mechanism watches: clauses and, optionally, a plan."""

    id: Identifier
    title: NonEmpty
    signed: dt.date
    in_force: AwareDatetime
    sources: Annotated[list[NonEmpty], Field(min_length=1)]
    clauses: Annotated[list[Clause], Field(min_length=1)]
    plan: Plan | None = None

    def clause(self, clause_id: str) -> Clause:
        """The clause with this id; TheatreError when there is none."""
        for clause in self.clauses:
            if clause.id == clause_id:
                return clause
        raise TheatreError(f"agreement {self.id!r} has no clause {clause_id!r}")

    @property
    def phases(self) -> tuple[Phase, ...]:
        """The plan's phases in order (none without a plan)."""
        return tuple(sorted(self.plan.phases, key=lambda p: p.order)) if self.plan else ()


def _check_unique(
    values: Iterable[tuple[Any, tuple[Any, ...]]], what: str, document: YamlLines
) -> None:
    seen: dict[Any, tuple[Any, ...]] = {}
    for value, loc in values:
        if value in seen:
            first = document.line_of(seen[value])
            raise TheatreError(
                f"{where(document.path, document.line_of(loc))}: {what} {value!r} already "
                f"used on line {first}"
            )
        seen[value] = loc


def _check_answerable(
    clause: Clause,
    condition: Condition,
    loc: tuple[Any, ...],
    party: Callable[[str, tuple[Any, ...]], None],
    fail: Callable[[tuple[Any, ...], str], None],
) -> None:
    obligated = ", ".join(clause.obligated)
    if condition.answerable is not None:
        party(condition.answerable, (*loc, "answerable"))
        if condition.answerable not in clause.obligated:
            fail(
                (*loc, "answerable"),
                f"answerable party {condition.answerable!r} is not one the clause obligates "
                f"({obligated})",
            )
        return
    for j, name in enumerate(condition.acting_parties):
        if clause.answerable(condition, name) is None:
            fail(
                (*loc, "acting_parties", j),
                f"the clause does not obligate acting party {name!r} and obligates several "
                f"({obligated}): say which answers with `answerable:`",
            )


def _check_references(
    agreement: Agreement, document: YamlLines, parties: Mapping[str, str], zones: set[str]
) -> None:
    def fail(loc: tuple[Any, ...], message: str) -> None:
        raise TheatreError(f"{where(document.path, document.line_of(loc))}: {message}")

    def party(value: str, loc: tuple[Any, ...]) -> None:
        if value not in parties:
            fail(loc, f"party {value!r} is not declared in actors.yaml ({', '.join(parties)})")

    def zone(value: str, loc: tuple[Any, ...]) -> None:
        if value not in zones:
            fail(loc, f"zone {value!r} is not in zones.geojson")

    _check_unique(((c.id, ("clauses", i)) for i, c in enumerate(agreement.clauses)),
                  "clause id", document)  # fmt: skip
    _check_unique(((c.number, ("clauses", i, "number")) for i, c in enumerate(agreement.clauses)),
                  "clause number", document)  # fmt: skip
    for i, clause in enumerate(agreement.clauses):
        for j, name in enumerate(clause.obligated):
            party(name, ("clauses", i, "obligated", j))
        for k, condition in enumerate(clause.conditions):
            loc = ("clauses", i, "conditions", k)
            for field in ("acting_parties", "target_parties"):
                for j, name in enumerate(getattr(condition, field)):
                    party(name, (*loc, field, j))
            _check_answerable(clause, condition, loc, party, fail)
            for j, name in enumerate(condition.zones):
                zone(name, (*loc, "zones", j))
            if condition.window.start < agreement.signed:
                fail((*loc, "window", "start"), "window starts before the agreement was signed")
    if agreement.plan is None:
        return
    phases = agreement.plan.phases
    _check_unique(((p.id, ("plan", "phases", i)) for i, p in enumerate(phases)),
                  "phase id", document)  # fmt: skip
    _check_unique(((p.order, ("plan", "phases", i, "order")) for i, p in enumerate(phases)),
                  "phase order", document)  # fmt: skip
    orders = sorted(p.order for p in phases)
    if orders != list(range(1, len(phases) + 1)):
        fail(("plan", "phases"), f"phase orders must run 1..{len(phases)}, got {orders}")
    for i, phase in enumerate(phases):
        for j, name in enumerate(phase.areas):
            zone(name, ("plan", "phases", i, "areas", j))


def load_agreement(path: Path, *, parties: Mapping[str, str], zones: Iterable[str]) -> Agreement:
    """The agreement of `agreement.yaml`, checked against the pack's parties and zone ids."""
    if not path.is_file():
        raise TheatreError(f"{path}: missing (every theatre pack needs {path.name})")
    document = YamlLines(path)
    try:
        agreement = Agreement.model_validate(document.value)
    except ValidationError as error:
        first = error.errors()[0]
        line = document.line_of(first["loc"])
        raise TheatreError(f"{where(path, line)}: {describe(dict(first))}") from None
    _check_references(agreement, document, parties, set(zones))
    return agreement
