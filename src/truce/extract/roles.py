"""Who did what to whom: actor roles of a trigger, and the types that depend on them.

actor1 is the subject side of the trigger's clause: the first actor named in the clause
before the trigger ("Israel assassinated ... in an airstrike", "An Israeli drone strike");
failing that the nearest actor before it in the sentence ("UNIFIL said that its patrol
found ..."), or the agent after "by". actor2 is the first other actor after the trigger in
the clause, or another one between actor1 and the trigger. One who only tells of or
complains about the act ("Lebanon's health ministry said", "Lebanon on Wednesday condemned an
Israeli strike", "Lebanon filed a complaint over ...") is neither; one named as suffering it
("A Hamas official was killed in an Israeli strike") is the one acted on.

Types settle once the actors are known, by ACLED's rules on actor types (inter codes): an
arrest by a foreign force (inter 8) or an armed group is an abduction; shooting at an armed
actor is a clash, not violence against civilians. Events without a named perpetrator get
the pack's default for their kind: protesters for protests, the unidentified armed group
for violence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from truce.core import Actor, Inter
from truce.core.vocab import VIOLENT_EVENT_TYPES
from truce.extract.doc import ActorMention, Doc, Sentence, Span, Trigger, within
from truce.extract.lowered import CaseFree
from truce.extract.places import LOCATIVE, NEAR
from truce.geo import Gazetteer

if TYPE_CHECKING:
    from truce.extract.events import Draft
    from truce.theatre import TheatrePack

ARMED = frozenset(
    {Inter.STATE_FORCES, Inter.REBEL_GROUPS, Inter.POLITICAL_MILITIAS, Inter.IDENTITY_MILITIAS,
     Inter.EXTERNAL_OTHER_FORCES}
)  # fmt: skip
#: actors that take someone away without a legal arrest, in ACLED's coding
ABDUCTORS = ARMED - {Inter.STATE_FORCES}
_BY = re.compile(r"\bby\s+(?:the\s+|an?\s+)?$", re.I)
_SAYING = re.compile(
    # "Lebanon's foreign ministry on Wednesday condemned", "Lebanon has raised", "Lebanon
    # filed a complaint ... over": the one who tells or complains of an act, not its actor
    r"(?:'s(?:\s+[\w-]+){1,4}?)?"
    r"\s*(?:(?:on|late\s+on|early\s+on)\s+\w+day\s+|in\s+a\s+statement\s+)?"
    r"(?:(?:has|have|had)\s+)?"
    r"(?:said|says|told|reported|announced|stated|confirmed|condemned|condemns|denounced|"
    r"decried|deplored|complained|raised|(?:filed|lodged|submitted)\s+(?:a\s+)?(?:formal\s+)?"
    r"complaint)\b",
    re.I,
)
#: "A Hamas official was killed in ...": the actor named is the one the act befell
_SUFFERED = re.compile(
    r"(?:\s+[a-z][\w-]*){0,2}\s+(?:was|were|had\s+been|has\s+been|have\s+been)\s+"
    r"(?:killed|wounded|injured|hurt|arrested|detained|abducted|targeted|struck|hit|shot)\b",
)
_ADJECTIVE_BEFORE = re.compile(
    r"\b([A-Z][a-z]+)\s+(?:(?:drone|air|artillery|tank|naval|army|military|missile)\s+)?"
    r"(?:(?:bulldozers?|troops|soldiers|forces|warplanes|jets|tanks|gunboats)\s+)?$"
)
_OWN_ACT = re.compile(r"\b(?:it|its|they|their|we|our|he|his|she|her)\b", re.I)
#: ACLED's sub-types for ground changing hands in a battle: (the state's, anyone else's)
TERRITORY = ("Government regains territory", "Non-state actor overtakes territory")
#: words between a trigger and an actor that start another act ("the strike came as a US
#: envoy held talks"): that actor is not the one acted on
_ANOTHER_ACT = re.compile(r"\b(?:came|as|while|when|whereas|before|after|said|says)\b", re.I)
#: the adjective of a sentence's subject: "Israeli bulldozers crossed ..."
_SUBJECT_ADJECTIVE = re.compile(
    r"\W*(?:(?:a|an|the|two|three|several)\s+)?([A-Z][a-z]+)\s+[a-z]", re.I
)
#: a verb or preposition that makes the actor after it the one acted on
_OBJECT_BEFORE = re.compile(
    r"\b(?:killed|killing|targeted|targeting|struck|hit|against|at|on)\s+"
    r"(?:(?:a|an|the|two|three|several|senior|top)\s+)?$",
    re.I,
)
#: a sentence whose subject is a pronoun or a bare description ("It said its artillery")
_PRONOUN_SUBJECT = re.compile(
    r"\W*(?:it|they|the\s+(?:group|movement|party|militia|army|military))\b", re.I
)
#: event types whose unnamed victims ACLED codes as civilians
VICTIM_TYPES = frozenset(
    {"Explosions/Remote violence", "Violence against civilians", "Riots", "Strategic developments"}
)
_VICTIMS = re.compile(
    r"\b(?:people|persons?|m[ae]n|wom[ae]n|child(?:ren)?|boys?|girls?|civilians?|residents?|"
    r"famil(?:y|ies)|motorcyclists?|drivers?|farmers?|shepherds?|fisherm[ae]n|workers?|"
    r"operators?|passers-by|paramedics?|journalists?|riders?|motorists?|pedestrians?|brothers?|"
    r"sisters?|sons?|daughters?|villagers?|students?|refugees|displaced|"
    r"(?:their|his|her|a|an)\s+(?:[\w-]+\s+)?(?:cars?|motorcycles?|vehicles?|homes?|houses?)|"
    r"houses|homes|shops|market)\b",
    re.I,
)
_ANY_CASE_VICTIMS = CaseFree(_VICTIMS)
#: ACLED names an actor's country in brackets: "Civilians (Lebanon)"
_COUNTRY_IN_NAME = re.compile(r"\(([^()]+)\)\s*$")
_MOTION = frozenset({"to", "towards", "toward", "from", "across", "into", "through", "between"})


class RoleResolver:
    """Assigns actors to triggers and settles actor-dependent types, for one pack."""

    def __init__(self, pack: TheatrePack) -> None:
        self.pack = pack
        self._protesters = _first_with(pack, Inter.PROTESTERS)
        self._rioters = _first_with(pack, Inter.RIOTERS) or self._protesters
        self._unidentified = next(
            (a for a in pack.actors if a.name.lower().startswith("unidentified")), None
        )
        self._civilians = _civilians_by_country(pack)
        # state forces named by their country ("Israel"), found again in the adjective
        self._states = {
            alias: actor
            for alias, actor in pack.actor_aliases()
            if actor.inter in (Inter.STATE_FORCES, Inter.EXTERNAL_OTHER_FORCES)
            and actor.party is not None
            and alias.isalpha()
            and alias[0].isupper()
            and len(alias) >= 4
        }

    def _demonym_before(
        self,
        text: str,
        trigger: Trigger,
        sentence: Sentence | None = None,
        reporters: Sequence[ActorMention] = (),
    ) -> ActorMention | None:
        """ "An Israeli strike": the country's adjective right before the trigger names the
        state's forces, when the country's name is an alias of one ("Israel" in "Israeli");
        so does the adjective of the sentence's subject ("Israeli bulldozers crossed the
        fence ... and uprooted")."""
        found = _ADJECTIVE_BEFORE.search(text, max(0, trigger.start - 40), trigger.start)
        if found is None and sentence is not None:
            found = _SUBJECT_ADJECTIVE.match(text, sentence.start, trigger.start)
            if found is not None and any(m.start <= found.start(1) < m.end for m in reporters):
                return None  # "Lebanese officials condemned ...": who told of it, not who did it
        if found is None:
            return None
        word = found.group(1)
        for alias, actor in self._states.items():
            if word.startswith(alias) and 0 < len(word) - len(alias) <= 3:
                return ActorMention(found.start(1), found.end(1), word, actor)
        return None

    def civilians(self, country: str | None) -> Actor | None:
        """The pack's civilians of a country ("Civilians (Lebanon)" for LB), if it has them."""
        if country in self._civilians:
            return self._civilians[country]
        if len(set(self._civilians.values())) == 1:
            return next(iter(self._civilians.values()))
        return None

    def has_victims(self, doc: Doc, trigger: Trigger, sentence: Sentence) -> bool:
        """Whether people with no armed role are hit ("killing two people", "a man was hurt")."""
        if trigger.event_type not in VICTIM_TYPES:
            return False
        found = _ANY_CASE_VICTIMS.search(doc.text, doc.lower, sentence.start, sentence.end)
        return found is not None

    def roles(
        self, doc: Doc, trigger: Trigger, sentence: Sentence, clause: Span
    ) -> tuple[Actor | None, Actor | None]:
        actor1, actor2, _ = self.roles_explained(doc, trigger, sentence, clause)
        return actor1, actor2

    def roles_explained(
        self, doc: Doc, trigger: Trigger, sentence: Sentence, clause: Span
    ) -> tuple[Actor | None, Actor | None, list[tuple[str, str]]]:
        """actor1, actor2 and why each was chosen, as ("actor1", reason) pairs."""
        text = doc.text
        named = list(within(doc.actors, sentence.start, sentence.end))
        reporters = [m for m in named if _only_reports(text, m, trigger)]
        in_sentence = [m for m in named if not _is_place(doc, m) and m not in reporters]
        in_clause = [m for m in in_sentence if clause.start <= m.start and m.end <= clause.end]
        # "Israeli warplanes struck": a mention overlapping the trigger is its subject
        # "it had killed a Hezbollah operative in a drone strike": an object, not the subject
        objects = [
            m
            for m in in_clause
            if m.start < trigger.start
            and (
                _OBJECT_BEFORE.search(text, max(clause.start, m.start - 30), m.start)
                or _SUFFERED.match(text, m.end, trigger.start)
            )
        ]
        before = [m for m in in_clause if m.start < trigger.start and m not in objects]
        after = [m for m in in_clause if m.start >= trigger.end]
        agents = [m for m in after if _BY.search(text, max(0, m.start - 12), m.start)]

        first: ActorMention | None = None
        why = "no actor named in the sentence before it"
        if before:
            first, why = before[0], "first actor of its clause, before the trigger"
        elif agents:
            first, why = agents[0], "agent after 'by'"
        else:
            demonym = self._demonym_before(text, trigger, sentence, reporters)
            if demonym is not None:
                first, why = demonym, "country adjective before the trigger"
            else:
                first = next((m for m in reversed(in_sentence) if m.end <= trigger.start), None)
                why = "nearest actor before it in the sentence"
                if first is None and _PRONOUN_SUBJECT.match(text, sentence.start, trigger.start):
                    first = self._previous_subject(doc, trigger)
                    why = "'it'/'they': the subject of the sentence before"
        actor1 = first.actor if first else None
        reasons = [("actor1", f"{_named(first)}: {why}" if first else why)]

        targets = [
            m
            for m in after
            if m not in agents
            and m.actor != actor1
            and not _ANOTHER_ACT.search(text, trigger.end, m.start)
        ]
        targets += [m for m in objects + before[1:] if m.actor != actor1]
        actor2 = targets[0].actor if targets else None
        if targets:
            where = "after the trigger" if targets[0].start >= trigger.end else "before it"
            reasons.append(("actor2", f"{_named(targets[0])}: other actor of its clause, {where}"))
        return actor1, actor2, reasons

    def _previous_subject(self, doc: Doc, trigger: Trigger) -> ActorMention | None:
        """The first actor of the sentence before the trigger's, in the same paragraph."""
        index = trigger.sentence
        if index == 0 or doc.sents[index - 1].paragraph != doc.sents[index].paragraph:
            return None
        previous = doc.sents[index - 1]
        return next(
            (m for m in within(doc.actors, previous.start, previous.end) if not _is_place(doc, m)),
            None,
        )

    def settle_type(self, draft: Draft) -> tuple[str | None, str | None, str | None]:
        """Event type, sub-event type and PLOVER type, given the actors found."""
        event_type, sub_event_type, plover = draft.event_type, draft.sub_event_type, draft.plover
        actor1, actor2 = draft.actor1, draft.actor2
        if sub_event_type == "Arrests" and actor1 is not None and actor1.inter in ABDUCTORS:
            return "Violence against civilians", "Abduction/forced disappearance", "ASSAULT"
        shot_at_armed = actor2 is not None and actor2.inter in ARMED
        if sub_event_type == "Attack" and shot_at_armed:
            return "Battles", "Armed clash", "ASSAULT"
        if sub_event_type == "Attack" and actor2 is not None and actor2.inter == Inter.PROTESTERS:
            return "Protests", "Excessive force against protesters", "PROTEST"
        if sub_event_type in TERRITORY and actor1 is not None:
            # who took the ground decides ACLED's sub-type: the state regains, others overtake
            regains = actor1.inter == Inter.STATE_FORCES
            sub_event_type = TERRITORY[0] if regains else TERRITORY[1]
        return event_type, sub_event_type, plover

    def default_actor1(self, event_type: str | None) -> Actor | None:
        """The pack's stand-in for a perpetrator the text does not name."""
        if event_type == "Protests":
            return self._protesters
        if event_type == "Riots":
            return self._rioters
        if event_type in VIOLENT_EVENT_TYPES:
            return self._unidentified
        return None


def _named(mention: ActorMention) -> str:
    return f"{mention.actor.name} ({mention.surface!r})"


def _is_place(doc: Doc, mention: ActorMention) -> bool:
    """ "in southern Lebanon": a name the actor registry knows, used here as a place."""
    return any(
        hit.start < mention.end
        and mention.start < hit.end
        and (hit.relation in LOCATIVE or hit.relation in NEAR or hit.relation in _MOTION)
        for hit in within(doc.places, max(0, mention.start - 60), mention.end + 60)
    )


def _only_reports(text: str, mention: ActorMention, trigger: Trigger) -> bool:
    """ "The health ministry said two were killed in a strike": a source, not an actor.

    A sayer stays an actor when what it says is its own act ("the army said it struck",
    "UNIFIL said its patrol found").
    """
    if mention.end > trigger.start:
        return False
    saying = _SAYING.match(text, mention.end, trigger.start)
    if saying is None:
        return False
    return _OWN_ACT.search(text, saying.end(), trigger.start) is None


def _civilians_by_country(pack: TheatrePack) -> dict[str | None, Actor]:
    """Civilian actors by the ISO code of the country ACLED's name puts them in."""
    gazetteer = Gazetteer.load()
    found: dict[str | None, Actor] = {}
    for actor in pack.actors:
        if actor.inter != Inter.CIVILIANS:
            continue
        named = _COUNTRY_IN_NAME.search(actor.name)
        countries = [
            p.country
            for p in (gazetteer.lookup(named.group(1)) if named else [])
            if p.feature_code in ("PCLI", "PCLD", "PCLS")
        ]
        found.setdefault(countries[0] if countries else None, actor)
    return found


def _first_with(pack: TheatrePack, inter: Inter) -> Actor | None:
    return next((actor for actor in pack.actors if actor.inter == inter), None)
