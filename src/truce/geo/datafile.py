"""The gazetteer file: a gzipped, line-oriented text file built once and read fast.

Layout (UTF-8, tab-separated, one record per line)::

    #truce-gazetteer <format> <key_version> <places> <folded> <skeletons> <weak> <blocked>
    <places lines>     id name class code country admin1 lat lon population names aliases(|)
    <folded lines>     folded-key  row,row,...     (rows index the places lines)
    <skeleton lines>   skeleton    row,row,...
    <weak lines>       folded keys that are also common English words
    <blocked lines>    English words whose skeleton meets a place's but that are no place

Keys are computed at build time by `truce.geo.names`, so loading is splitting lines and
filling two dicts; place lines stay text until a look-up needs them.
"""

from __future__ import annotations

import gzip
import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from truce.core.errors import FormatError
from truce.geo.names import KEY_VERSION, keys

MAGIC: Final = "#truce-gazetteer"
FORMAT_VERSION: Final = 2
ALIAS_SEPARATOR: Final = "|"


@dataclass(frozen=True, slots=True)
class Record:
    """One place as the file holds it."""

    id: str
    name: str
    feature_class: str
    feature_code: str
    country: str
    admin1: str
    latitude: float
    longitude: float
    population: int
    aliases: tuple[str, ...] = ()
    #: how many names GeoNames knows for the place (before de-duplication): a notability cue
    name_count: int = 0

    def to_line(self) -> str:
        fields = (
            self.id,
            self.name,
            self.feature_class,
            self.feature_code,
            self.country,
            self.admin1,
            f"{self.latitude:.5f}",
            f"{self.longitude:.5f}",
            str(self.population),
            str(self.name_count),
            ALIAS_SEPARATOR.join(self.aliases),
        )
        for field in fields:
            if "\t" in field or "\n" in field:
                raise FormatError(f"tab or newline inside a field of place {self.id}: {field!r}")
        return "\t".join(fields)

    @classmethod
    def from_line(cls, line: str) -> Record:
        f = line.split("\t")
        return cls(
            id=f[0],
            name=f[1],
            feature_class=f[2],
            feature_code=f[3],
            country=f[4],
            admin1=f[5],
            latitude=float(f[6]),
            longitude=float(f[7]),
            population=int(f[8]),
            name_count=int(f[9]),
            aliases=tuple(f[10].split(ALIAS_SEPARATOR)) if f[10] else (),
        )

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True, slots=True)
class GazetteerData:
    """What a loaded file holds: raw place lines and the two key indexes (rows as text)."""

    places: list[str]
    folded: dict[str, str]
    skeletons: dict[str, str]
    weak: frozenset[str]
    blocked: frozenset[str]


def index_names(
    records: Iterable[Record], skeleton_countries: frozenset[str] | None = None
) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """Folded-key and skeleton indexes of the records' names and aliases, by position.

    Only places in `skeleton_countries` (all when None) enter the skeleton index: loose
    matching is for the theatre's transliterated names, not for the world's cities, whose
    GeoNames entries list their spellings already.
    """
    folded: defaultdict[str, list[int]] = defaultdict(list)
    skeletons: defaultdict[str, list[int]] = defaultdict(list)
    for row, record in enumerate(records):
        loose = record.feature_code != "PCLI" and (
            skeleton_countries is None or record.country in skeleton_countries
        )
        for name in record.names():
            fold_key, skeleton_key = keys(name)
            if fold_key and (not folded[fold_key] or folded[fold_key][-1] != row):
                folded[fold_key].append(row)
            if not loose or not skeleton_key:
                continue
            if not skeletons[skeleton_key] or skeletons[skeleton_key][-1] != row:
                skeletons[skeleton_key].append(row)
    return dict(folded), dict(skeletons)


def write(
    path: Path,
    records: list[Record],
    *,
    weak: Iterable[str] = (),
    blocked: Iterable[str] = (),
    skeleton_countries: frozenset[str] | None = None,
) -> None:
    """Write the records and their indexes; byte-identical for identical input."""
    folded, skeletons = index_names(records, skeleton_countries)
    weak_keys = sorted(set(weak))
    blocked_words = sorted(set(blocked))
    lines = [
        "\t".join(
            str(n)
            for n in (
                FORMAT_VERSION,
                KEY_VERSION,
                len(records),
                len(folded),
                len(skeletons),
                len(weak_keys),
                len(blocked_words),
            )
        ),
    ]
    lines[0] = f"{MAGIC}\t{lines[0]}"
    lines.extend(record.to_line() for record in records)
    for index in (folded, skeletons):
        lines.extend(f"{key}\t{','.join(map(str, rows))}" for key, rows in sorted(index.items()))
    lines.extend(weak_keys)
    lines.extend(blocked_words)
    payload = ("\n".join(lines) + "\n").encode("utf-8")
    # mtime=0 keeps the gzip header, and so the committed file, reproducible
    path.write_bytes(gzip.compress(payload, compresslevel=9, mtime=0))


def read(path: Path) -> GazetteerData:
    """Load a gazetteer file; a wrong or stale file raises FormatError naming it."""
    try:
        text = gzip.decompress(path.read_bytes()).decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError) as error:
        raise FormatError(f"cannot read the gazetteer: {error}", source=str(path)) from error
    lines = text.split("\n")
    header = lines[0].split("\t")
    if len(header) != 8 or header[0] != MAGIC:
        raise FormatError("not a truce gazetteer file", source=str(path), line=1)
    format_version, key_version, *counts = (int(n) for n in header[1:])
    if format_version != FORMAT_VERSION or key_version != KEY_VERSION:
        raise FormatError(
            f"gazetteer format {format_version}/keys {key_version}, this truce needs "
            f"{FORMAT_VERSION}/{KEY_VERSION}: rebuild it with scripts/build_gazetteer.py",
            source=str(path),
            line=1,
        )
    n_places, n_folded, n_skeletons, n_weak, n_blocked = counts
    bounds = [1]
    for count in (n_places, n_folded, n_skeletons, n_weak, n_blocked):
        bounds.append(bounds[-1] + count)
    if len(lines) != bounds[-1] + 1:
        raise FormatError(f"expected {bounds[-1]} lines, found {len(lines) - 1}", source=str(path))
    places, folded, skeletons, weak, blocked = (
        lines[start:end] for start, end in itertools.pairwise(bounds)
    )
    return GazetteerData(
        places=places,
        folded=dict(line.split("\t", 1) for line in folded),
        skeletons=dict(line.split("\t", 1) for line in skeletons),
        weak=frozenset(weak),
        blocked=frozenset(blocked),
    )
