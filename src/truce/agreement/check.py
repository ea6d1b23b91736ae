"""Checking events against a theatre pack's agreement: candidates, grouped, with reasons.

`AgreementChecker.for_pack(pack)` holds what the check needs of a pack (the checkable
clauses' conditions, the zones in a spatial index, the actors' parties) and is cached per
pack folder (rebuilt when the pack is loaded afresh, e.g. after its files changed).

`checker.check(events)` takes `(event id, Event)` pairs and evaluates every condition of
every checkable clause on every *asserted* event (planned, threatened, denied and
hypothetical events are never evidence of what happened). The condition semantics are
`truce.theatre.agreement`'s: the acting party is the party of `actor1` (as
`pack.actor_for` names it), the target party that of `actor2`; an actor the pack does not
know, or knows without a party, meets no party condition. Zones are those whose shape holds
the event's coordinates (an event without coordinates meets no zone condition); an event
without a date meets no window. Events meeting the same condition of the same clause with
the same answerable party (`Clause.answerable`) make one `CandidateViolation`, with the
ids of all of them and a reason in words. A candidate is for people to review, never a
finding; compliance candidates (effect `compliance`) count towards a commitment.

`checker.explain(event)` says, for every condition, whether the event meets it and, part by
part, what held and what failed: for the UI and the CLI.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Final, Literal

from truce.agreement.words import EventFacts, actor_words, day, reason, window_words
from truce.agreement.words import party_name as name_of_party
from truce.core.errors import TheatreError
from truce.core.models import Actor, Event
from truce.core.vocab import Modality
from truce.geo.zones import Zone, ZoneIndex
from truce.theatre.agreement import Clause, Condition
from truce.theatre.pack import TheatrePack, load_pack

Effect = Literal["violation", "compliance"]
Part = Literal["modality", "acting party", "target party", "coding", "zones", "countries", "window"]
EFFECT_ORDER: Final = {"violation": 0, "compliance": 1}
ACLED_PERIOD: Final = re.compile(r"\s*\(\d{4}-(?:\d{4})?\)\s*$")


@dataclass(frozen=True)
class CandidateViolation:
    """Events that meet one condition of a clause, for the party that answers for them.

    `effect` 'compliance' marks events that count towards the commitment instead.
    `acting_party` is the party most of the events' acting actors count for (ties: the
    condition's order), `target_party` that of the actors acted on (None when none has a
    party); `zones` are the ids of every zone the events lie in, in the pack's order.
    """

    clause_id: str
    clause_number: int
    clause_title: str
    effect: Effect
    party: str
    party_name: str
    acting_party: str
    target_party: str | None
    condition: int
    event_ids: tuple[int, ...]
    zones: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class PartCheck:
    """One part of a condition on one event: whether it holds, and why, in words."""

    part: Part
    met: bool
    detail: str


@dataclass(frozen=True)
class ConditionTrace:
    """How one event fares against one condition of a clause."""

    clause_id: str
    clause_number: int
    clause_title: str
    condition: int
    effect: Effect
    party: str | None  # who would answer, once the acting party is one the condition names
    parts: tuple[PartCheck, ...]

    @property
    def met(self) -> bool:
        return all(part.met for part in self.parts)

    @property
    def failed(self) -> tuple[PartCheck, ...]:
        """The parts that do not hold (none when the event meets the condition)."""
        return tuple(part for part in self.parts if not part.met)


# -- the parts of a condition, one predicate each (check and explain share them) -------------


def _acting(condition: Condition, facts: EventFacts) -> bool:
    return facts.acting_party is not None and facts.acting_party in condition.acting_parties


def _target(condition: Condition, facts: EventFacts) -> bool:
    if not condition.target_parties:
        return True
    return facts.target_party is not None and facts.target_party in condition.target_parties


def _coding(condition: Condition, facts: EventFacts) -> bool:
    event = facts.event
    if condition.sub_event_types:
        if event.sub_event_type in condition.sub_event_types:
            return True
    elif event.event_type is not None and event.event_type in condition.event_types:
        return True
    return event.plover is not None and event.plover in condition.plover


def _zones(condition: Condition, facts: EventFacts) -> bool:
    return not condition.zones or any(zone.id in condition.zones for zone in facts.zones)


def _countries(condition: Condition, facts: EventFacts) -> bool:
    country = facts.event.country
    return not condition.countries or (country is not None and country in condition.countries)


def _window(condition: Condition, facts: EventFacts) -> bool:
    date = facts.event.event_date
    return date is not None and condition.window.contains(date)


PREDICATES: Final[tuple[tuple[Part, Callable[[Condition, EventFacts], bool]], ...]] = (
    ("acting party", _acting),
    ("target party", _target),
    ("coding", _coding),
    ("zones", _zones),
    ("countries", _countries),
    ("window", _window),
)


def meets(condition: Condition, facts: EventFacts) -> bool:
    """Whether the event meets every part of the condition (its modality aside)."""
    return all(predicate(condition, facts) for _, predicate in PREDICATES)


def _listing(values: Iterable[object]) -> str:
    return ", ".join(str(value) for value in values)


def _party_detail(role: str, actor: Actor | None, text: str | None, wanted: list[str]) -> str:
    named = actor_words(actor, text)
    if named is None:
        return f"no {role} given; needs {_listing(wanted)}"
    party = actor.party if actor is not None else None
    counts = f"{named} counts for {party}" if party else f"{named} counts for no party"
    return counts if party in wanted else f"{counts}; needs {_listing(wanted)}"


def _detail(part: Part, met: bool, condition: Condition, facts: EventFacts) -> str:
    event = facts.event
    if part == "acting party":
        return _party_detail("acting actor", facts.actor1, event.actor1, condition.acting_parties)
    if part == "target party":
        if not condition.target_parties:
            return "any party acted on"
        return _party_detail("actor acted on", facts.actor2, event.actor2, condition.target_parties)
    if part == "coding":
        coded = _listing(
            c for c in (event.event_type, event.sub_event_type, event.plover) if c is not None
        )
        wanted = condition.sub_event_types or condition.event_types
        needs = _listing([*wanted, *condition.plover])
        return f"coded {coded}" + ("" if met else f"; needs one of {needs}")
    if part == "zones":
        if not condition.zones:
            return "anywhere"
        inside = _listing(zone.name for zone in facts.zones) or "no zone"
        if event.latitude is None:
            inside = "no coordinates"
        return f"inside {inside}" + ("" if met else f"; needs {_listing(condition.zones)}")
    if part == "countries":
        if not condition.countries:
            return "any country"
        country = event.country or "no country given"
        return country if met else f"{country}; needs {_listing(condition.countries)}"
    window = window_words(condition.window)
    if event.event_date is None:
        return f"no date given; needs a date {window}"
    return f"{day(event.event_date)}, " + ("inside" if met else "outside") + f" the window {window}"


# -- the checker ----------------------------------------------------------------------------


class AgreementChecker:
    """A pack's agreement, ready to check events against (see the module docstring)."""

    _cache: ClassVar[dict[Path, AgreementChecker]] = {}
    _cache_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, pack: TheatrePack) -> None:
        self.pack = pack
        try:
            self.agreement_hash = hashlib.sha256(pack.agreement_path.read_bytes()).hexdigest()
        except OSError as error:
            raise TheatreError(f"{pack.agreement_path}: cannot read: {error}") from error
        self.clauses: tuple[Clause, ...] = tuple(
            sorted(pack.agreement.clauses, key=lambda clause: clause.number)
        )
        self.conditions: tuple[tuple[Clause, int, Condition], ...] = tuple(
            (clause, index, condition)
            for clause in self.clauses
            for index, condition in enumerate(clause.conditions)
        )
        self.zone_index = ZoneIndex.from_features(pack.zone_features(), source=str(pack.zones_path))
        self._actors: dict[str, Actor | None] = {}

    @classmethod
    def for_pack(cls, pack: TheatrePack) -> AgreementChecker:
        """The checker of this pack, built once per pack folder and loaded pack."""
        with cls._cache_lock:
            cached = cls._cache.get(pack.path)
        if cached is not None and cached.pack is pack:
            return cached
        checker = cls(pack)
        with cls._cache_lock:
            cls._cache[pack.path] = checker
        return checker

    def actor(self, text: str | None) -> Actor | None:
        """The pack's actor an event's actor text names (None: no text, or not known).

        ACLED dates state forces by period ("Military Forces of Israel (2022-)"); events
        imported with such names count for the actor without the period.
        """
        if text is None:
            return None
        if text not in self._actors:
            actor = self.pack.actor_for(text)
            if actor is None and ACLED_PERIOD.search(text):
                actor = self.pack.actor_for(ACLED_PERIOD.sub("", text))
            self._actors[text] = actor
        return self._actors[text]

    def facts(self, event: Event) -> EventFacts:
        """The event with its actors resolved and the zones its point lies in."""
        zones: tuple[Zone, ...] = ()
        if event.latitude is not None and event.longitude is not None:
            zones = tuple(self.zone_index.zones_at(event.latitude, event.longitude))
        return EventFacts(event, self.actor(event.actor1), self.actor(event.actor2), zones)

    def check(self, events: Iterable[tuple[int, Event]]) -> list[CandidateViolation]:
        """The candidates among `events` (`(id, Event)` pairs), one per clause, condition
        and answerable party; violations first, then by clause number and condition."""
        groups: dict[tuple[int, int, str], dict[int, EventFacts]] = {}
        for event_id, event in events:
            if event.modality != Modality.ASSERTED:
                continue
            facts = self.facts(event)
            if facts.acting_party is None:  # every condition names acting parties
                continue
            for order, (clause, index, condition) in enumerate(self.conditions):
                if not meets(condition, facts):
                    continue
                party = clause.answerable(condition, facts.acting_party)
                if party is not None:  # always, for a pack the loader accepted
                    groups.setdefault((order, index, party), {})[event_id] = facts
        candidates = [
            self._candidate(self.conditions[order], party, members)
            for (order, _, party), members in groups.items()
        ]
        candidates.sort(
            key=lambda c: (EFFECT_ORDER[c.effect], c.clause_number, c.condition, c.party)
        )
        return candidates

    def _candidate(
        self,
        entry: tuple[Clause, int, Condition],
        party: str,
        members: dict[int, EventFacts],
    ) -> CandidateViolation:
        clause, index, condition = entry
        ids = tuple(sorted(members))
        ordered = [members[i] for i in ids]
        acting = Counter(f.acting_party for f in ordered if f.acting_party is not None)
        acting_party = max(
            condition.acting_parties, key=lambda p: (acting[p], -condition.acting_parties.index(p))
        )
        targets = Counter(f.target_party for f in ordered if f.target_party is not None)
        target_party = min(targets, key=lambda p: (-targets[p], p)) if targets else None
        zone_ids = {zone.id for facts in ordered for zone in facts.zones}
        return CandidateViolation(
            clause_id=clause.id,
            clause_number=clause.number,
            clause_title=clause.title,
            effect=condition.effect,
            party=party,
            party_name=name_of_party(self.pack.parties, party),
            acting_party=acting_party,
            target_party=target_party,
            condition=index,
            event_ids=ids,
            zones=tuple(zone.id for zone in self.zone_index if zone.id in zone_ids),
            reason=reason(
                ordered, clause, index, condition, party=party, parties=self.pack.parties
            ),
        )

    def explain(self, event: Event) -> list[ConditionTrace]:
        """For every condition of every checkable clause: met, or which parts failed."""
        facts = self.facts(event)
        asserted = event.modality == Modality.ASSERTED
        modality = PartCheck(
            "modality",
            asserted,
            "asserted" if asserted else f"{event.modality}: only asserted events are checked",
        )
        traces = []
        for clause, index, condition in self.conditions:
            parts = [modality]
            for part, predicate in PREDICATES:
                met = predicate(condition, facts)
                parts.append(PartCheck(part, met, _detail(part, met, condition, facts)))
            acting = facts.acting_party
            traces.append(
                ConditionTrace(
                    clause_id=clause.id,
                    clause_number=clause.number,
                    clause_title=clause.title,
                    condition=index,
                    effect=condition.effect,
                    party=clause.answerable(condition, acting) if parts[1].met and acting else None,
                    parts=tuple(parts),
                )
            )
        return traces


def check_events(
    events: Sequence[tuple[int, Event]], pack: TheatrePack | None = None
) -> list[CandidateViolation]:
    """`AgreementChecker.for_pack(pack).check(events)`; the default pack when none is given."""
    return AgreementChecker.for_pack(pack if pack is not None else load_pack()).check(events)
