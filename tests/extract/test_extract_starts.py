"""Where lexicon patterns can start, and that looking only there finds every match."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from truce.extract import triggers
from truce.extract.evaluation import load_gold
from truce.extract.starts import StartIndex, WordPatterns, first_matches, starts, word_starts

CORPUS = Path(__file__).parents[1] / "data" / "corpus"


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"(?:re)?deploy(?:ed|s)?", {"red", "dep"}),
        (r"(?<!was\s)(?<!were\s)met|meet(?:s|ing)?", {"met", "mee"}),
        (r"cs\s+gas", {"cs"}),  # a space class ends the start early
        (r"in\b", {"in"}),
        (r"[bc]a[rt]", {"bar", "bat", "car", "cat"}),
        (r"(?:ab)+c", {"ab"}),  # what follows a first repetition is not read
        (r"x?y", {"xy", "y"}),
    ],
)
def test_starts_reads_the_first_letters(pattern: str, expected: set[str]) -> None:
    assert starts(pattern) == expected


def test_starts_of_an_ignore_case_pattern_are_lower_case() -> None:
    assert starts(r"Convoy|(?-i:March)", re.IGNORECASE) == {"con", "mar"}


@pytest.mark.parametrize(
    "pattern",
    [r"\w+ing", r"[A-Z][a-z]+", r"(?:\w+\s+)?strike", r".?strike", r"(?:the)?", r"[^a]bc", "'s"],
)
def test_a_pattern_that_may_start_anywhere_has_no_starts(pattern: str) -> None:
    assert starts(pattern) is None


def test_every_lexicon_rule_is_indexed() -> None:
    # a rule left out is scanned in full: still right, but the lexicon's cost comes back
    assert len(triggers._INDEXED) == len(triggers._COMPILED)


def _full_scan(rule_number: int, text: str) -> list[tuple[int, int]]:
    """What a scan of the whole text finds, as triggers did before the index."""
    _, pattern, fast, _, _ = triggers._COMPILED[rule_number]
    lower = text.lower()
    if fast is None:
        return [m.span() for m in pattern.finditer(text)]
    return [
        m.span()
        for m in fast.finditer(lower)
        if m.start() == 0 or not (lower[m.start() - 1].isalnum() or lower[m.start() - 1] == "_")
    ]


def _indexed(rule_number: int, text: str) -> list[tuple[int, int]]:
    _, pattern, fast, _, _ = triggers._COMPILED[rule_number]
    lower = text.lower()
    offsets = triggers._STARTS.candidates(lower, 0, len(lower)).get(rule_number, [])
    if fast is None:
        return [m.span() for m in first_matches(pattern, text, offsets, len(text))]
    return [m.span() for m in first_matches(fast, lower, offsets, len(lower))]


def _corpus_texts() -> list[str]:
    return [doc.text for path in sorted(CORPUS.glob("*.yaml")) for doc in load_gold(path).documents]


def test_the_index_finds_what_a_full_scan_finds_over_the_corpus() -> None:
    texts = _corpus_texts()
    found = 0
    for number in range(len(triggers._COMPILED)):
        for text in texts:
            expected = _full_scan(number, text)
            assert _indexed(number, text) == expected, (triggers._COMPILED[number][0].name, text)
            found += len(expected)
    assert found > 500  # the corpus does exercise the lexicon


_SOUP = (
    "strike struck airstrike air-strike drone strikes were was met meet meeting IEDs roadside "
    "bomb shelled Shelling killed shot dead clashes clashed fire fired tear gas protest "
    "March marched rally seized took control of the village Khiam Town 'the' — , . - "
    "al-Khiam hit withdrew troops from Tyre signed an agreement"
)
_WORDS = st.sampled_from(_SOUP.split(" "))


@settings(max_examples=300, deadline=None)
@given(st.lists(_WORDS, max_size=40), st.lists(st.sampled_from([" ", "  ", "-", "\n", ", "])))
def test_the_index_finds_what_a_full_scan_finds_in_any_word_soup(
    words: list[str], gaps: list[str]
) -> None:
    text = "".join(word + (gaps[n % len(gaps)] if gaps else " ") for n, word in enumerate(words))
    for number in range(len(triggers._COMPILED)):
        assert _indexed(number, text) == _full_scan(number, text)


def test_candidates_are_word_beginnings_in_order() -> None:
    index = StartIndex([(0, frozenset({"str"})), (1, frozenset({"ki", "kil"}))])
    lower = "airstrike; strikes killed a kid, strong"
    assert index.candidates(lower, 0, len(lower)) == {0: [11, 33], 1: [19, 28]}


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\bkill(?:ed|s)?", {"kil"}),
        (r"(?<!the\s)\b(?:today|last\s+week)", {"tod", "las"}),
        (r"\b(?:\d+|two)\s+dead", {"0", "two"}),  # every digit stands as one start
        (r"\b[0-3]?\d/", {"0"}),
        (r"kill(?:ed|s)?", None),  # may begin inside a word ("skill")
        (r"(?<![\d.])\d+", None),
        (r"\b(?:\w+\s+)?dead", None),
    ],
)
def test_word_starts_only_of_patterns_opening_with_a_word_boundary(
    pattern: str, expected: set[str] | None
) -> None:
    assert word_starts(re.compile(pattern, re.IGNORECASE)) == expected


_COUNTING = WordPatterns(
    re.compile(
        r"\b(?:at\s+least\s+)?(?P<num>\d+|two|three)\s+(?:people\s+)?(?:were\s+)?killed", re.I
    ),
    re.compile(r"\bkill(?:ed|ing)\s+(?P<num>\d+|two)", re.I),
    re.compile(r"(?<![\d.])\d+\s*%"),  # may begin anywhere: scanned in full
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "at",
                "least",
                "2",
                "12",
                "two",
                "three",
                "people",
                "were",
                "killed",
                "killing",
                "skilled",
                "3.5",
                "%",
                "At",
                "KILLED",
                "x2",
                "Two",
            ]
        ),
        max_size=30,
    ),
    st.integers(min_value=0, max_value=10),
)
def test_word_patterns_find_what_finditer_finds(words: list[str], start: int) -> None:
    text = " ".join(words)
    start = min(start, len(text))
    found = _COUNTING.finditer(text, text.lower(), start, len(text))
    for pattern, matches in zip(_COUNTING.patterns, found, strict=True):
        assert [m.span() for m in matches] == [
            m.span() for m in pattern.finditer(text, start, len(text))
        ]


def test_word_patterns_scan_in_full_where_lower_case_shifts_offsets() -> None:
    text = "İstanbul: two people were killed"  # "İ" lower-cases to two characters
    assert len(text.lower()) != len(text)
    found = _COUNTING.finditer(text, None)
    assert [m.group() for m in found[0]] == ["two people were killed"]
