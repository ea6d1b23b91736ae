"""Reading places in context: the theatre pack, the rest of the text, and false friends the
extractor met in real news ("A", "Haytham Ali Tabatabai", "The Nov", "the White House")."""

from __future__ import annotations

import pytest

from truce.geo import Gazetteer, PlaceMention
from truce.theatre import load_pack

BLIDA_LB = (33.14, 35.51472)  # GeoNames 276429, by the Blue Line


@pytest.fixture(scope="module")
def theatre() -> Gazetteer:
    """The gazetteer as the extractor uses it: with the default pack's curated places."""
    return Gazetteer.load().with_extras(load_pack().places)


def surfaces(mentions: list[PlaceMention]) -> list[str]:
    return [m.surface for m in mentions]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A drone was seen over the town. A strike followed.", []),
        ("A. Hussein and L.A. Smith wrote to A B C.", []),
        (
            "Israel said it killed senior Hezbollah commander Haytham Ali Tabatabai in Beirut.",
            ["Israel", "Beirut"],
        ),
        ("Haytham said Ali would come. Ali said no.", []),
        ("The Nov. 27 ceasefire held. The Nov 26 deal was signed in Nov. 2024.", []),
        ("A spokesman for the White House said talks would go on.", []),
        ("Envoys met at the White House on Monday.", []),
        ("The ceasefire, signed by Lebanon as the guarantor, held.", ["Lebanon"]),
        ("Talks in southern Lebanon at the border went on.", ["southern Lebanon"]),
        ("Hamas and Hezbollah said the Syrian and Iranian envoys met Biden.", []),
        ("In Houla, residents returned.", ["Houla"]),
    ],
)
def test_false_friends_seen_in_the_news(theatre: Gazetteer, text: str, expected: list[str]) -> None:
    assert surfaces(theatre.find_mentions(text)) == expected


def test_white_house_is_not_casablanca(theatre: Gazetteer) -> None:
    assert all(p.country != "MA" for p in theatre.lookup("White House"))
    assert theatre.lookup("Casablanca")[0].country == "MA"


@pytest.mark.parametrize(
    "text",
    [
        "An Israeli drone struck a motorbike in Blida on Monday.",
        "Israeli shelling hit Blida and Aitaroun.",
        "Blida, in southern Lebanon, was shelled.",
    ],
)
def test_blida_by_the_border_beats_blida_in_algeria(theatre: Gazetteer, text: str) -> None:
    blida = next(m for m in theatre.find_mentions(text) if m.surface == "Blida")
    assert blida.place.country == "LB"
    assert {p.country for p in blida.candidates} >= {"LB", "DZ"}  # the ranking is exposed
    algeria = next(i for i, p in enumerate(blida.candidates) if p.country == "DZ")
    assert blida.scores[0] > blida.scores[algeria]


def test_the_pack_pulls_its_theatre_forward(theatre: Gazetteer) -> None:
    plain = Gazetteer.load()
    assert plain.lookup("Blida")[0].country == "DZ"  # the larger town, without a theatre
    assert theatre.lookup("Blida")[0].country == "LB"
    best = theatre.search("Blida")
    assert best[0].score > best[1].score


def test_southern_and_a_named_country_rank_candidates() -> None:
    gaz = Gazetteer.load()  # no pack: only the text says where
    alone = gaz.find_mentions("Israeli shelling hit Blida on Monday.")[0]
    assert alone.place.country == "DZ"
    for text in (
        "Israeli shelling hit Blida, in southern Lebanon.",
        "Shelling hit Blida in Lebanon.",
    ):
        assert gaz.find_mentions(text)[0].place.country == "LB"
    taybeh = gaz.find_mentions("An Israeli strike hit Taybeh in southern Lebanon.")[0]
    assert taybeh.place.country == "LB"
    assert taybeh.place.admin1 in ("Nabatieh", "South Lebanon")


def test_a_named_area_ranks_its_places(theatre: Gazetteer) -> None:
    hadath = theatre.find_mentions("He met the mayor of Hadath in the Baabda district.")[0]
    assert hadath.place.admin1 == "Mount Lebanon"
    assert abs(hadath.place.latitude - 33.83) < 0.05  # Hadath by Beirut, not El Hadet


def test_a_country_after_the_name(theatre: Gazetteer) -> None:
    found = theatre.find_mentions("Fighting near Qusayr, Syria, went on.")
    assert found[0].place.country == "SY"


@pytest.mark.parametrize(
    ("text", "surface", "country"),
    [
        ("Sirens sounded in Kibbutz Dan.", "Dan", "IL"),
        ("Sirens sounded in Misgav 'Am.", "Misgav 'Am", "IL"),
        ("غارة إسرائيلية على عرسال", "عرسال", "LB"),  # no Arabic name in GeoNames: by letters
        ("غارة على بليدا", "بليدا", "LB"),
        ("אזעקות נשמעו בתל אביב", "תל אביב", "IL"),
    ],
)
def test_kinds_of_place_ayn_signs_and_scripts(
    theatre: Gazetteer, text: str, surface: str, country: str
) -> None:
    found = [m for m in theatre.find_mentions(text) if m.surface == surface]
    assert found, theatre.find_mentions(text)
    assert found[0].place.country == country


def test_look_up_without_the_word_for_the_kind(theatre: Gazetteer) -> None:
    assert theatre.lookup("Kibbutz Dan")[0] == theatre.lookup("Dan", country="IL")[0]
    assert theatre.lookup("Qlayaa village")[0] == theatre.lookup("Qlayaa")[0]
    assert theatre.lookup("عرسال")[0].country == "LB"
    assert theatre.search("عرسال")[0].matched == "consonants"


def test_title_lines_and_sentence_openers_need_more(theatre: Gazetteer) -> None:
    # "Means" (Amman), "Media" (Madaya) by consonants: a capital that says nothing
    assert theatre.find_mentions("Officials spoke. Means were found. Media came.") == []
    assert theatre.find_mentions("Israeli Strikes Hit Homes Across Border Areas\nNone.") == []
    found = theatre.find_mentions("Talks went on. Bazouriyeh, east of Tyre, was calm.")
    assert surfaces(found) == ["Bazouriyeh", "Tyre"]
