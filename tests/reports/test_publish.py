"""The public release: only what anyone may see goes out, in ACLED's columns."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from builders import ISRAEL, SYSTEM, event, write
from truce.cli.main import app
from truce.core.access import Classification
from truce.core.errors import ConfigError
from truce.core.models import Document, Event
from truce.reports.publish import (
    ACLED_COLUMNS,
    COLUMNS,
    CSV_NAME,
    GEOJSON_NAME,
    MANIFEST_NAME,
    publish_public,
)
from truce.store import Store

#: (classification, owner party) of each document, and a word only its event carries
LEVELS = {
    "Publicmarker": (Classification.PUBLIC, None),
    "Committeemarker": (Classification.COMMITTEE, None),
    "Israelmarker": (Classification.RESTRICTED, "israel"),
    "Lebanonmarker": (Classification.RESTRICTED, "lebanon"),
}


def strike(marker: str) -> tuple[Document, list[Event]]:
    sentence = f"An Israeli drone struck a car in Bint Jbeil, killing two people ({marker})."
    threat = f"Israel threatened to strike Beirut ({marker})."
    document = Document(id=f"doc-{marker}", text=f"{sentence} {threat}", url=f"https://x/{marker}")
    return document, [
        event(
            document,
            sentence,
            event_type="Explosions/Remote violence",
            sub_event_type="Air/drone strike",
            plover="ASSAULT",
            event_date=dt.date(2025, 3, 4),
            actor1=ISRAEL,
            inter1=8,
            inter2=7,
            location="Bint Jbeil",
            admin1="Nabatieh",
            country="LB",
            latitude=33.12,
            longitude=35.43,
            fatalities=2,
            sources=("Lebanon's health ministry",),
        ),
        # not an event ACLED would code: a threat, with no ACLED type
        event(document, threat, plover="THREATEN", modality="threatened", country="LB"),
    ]


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as opened:
        for marker, (level, party) in LEVELS.items():
            document, events = strike(marker)
            write(opened, {document: events}, classification=level, owner_party=party)
        yield opened


def test_only_public_asserted_events_go_out(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "release"
    publication = publish_public(store, out, country_names={"LB": "Lebanon"})
    assert publication.events == 1
    released = "".join(path.read_text(encoding="utf-8") for path in sorted(out.iterdir()))
    assert "Publicmarker" in released
    for marker in ("Committeemarker", "Israelmarker", "Lebanonmarker"):
        assert marker not in released
    assert "threatened" not in released

    with (out / CSV_NAME).open(encoding="utf-8", newline="") as table:
        (row,) = list(csv.DictReader(table))
    assert tuple(row) == COLUMNS
    assert ACLED_COLUMNS[0] == "event_id_cnty"
    assert row["disorder_type"] == "Political violence"
    assert row["interaction"] == "78"
    assert row["civilian_targeting"] == "Civilian targeting"
    assert row["country"] == "Lebanon"
    assert row["fatalities"] == "2"
    assert row["year"] == "2025"
    assert row["source"] == "Lebanon's health ministry"
    assert row["source_url"] == "https://x/Publicmarker"

    collection = json.loads((out / GEOJSON_NAME).read_text(encoding="utf-8"))
    (feature,) = collection["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [35.43, 33.12]}
    assert feature["properties"]["event_id_cnty"] == row["event_id_cnty"]


def test_manifest_hashes_the_files(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "release"
    now = dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC)
    publish_public(store, out, now=now)
    manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert manifest["generated_at"] == now.isoformat()
    assert manifest["events"] == 1
    for name, digest in manifest["files"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest


def test_republishing_replaces_the_release(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "out" / "release"
    publish_public(store, out)
    with store.transaction(by=SYSTEM) as batch:
        batch.set_classification("document", 2, Classification.PUBLIC)  # Committeemarker
    again = publish_public(store, out)
    assert again.events == 2
    assert "Committeemarker" in (out / CSV_NAME).read_text(encoding="utf-8")
    assert [path.name for path in out.parent.iterdir()] == ["release"]  # no leftovers


def test_refuses_a_folder_that_is_not_a_release(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(ConfigError, match="not a truce release"):
        publish_public(store, out)
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_publish_command(store_url: str, tmp_path: Path) -> None:
    with Store.open(store_url) as opened:
        document, events = strike("Publicmarker")
        write(opened, {document: events})
    out = tmp_path / "release"
    result = CliRunner().invoke(app, ["publish", "--out", str(out), "--db", store_url])
    assert result.exit_code == 0, result.output
    assert "published 1 public events" in result.output
    assert "Lebanon" in (out / CSV_NAME).read_text(encoding="utf-8")
