"""Which of a document's dates is an event's: the nearest in its clause or sentence that does
not only tell when a source spoke, else the day told just before ("hours earlier"), the
previous sentence's, or the lede's at week precision."""

from __future__ import annotations

import re

from truce.core import Modality, TimePrecision
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

#: "hours earlier", "the same day": the day of the event told just before
_SAME_DAY = re.compile(
    r"\b(?:(?:hours?|minutes?)\s+(?:earlier|later|before|after)|(?:the\s+)?same\s+day|"
    r"(?:earlier|later)\s+(?:that|the\s+same)\s+day)\b",
    re.I,
)
_UNRESOLVED_TIME = re.compile(
    r"\b(?:days?|weeks?|months?|years?)\s+(?:after|before|ago|earlier|later)\b|\bago\b|"
    r"\blast\s+(?:year|month)['\u2019]?s?\b|\bin\s+(?:19|20)\d\d\b|\bformer(?:ly)?\b",
    re.I,
)
#: a date that tells when a source spoke, not when the event happened: "said on Tuesday",
#: "on Wednesday condemned"
_SAID_ON = re.compile(
    r"\b(?:said|says|told\s+[\w ]{1,30}?|reported|announced|stated|confirmed)\s+$", re.I
)
_ON_SAID = re.compile(
    r"\s*,?\s*(?:(?:has|have|had)\s+)?(?:said|says|told|reported|announced|stated|confirmed|"
    r"condemned|denounced|decried|deplored|complained|raised|(?:filed|lodged)\s+a\s+complaint)\b",
    re.I,
)


def choose_date(
    doc: Doc, trigger: Trigger, sentence: Sentence, clause: Span, modality: Modality
) -> tuple[DateMention | None, bool, str]:
    """The trigger's date, whether it is only the lede's, taken for want of any other, and
    why it was chosen."""
    published = doc.published
    past_only = modality not in (Modality.PLANNED, Modality.HYPOTHETICAL) and published
    # a mention that refers back takes its date from its own clause, or from its referent
    for scope in (clause,) if trigger.anaphoric else (clause, sentence):
        mentions = [
            m
            for m in within(doc.dates, scope.start, scope.end)
            if not (past_only and published is not None and m.value > published)
        ]
        told = [m for m in mentions if not _speech_date(doc.text, m, trigger)]
        mentions = told or mentions
        if mentions:
            where = "its clause" if scope is clause else "its sentence"
            return (
                min(mentions, key=lambda m: distance_to(m, trigger)),
                False,
                f"nearest in {where}",
            )
    if _SAME_DAY.search(doc.text, sentence.start, sentence.end):
        before = [
            m for m in within(doc.dates, 0, sentence.start) if m.precision == TimePrecision.DAY
        ]
        if before:
            return before[-1], False, "'hours earlier/later': the day of the date told before"
    if found := _UNRESOLVED_TIME.search(doc.text, sentence.start, sentence.end):
        # "days after", "last year": some other day than its neighbours'
        return None, False, f"left open: {found.group()!r} names a day the text does not give"
    if trigger.anaphoric:
        return None, False, "refers back: the date of the event it refers to"
    index = trigger.sentence
    if index > 0 and doc.sents[index - 1].paragraph == sentence.paragraph:
        previous = doc.sents[index - 1]
        mentions = within(doc.dates, previous.start, previous.end)
        mentions = [m for m in mentions if not _speech_date(doc.text, m, trigger)] or mentions
        if mentions:
            return mentions[-1], False, "last date of the previous sentence"
    if modality in (Modality.PLANNED, Modality.HYPOTHETICAL):
        return None, False, "not yet happened and no date given"
    lede = lede_date(doc)
    return lede, lede is not None, "the lede's date, at week precision"


def _speech_date(text: str, mention: DateMention, trigger: Trigger) -> bool:
    """Whether the date tells when a source spoke or protested ("said on Tuesday", "on
    Wednesday condemned"), for a trigger that is not that speech."""
    after = _ON_SAID.match(text, mention.end)
    if after is not None and after.start() <= trigger.start < after.end():
        return False  # the trigger is the speaking itself ("on Wednesday condemned")
    before = _SAID_ON.search(text, max(0, mention.start - 40), mention.start)
    if before is not None and before.start() <= trigger.start < before.end():
        return False
    return before is not None or after is not None


def lede_date(doc: Doc) -> DateMention | None:
    """The document's first date, unless it lies after publication (then it is a plan)."""
    first = doc.dates[0] if doc.dates else None
    if first is None or (doc.published is not None and first.value > doc.published):
        return None
    return first


def distance_to(a: Span | DateMention | PlaceHit | ActorMention, trigger: Trigger) -> int:
    """Characters between a mention and the trigger (0 when they overlap)."""
    if a.end <= trigger.start:
        return trigger.start - a.end
    return max(0, a.start - trigger.end)
