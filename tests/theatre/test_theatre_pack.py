"""Theatre packs: the bundled israel-lebanon pack, a second pack, validation errors."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from truce.core.errors import TheatreError
from truce.core.vocab import GeoPrecision, Inter
from truce.geo import Gazetteer, distance_km
from truce.theatre import DEFAULT_PACK, PackPlace, TheatrePack, available_packs, load_pack
from truce.theatre.packs import israel_lebanon_path

SUDAN = Path(__file__).parent / "packs" / "sudan"


@pytest.fixture(scope="module")
def pack() -> TheatrePack:
    return load_pack()


# -- the bundled pack ----------------------------------------------------------------------


def test_default_is_israel_lebanon_by_entry_point(pack: TheatrePack) -> None:
    assert DEFAULT_PACK == "israel-lebanon"
    assert available_packs()["israel-lebanon"] == "truce.theatre.packs:israel_lebanon_path"
    assert pack.name == "israel-lebanon"
    assert pack.path == israel_lebanon_path().resolve()
    assert load_pack("israel-lebanon") is pack  # cached while the files are unchanged
    assert load_pack(israel_lebanon_path()).actors == pack.actors


def test_actors(pack: TheatrePack) -> None:
    names = {actor.name for actor in pack.actors}
    assert {
        "Military Forces of Israel",
        "Government of Israel",
        "Hezbollah",
        "Military Forces of Lebanon",
        "Government of Lebanon",
        "UNIFIL",
        "Government of the United States",
        "Government of France",
        "Amal Movement",
        "Military Forces of Syria",
        "Civilians (Lebanon)",
        "Civilians (Israel)",
        "Protesters (Lebanon)",
        "Unidentified Armed Group (Lebanon)",
    } <= names
    assert set(pack.parties) == {"israel", "lebanon", "armed-groups", "mechanism"}
    assert all(actor.party in (None, *pack.parties) for actor in pack.actors)
    assert pack.actor("Hezbollah").inter == Inter.POLITICAL_MILITIAS
    assert pack.actor("Military Forces of Lebanon").inter == Inter.STATE_FORCES
    with pytest.raises(TheatreError, match="no actor named"):
        pack.actor("Rapid Support Forces")


@pytest.mark.parametrize(
    ("alias", "actor"),
    [
        ("IDF", "Military Forces of Israel"),
        ("israeli warplanes", "Military Forces of Israel"),
        ("Israeli Air Force", "Military Forces of Israel"),
        ("Hizbullah", "Hezbollah"),
        ("radwan force", "Hezbollah"),
        ("Islamic Resistance", "Hezbollah"),
        ("LAF", "Military Forces of Lebanon"),
        ("Lebanese army  intelligence", "Military Forces of Lebanon"),
        ("peacekeepers", "UNIFIL"),
        ("President Joseph Aoun", "Government of Lebanon"),
        ("PM Nawaf Salam", "Government of Lebanon"),
        ("Speaker Nabih Berri", "Government of Lebanon"),
        ("health ministry", "Government of Lebanon"),
        ("Benjamin Netanyahu", "Government of Israel"),
        ("Defence Minister Israel Katz", "Government of Israel"),
        ("security cabinet", "Government of Israel"),
        ("Morgan Ortagus", "Government of the United States"),
        ("White House", "Government of the United States"),
        ("Jean-Yves Le Drian", "Government of France"),
        ("Jean Yves Le Drian", "Government of France"),
        ("JEAN-YVES LE DRIAN", "Government of France"),
        ("Hamas in Lebanon", "Hamas Movement"),
        ("PIJ", "PIJ: Palestinian Islamic Jihad"),
        ("Syrian army", "Military Forces of Syria"),
        ("حزب الله", "Hezbollah"),
        ("Hezbollah", "Hezbollah"),
    ],
)
def test_actor_for(pack: TheatrePack, alias: str, actor: str) -> None:
    found = pack.actor_for(alias)
    assert found is not None
    assert found.name == actor


def test_actor_for_unknown(pack: TheatrePack) -> None:
    assert pack.actor_for("Rapid Support Forces") is None
    assert pack.actor_for("") is None


def test_actor_aliases_longest_first(pack: TheatrePack) -> None:
    pairs = pack.actor_aliases()
    lengths = [len(text) for text, _ in pairs]
    assert lengths == sorted(lengths, reverse=True)
    texts = {text for text, _ in pairs}
    assert {"IDF", "Hezbollah", "UNIFIL", "Radwan Force"} <= texts
    assert sum(len(actor.aliases) + 1 for actor in pack.actors) == len(pairs)


def test_places(pack: TheatrePack) -> None:
    by_id = {place.id: place for place in pack.places}
    assert all(isinstance(place, PackPlace) for place in pack.places)
    suburbs = by_id["il-lb:dahieh"]
    assert "southern suburbs of Beirut" in suburbs.aliases
    assert suburbs.approximate
    hamames = by_id["il-lb:position-hamames"]
    assert hamames.approximate
    assert hamames.geo_precision == GeoPrecision.NEAR_OR_PART
    assert by_id["il-lb:south-lebanon"].geo_precision == GeoPrecision.REGION
    assert by_id["il-lb:ghajar"].country == "IL"  # disputed: as GeoNames codes it
    wanted_names = (
        "Metula", "Kiryat Shmona", "Shlomi", "Avivim", "Margaliot", "Misgav Am", "Manara",
        "Zar'it", "Dovev", "Shtula", "Majdal Shams", "Shebaa Farms", "Golan Heights",
        "Wadi Saluki", "Iqlim al-Tuffah", "Bekaa Valley", "Haret Hreik", "Burj al-Barajneh",
        "Ghobeiry", "UNIFIL headquarters",
    )  # fmt: skip
    for wanted in wanted_names:
        assert any(place.name == wanted for place in pack.places), wanted
    assert sum(place.id.startswith("il-lb:position-") for place in pack.places) == 5
    assert all(place.source for place in pack.places)


@pytest.mark.parametrize(
    ("surface", "lat", "lon"),
    [
        ("Dahiyeh", 33.852, 35.511),
        ("Beirut's southern suburbs", 33.852, 35.511),
        ("Ghajar", 33.272, 35.623),
        ("Majdal Shams", 33.270, 35.770),
        ("Kiryat Shmona", 33.208, 35.570),
        ("Naqoura", 33.118, 35.140),
        ("Khiam", 33.329, 35.612),
        ("الخيام", 33.329, 35.612),
        ("Shebaa Farms", 33.27, 35.72),
    ],
)
def test_pack_places_in_the_gazetteer(
    pack: TheatrePack, surface: str, lat: float, lon: float
) -> None:
    best = Gazetteer.load().with_extras(pack.places).lookup(surface)[0]
    assert distance_km(lat, lon, best.latitude, best.longitude) <= 5


# -- a second pack -------------------------------------------------------------------------


def test_second_pack_is_generic_and_nothing_leaks(pack: TheatrePack) -> None:
    sudan = load_pack(SUDAN)
    assert sudan.name == "sudan"
    assert [a.name for a in sudan.actors] == [
        "Military Forces of Sudan",
        "Rapid Support Forces",
        "Civilians (Sudan)",
    ]
    assert sudan.actor_for("rsf") == sudan.actor("Rapid Support Forces")
    assert sudan.actor_for("الدعم السريع") == sudan.actor("Rapid Support Forces")
    assert sudan.actor_for("IDF") is None
    assert sudan.actor_for("Hezbollah") is None
    assert not {a.name for a in sudan.actors} & {a.name for a in pack.actors}
    assert {p.id for p in sudan.places} == {"sd:el-fasher", "sd:zamzam-camp", "sd:darfur"}
    assert set(sudan.parties) == {"saf", "rsf"}
    gaz = Gazetteer.load().with_extras(sudan.places)
    assert gaz.lookup("Zam Zam camp")[0].id == "sd:zamzam-camp"
    assert all(not p.id.startswith("il-lb:") for p in gaz.lookup("Dahiyeh"))
    assert gaz.lookup("southern suburbs of Beirut") == []
    # the bundled pack is unchanged by loading another
    assert load_pack() is pack


def test_pack_from_a_string_path() -> None:
    assert load_pack(str(SUDAN)).name == "sudan"


def test_third_party_pack_by_entry_point(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A pack installed as a distribution is found by its `truce.theatres` entry point."""
    package = tmp_path / "sudan_pack"
    shutil.copytree(SUDAN, package / "data")
    (package / "__init__.py").write_text(
        "from pathlib import Path\n\n"
        "def path() -> Path:\n"
        "    return Path(__file__).parent / 'data'\n"
    )
    info = tmp_path / "sudan_pack-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: sudan-pack\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[truce.theatres]\nsudan = sudan_pack:path\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert "sudan" in available_packs()
    loaded = load_pack("sudan")
    assert loaded.name == "sudan"
    assert loaded.path == (package / "data").resolve()


def test_unknown_pack_name() -> None:
    with pytest.raises(TheatreError, match=r"no theatre pack named 'atlantis'.*israel-lebanon"):
        load_pack("atlantis")


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(TheatreError, match="not found"):
        load_pack(tmp_path / "nowhere")


# -- validation errors name the file and the line -------------------------------------------


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    target = tmp_path / "pack"
    shutil.copytree(SUDAN, target)
    return target


def write_actors(folder: Path, text: str) -> Path:
    path = folder / "actors.yaml"
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("yaml_text", "line", "problem"),
    [
        (
            """
            parties: {a: side a}
            actors:
              - name: One
                inter: 1
                party: a
              - name: Two
                inter: 12
            """,
            7,
            "inter",
        ),
        (
            """
            actors:
              - name: One
                inter: 1
              - inter: 2
                aliases: [x]
            """,
            4,
            "name",
        ),
        (
            """
            parties: {a: side a}
            actors:
              - name: One
                inter: 1
                party: b
            """,
            5,
            "party 'b'",
        ),
        (
            """
            actors:
              - name: One
                inter: 1
                aliases: [Shared]
              - name: Two
                inter: 2
                aliases: [shared]
            """,
            5,
            "already an alias of 'One'",
        ),
        (
            """
            actors:
              - name: One
                inter: 1
                colour: red
            """,
            4,
            "colour",
        ),
        (
            """
            actors:
              - name: One
                inter: 1
                inter: 2
            """,
            4,
            "duplicate key",
        ),
        (
            """
            actors:
              - name: One
                inter: [1
            """,
            4,
            "invalid YAML",
        ),
        (
            """
            actors:
              - name: One
                inter: 1
                parent: Nobody
            """,
            4,
            "parent 'Nobody'",
        ),
    ],
)
def test_actors_errors_name_file_and_line(
    broken: Path, yaml_text: str, line: int, problem: str
) -> None:
    path = write_actors(broken, yaml_text)
    with pytest.raises(TheatreError) as caught:
        load_pack(broken)
    message = str(caught.value)
    assert message.startswith(f"{path.resolve()}:{line}:"), message
    assert problem in message


def test_empty_actors_file(broken: Path) -> None:
    path = write_actors(broken, "")
    with pytest.raises(TheatreError, match=rf"{path.resolve()}"):
        load_pack(broken)


def write_places(folder: Path, rows: list[str]) -> Path:
    path = folder / "places.csv"
    header = (
        "id,name,country,admin1,latitude,longitude,feature_code,population,geo_precision,"
        "aliases,approximate,source"
    )
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


GOOD_ROW = "t:a,Alpha,SD,,13.5,25.3,PPL,,1,A1|A2,false,test"


@pytest.mark.parametrize(
    ("rows", "line", "problem"),
    [
        ([GOOD_ROW, "t:b,Beta,SD,,113.5,25.3,PPL,,1,,false,test"], 3, "latitude"),
        ([GOOD_ROW, GOOD_ROW.replace("t:a", "t:c"), "t:a,Gamma,SD,,13,25,PPL,,1,,false,x"], 4,
         "already used on line 2"),
        (["t:b,Beta,Sudan,,13.5,25.3,PPL,,1,,false,test"], 2, "country"),
        (["t:b,Beta,SD,,13.5,25.3,PPL,,1,,maybe,test"], 2, "approximate"),
        (["t:b,Beta,SD,,13.5,25.3,PPL,,1,,false,"], 2, "source"),
        (["t:b,Beta,SD,,13.5,25.3,PPL,,7,,false,test"], 2, "geo_precision"),
        (["t:b,Beta,SD,13.5,25.3,PPL,,1,,false,test"], 2, "expected 12 fields"),
        ([GOOD_ROW, '"t:b,Beta'], 3, "expected 12 fields"),
    ],
)  # fmt: skip
def test_places_errors_name_file_and_row(
    broken: Path, rows: list[str], line: int, problem: str
) -> None:
    path = write_places(broken, rows)
    with pytest.raises(TheatreError) as caught:
        load_pack(broken)
    message = str(caught.value)
    assert message.startswith(f"{path.resolve()}:{line}:"), message
    assert problem in message


def test_places_header_errors(broken: Path) -> None:
    path = broken / "places.csv"
    path.write_text("id,name,latitude,longitude,colour\n", encoding="utf-8")
    with pytest.raises(
        TheatreError, match=r"places\.csv:1: missing columns .*unknown columns colour"
    ):
        load_pack(broken)


def test_places_are_optional(broken: Path) -> None:
    (broken / "places.csv").unlink()
    assert load_pack(broken).places == ()


@pytest.mark.parametrize("missing", ["actors.yaml", "README.md"])
def test_required_files(broken: Path, missing: str) -> None:
    (broken / missing).unlink()
    with pytest.raises(TheatreError, match=rf"{missing}: missing"):
        load_pack(broken)


def test_edited_pack_is_read_again(broken: Path) -> None:
    first = load_pack(broken)
    write_places(broken, [GOOD_ROW])
    second = load_pack(broken)
    assert second is not first
    assert [p.id for p in second.places] == ["t:a"]
    assert second.places[0].aliases == ("A1", "A2")
