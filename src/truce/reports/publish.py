"""The public release: the events anyone may see, as ACLED-style CSV and GeoJSON, for
researchers and journalists.

One-way by construction: the events are read as the public (`Principal.public()`, whoever
runs it), so a committee or party-restricted record cannot reach the release however the
store is filtered; the release carries no store keys that lead back to documents, and a
manifest records what was published, when, and each file's SHA-256.

Rows follow ACLED's column names where the meaning is the same (event_id_cnty, event_date,
year, time_precision, disorder_type, event_type, sub_event_type, actor1, inter1, actor2,
inter2, interaction, civilian_targeting, country, admin1, location, latitude, longitude,
geo_precision, source, notes, fatalities) and add truce's own (plover, modality,
source_url). Like ACLED, the CSV holds events that happened (modality "asserted") and carry
an ACLED event type; the GeoJSON holds the same events.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from truce.core.access import Principal
from truce.core.errors import ConfigError
from truce.core.vocab import Inter, Modality
from truce.store import EventQuery, Store, StoredEvent

CSV_NAME: Final = "events.csv"
GEOJSON_NAME: Final = "events.geojson"
MANIFEST_NAME: Final = "manifest.json"

ACLED_COLUMNS: Final = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "inter1",
    "actor2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
)
TRUCE_COLUMNS: Final = ("plover", "modality", "source_url")
COLUMNS: Final = (*ACLED_COLUMNS, *TRUCE_COLUMNS)

_DISORDER: Final = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Riots": "Political violence",
    "Protests": "Demonstrations",
    "Strategic developments": "Strategic developments",
}
#: riots and protests ACLED files under demonstrations, or under both
_DISORDER_BY_SUB_TYPE: Final = {
    "Violent demonstration": "Demonstrations",
    "Excessive force against protesters": "Political violence; Demonstrations",
}


@dataclass(frozen=True)
class Publication:
    """What `publish_public` wrote."""

    folder: Path
    events: int
    files: Mapping[str, str]  # name -> SHA-256
    generated_at: dt.datetime


def publish_public(
    store: Store,
    out: Path,
    *,
    country_names: Mapping[str, str] | None = None,
    now: dt.datetime | None = None,
) -> Publication:
    """Write the public release into the folder `out` (created, or replaced whole).

    `country_names` maps ISO 3166-1 alpha-2 codes to the names ACLED's `country` column
    holds (codes stay as they are where the map has no name). The folder is written beside
    `out` and then moved into place, so readers never see half a release.
    """
    generated_at = now or dt.datetime.now(dt.UTC)
    names = country_names or {}
    out = out.resolve()
    if out.exists() and not out.is_dir():
        raise ConfigError(f"cannot publish into {out}: it is a file, not a folder")
    if out.exists() and any(out.iterdir()) and not (out / MANIFEST_NAME).is_file():
        raise ConfigError(f"cannot publish into {out}: it holds files that are not a truce release")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        count = _write_release(store, staging, names)
        files = {name: _sha256(staging / name) for name in (CSV_NAME, GEOJSON_NAME)}
        manifest = {
            "format": "truce-public-release/1",
            "generated_at": generated_at.isoformat(),
            "events": count,
            "files": files,
            "selection": "events classified public, asserted, with an ACLED event type",
            "columns": list(COLUMNS),
            "attribution": "Places: GeoNames (geonames.org), CC BY 4.0.",
        }
        (staging / MANIFEST_NAME).write_text(
            json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        _replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Publication(out, count, files, generated_at)


def public_rows(store: Store, country_names: Mapping[str, str]) -> Iterator[dict[str, Any]]:
    """The release's rows, newest first: the events anyone may see, that happened, with an
    ACLED event type."""
    for event in store.iter_events(EventQuery(), viewer=Principal.public()):
        if event.modality is Modality.ASSERTED and event.event_type is not None:
            yield acled_row(event, country_names)


def acled_row(event: StoredEvent, country_names: Mapping[str, str]) -> dict[str, Any]:
    """One event as a row of `COLUMNS`."""
    assert event.event_type is not None
    disorder = _DISORDER_BY_SUB_TYPE.get(event.sub_event_type or "", _DISORDER[event.event_type])
    inters = [code for code in (event.inter1, event.inter2) if code is not None]
    return {
        "event_id_cnty": f"{event.country or 'XX'}-TRUCE-{event.id}",
        "event_date": event.event_date.isoformat() if event.event_date else None,
        "year": event.event_date.year if event.event_date else None,
        "time_precision": int(event.time_precision),
        "disorder_type": disorder,
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "actor1": event.actor1,
        "inter1": int(event.inter1) if event.inter1 is not None else None,
        "actor2": event.actor2,
        "inter2": int(event.inter2) if event.inter2 is not None else None,
        "interaction": _interaction(inters),
        "civilian_targeting": (
            "Civilian targeting"
            if event.event_type == "Violence against civilians" or event.inter2 == Inter.CIVILIANS
            else None
        ),
        "country": country_names.get(event.country or "", event.country),
        "admin1": event.admin1,
        "location": event.location,
        "latitude": event.latitude,
        "longitude": event.longitude,
        "geo_precision": int(event.geo_precision),
        "source": "; ".join(event.sources) or event.source,
        "notes": event.evidence.text,
        "fatalities": event.fatalities if event.fatalities is not None else 0,
        "plover": event.plover.value if event.plover else None,
        "modality": event.modality.value,
        "source_url": event.url,
    }


def _interaction(inters: Sequence[int]) -> int | None:
    """ACLED's numeric interaction code: both actor types, lower first (one alone: X0)."""
    if not inters:
        return None
    if len(inters) == 1:
        return inters[0] * 10
    low, high = sorted(inters)
    return low * 10 + high


def _write_release(store: Store, folder: Path, country_names: Mapping[str, str]) -> int:
    count = 0
    with (
        (folder / CSV_NAME).open("w", encoding="utf-8", newline="") as table,
        (folder / GEOJSON_NAME).open("w", encoding="utf-8") as geojson,
    ):
        writer = csv.DictWriter(table, fieldnames=COLUMNS, lineterminator="\r\n")
        writer.writeheader()
        geojson.write('{"type": "FeatureCollection", "features": [\n')
        for row in public_rows(store, country_names):
            writer.writerow(row)
            geometry = (
                {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]}
                if row["latitude"] is not None and row["longitude"] is not None
                else None
            )
            feature = {"type": "Feature", "geometry": geometry, "properties": row}
            geojson.write(("" if count == 0 else ",\n") + json.dumps(feature, ensure_ascii=False))
            count += 1
        geojson.write("\n]}\n")
    return count


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _replace(staging: Path, out: Path) -> None:
    """Move the new release into place; the old one (if any) goes only once it is there."""
    if not out.exists():
        os.replace(staging, out)
        return
    old = out.with_name(f".{out.name}-old-{os.getpid()}")
    os.replace(out, old)
    os.replace(staging, out)
    shutil.rmtree(old, ignore_errors=True)
