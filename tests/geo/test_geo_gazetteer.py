"""The shipped gazetteer: look-up by any spelling, ranking, extras, ids, speed and size."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from truce.core.errors import NotFoundError
from truce.core.models import Place
from truce.core.vocab import GeoPrecision
from truce.geo import Gazetteer, distance_km
from truce.geo.datafile import read
from truce.geo.gazetteer import DEFAULT_PATH
from truce.geo.names import fold

# Surface forms and where the place really is (published coordinates, not read from the
# gazetteer): Lebanon, Israel, Syria; Latin transliterations, Arabic and Hebrew script.
RESOLUTIONS = [
    ("Beirut", None, 33.8938, 35.5018),
    ("Tyre", None, 33.2705, 35.2038),
    ("Sour", None, 33.2705, 35.2038),
    ("Sur", None, 33.2705, 35.2038),
    ("Sidon", None, 33.5571, 35.3729),
    ("Saida", None, 33.5571, 35.3729),
    ("Tripoli", "LB", 34.4367, 35.8497),
    ("Nabatieh", None, 33.3789, 35.4839),
    ("Nabatiyeh", None, 33.3789, 35.4839),
    ("Nabatiye", None, 33.3789, 35.4839),
    ("Bint Jbeil", None, 33.1199, 35.4336),
    ("Bent Jbail", None, 33.1199, 35.4336),
    ("Bint Jubayl", None, 33.1199, 35.4336),
    ("Bent Jbaïl", None, 33.1199, 35.4336),
    ("Khiam", None, 33.3290, 35.6120),
    ("El Khiyam", None, 33.3290, 35.6120),
    ("al-Khiam", None, 33.3290, 35.6120),
    ("Marjayoun", None, 33.3600, 35.5900),
    ("Marjeyoun", None, 33.3600, 35.5900),
    ("Naqoura", None, 33.1181, 35.1397),
    ("Qana", "LB", 33.2090, 35.2990),
    ("Baalbek", None, 34.0058, 36.2181),
    ("Zahle", None, 33.8463, 35.9020),
    ("Zahleh", None, 33.8463, 35.9020),
    ("Hermel", None, 34.3942, 36.3847),
    ("Jounieh", None, 33.9808, 35.6178),
    ("Byblos", None, 34.1230, 35.6519),
    ("Aita al-Shaab", None, 33.0970, 35.3360),
    ("Ayta ash Shab", None, 33.0970, 35.3360),
    ("Aitaa al-Chaab", None, 33.0970, 35.3360),
    ("Kfar Kila", None, 33.2770, 35.5520),
    ("Kafr Kila", None, 33.2770, 35.5520),
    ("Kfarkela", None, 33.2770, 35.5520),
    ("Houla", "LB", 33.2092, 35.5150),
    ("Odaisseh", None, 33.2528, 35.5436),
    ("Hasbaya", None, 33.3980, 35.6850),
    ("Shebaa", None, 33.3460, 35.7500),
    ("Chebaa", None, 33.3460, 35.7500),
    ("Arnoun", None, 33.3230, 35.5150),
    ("Mais al-Jabal", None, 33.1700, 35.5200),
    ("Meiss el-Jabal", None, 33.1700, 35.5200),
    ("Maroun al-Ras", None, 33.1000, 35.4400),
    ("Yaroun", None, 33.0800, 35.4200),
    ("Aitaroun", None, 33.1160, 35.4710),
    ("Rmeish", None, 33.0797, 35.3697),
    ("Tebnine", None, 33.1950, 35.4110),
    ("Jezzine", None, 33.5430, 35.5840),
    ("Halba", None, 34.5420, 36.0790),
    ("Aley", None, 33.8050, 35.6000),
    ("Baabda", None, 33.8330, 35.5440),
    ("بنت جبيل", None, 33.1199, 35.4336),
    ("صور", None, 33.2705, 35.2038),
    ("بيروت", None, 33.8938, 35.5018),
    ("صيدا", None, 33.5571, 35.3729),
    ("Metula", None, 33.2790, 35.5790),
    ("Metulla", None, 33.2790, 35.5790),
    ("Kiryat Shmona", None, 33.2080, 35.5700),
    ("Qiryat Shemona", None, 33.2080, 35.5700),
    ("Shlomi", None, 33.0765, 35.1442),
    ("Nahariya", None, 33.0060, 35.0940),
    ("Safed", None, 32.9650, 35.4960),
    ("Haifa", None, 32.8150, 34.9890),
    ("Acre", None, 32.9280, 35.0760),
    ("Tiberias", None, 32.7950, 35.5300),
    ("קריית שמונה", None, 33.2080, 35.5700),
    ("חיפה", None, 32.8150, 34.9890),
    ("Damascus", None, 33.5130, 36.2920),
    ("Quneitra", None, 33.1260, 35.8240),
    ("Majdal Shams", None, 33.2690, 35.7710),
    ("Homs", None, 34.7300, 36.7090),
    ("Daraa", None, 32.6250, 36.1060),
    ("Qusayr", "SY", 34.5090, 36.5800),
    ("Aleppo", None, 36.2020, 37.1340),
    ("دمشق", None, 33.5130, 36.2920),
]


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


@pytest.mark.parametrize(("name", "country", "lat", "lon"), RESOLUTIONS)
def test_surface_form_resolves_within_5_km(
    gaz: Gazetteer, name: str, country: str | None, lat: float, lon: float
) -> None:
    best = gaz.lookup(name, country=country)[0]
    assert distance_km(lat, lon, best.latitude, best.longitude) <= 5, best


def test_enough_surface_forms_from_three_countries() -> None:
    assert len(RESOLUTIONS) >= 40
    countries = {Gazetteer.load().lookup(n, c)[0].country for n, c, _, _ in RESOLUTIONS}
    assert {"LB", "IL", "SY"} <= countries


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


def test_huge_name_gives_nothing_quickly(gaz: Gazetteer) -> None:
    start = time.perf_counter()
    assert gaz.lookup("Beirut " * 100_000) == []
    assert time.perf_counter() - start < 2


# -- extras -------------------------------------------------------------------------------


class AliasedPlace(Place):
    aliases: tuple[str, ...] = ()


SUBURBS = AliasedPlace(
    id="test:dahieh",
    name="Dahieh",
    country="LB",
    latitude=33.852,
    longitude=35.511,
    feature_code="PPLX",
    geo_precision=GeoPrecision.NEAR_OR_PART,
    aliases=("Dahiyeh", "southern suburbs of Beirut", "الضاحية"),
)
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


# -- speed and size ----------------------------------------------------------------------


def test_exact_alias_lookups_are_fast(gaz: Gazetteer) -> None:
    names = [gaz.place(row).name for row in range(0, 20_000, 10)]
    for name in names:  # first look-ups parse and rank; later ones are what we time
        gaz.lookup(name)
    rounds = 20
    start = time.perf_counter()
    for _ in range(rounds):
        for name in names:
            gaz.lookup(name)
    rate = rounds * len(names) / (time.perf_counter() - start)
    assert rate >= 100_000, f"{rate:.0f} look-ups/s"  # ~300,000/s on a quiet machine


def test_load_time_and_memory_in_a_fresh_process() -> None:
    code = (
        "import json, resource, time\n"
        "from truce.geo import Gazetteer\n"
        "start = time.perf_counter()\n"
        "Gazetteer.load().lookup('Tyre')\n"
        "seconds = time.perf_counter() - start\n"
        "rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print(json.dumps({'seconds': seconds, 'rss_mb': rss}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    measured = json.loads(out.stdout)
    assert measured["seconds"] <= 1.0, measured  # ~0.1 s on a quiet machine; target 0.5 s
    assert measured["rss_mb"] <= 150, measured
