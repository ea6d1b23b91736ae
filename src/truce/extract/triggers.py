"""`truce.triggers.v1`: words and phrases that signal an event, typed by a lexicon.

The lexicon maps verbs and nouns onto ACLED event and sub-event types and PLOVER types.
Context in the clause then refines the first guess: the instrument ("drone", "artillery")
picks the strike's sub-type; what protesters did (burned tyres, were dispersed) picks the
protest's; a weapon found or dismantled is a disrupted attack, not an explosion. Where two
rules match overlapping text, the longer match wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from truce.extract.doc import Doc, Sentence, Trigger
from truce.extract.lowered import lowered
from truce.extract.registry import Component, component
from truce.extract.sentences import clause_around
from truce.extract.starts import StartIndex, first_matches, starts
from truce.extract.trigger_rule import TriggerRule
from truce.extract.verbal_lexicon import VERBAL_LEXICON

if TYPE_CHECKING:
    from truce.theatre import TheatrePack

#: how many following sentences of its paragraph may tell what a protest turned into
PARAGRAPH_REACH = 4

EXPLOSIONS = "Explosions/Remote violence"
AIR = "Air/drone strike"
SHELLING = "Shelling/artillery/missile attack"
IED = "Remote explosive/landmine/IED"
STRATEGIC = "Strategic developments"
GRENADE = "Grenade"
CHEMICAL = "Chemical weapon"
_CHEMICAL_PATTERN = (
    r"chemical\s+(?:weapons?|munitions?|agents?|attacks?|substances?|burns?)|chloropicrin|sarin|"
    r"(?:chlorine|toxic|poison|CS|nerve)\s+gas|choking\s+agents?"
)


_WEAPON = (
    r"weapons?|arms|ammunition|munitions?|explosives?|(?:explosive|incendiary)\s+devices?|"
    r"IEDs?|bombs?|landmines?|mines|rockets?|missiles?|launch(?:ers?|pads?)|tunnels?|caches?|"
    r"depots?|grenades?|mortars?|shells"
)
_FIRED = (
    r"\b(?:fir(?:e|ed|es|ing)|launch(?:ed|es|ing)?|fell|land(?:ed|ing)|hit|struck|impact\w*|"
    r"slamm(?:ed|ing)|crash(?:ed|ing)|rain(?:ed|ing)|"
    r"barrages?|salvos?|attacks?|intercept\w*|pound\w*|target\w*|explod\w*)\b"
)

LEXICON: tuple[TriggerRule, ...] = (
    TriggerRule(
        "air_strike",
        r"air[\s-]?strikes?|air[\s-]?raids?|drone[\s-]?(?:strikes?|attacks?)|"
        r"bomb(?:ed|ing|ings|ardment)|(?:aerial|guided|glide|gliding|cluster|barrel)\s+bombs?|"
        r"dropp(?:ed|ing)\s+(?:an?\s+|two\s+|several\s+)?(?:explosives?|bombs?|munitions?)",
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
        "air_platform",
        r"(?:jets?|warplanes?|fighter\s+planes?|aircraft|drones?|helicopters?)\s+(?:also\s+)?"
        r"(?:destroyed|hit|targeted|attacked|fired\s+(?:on|at)|levelled|leveled|flattened)",
        EXPLOSIONS,
        AIR,
        "ASSAULT",
    ),
    TriggerRule(
        "shelling",
        r"shell(?:ed|ing|s)|artillery|mortars?|rockets?|missiles?|projectiles?|katyushas?",
        EXPLOSIONS,
        SHELLING,
        "ASSAULT",
        needs=_FIRED + r"|\bshell(?:ed|ing)\b",
        unless=r"[\s-]+(?:launch(?:ers?|pads?|\s+(?:sites?|pads?|positions?))|depot|site|factor|"
        r"facilit|storage|stockpile|production|store|propelled)",
    ),
    TriggerRule(
        "interception",
        r"shot\s+down|intercept(?:ed|ing|ions?)|downed",
        STRATEGIC,
        "Disrupted weapons use",
        "COERCE",
    ),
    TriggerRule(
        "explosive_device",
        r"(?:improvised\s+)?explosive\s+devices?|IEDs?|roadside\s+bombs?|land\s?mines?|"
        r"(?:cluster\s+)?submunitions?|unexploded\s+(?:ordnance|bombs?|shells?|munitions?)|"
        r"anti-(?:tank|personnel|vehicle)\s+mines?|(?:hit|struck|stepped\s+on|drove\s+over|"
        r"ran\s+over|detonated)\s+(?:an?\s+)?(?:[\w-]+\s+)?mine\b|"
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
        r"fire\s?fights?|ambush(?:ed|es)?|fought|fighting|battl(?:ed|ing)|skirmish(?:es|ed)?|"
        r"repell?ed|repuls(?:ed|ing)|came\s+under\s+(?:heavy\s+)?(?:fire|attack)|"
        r"returned\s+fire",
        "Battles",
        "Armed clash",
        "ASSAULT",
        unless=r"\s+(?:corruption|poverty|crime|for\s+(?:the\s+)?(?:rights?|justice|survival))",
    ),
    TriggerRule(
        "attack",
        r"attack(?:ed|s|ing)?|assault(?:ed|s|ing)?|storm(?:ed|ing)|raid(?:ed|ing)?|"
        r"fired\s+(?:on|at|upon)|shot\s+at",
        "Violence against civilians",
        "Attack",
        "ASSAULT",
        unless=r"[\s-]+(?:rifles?|helicopters?|drones?\s+(?:units?|factory))",
    ),
    TriggerRule(
        "killing",
        r"(?<!were\s)(?<!was\s)(?<!been\s)(?<!be\s)(?:killed|shot\s+dead|executed|massacred)",
        "Violence against civilians",
        "Attack",
        "ASSAULT",
        needs=r"\b(?:gunm[ae]n|assailants|attackers|armed\s+men|militants|militiamen)\b",
    ),
    TriggerRule(
        "territory_regained",
        r"(?:regain(?:ed|s|ing)?|retook|retaken|retake|recaptur(?:ed|es|ing)|restor(?:ed|es|ing)|"
        r"reassert(?:ed|s|ing)?|wrest(?:ed|s|ing)?\s+back)\s+control|recaptur(?:ed|es|ing)|retook|"
        r"retaken",
        "Battles",
        "Government regains territory",
        "ASSAULT",
    ),
    TriggerRule(
        "territory_taken",
        r"(?:took|taken|takes?|taking|seiz(?:ed|es|ing)|gain(?:ed|s)|assum(?:ed|es)|wrest(?:ed|s))"
        r"\s+(?:full\s+)?control|overr?an|fell\s+to|fall\s+of(?=\s+[A-Z])|"
        r"captur(?:ed|es|ing)(?=\s+(?:the\s+)?(?:town|village|city|district|[A-Z]))",
        "Battles",
        "Non-state actor overtakes territory",
        "ASSAULT",
    ),
    TriggerRule(
        "sexual_violence",
        r"rap(?:ed|es|ing)|rapes?|gang[\s-]rap\w*|sexual(?:ly)?\s+(?:violence|assault(?:ed|s)?|"
        r"abuse[ds]?|abusing)",
        "Violence against civilians",
        "Sexual violence",
        "ASSAULT",
    ),
    TriggerRule(
        "mob_violence",
        r"lynch(?:ed|ing)?|mob|pelt(?:ed|ing)|stoned|threw\s+stones|"
        r"beat(?:en|ing)?\s+(?:to\s+death|a|an|the|him|her|them|up|two|three|several)\b",
        "Riots",
        "Mob violence",
        "PROTEST",
    ),
    TriggerRule(
        "suicide_bomb",
        r"suicide\s+(?:bomb(?:er|ers|ing|ings)?|attack(?:er|ers|s)?|car\s+bombs?|vests?)|"
        r"blew\s+(?:himself|herself|themselves)\s+up|explosive\s+(?:belts?|vests?)",
        EXPLOSIONS,
        "Suicide bomb",
        "ASSAULT",
    ),
    TriggerRule(
        "chemical_weapon",
        _CHEMICAL_PATTERN,
        EXPLOSIONS,
        CHEMICAL,
        "ASSAULT",
        unless=r"\s+Convention",
    ),
    TriggerRule(
        "base_established",
        r"(?:set(?:s|ting)?\s+up|establish(?:ed|es|ing)|buil[dt]|erect(?:ed|s|ing)|"
        r"install(?:ed|s|ing)|construct(?:ed|s|ing))\s+(?:(?:a|an|two|three|four|several|new|"
        r"its|their|military|fortified|observation|forward|permanent)\s+)*(?:[\w-]+\s+)?"
        r"(?:bases?|posts?|outposts?|positions?|headquarters|barracks|watchtowers?)\b",
        STRATEGIC,
        "Headquarters or base established",
        None,
    ),
    TriggerRule(
        "leaflets",
        r"(?:dropp(?:ed|ing)|scatter(?:ed|ing)|distribut(?:ed|ing))\s+(?:[\w-]+\s+){0,2}"
        r"(?:leaflets|flyers|pamphlets)|leaflets?\s+(?:were\s+)?dropped",
        STRATEGIC,
        "Other",
        None,
    ),
    TriggerRule(
        "formal_agreement",
        r"sign(?:ed|s|ing)\s+(?:an?\s+|the\s+|a\s+new\s+)?(?:[\w-]+\s+)?(?:agreement|deal|accord|"
        r"treaty|memorandum|truce|ceasefire)|"
        r"(?:agreement|deal|accord|treaty|memorandum)\s+(?:was|were)\s+signed|"
        r"exchang(?:ed|es|ing)\s+(?:[\w-]+\s+){0,3}(?:prisoners|detainees|captives|bodies)|"
        r"(?:prisoner\s+)?swap(?:ped|s)?",
        STRATEGIC,
        "Agreement",
        "AGREE",
    ),
    TriggerRule(
        "attack_on_civilians",
        r"open(?:ed)?\s+fire\s+(?:on|at)|shot\s+(?:dead|and\s+killed)|gunned\s+down|stabbed|"
        r"shot(?!\s+down)|shooting",
        "Violence against civilians",
        "Attack",
        "ASSAULT",
    ),
    TriggerRule(
        "protest",
        r"protest(?:s|ed|ers|ing)?|demonstrat(?:ion|ions|ors|ed)|rall(?:y|ies)|sit-ins?|"
        r"rallied(?!\s+(?:behind|around|support|to))|marched|(?-i:march(?:es|ers)?)|"
        r"block(?:ed|ing)\s+(?:the\s+|a\s+)?(?:main\s+|coastal\s+|key\s+)?"
        r"(?:roads?|highway|streets?|entrances?)|burn(?:ed|t|ing)\s+(?:tyres|tires)",
        "Protests",
        "Peaceful protest",
        "PROTEST",
        unless=r"\s+(?:note|letter)",
    ),
    TriggerRule(
        "dispersal",
        r"(?:fired|fire|firing|used|using)\s+(?:tear\s?gas|water\s+cannons?|rubber\s+bullets)|"
        r"dispers(?:ed|e|ing)\s+(?:a\s+|the\s+)?(?:[\w-]+\s+){0,3}(?:protesters|demonstrators|"
        r"crowds?|rall(?:y|ies)|sit-ins?|hundreds|dozens|thousands)",
        "Protests",
        "Protest with intervention",
        "PROTEST",
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
        GRENADE,
        "ASSAULT",
    ),
    TriggerRule(
        "property_destruction",
        r"demolish(?:ed|es|ing)?|demolitions?|blew\s+up|blown\s+up|bulldoz(?:ed|ing)|razed|"
        r"torched|set\s+(?:fire\s+to|ablaze)|loot(?:ed|ing)|plunder(?:ed|ing)|ransack(?:ed|ing)|"
        r"pillag(?:ed|ing)|uproot(?:ed|ing)|knocked\s+down",
        STRATEGIC,
        "Looting/property destruction",
        "COERCE",
    ),
    TriggerRule(
        "entry_after_withdrawal",
        r"entered|(?:moved|deployed|redeployed)\s+(?:back\s+)?into",
        STRATEGIC,
        "Non-violent transfer of territory",
        None,
        needs=r"\b(?:withdr[ae]w\w*|pull(?:ed|ing)?\s+out|left|hand(?:ed|ing)?\s+over|"
        r"departure|evacuat\w+|vacat\w+)\b",
        needs_in_sentence=True,
    ),
    TriggerRule(
        "mass_grave",
        r"mass\s+graves?",
        STRATEGIC,
        "Other",
        None,
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
        unless=r"\s+(?:shots?|sirens?|signs?|lights?|systems?)\b|"
        r"\s+(?:the\s+)?(?:residents|civilians|people|inhabitants)\s+(?:not\s+)?to\b",
    ),
    TriggerRule(
        "consult",
        r"(?<!was\s)(?<!were\s)(?<!been\s)met|meet(?:s|ing|ings)?|talks|negotiations|held\s+(?:a|an|the)\s+(?:\w+\s+)?round|"
        r"reconvene[sd]?|discuss(?:ed|es)|consultations|summit|"
        r"(?:receiv|host|welcom)(?:ed|es|ing)\s+(?:the\s+|a\s+|an\s+)?(?:[\w.'\u2019-]+\s+){0,3}"
        r"(?:envoys?|delegations?|ministers?|ambassadors?|president|premier|counterparts?|"
        r"mediators?|emissar(?:y|ies)|secretary|officials|commanders?)|"
        r"visit(?:ed|s|ing)?(?=\s+(?:to\s+)?[A-Z])|(?<!press\s)(?<!news\s)conferences?",
        plover="CONSULT",
        unless=r"\s+(?:the\s+|its\s+|their\s+)?(?:demands?|requirements?|needs?|deadlines?|"
        r"targets?|criteria|conditions|standards|obligations|expectations)",
    ),
    TriggerRule(
        "diplomatic_travel",
        r"(?:travel(?:led|ed|s|ing)?|fl(?:y|ew|ies|ying)|head(?:ed|s|ing)?)\s+to(?=\s+[A-Z])",
        plover="CONSULT",
        needs=r"\b(?:envoys?|ministers?|delegations?|president|secretary|mediators?|diplomats?|"
        r"emissar(?:y|ies)|premier|chancellor)\b",
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
    *VERBAL_LEXICON,
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
_CHEMICAL = re.compile(_CHEMICAL_PATTERN + r"(?!\s+Convention)", re.IGNORECASE)
_VIOLENT_PROTEST = re.compile(
    r"\b(?:burn(?:ed|t|ing)\s+(?:tyres|tires)|clash(?:ed|es)\s+with|threw\s+stones|"
    r"hurl(?:ed|ing)|storm(?:ed|ing)|vandali[sz]ed|torch(?:ed|ing)|set\s+fire|smash(?:ed|ing))\b",
    re.IGNORECASE,
)
_PROTEST_CONTEXT = re.compile(
    r"\b(?:protest\w*|demonstrat\w*|demand(?:ed|ing|s)?|rall(?:y|ied|ies)|depositors)\b",
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
    r"releases?|exchanges?|swaps?|fall\s+of|capture|recapture|takeover)$",
    re.IGNORECASE,
)
_VERB_PHRASE = re.compile(
    r"(?:\w+ed|came|come|exchang\w+|open\w*|hit|struck|ran|threw|blew|shot|took|set)\s",
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


def _lowered(pattern: str) -> re.Pattern[str] | None:
    """The rule's pattern for lower-cased text, without a leading word boundary: a pattern
    that starts with plain letters then lets the regex engine skip to the places where it
    can start, which makes a scan several times faster. None for patterns that read case."""
    text = lowered(pattern)
    return re.compile(rf"(?:{text})\b") if text is not None else None


_COMPILED = tuple(
    (
        rule,
        re.compile(rf"\b(?:{rule.pattern})\b", re.IGNORECASE),
        _lowered(rule.pattern),
        re.compile(rule.needs, re.IGNORECASE) if rule.needs else None,
        re.compile(rule.unless, re.IGNORECASE) if rule.unless else None,
    )
    for rule in LEXICON
)


def find_triggers(doc: Doc) -> list[Trigger]:
    """The triggers of every sentence, overlaps resolved, refined by their context."""
    by_sentence: dict[int, list[Trigger]] = {}
    for index, trigger in _matches(doc):
        by_sentence.setdefault(index, []).append(trigger)
    found: list[Trigger] = []
    for index in sorted(by_sentence):
        candidates = sorted(by_sentence[index], key=lambda t: (t.start, -(t.end - t.start)))
        kept: list[Trigger] = []
        reach = -1
        for trigger in candidates:
            if trigger.start < reach:  # overlaps a longer or earlier match
                continue
            kept.append(trigger)
            reach = max(reach, trigger.end)
        sentence = doc.sents[index]
        found.extend(_one_per_clause(doc, sentence, [_refine(doc, t) for t in kept]))
    return found


#: rules that name violence without saying what kind: they yield to a specific trigger of
#: their sentence ("a drone attack", "the attack ... struck a car")
GENERIC_RULES = frozenset({"attack", "killing"})
#: event types a generic violent trigger yields to
_VIOLENT = frozenset({"Battles", EXPLOSIONS, "Violence against civilians", "Riots"})


def _one_per_clause(doc: Doc, sentence: Sentence, found: list[Trigger]) -> Iterator[Trigger]:
    """Keep the first trigger of each type in a clause: "artillery ... shelling" is one event;
    a generic one ("attacked") only when its sentence has no specific violent trigger."""
    seen: set[tuple[int, str | None, str | None]] = set()
    specific = any(t.rule not in GENERIC_RULES and t.event_type in _VIOLENT for t in found)
    clauses = {
        clause_around(doc, sentence, t.start).start
        for t in found
        if t.rule not in GENERIC_RULES and t.event_type is not None
    }
    for trigger in found:
        if trigger.rule in GENERIC_RULES and (
            specific or clause_around(doc, sentence, trigger.start).start in clauses
        ):
            continue  # "arrested four men in a raid": the raid is the arrest
        key = (
            clause_around(doc, sentence, trigger.start).start,
            trigger.event_type,
            trigger.plover,
        )
        if key not in seen:
            seen.add(key)
            yield trigger


def _matches(doc: Doc) -> Iterator[tuple[int, Trigger]]:
    """Every rule's matches, each with its sentence. A rule is tried only where a word of
    the text begins as a match of it can (`truce.extract.starts`), which keeps the lexicon's
    cost to one pass over the words and a few hundred anchored matches a document."""
    if not doc.sents:
        return
    text = doc.text
    first, last = doc.sents[0].start, doc.sents[-1].end
    lower = doc.lower or ""  # "" where lower case would shift offsets
    candidates = _STARTS.candidates(lower, first, last) if lower else {}
    for number, (rule, pattern, fast, needs, unless) in enumerate(_COMPILED):
        found: Iterable[re.Match[str]]
        if lower and number in _INDEXED:
            offsets = candidates.get(number)
            if offsets is None:
                continue
            if fast is not None:
                found = first_matches(fast, lower, offsets, last)
            else:
                found = first_matches(pattern, text, offsets, last)
        elif fast is not None and lower:
            found = (m for m in fast.finditer(lower, first, last) if _word_starts(lower, m.start()))
        else:
            found = pattern.finditer(text, first, last)
        for match in found:
            index = doc.sentence_at(match.start())
            if index is None or match.end() > doc.sents[index].end:
                continue
            sentence = doc.sents[index]
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
            yield index, _trigger(doc, rule, match, index)


def _word_starts(text: str, offset: int) -> bool:
    return offset == 0 or not (text[offset - 1].isalnum() or text[offset - 1] == "_")


def _rule_starts(fast: re.Pattern[str] | None, pattern: re.Pattern[str]) -> frozenset[str] | None:
    # the lower-case pattern reads as it matches; the other is read ignoring case
    return starts(fast.pattern) if fast is not None else starts(pattern.pattern, re.IGNORECASE)


_RULE_STARTS = {
    number: _rule_starts(fast, pattern) for number, (_, pattern, fast, _, _) in enumerate(_COMPILED)
}
#: the rules a scan of the words' beginnings finds; any other is scanned in full
_INDEXED = frozenset(number for number, found in _RULE_STARTS.items() if found is not None)
_STARTS = StartIndex((number, found) for number, found in _RULE_STARTS.items() if found is not None)


def _trigger(doc: Doc, rule: TriggerRule, match: re.Match[str], index: int) -> Trigger:
    text = doc.text
    before = text[max(0, match.start() - 40) : match.start()]
    surface = text[match.start() : match.end()]
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
    if _VERB_PHRASE.match(surface):  # "came under fire": a verb, no noun to refer back with
        return False
    found = _ANAPHORA.search(before)
    return found is not None and _VERBS_BETWEEN.search(found.group()) is None


def _refine(doc: Doc, trigger: Trigger) -> Trigger:
    """Sharpen the lexicon's sub-type from the words around the trigger."""
    text = doc.text
    sentence = doc.sents[trigger.sentence]
    if trigger.event_type == EXPLOSIONS and trigger.sub_event_type in (AIR, SHELLING, GRENADE):
        sentence_text = (sentence.start, sentence.end)
        if trigger.rule != "chemical_weapon" and _CHEMICAL.search(text, *sentence_text):
            # "grenades filled with CS gas": the munition's filling names the weapon
            return replace(trigger, sub_event_type=CHEMICAL)
    if trigger.event_type == EXPLOSIONS and trigger.sub_event_type in (AIR, SHELLING):
        clause = clause_around(doc, sentence, trigger.start)
        air = _AIR_INSTRUMENT.search(text, clause.start, clause.end)
        ground = _GROUND_INSTRUMENT.search(text, clause.start, clause.end)
        if air is not None:
            return replace(trigger, sub_event_type=AIR)
        if ground is not None:
            return replace(trigger, sub_event_type=SHELLING)
    if trigger.rule in GENERIC_RULES:
        clause = clause_around(doc, sentence, trigger.start)
        if _AIR_INSTRUMENT.search(text, clause.start, clause.end):
            # "a drone had fired at an ambulance": violence from the air
            return replace(trigger, event_type=EXPLOSIONS, sub_event_type=AIR)
        window = _paragraph_from(doc, trigger.sentence)
        if _PROTEST_CONTEXT.search(text, *window) and _VIOLENT_PROTEST.search(text, *window):
            # "depositors stormed a bank ... to demand their savings": a riot, not an attack
            return replace(trigger, event_type="Riots", sub_event_type="Violent demonstration")
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
