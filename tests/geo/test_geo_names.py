"""Name keys: transliterations of one name meet on the folded key or the skeleton."""

from __future__ import annotations

import pytest

from truce.geo.names import fold, keys, skeleton


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Bent Jbaïl", "bent-jbail"),
        ("al-Khiam", "Khiam"),
        ("El Khiyam", "Al Khiyam"),
        ("Aita al-Shaab", "Aita ash-Shaab"),
        ("Ayta ash Shab", "Ayta al Shab"),
        ("Zar'it", "Zarit"),
        ("Zar’it", "ZARIT"),
        ("Ba`albek", "Baalbek"),
        ("Nabatîyé", "Nabatiye"),
        ("الخيام", "خيام"),  # the Arabic article
        ("أريحا", "اريحا"),  # hamza carriers
        ("קִרְיַת שְׁמוֹנָה", "קרית שמונה"),  # Hebrew points
    ],
)
def test_fold_meets(a: str, b: str) -> None:
    assert fold(a) == fold(b)
    assert fold(a)  # never empty for a real name


@pytest.mark.parametrize(
    "group",
    [
        ("Bint Jbeil", "Bent Jbail", "Bint Jubayl", "Bent Jbaïl"),
        ("Khiam", "El Khiyam", "al-Khiam"),
        ("Nabatieh", "Nabatiyeh", "Nabatiye", "An Nabatiyah"),
        ("Aita al-Shaab", "Ayta ash Shab", "Aaïta ech Chaab", "Aitaa al-Chaab"),
        ("Kfar Kila", "Kafr Kila", "Kfarkela"),
        ("Dahieh", "Dahiyeh", "Dahiya", "Dahyeh"),
        ("Houla", "Hula"),
        ("Qlayaa", "Klayaa"),
        ("Djebel", "Jebel"),
        ("Marjayoun", "Marjaayoun", "Marj Uyun"),
        ("Sour", "Sur"),
    ],
)
def test_skeleton_meets(group: tuple[str, ...]) -> None:
    skeletons = {keys(name)[1] for name in group}
    assert len(skeletons) == 1, {name: keys(name) for name in group}


@pytest.mark.parametrize(
    ("a", "b"),
    [("Tyre", "Tehran"), ("Bint Jbeil", "Jbeil"), ("Khiam", "Hama"), ("Sidon", "Sudan")],
)
def test_different_names_stay_apart(a: str, b: str) -> None:
    assert keys(a) != keys(b)


@pytest.mark.parametrize("text", ["", "   ", "---", "'''", "\u200f", "🙂", "…"])
def test_no_letters_no_key(text: str) -> None:
    assert fold(text) == ""
    assert skeleton(fold(text)) == ""


def test_article_only_name_keeps_itself() -> None:
    assert fold("El") == "el"
