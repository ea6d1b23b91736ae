"""Finding place names in running text.

The text is cut into word tokens; from each token that may begin a name, the longest run of
up to `MAX_TOKENS` tokens whose folded form is a gazetteer key wins (or, failing that, whose
consonant skeleton is one). Spans never overlap. Latin-script names must look like names:

* a single word must be capitalised ("Sur", not "sure") and have three letters or more;
* a run may start lower-case only with an Arabic article ("al-Khiam") or when it is an exact
  multi-word name ("southern Lebanon", "southern suburbs of Beirut"); it never ends with an
  article or "the" ("Lebanon as the" is Lebanon);
* a skeleton match (a spelling the gazetteer does not list) needs every word capitalised, at
  least five letters, and no common English word ("Sure" never becomes Sur); a single word
  opening a sentence must be a near twin of a name, and no word of a title-case line is
  matched that way (their capitals say nothing);
* a name that is also a common English word or phrase ("Line", "Nice", "Nov") counts only
  right after a locative preposition ("in Nice") or a word for a kind of place ("Kibbutz
  Dan"); a month's abbreviation before a number ("Nov. 27") never does;
* a lone word next to another capitalised word ("Nabih Berri", "Haytham Ali Tabatabai") is
  taken for part of a person's name unless it names a notable place (a curated one, a
  capital, a seat).

Arabic and Hebrew names may carry a one-letter word written onto them (و "and", ب "in");
such a name counts when it is a place of the theatre or a notable one. An Arabic name with no
Arabic spelling in the gazetteer is matched to Latin spellings by its consonants, only right
after a word such as في ("in") or على ("on").

Candidates are then re-ranked with the text as context: places near the other places of the
same text, in the countries the text names, in the area it names ("Nabatieh governorate") or
points to ("southern Lebanon") move up. Every step is linear in the length of the text.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, NamedTuple

from truce.core.models import Place
from truce.core.vocab import GeoPrecision
from truce.geo.distance import distance_km
from truce.geo.names import ARTICLES, JOINERS, fold, skeleton

if TYPE_CHECKING:
    from truce.geo.gazetteer import Gazetteer, Ranked

MAX_TOKENS: Final = 6
MAX_CANDIDATES: Final = 8
MIN_SKELETON_LETTERS: Final = 5
MIN_SKELETON_SIMILARITY: Final = 0.8  # stricter than look-up: running text has many names
#: a single word opening a sentence may be any word: only a near twin of a name counts
MIN_INITIAL_SIMILARITY: Final = 0.9
CONTEXT_NEAR_WEIGHT: Final = 0.25  # scaled by exp(-distance / CONTEXT_KM)
CONTEXT_KM: Final = 30.0
CONTEXT_WINDOW: Final = 30  # mentions before and after whose places count as context
RESCORED: Final = 12  # candidates per mention that context may reorder
CONTEXT_COUNTRY_WEIGHT: Final = 0.15  # scaled by the country's share of the text's places
AREA_WEIGHT: Final = 0.15  # a candidate in an area the text names or points to
#: a candidate in the country or province named right after it ("Qusayr, Syria", "Blida in
#: southern Lebanon")
QUALIFIED_WEIGHT: Final = 0.3
_QUALIFIER_GAP: Final = re.compile(
    r"\s*[,(]?\s*(?:in\s+(?:the\s+)?(?:(?:south|north|east|west)(?:ern)?\s+)?)?",
    re.IGNORECASE,
)
_QUALIFIER_CODES: Final = frozenset({"PCLI", "ADM1", "RGN"})

#: words pointing to part of a country, and the first-level areas they mean there
DIRECTION_AREAS: Final = {
    "south": {("LB", "South Lebanon"), ("LB", "Nabatieh"), ("IL", "Southern District")},
    "north": {("IL", "Northern District"), ("IL", "Haifa District"), ("LB", "North Lebanon"),
              ("LB", "Akkar")},
    "east": {("LB", "Beqaa"), ("LB", "Baalbek-Hermel")},
}  # fmt: skip
_DIRECTION: Final = re.compile(r"\b(south|north|east)(?:ern)?\b", re.IGNORECASE)
#: feature codes of places that name an area whose admin1 its other places share
_AREA_CODES: Final = frozenset({"ADM1", "ADM2", "RGN"})

_MARKS = "\u0300-\u036f\u064b-\u065f\u0670\u0591-\u05c7"
_LETTER = rf"(?:[^\W\d_]|[{_MARKS}])"
_TOKEN: Final = re.compile(rf"{_LETTER}+(?:['’ʼ‘`]{_LETTER}+)*")
#: the text as (what comes before a word, the word) pairs: the pairs, with no match objects,
#: are the cheapest way through a text's words and their offsets
_GAP_AND_TOKEN: Final = re.compile(rf"([\W\d_]*?)({_TOKEN.pattern})")
#: the same for a text all in ASCII (most English copy), where it is twice as fast
_ASCII_GAP_AND_TOKEN: Final = re.compile(r"([^A-Za-z]*?)([A-Za-z]+(?:['`][A-Za-z]+)*)")
# tokens of one name are separated by spaces or hyphens only (no comma, stop, line break),
# after a possessive at most ("Beirut's southern suburbs"); an ayn sign may open the next
# word ("Misgav 'Am")
_JOIN: Final = re.compile(r"(?:['’]s)?[ \t\u00a0]*[-‐–]?[ \t\u00a0]*['’‘`ʿ]?")
_STOPS: Final = frozenset('.!?:;"“”')
_OPENERS: Final = frozenset("\"“”'‘’([")
_POSSESSIVES: Final = ("'s", "’s")
_ARTICLE_TOKENS: Final = frozenset(a for a in ARTICLES if a != "the")
#: one-letter words written onto the next (and, in, to, from, the...): "والخيام", "בחיפה"
_PROCLITICS: Final = frozenset("وبلفك" + "ובלמהשכ")
#: Arabic and Hebrew words that are never part of a place name and end a run of name words
_SCRIPT_FUNCTION_WORDS: Final = frozenset(
    ("في", "على", "من", "الى", "إلى", "عن", "مع", "بين", "قرب", "و", "او", "أو", "ثم", "بعد",
     "قبل", "منذ", "حتى", "عند", "نحو", "של", "על", "את", "עם", "אל", "גם", "כי", "ביום", "אחרי",
     "לפני", "ליד")
)  # fmt: skip
#: where a name written with a one-letter word on it (ب "in") is looked for
_SCRIPT_REGION: Final = frozenset({"LB", "IL", "PS", "SY", "JO", "IQ", "EG"})
#: Arabic words after which a name may be matched to Latin spellings by its consonants
_SCRIPT_LOCATIVES: Final = frozenset(
    ("في", "على", "قرب", "بلدة", "قرية", "مدينة", "منطقة", "الى", "إلى", "من", "نحو", "باتجاه",
     "اطراف", "أطراف", "محيط", "بلدتي", "بلدات")
)  # fmt: skip
#: words after which a common-English-word name is a place ("in Nice", "near the Tell")
_LOCATIVES: Final = frozenset(
    ("in", "near", "at", "from", "to", "towards", "toward", "outside", "around", "into", "of",
     "on", "across", "over", "off")
)  # fmt: skip
#: words for a kind of place: what follows is a place, not a person ("Kibbutz Dan")
_KINDS: Final = frozenset(
    ("kibbutz", "moshav", "village", "villages", "town", "towns", "city", "camp",
     "municipality")
)  # fmt: skip
#: capitalised in headlines, yet never part of a person's or body's name
_FUNCTION_WORDS: Final = (
    _LOCATIVES
    | _KINDS
    | {"and", "or", "the", "a", "an", "by", "with", "for", "via", "between", "after", "before",
       "since", "but", "as"}
)  # fmt: skip
#: abbreviations and names of months and days: "Nov. 27" is a date, not Nov in the Golan
_CALENDAR: Final = frozenset(
    ("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
     "january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december", "mon", "tue", "tues", "wed", "thu", "thur", "thurs",
     "fri", "sat", "sun")
)  # fmt: skip
_DATE_AFTER: Final = re.compile(r"\.?\s{0,3}\d")
_LATIN_WORD: Final = re.compile(r"[A-Za-z]+")
TITLE_CHARS: Final = 200  # a longer line is no title


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A place name found in a text: `text[start:end] == surface`; candidates best first,
    each with the score that ranked it (`scores[i]` for `candidates[i]`)."""

    start: int
    end: int
    surface: str
    candidates: tuple[Place, ...]
    scores: tuple[float, ...]

    @property
    def place(self) -> Place:
        """The best candidate."""
        return self.candidates[0]


class _Token(NamedTuple):
    """A word of the text, with what the matcher asks of it worked out once (a named tuple:
    a text has hundreds of them and tuples are the cheapest to build)."""

    start: int
    end: int
    text: str
    #: only the start of the text, a stop or a line break precedes it (quotes aside)
    initial: bool
    #: what lies between it and the word before may join two words of one name (`_JOIN`)
    joined: bool
    lower: str  # casefolded
    #: has upper/lower case at all (Latin, Greek, Cyrillic), unlike Arabic or Hebrew
    cased: bool
    capitalised: bool  # or uncased
    article: bool  # an Arabic article as transliterated ("al", "el", "ash")
    function_word: bool  # an Arabic or Hebrew word that is never part of a name

    @classmethod
    def of(
        cls, start: int, end: int, text: str, initial: bool = False, joined: bool = False
    ) -> _Token:
        return cls(start, end, text, initial, joined, *_word_facts(text))


_Facts = tuple[str, bool, bool, bool, bool]
#: the facts of words already seen: a text's words are mostly words seen before
_FACTS: dict[str, _Facts] = {}
_FACTS_KEPT: Final = 200_000


def _word_facts(text: str) -> _Facts:
    """`_Token`'s fields after `joined`, for a word."""
    facts = _FACTS.get(text)
    if facts is None:
        first = text[0]
        upper = first.isupper()
        cased = upper or first.islower()
        lower = text.casefold()
        facts = (
            lower,
            cased,
            upper or not cased,
            lower in _ARTICLE_TOKENS,
            not cased and text in _SCRIPT_FUNCTION_WORDS,
        )
        if len(_FACTS) >= _FACTS_KEPT:  # bounded: a long run of odd words must not grow it
            _FACTS.clear()
        _FACTS[text] = facts
    return facts


@dataclass(slots=True)
class _Found:
    start: int
    end: int
    ranked: list[Ranked]


def _opens_sentence(gap: str, first: bool) -> bool:
    """Whether a token after `gap` (the text since the previous token) opens a sentence."""
    for char in reversed(gap):
        if char == "\n":
            return True
        if char.isspace() or char in _OPENERS:
            continue
        return char in _STOPS
    return first  # only spaces and quotes since the previous token (or the text's start)


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    append = out.append
    new = tuple.__new__  # what `_Token._make` calls, without a Python call around it
    facts = _FACTS.get
    end = 0
    cut = ""  # a possessive cut off the word before, which belongs to this word's gap
    words = (_ASCII_GAP_AND_TOKEN if text.isascii() else _GAP_AND_TOKEN).findall(text)
    for gap, word in words:
        start = end + len(cut) + len(gap)
        end = start + len(word)
        if cut:
            gap, cut = cut + gap, ""
        if word.endswith(_POSSESSIVES) and len(word) >= 5:
            cut = word[-2:]
            end -= 2
            word = word[:-2]
        # most words follow a single space, which says nothing about a sentence opening
        if gap == " ":
            initial, joined = not out, bool(out)
        else:
            initial = _opens_sentence(gap, first=not out)
            joined = bool(out) and _JOIN.fullmatch(gap) is not None
        known = facts(word) or _word_facts(word)
        append(new(_Token, (start, end, word, initial, joined, *known)))
    return out


def _splits_cleanly(gap: str) -> bool:
    """Whether `fold` reads the words either side of `gap` apart, unchanged: the gap has a
    separator and no letter or digit ("'s" glues an s onto the word before)."""
    if gap == " ":
        return True
    return any(not char.isalnum() and char not in JOINERS for char in gap) and not any(
        char.isalnum() for char in gap
    )


def _run_end(tokens: list[_Token], i: int) -> int:
    """Index one past the last token that can belong to a name starting at token i."""
    j = i + 1
    while j < len(tokens) and j - i < MAX_TOKENS:
        if tokens[j].function_word:
            break
        if not tokens[j].joined:
            break
        j += 1
    return j


class _Scanner:
    def __init__(self, gazetteer: Gazetteer, text: str) -> None:
        self.gaz = gazetteer
        self.text = text
        self.tokens = _tokens(text)
        self._titles: dict[int, bool] = {}  # line start -> is a title

    def scan(self) -> list[_Found]:
        found = []
        i = 0
        tokens = self.tokens
        begins_a_name = self.gaz.starts_a_name
        while i < len(tokens):
            token = tokens[i]
            if (
                token.cased
                and not token.capitalised
                and not token.article
                and (token.lower in _FUNCTION_WORDS or not begins_a_name(fold(token.text)))
            ):
                i += 1  # most words: lower case, and no name begins with them
                continue
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
        if first.function_word or (
            first.cased and not first.article and first.lower in _FUNCTION_WORDS
        ):
            return None  # "In Houla" is Houla
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
        run_end = _run_end(tokens, i)
        for j in range(self._reach(i, run_end, lower_start), i, -1):
            span = tokens[i:j]
            last = span[-1]
            if last.article or last.lower == "the":
                continue  # "Lebanon as the": a name never ends with an article
            found = self._match(i, span, lower_start)
            if found is not None:
                return found, j
        if not first.cased:
            return self._match_without_proclitics(i, run_end)
        return None

    def _reach(self, i: int, run_end: int, lower_start: bool) -> int:
        """One past the last token a name from token i can end at, before `run_end`: no
        longer span is a key, nor a skeleton match (which needs every word capitalised), so
        none need be tried."""
        tokens, text, gaz = self.tokens, self.text, self.gaz
        capitalised = i
        if not lower_start:
            while capitalised < run_end and (
                tokens[capitalised].capitalised or tokens[capitalised].article
            ):
                capitalised += 1
        keyed = i  # one past the longest span so far whose folded form is a key
        only_articles = True
        # a lower-case start needs two words or more: its first word alone is never a name
        for end in range(i + 1, run_end + 1):
            folded = fold(text[tokens[i].start : tokens[end - 1].end])
            if gaz.has_key(folded) and not (lower_start and end == i + 1):
                keyed = end
            if end == run_end:
                break
            only_articles = only_articles and tokens[end - 1].article
            gap = text[tokens[end - 1].end : tokens[end].start]
            # a name of articles alone folds as itself, and a letter glued on by the gap
            # ("Beirut's") changes the last word: only otherwise do the words read so far
            # begin every longer span's key
            if not only_articles and _splits_cleanly(gap) and not gaz.starts_a_name(folded):
                break
        return max(keyed, capitalised)

    def _match_without_proclitics(self, i: int, stop: int) -> tuple[_Found, int] | None:
        """Arabic and Hebrew write "and", "in", "the" onto the name: "والخيام", "ובחיפה"."""
        first = self.tokens[i]
        for cut in (1, 2):
            if len(first.text) - cut < 2 or first.text[cut - 1] not in _PROCLITICS:
                return None
            stripped = _Token.of(first.start + cut, first.end, first.text[cut:])
            for j in range(stop, i, -1):
                span = [stripped, *self.tokens[i + 1 : j]]
                if sum(len(t.text) for t in span) < 3:
                    continue
                found = self._match(i, span, lower_start=False)
                # a stripped word may be any word: only a place of the region, the theatre
                # or a notable one is worth the guess ("بليدا" is not Lida in Belarus)
                if found is not None and self._worth_stripping(found.ranked[0].row):
                    return found, j
        return None

    def _worth_stripping(self, row: int) -> bool:
        gaz = self.gaz
        return gaz.place(row).country in _SCRIPT_REGION or gaz.in_theatre(row) or gaz.notable(row)

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
            if len(words) == 1 and not self._single_word_ok(words[0], end):
                return None
            if gaz.is_weak(folded) and not self._after_locative(index):
                return None
            ranked = gaz.scored(folded, cross_script=False)
            # a lone word next to a capitalised one is part of a person's name before it is
            # a hamlet
            if (
                len(words) == 1
                and any(self._name_run(index, len(span)))
                and not any(gaz.notable(item.row) for item in ranked[:3])
            ):
                return None
            return _Found(start, end, ranked) if ranked else None
        if lower_start or not all(t.capitalised for t in words):
            return None
        if sum(len(t.text) for t in words) < MIN_SKELETON_LETTERS:
            return None
        if any(gaz.is_blocked(fold(t.text)) for t in words if t.cased):
            return None  # "Sure" is never Sur
        if words[0].cased and self._title_case(span[0]):
            return None  # every word has a capital in a title: it says nothing
        least = MIN_SKELETON_SIMILARITY
        if words[0].cased and len(words) == 1 and span[0].initial:
            least = MIN_INITIAL_SIMILARITY  # "Means ..." opening a sentence is no Amman
        if len(skeleton(folded)) < 2 or any(self._name_run(index, len(span))):
            return None
        if not all(skeleton(fold(t.text)) for t in words):  # "و" (and) has no consonant left
            return None
        cross_script = not words[0].cased and self._after_script_locative(index)
        ranked = [
            item
            for item in gaz.scored(folded, cross_script=cross_script)
            if item.similarity >= least or item.matched == "consonants"
        ]
        return _Found(start, end, ranked) if ranked else None

    def _title_case(self, token: _Token) -> bool:
        """Whether the token's line is a title ("Israeli Strikes Hit Southern Villages"):
        short, without a closing stop, nearly every word capitalised."""
        line_start = self.text.rfind("\n", 0, token.start) + 1
        if line_start not in self._titles:
            line_end = self.text.find("\n", token.start)
            line = self.text[line_start : line_end if line_end >= 0 else len(self.text)].strip()
            title = len(line) <= TITLE_CHARS and not line.endswith(".")
            if title:  # only then are its words worth reading
                words = [w for w in _LATIN_WORD.findall(line) if len(w) >= 4]
                title = len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)
            self._titles[line_start] = title
        return self._titles[line_start]

    def _single_word_ok(self, word: _Token, end: int) -> bool:
        if not word.cased:
            return True
        if not word.capitalised or sum(c.isalpha() for c in word.text) < 3:
            return False
        if word.text.isupper() and len(word.text) <= 3:  # "UN", "IDF", "LAF"
            return False
        # "Nov. 27", "Dec 3": a date
        return not (word.lower in _CALENDAR and _DATE_AFTER.match(self.text, end) is not None)

    def _after_locative(self, index: int) -> bool:
        """Whether a locative preposition (maybe with "the") or a word for a kind of place
        comes right before token index."""
        for back in (1, 2):
            if index - back < 0:
                return False
            word = self.tokens[index - back].lower
            if word in _LOCATIVES or word in _KINDS:
                return True
            if word != "the":
                return False
        return False

    def _after_script_locative(self, index: int) -> bool:
        return index > 0 and self.tokens[index - 1].text in _SCRIPT_LOCATIVES

    def _name_run(self, index: int, length: int) -> tuple[bool, bool]:
        """Whether capitalised words join the span (left, right): "Nabih Berri", "Ali Hassan".

        A left neighbour that opens the sentence or is a function word ("In Qana" in a
        headline, "Kibbutz Dan") does not count.
        """
        tokens = self.tokens

        def joined(name_word: _Token, second: _Token) -> bool:
            """Whether `name_word` may be part of a name and `second`, the word after the
            first of the two, is joined to it."""
            return (
                name_word.cased
                and name_word.capitalised
                and not name_word.article
                and name_word.lower not in _FUNCTION_WORDS
                and second.joined
            )

        left = right = False
        if index > 0:
            before = tokens[index - 1]
            left = joined(before, tokens[index]) and not before.initial
            if before.article and index > 1:  # "Bab al-Tabbaneh": Bab joins through al-
                further = tokens[index - 2]
                left = joined(further, before) and tokens[index].joined and not further.initial
        if index + length < len(tokens):
            after = tokens[index + length]
            right = joined(after, after)
        return left, right


class _Context:
    """What the whole text says about where its places are."""

    def __init__(self, gaz: Gazetteer, text: str, found: list[_Found]) -> None:
        self.gaz = gaz
        self.found = found
        self.countries: Counter[str] = Counter()
        self.areas: set[tuple[str, str]] = set()
        #: (mention index, lat, lon) of the places read with confidence
        self.anchors: list[tuple[int, float, float]] = []
        for n, item in enumerate(found):
            best = item.ranked[0]
            runner_up = item.ranked[1].score if len(item.ranked) > 1 else -9.0
            place = gaz.place(best.row)
            if place.country:
                self.countries[place.country] += 1
            if place.feature_code in _AREA_CODES and place.country and place.admin1:
                self.areas.add((place.country, place.admin1))
            if best.score - runner_up >= 0.2 and place.geo_precision != GeoPrecision.REGION:
                self.anchors.append((n, place.latitude, place.longitude))
        for direction in {m.group(1).casefold() for m in _DIRECTION.finditer(text)}:
            self.areas |= DIRECTION_AREAS[direction]
        self.total = sum(self.countries.values())
        self._km: dict[tuple[int, float, float], float] = {}
        #: mention index -> (country, admin1 or "") of the area named right after it
        self.qualified: dict[int, tuple[str, str]] = {}
        for n in range(len(found) - 1):
            after = gaz.place(found[n + 1].ranked[0].row)
            if (
                after.country
                and after.feature_code in _QUALIFIER_CODES
                and _QUALIFIER_GAP.fullmatch(text, found[n].end, found[n + 1].start)
            ):
                admin1 = "" if after.feature_code == "PCLI" else after.admin1 or ""
                self.qualified[n] = (after.country, admin1)

    def apply(self) -> None:
        """Re-rank each mention's candidates by the rest of the text."""
        if self.total < 2 and not self.areas and not self.qualified:
            return
        anchors, low, high = self.anchors, 0, 0
        for n, item in enumerate(self.found):
            if len(item.ranked) < 2:
                continue
            # the sure places among the mentions around this one: a sliding window keeps a
            # long text linear
            while low < len(anchors) and anchors[low][0] < n - CONTEXT_WINDOW:
                low += 1
            high = max(high, low)
            while high < len(anchors) and anchors[high][0] <= n + CONTEXT_WINDOW:
                high += 1
            nearby = {(lat, lon) for other, lat, lon in anchors[low:high] if other != n}
            qualifier = self.qualified.get(n)
            rescored = [
                self._rescore(candidate, nearby, qualifier) for candidate in item.ranked[:RESCORED]
            ]
            rescored.sort(key=lambda entry: (-entry.score, entry.row))
            item.ranked = rescored

    def _rescore(
        self,
        candidate: Ranked,
        nearby: set[tuple[float, float]],
        qualifier: tuple[str, str] | None,
    ) -> Ranked:
        place = self.gaz.place(candidate.row)
        score = candidate.score
        if (
            qualifier is not None
            and place.country == qualifier[0]
            and (not qualifier[1] or place.admin1 == qualifier[1])
        ):
            score += QUALIFIED_WEIGHT
        if place.country and self.total >= 2:
            score += CONTEXT_COUNTRY_WEIGHT * self.countries[place.country] / self.total
        if place.country and place.admin1 and (place.country, place.admin1) in self.areas:
            score += AREA_WEIGHT
        if nearby:
            nearest = min(self._distance(candidate.row, place, point) for point in nearby)
            score += CONTEXT_NEAR_WEIGHT * math.exp(-nearest / CONTEXT_KM)
        return candidate._replace(score=score)

    def _distance(self, row: int, place: Place, point: tuple[float, float]) -> float:
        key = (row, *point)
        km = self._km.get(key)
        if km is None:
            km = distance_km(point[0], point[1], place.latitude, place.longitude)
            self._km[key] = km
        return km


def find_mentions(gazetteer: Gazetteer, text: str) -> list[PlaceMention]:
    """See `Gazetteer.find_mentions`."""
    if not text or not text.strip():
        return []
    found = _Scanner(gazetteer, text).scan()
    if found:
        _Context(gazetteer, text, found).apply()
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
