"""Finding place names in running text.

The text is cut into word tokens; from each token that may begin a name, the longest run of
up to `MAX_TOKENS` tokens whose folded form is a gazetteer key wins (or, failing that, whose
consonant skeleton is one). Spans never overlap. Latin-script names must look like names:

* a single word must be capitalised ("Sur", not "sure");
* a run may start lower-case only with an Arabic article ("al-Khiam") or when it is an exact
  multi-word name ("southern Lebanon", "southern suburbs of Beirut");
* a skeleton match (a spelling the gazetteer does not list) needs every word capitalised, at
  least five letters, and no common English word ("Sure" never becomes Sur);
* a name that is also a common English word or phrase ("Line", "Nice", "White House") counts
  only right after a locative preposition ("in Nice");
* a lone word right after another capitalised word ("Nabih Berri", "Nawaf Salam") is taken
  for a surname unless it names a notable place (a curated one, a capital, a seat).

Candidates are then re-ranked with the text as context: places near the other places of the
same text, and in the countries the text names, move up.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from truce.core.models import Place
from truce.core.vocab import GeoPrecision
from truce.geo.distance import distance_km
from truce.geo.names import ARTICLES, fold, skeleton

if TYPE_CHECKING:
    from truce.geo.gazetteer import Gazetteer, Ranked

MAX_TOKENS: Final = 6
MAX_CANDIDATES: Final = 8
MIN_SKELETON_LETTERS: Final = 5
MIN_SKELETON_SIMILARITY: Final = 0.75  # stricter than look-up: running text has many names
CONTEXT_NEAR_WEIGHT: Final = 0.25  # scaled by exp(-distance / CONTEXT_KM)
CONTEXT_KM: Final = 30.0
CONTEXT_WINDOW: Final = 30  # mentions before and after whose places count as context
RESCORED: Final = 12  # candidates per mention that context may reorder
CONTEXT_COUNTRY_WEIGHT: Final = 0.15  # scaled by the country's share of the text's places

_MARKS = "\u0300-\u036f\u064b-\u065f\u0670\u0591-\u05c7"
_TOKEN: Final = re.compile(rf"(?:[^\W\d_]|[{_MARKS}])+(?:['’ʼ‘`](?:[^\W\d_]|[{_MARKS}])+)*")
# tokens of one name are separated by spaces or hyphens only (no comma, stop, line break),
# after a possessive at most ("Beirut's southern suburbs")
_JOIN: Final = re.compile(r"(?:['’]s)?[ \t\u00a0]*[-‐–]?[ \t\u00a0]*")
_STOPS: Final = frozenset('.!?:;"“”')
_OPENERS: Final = frozenset("\"“”'‘’([")
_POSSESSIVE: Final = re.compile(r"['’]s$")
_ARTICLE_TOKENS: Final = frozenset(a for a in ARTICLES if a != "the")
#: one-letter words written onto the next (and, in, to, from, the...): "والخيام", "בחיפה"
_PROCLITICS: Final = frozenset("وبلفك" + "ובלמהשכ")
#: words after which a common-English-word name is a place ("in Nice", "near the Tell")
_LOCATIVES: Final = frozenset(
    ("in", "near", "at", "from", "to", "towards", "toward", "outside", "around", "into", "of",
     "on", "across", "over", "off")
)  # fmt: skip
#: capitalised in headlines, yet never part of a person's or body's name
_FUNCTION_WORDS: Final = _LOCATIVES | {
    "and", "or", "the", "a", "an", "by", "with", "for", "via", "between", "after", "before",
    "since", "but", "as",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A place name found in a text: `text[start:end] == surface`; candidates best first."""

    start: int
    end: int
    surface: str
    candidates: tuple[Place, ...]
    scores: tuple[float, ...]

    @property
    def place(self) -> Place:
        """The best candidate."""
        return self.candidates[0]


@dataclass(frozen=True, slots=True)
class _Token:
    start: int
    end: int
    text: str

    @property
    def cased(self) -> bool:
        """Has upper/lower case at all (Latin, Greek, Cyrillic), unlike Arabic or Hebrew."""
        return self.text[0].isupper() or self.text[0].islower()

    @property
    def capitalised(self) -> bool:
        return not self.cased or self.text[0].isupper()

    @property
    def article(self) -> bool:
        return self.text.casefold() in _ARTICLE_TOKENS


@dataclass(slots=True)
class _Found:
    start: int
    end: int
    ranked: list[Ranked]


def _tokens(text: str) -> list[_Token]:
    out = []
    for match in _TOKEN.finditer(text):
        start, end, word = match.start(), match.end(), match.group()
        possessive = _POSSESSIVE.search(word)
        if possessive and possessive.start() >= 3:
            end = start + possessive.start()
            word = word[: possessive.start()]
        out.append(_Token(start, end, word))
    return out


def _run_end(text: str, tokens: list[_Token], i: int) -> int:
    """Index one past the last token that can belong to a name starting at token i."""
    j = i + 1
    while j < len(tokens) and j - i < MAX_TOKENS:
        gap = text[tokens[j - 1].end : tokens[j].start]
        if not gap or _JOIN.fullmatch(gap) is None:
            break
        j += 1
    return j


def _sentence_initial(text: str, start: int) -> bool:
    """Whether only the start of the text, a stop or a line break precedes (quotes aside)."""
    i = start
    while i > 0 and (text[i - 1].isspace() or text[i - 1] in _OPENERS):
        if text[i - 1] == "\n":
            return True
        i -= 1
    return i == 0 or text[i - 1] in _STOPS


class _Scanner:
    def __init__(self, gazetteer: Gazetteer, text: str) -> None:
        self.gaz = gazetteer
        self.text = text
        self.tokens = _tokens(text)

    def scan(self) -> list[_Found]:
        found = []
        i = 0
        tokens = self.tokens
        while i < len(tokens):
            hit = self._longest_at(i)
            if hit is None:
                i += 1
                continue
            found.append(hit[0])
            i = hit[1]
        return found

    def _longest_at(self, i: int) -> tuple[_Found, int] | None:
        tokens = self.tokens
        first = tokens[i]
        if first.text.casefold() == "the":
            return None
        if first.cased and not first.capitalised and not first.article:
            # only an exact multi-word name may start lower-case ("southern Lebanon")
            if not self.gaz.starts_a_name(fold(first.text)):
                return None
            lower_start = True
        elif first.article and first.cased:
            lower_start = False
            if i + 1 >= len(tokens) or not tokens[i + 1].capitalised:
                return None
        else:
            lower_start = False
        stop = _run_end(self.text, tokens, i)
        for j in range(stop, i, -1):
            span = tokens[i:j]
            if span[-1].article:
                continue
            found = self._match(i, span, lower_start)
            if found is not None:
                return found, j
        if not first.cased:
            return self._match_without_proclitics(i, stop)
        return None

    def _match_without_proclitics(self, i: int, stop: int) -> tuple[_Found, int] | None:
        """Arabic and Hebrew write "and", "in", "the" onto the name: "والخيام", "ובחיפה"."""
        first = self.tokens[i]
        for cut in (1, 2):
            if len(first.text) - cut < 3 or first.text[cut - 1] not in _PROCLITICS:
                return None
            stripped = _Token(first.start + cut, first.end, first.text[cut:])
            for j in range(stop, i, -1):
                found = self._match(i, [stripped, *self.tokens[i + 1 : j]], lower_start=False)
                if found is not None:
                    return found, j
        return None

    def _match(self, index: int, span: list[_Token], lower_start: bool) -> _Found | None:
        start, end = span[0].start, span[-1].end
        surface = self.text[start:end]
        folded = fold(surface)
        if not folded:
            return None
        words = [t for t in span if not t.article]
        if lower_start and len(words) < 2:
            return None
        if not any(t.capitalised for t in words):
            return None
        gaz = self.gaz
        if gaz.has_key(folded):
            if gaz.is_weak(folded) and not self._after_locative(index):
                return None
            if len(words) == 1 and not self._single_word_ok(words[0]):
                return None
            ranked = gaz.scored(folded)
            # a lone word after a capitalised one is a surname before it is a hamlet
            if (
                len(words) == 1
                and self._name_run(index, len(span))[0]
                and not any(gaz.notable(item.row) for item in ranked[:3])
            ):
                return None
            return _Found(start, end, ranked) if ranked else None
        if lower_start or not all(t.capitalised for t in words):
            return None
        if sum(len(t.text) for t in words) < MIN_SKELETON_LETTERS:
            return None
        if any(gaz.is_blocked(fold(t.text)) for t in words if t.cased):
            return None
        if len(skeleton(folded)) < 2 or any(self._name_run(index, len(span))):
            return None
        if not all(skeleton(fold(t.text)) for t in words):  # "و" (and) has no consonant left
            return None
        ranked = [item for item in gaz.scored(folded) if item.similarity >= MIN_SKELETON_SIMILARITY]
        return _Found(start, end, ranked) if ranked else None

    @staticmethod
    def _single_word_ok(word: _Token) -> bool:
        if not word.cased:
            return True
        return word.capitalised and not (word.text.isupper() and len(word.text) <= 3)

    def _after_locative(self, index: int) -> bool:
        """Whether a locative preposition (maybe with "the") comes right before token index."""
        for back in (1, 2):
            if index - back < 0:
                return False
            word = self.tokens[index - back].text.casefold()
            if word in _LOCATIVES:
                return True
            if word != "the":
                return False
        return False

    def _name_run(self, index: int, length: int) -> tuple[bool, bool]:
        """Whether capitalised words join the span (left, right): "Nabih Berri", "Ali Hassan".

        A left neighbour that opens the sentence or is a function word ("In Qana" in a
        headline) does not count.
        """
        tokens = self.tokens

        def joined(left: _Token, right: _Token, other: _Token) -> bool:
            return (
                other.cased
                and other.capitalised
                and not other.article
                and other.text.casefold() not in _FUNCTION_WORDS
                and _JOIN.fullmatch(self.text, left.end, right.start) is not None
            )

        left = right = False
        if index > 0:
            before = tokens[index - 1]
            left = joined(before, tokens[index], before) and not _sentence_initial(
                self.text, before.start
            )
        if index + length < len(tokens):
            after = tokens[index + length]
            right = joined(tokens[index + length - 1], after, after)
        return left, right


def _apply_context(gaz: Gazetteer, found: list[_Found]) -> None:
    """Re-rank each mention's candidates by the other mentions of the same text."""
    if len(found) < 2:
        return
    anchors: list[tuple[int, float, float]] = []  # (mention index, lat, lon) of sure points
    countries: Counter[str] = Counter()
    for n, item in enumerate(found):
        best, runner_up = item.ranked[0], item.ranked[1].score if len(item.ranked) > 1 else -9.0
        place = gaz.place(best.row)
        if place.country:
            countries[place.country] += 1
        if best.score - runner_up >= 0.2 and place.geo_precision != GeoPrecision.REGION:
            anchors.append((n, place.latitude, place.longitude))
    total = sum(countries.values())
    anchor_order = [n for n, _, _ in anchors]
    for n, item in enumerate(found):
        if len(item.ranked) < 2:
            continue
        # the sure places among the mentions around this one (a bounded window keeps a
        # long text linear)
        low = bisect_left(anchor_order, n - CONTEXT_WINDOW)
        high = bisect_right(anchor_order, n + CONTEXT_WINDOW)
        nearby = [(lat, lon) for other, lat, lon in anchors[low:high] if other != n]
        rescored = []
        for candidate in item.ranked[:RESCORED]:
            place = gaz.place(candidate.row)
            score = candidate.score
            if place.country:
                score += CONTEXT_COUNTRY_WEIGHT * countries[place.country] / total
            if nearby:
                nearest = min(
                    distance_km(lat, lon, place.latitude, place.longitude) for lat, lon in nearby
                )
                score += CONTEXT_NEAR_WEIGHT * math.exp(-nearest / CONTEXT_KM)
            rescored.append(candidate._replace(score=score))
        rescored.sort(key=lambda entry: (-entry.score, entry.row))
        item.ranked = rescored


def find_mentions(gazetteer: Gazetteer, text: str) -> list[PlaceMention]:
    """See `Gazetteer.find_mentions`."""
    if not text or not text.strip():
        return []
    found = _Scanner(gazetteer, text).scan()
    _apply_context(gazetteer, found)
    return [
        PlaceMention(
            start=item.start,
            end=item.end,
            surface=text[item.start : item.end],
            candidates=tuple(gazetteer.place(r.row) for r in item.ranked[:MAX_CANDIDATES]),
            scores=tuple(round(r.score, 4) for r in item.ranked[:MAX_CANDIDATES]),
        )
        for item in found
    ]
