"""Where a lexicon's patterns can start: an index from first letters to patterns.

Scanning a text once per pattern makes the regex engine try every pattern at nearly every
character; most lexicon patterns begin with one of a few words, so a pattern is tried only
where a word of the text begins with letters it can begin with.

`starts(pattern)` reads those letters off the pattern as Python's own regex parser sees it
(up to `DEPTH` characters: "(?:re)?deploy(?:ed|s)" can start "red" or "dep"). What it cannot
read (a class such as `\\w`, a back-reference) ends a start early, which only widens it; a
pattern that can start with anything gets None, and is scanned the old way. The answers are
never narrower than the pattern: a start is a necessary condition of a match, and `tests/
extract/test_extract_starts.py` checks the index finds what a full scan finds over the corpus.

The parser is CPython's own (`re._parser`): a private module, so if it
is missing or speaks differently every pattern falls back to a full scan, only slower.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Iterator
from types import ModuleType
from typing import Any, Final

#: letters of a start read off a pattern: three tell most words apart
DEPTH: Final = 3
#: a character class of more letters than this says too little to index on
MAX_CLASS: Final = 8
#: the start every digit stands for: a word that begins with one is looked up under it
DIGIT: Final = "0"

#: beginnings of words remembered per index (a bound on odd texts' growth)
_BEGINNINGS_KEPT: Final = 50_000


def _parser() -> ModuleType | None:
    try:
        return importlib.import_module("re._parser")
    except ImportError:  # an interpreter without CPython's regex internals
        return None


_PARSER: Final = _parser()

# a start being read: its letters so far, and whether the pattern's next items add to them
_Start = tuple[str, bool]


def starts(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """The strings (1 to `DEPTH` characters, lower case) a match of `pattern` can begin
    with; None when it may begin with any character, or the pattern cannot be read."""
    if _PARSER is None:
        return None
    try:
        parsed = _PARSER.parse(pattern, flags)
        found = _sequence(list(parsed), {("", True)})
    except (AttributeError, TypeError, ValueError, re.error):
        return None
    prefixes = frozenset(DIGIT if text[:1].isdecimal() else text for text, _ in found)
    if not prefixes or "" in prefixes or any(not text[0].isalnum() for text in prefixes):
        return None
    return prefixes


def word_starts(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """`starts` of a pattern whose every match begins a word (it opens with `\\b` before
    a letter or digit), so that trying it at word beginnings finds all it finds; None for
    any other pattern."""
    if _PARSER is None:
        return None
    try:
        opens_at_boundary = _at_boundary(list(_PARSER.parse(pattern.pattern, pattern.flags)))
    except (AttributeError, TypeError, ValueError, re.error):
        return None
    return starts(pattern.pattern, pattern.flags) if opens_at_boundary else None


def _at_boundary(items: list[Any]) -> bool:
    """Whether a parsed pattern opens with `\\b` (after any look-around)."""
    while items and str(items[0][0]) in ("ASSERT", "ASSERT_NOT"):
        items = items[1:]
    if not items:
        return False
    op, value = items[0]
    name = str(op)
    if name == "AT":
        return str(value) == "AT_BOUNDARY"
    if name == "SUBPATTERN":
        return _at_boundary(list(value[-1]))
    if name == "BRANCH":
        return all(_at_boundary(list(alternative)) for alternative in value[1])
    return False


def _sequence(items: Iterable[Any], before: set[_Start]) -> set[_Start]:
    current = before
    for item in items:
        if not any(open_ for _, open_ in current):
            break
        current = _extend(current, _item(item))
    return current


def _extend(before: set[_Start], item: set[_Start]) -> set[_Start]:
    out: set[_Start] = set()
    for text, open_ in before:
        if not open_:
            out.add((text, False))
            continue
        for more, more_open in item:
            joined = text + more
            if len(joined) >= DEPTH:
                out.add((joined[:DEPTH], False))
            else:
                out.add((joined, more_open))
    return out


def _item(item: tuple[Any, Any]) -> set[_Start]:
    """The starts of one parsed item: ("", True) is zero-width, ("", False) unknown."""
    op, value = item
    name = str(op)
    if name == "LITERAL":
        return {(chr(value).lower(), True)}
    if name == "IN" and value and all(str(kind) == "CATEGORY" for kind, _ in value):
        # \d alone stands for every digit; any other category for too much
        digits = all(str(category) == "CATEGORY_DIGIT" for _, category in value)
        return {(DIGIT, False)} if digits else {("", False)}
    if name in ("AT", "ASSERT", "ASSERT_NOT"):
        return {("", True)}  # a boundary or look-around: consumes nothing
    if name == "IN":
        letters = _class_letters(value)
        return {("", False)} if letters is None else {(c, True) for c in letters}
    if name == "SUBPATTERN":
        return _sequence(list(value[-1]), {("", True)})
    if name == "BRANCH":
        out: set[_Start] = set()
        for alternative in value[1]:
            out |= _sequence(list(alternative), {("", True)})
        return out
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        low, high, body = value
        once = _sequence(list(body), {("", True)})
        if high != 1:  # what follows a first repetition is not read
            once = {(text, False) if open_ else (text, open_) for text, open_ in once}
        return once | {("", True)} if low == 0 else once
    return {("", False)}


def _class_letters(items: Iterable[tuple[Any, Any]]) -> set[str] | None:
    letters: set[str] = set()
    for op, value in items:
        name = str(op)
        if name == "LITERAL":
            letters.add(chr(value).lower())
        elif name == "RANGE" and value[1] - value[0] < MAX_CLASS:
            letters.update(chr(code).lower() for code in range(value[0], value[1] + 1))
        else:  # a category (\s, \w), a negation, a wide range
            return None
        if len(letters) > MAX_CLASS:
            return None
    return letters


class StartIndex:
    """Patterns by the strings they can start with, for finding where each may match."""

    def __init__(self, starts_by_key: Iterable[tuple[int, frozenset[str]]]) -> None:
        self._keys: dict[str, list[int]] = {}
        for key, prefixes in starts_by_key:
            for prefix in prefixes:
                self._keys.setdefault(prefix, []).append(key)
        self._lengths = sorted({len(prefix) for prefix in self._keys})
        self._words = _beginning_any(self._keys)
        #: the keys for each beginning of a word met so far: words repeat
        self._by_beginning: dict[str, tuple[int, ...]] = {}

    def candidates(self, lower: str, start: int, end: int) -> dict[int, list[int]]:
        """Per pattern key, the offsets in `lower[start:end]` (a lower-cased text) where a
        word begins with one of the pattern's starts, in order."""
        found: dict[int, list[int]] = {}
        known = self._by_beginning.get
        for match in self._words.finditer(lower, start, end):
            offset = match.start()
            beginning = lower[offset : offset + DEPTH]
            keys = known(beginning)
            if keys is None:
                keys = self._keys_for(beginning)
            for key in keys:
                found.setdefault(key, []).append(offset)
        return found

    def _keys_for(self, beginning: str) -> tuple[int, ...]:
        """The keys whose starts a word beginning so (`DEPTH` characters) begins with."""
        if beginning[0].isdecimal():
            keys = self._keys.get(DIGIT, [])
        else:
            keys = [
                key for length in self._lengths for key in self._keys.get(beginning[:length], ())
            ]
        unique = tuple(dict.fromkeys(keys))
        if len(self._by_beginning) >= _BEGINNINGS_KEPT:
            self._by_beginning.clear()
        self._by_beginning[beginning] = unique
        return unique


def _beginning_any(prefixes: Iterable[str]) -> re.Pattern[str]:
    """A pattern matching at the words that begin with any of `prefixes` (`DIGIT`: with a
    digit): one pass of the regex engine skips the other words, which are most of them."""
    shortest = sorted(
        p for p in set(prefixes) if not any(p != q and p.startswith(q) for q in prefixes)
    )
    by_first: dict[str, list[str]] = {}
    for prefix in shortest:
        by_first.setdefault(prefix[0], []).append(re.escape(prefix[1:]))
    branches = [
        r"\d"
        if first == DIGIT
        else re.escape(first) + (f"(?:{'|'.join(rests)})" if all(rests) else "")
        for first, rests in sorted(by_first.items())
    ]
    return re.compile(rf"\b(?:{'|'.join(branches)})" if branches else r"(?!)")


def first_matches(
    pattern: re.Pattern[str], text: str, offsets: Iterable[int], end: int
) -> Iterator[re.Match[str]]:
    """The matches `pattern.finditer` would give that begin at one of `offsets` (sorted):
    each tried with `pattern.match`, none overlapping the one before."""
    reach = -1
    for offset in offsets:
        if offset < reach:
            continue
        found = pattern.match(text, offset, end)
        if found is not None:
            reach = max(found.end(), offset + 1)
            yield found


class WordPatterns:
    """Patterns tried only where a word begins as their matches can (`word_starts`); one
    whose starts cannot be read is scanned in full, so each finds all `finditer` finds."""

    def __init__(self, *patterns: re.Pattern[str]) -> None:
        self.patterns = patterns
        found = [word_starts(pattern) for pattern in patterns]
        self._scanned = frozenset(n for n, prefixes in enumerate(found) if prefixes is None)
        self._index = StartIndex(
            (n, prefixes) for n, prefixes in enumerate(found) if prefixes is not None
        )

    def finditer(
        self, text: str, lower: str | None, start: int = 0, end: int | None = None
    ) -> list[Iterator[re.Match[str]]]:
        """Per pattern, in order, what `pattern.finditer(text, start, end)` finds; `lower` is
        `text.lower()` (None where that changed its length: every pattern is scanned)."""
        end = len(text) if end is None else end
        if lower is None:
            return [pattern.finditer(text, start, end) for pattern in self.patterns]
        candidates = self._index.candidates(lower, start, end)
        return [
            pattern.finditer(text, start, end)
            if n in self._scanned
            else first_matches(pattern, text, candidates.get(n, ()), end)
            for n, pattern in enumerate(self.patterns)
        ]
