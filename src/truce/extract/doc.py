"""`Doc`: one document on its way through the pipeline, and the annotations components add.

Every annotation carries character offsets into `Doc.text`, which is the document's text
exactly as it came in (never normalised), so evidence offsets slice the original.
"""

from __future__ import annotations

import bisect
import datetime as dt
import operator
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol, TypeVar

from truce.core import Actor, Document, Event, GeoPrecision, Modality, Place, TimePrecision

_TOKEN = re.compile(r"\w+|[^\w\s]")


class _Located(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


L = TypeVar("L", bound=_Located)
_START = operator.attrgetter("start")


def within(items: Sequence[L], start: int, end: int) -> list[L]:
    """The items (sorted by start) that lie wholly inside `start:end`."""
    found: list[L] = []
    for index in range(bisect.bisect_left(items, start, key=_START), len(items)):
        item = items[index]
        if item.start >= end:
            break
        if item.end <= end:
            found.append(item)
    return found


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the text: `text[start:end]`."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence, never crossing a line break; `paragraph` counts the lines it sits in."""

    start: int
    end: int
    paragraph: int


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression resolved to a day, with how exactly the text pins it down."""

    start: int
    end: int
    value: dt.date
    precision: TimePrecision
    relative: bool  # resolved against the publication date ("on Tuesday", "last week")
    rule: str = ""  # how it was read ("weekday, last before publication"), for explanations


@dataclass(frozen=True, slots=True)
class PlaceHit:
    """A place name found in the text, with the gazetteer entry chosen for it.

    `relation` is the word that ties it to the sentence: "in", "near", "from", ... or "".
    """

    start: int
    end: int
    surface: str
    place: Place
    relation: str
    precision: GeoPrecision


@dataclass(frozen=True, slots=True)
class ActorMention:
    """A name or phrase of the theatre's actor registry found in the text."""

    start: int
    end: int
    surface: str
    actor: Actor


@dataclass(frozen=True, slots=True)
class Trigger:
    """A word or phrase that signals an event, with the types the lexicon gives it."""

    start: int
    end: int
    surface: str
    rule: str  # the lexicon entry that matched, for explanations and tests
    event_type: str | None
    sub_event_type: str | None
    plover: str | None
    sentence: int  # index into Doc.sents
    anaphoric: bool = False  # "the strike", "Wednesday's meeting": refers back to an event
    response: bool = False  # "responded by shelling": a new event answering another
    plural: bool = False  # "strikes", "protests": may be several events or an aggregate


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who a sentence's report is attributed to ("the health ministry said")."""

    start: int
    end: int
    source: str
    sentence: int


@dataclass(frozen=True, slots=True)
class Casualty:
    """A count of people killed or wounded, as the text states it."""

    start: int
    end: int
    count: int
    kind: str  # "killed" or "wounded"
    sentence: int


@dataclass(eq=False)
class Doc:
    """A document being processed; each component fills in the annotations it assigns."""

    document: Document
    sents: list[Sentence] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    places: list[PlaceHit] = field(default_factory=list)
    actors: list[ActorMention] = field(default_factory=list)
    triggers: list[Trigger] = field(default_factory=list)
    #: per trigger: how the text presents it, or None when it is background, not an event
    modalities: dict[Trigger, Modality | None] = field(default_factory=dict)
    attributions: list[Attribution] = field(default_factory=list)
    casualties: list[Casualty] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    #: notes on what a component could not do, for people reading the output
    problems: list[str] = field(default_factory=list)
    #: per trigger, why each choice was made: (aspect, reason) pairs for `truce extract
    #: --explain` ("modality", "date", "place", "actor1", "event", ...)
    explanations: dict[Trigger, list[tuple[str, str]]] = field(default_factory=dict)
    #: per (sentence start, dates found so far): the clause breaks of that sentence, as
    #: `truce.extract.sentences.clause_around` finds them; asked for several times a trigger
    clause_breaks: dict[tuple[int, int], list[tuple[int, int]]] = field(
        default_factory=dict, repr=False
    )

    def explain(self, trigger: Trigger, aspect: str, reason: str) -> None:
        """Record why a choice about `trigger` was made (see `truce.extract.explain`)."""
        self.explanations.setdefault(trigger, []).append((aspect, reason))

    @property
    def text(self) -> str:
        return self.document.text

    @property
    def published(self) -> dt.date | None:
        return self.document.published_date

    @cached_property
    def lower(self) -> str | None:
        """The text in lower case, offset for offset; None where lower case would shift
        offsets (a letter whose lower case is longer)."""
        lower = self.text.lower()
        return lower if len(lower) == len(self.text) else None

    @cached_property
    def tokens(self) -> list[Span]:
        """Words and punctuation marks, computed on first use only."""
        return [Span(m.start(), m.end()) for m in _TOKEN.finditer(self.text)]

    def span_text(self, span: Span | Sentence) -> str:
        return self.text[span.start : span.end]

    def sentence_at(self, offset: int) -> int | None:
        """Index of the sentence containing `offset`, or None (between sentences)."""
        lo, hi = 0, len(self.sents)
        while lo < hi:
            mid = (lo + hi) // 2
            sent = self.sents[mid]
            if offset < sent.start:
                hi = mid
            elif offset >= sent.end:
                lo = mid + 1
            else:
                return mid
        return None
