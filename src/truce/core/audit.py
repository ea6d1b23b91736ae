"""The audit chain's entries and hashes, as pure functions (the store writes entries,
`truce.security.audit` verifies them).

Each entry's hash covers every one of its fields and the previous entry's hash, so changing,
deleting, inserting or reordering any entry breaks the chain from that entry on; only a
rewrite of everything after it would hide the change, and signed checkpoints kept outside the
database catch that.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from pydantic_core import to_jsonable_python

#: the "previous hash" of the first entry
GENESIS_HASH = "0" * 64


def canonical_json(value: Any) -> str:
    """One spelling per value: keys sorted, no spaces, UTF-8 kept, dates as ISO 8601."""
    return json.dumps(
        to_jsonable_python(value),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    )


def content_hash(value: Any) -> str:
    """SHA-256 of a record's canonical JSON: what an audit entry says the content was."""
    return hashlib.sha256(canonical_json(value).encode()).hexdigest()


def timestamp_text(at: dt.datetime) -> str:
    """The hashed spelling of an entry's time: UTC, microseconds, always the same length."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class AuditEntry:
    """One entry of the audit log, as stored."""

    seq: int  # 1, 2, 3, ... with no gaps
    at: dt.datetime
    actor: str  # Principal.name
    action: str  # e.g. "document.add", "event.classify", "user.disable"
    entity: str  # the table, e.g. "documents"
    entity_id: str
    content_hash: str  # SHA-256 of the new content (canonical JSON)
    detail: str | None  # canonical JSON of what changed, from what (None when nothing to say)
    prev_hash: str
    hash: str

    def expected_hash(self) -> str:
        """The hash this entry should carry, given its fields and its predecessor's hash."""
        return entry_hash(
            seq=self.seq,
            at=self.at,
            actor=self.actor,
            action=self.action,
            entity=self.entity,
            entity_id=self.entity_id,
            content_hash=self.content_hash,
            detail=self.detail,
            prev_hash=self.prev_hash,
        )


def entry_hash(
    *,
    seq: int,
    at: dt.datetime,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    content_hash: str,
    detail: str | None,
    prev_hash: str,
) -> str:
    """SHA-256 over every field of an entry and the previous entry's hash."""
    fields = [
        seq,
        timestamp_text(at),
        actor,
        action,
        entity,
        entity_id,
        content_hash,
        detail,
        prev_hash,
    ]
    return hashlib.sha256(canonical_json(fields).encode()).hexdigest()
