"""The Store: documents and events in, pages of events out. Nothing else in truce writes SQL."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from types import TracebackType
from typing import Any, Literal, Self

import sqlalchemy as sa
from pydantic_core import to_jsonable_python
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine, RowMapping
from sqlalchemy.sql.elements import ColumnElement

from truce.core.access import Classification, Principal
from truce.core.audit import content_hash
from truce.core.errors import NotFoundError, PermissionDeniedError
from truce.core.models import Document, Event
from truce.store.access import visibility_branches, visible_to
from truce.store.audit import AuditAppender
from truce.store.engine import begin_writing, create_store_engine, database_errors
from truce.store.migrate import ensure_schema
from truce.store.query import EventQuery
from truce.store.records import EventPage, StoredDocument, StoredEvent
from truce.store.schema import as_utc, documents, events
from truce.store.search import search_terms, text_condition, text_count
from truce.store.url import database_url, hide_password

#: columns an Event maps onto one to one (evidence, sources and extras are spelled out below)
PLAIN_EVENT_FIELDS = (
    "event_type",
    "sub_event_type",
    "plover",
    "modality",
    "event_date",
    "time_precision",
    "actor1",
    "actor2",
    "inter1",
    "inter2",
    "location",
    "admin1",
    "country",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    "confidence",
)
_EVENT_COLUMNS = [
    events.c.id,
    events.c.document_pk,
    *(events.c[name] for name in PLAIN_EVENT_FIELDS),
    events.c.sources,
    events.c.evidence_text,
    events.c.evidence_start,
    events.c.evidence_end,
    events.c.extra,
    events.c.classification,
    events.c.owner_party,
]
_DOCUMENT_OF_EVENT = [
    documents.c.doc_id,
    documents.c.title,
    documents.c.source,
    documents.c.url,
    documents.c.published,
    documents.c.published_has_time,
]
#: how open each classification is: an event is never more open than its document
_OPENNESS = {
    Classification.PUBLIC: 2,
    Classification.COMMITTEE: 1,
    Classification.RESTRICTED: 0,
}
MAX_ID = 2**31 - 1
#: a text search matching this many events pages along the date order (see query_events)
WALK_DATE_ORDER_FROM = 5_000
#: a PostgreSQL transaction storing this many events analyses the tables afterwards
ANALYZE_AFTER = 10_000

log = logging.getLogger(__name__)

_NEWEST_FIRST = (events.c.event_date.desc().nulls_last(), events.c.id.desc())


class Store:
    """A database of documents and events. Open with `Store.open(url)`; close when done."""

    def __init__(self, engine: Engine, url: str) -> None:
        self._engine = engine
        self._url = url
        self._dialect = engine.dialect.name

    @classmethod
    def open(cls, url: str | None = None, *, migrate: bool = True) -> Store:
        """Open the database at `url` (see `database_url`), upgrading its schema to head.

        With `migrate=False` a schema not at head raises MigrationError instead.
        """
        resolved = database_url(url)
        engine = create_store_engine(resolved)
        try:
            ensure_schema(engine, resolved, migrate=migrate)
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, resolved)

    @property
    def url(self) -> str:
        """The database URL, password hidden."""
        return hide_password(self._url)

    @property
    def dialect(self) -> str:
        """ "sqlite" or "postgresql"."""
        return self._dialect

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # --- writing -------------------------------------------------------------------------

    @contextmanager
    def transaction(self, *, by: Principal) -> Iterator[Batch]:
        """One unit of writes by `by`: committed when the block ends with its audit entries,
        rolled back with them if it raises."""
        with database_errors("writing", self._url), self._engine.connect() as connection:
            begin_writing(connection)
            with connection.begin():
                batch = Batch(connection, self._url, by)
                yield batch
                batch.audit.flush()
            _refresh_statistics(connection, batch.new_events)

    # --- reading -------------------------------------------------------------------------

    @contextmanager
    def reading(self, action: str) -> Iterator[Connection]:
        """A connection in a read transaction, for truce.store's own modules only: reads
        from outside the store go through methods that take the viewer."""
        # one transaction per read, so a page and its total see the same snapshot
        with (
            database_errors(action, self._url),
            self._engine.connect() as connection,
            connection.begin(),
        ):
            yield connection

    def document_by_sha(self, sha256: str, *, viewer: Principal) -> StoredDocument | None:
        """The document whose normalised text has this SHA-256, if stored and visible."""
        statement = sa.select(documents).where(
            documents.c.sha256 == sha256.lower(), visible_to(documents, viewer)
        )
        with self.reading("reading a document") as connection:
            row = connection.execute(statement).mappings().first()
        return None if row is None else _stored_document(row)

    def get_document(self, pk: int, *, viewer: Principal) -> StoredDocument:
        """The document `pk`; NotFoundError if there is none or `viewer` may not see it."""
        if not _possible_id(pk):
            raise NotFoundError(f"no document with id {pk}")
        statement = sa.select(documents).where(documents.c.id == pk, visible_to(documents, viewer))
        with self.reading("reading a document") as connection:
            row = connection.execute(statement).mappings().first()
        if row is None:
            raise NotFoundError(f"no document with id {pk}")
        return _stored_document(row)

    def get_event(self, pk: int, *, viewer: Principal) -> StoredEvent:
        """The event `pk`; NotFoundError if there is none or `viewer` may not see it."""
        if not _possible_id(pk):
            raise NotFoundError(f"no event with id {pk}")
        statement = events_select().where(events.c.id == pk, visible_to(events, viewer))
        with self.reading("reading an event") as connection:
            row = connection.execute(statement).mappings().first()
        if row is None:
            raise NotFoundError(f"no event with id {pk}")
        return stored_event(row)

    def query_events(self, query: EventQuery | None = None, *, viewer: Principal) -> EventPage:
        """One page of the events matching `query` that `viewer` may see, newest first, and
        how many match in all."""
        query = query or EventQuery()
        filters = self.event_filters(query)
        terms = search_terms(query.text)
        branches = visibility_branches(events, viewer)
        count = self._count(filters, terms, branches)
        if branches:
            filters.append(sa.or_(*branches))
        with self.reading("querying events") as connection:
            total = connection.execute(count).scalar_one()
            rows: Sequence[RowMapping] = []
            if total > query.offset:
                # Many matches: walk the date order, testing each event against the search's
                # matches, rather than look up and sort every match to keep a hundred.
                by_date = total >= WALK_DATE_ORDER_FROM
                conditions = filters
                if terms:
                    conditions = [*filters, text_condition(terms, self._dialect, by_date)]
                # The page's ids first, from indexes alone where possible, then just those
                # rows with their documents: sorting and skipping never drag whole rows along.
                page_ids = (
                    sa.select(events.c.id)
                    .where(*conditions)
                    .order_by(*_NEWEST_FIRST)
                    .limit(query.limit)
                    .offset(query.offset)
                )
                page = events_select().where(events.c.id.in_(page_ids)).order_by(*_NEWEST_FIRST)
                rows = connection.execute(page).mappings().all()
        return EventPage(
            items=[stored_event(row) for row in rows],
            total=total,
            limit=query.limit,
            offset=query.offset,
        )

    def iter_events(
        self, query: EventQuery | None = None, *, viewer: Principal
    ) -> Iterator[StoredEvent]:
        """Every event matching `query`'s filters that `viewer` may see (its limit and offset
        are ignored), newest first, streamed: for exports, where pages would be slow."""
        query = query or EventQuery()
        conditions = [*self.event_filters(query), visible_to(events, viewer)]
        terms = search_terms(query.text)
        if terms:
            conditions.append(text_condition(terms, self._dialect))
        statement = events_select().where(*conditions).order_by(*_NEWEST_FIRST)
        with self.reading("exporting events") as connection:
            result = connection.execution_options(yield_per=1000).execute(statement)
            for row in result.mappings():
                yield stored_event(row)

    def count_events(self, *, viewer: Principal) -> int:
        statement = sa.select(sa.func.count()).select_from(events)
        if not viewer.sees_everything:
            statement = statement.where(visible_to(events, viewer))
        with self.reading("counting events") as connection:
            return connection.execute(statement).scalar_one()

    def count_documents(self, *, viewer: Principal) -> int:
        statement = sa.select(sa.func.count()).select_from(documents)
        if not viewer.sees_everything:
            statement = statement.where(visible_to(documents, viewer))
        with self.reading("counting documents") as connection:
            return connection.execute(statement).scalar_one()

    def _count(
        self,
        filters: list[ColumnElement[bool]],
        terms: list[str],
        branches: list[ColumnElement[bool]],
    ) -> sa.Select[Any]:
        """How many events match: one count per visibility branch, summed."""
        if terms and not filters and not branches:
            return text_count(terms, self._dialect)  # the index has one entry per event
        counts = []
        for branch in branches or [sa.true()]:
            count = sa.select(sa.func.count()).select_from(events).where(*filters, branch)
            if terms:
                count = count.where(text_condition(terms, self._dialect))
            counts.append(count.scalar_subquery())
        if len(counts) == 1:
            return sa.select(counts[0])
        return sa.select(sum(counts[1:], counts[0]))

    def event_filters(self, query: EventQuery) -> list[ColumnElement[bool]]:
        """The conditions of every filter but the free text (visibility is the caller's)."""
        conditions: list[ColumnElement[bool]] = []
        if query.start is not None:
            conditions.append(events.c.event_date >= query.start)
        if query.end is not None:
            conditions.append(events.c.event_date <= query.end)
        if query.event_type is not None:
            conditions.append(events.c.event_type == query.event_type)
        if query.sub_event_type is not None:
            conditions.append(events.c.sub_event_type == query.sub_event_type)
        if query.plover is not None:
            conditions.append(events.c.plover == query.plover.value)
        if query.country is not None:
            conditions.append(events.c.country == query.country)
        if query.actor is not None:
            conditions.append(_actor_condition(query.actor, self._dialect))
        if query.bbox is not None:
            min_lon, min_lat, max_lon, max_lat = query.bbox
            conditions.append(events.c.latitude.between(min_lat, max_lat))
            conditions.append(events.c.longitude.between(min_lon, max_lon))
        return conditions


class Batch:
    """The writes of one transaction by one principal (see `Store.transaction`); each write
    queues its audit entry on `audit`, written when the transaction commits."""

    def __init__(self, connection: Connection, url: str, by: Principal) -> None:
        self._connection = connection
        self._url = url
        self.by = by
        self.audit = AuditAppender(connection, by.name)
        self._statements = _write_statements(connection.dialect.name)
        self._documents: dict[int, _DocumentAccess] = {}
        self.new_events = 0  # stored by this batch so far

    @property
    def connection(self) -> Connection:
        """For truce.store's own modules, which add their writes to the same transaction."""
        return self._connection

    def add_document(
        self,
        document: Document,
        origin: str | None = None,
        *,
        classification: Classification = Classification.COMMITTEE,
        owner_party: str | None = None,
    ) -> tuple[int, bool]:
        """Store `document` unless one with the same normalised text is; (pk, is_new).

        A document already stored keeps the classification and owner it was stored with.
        """
        self.by.check_may_create(classification, owner_party)
        sha = document.sha256
        with database_errors("storing a document", self._url):
            pk = self._document_pk(sha)
            if pk is not None:
                return pk, False
            published, has_time = _published_columns(document.published)
            values = {
                "sha256": sha,
                "doc_id": document.id,
                "title": document.title,
                "source": document.source,
                "url": document.url,
                "published": published,
                "published_has_time": has_time,
                "retrieved": as_utc(document.retrieved) if document.retrieved else None,
                "language": document.language,
                "text": document.text,
                "origin": origin,
                "owner_party": owner_party,
                "classification": classification.value,
            }
            pk = self._connection.execute(
                self._statements.insert_document, values
            ).scalar_one_or_none()
            if pk is None:  # stored by a concurrent writer between our look-up and insert
                found = self._document_pk(sha)
                assert found is not None
                return found, False
            self._documents[pk] = _DocumentAccess(sha, classification, owner_party)
            self.audit.record("document.add", "documents", pk, content_hash(values))
            return pk, True

    def add_events(self, document_pk: int, events_: Iterable[Event]) -> int:
        """Store the events extracted from a stored document; how many were new. They take
        the document's classification and owner party.

        An event already stored for the same document, type, modality, evidence span, date
        and place (see `event_key`) is skipped, so storing an extraction again changes nothing.
        """
        with database_errors("storing events", self._url):
            document = self._document_access(document_pk)
            self.by.check_may_create(document.classification, document.owner_party)
            rows: dict[str, dict[str, Any]] = {}
            for event in events_:
                row = event_row(document_pk, document.sha256, event)
                row["classification"] = document.classification.value
                row["owner_party"] = document.owner_party
                rows.setdefault(row["event_key"], row)
            if not rows:
                return 0
            inserted = self._connection.execute(
                self._statements.insert_events, list(rows.values())
            ).all()
            for pk, key in inserted:
                self.audit.record("event.add", "events", pk, content_hash(rows[key]))
            self.new_events += len(inserted)
            return len(inserted)

    def set_classification(
        self,
        kind: Literal["document", "event"],
        pk: int,
        classification: Classification,
        owner_party: str | None = None,
    ) -> int:
        """Reclassify a document (and its events with it) or one event; how many records
        changed. Nothing is lost: the audit keeps what each was and who changed it.

        An event is never more open than its document, nor restricted to another party.
        """
        table = documents if kind == "document" else events
        with database_errors(f"reclassifying a {kind}", self._url):
            row = (
                self._connection.execute(
                    sa.select(table.c.classification, table.c.owner_party).where(
                        table.c.id == pk, visible_to(table, self.by)
                    )
                ).first()
                if _possible_id(pk)
                else None
            )
            if row is None:
                raise NotFoundError(f"no {kind} with id {pk}")
            self.by.check_may_create(row.classification, row.owner_party)
            self.by.check_may_create(classification, owner_party)
            if kind == "event":
                document_pk = self._connection.execute(
                    sa.select(events.c.document_pk).where(events.c.id == pk)
                ).scalar_one()
                _check_event_within(self._document_access(document_pk), classification, owner_party)
                targets = [(events, "event", pk)]
            else:
                event_ids = self._connection.execute(
                    sa.select(events.c.id).where(events.c.document_pk == pk).order_by(events.c.id)
                ).scalars()
                targets = [(documents, "document", pk)] + [
                    (events, "event", event_id) for event_id in event_ids
                ]
                self._documents.pop(pk, None)
            new = {"classification": classification.value, "owner_party": owner_party}
            was = {"classification": row.classification, "owner_party": row.owner_party}
            if new == was:
                return 0
            for target, name, target_pk in targets:
                self._connection.execute(sa.update(target).where(target.c.id == target_pk), new)
                self.audit.record(
                    f"{name}.classify",
                    target.name,
                    target_pk,
                    content_hash(_row_content(self._connection, target, target_pk)),
                    {"was": was, "now": new},
                )
            return len(targets)

    def _document_pk(self, sha: str) -> int | None:
        return self._connection.execute(
            self._statements.document_pk, {"sha256": sha}
        ).scalar_one_or_none()

    def _document_access(self, pk: int) -> _DocumentAccess:
        if pk not in self._documents:
            row = (
                self._connection.execute(self._statements.document_access, {"pk": pk}).first()
                if _possible_id(pk)
                else None
            )
            if row is None:
                raise NotFoundError(f"no document with id {pk} to add events to")
            self._documents[pk] = _DocumentAccess(
                row.sha256, Classification(row.classification), row.owner_party
            )
        return self._documents[pk]


@dataclass(frozen=True)
class _DocumentAccess:
    sha256: str
    classification: Classification
    owner_party: str | None


def _check_event_within(
    document: _DocumentAccess, classification: Classification, owner_party: str | None
) -> None:
    if _OPENNESS[classification] > _OPENNESS[document.classification]:
        raise PermissionDeniedError(
            f"an event cannot be {classification} while its document is "
            f"{document.classification}: reclassify the document"
        )
    if classification is Classification.RESTRICTED and owner_party != document.owner_party:
        raise PermissionDeniedError(
            f"an event of a document of {document.owner_party or 'no party'} cannot be "
            f"restricted to {owner_party or 'no party'}"
        )


def _row_content(connection: Connection, table: sa.Table, pk: int) -> dict[str, Any]:
    """A record as stored, for its audit entry's content hash (the creation time aside,
    which the database sets)."""
    row = connection.execute(sa.select(table).where(table.c.id == pk)).mappings().one()
    return {name: value for name, value in row.items() if name not in {"id", "created_at"}}


@dataclass(frozen=True)
class _WriteStatements:
    """Built once per dialect and reused, so SQLAlchemy compiles each one once."""

    insert_document: sa.Insert
    insert_events: sa.Insert
    document_pk: sa.Select[int]
    document_access: sa.Select[Any]


@cache
def _write_statements(dialect: str) -> _WriteStatements:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return _WriteStatements(
        insert_document=insert(documents)
        .on_conflict_do_nothing(index_elements=["sha256"])
        .returning(documents.c.id),
        insert_events=insert(events)
        .on_conflict_do_nothing(index_elements=["event_key"])
        .returning(events.c.id, events.c.event_key),
        document_pk=sa.select(documents.c.id).where(documents.c.sha256 == sa.bindparam("sha256")),
        document_access=sa.select(
            documents.c.sha256, documents.c.classification, documents.c.owner_party
        ).where(documents.c.id == sa.bindparam("pk")),
    )


def _refresh_statistics(connection: Connection, new_events: int) -> None:
    """Keep the query planner's statistics fresh after writes, so filters pick their indexes.

    SQLite's `PRAGMA optimize` re-analyses only tables that changed a lot, so it is cheap to
    run after every write. PostgreSQL's autovacuum gets there too, but only after a while: a
    bulk load is analysed at once. Failing here loses nothing (the data is committed), so a
    failure is logged, not raised.
    """
    if connection.dialect.name == "sqlite":
        statement = "PRAGMA optimize"
    elif new_events >= ANALYZE_AFTER:
        statement = "ANALYZE events, events_fts, documents"
    else:
        return
    try:
        with connection.begin():
            connection.exec_driver_sql(statement)
    except sa.exc.SQLAlchemyError as error:
        log.warning("refreshing planner statistics failed: %s", error)


def event_key(document_sha: str, event: Event) -> str:
    """What makes two extractions of one document the same event, hashed."""
    parts = [
        document_sha,
        event.event_type,
        event.sub_event_type,
        event.plover,
        event.modality,
        event.evidence.start,
        event.evidence.end,
        event.event_date.isoformat() if event.event_date else None,
        event.location,
    ]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()


def event_row(document_pk: int, document_sha: str, event: Event) -> dict[str, Any]:
    """The `events` row of an event of a stored document."""
    row: dict[str, Any] = {name: getattr(event, name) for name in PLAIN_EVENT_FIELDS}
    for name in ("plover", "modality", "time_precision", "geo_precision", "inter1", "inter2"):
        row[name] = getattr(row[name], "value", row[name])  # enum members as their codes
    row.update(
        document_pk=document_pk,
        sources=list(event.sources),
        evidence_text=event.evidence.text,
        evidence_start=event.evidence.start,
        evidence_end=event.evidence.end,
        extra=to_jsonable_python(event.model_extra) if event.model_extra else None,
        event_key=event_key(document_sha, event),
    )
    return row


def _possible_id(pk: int) -> bool:
    """Ids are positive 32-bit integers; asking PostgreSQL for others is an error, not a miss."""
    return 0 < pk <= MAX_ID


def _actor_condition(actor: str, dialect: str) -> ColumnElement[bool]:
    if dialect == "sqlite":
        # SQLite's LIKE ignores case already (ASCII, as its lower() does): no lower() calls
        return sa.or_(
            events.c.actor1.contains(actor, autoescape=True),
            events.c.actor2.contains(actor, autoescape=True),
        )
    return sa.or_(
        events.c.actor1.icontains(actor, autoescape=True),
        events.c.actor2.icontains(actor, autoescape=True),
    )


def events_select() -> sa.Select[Any]:
    return sa.select(*_EVENT_COLUMNS, *_DOCUMENT_OF_EVENT).select_from(
        events.join(documents, events.c.document_pk == documents.c.id)
    )


def stored_event(row: RowMapping) -> StoredEvent:
    data: dict[str, Any] = dict(row.get("extra") or {})
    data.update({name: row[name] for name in PLAIN_EVENT_FIELDS})
    data.update(
        id=row["id"],
        document_pk=row["document_pk"],
        doc_id=row["doc_id"],
        sources=row["sources"] or [],
        evidence={
            "text": row["evidence_text"],
            "start": row["evidence_start"],
            "end": row["evidence_end"],
        },
        title=row["title"],
        source=row["source"],
        url=row["url"],
        published=published_value(row["published"], row["published_has_time"]),
        classification=row["classification"],
        owner_party=row["owner_party"],
    )
    return StoredEvent.model_validate(data)


def _stored_document(row: RowMapping) -> StoredDocument:
    return StoredDocument(
        pk=row["id"],
        sha256=row["sha256"],
        doc_id=row["doc_id"],
        title=row["title"],
        source=row["source"],
        url=row["url"],
        published=published_value(row["published"], row["published_has_time"]),
        retrieved=row["retrieved"],
        language=row["language"],
        text=row["text"],
        origin=row["origin"],
        created_at=row["created_at"],
        classification=row["classification"],
        owner_party=row["owner_party"],
    )


def _published_columns(value: dt.datetime | dt.date | None) -> tuple[dt.datetime | None, bool]:
    """(published, published_has_time): a bare date is stored as midnight UTC."""
    if value is None:
        return None, False
    if isinstance(value, dt.datetime):
        return as_utc(value), True
    return dt.datetime.combine(value, dt.time(), tzinfo=dt.UTC), False


def published_value(value: dt.datetime | None, has_time: bool) -> dt.datetime | dt.date | None:
    if value is None:
        return None
    return value if has_time else value.date()
