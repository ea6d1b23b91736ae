"""Name keys: transliterations of one name meet on the folded key or the skeleton."""

from __future__ import annotations

import pytest

from truce.geo.names import fold, keys, latin_phonetic, latin_skeleton, phonetic, skeleton


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


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Shama", "Chamaa"),
        ("Ain el Helweh", "Aïn el Hiloué"),
        ("Labweh", "Laboué"),
        ("Rashaya", "Rachaïya"),
        ("Nabatiyeh", "Nabatieh"),
        ("Dhayra", "Dhaïra"),
        ("Nabi Sheet", "Nabi Chit"),
        ("Aita", "Ayta"),
    ],
)
def test_sound_meets(a: str, b: str) -> None:
    assert phonetic(fold(a)) == phonetic(fold(b))


@pytest.mark.parametrize(
    ("a", "b"),
    [("Shamaa", "Sham"), ("Ain el Helweh", "Aïn Hâla"), ("Labweh", "Lebaâ"), ("Dhayra", "Daraa")],
)
def test_same_consonants_different_sound(a: str, b: str) -> None:
    assert skeleton(fold(a)) == skeleton(fold(b))
    assert phonetic(fold(a)) != phonetic(fold(b))


@pytest.mark.parametrize(
    ("latin", "arabic"),
    [("Arsal", "عرسال"), ("Blida", "بليدا"), ("Ain el Hilweh", "عين الحلوة"),
     ("Aita al-Shaab", "عيتا الشعب"), ("Nabatieh", "النبطية")],
)  # fmt: skip
def test_arabic_script_has_a_latin_skeleton(latin: str, arabic: str) -> None:
    assert latin_skeleton(fold(arabic)) == skeleton(fold(latin))
    assert latin_phonetic(fold(arabic))


@pytest.mark.parametrize("text", ["Beirut", "בית", "بيروت Beirut", "بيروت 12", ""])
def test_latin_skeleton_is_for_arabic_only(text: str) -> None:
    assert latin_skeleton(fold(text)) == ""
    assert latin_phonetic(fold(text)) == ""


def test_doubles_count_once_across_words() -> None:
    assert skeleton(fold("Kfarroummane")) == skeleton(fold("Kfar Roummane"))
    assert skeleton(fold("Tzfat")) == skeleton(fold("Zefat"))
