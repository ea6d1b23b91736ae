"""Appending to the audit chain inside a write transaction, and reading it back.

Every write of a `Batch` records an entry here before the transaction commits, so a write and
its entry are committed together or not at all. Entries are chained (truce.core.audit):
appending reads the last entry under a lock, so two writers never chain onto the same one
(SQLite: the write transaction is already exclusive; PostgreSQL: an advisory lock).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from truce.core.audit import GENESIS_HASH, AuditEntry, canonical_json, entry_hash
from truce.store.schema import audit_log

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
