"""Free-text search over evidence, actors, place and title, whatever the user types."""

from __future__ import annotations

import datetime as dt

import pytest
from store_sample import NEWEST_FIRST

from builders import SYSTEM, event, write
from truce.core.models import Document
from truce.store import EventQuery, Store, search_terms

Filled = tuple[Store, dict[str, int]]


def found(filled: Filled, text: str, **filters: object) -> list[str]:
    store, ids = filled
    by_id = {pk: name for name, pk in ids.items()}
    page = store.query_events(EventQuery(text=text, **filters), viewer=SYSTEM)
    assert page.total == len(page.items)
    return [by_id[item.id] for item in page.items]


def expected(*wanted: str) -> list[str]:
    return [name for name in NEWEST_FIRST if name in wanted]


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("drone", ("bint_jbeil_strike",)),
        ("DRONE", ("bint_jbeil_strike",)),
        ("rocket", ("metula_rockets",)),  # words match as prefixes
        ("unifil", ("naqoura_meeting",)),  # actor
        ("khiam", ("khiam_clash",)),  # evidence and location
        ("Dahieh", ("dahieh_strike",)),
        ("suburbs", ("dahieh_strike", "khiam_clash")),  # the document's title
        ("strike", ("bint_jbeil_strike", "metula_rockets", "dahieh_strike")),
        ("drone bint", ("bint_jbeil_strike",)),  # every word must match
        ("drone metula", ()),
        ("bint-jbeil", ("bint_jbeil_strike",)),
        ("ceasefire hezbollah", ("accusation",)),
    ],
)
def test_words_match(filled: Filled, text: str, wanted: tuple[str, ...]) -> None:
    assert found(filled, text) == expected(*wanted)


@pytest.mark.parametrize(
    "hostile",
    ['"', "*", "", "   ", "'; ", "()", "^", ":", "-", "''", "%", "_", "\\"],
)
def test_text_without_words_filters_nothing(filled: Filled, hostile: str) -> None:
    assert found(filled, hostile) == list(NEWEST_FIRST)


@pytest.mark.parametrize(
    ("hostile", "wanted"),
    [
        ("NEAR(", ("khiam_clash",)),  # the word "near", not FTS5's NEAR operator
        ("NEAR(drone bint, 2)", ()),
        ("'; DROP TABLE events;--", ()),
        ('drone"', ("bint_jbeil_strike",)),
        ('"drone', ("bint_jbeil_strike",)),
        ("drone*", ("bint_jbeil_strike",)),
        ("dro*ne", ()),
        ("drone OR khiam", ()),  # no operators: OR is a word that must match too
        ("NOT drone", ()),
        ("-drone", ("bint_jbeil_strike",)),
        ("evidence_text:drone", ()),
        ("{actor1}: unifil", ()),
        ("drone & !khiam | x:*", ()),
        ('"unbalanced', ()),
        # like the indexed text, "Israel's" is the words "israel" and "s"
        ("Israel's", ("bint_jbeil_strike", "dahieh_strike", "khiam_clash")),
    ],
)
def test_hostile_text_never_breaks_the_query(
    filled: Filled, hostile: str, wanted: tuple[str, ...]
) -> None:
    store, _ = filled
    assert found(filled, hostile) == expected(*wanted)
    assert store.count_events(viewer=SYSTEM) == 6


def test_search_with_filters_and_pages(filled: Filled) -> None:
    store, ids = filled
    assert found(filled, "strike", country="LB") == expected("bint_jbeil_strike", "dahieh_strike")
    page = store.query_events(EventQuery(text="strike", limit=1, offset=1), viewer=SYSTEM)
    assert (page.total, [i.id for i in page.items]) == (3, [ids["bint_jbeil_strike"]])


def test_arabic_and_hebrew_words(store: Store) -> None:
    text = "غارة إسرائيلية على بنت جبيل. אזעקות בקריית שמונה."
    document = Document(id="ar-he", text=text, language="ar")
    sentences = ["غارة إسرائيلية على بنت جبيل.", "אזעקות בקריית שמונה."]
    events = [
        event(document, s, event_type="Explosions/Remote violence", event_date=dt.date(2024, 12, 5))
        for s in sentences
    ]
    write(store, {document: events})
    (arabic,) = store.query_events(EventQuery(text="بنت جبيل"), viewer=SYSTEM).items
    assert arabic.evidence.text == sentences[0]
    (hebrew,) = store.query_events(EventQuery(text="שמונה"), viewer=SYSTEM).items
    assert hebrew.evidence.text == sentences[1]


def test_search_terms_keep_only_words() -> None:
    assert search_terms('NEAR( "drone" * strike\'s ; DROP--') == [
        "near",
        "drone",
        "strike",
        "s",
        "drop",
    ]
    assert search_terms("Drone drone DRONE") == ["drone"]
    assert search_terms('"*()') == []
    assert search_terms(None) == []


def test_walking_the_date_order_finds_the_same_pages(
    filled: Filled, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, _ = filled
    queries = [
        EventQuery(text="strike"),
        EventQuery(text="strike", limit=1, offset=1),
        EventQuery(text="israel", country="LB", limit=2),
        EventQuery(text="hezbollah", offset=2),
    ]
    looked_up = [store.query_events(query, viewer=SYSTEM) for query in queries]
    # the plan for searches with many matches, forced on this small sample
    monkeypatch.setattr("truce.store.store.WALK_DATE_ORDER_FROM", 0)
    walked = [store.query_events(query, viewer=SYSTEM) for query in queries]
    assert walked == looked_up
    assert [page.total for page in walked] == [3, 3, 3, 3]
