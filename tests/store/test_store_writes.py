"""Writing: documents once per normalised text, events once per extraction, all or nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from store_sample import BEIRUT, EVENTS, SOUTH, TALKS

from builders import SYSTEM, event
from truce.core.errors import NotFoundError
from truce.core.models import Document, Event
from truce.store import EventQuery, Store


def test_document_is_stored_once_per_normalised_text(store: Store) -> None:
    copy = Document(
        id="south-copy",
        # CRLF, a no-break space, trailing spaces and blank lines: the same normalised text
        text="\r\n\r\n" + SOUTH.text.replace(". H", ".\u00a0H") + "  \r\n\r\n\r\n",
        title="Another title",
    )
    with store.transaction(by=SYSTEM) as batch:
        first = batch.add_document(SOUTH, origin="feeds/wire.xml")
        again = batch.add_document(SOUTH)
        same_text = batch.add_document(copy)
    pk = first[0]
    assert first == (pk, True)
    assert again == (pk, False)
    assert same_text == (pk, False)
    with store.transaction(by=SYSTEM) as batch:
        assert batch.add_document(SOUTH) == (pk, False)
    assert store.count_documents(viewer=SYSTEM) == 1
    stored = store.document_by_sha(copy.sha256, viewer=SYSTEM)
    assert stored is not None
    assert (stored.pk, stored.doc_id, stored.origin) == (pk, "south-1", "feeds/wire.xml")


def test_document_round_trip(store: Store) -> None:
    retrieved = dt.datetime(2024, 12, 10, 12, 0, tzinfo=dt.UTC)
    talks = TALKS.model_copy(update={"retrieved": retrieved})
    with store.transaction(by=SYSTEM) as batch:
        dated, _ = batch.add_document(SOUTH)
        timed, _ = batch.add_document(talks, origin="talks.md")
    south = store.get_document(dated, viewer=SYSTEM)
    assert south.published == dt.date(2024, 12, 2)  # a bare date stays a date
    assert south.sha256 == SOUTH.sha256
    assert south.document == SOUTH
    stored = store.get_document(timed, viewer=SYSTEM)
    assert stored.published == dt.datetime(2024, 12, 10, 7, 30, tzinfo=dt.UTC)
    assert stored.published == TALKS.published  # the same instant, now in UTC
    assert stored.retrieved == retrieved
    assert (stored.title, stored.language, stored.text) == (TALKS.title, "en", TALKS.text)
    assert stored.created_at.tzinfo is not None
    assert store.document_by_sha("0" * 64, viewer=SYSTEM) is None


def test_events_round_trip_with_json_sources_and_added_fields(store: Store) -> None:
    document, sample = EVENTS["bint_jbeil_strike"]
    grown = Event.model_validate({**sample.to_contract(), "injuries": 3, "zones": ["south"]})
    with store.transaction(by=SYSTEM) as batch:
        pk, _ = batch.add_document(document)
        assert batch.add_events(pk, [grown]) == 1
    (stored,) = store.query_events(viewer=SYSTEM).items
    assert stored.event == grown
    assert stored.sources == ("Lebanon's health ministry", "الوكالة الوطنية للإعلام", 'the "NNA"')
    assert stored.model_extra == {"injuries": 3, "zones": ["south"]}
    assert (stored.document_pk, stored.title, stored.source, stored.url) == (
        pk,
        SOUTH.title,
        SOUTH.source,
        SOUTH.url,
    )
    assert stored.published == dt.date(2024, 12, 2)
    assert store.get_event(stored.id, viewer=SYSTEM) == stored
    assert stored.to_contract() == grown.to_contract()


def test_adding_events_again_changes_nothing(store: Store) -> None:
    samples = [e for d, e in EVENTS.values() if d is SOUTH]
    with store.transaction(by=SYSTEM) as batch:
        pk, _ = batch.add_document(SOUTH)
        assert batch.add_events(pk, samples + samples) == 2
        assert batch.add_events(pk, samples) == 0
    with store.transaction(by=SYSTEM) as batch:
        pk, _ = batch.add_document(SOUTH)
        assert batch.add_events(pk, samples) == 0
        assert batch.add_events(pk, []) == 0
        # a different reading of the same sentence is another event
        other = Event.model_validate({**samples[0].to_contract(), "modality": "denied"})
        assert batch.add_events(pk, [other]) == 1
    assert store.count_events(viewer=SYSTEM) == 3


def test_a_failed_transaction_leaves_nothing(store: Store) -> None:
    _, sample = EVENTS["dahieh_strike"]

    def write_then_fail() -> None:
        with store.transaction(by=SYSTEM) as batch:
            pk, _ = batch.add_document(BEIRUT)
            assert batch.add_events(pk, [sample]) == 1
            raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError, match="disk on fire"):
        write_then_fail()
    assert (store.count_documents(viewer=SYSTEM), store.count_events(viewer=SYSTEM)) == (0, 0)
    assert store.query_events(viewer=SYSTEM).total == 0
    assert store.query_events(EventQuery(text="Dahieh"), viewer=SYSTEM).total == 0


def test_unknown_ids_are_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError, match="no event with id 41"):
        store.get_event(41, viewer=SYSTEM)
    with pytest.raises(NotFoundError, match="no document with id 42"):
        store.get_document(42, viewer=SYSTEM)
    for impossible in (0, -1, 2**31, 10**20):
        with pytest.raises(NotFoundError):
            store.get_event(impossible, viewer=SYSTEM)
        with pytest.raises(NotFoundError):
            store.get_document(impossible, viewer=SYSTEM)
    with (
        pytest.raises(NotFoundError, match="no document with id 43"),
        store.transaction(by=SYSTEM) as batch,
    ):
        batch.add_events(43, [EVENTS["khiam_clash"][1]])


def test_search_index_follows_deletes_and_title_changes(store_url: str, store: Store) -> None:
    sample = event(BEIRUT, "Clashes erupted near Khiam.", event_type="Battles")
    with store.transaction(by=SYSTEM) as batch:
        pk, _ = batch.add_document(BEIRUT)
        batch.add_events(pk, [sample, EVENTS["dahieh_strike"][1]])
    engine = sa.create_engine(store_url)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE documents SET title = 'Night of raids'"))
        connection.execute(sa.text("DELETE FROM events WHERE location = 'Beirut - Dahieh'"))
    engine.dispose()
    assert store.query_events(EventQuery(text="suburbs"), viewer=SYSTEM).total == 0
    assert [
        e.evidence.text for e in store.query_events(EventQuery(text="raids"), viewer=SYSTEM).items
    ] == ["Clashes erupted near Khiam."]
    assert store.query_events(EventQuery(text="dahieh"), viewer=SYSTEM).total == 0


def test_bulk_writes_refresh_planner_statistics(
    store_url: str, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("truce.store.store.ANALYZE_AFTER", 1)  # PostgreSQL: analyse at once
    with store.transaction(by=SYSTEM) as batch:
        for document, sample in EVENTS.values():
            pk, _ = batch.add_document(document)
            batch.add_events(pk, [sample])
        assert batch.new_events == len(EVENTS)
    if store.dialect == "sqlite":
        statistics = "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'events'"
    else:
        statistics = (
            "SELECT count(*) FROM pg_stat_user_tables "
            "WHERE relname = 'events' AND last_analyze IS NOT NULL"
        )
    engine = sa.create_engine(store_url)
    with engine.connect() as connection:
        assert connection.execute(sa.text(statistics)).scalar_one() > 0
    engine.dispose()
