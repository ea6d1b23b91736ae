"""/api/events and /api/events/{id}: filters, paging, formats and errors, on both backends."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from api_sample import Sample

from truce.reports import CONTRACT_FIELDS, CSV_FIELDS
from truce.store import StoredEvent

pytestmark = pytest.mark.anyio


async def get_json(client: httpx.AsyncClient, url: str, **params: Any) -> Any:
    # httpx drops a URL's own query when given params, even empty ones
    response = await client.get(url, params=params) if params else await client.get(url)
    assert response.status_code == 200, response.text
    return response.json()


async def ids_for(client: httpx.AsyncClient, **params: Any) -> list[int]:
    body = await get_json(client, "/api/events", **params)
    assert body["total"] == len(body["items"])  # every sample fits one page
    return [item["id"] for item in body["items"]]


def ids_where(sample: Sample, keep: Any) -> list[int]:
    """The sample events a filter should return, in the list's order (newest first)."""
    return [event.id for event in sample.events if keep(event)]


async def test_lists_every_event_newest_first_with_contract_fields(
    client: httpx.AsyncClient, sample: Sample
) -> None:
    body = await get_json(client, "/api/events")
    assert body["total"] == len(sample.events) == 6
    assert body["offset"] == 0
    assert body["next"] is None
    dates = [item["event_date"] for item in body["items"]]
    assert dates == sorted(dates, reverse=True)
    for item in body["items"]:
        assert set(CONTRACT_FIELDS) <= set(item)
        assert {"id", "document_pk"} <= set(item)
    strike = sample.by_sentence("On 2 December 2024 an Israeli drone")
    (item,) = [item for item in body["items"] if item["id"] == strike.id]
    assert item["evidence"] == strike.evidence.model_dump()
    assert item["sources"] == ["Lebanon's health ministry"]
    assert item["fatalities"] == 2
    assert item["doc_id"] == "khiam-1"


@pytest.mark.parametrize(
    ("params", "keep"),
    [
        (
            {"event_type": "Explosions/Remote violence"},
            lambda e: e.event_type == "Explosions/Remote violence",
        ),
        (
            {"sub_event_type": "Shelling/artillery/missile attack"},
            lambda e: e.sub_event_type == "Shelling/artillery/missile attack",
        ),
        ({"plover": "accuse"}, lambda e: e.plover == "ACCUSE"),
        (
            {"actor": "hezbollah"},
            lambda e: "hezbollah" in f"{e.actor1} {e.actor2}".lower(),
        ),
        ({"country": "il"}, lambda e: e.country == "IL"),
        (
            {"start": "2024-12-03", "end": "2024-12-31"},
            lambda e: (
                e.event_date and dt.date(2024, 12, 3) <= e.event_date <= dt.date(2024, 12, 31)
            ),
        ),
        (
            {"bbox": "35.5,33.2,35.7,33.35"},
            lambda e: (
                e.latitude is not None
                and 35.5 <= e.longitude <= 35.7
                and 33.2 <= e.latitude <= 33.35
            ),
        ),
        ({"q": "demolished"}, lambda e: "demolished" in e.evidence.text),
        (
            {"event_type": "Explosions/Remote violence", "country": "LB"},
            lambda e: e.event_type == "Explosions/Remote violence" and e.country == "LB",
        ),
    ],
    ids=lambda value: (
        "&".join(f"{k}={v}" for k, v in value.items()) if isinstance(value, dict) else ""
    ),
)
async def test_filters(
    client: httpx.AsyncClient,
    sample: Sample,
    params: dict[str, str],
    keep: Any,
) -> None:
    expected = ids_where(sample, keep)
    assert expected, "each filter should match something in the sample"
    assert len(expected) < len(sample.events), "and leave something out"
    assert await ids_for(client, **params) == expected


async def test_pages_follow_next_links_to_every_event_once(
    client: httpx.AsyncClient, sample: Sample
) -> None:
    seen: list[int] = []
    url: str | None = "/api/events?limit=4&country=LB"
    pages = 0
    while url is not None:
        body = await get_json(client, url)
        assert body["limit"] == 4
        assert body["total"] == 5
        assert len(body["items"]) <= 4
        seen.extend(item["id"] for item in body["items"])
        url = body["next"]
        if url is not None:
            query = parse_qs(urlsplit(url).query)
            assert query["country"] == ["LB"]  # the filters carry over
            assert query["offset"] == [str(len(seen))]
        pages += 1
    assert pages == 2
    assert seen == ids_where(sample, lambda e: e.country == "LB")


async def test_offset_past_the_end_is_an_empty_last_page(client: httpx.AsyncClient) -> None:
    body = await get_json(client, "/api/events", offset=50)
    assert body["items"] == []
    assert body["total"] == 6
    assert body["next"] is None


async def test_geojson_is_a_feature_collection(client: httpx.AsyncClient, sample: Sample) -> None:
    response = await client.get("/api/events.geojson", params={"limit": 5})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/geo+json")
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert body["total"] == 6
    assert body["next"].endswith("offset=5")
    by_id = {event.id: event for event in sample.events}
    assert len(body["features"]) == 5
    for feature in body["features"]:
        assert feature["type"] == "Feature"
        event: StoredEvent = by_id[feature["id"]]
        assert feature["properties"]["id"] == event.id
        assert set(CONTRACT_FIELDS) <= set(feature["properties"])
        if event.latitude is None:
            assert feature["geometry"] is None
        else:
            assert feature["geometry"] == {
                "type": "Point",
                "coordinates": [event.longitude, event.latitude],
            }
    assert any(feature["geometry"] is None for feature in body["features"])


async def test_csv_has_the_contract_columns_and_paging_headers(
    client: httpx.AsyncClient, sample: Sample
) -> None:
    response = await client.get("/api/events.csv", params={"limit": 4})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["x-total-count"] == "6"
    assert response.headers["link"].endswith('offset=4>; rel="next"')
    reader = csv.DictReader(io.StringIO(response.text))
    assert tuple(reader.fieldnames or ()) == CSV_FIELDS
    assert CSV_FIELDS[: len(CONTRACT_FIELDS)] == CONTRACT_FIELDS
    rows = list(reader)
    assert [int(row["id"]) for row in rows] == [event.id for event in sample.events[:4]]
    last = await client.get("/api/events.csv", params={"offset": 4})
    assert "link" not in last.headers
    assert len(list(csv.DictReader(io.StringIO(last.text)))) == 2


async def test_one_event_by_id(client: httpx.AsyncClient, sample: Sample) -> None:
    event = sample.by_sentence("On 3 December Hezbollah")
    body = await get_json(client, f"/api/events/{event.id}")
    assert body["id"] == event.id
    assert body["actor1"] == "Hezbollah"
    assert body["geo_precision"] == 2
    assert body["evidence"]["text"] == event.evidence.text


async def test_unknown_event_is_404_naming_it(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/events/987654")
    assert response.status_code == 404
    assert "987654" in response.json()["detail"]


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"event_type": "Skirmish"}, "Skirmish"),
        ({"sub_event_type": "Dogfight"}, "Dogfight"),
        ({"event_type": "Battles", "sub_event_type": "Air/drone strike"}, "Air/drone strike"),
        ({"plover": "HUG"}, "HUG"),
        ({"bbox": "35,33,36"}, "bbox"),
        ({"bbox": "36,33,35,34"}, "bbox"),
        ({"country": "Lebanon"}, "country"),
        ({"start": "2024-12-10", "end": "2024-12-01"}, "start"),
        ({"start": "10/12/2024"}, "start"),
        ({"limit": 0}, "limit"),
        ({"limit": 100_000}, "limit"),
        ({"offset": -1}, "offset"),
    ],
)
async def test_bad_filters_are_422_with_a_message(
    client: httpx.AsyncClient, params: dict[str, Any], named: str
) -> None:
    for path in ("/api/events", "/api/events.geojson", "/api/events.csv"):
        response = await client.get(path, params=params)
        assert response.status_code == 422, (path, response.text)
        detail = response.json()["detail"]
        assert isinstance(detail, str)
        assert named in detail


async def test_non_integer_event_id_is_422(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/events/khiam")
    assert response.status_code == 422
    assert "event_id" in response.json()["detail"]
