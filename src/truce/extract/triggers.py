"""`truce.triggers.v1`: words and phrases that signal an event, typed by a lexicon.

The lexicon maps verbs and nouns onto ACLED event and sub-event types and PLOVER types.
Context in the clause then refines the first guess: the instrument ("drone", "artillery")
picks the strike's sub-type; what protesters did (burned tyres, were dispersed) picks the
protest's; a weapon found or dismantled is a disrupted attack, not an explosion. Where two
rules match overlapping text, the longer match wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from truce.extract.doc import Doc, Sentence, Trigger
from truce.extract.registry import Component, component
from truce.extract.sentences import clause_around

if TYPE_CHECKING:
    from truce.theatre import TheatrePack

#: how many following sentences of its paragraph may tell what a protest turned into
PARAGRAPH_REACH = 4

EXPLOSIONS = "Explosions/Remote violence"
AIR = "Air/drone strike"
SHELLING = "Shelling/artillery/missile attack"
IED = "Remote explosive/landmine/IED"
STRATEGIC = "Strategic developments"


@dataclass(frozen=True, slots=True)
class TriggerRule:
    """One lexicon entry: a pattern (case-insensitive) and the types it signals."""

    name: str
    pattern: str
    event_type: str | None = None
    sub_event_type: str | None = None
    plover: str | None = None
    needs: str | None = None  # a pattern the clause must also contain
    needs_in_sentence: bool = False  # ... or the whole sentence, not just the clause
    unless: str | None = None  # a pattern that, right after the match, rules it out


_WEAPON = (
    r"weapons?|arms|ammunition|munitions?|explosives?|(?:explosive|incendiary)\s+devices?|"
    r"IEDs?|bombs?|landmines?|mines|rockets?|missiles?|launch(?:ers?|pads?)|tunnels?|caches?|"
    r"depots?|grenades?|mortars?|shells"
)
_FIRED = (
    r"\b(?:fir(?:e|ed|es|ing)|launch(?:ed|es|ing)?|fell|land(?:ed|ing)|hit|struck|impact\w*|"
    r"barrages?|salvos?|attacks?|intercept\w*|pound\w*|target\w*|explod\w*)\b"
)

LEXICON: tuple[TriggerRule, ...] = (
    TriggerRule(
        "air_strike",
        r"air[\s-]?strikes?|air[\s-]?raids?|drone[\s-]?(?:strikes?|attacks?)|"
        r"bomb(?:ed|ing|ings|ardment)",
        EXPLOSIONS,
        AIR,
        "ASSAULT",
    ),
    TriggerRule(
        "strike",
        r"(?<!hunger\s)(?<!general\s)strik(?:e|es|ing)|struck",
        EXPLOSIONS,
        AIR,
        "ASSAULT",
        unless=r"\s+(?:a|an|the)?\s*(?:deal|agreement|balance|chord|note|tone|bargain|compromise)",
    ),
    TriggerRule(
        "shelling",
        r"shell(?:ed|ing)|artillery|mortars?|rockets?|missiles?|projectiles?|katyushas?",
        EXPLOSIONS,
        SHELLING,
        "ASSAULT",
        needs=_FIRED + r"|\bshell(?:ed|ing)\b",
        unless=r"[\s-]+(?:launch|depot|site|factor|facilit|storage|stockpile|production|store)",
    ),
    TriggerRule(
        "explosive_device",
        r"(?:improvised\s+)?explosive\s+devices?|IEDs?|roadside\s+bombs?|land\s?mines?|"
        r"car\s+bombs?|booby[\s-]trap(?:ped|s)?",
        EXPLOSIONS,
        IED,
        "ASSAULT",
    ),
    TriggerRule(
        "disrupted_weapons",
        r"(?:(?:dismantl|defus|seiz|confiscat|discover|uncover|locat|neutrali[sz])\w*|found|finds?)"
        rf"\b[^.;]{{0,60}}?\b(?:{_WEAPON})",
        STRATEGIC,
        "Disrupted weapons use",
        "COERCE",
    ),
    TriggerRule(
        "armed_clash",
        r"clash(?:es|ed|ing)?|exchang(?:e|es|ed)\s+(?:of\s+)?(?:gun)?fire|gun\s?battles?|"
        r"fire\s?fights?|ambush(?:ed|es)?",
        "Battles",
        "Armed clash",
        "ASSAULT",
    ),
    TriggerRule(
        "attack_on_civilians",
        r"open(?:ed)?\s+fire\s+(?:on|at)|shot\s+(?:dead|and\s+killed)|gunned\s+down|stabbed",
        "Violence against civilians",
        "Attack",
        "ASSAULT",
    ),
    TriggerRule(
        "protest",
        r"protest(?:s|ed|ers|ing)?|demonstrat(?:ion|ions|ors)|rall(?:y|ies)|sit-ins?|"
        r"rallied(?!\s+(?:behind|around|support|to))",
        "Protests",
        "Peaceful protest",
        "PROTEST",
        unless=r"\s+(?:note|letter)",
    ),
    TriggerRule(
        "riot",
        r"riot(?:s|ed|ing|ers)?(?![\s-]+(?:police|gear|control))",
        "Riots",
        "Violent demonstration",
        "PROTEST",
    ),
    TriggerRule(
        "arrest",
        r"arrest(?:ed|s|ing)?|detain(?:ed|s|ing)?|rounded\s+up",
        STRATEGIC,
        "Arrests",
        "COERCE",
    ),
    TriggerRule(
        "seizure",
        r"(?:seiz|captur|grabb)(?:ed|es|ing)(?=\s+(?:(?:a|an|the|two|three|four|several|\w+)\s+)?"
        r"(?:[\w-]+\s+)?(?:shepherds?|farmers?|m[ae]n|wom[ae]n|civilians?|fishermen|fisherman|"
        r"citizens?|people|persons?|residents?|soldiers?|members?|suspects?|boys?|girls?)\b)",
        STRATEGIC,
        "Arrests",
        "COERCE",
    ),
    TriggerRule(
        "grenade",
        r"grenades?(?=[^.;]{0,40}?\b(?:explod|detonat|hit|land|wound|kill|injur))|"
        r"(?:dropped|threw|hurled|tossed|lobbed)\s+(?:a\s+|two\s+|several\s+)?"
        r"(?:stun\s+|hand\s+)?grenades?",
        EXPLOSIONS,
        "Grenade",
        "ASSAULT",
    ),
    TriggerRule(
        "property_destruction",
        r"demolish(?:ed|es|ing)?|demolitions?|blew\s+up|blown\s+up|bulldoz(?:ed|ing)|razed|"
        r"torched|set\s+(?:fire\s+to|ablaze)",
        STRATEGIC,
        "Looting/property destruction",
        "COERCE",
    ),
    TriggerRule(
        "release",
        r"releas(?:ed|es|ing)\s+(?:[\w-]+\s+){0,3}(?:detainees|prisoners|hostages|captives)|"
        r"prisoner\s+(?:exchange|swap|release)s?",
        STRATEGIC,
        "Agreement",
        "CONCEDE",
    ),
    TriggerRule(
        "abduction",
        r"kidnap(?:ped|ping|s)?|abduct(?:ed|ion|s|ing)?",
        "Violence against civilians",
        "Abduction/forced disappearance",
        "ASSAULT",
    ),
    TriggerRule(
        "territory_transfer",
        r"(?:took|taken|takes?|taking)\s+over(?=[^.,;]{0,40}?\b(?:posts?|positions?|sites?|"
        r"bases?|areas?|control|hill(?:top)?s?|towns?|villages?|checkpoints?|territory)\b)|"
        r"hand(?:ed|s|ing)?\s*over(?=\s+(?:(?:the|a|an|its|their|two|three|\w+)\s+)?"
        r"(?:posts?|positions?|sites?|bases?|control|areas?))|"
        r"handovers?",
        STRATEGIC,
        "Non-violent transfer of territory",
        None,
    ),
    TriggerRule(
        "conditional_threat",
        r"(?:would|will)\s+(?:not\s+hesitate\s+to\s+)?(?:\w+\s+)?(?:act|respond|retaliate|"
        r"strike|hit|attack|escalate|resume|use\s+force)\b",
        plover="THREATEN",
        needs=r"\b(?:if|unless|should)\b",
        needs_in_sentence=True,
    ),
    TriggerRule(
        "threaten",
        r"warn(?:ed|s|ing)?|threat(?:en|ens|ened|ening)|vow(?:ed|s)\s+to|ultimatum",
        plover="THREATEN",
        unless=r"\s+(?:shots?|sirens?|signs?|lights?|systems?)\b",
    ),
    TriggerRule(
        "consult",
        r"(?<!was\s)(?<!were\s)(?<!been\s)met|meet(?:s|ing|ings)?|talks|negotiations|held\s+(?:a|an|the)\s+(?:\w+\s+)?round|"
        r"reconvene[sd]?|discuss(?:ed|es)|consultations|summit",
        plover="CONSULT",
        unless=r"\s+(?:the\s+|its\s+|their\s+)?(?:demands?|requirements?|needs?|deadlines?|"
        r"targets?|criteria|conditions|standards|obligations|expectations)",
    ),
    TriggerRule(
        "agree",
        r"agreed|agrees|agree\s+(?:to|on)|signed\s+(?:an?\s+|the\s+)?(?:agreement|deal|accord)|"
        r"reached\s+(?:an?\s+)?(?:agreement|deal|accord|understanding)|struck\s+a\s+deal",
        plover="AGREE",
    ),
    TriggerRule(
        "request",
        r"demand(?:ed|s|ing)|call(?:ed|s|ing)?\s+(?:on|for)|urg(?:ed|es|ing)|appeal(?:ed|s)\s+to",
        plover="REQUEST",
    ),
    TriggerRule(
        "accuse", r"accus(?:ed|es|ing)|blam(?:ed|es|ing)|condemn(?:ed|s|ing)", plover="ACCUSE"
    ),
    TriggerRule("reject", r"reject(?:ed|s|ing)?|refus(?:ed|es|ing)", plover="REJECT"),
)

_AIR_INSTRUMENT = re.compile(
    r"\b(?:drones?|aircraft|warplanes?|jets?|fighter|helicopters?|air\s?force|air[\s-]?strikes?|"
    r"UAVs?|planes?)\b",
    re.IGNORECASE,
)
_GROUND_INSTRUMENT = re.compile(
    r"\b(?:artillery|tanks?|mortars?|shell(?:s|ed|ing)|howitzers?|rockets?|missiles?|cannons?)\b",
    re.IGNORECASE,
)
_VIOLENT_PROTEST = re.compile(
    r"\b(?:burn(?:ed|t|ing)\s+(?:tyres|tires)|clash(?:ed|es)\s+with|threw\s+stones|"
    r"hurl(?:ed|ing)|storm(?:ed|ing)|vandali[sz]ed|torch(?:ed|ing)|set\s+fire|smash(?:ed|ing))\b",
    re.IGNORECASE,
)
_PROTEST_INTERVENTION = re.compile(
    r"\b(?:dispers(?:ed|e|ing)|tear\s?gas|rubber\s+bullets|water\s+cannons?|riot\s+police|"
    r"(?:police|army|troops|soldiers|security\s+forces)\s+(?:arrested|detained|fired|"
    r"intervened|broke\s+up|reopened|cleared))\b",
    re.IGNORECASE,
)
_RESPONSE = re.compile(
    r"\b(?:respond(?:ed|ing|s)?|retaliat\w+|in\s+response|returned\s+fire|repl(?:y|ied))\b",
    re.IGNORECASE,
)
_ANAPHORA = re.compile(
    r"(?:\b(?:the|this|these|those|its|their|such)|\w['\u2019]s)\s+(?:[\w.-]+\s+){0,2}$",
    re.IGNORECASE,
)
#: a determiner reaches the trigger only across modifiers, never across a verb
_VERBS_BETWEEN = re.compile(
    r"\b(?:had|has|have|was|were|is|are|will|would|could|did|said|says|then|also|been)\b",
    re.IGNORECASE,
)
#: nouns that name an event, the only triggers that can refer back to one
_EVENT_NOUN = re.compile(
    r"(?:strikes?|raids?|attacks?|bombings?|bombardment|shelling|clash(?:es)?|fire|battles?|"
    r"fights?|ambush(?:es)?|protests?|demonstrations?|rall(?:y|ies)|sit-ins?|riots?|arrests?|"
    r"detentions?|kidnappings?|abductions?|handovers?|meetings?|talks|negotiations|round|"
    r"summit|consultations|devices?|IEDs?|bombs?|mines?|traps?|grenades?|demolitions?|"
    r"releases?|exchanges?|swaps?)$",
    re.IGNORECASE,
)
_PLURAL_CUE = re.compile(
    r"\b(?:two|three|four|five|several|multiple|series\s+of|dozens\s+of|a\s+number\s+of)\s+"
    r"(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)

_PLURAL_OBJECT = re.compile(
    r"\s+(?:at\s+|on\s+)?(?:two|three|four|five|several|multiple|a\s+series\s+of|"
    r"a\s+number\s+of|targets|positions|sites|areas|towns|villages|buildings|homes|houses|"
    r"cars|vehicles)\b",
    re.IGNORECASE,
)
#: weapons named as the trigger: "its artillery" is no reference back to an earlier event
_INSTRUMENT = re.compile(
    r"(?:artillery|rockets?|missiles?|mortars?|projectiles?|katyushas?)$", re.IGNORECASE
)

_COMPILED = tuple(
    (
        rule,
        re.compile(rf"\b(?:{rule.pattern})\b", re.IGNORECASE),
        re.compile(rule.needs, re.IGNORECASE) if rule.needs else None,
        re.compile(rule.unless, re.IGNORECASE) if rule.unless else None,
    )
    for rule in LEXICON
)


def find_triggers(doc: Doc) -> list[Trigger]:
    """The triggers of every sentence, overlaps resolved, refined by their context."""
    found: list[Trigger] = []
    for index, sentence in enumerate(doc.sents):
        candidates = sorted(
            _matches(doc, index, sentence), key=lambda t: (t.start, -(t.end - t.start))
        )
        kept: list[Trigger] = []
        reach = -1
        for trigger in candidates:
            if trigger.start < reach:  # overlaps a longer or earlier match
                continue
            kept.append(trigger)
            reach = max(reach, trigger.end)
        found.extend(_one_per_clause(doc, sentence, [_refine(doc, t) for t in kept]))
    return found


def _one_per_clause(doc: Doc, sentence: Sentence, found: list[Trigger]) -> Iterator[Trigger]:
    """Keep the first trigger of each type in a clause: "artillery ... shelling" is one event."""
    seen: set[tuple[int, str | None, str | None]] = set()
    for trigger in found:
        key = (
            clause_around(doc, sentence, trigger.start).start,
            trigger.event_type,
            trigger.plover,
        )
        if key not in seen:
            seen.add(key)
            yield trigger


def _matches(doc: Doc, index: int, sentence: Sentence) -> Iterator[Trigger]:
    text = doc.text
    for rule, pattern, needs, unless in _COMPILED:
        for match in pattern.finditer(text, sentence.start, sentence.end):
            if unless is not None and unless.match(text, match.end(), sentence.end):
                continue
            if needs is not None:
                scope = (
                    sentence
                    if rule.needs_in_sentence
                    else clause_around(doc, sentence, match.start())
                )
                if needs.search(text, scope.start, scope.end) is None:
                    continue
            yield _trigger(doc, rule, match, index)


def _trigger(doc: Doc, rule: TriggerRule, match: re.Match[str], index: int) -> Trigger:
    text = doc.text
    before = text[max(0, match.start() - 40) : match.start()]
    surface = match.group()
    sentence = doc.sents[index]
    clause = clause_around(doc, sentence, match.start())
    return Trigger(
        start=match.start(),
        end=match.end(),
        surface=surface,
        rule=rule.name,
        event_type=rule.event_type,
        sub_event_type=rule.sub_event_type,
        plover=rule.plover,
        sentence=index,
        anaphoric=_refers_back(before, surface),
        response=_RESPONSE.search(text, clause.start, clause.end) is not None,
        plural=_PLURAL_CUE.search(before) is not None
        or _PLURAL_OBJECT.match(text, match.end()) is not None
        or (surface.lower().endswith("s") and not surface.lower().endswith("ss")),
    )


def _refers_back(before: str, surface: str) -> bool:
    """ "the strike", "Wednesday's meeting": an event noun under a definite determiner."""
    if _EVENT_NOUN.search(surface) is None or _INSTRUMENT.match(surface):
        return False
    found = _ANAPHORA.search(before)
    return found is not None and _VERBS_BETWEEN.search(found.group()) is None


def _refine(doc: Doc, trigger: Trigger) -> Trigger:
    """Sharpen the lexicon's sub-type from the words around the trigger."""
    text = doc.text
    sentence = doc.sents[trigger.sentence]
    if trigger.event_type == EXPLOSIONS and trigger.sub_event_type in (AIR, SHELLING):
        clause = clause_around(doc, sentence, trigger.start)
        air = _AIR_INSTRUMENT.search(text, clause.start, clause.end)
        ground = _GROUND_INSTRUMENT.search(text, clause.start, clause.end)
        if air is not None:
            return replace(trigger, sub_event_type=AIR)
        if ground is not None:
            return replace(trigger, sub_event_type=SHELLING)
    if trigger.event_type in ("Protests", "Riots"):
        window = _paragraph_from(doc, trigger.sentence)
        if _VIOLENT_PROTEST.search(text, *window):
            return replace(trigger, event_type="Riots", sub_event_type="Violent demonstration")
        if trigger.event_type == "Protests" and _PROTEST_INTERVENTION.search(text, *window):
            return replace(trigger, sub_event_type="Protest with intervention")
    return trigger


def _paragraph_from(doc: Doc, index: int) -> tuple[int, int]:
    """From the start of sentence `index` to the end of its paragraph (a few sentences)."""
    paragraph = doc.sents[index].paragraph
    end = doc.sents[index].end
    for sentence in doc.sents[index + 1 : index + 1 + PARAGRAPH_REACH]:
        if sentence.paragraph != paragraph:
            break
        end = sentence.end
    return doc.sents[index].start, end


@component("truce.triggers.v1", requires=("sents",), assigns=("triggers",))
def triggers(pack: TheatrePack) -> Component:
    def run(doc: Doc) -> Doc:
        doc.triggers = find_triggers(doc)
        return doc

    return run
