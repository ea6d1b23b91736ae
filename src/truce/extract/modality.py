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

_PERFECT_AFTER = re.compile(r"^\W*(?:\w+\W+){0,3}?(?:have|has)\s+(?:been\s+|also\s+)?\w+", re.I)
_HABITUAL = re.compile(
    r"\b(?:repeated|ongoing|continued|continuing|continuous|frequent|daily|near-daily|"
    r"almost\s+daily|regular|nightly|weekly|sporadic|recurrent|persistent|years\s+of|"
    r"months\s+of|decades\s+of)\b",
    re.I,
)
_SINCE = re.compile(r"\bsince\b", re.I)
_PAST_ERA = re.compile(
    r"\bduring\s+(?:both\s+)?the\s+[\w\s]{0,30}?\b(?:administrations?|era|years|decades)\b"
    r"|\bin\s+the\s+(?:19|20)\d0s\b|\b(?:during|in)\s+the\s+(?:(?:19|20)\d\d\s+)?war\b"
    r"|\blast\s+year\b|\b(?:years|decades)\s+ago\b",
    re.I,
)
#: "in 1996": a year before publication puts the trigger in the past, not the news
_YEAR = re.compile(r"\b(?:in|during|of)\s+((?:19|20)\d\d)\b", re.I)
#: "suspected of involvement in firing", "during negotiations": a backdrop, not the news
_BACKDROP = re.compile(
    r"\b(?:suspected\s+of|accused\s+of|charged\s+with|involvement\s+in|during|amid|"
    r"throughout)\s+(?:\w+\s+){0,3}$",
    re.I,
)
_DENIAL = re.compile(r"\bden(?:ied|ies|y|ying)\b", re.I)
#: a negation right before the trigger ("did not strike", "no clashes"), not farther away
#: ("did not comment on the handover" denies nothing about the handover)
_NEGATED = re.compile(
    r"\b(?:did\s+not|didn['\u2019]t|never|had\s+not|hadn['\u2019]t|has\s+not|hasn['\u2019]t|"
    r"was\s+not|were\s+not|no)\s+(?:\w+\s+)?$",
    re.I,
)
_DENIAL_OF_ROLE = re.compile(r"\b(?:responsibility|involvement|role|links?)\b", re.I)
_THREAT = re.compile(r"\b(?:threat(?:en|ens|ened|ening)\s+to|vow(?:ed|s)?\s+to)\b", re.I)
_PLANNED = re.compile(
    r"\b(?:will|shall|to\s+be\s+held|(?:is|are|was|were)\s+(?:scheduled|expected|set|due|"
    r"planned|slated)|plans?\s+to|planned|upcoming|next|agreed\s+to|decided\s+to|"
    r"intends?\s+to|aims?\s+to|would\s+(?:hold|meet|resume|reconvene|visit))\b",
    re.I,
)
#: "a strike on the port could ...": the trigger is the subject of a modal verb
_MODAL_AFTER = re.compile(r"^\W*(?:[\w'\u2019-]+\s+){0,4}?(?:could|would|might|may)\b", re.I)
_HYPOTHETICAL = re.compile(r"\b(?:if|unless|would|could|might|may|possible|potential)\b", re.I)


def modality_of(doc: Doc, trigger: Trigger) -> Modality | None:
    """The trigger's modality, or None when it is background rather than an event."""
    text = doc.text
    sentence = doc.sents[trigger.sentence]
    clause = clause_around(doc, sentence, trigger.start)
    lead = text[clause.start : trigger.start]
    near = _last_words(lead)
    after = text[trigger.end : min(sentence.end, trigger.end + 80)]

    if _is_background(doc, trigger, lead, after, clause.start, clause.end):
        return None
    if trigger.plover == "THREATEN" or _THREAT.search(near):
        return Modality.THREATENED
    denial = _DENIAL.search(near) or _NEGATED.search(lead[-60:])
    if denial is not None and not _DENIAL_OF_ROLE.search(text, clause.start, sentence.end):
        return Modality.DENIED
    if _PLANNED.search(near) or _dated_after_publication(doc, clause.start, clause.end):
        return Modality.PLANNED
    if _HYPOTHETICAL.search(near) or _MODAL_AFTER.match(after):
        return Modality.HYPOTHETICAL
    return Modality.ASSERTED


def _is_background(doc: Doc, trigger: Trigger, lead: str, after: str, start: int, end: int) -> bool:
    if _BACKDROP.search(lead):
        return True
    if _in_the_past(doc, start, end):
        return True
    if trigger.event_type is None:
        return False
    if trigger.plural and (_PERFECT_AFTER.search(after) or _SINCE.search(after)):
        return True
    return _HABITUAL.search(_last_words(lead)) is not None


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
        doc.modalities = {trigger: modality_of(doc, trigger) for trigger in doc.triggers}
        return doc

    return run
