"""What the security tests share: a password, and reading the audit log back."""

from __future__ import annotations

from truce.core.audit import AuditEntry
from truce.store import Store
from truce.store.audit import iter_audit_entries

PASSWORD = "correct horse battery staple"


def audit_entries(store: Store, *, after: int = 0) -> list[AuditEntry]:
    with store.reading("reading the audit log") as connection:
        return list(iter_audit_entries(connection, after=after))


def last_seq(store: Store) -> int:
    entries = audit_entries(store)
    return entries[-1].seq if entries else 0


def actions(store: Store, *, after: int = 0) -> list[tuple[str, str, str]]:
    """(action, entity, entity_id) of each entry after `after`."""
    return [(e.action, e.entity, e.entity_id) for e in audit_entries(store, after=after)]
