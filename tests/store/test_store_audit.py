"""The audit appender: one entry per record written, chained, committed with the write or not
at all, and never forked by concurrent writers; and reading the chain back, however broken."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from store_sample import EVENTS, fill

from builders import SYSTEM, write
from truce.core.access import Principal
from truce.core.audit import GENESIS_HASH, AuditEntry, content_hash
from truce.core.errors import IntegrityError
from truce.core.models import Document, Event
from truce.security.audit import verify_chain
from truce.store import Store
from truce.store.audit import (
    UnreadableEntry,
    audit_page,
    entries_about,
    iter_audit_entries,
    read_chain,
)
from truce.store.schema import documents, events


def _entries(store: Store) -> list[AuditEntry]:
    with store.reading("test") as connection:
        return list(iter_audit_entries(connection))


def _stored(store: Store, table: sa.Table, pk: str) -> dict[str, Any]:
    """A record as stored, but its id and the time the database set."""
    with store.reading("test") as connection:
        row = connection.execute(sa.select(table).where(table.c.id == int(pk))).mappings().one()
    return {name: value for name, value in row.items() if name not in {"id", "created_at"}}


def test_every_record_written_gets_one_chained_entry(store: Store) -> None:
    fill(store)
    entries = _entries(store)
    documents_written = len({document.id for document, _ in EVENTS.values()})
    assert len(entries) == documents_written + len(EVENTS)
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    assert {e.actor for e in entries} == {SYSTEM.name}
    prev = GENESIS_HASH
    for entry in entries:
        assert entry.prev_hash == prev
        assert entry.hash == entry.expected_hash()
        prev = entry.hash
        table = documents if entry.entity == "documents" else events
        assert entry.action == {"documents": "document.add", "events": "event.add"}[entry.entity]
        # the hash of the new content is the hash of the record as it was stored
        assert entry.content_hash == content_hash(_stored(store, table, entry.entity_id))
    assert verify_chain(read_chain(store)).ok


def test_writing_the_same_records_again_adds_no_entry(store: Store) -> None:
    batches: dict[Document, list[Event]] = {}
    for document, sample in EVENTS.values():
        batches.setdefault(document, []).append(sample)
    write(store, batches)
    before = _entries(store)
    write(store, batches)  # documents stored once per text, events once per extraction
    assert _entries(store) == before


def test_a_rolled_back_write_leaves_no_entry(store: Store) -> None:
    fill(store)
    before = _entries(store)
    document = Document(id="never", text="A rocket hit Metula on 2 December.")

    def write_then_fail() -> None:
        with store.transaction(by=SYSTEM) as batch:
            batch.add_document(document)
            raise RuntimeError("changed my mind")

    with pytest.raises(RuntimeError, match="changed my mind"):
        write_then_fail()
    assert _entries(store) == before
    assert store.document_by_sha(document.sha256, viewer=SYSTEM) is None
    # the next write chains onto the last committed entry
    with store.transaction(by=SYSTEM) as batch:
        pk, _ = batch.add_document(document)
    (entry,) = _entries(store)[len(before) :]
    assert (entry.seq, entry.prev_hash, entry.entity_id) == (
        before[-1].seq + 1,
        before[-1].hash,
        str(pk),
    )


def test_concurrent_writers_never_fork_the_chain(store: Store) -> None:
    writers = [Principal.local_system("north"), Principal.local_system("south")]
    per_writer = 8
    start = threading.Barrier(len(writers))
    failures: list[BaseException] = []

    def write(by: Principal) -> None:
        try:
            start.wait()
            for n in range(per_writer):
                # each in its own transaction: every commit races the other writer's
                with store.transaction(by=by) as batch:
                    text = f"Report {n} of {by.name}: shelling near Khiam on {n + 1} December."
                    batch.add_document(Document(id=f"{by.name}-{n}", text=text))
        except BaseException as error:  # reported below, in the test's thread
            failures.append(error)

    threads = [threading.Thread(target=write, args=(by,)) for by in writers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    report = verify_chain(read_chain(store))
    assert report.ok, report.problem
    assert report.entries == len(writers) * per_writer
    entries = _entries(store)
    for by in writers:
        assert sum(e.actor == by.name for e in entries) == per_writer


def test_the_history_of_one_record(store: Store) -> None:
    ids = fill(store)
    pk = ids["metula_rockets"]
    with store.reading("test") as connection:
        (added,) = entries_about(connection, "events", pk)
        assert entries_about(connection, "events", 999) == []
    assert (added.action, added.entity, added.entity_id) == ("event.add", "events", str(pk))


def test_audit_page_filters_and_pages(store: Store) -> None:
    fill(store)
    everything = _entries(store)
    assert audit_page(store) == everything
    assert audit_page(store, after=2, limit=2) == everything[2:4]
    assert audit_page(store, entity="documents") == [
        e for e in everything if e.entity == "documents"
    ]
    assert audit_page(store, entity="events", entity_id="2") == [
        e for e in everything if (e.entity, e.entity_id) == ("events", "2")
    ]
    assert audit_page(store, entity_id="999") == []


def test_a_row_that_is_no_entry_is_read_as_unreadable(tmp_path: Path) -> None:
    # SQLite stores whatever it is given; PostgreSQL's column types refuse such values
    # (tests/security/test_audit_tamper.py checks that)
    url = f"sqlite:///{tmp_path / 'truce.db'}"
    with Store.open(url) as store:
        fill(store)
        count = len(_entries(store))
        engine = sa.create_engine(url)
        try:
            with engine.begin() as connection:
                connection.execute(sa.text("UPDATE audit_log SET at = 'soon' WHERE seq = 2"))
                connection.execute(sa.text("UPDATE audit_log SET actor = x'ff00' WHERE seq = 4"))
        finally:
            engine.dispose()
        chain = list(read_chain(store))
        assert len(chain) == count
        assert chain[1] == UnreadableEntry(seq=2, column="at", value="'soon'")
        assert chain[3] == UnreadableEntry(seq=4, column="actor", value="b'\\xff\\x00'")
        assert all(isinstance(entry, AuditEntry) for entry in chain[4:])
        with pytest.raises(IntegrityError, match="audit entry 2 is unreadable: its at is 'soon'"):
            audit_page(store)
        assert [e.seq for e in audit_page(store, after=4)] == list(range(5, count + 1))
