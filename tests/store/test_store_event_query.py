"""EventQuery: bad filters are truce errors that name the filter, before any SQL runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError

from truce.core.errors import InputError, TruceError, VocabularyError
from truce.core.vocab import Plover
from truce.store import EventQuery


def test_defaults() -> None:
    query = EventQuery()
    assert (query.limit, query.offset, query.text, query.bbox) == (100, 0, None, None)


def test_values_are_normalised() -> None:
    query = EventQuery(
        start="2024-11-26",
        event_type="explosions/remote violence",
        sub_event_type="AIR/DRONE STRIKE",
        plover="assault",
        country=" lb ",
        bbox="35.1, 33.0, 35.9, 33.4",
        actor="   ",
        text="",
    )
    assert query.start == dt.date(2024, 11, 26)
    assert query.event_type == "Explosions/Remote violence"
    assert query.sub_event_type == "Air/drone strike"
    assert query.plover is Plover.ASSAULT
    assert query.country == "LB"
    assert query.bbox == (35.1, 33.0, 35.9, 33.4)
    assert query.actor is None
    assert query.text is None


@pytest.mark.parametrize(
    ("filters", "says"),
    [
        ({"event_type": "Bombing"}, "unknown ACLED event type 'Bombing'"),
        ({"sub_event_type": "Carpet bombing"}, "unknown ACLED sub-event type"),
        ({"event_type": "Battles", "sub_event_type": "Grenade"}, "belongs to"),
        ({"plover": "ATTACK"}, "unknown PLOVER type 'ATTACK'"),
    ],
)
def test_vocabulary_errors(filters: dict[str, Any], says: str) -> None:
    with pytest.raises(VocabularyError, match=says):
        EventQuery(**filters)


@pytest.mark.parametrize(
    ("filters", "says"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 1001}, "limit"),
        ({"offset": -1}, "offset"),
        ({"country": "LBN"}, "country"),
        ({"start": "yesterday-ish"}, "start"),
        ({"start": "2024-12-02", "end": "2024-12-01"}, "after end"),
        ({"bbox": "35,33,36"}, "four numbers"),
        ({"bbox": "36,33,35,34"}, "min <= max"),
        ({"bbox": (35, 33, 36, 95)}, "latitudes"),
        ({"bbox": (-181, 33, 36, 34)}, "longitudes"),
        ({"bbox": "35,33,nan,34"}, "finite"),
        ({"bbox": "a,b,c,d"}, "bbox"),
        ({"text": "x" * 501}, "text"),
        ({"sort": "date"}, "unknown filter"),
    ],
)
def test_input_errors_name_the_filter(filters: dict[str, Any], says: str) -> None:
    with pytest.raises(InputError, match=says) as raised:
        EventQuery(**filters)
    assert raised.value.source == "event query"
    assert not isinstance(raised.value, ValidationError)


def test_errors_are_truce_errors_not_pydantics() -> None:
    with pytest.raises(TruceError) as raised:
        EventQuery(limit="many")
    assert not isinstance(raised.value, ValidationError)
    assert "limit" in str(raised.value)


def test_page_keeps_the_filters() -> None:
    query = EventQuery(country="LB", limit=10)
    following = query.page(10)
    assert (following.country, following.limit, following.offset) == ("LB", 10, 10)
