"""`ingest_paths` against a real store (SQLite and PostgreSQL) and real pipelines."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console
from rich.progress import Progress

from builders import SYSTEM
from truce.core.errors import ConfigError, DocumentError
from truce.core.models import Document, Event, Evidence
from truce.extract import Pipeline
from truce.extract.doc import Doc
from truce.extract.registry import Component, ComponentSpec
from truce.ingest import IngestProgress, IngestSummary, ingest_paths, read_path
from truce.store import Store
from truce.theatre import TheatrePack, load_pack

SAMPLE_DOCUMENTS = 5  # feed.rss 2, feed.atom 2, article.html 1


def first_line_pipeline(calls: list[str]) -> Pipeline:
    """A real pipeline of one component: an event on each document's first line, remembering
    which documents it saw and refusing any text with POISON in it."""

    def factory(pack: TheatrePack) -> Component:
        def one_event(doc: Doc) -> Doc:
            calls.append(doc.document.id)
            if "POISON" in doc.text:
                raise DocumentError("the extractor cannot read this", source=doc.document.id)
            line = doc.text.split("\n", 1)[0]
            doc.events = [
                Event(
                    doc_id=doc.document.id,
                    event_type="Explosions/Remote violence",
                    sub_event_type="Air/drone strike",
                    event_date=doc.published,
                    evidence=Evidence(text=line, start=0, end=len(line)),
                )
            ]
            return doc

        return one_event

    spec = ComponentSpec("tests.ingest.first_line.v1", factory, (), ("events",))
    return Pipeline([spec], load_pack())


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as opened:
        yield opened


def test_samples_go_in_once_with_their_events(store: Store, samples: Path) -> None:
    calls: list[str] = []
    pipeline = first_line_pipeline(calls)

    summary = ingest_paths(store, [samples], by=SYSTEM, pipeline=pipeline)

    assert (summary.new, summary.known, summary.rejected) == (SAMPLE_DOCUMENTS, 0, 0)
    assert summary.events == SAMPLE_DOCUMENTS
    assert summary.problems == []
    assert summary.files == 3
    assert summary.anything_read
    assert store.count_documents(viewer=SYSTEM) == SAMPLE_DOCUMENTS
    assert store.count_events(viewer=SYSTEM) == SAMPLE_DOCUMENTS
    assert len(calls) == SAMPLE_DOCUMENTS
    (article,) = read_path(samples / "article.html")
    assert isinstance(article, Document)
    stored = store.document_by_sha(article.sha256, viewer=SYSTEM)
    assert stored is not None
    assert (stored.doc_id, stored.origin) == ("article", str(samples / "article.html"))


def test_re_ingesting_changes_nothing_and_extracts_nothing(store: Store, samples: Path) -> None:
    calls: list[str] = []
    pipeline = first_line_pipeline(calls)
    ingest_paths(store, [samples], by=SYSTEM, pipeline=pipeline)
    calls.clear()

    again = ingest_paths(store, [samples], by=SYSTEM, pipeline=pipeline)

    assert (again.new, again.known, again.rejected, again.events) == (0, SAMPLE_DOCUMENTS, 0, 0)
    assert again.anything_read
    assert calls == []  # known documents are not extracted again
    assert store.count_documents(viewer=SYSTEM) == SAMPLE_DOCUMENTS
    assert store.count_events(viewer=SYSTEM) == SAMPLE_DOCUMENTS


def test_the_same_text_twice_in_one_run_is_stored_once(store: Store, inbox: Path) -> None:
    (inbox / "copy-a.txt").write_text("Shelling near Kfar Kila on Tuesday.\n", "utf-8")
    # the same text up to normalisation: trailing spaces and Windows line ends
    (inbox / "copy-b.md").write_bytes(b"Shelling near Kfar Kila on Tuesday.  \r\n")
    calls: list[str] = []

    summary = ingest_paths(store, [inbox], by=SYSTEM, pipeline=first_line_pipeline(calls))

    assert (summary.new, summary.known) == (1, 1)
    assert calls == ["copy-a"]
    assert store.count_documents(viewer=SYSTEM) == 1


@pytest.mark.parametrize("batch_size", [1, 2, 100])
def test_batches_of_any_size_give_the_same_result(
    store: Store, samples: Path, batch_size: int
) -> None:
    states: list[IngestProgress] = []

    summary = ingest_paths(
        store,
        [samples],
        by=SYSTEM,
        pipeline=first_line_pipeline([]),
        batch_size=batch_size,
        progress=states.append,
    )

    assert (summary.new, summary.events) == (SAMPLE_DOCUMENTS, SAMPLE_DOCUMENTS)
    assert store.count_documents(viewer=SYSTEM) == SAMPLE_DOCUMENTS
    assert states[-1] == IngestProgress(3, 3, SAMPLE_DOCUMENTS, None)
    files_done = [state.files_done for state in states]
    assert files_done == sorted(files_done)


def test_published_dates_documents_without_their_own(store: Store, inbox: Path) -> None:
    (inbox / "undated.txt").write_text("Patrol near Marjayoun.\n", "utf-8")
    (inbox / "dated.md").write_text("---\npublished: 2024-12-05\n---\nTalks.\n", "utf-8")

    ingest_paths(
        store, [inbox], by=SYSTEM, published=dt.date(2024, 12, 1), pipeline=first_line_pipeline([])
    )

    dates = {event.doc_id: event.event_date for event in store.iter_events(viewer=SYSTEM)}
    assert dates == {"undated": dt.date(2024, 12, 1), "dated": dt.date(2024, 12, 5)}


def test_bad_files_are_reported_and_the_good_ones_stored(store: Store, inbox: Path) -> None:
    (inbox / "good.txt").write_text("Strike near Tyre.\n", "utf-8")
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "docs.jsonl").write_text(
        '{"id": "j1", "text": "Strike near Naqoura."}\n{broken\n', encoding="utf-8"
    )
    missing = inbox / "missing.txt"

    summary = ingest_paths(store, [inbox, missing], by=SYSTEM, pipeline=first_line_pipeline([]))

    assert (summary.new, summary.known, summary.rejected) == (2, 0, 3)
    assert summary.anything_read
    assert len(summary.problems) == 3
    assert summary.problems[0].startswith(f"{inbox / 'docs.jsonl'}:2: not JSON")
    assert summary.problems[1].startswith(f"{inbox / 'empty.txt'}: empty file")
    assert summary.problems[2] == f"{missing}: no such file or folder"
    assert store.count_documents(viewer=SYSTEM) == 2


def test_nothing_readable_means_nothing_read(store: Store, inbox: Path) -> None:
    (inbox / "empty.txt").write_bytes(b"")

    summary = ingest_paths(
        store, [inbox, inbox / "nope"], by=SYSTEM, pipeline=first_line_pipeline([])
    )

    assert not summary.anything_read
    assert (summary.new, summary.known, summary.rejected) == (0, 0, 2)
    assert store.count_documents(viewer=SYSTEM) == 0


def test_a_document_the_extractor_refuses_is_left_out_whole(store: Store, inbox: Path) -> None:
    (inbox / "a.txt").write_text("Strike near Tyre.\n", "utf-8")
    (inbox / "b.txt").write_text("POISON in the text.\n", "utf-8")
    (inbox / "c.txt").write_text("Shelling near Khiam.\n", "utf-8")

    summary = ingest_paths(
        store, [inbox], by=SYSTEM, pipeline=first_line_pipeline([]), batch_size=10
    )

    assert (summary.new, summary.rejected, summary.events) == (2, 1, 2)
    assert summary.problems == [
        f"{inbox / 'b.txt'}: document 'b': b: the extractor cannot read this"
    ]
    assert store.count_documents(viewer=SYSTEM) == 2  # never stored without its events
    assert {event.doc_id for event in store.iter_events(viewer=SYSTEM)} == {"a", "c"}


def test_the_default_pipeline_is_used_when_none_is_given(store: Store, samples: Path) -> None:
    summary = ingest_paths(store, [samples / "article.html"], by=SYSTEM)

    assert summary.new == 1
    assert summary.events == store.count_events(viewer=SYSTEM)
    for event in store.iter_events(viewer=SYSTEM):
        assert event.doc_id == "article"


def test_a_batch_size_below_one_is_a_config_error(store: Store, samples: Path) -> None:
    with pytest.raises(ConfigError, match="batch size"):
        ingest_paths(store, [samples], by=SYSTEM, batch_size=0)


def test_the_summary_line() -> None:
    summary = IngestSummary(new=3, known=2, rejected=1, events=7)

    assert summary.describe() == ("documents: 3 new, 2 already known, 1 rejected; events stored: 7")


def test_a_rich_progress_bar_shows_for_long_runs_only(store: Store, inbox: Path) -> None:
    for number in range(5):
        (inbox / f"report-{number}.txt").write_text(f"Report number {number}.\n", "utf-8")
    output = io.StringIO()
    pipeline = first_line_pipeline([])

    with Progress(console=Console(file=output, force_terminal=True, width=100)) as progress:
        ingest_paths(store, [inbox], by=SYSTEM, pipeline=pipeline, progress=progress)
        ingest_paths(
            store, [inbox / "report-0.txt"], by=SYSTEM, pipeline=pipeline, progress=progress
        )

    long_run, short_run = progress.tasks
    assert (long_run.total, long_run.completed, long_run.visible) == (5, 5, True)
    assert long_run.description == "ingesting: 5 documents"
    assert (short_run.total, short_run.completed, short_run.visible) == (1, 1, False)
    assert "ingesting: 5 documents" in output.getvalue()
