"""Exports of stored events: JSON, GeoJSON and CSV, from a real store on both backends."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator

import pytest
from shapely.geometry import shape

from builders import ISRAEL, SYSTEM, event, write
from truce.core.models import Document, Event
from truce.reports import (
    CONTRACT_FIELDS,
    CSV_FIELDS,
    ExportFormat,
    ExportPage,
    export_events,
    next_offset,
    render_page,
)
from truce.store import EventPage, EventQuery, Store

# Quotes, commas, a line break, Arabic and an HTML-looking fragment: all must survive CSV.
SHELLS = 'Residents of Aitaroun said "two shells, maybe three" fell near the school.'
ARABIC = "قصف مدفعي إسرائيلي على أطراف عيتا الشعب."
STATEMENT = "A statement <b>condemned</b> the strike on 5 December 2024."
TEXT = f"{SHELLS}\n{ARABIC} {STATEMENT}"


def events_for(document: Document) -> list[Event]:
    return [
        event(
            document,
            SHELLS,
            event_type="Explosions/Remote violence",
            sub_event_type="Shelling/artillery/missile attack",
            plover="ASSAULT",
            event_date=dt.date(2024, 12, 4),
            time_precision=2,
            actor1=ISRAEL,
            inter1=8,
            location="Aitaroun",
            admin1="Nabatieh",
            country="LB",
            latitude=33.1167,
            longitude=35.4667,
            fatalities=0,
            sources=("residents", "Al-Manar, citing locals"),
            confidence=0.75,
        ),
        event(
            document,
            ARABIC,
            event_type="Explosions/Remote violence",
            sub_event_type="Shelling/artillery/missile attack",
            plover="ASSAULT",
            event_date=dt.date(2024, 12, 5),
            location="Aita al-Shaab",
            country="LB",
            latitude=33.0969,
            longitude=35.3358,
            notes="added by a newer contract",  # an extra field, as the contract allows
        ),
        event(document, STATEMENT, plover="ACCUSE", event_date=dt.date(2024, 12, 5), country="LB"),
    ]


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    document = Document(id="aitaroun-1", text=TEXT, published=dt.date(2024, 12, 5))
    with Store.open(store_url) as opened:
        write(opened, {document: events_for(document)})
        yield opened


@pytest.fixture
def page(store: Store) -> EventPage:
    found = store.query_events(EventQuery(), viewer=SYSTEM)
    assert found.total == 3
    return found


def test_json_items_are_the_contract_objects_plus_ids(page: EventPage) -> None:
    exported = ExportPage.model_validate_json(render_page(page, ExportFormat.JSON))
    assert (exported.total, exported.limit, exported.offset, exported.next) == (3, 100, 0, None)
    raw = json.loads(render_page(page, ExportFormat.JSON))
    for item, stored in zip(raw["items"], page.items, strict=True):
        contract = stored.to_contract()
        assert {name: item[name] for name in contract} == contract
        assert item["id"] == stored.id
        assert item["document_pk"] == stored.document_pk
    noted = [item for item in raw["items"] if "notes" in item]
    assert [item["notes"] for item in noted] == ["added by a newer contract"]


def test_geojson_is_a_valid_feature_collection(page: EventPage) -> None:
    collection = json.loads(render_page(page, ExportFormat.GEOJSON))
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == 3
    located = 0
    for feature, stored in zip(collection["features"], page.items, strict=True):
        assert feature["type"] == "Feature"
        assert feature["id"] == stored.id
        assert set(CONTRACT_FIELDS) <= set(feature["properties"])
        if stored.latitude is None:
            assert feature["geometry"] is None  # RFC 7946 §3.2: an unlocated feature
            continue
        point = shape(feature["geometry"])
        assert point.is_valid
        assert (point.x, point.y) == (stored.longitude, stored.latitude)
        located += 1
    assert located == 2


def test_csv_header_and_cells(page: EventPage) -> None:
    text = render_page(page, ExportFormat.CSV)
    reader = csv.DictReader(io.StringIO(text))
    assert tuple(reader.fieldnames or ()) == CSV_FIELDS
    assert CSV_FIELDS[: len(CONTRACT_FIELDS)] == CONTRACT_FIELDS
    rows = list(reader)
    assert len(rows) == 3
    for row, stored in zip(rows, page.items, strict=True):
        assert row["id"] == str(stored.id)
        assert row["evidence"] == stored.evidence.text
        assert int(row["evidence_start"]) == stored.evidence.start
        assert TEXT[int(row["evidence_start"]) : int(row["evidence_end"])] == row["evidence"]
        assert row["event_date"] == stored.event_date.isoformat()  # type: ignore[union-attr]
        assert row["plover"] == stored.plover
    shelling = next(row for row in rows if row["location"] == "Aitaroun")
    assert shelling["sources"] == "residents; Al-Manar, citing locals"
    assert shelling["evidence"].startswith('Residents of Aitaroun said "two shells, maybe three"')
    assert shelling["time_precision"] == "2"
    assert shelling["fatalities"] == "0"
    accusation = next(row for row in rows if row["plover"] == "ACCUSE")
    assert accusation["event_type"] == accusation["latitude"] == accusation["fatalities"] == ""
    assert "notes" not in CSV_FIELDS


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_export_events_applies_the_query(store: Store, fmt: ExportFormat) -> None:
    query = EventQuery(event_type="Explosions/Remote violence", start="2024-12-05")
    text = export_events(store, query, fmt, SYSTEM)
    if fmt is ExportFormat.CSV:
        locations = [row["location"] for row in csv.DictReader(io.StringIO(text))]
    elif fmt is ExportFormat.GEOJSON:
        locations = [f["properties"]["location"] for f in json.loads(text)["features"]]
    else:
        locations = [item["location"] for item in json.loads(text)["items"]]
    assert locations == ["Aita al-Shaab"]


def test_next_offset_walks_the_pages(store: Store) -> None:
    offsets = []
    offset: int | None = 0
    while offset is not None:
        page = store.query_events(EventQuery(limit=2, offset=offset), viewer=SYSTEM)
        offsets.append((offset, len(page.items)))
        offset = next_offset(page)
    assert offsets == [(0, 2), (2, 1)]
    assert next_offset(store.query_events(EventQuery(offset=10), viewer=SYSTEM)) is None
