"""Attribution of reports to sources, and counts of the killed and wounded."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from truce.extract import Doc
from truce.extract.numbers import number_value


@pytest.mark.parametrize(
    ("text", "sources"),
    [
        ("A drone struck a car in Yater, Lebanon's health ministry said.",
         ["Lebanon's health ministry"]),
        ("According to Reuters, the army withdrew.", ["Reuters"]),
        ("The Israeli military said it hit a launcher.", ["Israeli military"]),
        ("A UN official told Al Jazeera that talks resumed.", ["UN official", "Al Jazeera"]),
        ("A statement from the French embassy said the envoy left.", ["French embassy"]),
        ("Three people were killed, said the civil defence.", ["civil defence"]),
        ("No injuries were reported. He said nothing.", []),
    ],
)  # fmt: skip
def test_sources(run: Run, text: str, sources: list[str]) -> None:
    assert [a.source for a in run(text).attributions] == sources


@pytest.mark.parametrize(
    ("text", "killed", "wounded"),
    [
        ("The strike killed two people and wounded five others.", [2], [5]),
        ("One person was killed and another was injured.", [1], [1]),
        ("Killing three civilians, the raid also hurt 12 people.", [3], [12]),
        ("Shelling killing at least 14 soldiers was reported.", [14], []),
        ("The drone strike killed a shepherd near the fence.", [1], []),
        ("The army assassinated senior commander Ali Hassan Abbas in the raid.", [1], []),
        ("The death toll rose to 1,200 on Friday.", [1200], []),
        ("No casualties were reported.", [0], []),
        ("No injuries were reported.", [0], [0]),
        ("The ministry said 40 percent of homes were damaged.", [], []),
    ],
)
def test_casualty_counts(run: Run, text: str, killed: list[int], wounded: list[int]) -> None:
    found = run(text).casualties
    assert [c.count for c in found if c.kind == "killed"] == killed
    assert [c.count for c in found if c.kind == "wounded"] == wounded


Run = Callable[..., Doc]


def test_number_words_and_digits() -> None:
    assert number_value("twelve") == 12
    assert number_value("1,350") == 1350
    assert number_value("an") == 1
    assert number_value("several") is None
