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
material event that ends up with no place at all is left out: ACLED cannot code it.
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
    ActorMention,
    DateMention,
    Doc,
    PlaceHit,
    Sentence,
    Span,
    Trigger,
    within,
)
from truce.extract.places import LOCATIVE, NEAR
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
_WEAK_RELATIONS = frozenset({"to", "towards", "toward", "across", "between", "through", "of"})
_UNRESOLVED_TIME = re.compile(
    r"\b(?:days?|weeks?|months?|years?)\s+(?:after|before|ago|earlier|later)\b|\bago\b|"
    r"\blast\s+(?:year|month)['\u2019]?s?\b|\bin\s+(?:19|20)\d\d\b|\bformer(?:ly)?\b",
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
        located = [d for d in merge(drafts) if d.event_type is None or d.place is not None]
        return [self._event(doc, draft) for draft in located]

    def _drafts(self, doc: Doc, trigger: Trigger, modality: Modality) -> Iterator[Draft]:
        sentence = doc.sents[trigger.sentence]
        clause = clause_around(doc, sentence, trigger.start)
        date, fallback = choose_date(doc, trigger, sentence, clause, modality)
        actor1, actor2 = self.roles.roles(doc, trigger, sentence, clause)
        places = choose_places(doc, trigger, sentence, clause)
        sources = [a.source for a in within(doc.attributions, sentence.start, sentence.end)]
        deaths = fatalities_for(doc, trigger) if len(places) < 2 else None
        victims = self.roles.has_victims(doc, trigger, sentence)
        options: list[PlaceHit | None] = list(places) or [None]
        for place in options:
            yield Draft(
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
                landmarks=frozenset(
                    hit.place.id
                    for hit in within(doc.places, sentence.start, sentence.end)
                    if hit.relation in NEAR and (place is None or hit.place.id != place.place.id)
                ),
            )

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


# -- dates ------------------------------------------------------------------------------


def choose_date(
    doc: Doc, trigger: Trigger, sentence: Sentence, clause: Span, modality: Modality
) -> tuple[DateMention | None, bool]:
    """The trigger's date and whether it is only the lede's, taken for want of any other."""
    published = doc.published
    past_only = modality not in (Modality.PLANNED, Modality.HYPOTHETICAL) and published
    # a mention that refers back takes its date from its own clause, or from its referent
    for scope in (clause,) if trigger.anaphoric else (clause, sentence):
        mentions = [
            m
            for m in within(doc.dates, scope.start, scope.end)
            if not (past_only and published is not None and m.value > published)
        ]
        if mentions:
            return min(mentions, key=lambda m: _distance(m, trigger)), False
    if _UNRESOLVED_TIME.search(doc.text, sentence.start, sentence.end):
        return None, False  # "days after", "last year": some other day than its neighbours'
    if trigger.anaphoric:
        return None, False
    index = trigger.sentence
    if index > 0 and doc.sents[index - 1].paragraph == sentence.paragraph:
        previous = doc.sents[index - 1]
        mentions = within(doc.dates, previous.start, previous.end)
        if mentions:
            return mentions[-1], False
    if modality in (Modality.PLANNED, Modality.HYPOTHETICAL):
        return None, False
    lede = lede_date(doc)
    return lede, lede is not None


def lede_date(doc: Doc) -> DateMention | None:
    """The document's first date, unless it lies after publication (then it is a plan)."""
    first = doc.dates[0] if doc.dates else None
    if first is None or (doc.published is not None and first.value > doc.published):
        return None
    return first


def _distance(a: Span | DateMention | PlaceHit | ActorMention, trigger: Trigger) -> int:
    if a.end <= trigger.start:
        return trigger.start - a.end
    return max(0, a.start - trigger.end)


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
        if hit.relation != "from"
        and not _overlaps_date(doc, hit)
        and not _is_actor(doc, hit)
        and (
            clause.start <= hit.start < clause.end
            or not any(c.start <= hit.start < c.end for c in others)
        )
    ]
    if trigger.anaphoric:  # its place is its referent's, unless its own clause names one
        available = [
            hit
            for hit in available
            if clause.start <= hit.start < clause.end
            and (hit.relation in LOCATIVE or hit.relation in NEAR)
        ]
    if not available:
        return []
    best = max(available, key=lambda hit: _place_score(hit, trigger, clause))
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


def _place_score(hit: PlaceHit, trigger: Trigger, clause: Span) -> float:
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
    return score - min(_distance(hit, trigger), 400) / 400


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
    if a.kind != b.kind or not _same_date(a, b):
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
