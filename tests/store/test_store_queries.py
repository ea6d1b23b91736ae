"""query_events: every filter of EventQuery, combined, paged, in a stable order."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from store_sample import NEWEST_FIRST

from builders import SYSTEM
from truce.store import EventQuery, Store

Filled = tuple[Store, dict[str, int]]


def names(filled: Filled, **filters: Any) -> list[str]:
    store, ids = filled
    by_id = {pk: name for name, pk in ids.items()}
    page = store.query_events(EventQuery(**filters), viewer=SYSTEM)
    assert page.total == len(page.items)  # every sample fits one default page
    return [by_id[item.id] for item in page.items]


def expected(*wanted: str) -> list[str]:
    return [name for name in NEWEST_FIRST if name in wanted]


def test_everything_newest_first_undated_last(filled: Filled) -> None:
    assert names(filled) == list(NEWEST_FIRST)


@pytest.mark.parametrize(
    ("filters", "wanted"),
    [
        (
            {"start": dt.date(2024, 12, 1), "end": dt.date(2024, 12, 1)},
            ("bint_jbeil_strike", "metula_rockets"),
        ),
        (
            {"start": "2024-11-25"},
            ("naqoura_meeting", "metula_rockets", "bint_jbeil_strike", "khiam_clash"),
        ),
        ({"end": "2024-11-25"}, ("khiam_clash", "dahieh_strike")),
        ({"start": "2025-01-01"}, ()),
    ],
)
def test_date_range_is_inclusive_and_drops_undated(
    filled: Filled, filters: dict[str, Any], wanted: tuple[str, ...]
) -> None:
    assert names(filled, **filters) == expected(*wanted)


def test_taxonomy_filters(filled: Filled) -> None:
    strikes = ("bint_jbeil_strike", "metula_rockets", "dahieh_strike")
    assert names(filled, event_type="Explosions/Remote violence") == expected(*strikes)
    assert names(filled, event_type="battles") == ["khiam_clash"]
    assert names(filled, sub_event_type="Air/drone strike") == expected(
        "bint_jbeil_strike", "dahieh_strike"
    )
    assert names(filled, plover="ACCUSE") == ["accusation"]
    assert names(filled, plover="consult") == ["naqoura_meeting"]
    assert names(filled, sub_event_type="Grenade") == []


def test_actor_matches_either_side_case_insensitively(filled: Filled) -> None:
    assert names(filled, actor="hezbollah") == expected(
        "metula_rockets", "accusation", "khiam_clash"
    )
    assert names(filled, actor="HEZBOLLAH") == names(filled, actor="hezbollah")
    assert names(filled, actor="of israel") == expected(
        "bint_jbeil_strike", "accusation", "dahieh_strike", "khiam_clash"
    )
    assert names(filled, actor="(2022-)") == expected(
        "bint_jbeil_strike", "dahieh_strike", "khiam_clash"
    )
    # LIKE's wildcards in the input are plain characters
    assert names(filled, actor="%") == []
    assert names(filled, actor="_") == []


def test_country(filled: Filled) -> None:
    assert names(filled, country="IL") == ["metula_rockets"]
    assert len(names(filled, country="lb")) == 4


def test_bbox_uses_the_coordinates_inclusively(filled: Filled) -> None:
    south_lebanon = (35.0, 33.0, 35.7, 33.4)
    assert names(filled, bbox=south_lebanon) == expected(
        "naqoura_meeting", "metula_rockets", "bint_jbeil_strike", "khiam_clash"
    )
    assert names(filled, bbox="35.5,33.85,35.5,33.85") == ["dahieh_strike"]  # the point itself
    assert names(filled, bbox=(-10.0, 40.0, 10.0, 60.0)) == []


def test_filters_combine_with_and(filled: Filled) -> None:
    assert names(
        filled,
        event_type="Explosions/Remote violence",
        country="LB",
        start=dt.date(2024, 11, 21),
    ) == ["bint_jbeil_strike"]
    assert names(filled, actor="israel", bbox=(35.0, 33.0, 35.7, 33.4), end="2024-11-30") == [
        "khiam_clash"
    ]
    assert names(filled, plover="ASSAULT", text="strike", country="LB") == expected(
        "bint_jbeil_strike", "dahieh_strike"
    )


def test_pages_are_stable_and_know_the_total(filled: Filled) -> None:
    store, ids = filled
    seen: list[int] = []
    for offset in (0, 2, 4):
        page = store.query_events(EventQuery(limit=2, offset=offset), viewer=SYSTEM)
        assert (page.total, page.limit, page.offset) == (6, 2, offset)
        assert page.has_more == (offset < 4)
        seen += [item.id for item in page.items]
    assert seen == [ids[name] for name in NEWEST_FIRST]
    beyond = store.query_events(EventQuery(limit=2, offset=10), viewer=SYSTEM)
    assert (beyond.items, beyond.total) == ([], 6)
    filtered = store.query_events(EventQuery(country="LB", limit=3, offset=3), viewer=SYSTEM)
    assert (filtered.total, [i.id for i in filtered.items]) == (4, [ids["dahieh_strike"]])


def test_iter_events_streams_every_match(filled: Filled) -> None:
    store, ids = filled
    streamed = [e.id for e in store.iter_events(EventQuery(country="LB", limit=1), viewer=SYSTEM)]
    lebanon = expected("naqoura_meeting", "bint_jbeil_strike", "khiam_clash", "dahieh_strike")
    assert streamed == [ids[name] for name in lebanon]


def test_counts(filled: Filled) -> None:
    store, _ = filled
    assert (store.count_documents(viewer=SYSTEM), store.count_events(viewer=SYSTEM)) == (3, 6)
