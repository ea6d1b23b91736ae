"""Case-insensitive patterns run on the lower-cased text find what they find on the text."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from truce.extract import numbers, places, roles, sentences
from truce.extract.lowered import CaseFree, lowered


def test_lowered_keeps_escapes_and_group_names() -> None:
    assert lowered(r"Lebanese|(?P<rel>In)\S+\B(?P=rel)") == r"lebanese|(?P<rel>in)\S+\B(?P=rel)"


@pytest.mark.parametrize("pattern", [r"[A-Z]\w+", r"(?-i:March)", r"(?P<Rel>in)"])
def test_lowered_refuses_what_reads_case(pattern: str) -> None:
    assert lowered(pattern) is None


_PATTERNS = [places._RELATION, numbers._CASUALTY_WORD, roles._VICTIMS, sentences._CLAUSE_BREAK]
_SOUP = (
    "In on the Southern outskirts of Killed DEAD wounded Israeli village near North of "
    "people Residents their cars CAR at Entrance to Area toll After WHICH, ; - who"
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_SOUP.split(" ")), max_size=25), st.integers(0, 40))
def test_case_free_search_finds_what_the_pattern_finds(words: list[str], cut: int) -> None:
    text = " ".join(words)
    end = max(0, len(text) - cut)
    for pattern in _PATTERNS:
        expected = pattern.search(text, 0, end)
        found = CaseFree(pattern).search(text, text.lower(), 0, end)
        assert (found.span() if found else None) == (expected.span() if expected else None)
        every = CaseFree(pattern).finditer(text, text.lower(), 0, end)
        assert [m.span() for m in every] == [m.span() for m in pattern.finditer(text, 0, end)]


def test_case_free_search_reads_the_text_itself_without_a_lower_case_copy() -> None:
    pattern = CaseFree(re.compile(r"\bkilled\b", re.IGNORECASE))
    found = pattern.search("İlker was KILLED", None)
    assert found is not None
    assert found.group() == "KILLED"
