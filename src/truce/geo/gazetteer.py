"""The gazetteer: GeoNames places (and a theatre pack's extras) looked up by any spelling.

`Gazetteer.load()` reads the shipped file once per process; `with_extras(places)` returns a
gazetteer that also knows a pack's curated places, leaving the shared one untouched.
`lookup` and `search` rank the places a name may mean; `find_mentions` (in
`truce.geo.mentions`) finds place names in running text.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path
from typing import Final, NamedTuple

from truce.core.errors import NotFoundError
from truce.core.models import Place
from truce.core.vocab import GeoPrecision
from truce.geo import datafile
from truce.geo.datafile import GazetteerData, Record
from truce.geo.distance import distance_km
from truce.geo.mentions import PlaceMention, find_mentions
from truce.geo.names import fold, latin_phonetic, latin_skeleton, phonetic, skeleton

DEFAULT_PATH: Final = Path(__file__).parent / "data" / "gazetteer.tsv.gz"

# Ranking weights. A name's candidates are ordered by the sum of: how the name matched
# (exactly after folding, by sound, or only by consonant skeleton), what kind of feature it is
# (populated places and administrative units first, then regions, then sites and relief),
# how important it is (capitals, seats of government), its population, and hints from the
# caller (country, a point nearby), from the theatre (its countries, its curated places) or
# from the other places of the same text.
FOLDED_MATCH: Final = 1.0
# a skeleton match scores SKELETON_BASE + SKELETON_SIMILARITY * (how alike the names are,
# 0..1: SOUND_SHARE by sound, the rest by spelling), less SHADOW when it is no near twin
# (below TWIN) and some place has the name exactly ("Shama" is Chamaa, not Damascus' "Sham";
# "Hasbaya" is still the district seat Hâsbaïya); below MIN_SIMILARITY the skeletons met by
# chance
SKELETON_BASE: Final = 0.25
SKELETON_SIMILARITY: Final = 0.65
SOUND_SHARE: Final = 0.5
SHADOW: Final = 0.25
TWIN: Final = 0.9
MIN_SIMILARITY: Final = 0.6
MIN_SKELETON: Final = 2  # consonants a skeleton needs to match more than near twins
ONE_CONSONANT_SIMILARITY: Final = 0.85
MAX_LOOSE: Final = 25  # skeleton candidates weighed per name
#: an exact match on a place of these codes or this size ends the search for spellings
STRONG_CODES: Final = frozenset({"PCLI", "PPLC", "PPLA", "PPLA2", "ADM1"})
STRONG_POPULATION: Final = 10_000
CLASS_WEIGHT: Final = {"P": 0.35, "A": 0.15, "L": 0.12, "S": 0.08, "T": 0.06, "H": 0.06}
CODE_WEIGHT: Final = {
    "PCLI": 0.45, "PPLC": 0.25, "PPLA": 0.20, "ADM1": 0.15, "PPLA2": 0.12, "RGN": 0.10,
    "ADM2": 0.08, "PPLA3": 0.06, "PPLX": -0.05, "PPLQ": -0.10,
}  # fmt: skip
EXTRA_WEIGHT: Final = 0.25  # a pack's curated place beats GeoNames' entry for the same name
FOCUS_WEIGHT: Final = 0.10  # a place in one of the pack's countries
#: a place near one of the pack's curated places (the theatre the pack is about), scaled by
#: exp(-distance / FOCUS_KM): Blida by the Blue Line before Blida in Algeria
FOCUS_NEAR_WEIGHT: Final = 0.30
FOCUS_KM: Final = 15.0
NEAR_WEIGHT: Final = 0.40  # scaled by exp(-distance / NEAR_KM)
NEAR_KM: Final = 50.0
DUPLICATE_KM: Final = 2.0  # a lower-ranked candidate this close to a better one is the same
MAX_CANDIDATES: Final = 50

#: feature codes whose places are regions (geo precision 3: only the region is known)
REGION_CODES: Final = frozenset({"PCLI", "ADM1", "RGN", "RGNE", "STM", "MTS"})
#: feature classes of places that are a town or a point in one (geo precision 1)
TOWN_CLASSES: Final = frozenset({"P"})


def precision_for(feature_class: str, feature_code: str) -> GeoPrecision:
    """ACLED geo precision of an event placed at a feature of this kind."""
    if feature_code in REGION_CODES:
        return GeoPrecision.REGION
    if feature_class in TOWN_CLASSES:
        return GeoPrecision.TOWN
    return GeoPrecision.NEAR_OR_PART


class Ranked(NamedTuple):
    """One candidate row for a name: its score, how the name matched, how alike it was."""

    row: int
    score: float
    matched: str  # "folded", "skeleton", or "consonants" (an Arabic name to Latin ones)
    similarity: float  # 1.0 for folded matches


@dataclass(frozen=True, slots=True)
class ScoredPlace:
    """A candidate place for a name, with the score that ranked it."""

    place: Place
    score: float
    matched: str  # "folded", "skeleton" or "consonants"


@dataclass(frozen=True, slots=True)
class _Entry:
    """A place with what ranking needs that `Place` does not carry."""

    place: Place
    prior: float
    aliases: tuple[str, ...]
    extra: bool = False


#: words that say what kind of place follows or precedes a name ("Kibbutz Dan", "Qlayaa
#: village"); a look-up that finds nothing tries the name without them
_DESCRIPTOR: Final = re.compile(
    r"^(?:(?:kibbutz|moshav|village|town|city|camp|municipality)(?:\s+of)?\s+)?(.+?)"
    r"(?:\s+(?:village|town|city|camp|refugee\s+camp|municipality))?$",
    re.IGNORECASE,
)


def _similarity(folded: str, sound: str, key: str, names: Iterable[str]) -> float:
    """How alike the names are (0..1), over the names whose skeleton is `key`: mostly by
    sound (vowels reduced to a, i, u), partly by spelling; `folded` "" weighs sound only."""
    best = 0.0
    for name in names:
        other = fold(name)
        if skeleton(other) != key:
            continue
        by_sound = SequenceMatcher(None, sound, phonetic(other), autojunk=False).ratio()
        if not folded:
            best = max(best, by_sound)
            continue
        by_spelling = SequenceMatcher(None, folded, other, autojunk=False).ratio()
        best = max(best, SOUND_SHARE * by_sound + (1 - SOUND_SHARE) * by_spelling)
    return best


def _prior(
    feature_class: str, feature_code: str, population: int, name_count: int, extra: bool
) -> float:
    """What a place weighs before any name is compared: kind, rank, size, notability."""
    return (
        CLASS_WEIGHT.get(feature_class, 0.02)
        + CODE_WEIGHT.get(feature_code, 0.0)
        # a town's size says how likely it is meant; a province's population does not
        + (min(math.log10(population + 1) / 40, 0.15) if feature_class == "P" else 0.0)
        # places known under many names are the ones people write about
        + min(0.02 * math.log2(1 + name_count), 0.12)
        + (EXTRA_WEIGHT if extra else 0.0)
    )


def _entry_from_record(record: Record) -> _Entry:
    # the file is truce's own, written from validated records: no need to validate again
    place = Place.model_construct(
        id=record.id,
        name=record.name,
        country=record.country or None,
        admin1=record.admin1 or None,
        latitude=record.latitude,
        longitude=record.longitude,
        feature_code=record.feature_code or None,
        population=record.population,
        geo_precision=precision_for(record.feature_class, record.feature_code),
    )
    prior = _prior(
        record.feature_class,
        record.feature_code,
        record.population,
        record.name_count,
        extra=False,
    )
    return _Entry(place, prior, record.aliases)


#: GeoNames feature class of the codes a pack's places use (packs give codes, not classes)
_CLASS_OF_CODE: Final = {
    **dict.fromkeys(("RGN", "RGNE", "AREA", "LCTY", "PRT"), "L"),
    **dict.fromkeys(("MT", "MTS", "HLL", "HLLS", "PK", "PLN", "VAL", "PASS"), "T"),
    **dict.fromkeys(("STM", "WAD", "LK", "RSV"), "H"),
    **dict.fromkeys(("MILB", "CMP", "CMPRF", "AIRP", "HSP", "INSM", "BDG"), "S"),
}


def _class_of(place: Place) -> str:
    code = place.feature_code or ""
    if code.startswith("PPL"):
        return "P"
    if code.startswith(("ADM", "PCL")):
        return "A"
    if code in _CLASS_OF_CODE:
        return _CLASS_OF_CODE[code]
    return "P" if place.geo_precision == GeoPrecision.TOWN else "L"


def _entry_from_place(place: Place) -> _Entry:
    feature_class = _class_of(place)
    aliases: tuple[str, ...] = getattr(place, "aliases", ())
    prior = _prior(
        feature_class, place.feature_code or "", place.population, len(aliases), extra=True
    )
    return _Entry(place, prior, aliases, extra=True)


class Gazetteer:
    """Places by name; see the module docstring."""

    def __init__(
        self,
        data: GazetteerData,
        extras: Sequence[Place] = (),
        *,
        _base_entries: dict[int, _Entry] | None = None,
    ) -> None:
        self._data = data
        # parsed base places, shared by every gazetteer made from the same file
        self._base_entries: dict[int, _Entry] = {} if _base_entries is None else _base_entries
        self._extras = tuple(_entry_from_place(p) for p in extras)
        self._extra_folded: dict[str, list[int]] = {}
        self._extra_skeletons: dict[str, list[int]] = {}
        offset = len(data.places)
        for i, entry in enumerate(self._extras, start=offset):
            for name in (entry.place.name, *entry.aliases):
                folded = fold(name)
                for index, key in (
                    (self._extra_folded, folded),
                    (self._extra_skeletons, skeleton(folded)),
                ):
                    if key and i not in index.setdefault(key, []):
                        index[key].append(i)
        self._by_id: dict[str, int] | None = None
        self._name_heads: frozenset[str] | None = None
        self.focus_countries = frozenset(p.country for p in extras if p.country)
        # regions are too wide to say where the theatre is
        self._focus_points = tuple(
            (p.latitude, p.longitude) for p in extras if p.geo_precision != GeoPrecision.REGION
        )
        self._weights: dict[int, float] = {}
        self._ranked = lru_cache(maxsize=32768)(self._ranked_uncached)

    # -- construction ---------------------------------------------------------------------

    @classmethod
    def load(cls, path: Path | None = None) -> Gazetteer:
        """The shipped gazetteer (or the file at `path`), read once per process."""
        return _load(path or DEFAULT_PATH)

    def with_extras(self, places: Iterable[Place]) -> Gazetteer:
        """A gazetteer that also knows `places` (a pack's curated ones); this one is unchanged.

        Extras rank above GeoNames entries of the same name, and places in the extras'
        countries, more so those near an extra that is no region, rank above places elsewhere
        (the pack's theatre is the likely one: Blida by the Blue Line, not Blida in Algeria).
        Aliases are taken from an `aliases` attribute where the places have one.
        """
        return Gazetteer(
            self._data,
            (*(e.place for e in self._extras), *places),
            _base_entries=self._base_entries,
        )

    # -- access ---------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._data.places) + len(self._extras)

    def _entry(self, row: int) -> _Entry:
        offset = len(self._data.places)
        if row >= offset:
            return self._extras[row - offset]
        entry = self._base_entries.get(row)
        if entry is None:
            entry = _entry_from_record(Record.from_line(self._data.places[row]))
            self._base_entries[row] = entry
        return entry

    def country_names(self) -> dict[str, str]:
        """Country names by ISO 3166-1 alpha-2 code, from the GeoNames entries of
        independent countries (and, failing those, of dependencies and territories)."""
        names: dict[str, str] = {}
        rank = {"PCLI": 0, "PCLS": 1, "PCLD": 2, "PCLF": 3, "PCLIX": 4, "PCL": 5, "TERR": 6}
        best: dict[str, int] = {}
        for line in self._data.places:
            fields = line.split("\t", 5)
            if len(fields) < 5 or fields[3] not in rank or not fields[4]:
                continue
            code, country = rank[fields[3]], fields[4]
            if code < best.get(country, len(rank)):
                names[country], best[country] = fields[1], code
        return names

    def get(self, place_id: str) -> Place:
        """The place with this id ("geonames:276592", or a pack's own id)."""
        return self._entry(self._row_of(place_id)).place

    def aliases(self, place_id: str) -> tuple[str, ...]:
        """Other names of the place with this id."""
        return self._entry(self._row_of(place_id)).aliases

    def _row_of(self, place_id: str) -> int:
        if self._by_id is None:
            by_id = {line.split("\t", 1)[0]: row for row, line in enumerate(self._data.places)}
            offset = len(self._data.places)
            by_id.update({e.place.id: offset + i for i, e in enumerate(self._extras)})
            self._by_id = by_id
        row = self._by_id.get(place_id)
        if row is None:
            raise NotFoundError(f"no place with id {place_id!r} in the gazetteer")
        return row

    # -- look-up --------------------------------------------------------------------------

    def rows_for(self, folded: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """Rows whose names fold to `folded`, and rows that match it only by skeleton."""
        exact = self._rows(self._data.folded, self._extra_folded, folded)
        loose = self._rows(self._data.skeletons, self._extra_skeletons, skeleton(folded))
        exact_set = set(exact)
        return exact, tuple(r for r in loose if r not in exact_set)

    @staticmethod
    def _rows(base: dict[str, str], extra: dict[str, list[int]], key: str) -> tuple[int, ...]:
        if not key:
            return ()
        text = base.get(key)
        rows = tuple(int(r) for r in text.split(",")) if text else ()
        return rows + tuple(extra.get(key, ()))

    def _ranked_uncached(
        self, folded: str, loose_too: bool, cross_script: bool
    ) -> tuple[Ranked, ...]:
        """Candidates for a folded name, best first, without caller hints.

        Skeleton (loose) candidates are weighed only when `loose_too` and no exact candidate
        is a strong one (a curated place, a capital or seat, a sizeable town): "Hasbaya"
        spelled as a hamlet's name still finds the district seat, "Tyre" needs no search.
        An Arabic-script name nothing else matched is tried against Latin names by its
        consonants and vowel letters when `cross_script` (عرسال: Arsal).
        """
        exact, loose = self.rows_for(folded)
        out = [Ranked(row, FOLDED_MATCH + self._weight(row), "folded", 1.0) for row in exact]
        key = skeleton(folded)
        if not loose_too or not key or any(self._strong(r) for r in exact):
            loose = ()
        # a one-consonant skeleton ("Jiyyeh") meets too much: only near twins count
        least = MIN_SIMILARITY if len(key) >= MIN_SKELETON else ONE_CONSONANT_SIMILARITY
        if loose:
            sound = phonetic(folded)
            shadow = SHADOW if exact else 0.0
            # the weightiest places first; spelling similarity is the costly part
            for row in sorted(loose, key=self._weight, reverse=True)[:MAX_LOOSE]:
                entry = self._entry(row)
                names = (entry.place.name, *entry.aliases)
                similarity = _similarity(folded, sound, key, names)
                if similarity < least:
                    continue
                match = SKELETON_BASE + SKELETON_SIMILARITY * similarity
                if similarity < TWIN:
                    match -= shadow
                out.append(Ranked(row, match + self._weight(row), "skeleton", similarity))
        if not out and loose_too and cross_script:
            latin = latin_skeleton(folded)
            if len(latin) >= MIN_SKELETON:
                sound = latin_phonetic(folded)
                rows = self._rows(self._data.skeletons, self._extra_skeletons, latin)
                for row in sorted(rows, key=self._weight, reverse=True)[:MAX_LOOSE]:
                    entry = self._entry(row)
                    names = (entry.place.name, *entry.aliases)
                    similarity = _similarity("", sound, latin, names)
                    if similarity < MIN_SIMILARITY:
                        continue
                    score = SKELETON_BASE + SKELETON_SIMILARITY * similarity + self._weight(row)
                    out.append(Ranked(row, score, "consonants", similarity))
        out.sort(key=lambda item: (-item.score, item.row))
        return tuple(self._drop_duplicates(out)[:MAX_CANDIDATES])

    def notable(self, row: int) -> bool:
        """A curated place, a country, capital, seat or province: worth a match on its own."""
        entry = self._entry(row)
        return entry.extra or entry.place.feature_code in STRONG_CODES

    def in_theatre(self, row: int) -> bool:
        """A curated place, or a place in one of the extras' countries."""
        entry = self._entry(row)
        return entry.extra or entry.place.country in self.focus_countries

    def _strong(self, row: int) -> bool:
        entry = self._entry(row)
        return (
            entry.extra
            or entry.place.feature_code in STRONG_CODES
            or entry.place.population >= STRONG_POPULATION
        )

    def _weight(self, row: int) -> float:
        weight = self._weights.get(row)
        if weight is None:
            entry = self._entry(row)
            place = entry.place
            weight = entry.prior + (FOCUS_WEIGHT if place.country in self.focus_countries else 0)
            if self._focus_points:
                nearest = min(
                    distance_km(lat, lon, place.latitude, place.longitude)
                    for lat, lon in self._focus_points
                )
                weight += FOCUS_NEAR_WEIGHT * math.exp(-nearest / FOCUS_KM)
            self._weights[row] = weight
        return weight

    def scored(
        self,
        folded: str,
        *,
        country: str | None = None,
        near: tuple[float, float] | None = None,
        loose: bool = True,
        cross_script: bool = True,
    ) -> list[Ranked]:
        """Candidates for a folded key, best first; `country` filters, `near` re-ranks.

        `loose=False` leaves out places that match only by consonant skeleton;
        `cross_script=False` keeps Arabic-script names to names in Arabic script.
        """
        ranked: Iterable[Ranked] = self._ranked(folded, loose, cross_script)
        if country is not None:
            wanted = country.upper()
            ranked = (item for item in ranked if self._entry(item.row).place.country == wanted)
        if near is None:
            return list(ranked)
        adjusted = []
        for item in ranked:
            place = self._entry(item.row).place
            km = distance_km(near[0], near[1], place.latitude, place.longitude)
            adjusted.append(item._replace(score=item.score + NEAR_WEIGHT * math.exp(-km / NEAR_KM)))
        adjusted.sort(key=lambda item: (-item.score, item.row))
        return adjusted

    def _drop_duplicates(self, ranked: list[Ranked]) -> list[Ranked]:
        kept: list[Ranked] = []
        for item in ranked:
            place = self._entry(item.row).place
            if any(
                distance_km(place.latitude, place.longitude, k.latitude, k.longitude) < DUPLICATE_KM
                for k in (self._entry(other.row).place for other in kept)
            ):
                continue
            kept.append(item)
        return kept

    def search(
        self,
        name: str,
        *,
        country: str | None = None,
        near: tuple[float, float] | None = None,
        limit: int = 10,
    ) -> list[ScoredPlace]:
        """Places `name` may mean, best first, with scores; `country` filters, `near` ranks."""
        ranked = self._scored_name(name, country, near)[:limit]
        return [ScoredPlace(self.place(r.row), round(r.score, 4), r.matched) for r in ranked]

    def lookup(self, name: str, country: str | None = None) -> list[Place]:
        """Places `name` may mean, best first (only those in `country` when it is given)."""
        return [self.place(item.row) for item in self._scored_name(name, country, None)]

    def _scored_name(
        self, name: str, country: str | None, near: tuple[float, float] | None
    ) -> list[Ranked]:
        ranked = self.scored(fold(name), country=country, near=near)
        if ranked or len(name) > 200:
            return ranked
        # "Kibbutz Dan", "Qlayaa village": the name without the word for its kind
        bare = _DESCRIPTOR.fullmatch(name.strip())
        if bare is None or bare.group(1) == name.strip():
            return ranked
        return self.scored(fold(bare.group(1)), country=country, near=near)

    def find_mentions(self, text: str) -> list[PlaceMention]:
        """Place names in `text`: non-overlapping, longest first, with ranked candidates."""
        return find_mentions(self, text)

    def place(self, row: int) -> Place:
        return self._entry(row).place

    def is_weak(self, folded: str) -> bool:
        """Whether the key is also a common English word ("Line", "Nice")."""
        return folded in self._data.weak

    def is_blocked(self, folded: str) -> bool:
        """Whether the word is English and must not match a place by skeleton."""
        return folded in self._data.blocked

    def starts_a_name(self, folded: str) -> bool:
        """Whether some multi-word name's folded key begins with these folded words and goes
        on ("southern", "southern suburbs" for "southern suburbs of beirut")."""
        if self._name_heads is None:
            heads: set[str] = set()
            for key in itertools.chain(self._data.folded, self._extra_folded):
                words = key.split(" ")
                heads.update(" ".join(words[:n]) for n in range(1, len(words)))
            self._name_heads = frozenset(heads)
        return folded in self._name_heads

    def has_key(self, folded: str) -> bool:
        return folded in self._data.folded or folded in self._extra_folded


@lru_cache(maxsize=4)
def _load(path: Path) -> Gazetteer:
    return Gazetteer(datafile.read(path))
