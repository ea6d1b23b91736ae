"""`ingest_paths`: read files, store each document once, extract events from the new ones.

Documents are written in batches, one transaction each, together with their events: a
failure never leaves a document stored without its events. Documents already stored (same
normalised text) are counted as known and not extracted again, so a re-run changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rich.progress import Progress, TaskID

from truce.core.access import Classification, Principal
from truce.core.errors import ConfigError, DocumentError, InputError, VocabularyError
from truce.core.models import Document, Event
from truce.extract import Pipeline, default_pipeline, extract_events
from truce.ingest.files import iter_files, max_file_bytes
from truce.ingest.readers import read_file
from truce.store import Store

#: documents written per transaction
DEFAULT_BATCH_SIZE = 100
#: a rich progress bar shows for runs of more files than this, or more documents
FEW_FILES = 3
FEW_DOCUMENTS = 200


@dataclass
class IngestSummary:
    """What a run did: documents new, already known and rejected, events stored, problems."""

    new: int = 0
    known: int = 0
    rejected: int = 0
    events: int = 0
    problems: list[str] = field(default_factory=list)
    files: int = 0

    @property
    def anything_read(self) -> bool:
        """Whether any document could be read at all (stored now or already known)."""
        return self.new + self.known > 0

    def describe(self) -> str:
        return (
            f"documents: {self.new} new, {self.known} already known, {self.rejected} rejected; "
            f"events stored: {self.events}"
        )

    def reject(self, problem: InputError | str) -> None:
        self.rejected += 1
        self.problems.append(str(problem))


@dataclass(frozen=True)
class IngestProgress:
    """Where a run is, handed to a progress callback after each file and each batch."""

    files_done: int
    files_total: int
    documents: int
    path: Path | None = None


ProgressCallback = Callable[[IngestProgress], None]


def ingest_paths(
    store: Store,
    paths: Iterable[str | Path],
    *,
    by: Principal,
    classification: Classification = Classification.COMMITTEE,
    owner_party: str | None = None,
    published: dt.date | None = None,
    pipeline: Pipeline | None = None,
    progress: ProgressCallback | Progress | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    max_file_mb: float | None = None,
) -> IngestSummary:
    """Ingest files and folders (walked recursively) into the store, as `by`.

    New documents and their events are stored with `classification` and `owner_party`;
    documents already stored keep theirs.

    `published` dates documents that do not state their own date; `pipeline` is built once
    (the default one) when not given, and only if some document is new; `progress` is a
    callback or a rich Progress; `max_file_mb` the size limit per file (see `read_path`).
    """
    if batch_size < 1:
        raise ConfigError(f"batch size must be at least 1, not {batch_size}")
    limit = max_file_bytes(max_file_mb)
    by.check_may_create(classification, owner_party)  # before any work
    filing = _Filing(by, classification, owner_party)
    summary = IngestSummary()
    found = list(iter_files(paths))
    files_total = sum(1 for item in found if isinstance(item, Path))
    report = _reporter(progress, files_total)
    writer = _BatchWriter(store, filing, _Extractor(pipeline), summary, batch_size)

    def tell(path: Path | None) -> None:
        report(IngestProgress(summary.files, files_total, writer.documents_seen, path))

    for item in found:
        if isinstance(item, InputError):
            summary.reject(item)
            continue
        for read in read_file(item, published=published, limit=limit):
            if isinstance(read, InputError):
                summary.reject(read)
            elif writer.add(read, item):
                tell(item)
        summary.files += 1
        tell(item)
    writer.flush()
    tell(None)
    return summary


class _Extractor:
    """Builds the default pipeline on first use: a re-run of known documents never loads it."""

    def __init__(self, pipeline: Pipeline | None) -> None:
        self._pipeline = pipeline

    def __call__(self, document: Document) -> list[Event]:
        if self._pipeline is None:
            self._pipeline = default_pipeline()
        return extract_events(document, self._pipeline)


@dataclass(frozen=True)
class _Filing:
    """Who ingests, and how new documents are classified."""

    by: Principal
    classification: Classification
    owner_party: str | None


class _BatchWriter:
    """Queues documents and writes them a batch per transaction.

    Extraction runs before the transaction, for documents the store does not hold yet, so
    the write lock (SQLite has one writer) is held only for the writes, and a document the
    extractor refuses is reported and left out without touching the rest of its batch.
    """

    def __init__(
        self,
        store: Store,
        filing: _Filing,
        extract: _Extractor,
        summary: IngestSummary,
        batch_size: int,
    ) -> None:
        self.store = store
        self.filing = filing
        self.extract = extract
        self.summary = summary
        self.batch_size = batch_size
        self.pending: list[tuple[Document, Path]] = []
        self.documents_seen = 0

    def add(self, document: Document, path: Path) -> bool:
        """Queue a document; True when that filled a batch and it was written."""
        self.pending.append((document, path))
        self.documents_seen += 1
        if len(self.pending) < self.batch_size:
            return False
        self.flush()
        return True

    def flush(self) -> None:
        pending, self.pending = self.pending, []
        if pending:
            self._write(self._prepare(pending))

    def _prepare(
        self, pending: list[tuple[Document, Path]]
    ) -> list[tuple[Document, Path, list[Event] | None]]:
        """Each document with its events, or None for one already stored (or queued)."""
        prepared: list[tuple[Document, Path, list[Event] | None]] = []
        queued: set[str] = set()
        for document, path in pending:
            sha = document.sha256
            known = self.store.document_by_sha(sha, viewer=self.filing.by)
            if sha in queued or known is not None:
                prepared.append((document, path, None))
                continue
            try:
                events = self.extract(document)
            except (DocumentError, VocabularyError) as error:
                # One document the extractor refuses; a misconfigured pipeline raises other
                # errors and ends the run.
                self.summary.reject(f"{path}: document {document.id!r}: {error}")
                continue
            queued.add(sha)
            prepared.append((document, path, events))
        return prepared

    def _write(self, prepared: list[tuple[Document, Path, list[Event] | None]]) -> None:
        new = known = stored_events = 0
        filing = self.filing
        with self.store.transaction(by=filing.by) as batch:
            for document, path, events in prepared:
                pk, is_new = batch.add_document(
                    document,
                    origin=str(path),
                    classification=filing.classification,
                    owner_party=filing.owner_party,
                )
                if not is_new:
                    known += 1
                    continue
                new += 1
                # None: it was stored when we looked, and is gone now; extract it after all.
                found = events if events is not None else self.extract(document)
                stored_events += batch.add_events(pk, found)
        # Counted only once committed.
        self.summary.new += new
        self.summary.known += known
        self.summary.events += stored_events


def _reporter(progress: ProgressCallback | Progress | None, files_total: int) -> ProgressCallback:
    if progress is None:
        return lambda state: None
    if isinstance(progress, Progress):
        return _RichReporter(progress, files_total)
    return progress


class _RichReporter:
    """A rich task that only shows for long runs: many files, or many documents."""

    def __init__(self, progress: Progress, files_total: int) -> None:
        self.progress = progress
        self.task: TaskID = progress.add_task(
            "ingesting", total=files_total, visible=files_total > FEW_FILES
        )

    def __call__(self, state: IngestProgress) -> None:
        long_run = state.files_total > FEW_FILES or state.documents > FEW_DOCUMENTS
        self.progress.update(
            self.task,
            completed=state.files_done,
            description=f"ingesting: {state.documents} documents",
            visible=long_run,
        )
