"""Appending to the audit chain inside a write transaction, and reading it back.

Every write of a `Batch` records an entry here before the transaction commits, so a write and
its entry are committed together or not at all. Entries are chained (truce.core.audit):
appending reads the last entry under a lock, so two writers never chain onto the same one
(SQLite: the write transaction is already exclusive; PostgreSQL: an advisory lock).

Reading back: `read_chain` streams every row for verification (truce.security.audit), even
rows no writer could have stored; `audit_page` is the log as people page through it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from truce.core.audit import GENESIS_HASH, AuditEntry, canonical_json, entry_hash
from truce.core.errors import IntegrityError
from truce.store.schema import as_utc, audit_log

if TYPE_CHECKING:  # the Store imports this module for its appender
    from truce.store.store import Store

#: pg_advisory_xact_lock key held while appending ("audit" in ASCII)
_PG_AUDIT_LOCK = 0x6175646974


class AuditAppender:
    """The entries one transaction adds, chained onto the log's last entry when flushed."""

    def __init__(self, connection: Connection, actor: str) -> None:
        self._connection = connection
        self._actor = actor
        self._pending: list[dict[str, Any]] = []
        self._head: tuple[int, str] | None = None  # (seq, hash) of the last entry written

    def record(
        self,
        action: str,
        entity: str,
        entity_id: object,
        content_hash: str,
        detail: Any = None,
    ) -> None:
        """Queue one entry; `detail` (any JSON-able value) says what changed, from what."""
        self._pending.append(
            {
                "actor": self._actor,
                "action": action,
                "entity": entity,
                "entity_id": str(entity_id),
                "content_hash": content_hash,
                "detail": None if detail is None else canonical_json(detail),
            }
        )

    def flush(self) -> int:
        """Write the queued entries (called before the transaction commits); how many."""
        if not self._pending:
            return 0
        seq, prev = self._head or self._last_entry()
        at = dt.datetime.now(dt.UTC)
        rows = []
        for pending in self._pending:
            seq += 1
            row = {**pending, "seq": seq, "at": at, "prev_hash": prev}
            row["hash"] = prev = entry_hash(**row)
            rows.append(row)
        self._connection.execute(sa.insert(audit_log), rows)
        self._head = (seq, prev)
        written = len(rows)
        self._pending.clear()
        return written

    def _last_entry(self) -> tuple[int, str]:
        if self._connection.dialect.name == "postgresql":
            self._connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_AUDIT_LOCK})")
        row = self._connection.execute(
            sa.select(audit_log.c.seq, audit_log.c.hash).order_by(audit_log.c.seq.desc()).limit(1)
        ).first()
        return (0, GENESIS_HASH) if row is None else (row.seq, row.hash)


def iter_audit_entries(connection: Connection, *, after: int = 0) -> Iterator[AuditEntry]:
    """Every entry with a sequence number above `after`, in stored order (by seq)."""
    statement = sa.select(audit_log).where(audit_log.c.seq > after).order_by(audit_log.c.seq)
    result = connection.execution_options(yield_per=5000).execute(statement)
    for row in result.mappings():
        yield AuditEntry(**row)


def entries_about(connection: Connection, entity: str, entity_id: object) -> list[AuditEntry]:
    """The history of one record, oldest first."""
    statement = (
        sa.select(audit_log)
        .where(audit_log.c.entity == entity, audit_log.c.entity_id == str(entity_id))
        .order_by(audit_log.c.seq)
    )
    return [AuditEntry(**row) for row in connection.execute(statement).mappings()]


# --- reading the chain for verification and display ----------------------------------------


@dataclass(frozen=True)
class UnreadableEntry:
    """A stored row that cannot even be read as an audit entry: a value of the wrong type,
    or a time that is no time. No writer stores one; tampering can (SQLite keeps whatever
    it is given), and verification must report it rather than crash on it."""

    seq: int
    column: str
    value: str  # the stored value, shortened, for the message


#: the columns an entry holds as text (`detail` may also be NULL)
_TEXT_COLUMNS = ("actor", "action", "entity", "entity_id", "content_hash", "prev_hash", "hash")
# `at` is read as stored, not through its column type, whose parser raises on a bad value
# in the middle of the stream (SQLite only: PostgreSQL's timestamptz holds nothing else).
_RAW_COLUMNS = [
    sa.type_coerce(column, sa.Text()).label(column.name) if column.name == "at" else column
    for column in audit_log.c
]


def read_chain(store: Store) -> Generator[AuditEntry | UnreadableEntry, None, None]:
    """Every stored entry in seq order (those numbered 0 or below too), streamed in one
    read transaction, however malformed: for verification, which must see what is there."""
    statement = sa.select(*_RAW_COLUMNS).order_by(audit_log.c.seq)
    with store.reading("reading the audit log") as connection:
        result = connection.execution_options(yield_per=5000).execute(statement)
        for row in result.mappings():
            yield _entry(row)


def audit_page(
    store: Store,
    *,
    entity: str | None = None,
    entity_id: str | None = None,
    after: int = 0,
    limit: int = 100,
) -> list[AuditEntry]:
    """Up to `limit` entries above `after`, oldest first, of one table and/or one record id.

    IntegrityError for a row that cannot be read as an entry (`truce audit verify` says more).
    """
    statement = sa.select(*_RAW_COLUMNS).where(audit_log.c.seq > after)
    if entity is not None:
        statement = statement.where(audit_log.c.entity == entity)
    if entity_id is not None:
        statement = statement.where(audit_log.c.entity_id == entity_id)
    statement = statement.order_by(audit_log.c.seq).limit(limit)
    with store.reading("reading the audit log") as connection:
        rows = connection.execute(statement).mappings().all()
    entries = []
    for row in rows:
        entry = _entry(row)
        if isinstance(entry, UnreadableEntry):
            raise IntegrityError(
                f"audit entry {entry.seq} is unreadable: its {entry.column} is {entry.value}"
            )
        entries.append(entry)
    return entries


def _entry(row: RowMapping) -> AuditEntry | UnreadableEntry:
    seq = row["seq"]
    for name in _TEXT_COLUMNS:
        if not isinstance(row[name], str):
            return UnreadableEntry(seq, name, _shown(row[name]))
    detail = row["detail"]
    if detail is not None and not isinstance(detail, str):
        return UnreadableEntry(seq, "detail", _shown(detail))
    at = _timestamp(row["at"])
    if at is None:
        return UnreadableEntry(seq, "at", _shown(row["at"]))
    return AuditEntry(
        seq=seq,
        at=at,
        actor=row["actor"],
        action=row["action"],
        entity=row["entity"],
        entity_id=row["entity_id"],
        content_hash=row["content_hash"],
        detail=detail,
        prev_hash=row["prev_hash"],
        hash=row["hash"],
    )


def _timestamp(value: object) -> dt.datetime | None:
    """A stored time as UTCDateTime reads it (naive is UTC), or None if it is not one."""
    if isinstance(value, dt.datetime):
        return as_utc(value)
    if isinstance(value, str):
        try:
            return as_utc(dt.datetime.fromisoformat(value))
        except ValueError:
            return None
    return None


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:59] + "…"
