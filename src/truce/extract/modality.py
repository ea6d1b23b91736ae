"""`truce.modality.v1`: how the text presents each trigger, or that it is no event at all.

asserted (it happened), planned ("will meet", "is scheduled", a date after publication),
threatened ("threatened to strike", any THREATEN), denied ("denied carrying out", "did not"),
hypothetical ("if", "would", "could"). Background and aggregates get None: plural triggers
in the present perfect ("air raids have intensified"), habitual ones ("repeated strikes"),
counts since a point in time, a backdrop ("suspected of involvement in firing", "during
talks"), and the past ("during the war", "last year", "in 1996") unless the clause also names
a recent day.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from truce.core import Modality
from truce.extract.doc import Doc, Trigger, within
from truce.extract.registry import Component, component
from truce.extract.sentences import clause_around

if TYPE_CHECKING:
    from truce.theatre import TheatrePack

_WORDS_BEFORE = 6  # how far back a cue word may stand from its trigger
RECENT_DAYS = 31  # a date this close to publication makes a clause news, not history

_PERFECT_AFTER = re.compile(
    r"^\W*(?:(?!said\b|that\b|which\b|who\b)[\w'\u2019-]+\W+){0,12}?(?:have|has)\s+"
    r"(?:been\s+|also\s+|not\s+)?\w+",
    re.I,
)
#: "officials have discussed": a verbal event in the present perfect names no occasion
_PERFECT_BEFORE = re.compile(r"\b(?:have|has)\s+(?:\w+\s+)?$", re.I)
#: "... where the cabinet was meeting": the setting of something else
_SETTING = re.compile(r"\bwhere\s*$", re.I)
_PROGRESSIVE = re.compile(r"\b(?:was|were)\s+$", re.I)
#: a verb in the past tense reports what happened, whatever later day its clause names
#: ("agreed to meet again on March 3")
_PAST_VERB = re.compile(r"(?:ed|met|held|fought|struck|took|overran|retook)$", re.I)
_HABITUAL = re.compile(
    r"\b(?:repeated|ongoing|continued|continuing|continuous|frequent|daily|near-daily|"
    r"almost\s+daily|regular|nightly|weekly|sporadic|recurrent|persistent|years\s+of|"
    r"months\s+of|decades\s+of|weeks\s+of|days\s+of|for\s+(?:years|months|decades))\b",
    re.I,
)
_SINCE = re.compile(r"\bsince\b", re.I)
_PAST_ERA = re.compile(
    r"\bduring\s+(?:both\s+)?the\s+[\w\s]{0,30}?\b(?:administrations?|era|years|decades)\b"
    r"|\bin\s+the\s+(?:19|20)\d0s\b|\b(?:during|in|of)\s+the\s+(?:(?:19|20)\d\d\s+)?war\b"
    r"|\blast\s+year\b|\b(?:years|decades)\s+ago\b",
    re.I,
)
#: "struck 'a meeting of commanders'": a gathering named as what was hit
_TARGETED = re.compile(
    r"\b(?:struck|hit|targeted|targeting|bombed|attacked|shelled)\s+[\"'\u201c]?(?:a|an|the)?\s*$",
    re.I,
)
#: "in 1996": a year before publication puts the trigger in the past, not the news
_YEAR = re.compile(
    r"\b(?:in|during|of|since)\s+(?:the\s+)?(?:(?:early|late|mid)[\s-]+)?"
    r"(?:(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)\s+)?((?:19|20)\d\d)\b",
    re.I,
)
#: "has been shelled almost daily": how often, right after the trigger
_HABITUAL_AFTER = re.compile(
    r"^\W*(?:\w+\s+)?(?:almost\s+|nearly\s+)?(?:daily|nightly|weekly|"
    r"repeatedly|regularly|routinely|frequently|constantly|every\s+(?:day|night|week))\b",
    re.I,
)
#: "has been shelled": the perfect passive tells a state of affairs, not an occasion
_PERFECT_PASSIVE = re.compile(
    r"\b(?:has|have)\s+(?:been|come)\s+(?:under\s+)?(?:\w+\s+){0,3}$", re.I
)
#: "suspected of involvement in firing", "during negotiations": a backdrop, not the news
_BACKDROP = re.compile(
    r"\b(?:suspected\s+of|accus(?:ed|es|ing)\s+(?:[\w'\u2019-]+\s+){0,4}?of|charged\s+with|"
    r"involvement\s+in|during|amid|"
    r"throughout|familiar\s+with|briefed\s+on|involved\s+in|close\s+to)\s+(?:\w+\s+){0,3}"
    r"[\"'\u201c]?$",
    re.I,
)
_DENIAL = re.compile(r"\bden(?:ied|ies|y|ying)\b", re.I)
#: a negation right before the trigger ("did not strike", "no clashes"), not farther away
#: ("did not comment on the handover" denies nothing about the handover)
_NEGATED = re.compile(
    r"\b(?:did\s+not|didn['\u2019]t|never|had\s+not|hadn['\u2019]t|has\s+not|hasn['\u2019]t|"
    r"was\s+not|were\s+not|no|without)\s+(?:\w+\s+)?$",
    re.I,
)
_DENIAL_OF_ROLE = re.compile(r"\b(?:responsibility|involvement|role|links?)\b", re.I)
_THREAT = re.compile(r"\b(?:threat(?:en|ens|ened|ening)\s+to|vow(?:ed|s)?\s+to)\b", re.I)
_PLANNED = re.compile(
    r"\b(?:will|shall|to\s+be\s+held|(?:is|are|was|were)\s+(?:scheduled|expected|set|due|"
    r"planned|slated)|plans?\s+to|planned|upcoming|next|agreed\s+to|decided\s+to|"
    r"intends?\s+to|aims?\s+to|would\s+(?:hold|meet|resume|reconvene|visit|host|convene|travel|return)|"
    r"(?:coming|following)\s+(?:days|weeks|months))\b",
    re.I,
)
#: "a further meeting ... is expected": the trigger is the subject of a future
_PLANNED_AFTER = re.compile(
    r"^\W*(?:(?!that\b|which\b|who\b|said\b)[\w'\u2019-]+\s+){0,6}?(?:will|shall|"
    r"(?:is|are)\s+(?:expected|scheduled|due|set|planned|slated|to\s+be\s+held))\b",
    re.I,
)
#: "urged both sides to return to talks": what is asked for has not happened
_REQUESTED = re.compile(
    r"\b(?:urg(?:ed|es|ing)|call(?:ed|s|ing)?\s+(?:on|for)|demand(?:ed|s|ing)|"
    r"appeal(?:ed|s)?|ask(?:ed|s)?|press(?:ed|es|ing)\s+for)\b",
    re.I,
)
#: "a strike on the port could ...": the trigger is the subject of a modal verb
_MODAL_AFTER = re.compile(r"^\W*(?:[\w'\u2019-]+\s+){0,4}?(?:could|would|might|may)\b", re.I)
_HYPOTHETICAL = re.compile(r"\b(?:if|unless|would|could|might|may|possible|potential)\b", re.I)


def modality_of(doc: Doc, trigger: Trigger) -> Modality | None:
    """The trigger's modality, or None when it is background rather than an event."""
    return modality_and_reason(doc, trigger)[0]


def modality_and_reason(doc: Doc, trigger: Trigger) -> tuple[Modality | None, str]:
    """The trigger's modality (None for background) and the cue that decided it."""
    text = doc.text
    sentence = doc.sents[trigger.sentence]
    clause = clause_around(doc, sentence, trigger.start)
    lead = text[clause.start : trigger.start]
    near = _last_words(lead)
    after = text[trigger.end : min(sentence.end, trigger.end + 80)]

    background = _background_reason(doc, trigger, lead, after, clause.start, clause.end)
    if background:
        return None, background
    if trigger.plover == "THREATEN":
        return Modality.THREATENED, "a threat by its type"
    if found := _THREAT.search(near):
        return Modality.THREATENED, f"threat cue {found.group()!r}"
    denial = _DENIAL.search(near) or _NEGATED.search(lead[-60:])
    if denial is not None and not _DENIAL_OF_ROLE.search(text, clause.start, sentence.end):
        return Modality.DENIED, f"denial or negation {denial.group().strip()!r}"
    if found := _PLANNED.search(near) or _PLANNED_AFTER.match(after):
        return Modality.PLANNED, f"future cue {found.group().strip()!r}"
    if not _PAST_VERB.search(trigger.surface) and _dated_after_publication(
        doc, clause.start, clause.end
    ):
        return Modality.PLANNED, "its clause names a day after publication"
    if found := _REQUESTED.search(near):
        return Modality.HYPOTHETICAL, f"what a request asks for ({found.group()!r})"
    if found := _HYPOTHETICAL.search(near) or _MODAL_AFTER.match(after):
        return Modality.HYPOTHETICAL, f"conditional or modal {found.group().strip()!r}"
    return Modality.ASSERTED, "no future, negation, threat or condition cue"


def _background_reason(
    doc: Doc, trigger: Trigger, lead: str, after: str, start: int, end: int
) -> str:
    """Why the trigger is background rather than an event, or "" when it is an event."""
    if found := _BACKDROP.search(lead):
        return f"background: a backdrop ({found.group().strip()!r})"
    if _in_the_past(doc, start, end):
        return "background: its clause speaks of the past"
    if trigger.event_type is None and (found := _TARGETED.search(lead)):
        return f"background: the target of an attack ({found.group().strip()!r})"
    text = doc.text
    sentence = doc.sents[trigger.sentence]
    if _SETTING.search(text, max(sentence.start, start - 12), start) and _PROGRESSIVE.search(lead):
        return "background: the setting of another event ('where ... was')"
    if (
        trigger.event_type is None
        and _PERFECT_BEFORE.search(lead)
        and not within(doc.dates, sentence.start, sentence.end)
    ):
        return "background: present perfect with no day"
    if trigger.plural and (found := _PERFECT_AFTER.search(after) or _SINCE.search(after)):
        return f"background: an aggregate ({trigger.surface!r} ... {found.group().strip()!r})"
    if found := _HABITUAL.search(_last_words(lead)) or _HABITUAL_AFTER.match(after):
        return f"background: habitual ({found.group().strip()!r})"
    if _PERFECT_PASSIVE.search(lead) and not _recent_day(doc, start, end):
        return "background: perfect passive with no recent day"
    return ""


def _in_the_past(doc: Doc, start: int, end: int) -> bool:
    """The clause speaks of a past era ("during the war", "last year", "in 1996"), and names
    no recent day of its own ("rallied on Thursday to commemorate those killed in the war")."""
    text = doc.text
    published = doc.published
    past = _PAST_ERA.search(text, start, end) is not None or (
        published is not None
        and any(int(year.group(1)) < published.year for year in _YEAR.finditer(text, start, end))
    )
    if not past:
        return False
    if published is None:
        return not within(doc.dates, start, end)
    recent = published - dt.timedelta(days=RECENT_DAYS)
    return not any(mention.value >= recent for mention in within(doc.dates, start, end))


def _recent_day(doc: Doc, start: int, end: int) -> bool:
    published = doc.published
    mentions = within(doc.dates, start, end)
    if published is None:
        return bool(mentions)
    recent = published - dt.timedelta(days=RECENT_DAYS)
    return any(mention.value >= recent for mention in mentions)


def _last_words(text: str) -> str:
    return " ".join(text[-120:].split()[-_WORDS_BEFORE:])


def _dated_after_publication(doc: Doc, start: int, end: int) -> bool:
    published = doc.published
    if published is None:
        return False
    return any(mention.value > published for mention in within(doc.dates, start, end))


@component("truce.modality.v1", requires=("sents", "dates", "triggers"), assigns=("modalities",))
def modality(pack: TheatrePack) -> Component:
    def run(doc: Doc) -> Doc:
        for trigger in doc.triggers:
            value, reason = modality_and_reason(doc, trigger)
            doc.modalities[trigger] = value
            doc.explain(trigger, "modality", f"{value.value if value else 'none'}: {reason}")
        return doc

    return run
