"""Theatre packs: the actors, places, zones and agreement of one mechanism.

A pack is a folder::

    actors.yaml     parties (the sides the agreement knows) and actors with ACLED names,
                    inter codes, party and aliases
    places.csv      optional: curated places the gazetteer lacks or names badly, with aliases
    README.md       what the pack holds, every source and its licence
    zones.geojson   named areas (see truce.theatre.zones)
    agreement.yaml  the agreement's clauses and a plan's phases (see truce.theatre.agreement)

`load_pack()` finds a pack by name (entry-point group `truce.theatres`) or path, validates
every file and raises `TheatreError` naming the file, the line and what is wrong.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib.metadata import entry_points
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, Final

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from truce.core.errors import InputError, TheatreError
from truce.core.models import Actor, Place
from truce.core.vocab import GeoPrecision, Inter
from truce.theatre.agreement import Agreement, load_agreement
from truce.theatre.yamlfile import YamlLines, describe, where
from truce.theatre.zones import PackZone, load_zones

DEFAULT_PACK: Final = "israel-lebanon"
ENTRY_POINT_GROUP: Final = "truce.theatres"
ACTORS_FILE: Final = "actors.yaml"
PLACES_FILE: Final = "places.csv"
README_FILE: Final = "README.md"
ZONES_FILE: Final = "zones.geojson"
AGREEMENT_FILE: Final = "agreement.yaml"
PLACE_COLUMNS: Final = (
    "id", "name", "country", "admin1", "latitude", "longitude", "feature_code",
    "population", "geo_precision", "aliases", "approximate", "source",
)  # fmt: skip
ALIAS_SEPARATOR: Final = "|"
_DEFAULTED: Final = frozenset({"population", "geo_precision", "approximate"})  # blank = default


class PackPlace(Place):
    """A pack's curated place: a gazetteer `Place` plus its aliases and provenance."""

    aliases: tuple[str, ...] = ()
    approximate: bool = False  # coordinates known only roughly (e.g. a hilltop position)
    source: str = ""


# -- file schemas ---------------------------------------------------------------------------

NonEmpty = Annotated[str, Field(min_length=1)]


class _ActorSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: NonEmpty
    inter: Inter
    party: str | None = None
    aliases: list[NonEmpty] = []
    parent: str | None = None


class _ActorsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    parties: dict[NonEmpty, NonEmpty] = {}
    actors: list[_ActorSpec] = Field(min_length=1)


class _PlaceRow(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: NonEmpty
    name: NonEmpty
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    admin1: str | None = None
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    feature_code: str | None = None
    population: int = Field(default=0, ge=0)
    geo_precision: GeoPrecision = GeoPrecision.TOWN
    aliases: list[str] = []
    approximate: bool = False
    source: NonEmpty

    @field_validator("country", "admin1", "feature_code", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return None if value == "" else value

    @model_validator(mode="before")
    @classmethod
    def _blank_is_default(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if not (k in _DEFAULTED and v == "")}
        return data

    @field_validator("aliases", mode="before")
    @classmethod
    def _split_aliases(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [a.strip() for a in value.split(ALIAS_SEPARATOR) if a.strip()]
        return value


# -- the pack -------------------------------------------------------------------------------


def alias_key(text: str) -> str:
    """How actor aliases compare: case, diacritics, apostrophe styles and spacing ignored."""
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    text = re.sub(r"['’‘`ʼ]", "'", text)
    return " ".join(re.sub(r"[\s\-‐–]+", " ", text).split())


@dataclass(frozen=True)
class TheatrePack:
    """A loaded, validated theatre pack."""

    name: str
    path: Path
    actors: tuple[Actor, ...]
    places: tuple[PackPlace, ...]
    parties: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    zones: tuple[PackZone, ...] = field(kw_only=True)
    agreement: Agreement = field(kw_only=True)
    _by_alias: Mapping[str, Actor] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_alias: dict[str, Actor] = {}
        for actor in self.actors:
            for text in (actor.name, *actor.aliases):
                by_alias.setdefault(alias_key(text), actor)
        object.__setattr__(self, "_by_alias", MappingProxyType(by_alias))

    @property
    def zones_path(self) -> Path:
        return self.path / ZONES_FILE

    @property
    def agreement_path(self) -> Path:
        return self.path / AGREEMENT_FILE

    def party(self, party_id: str) -> str:
        """`party_id` checked against the pack's parties; InputError naming them if unknown."""
        if party_id not in self.parties:
            known = ", ".join(self.parties) or "none"
            raise InputError(
                f"unknown party {party_id!r}; theatre pack {self.name!r} knows: {known}",
                source="party",
            )
        return party_id

    def zone(self, zone_id: str) -> PackZone:
        """The zone with this id; TheatreError when the pack has none."""
        for zone in self.zones:
            if zone.id == zone_id:
                return zone
        raise TheatreError(f"theatre pack {self.name!r} has no zone {zone_id!r}")

    def zone_features(self) -> list[dict[str, Any]]:
        """The zones as GeoJSON Features, for `truce.geo.zones.ZoneIndex.from_features`."""
        return [zone.to_geojson() for zone in self.zones]

    def actor_for(self, alias: str) -> Actor | None:
        """The actor an alias (or canonical name) names, ignoring case and diacritics."""
        return self._by_alias.get(alias_key(alias))

    def actor(self, name: str) -> Actor:
        """The actor with this canonical name; TheatreError when the pack has none."""
        for actor in self.actors:
            if actor.name == name:
                return actor
        raise TheatreError(f"theatre pack {self.name!r} has no actor named {name!r}")

    def actor_aliases(self) -> tuple[tuple[str, Actor], ...]:
        """Every (surface form, actor) to look for in text: names and aliases, longest first."""
        pairs = [(text, actor) for actor in self.actors for text in (actor.name, *actor.aliases)]
        return tuple(sorted(pairs, key=lambda pair: (-len(pair[0]), pair[0])))


def _load_actors(path: Path) -> tuple[tuple[Actor, ...], Mapping[str, str]]:
    if not path.is_file():
        raise TheatreError(f"{path}: missing (every theatre pack needs {ACTORS_FILE})")
    document = YamlLines(path)
    try:
        spec = _ActorsFile.model_validate(document.value)
    except ValidationError as error:
        first = error.errors()[0]
        line = document.line_of(first["loc"])
        raise TheatreError(f"{where(path, line)}: {describe(dict(first))}") from None
    actors = []
    by_alias: dict[str, Actor] = {}
    owner_line: dict[str, int | None] = {}
    for index, item in enumerate(spec.actors):
        line = document.line_of(("actors", index))
        if item.party is not None and item.party not in spec.parties:
            declared = ", ".join(spec.parties) or "none"
            raise TheatreError(
                f"{where(path, document.line_of(('actors', index, 'party')))}: party "
                f"{item.party!r} of {item.name!r} is not declared under parties ({declared})"
            )
        actor = Actor(
            name=item.name,
            inter=item.inter,
            party=item.party,
            aliases=tuple(item.aliases),
            parent=item.parent,
        )
        for text in (actor.name, *actor.aliases):
            key = alias_key(text)
            other = by_alias.get(key)
            if other is not None and other.name != actor.name:
                raise TheatreError(
                    f"{where(path, line)}: alias {text!r} of {actor.name!r} is already an "
                    f"alias of {other.name!r} (line {owner_line[key]})"
                )
            if other is not None and text == actor.name:
                raise TheatreError(f"{where(path, line)}: actor {actor.name!r} appears twice")
            by_alias[key] = actor
            owner_line[key] = line
        actors.append(actor)
    names = {a.name for a in actors}
    for index, actor in enumerate(actors):
        if actor.parent is not None and actor.parent not in names:
            line = document.line_of(("actors", index, "parent"))
            raise TheatreError(f"{where(path, line)}: parent {actor.parent!r} is no actor")
    return tuple(actors), MappingProxyType(dict(spec.parties))


def _load_places(path: Path) -> tuple[PackPlace, ...]:
    if not path.is_file():
        return ()
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as error:
        raise TheatreError(f"{path}: cannot read: {error}") from error
    places = []
    seen: dict[str, int] = {}
    with handle:
        reader = csv.DictReader(handle)
        try:
            header = reader.fieldnames or []
            missing = [c for c in PLACE_COLUMNS if c not in header]
            unknown = [c for c in header if c not in PLACE_COLUMNS]
            problems = [f"missing columns {', '.join(missing)}"] if missing else []
            problems += [f"unknown columns {', '.join(unknown)}"] if unknown else []
            if problems:
                raise TheatreError(f"{where(path, 1)}: {'; '.join(problems)}")
            for row in reader:
                line = reader.line_num
                if None in row or any(v is None for v in row.values()):
                    raise TheatreError(f"{where(path, line)}: expected {len(PLACE_COLUMNS)} fields")
                try:
                    item = _PlaceRow.model_validate({k: v.strip() for k, v in row.items()})
                except ValidationError as error:
                    first = error.errors()[0]
                    raise TheatreError(f"{where(path, line)}: {describe(dict(first))}") from None
                if item.id in seen:
                    raise TheatreError(
                        f"{where(path, line)}: id {item.id!r} already used on line {seen[item.id]}"
                    )
                seen[item.id] = line
                places.append(PackPlace(**item.model_dump()))
        except csv.Error as error:
            raise TheatreError(f"{where(path, reader.line_num)}: {error}") from error
        except UnicodeDecodeError as error:
            raise TheatreError(f"{path}: not UTF-8: {error}") from error
    return tuple(places)


def _read_pack(path: Path, name: str) -> TheatrePack:
    if not path.is_dir():
        raise TheatreError(f"{path}: theatre pack folder not found")
    if not (path / README_FILE).is_file():
        raise TheatreError(f"{path / README_FILE}: missing (a pack names its sources there)")
    actors, parties = _load_actors(path / ACTORS_FILE)
    places = _load_places(path / PLACES_FILE)
    zones = load_zones(path / ZONES_FILE)
    agreement = load_agreement(
        path / AGREEMENT_FILE, parties=parties, zones=(zone.id for zone in zones)
    )
    return TheatrePack(
        name=name,
        path=path,
        actors=actors,
        places=places,
        parties=parties,
        zones=zones,
        agreement=agreement,
    )


@lru_cache(maxsize=16)
def _cached_pack(path: Path, name: str, stamp: tuple[tuple[int, int], ...]) -> TheatrePack:
    return _read_pack(path, name)


def _stamp(path: Path) -> tuple[tuple[int, int], ...]:
    """Modification time and size of the pack's files, so an edited pack is read again."""
    stamps = []
    for name in (ACTORS_FILE, PLACES_FILE, README_FILE, ZONES_FILE, AGREEMENT_FILE):
        try:
            info = (path / name).stat()
            stamps.append((info.st_mtime_ns, info.st_size))
        except OSError:
            stamps.append((-1, -1))
    return tuple(stamps)


def available_packs() -> dict[str, str]:
    """Installed packs: entry-point name -> the object it points at."""
    return {ep.name: ep.value for ep in entry_points(group=ENTRY_POINT_GROUP)}


@cache  # reading the installed distributions' entry points takes milliseconds, every time
def _path_from_entry_point(name: str) -> Path:
    """The folder of the pack installed under `name` (found once per process; a name not
    found is looked for again next time)."""
    matches = entry_points(group=ENTRY_POINT_GROUP, name=name)
    if not matches:
        known = ", ".join(sorted(available_packs())) or "none installed"
        raise TheatreError(f"no theatre pack named {name!r} (known: {known})")
    (entry,) = tuple(matches)[:1]
    try:
        target: Any = entry.load()
        value = target() if callable(target) else target
    except Exception as error:  # a third-party pack's broken entry point
        raise TheatreError(
            f"theatre pack {name!r}: entry point {entry.value} failed: {error}"
        ) from error
    return Path(str(value))


def load_pack(name_or_path: str | Path | None = None) -> TheatrePack:
    """The theatre pack named (via the `truce.theatres` entry points) or at a folder.

    `None` is the default pack, `israel-lebanon`. A `Path`, or a string that names an
    existing folder or contains a path separator, is read as a folder.
    """
    if name_or_path is None:
        name_or_path = DEFAULT_PACK
    if isinstance(name_or_path, Path) or "/" in name_or_path or Path(name_or_path).is_dir():
        path = Path(name_or_path).expanduser().resolve()
        name = path.name.replace("_", "-")
    else:
        name = name_or_path
        path = _path_from_entry_point(name).resolve()
    if not path.is_dir():
        raise TheatreError(f"{path}: theatre pack folder not found")
    return _cached_pack(path, name, _stamp(path))
