"""Finding place names in running text: spans, offsets, ranking by context, false friends."""

from __future__ import annotations

import itertools

import pytest
from geo_places import SUBURBS, AliasedPlace
from hypothesis import given, settings
from hypothesis import strategies as st

from truce.geo import Gazetteer, PlaceMention, distance_km, mentions

SOUTH = AliasedPlace(
    id="test:south",
    name="South Lebanon",
    country="LB",
    latitude=33.27,
    longitude=35.4,
    feature_code="RGN",
    geo_precision=3,
    aliases=("southern Lebanon",),
)


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load().with_extras([SUBURBS, SOUTH])


def surfaces(mentions: list[PlaceMention]) -> list[str]:
    return [m.surface for m in mentions]


def test_offsets_slice_the_surface(gaz: Gazetteer) -> None:
    text = (
        "An Israeli drone struck a car in Bint Jubayl on Tuesday, and shells fell near "
        "al-Khiam and Kfar Kila.\nIn Tyre, residents fled to Sidon."
    )
    mentions = gaz.find_mentions(text)
    assert surfaces(mentions) == ["Bint Jubayl", "al-Khiam", "Kfar Kila", "Tyre", "Sidon"]
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.surface
        assert mention.candidates
        assert len(mention.scores) == len(mention.candidates)
        assert list(mention.scores) == sorted(mention.scores, reverse=True)
        assert mention.place is mention.candidates[0]
    starts = [m.start for m in mentions]
    assert starts == sorted(starts)
    assert all(a.end <= b.start for a, b in itertools.pairwise(mentions))


def test_longest_match_wins(gaz: Gazetteer) -> None:
    text = "Strikes on Beirut's southern suburbs and on the southern suburbs of Beirut."
    mentions = gaz.find_mentions(text)
    assert surfaces(mentions) == ["Beirut's southern suburbs", "southern suburbs of Beirut"]
    assert {m.place.id for m in mentions} == {"test:dahieh"}


def test_lower_case_multiword_names_and_articles(gaz: Gazetteer) -> None:
    mentions = gaz.find_mentions("Talks on economic cooperation in southern Lebanon.")
    assert surfaces(mentions) == ["southern Lebanon"]
    assert mentions[0].place.id == "test:south"


def test_transliterations_in_text(gaz: Gazetteer) -> None:
    text = "Ayta ash-Shab, Aitaa al-Chaab and Aita al-Shaab were shelled; so was Nabatiyeh."
    mentions = gaz.find_mentions(text)
    assert len(mentions) == 4
    aita = [m.place for m in mentions[:3]]
    for place in aita:
        assert distance_km(place.latitude, place.longitude, 33.097, 35.336) < 2
    assert distance_km(mentions[3].place.latitude, mentions[3].place.longitude, 33.379, 35.484) < 3


def test_arabic_and_hebrew_script(gaz: Gazetteer) -> None:
    text = "غارة على بنت جبيل و صور. אזעקות בקריית שמונה ובחיפה. ביקור בחיפה"
    found = gaz.find_mentions(text)
    assert "بنت جبيل" in surfaces(found)
    assert "صور" in surfaces(found)
    haifa = [m for m in found if m.surface == "חיפה"]
    assert haifa
    assert haifa[0].place.country == "IL"


def test_arabic_conjunction_prefix_is_not_part_of_the_name(gaz: Gazetteer) -> None:
    text = "قصف على بيروت والخيام"
    found = gaz.find_mentions(text)
    assert surfaces(found)[0] == "بيروت"
    assert text[found[-1].start : found[-1].end] == found[-1].surface


@pytest.mark.parametrize(
    "text",
    [
        "Sure, nothing happened.",
        "Forces loyal to the government held the Line at the Center of town.",
        "Hospital staff said the White House had called.",
        "He said Reading is fun and Nice people live there.",
        "The ceasefire line was quiet; sure enough, the forces withdrew.",
        "Prime Minister Nawaf Salam met Speaker Nabih Berri.",
    ],
)
def test_common_words_and_person_names_are_not_places(gaz: Gazetteer, text: str) -> None:
    assert gaz.find_mentions(text) == []


def test_common_word_place_after_a_preposition(gaz: Gazetteer) -> None:
    found = gaz.find_mentions("The delegation flew to Nice on Monday.")
    assert surfaces(found) == ["Nice"]
    assert found[0].place.country == "FR"


def test_lower_case_words_are_not_places(gaz: Gazetteer) -> None:
    assert gaz.find_mentions("the tyre was sour and the sur of the khiam") == []


def test_context_prefers_places_near_the_others() -> None:
    gaz = Gazetteer.load()
    alone = gaz.find_mentions("Talks in Tripoli.")[0]
    with_context = gaz.find_mentions(
        "Talks in Tripoli, with delegations from Zgharta, Batroun and Halba."
    )[0]
    assert alone.place.country == "LY"
    assert with_context.place.country == "LB"


@pytest.mark.parametrize(
    "text",
    ["", "   \n\t", "!!!???", "1234 5678", "\x00\x01\x02", "🙂" * 50, "a" * 10_000, "ب ت ث"],
)
def test_garbage_gives_nothing(gaz: Gazetteer, text: str) -> None:
    assert gaz.find_mentions(text) == []


def test_huge_text_finds_every_mention(gaz: Gazetteer) -> None:
    paragraph = "Israeli shelling hit Kfar Kila and Khiam, Lebanon's army said on Monday. " * 2000
    found = gaz.find_mentions(paragraph)  # linear: ~1 s here; bench/gazetteer.py measures it
    assert len(found) == 2000 * 3


@pytest.mark.slow
def test_a_megabyte_of_news(gaz: Gazetteer) -> None:
    sentences = [
        "An Israeli drone struck a car in Bint Jbeil on Tuesday, the ministry said. ",
        "Prime Minister Nawaf Salam met Speaker Nabih Berri in Beirut on Nov. 27. ",
        "Shelling hit Kfar Kila, Odaisseh and the outskirts of Khiam overnight. ",
        "The White House said Hamas and Hezbollah must disarm. ",
    ]
    text = "".join(sentences) * (1_000_000 // sum(map(len, sentences)))
    found = gaz.find_mentions(text)
    assert len(found) == 5 * (1_000_000 // sum(map(len, sentences)))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=60))
def test_ascii_text_is_cut_into_words_as_any_text_is(text: str) -> None:
    # the ASCII fast path must give exactly the words and gaps of the general pattern
    assert mentions._ASCII_GAP_AND_TOKEN.findall(text) == mentions._GAP_AND_TOKEN.findall(text)
