"""`truce.events.v1`: assemble one event per trigger, then merge mentions of the same event.

For each trigger that is an event (its modality is not None): the place best tied to it
(after "in", "on", "near", "at"; never after "from"), the date of its clause or sentence (or
the previous sentence's, or else the lede's, at week precision), the acting actor (the
subject side of the clause) and the one acted on, the sources of its sentence, the deaths
counted next to it. A trigger with several towns named distributively ("one near Tyre and
another in Bint Jbeil") gives one event per town.

Mentions then merge, as ACLED codes one event per type, place and day: a mention that refers
back ("the strike", "Wednesday's meeting") or has no place finer than a region joins the
latest compatible event (same type and modality, no conflicting date, place or actor), unless
it is a response to it ("responded by shelling"); a mention whose sentence names an earlier
event's place as a landmark ("in Brital, south of Baalbek") refines that event's place. A
material event that ends up with no place at all is left out: ACLED cannot code it, and so
is a sentence that only counts the acts told one by one after it ("two separate strikes in
the district ... In the afternoon a drone hit a car near Khiam ..."). A date that tells when
a source spoke ("said on Tuesday", "on Wednesday condemned") yields to another date of the
clause ("the day before", "late on Tuesday").
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from truce.core import (
    Actor,
    Event,
    Evidence,
    GeoPrecision,
    Inter,
    Modality,
    TimePrecision,
)
from truce.core.vocab import VIOLENT_EVENT_TYPES
from truce.extract.doc import (
    DateMention,
    Doc,
    PlaceHit,
    Sentence,
    Span,
    Trigger,
    within,
)
from truce.extract.event_dates import choose_date, distance_to
from truce.extract.places import LOCATIVE, NEAR, OPPOSITE
from truce.extract.registry import Component, component
from truce.extract.roles import VICTIM_TYPES, RoleResolver
from truce.extract.sentences import clause_around
from truce.geo import distance_km

if TYPE_CHECKING:
    from truce.theatre import TheatrePack

#: places this close are the same place for merging mentions
SAME_PLACE_KM = 12.0
#: how many earlier events a mention that refers back may reach
MERGE_LOOKBACK = 30
#: event types whose events count deaths
COUNTS_DEATHS = VIOLENT_EVENT_TYPES | {"Protests", "Riots"}
#: "as Moscow launched", "Damascus said": a capital standing for its government, acting
_SPEAKS = re.compile(
    r"\s+(?:launched|said|says|announced|accused|accuses|denied|denies|warned|warns|claimed|"
    r"insisted|responded|retaliated|threatened|demanded|rejected)\b",
    re.I,
)
#: what may stand between a trigger and its object: "captured the town of", "fall of"
_OBJECT_GAP = re.compile(
    r"\s*(?:of\s+)?(?:the\s+)?(?:(?:border\s+)?(?:town|village|city|camp)\s+of\s+)?", re.I
)
_DESTINATION = frozenset({"to", "towards", "toward"})
_WEAK_RELATIONS = frozenset({"to", "towards", "toward", "across", "between", "through", "of"})
EXPLOSIONS = "Explosions/Remote violence"
#: a sentence that announces an event apart from the one before
_SEPARATELY = re.compile(r"\W*(?:separately|elsewhere|in\s+a\s+separate|in\s+another)\b", re.I)
_LANDMARK_GAP = re.compile(
    r",\s*(?:a\s+[\w\s-]{0,30}?\s+)?(?:about\s+|some\s+)?(?:\d+\s*(?:km|kilometres|kilometers|"
    r"miles)\s+)?(?:just\s+)?(?:(?:north|south|east|west|northeast|northwest|southeast|southwest|"
    r"north-east|north-west|south-east|south-west)(?:ern)?\s+of|"
    r"(?:on|at)\s+the\s+(?:[\w-]+\s+)?(?:edge|outskirts)\s+of|near)\s+(?:the\s+\w+\s+of\s+)?$",
    re.I,
)
_DEFINITE_TOWN = re.compile(
    r"\b(in|near|outside|at|over|on\s+the\s+outskirts\s+of|around)\s+the\s+(?:town|city|village)\b"
    r"(?!['\u2019]s|\s+of\b)|\b(the)\s+(?:town|city|village)['\u2019]s",
    re.I,
)
_DISTRIBUTIVE_GAP = re.compile(r"\b(?:and|another|other|one|while|whereas|second)\b|;", re.I)


@dataclass
class Draft:
    """An event being assembled; merged mentions fill in each other's gaps."""

    trigger: Trigger
    event_type: str | None
    sub_event_type: str | None
    plover: str | None
    modality: Modality
    sentence: Sentence
    date: DateMention | None = None
    date_is_fallback: bool = False
    place: PlaceHit | None = None
    actor1: Actor | None = None
    actor2: Actor | None = None
    sources: list[str] = field(default_factory=list)
    fatalities: int | None = None
    mentions: int = 1
    #: people without an armed role are among those hit ("killing two people")
    civilian_victims: bool = False
    #: places its sentence names as landmarks ("Brital, south of Baalbek": Baalbek)
    landmarks: frozenset[str] = frozenset()
    #: the triggers of the other mentions folded into this one
    merged: list[Trigger] = field(default_factory=list)
    #: the same triggers as a set: a long document folds thousands of mentions into one
    merged_seen: set[Trigger] = field(default_factory=set, repr=False)
    #: its sentence announces a separate event ("Separately, ...")
    separate: bool = False

    @property
    def kind(self) -> tuple[str | None, str | None, Modality]:
        return (self.event_type, self.plover if self.event_type is None else None, self.modality)

    @property
    def known_date(self) -> DateMention | None:
        return None if self.date_is_fallback else self.date


class Assembler:
    """Turns a Doc's annotations into Events; holds what it needs from the theatre pack."""

    def __init__(self, pack: TheatrePack) -> None:
        self.roles = RoleResolver(pack)

    def events(self, doc: Doc) -> list[Event]:
        drafts: list[Draft] = []
        for trigger in doc.triggers:
            modality = doc.modalities.get(trigger)
            if modality is not None:
                drafts.extend(self._drafts(doc, trigger, modality))
        # ACLED cannot code a material event it cannot place; such a mention that merged
        # into no located event is left out
        located = []
        for draft in drop_summaries(doc, fold_into_battles(doc, merge(drafts))):
            if draft.event_type is None or draft.place is not None:
                located.append(draft)
            else:
                for trigger in (draft.trigger, *draft.merged):
                    doc.explain(trigger, "event", "left out: a material event with no place")
        events = [self._event(doc, draft) for draft in located]
        for number, (draft, event) in enumerate(zip(located, events, strict=True), start=1):
            kind = event.sub_event_type or event.plover
            doc.explain(draft.trigger, "event", f"event {number}: {kind}, {event.modality.value}")
            for trigger in draft.merged:
                doc.explain(
                    trigger, "event", f"merged into event {number} ({draft.trigger.surface!r})"
                )
        return events

    def _drafts(self, doc: Doc, trigger: Trigger, modality: Modality) -> Iterator[Draft]:
        sentence = doc.sents[trigger.sentence]
        clause = clause_around(doc, sentence, trigger.start)
        date, fallback, date_reason = choose_date(doc, trigger, sentence, clause, modality)
        actor1, actor2, role_reasons = self.roles.roles_explained(doc, trigger, sentence, clause)
        places = choose_places(doc, trigger, sentence, clause)
        _explain_choices(doc, trigger, date, date_reason, role_reasons, places)
        sources = [a.source for a in within(doc.attributions, sentence.start, sentence.end)]
        deaths = fatalities_for(doc, trigger) if len(places) < 2 else None
        victims = self.roles.has_victims(doc, trigger, sentence)
        options: list[PlaceHit | None] = list(places) or [None]
        for place in options:
            draft = Draft(
                trigger=trigger,
                event_type=trigger.event_type,
                sub_event_type=trigger.sub_event_type,
                plover=trigger.plover,
                modality=modality,
                sentence=sentence,
                date=date,
                date_is_fallback=fallback,
                place=place,
                actor1=actor1,
                actor2=actor2,
                sources=list(sources),
                fatalities=deaths,
                civilian_victims=victims,
                separate=_SEPARATELY.match(doc.text, sentence.start, sentence.end) is not None,
                landmarks=frozenset(
                    hit.place.id
                    for hit in within(doc.places, sentence.start, sentence.end)
                    if hit.relation in NEAR and (place is None or hit.place.id != place.place.id)
                ),
            )
            # types that depend on the actors settle before merging: "opened fire on
            # protesters" is the protest's own event, and merges with it
            draft.event_type, draft.sub_event_type, draft.plover = self.roles.settle_type(draft)
            yield draft

    def _event(self, doc: Doc, draft: Draft) -> Event:
        event_type, sub_event_type, plover = self.roles.settle_type(draft)
        actor1 = draft.actor1 or self.roles.default_actor1(event_type)
        place = draft.place.place if draft.place else None
        actor2 = draft.actor2
        if actor2 is None and draft.civilian_victims and event_type in VICTIM_TYPES:
            actor2 = self.roles.civilians(place.country if place else None)
        date = draft.date
        sentence = draft.sentence
        fatalities = draft.fatalities if event_type in COUNTS_DEATHS else None
        filled = sum(
            (
                draft.known_date is not None,
                place is not None,
                draft.actor1 is not None,
                bool(draft.sources),
            )
        )
        confidence = min(0.95, 0.3 + 0.15 * filled + 0.05 * (draft.mentions > 1))
        return Event(
            doc_id=doc.document.id,
            event_type=event_type,
            sub_event_type=sub_event_type,
            plover=plover,
            modality=draft.modality,
            event_date=date.value if date else None,
            time_precision=(
                TimePrecision.WEEK
                if draft.date_is_fallback
                else (date.precision if date else TimePrecision.DAY)
            ),
            actor1=actor1.name if actor1 else None,
            actor2=actor2.name if actor2 and actor2 != actor1 else None,
            inter1=Inter(actor1.inter) if actor1 else None,
            inter2=Inter(actor2.inter) if actor2 and actor2 != actor1 else None,
            location=place.name if place else None,
            admin1=place.admin1 if place else None,
            country=place.country if place else None,
            latitude=place.latitude if place else None,
            longitude=place.longitude if place else None,
            geo_precision=draft.place.precision if draft.place else GeoPrecision.REGION,
            fatalities=fatalities,
            sources=tuple(dict.fromkeys(draft.sources)),
            evidence=Evidence(text=doc.span_text(sentence), start=sentence.start, end=sentence.end),
            confidence=round(confidence, 2),
        )


def _explain_choices(
    doc: Doc,
    trigger: Trigger,
    date: DateMention | None,
    date_reason: str,
    role_reasons: list[tuple[str, str]],
    places: list[PlaceHit],
) -> None:
    for aspect, reason in role_reasons:
        doc.explain(trigger, aspect, reason)
    if date is None:
        doc.explain(trigger, "date", f"none: {date_reason}")
    else:
        doc.explain(
            trigger,
            "date",
            f"{date.value} from {doc.text[date.start : date.end]!r} ({date.rule}; {date_reason})",
        )
    sentence = doc.sents[trigger.sentence]
    candidates = within(doc.places, sentence.start, sentence.end)
    if not candidates:
        doc.explain(trigger, "place", "no place named in its sentence")
    chosen = {hit.start for hit in places}
    for hit in candidates:
        relation = f"after {hit.relation!r}" if hit.relation else "no preposition"
        verdict = "CHOSEN" if hit.start in chosen else "passed over"
        doc.explain(
            trigger,
            "place",
            f"{verdict}: {hit.surface!r} -> {hit.place.name} ({hit.place.country}, "
            f"{hit.place.feature_code}), {relation}, precision {int(hit.precision)}"
            f"{_why_not(doc, trigger, hit) if hit.start not in chosen else ''}",
        )


def _why_not(doc: Doc, trigger: Trigger, hit: PlaceHit) -> str:
    if hit.relation == "from":
        return ": a place of origin"
    if hit.relation == OPPOSITE:
        return ": a landmark across from the place"
    if hit.relation == "part of":
        return ": a part of a place named before"
    if _overlaps_date(doc, hit):
        return ": part of a date"
    if _is_actor(doc, hit):
        return ": names an actor"
    return ": less tied to the trigger (relation, clause, distance)"


# -- places -----------------------------------------------------------------------------


def choose_places(doc: Doc, trigger: Trigger, sentence: Sentence, clause: Span) -> list[PlaceHit]:
    """The place(s) of the trigger: the best-tied one, or several towns named distributively.

    A place in another trigger's clause belongs to that trigger; of the others, those in the
    trigger's own clause and those after "in", "near" ... rank first.
    """
    others = [
        clause_around(doc, sentence, t.start)
        for t in within(doc.triggers, sentence.start, sentence.end)
        if t is not trigger
    ]
    available = [
        hit
        for hit in within(doc.places, sentence.start, sentence.end)
        if hit.relation not in ("from", "part of", OPPOSITE)
        and not _overlaps_date(doc, hit)
        and not _is_actor(doc, hit)
        and not (not hit.relation and _SPEAKS.match(doc.text, hit.end))
        and hit.place.feature_code != "STM"  # "south of the Litani": a river bounds an area
        and (
            clause.start <= hit.start < clause.end
            or not any(c.start <= hit.start < c.end for c in others)
        )
    ]
    if trigger.event_type != EXPLOSIONS:
        # "pulled out towards El Obeid": where people went, not where it happened; a
        # projectile's target ("fired towards Shlomi") is where it struck
        available = [hit for hit in available if hit.relation not in _DESTINATION]
    # "Jaramana, on the edge of Damascus": Damascus only says where Jaramana lies; so does
    # "Beirut" in "Beirut's Haret Hreik neighbourhood"
    available = [
        hit
        for hit in available
        if not _describes_another(doc, hit) and not _possessor_of_another(doc, hit, available)
    ]
    if not available and not trigger.anaphoric:
        # "stormed Al Hasaheisa, killing 14 and looting the town's market": the clause
        # names no place of its own, the sentence's is its place too
        available = [
            hit
            for hit in within(doc.places, sentence.start, sentence.end)
            if (hit.relation in LOCATIVE or hit.relation in NEAR or not hit.relation)
            and hit.place.geo_precision != GeoPrecision.REGION
            and not _overlaps_date(doc, hit)
            and not _is_actor(doc, hit)
            and not (not hit.relation and _SPEAKS.match(doc.text, hit.end))
            and not _describes_another(doc, hit)
        ]
    if trigger.anaphoric:  # its place is its referent's, unless its own clause names one
        available = [
            hit
            for hit in available
            if clause.start <= hit.start < clause.end
            and (
                hit.relation in LOCATIVE
                or hit.relation in NEAR
                or _OBJECT_GAP.fullmatch(doc.text, trigger.end, hit.start)
            )
        ]
    if not available:
        earlier = _the_town(doc, trigger, clause)
        return [earlier] if earlier is not None else []
    best = max(available, key=lambda hit: _place_score(doc.text, hit, trigger, clause))
    if trigger.event_type is None or not trigger.plural:
        return [best]
    towns = [
        hit
        for hit in available
        if hit.place.geo_precision != GeoPrecision.REGION
        and (hit.relation in LOCATIVE or hit.relation in NEAR)
    ]
    distributed = towns[:1]
    for previous, hit in itertools.pairwise(towns):
        if _DISTRIBUTIVE_GAP.search(doc.text, previous.end, hit.start):
            distributed.append(hit)
    return distributed if len(distributed) > 1 else [best]


_POSSESSIVE = re.compile(r"['\u2019]s\s+")


def _possessor_of_another(doc: Doc, hit: PlaceHit, candidates: list[PlaceHit]) -> bool:
    """ "Beirut's Haret Hreik": a place named as the one holding the next candidate."""
    found = _POSSESSIVE.match(doc.text, hit.end)
    return found is not None and any(other.start == found.end() for other in candidates)


def _describes_another(doc: Doc, hit: PlaceHit) -> bool:
    """ "Shahba, north of Suwayda": a place named only to say where the one before it lies."""
    found = _LANDMARK_GAP.search(doc.text, max(0, hit.start - 60), hit.start)
    if found is None:
        return False
    return any(
        other.end == found.start()
        for other in within(doc.places, found.start() - 80, found.start())
    )


def _the_town(doc: Doc, trigger: Trigger, clause: Span) -> PlaceHit | None:
    """ "near the town": the town named last before the trigger's sentence, in its paragraph
    or the one before."""
    sentence = doc.sents[trigger.sentence]
    found = _DEFINITE_TOWN.search(doc.text, clause.start, clause.end) or _DEFINITE_TOWN.search(
        doc.text, sentence.start, sentence.end
    )
    if found is None:
        return None
    earlier = [
        hit
        for hit in within(doc.places, 0, sentence.start)
        if hit.place.geo_precision == GeoPrecision.TOWN
        and hit.relation not in ("from", "part of", OPPOSITE)
        and doc.sents[trigger.sentence].paragraph - _paragraph_of(doc, hit) <= 1
        and not _overlaps_date(doc, hit)
        and not _is_actor(doc, hit)
    ]
    if not earlier:
        return None
    relation = " ".join((found.group(1) or found.group(2)).lower().split())
    town = earlier[-1]
    relation = "near" if relation in NEAR or relation == "outside" else "in"
    return PlaceHit(
        found.start(),
        found.end(),
        found.group(),
        town.place,
        relation,
        GeoPrecision.NEAR_OR_PART if relation == "near" else town.place.geo_precision,
    )


def _paragraph_of(doc: Doc, hit: PlaceHit) -> int:
    index = doc.sentence_at(hit.start)
    return doc.sents[index].paragraph if index is not None else -1


def _place_score(text: str, hit: PlaceHit, trigger: Trigger, clause: Span) -> float:
    if hit.relation in LOCATIVE or hit.relation in NEAR:
        score = 3.0
    elif hit.relation in _WEAK_RELATIONS:
        score = 0.5
    else:
        score = 1.0
    score += {GeoPrecision.TOWN: 1.0, GeoPrecision.NEAR_OR_PART: 0.6}.get(hit.precision, -1.0)
    if clause.start <= hit.start < clause.end:
        score += 1.0
    if hit.start >= trigger.end:
        score += 0.3
        if _OBJECT_GAP.fullmatch(text, trigger.end, hit.start):
            score += 2.5  # "the fall of Abu Zabad", "stormed Al Hasaheisa": its object
    return score - min(distance_to(hit, trigger), 400) / 400


def _overlaps_date(doc: Doc, hit: PlaceHit) -> bool:
    """ "The Nov. 23 strike": a month name read as a place."""
    nearby = within(doc.dates, max(0, hit.start - 40), hit.end + 40)
    return any(hit.start < date.end and date.start < hit.end for date in nearby)


def _is_actor(doc: Doc, hit: PlaceHit) -> bool:
    """A place name used as an actor ("Israel said") is not where anything happened."""
    if hit.relation in LOCATIVE or hit.relation in NEAR:
        return False
    return any(
        mention.start <= hit.start and hit.end <= mention.end
        for mention in within(doc.actors, max(0, hit.start - 60), hit.end + 60)
    )


# -- deaths -----------------------------------------------------------------------------


def fatalities_for(doc: Doc, trigger: Trigger) -> int | None:
    """Deaths counted in the trigger's sentence (or the next, if that has no event of its own)."""
    if trigger.event_type not in COUNTS_DEATHS:
        return None
    own = doc.sents[trigger.sentence]
    for index in (trigger.sentence, trigger.sentence + 1):
        if index >= len(doc.sents):
            break
        sentence = doc.sents[index]
        in_sentence = within(doc.triggers, sentence.start, sentence.end)
        if index != trigger.sentence and (
            sentence.paragraph != own.paragraph or any(t.event_type for t in in_sentence)
        ):
            break
        killed = [
            c for c in within(doc.casualties, sentence.start, sentence.end) if c.kind == "killed"
        ]
        if killed and _nearest_violent(in_sentence, killed[0].start) in (trigger, None):
            return sum(c.count for c in killed)
    return None


def _nearest_violent(triggers: list[Trigger], offset: int) -> Trigger | None:
    violent = [t for t in triggers if t.event_type in COUNTS_DEATHS]
    return min(violent, key=lambda t: abs(t.start - offset), default=None)


# -- merging ----------------------------------------------------------------------------


def merge(drafts: list[Draft]) -> list[Draft]:
    """Fold mentions of the same event into its first mention (see the module docstring)."""
    kept: list[Draft] = []
    by_key: dict[tuple[object, ...], list[Draft]] = {}
    for draft in drafts:
        key = _key(draft)
        if draft.separate and not draft.trigger.anaphoric:
            kept.append(draft)
            if key:
                by_key.setdefault(key, []).append(draft)
            continue
        target = next(
            (
                other
                for other in by_key.get(key, [])
                if _same_date(other, draft)
                and (other.sentence == draft.sentence or _same_actor(other.actor1, draft.actor1))
            ),
            None,
        )
        recent = kept[-MERGE_LOOKBACK:]
        if target is None and _refers_back(draft):
            target = next((k for k in reversed(recent) if compatible(k, draft)), None)
        if target is None:
            target = next((k for k in reversed(recent) if _same_occasion(k, draft)), None)
        if target is None and not draft.trigger.response:
            # a lede names a landmark ("near Baalbek"), the body the village ("in Brital,
            # south of Baalbek"): the same event, placed where the body puts it
            target = next((k for k in reversed(recent) if _landmark_of(k, draft)), None)
            if target is not None:
                target.place = draft.place
        if target is None:
            kept.append(draft)
            if key:
                by_key.setdefault(key, []).append(draft)
        else:
            absorb(target, draft)
    return kept


#: a count of the acts a sentence sums up: "two separate strikes", "struck twice"
_COUNTED = re.compile(
    r"\b(?:two|three|four|five|several|multiple|a\s+series\s+of|twin)\s+(?:[\w-]+\s+){0,2}$",
    re.I,
)
_TIMES = re.compile(r"\s*(?:twice|three\s+times|several\s+times)\b", re.I)


def drop_summaries(doc: Doc, drafts: list[Draft]) -> list[Draft]:
    """ "Israeli drones carried out two separate strikes in the district. In the afternoon a
    drone hit a car near Khiam ... another struck a motorcycle in Kfar Kila": ACLED codes the
    strikes told one by one, not the sentence that counts them. The summary is left out when
    at least two placed events of its type and day follow it; it lends them its actor1 when
    they name none."""
    kept = []
    for index, draft in enumerate(drafts):
        trigger = draft.trigger
        counted = draft.event_type is not None and (
            _COUNTED.search(doc.text, draft.sentence.start, trigger.start)
            or _TIMES.match(doc.text, trigger.end, draft.sentence.end)
        )
        details = (
            [
                later
                for later in drafts[index + 1 :]
                if later.event_type == draft.event_type
                and later.sentence.start > draft.sentence.start
                and later.place is not None
                and later.modality == draft.modality
                and _same_date(draft, later)
            ]
            if counted
            else []
        )
        if len(details) < 2:
            kept.append(draft)
            continue
        for later in details:
            if later.actor1 is None:
                later.actor1 = draft.actor1
        for mention in (trigger, *draft.merged):
            doc.explain(mention, "event", "left out: sums up the events told after it")
    return kept


def fold_into_battles(doc: Doc, drafts: list[Draft]) -> list[Draft]:
    """ACLED's atomicity: explosions during a battle, at its place on its day and told in the
    same stretch of text, are part of the battle, not events of their own."""
    battles = [d for d in drafts if d.event_type == "Battles" and d.place is not None]
    if not battles:
        return drafts
    kept: list[Draft] = []
    for draft in drafts:
        target = None
        if draft.event_type == EXPLOSIONS and draft.place is not None:
            target = (
                None
                if draft.separate
                else next(
                    (b for b in battles if b.modality == draft.modality and _during(b, draft)), None
                )
            )
        if target is None:
            kept.append(draft)
        else:
            absorb(target, draft)
    return kept


def _during(battle: Draft, draft: Draft) -> bool:
    if battle.place is None or draft.place is None:
        return False
    return (
        _same_date(battle, draft)
        and abs(battle.sentence.paragraph - draft.sentence.paragraph) <= 1
        and distance_km(
            battle.place.place.latitude,
            battle.place.place.longitude,
            draft.place.place.latitude,
            draft.place.place.longitude,
        )
        <= SAME_PLACE_KM
    )


def _refers_back(draft: Draft) -> bool:
    """A mention that may be an earlier event's: it says so ("the strike"), or it has no
    place of its own finer than a region."""
    if draft.trigger.response:
        return False
    return (
        draft.trigger.anaphoric
        or draft.place is None
        or draft.place.precision == GeoPrecision.REGION
    )


def _same_occasion(earlier: Draft, draft: Draft) -> bool:
    """ "The envoy held talks in Beirut. He met Berri at Ain el-Tineh on Wednesday": a verbal
    event in the next sentence, at the same place, one of them without a day of its own, is
    the same meeting told twice."""
    return (
        draft.event_type is None
        and (earlier.known_date is None or draft.known_date is None)
        and 0 <= draft.trigger.sentence - earlier.trigger.sentence <= 1
        and earlier.place is not None
        and draft.place is not None
        and compatible(earlier, draft)
    )


def _landmark_of(earlier: Draft, draft: Draft) -> bool:
    return (
        earlier.sentence != draft.sentence
        and earlier.place is not None
        and draft.place is not None
        and earlier.place.place.id in draft.landmarks
        and earlier.place.place.id != draft.place.place.id
        and compatible(earlier, draft)
    )


def _key(draft: Draft) -> tuple[object, ...]:
    """Type and place (the day is compared apart: it may be unknown); empty without a place."""
    if draft.place is None:
        return ()
    return (*draft.kind, draft.place.place.id)


def compatible(a: Draft, b: Draft) -> bool:
    """Whether two mentions may be the same event: nothing known about them disagrees.

    Actors count only for material events: who met whom is symmetric, and a meeting's
    participants are named differently from one sentence to the next.
    """
    if (a.kind != b.kind and _told_kind(a) != _told_kind(b)) or not _same_date(a, b):
        return False
    if a.event_type is not None and not _same_actor(a.actor1, b.actor1):
        return False
    if a.place is None or b.place is None:
        return True
    if GeoPrecision.REGION in (a.place.precision, b.place.precision):
        return True
    return (
        distance_km(
            a.place.place.latitude,
            a.place.place.longitude,
            b.place.place.latitude,
            b.place.place.longitude,
        )
        <= SAME_PLACE_KM
    )


def _told_kind(draft: Draft) -> tuple[str | None, str | None, Modality]:
    """The kind as the words told it, before the actors settled it: "seized a shepherd" and
    "detained him" are one event, though the first, by a foreign force, became an abduction."""
    trigger = draft.trigger
    return (trigger.event_type, None if trigger.event_type else trigger.plover, draft.modality)


def _same_date(a: Draft, b: Draft) -> bool:
    da, db = a.known_date, b.known_date
    return da is None or db is None or da.value == db.value


def _same_actor(a: Actor | None, b: Actor | None) -> bool:
    return a is None or b is None or a == b


def absorb(target: Draft, other: Draft) -> None:
    """Fill the target's gaps from another mention of the same event."""
    if other.known_date is not None and target.known_date is None:
        target.date, target.date_is_fallback = other.date, False
    if other.place is not None and (
        target.place is None
        or (
            target.place.precision == GeoPrecision.REGION
            and other.place.precision < GeoPrecision.REGION
        )
    ):
        target.place = other.place
    target.actor1 = target.actor1 or other.actor1
    target.actor2 = target.actor2 or other.actor2
    target.civilian_victims = target.civilian_victims or other.civilian_victims
    if other.fatalities is not None:
        target.fatalities = max(target.fatalities or 0, other.fatalities)
    target.sources.extend(s for s in other.sources if s not in target.sources)
    target.mentions += 1
    for trigger in (other.trigger, *other.merged):
        if trigger != target.trigger and trigger not in target.merged_seen:
            target.merged_seen.add(trigger)
            target.merged.append(trigger)


@component(
    "truce.events.v1",
    requires=(
        "sents",
        "dates",
        "places",
        "actors",
        "triggers",
        "modalities",
        "attributions",
        "casualties",
    ),
    assigns=("events",),
)
def events(pack: TheatrePack) -> Component:
    assembler = Assembler(pack)

    def run(doc: Doc) -> Doc:
        doc.events = assembler.events(doc)
        return doc

    return run
