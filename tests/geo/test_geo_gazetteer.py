"""The shipped gazetteer: look-up by any spelling, ranking, extras, ids, speed and size.

The resolution figures (hundreds of spellings of places in Lebanon, Israel and Syria) are in
test_geo_resolution.py."""

from __future__ import annotations

import pytest
from geo_places import SUBURBS, AliasedPlace

from truce.core.errors import NotFoundError
from truce.core.models import Place
from truce.core.vocab import GeoPrecision
from truce.geo import Gazetteer, distance_km
from truce.geo.datafile import read
from truce.geo.gazetteer import DEFAULT_PATH
from truce.geo.names import fold


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


@pytest.mark.parametrize(
    "group",
    [
        ("Bint Jbeil", "Bent Jbail", "Bint Jubayl"),
        ("Khiam", "El Khiyam", "al-Khiam"),
        ("Tyre", "Sour", "Sur", "صور"),
        ("Nabatieh", "Nabatiyeh"),
        ("Aita al-Shaab", "Ayta ash Shab"),
        ("Kfar Kila", "Kafr Kila"),
    ],
)
def test_spelling_variants_give_the_same_place(gaz: Gazetteer, group: tuple[str, ...]) -> None:
    best = [gaz.lookup(name)[0] for name in group]
    first = best[0]
    for other in best[1:]:
        assert distance_km(first.latitude, first.longitude, other.latitude, other.longitude) < 2


def test_load_is_cached() -> None:
    assert Gazetteer.load() is Gazetteer.load()


def test_file_matches_this_code() -> None:
    """read() refuses a file built by other name-key code: rebuild with the script."""
    data = read(DEFAULT_PATH)
    assert len(data.places) > 15_000
    assert len(data.folded) > len(data.places)
    assert "nice" in data.weak
    assert "sure" in data.blocked


def test_populated_place_beats_the_district_of_the_same_name(gaz: Gazetteer) -> None:
    best = gaz.lookup("Bint Jbeil")
    assert best[0].feature_code == "PPLA2"
    assert any(p.feature_code == "ADM2" for p in best[1:])


def test_country_filters(gaz: Gazetteer) -> None:
    libya = gaz.lookup("Tripoli", country="LY")
    assert libya
    assert all(p.country == "LY" for p in libya)
    assert {p.country for p in gaz.lookup("Tripoli")} >= {"LB", "LY"}
    assert gaz.lookup("Tripoli", country="lb")[0].country == "LB"


def test_near_reranks(gaz: Gazetteer) -> None:
    near_lebanon = gaz.search("Tripoli", near=(34.4, 35.8))
    near_libya = gaz.search("Tripoli", near=(32.9, 13.2))
    assert near_lebanon[0].place.country == "LB"
    assert near_libya[0].place.country == "LY"
    assert near_lebanon[0].score >= near_lebanon[-1].score


def test_search_reports_how_it_matched(gaz: Gazetteer) -> None:
    exact = gaz.search("Bent Jbail")[0]
    loose = gaz.search("Bint Jbeil")[0]
    assert exact.matched == "folded"
    assert loose.matched == "skeleton"
    assert exact.place == loose.place
    assert exact.score > loose.score


def test_precision_by_kind(gaz: Gazetteer) -> None:
    assert gaz.lookup("Tyre")[0].geo_precision == GeoPrecision.TOWN
    assert gaz.lookup("Lebanon")[0].geo_precision == GeoPrecision.REGION
    river = gaz.lookup("Litani River")[0]
    assert river.feature_code == "STM"
    assert river.geo_precision == GeoPrecision.REGION
    district = next(p for p in gaz.lookup("Bint Jbeil") if p.feature_code == "ADM2")
    assert district.geo_precision == GeoPrecision.NEAR_OR_PART


def test_admin1_convention(gaz: Gazetteer) -> None:
    assert gaz.lookup("Tyre")[0].admin1 == "South Lebanon"
    assert gaz.lookup("Bint Jbeil")[0].admin1 == "Nabatieh"
    assert gaz.lookup("Jounieh")[0].admin1 == "Keserwan-Jbeil"  # the 2017 governorate
    assert gaz.lookup("Kiryat Shmona")[0].admin1 == "Northern District"
    assert gaz.lookup("Quneitra")[0].admin1 == "Quneitra"


def test_get_and_aliases(gaz: Gazetteer) -> None:
    tyre = gaz.lookup("Tyre")[0]
    assert gaz.get(tyre.id) == tyre
    assert "Sour" in gaz.aliases(tyre.id)
    assert any(fold(alias) == "صور" for alias in gaz.aliases(tyre.id))  # الصور
    with pytest.raises(NotFoundError, match="no place"):
        gaz.get("geonames:0")


@pytest.mark.parametrize(
    "name",
    ["", "   ", "xqzzptl", "!!!", "1234", "Zzyzx Qwerty Flibbertigibbet", "\x00\x01", "ب"],
)
def test_unknown_or_garbage_gives_nothing(gaz: Gazetteer, name: str) -> None:
    assert gaz.lookup(name) == []
    assert gaz.search(name) == []


def test_huge_name_gives_nothing(gaz: Gazetteer) -> None:
    assert gaz.lookup("Beirut " * 100_000) == []


# -- extras -------------------------------------------------------------------------------


KHIAM = AliasedPlace(
    id="test:khiam",
    name="Khiam",
    country="LB",
    latitude=33.32778,
    longitude=35.61278,
    feature_code="PPL",
    aliases=("El Khiam", "الخيام"),
)


def test_extras_are_found_and_base_is_untouched(gaz: Gazetteer) -> None:
    extended = gaz.with_extras([SUBURBS, KHIAM])
    assert extended.lookup("southern suburbs of Beirut")[0] == SUBURBS
    assert extended.lookup("Dahiya")[0] == SUBURBS  # by skeleton
    assert extended.lookup("الخيام")[0] == KHIAM
    assert extended.get("test:dahieh") == SUBURBS
    assert extended.aliases("test:khiam") == ("El Khiam", "الخيام")
    assert len(extended) == len(gaz) + 2
    assert gaz.lookup("southern suburbs of Beirut") == []
    with pytest.raises(NotFoundError):
        gaz.get("test:dahieh")
    assert Gazetteer.load() is gaz


def test_extra_replaces_the_geonames_twin(gaz: Gazetteer) -> None:
    extended = gaz.with_extras([KHIAM])
    found = extended.lookup("Khiam")
    assert found[0] == KHIAM
    # GeoNames' entry for the same village (within 2 km) is not offered again
    assert all(
        distance_km(p.latitude, p.longitude, KHIAM.latitude, KHIAM.longitude) > 2 for p in found[1:]
    )


def test_extras_pull_their_countries_forward(gaz: Gazetteer) -> None:
    assert gaz.lookup("Qana")[0].country != "LB"  # Qina, Egypt, is larger
    assert gaz.with_extras([KHIAM]).lookup("Qana")[0].country == "LB"


def test_extras_may_be_plain_places(gaz: Gazetteer) -> None:
    plain = Place(id="test:x", name="Qornet Test", latitude=33.0, longitude=35.0)
    assert gaz.with_extras([plain]).lookup("qornet-test") == [plain]


# Speed and size targets are figures of bench/gazetteer.py, not timed tests.
