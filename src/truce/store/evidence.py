"""Evidence files, their working copies and chain of custody: every query of the three tables.

Reads take the viewer and add `visible_to(evidence_files, viewer)`, so a record someone may
not see looks the same as one that does not exist. Writes go through a `Batch` and record one
audit entry per row written. The rules (who may write what, hashing the files) are
`truce.evidence`'s; this module only reads and writes rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, RowMapping

from truce.core.access import Classification, Principal
from truce.core.audit import content_hash
from truce.core.errors import NotFoundError
from truce.store.access import visible_to
from truce.store.schema import custody_events, evidence_copies, evidence_files
from truce.store.store import MAX_ID, Batch, Store


@dataclass(frozen=True)
class CustodyEntry:
    """One link of a file's chain of custody: who handed it to whom, when, and the hash of
    the original as it was read at that moment."""

    id: int
    action: str  # received, handover, copied, exported, verified
    from_whom: str | None
    to_whom: str | None
    at: dt.datetime
    recorded_by: str
    note: str | None
    sha256_checked: str | None


@dataclass(frozen=True)
class WorkingCopy:
    """A copy of an original made for analysis; `path` is relative to the vault's root."""

    id: int
    evidence_id: int
    sha256: str  # of the copy's bytes when it was made (the original's)
    purpose: str
    path: str
    created_by: str
    created_at: dt.datetime


@dataclass(frozen=True)
class EvidenceRecord:
    """An evidence file as stored, with its chain of custody (oldest first) and copies."""

    id: int
    sha256: str
    size: int
    media_type: str
    original_name: str
    description: str | None
    received_from: str
    received_by: str
    received_at: dt.datetime
    created_at: dt.datetime
    classification: Classification
    owner_party: str | None
    custody: tuple[CustodyEntry, ...] = ()
    copies: tuple[WorkingCopy, ...] = ()


@dataclass(frozen=True)
class NewEvidence:
    """The values of a new evidence_files row."""

    sha256: str
    size: int
    media_type: str
    original_name: str
    description: str | None
    received_from: str
    received_by: str
    received_at: dt.datetime
    created_at: dt.datetime
    classification: Classification
    owner_party: str | None


@dataclass(frozen=True)
class NewCustody:
    """The values of a new custody_events row."""

    action: str
    from_whom: str | None
    to_whom: str | None
    at: dt.datetime
    note: str | None = None
    sha256_checked: str | None = None


# --- reading ------------------------------------------------------------------------------


def get_evidence_record(store: Store, evidence_id: int, *, viewer: Principal) -> EvidenceRecord:
    """The evidence `evidence_id` with its custody and copies; NotFoundError if there is none
    or `viewer` may not see it."""
    if not _possible_id(evidence_id):
        raise NotFoundError(f"no evidence with id {evidence_id}")
    with store.reading("reading evidence") as connection:
        record = _record_where(connection, evidence_files.c.id == evidence_id, viewer)
        if record is None:
            raise NotFoundError(f"no evidence with id {evidence_id}")
        return _with_history(connection, [record])[0]


def list_evidence_records(
    store: Store, *, viewer: Principal, limit: int, offset: int
) -> list[EvidenceRecord]:
    """A page of the evidence `viewer` may see, the last added first."""
    statement = (
        sa.select(evidence_files)
        .where(visible_to(evidence_files, viewer))
        .order_by(evidence_files.c.id.desc())
        .limit(limit)
        .offset(offset)
    )
    with store.reading("listing evidence") as connection:
        records = [_record(row) for row in connection.execute(statement).mappings()]
        return _with_history(connection, records)


def all_evidence_records(store: Store, *, viewer: Principal) -> list[EvidenceRecord]:
    """Every evidence record `viewer` may see, oldest first, without custody or copies."""
    statement = (
        sa.select(evidence_files)
        .where(visible_to(evidence_files, viewer))
        .order_by(evidence_files.c.id)
    )
    with store.reading("listing evidence") as connection:
        return [_record(row) for row in connection.execute(statement).mappings()]


# --- writing (inside a Batch) -------------------------------------------------------------


def evidence_in_batch(batch: Batch, evidence_id: int) -> EvidenceRecord:
    """The evidence `evidence_id` as the batch's principal sees it, with its custody, read
    inside the batch's transaction; NotFoundError if absent or not visible to them."""
    record = None
    if _possible_id(evidence_id):
        record = _record_where(batch.connection, evidence_files.c.id == evidence_id, batch.by)
    if record is None:
        raise NotFoundError(f"no evidence with id {evidence_id}")
    return _with_history(batch.connection, [record])[0]


def evidence_by_sha_in_batch(batch: Batch, sha256: str) -> EvidenceRecord | None:
    """The evidence with these bytes, whoever may see it (the caller decides what the
    batch's principal may learn of it), with its custody; None if the vault has none."""
    row = (
        batch.connection.execute(sa.select(evidence_files).where(evidence_files.c.sha256 == sha256))
        .mappings()
        .first()
    )
    if row is None:
        return None
    return _with_history(batch.connection, [_record(row)])[0]


def insert_evidence(batch: Batch, new: NewEvidence) -> int | None:
    """Insert the evidence row, recording `evidence.add`; its id, or None when a concurrent
    writer stored the same bytes first."""
    values = _evidence_values(new)
    insert = postgresql.insert if batch.connection.dialect.name == "postgresql" else sqlite.insert
    statement = (
        insert(evidence_files)
        .values(values)
        .on_conflict_do_nothing(index_elements=["sha256"])
        .returning(evidence_files.c.id)
    )
    evidence_id = batch.connection.execute(statement).scalar_one_or_none()
    if evidence_id is not None:
        batch.audit.record("evidence.add", evidence_files.name, evidence_id, content_hash(values))
    return evidence_id


def insert_custody(
    batch: Batch, evidence_id: int, new: NewCustody, *, audit_action: str
) -> CustodyEntry:
    """Append a custody entry recorded by the batch's principal, and its audit entry."""
    values: dict[str, Any] = {
        "evidence_id": evidence_id,
        "action": new.action,
        "from_whom": new.from_whom,
        "to_whom": new.to_whom,
        "at": new.at,
        "recorded_by": batch.by.name,
        "note": new.note,
        "sha256_checked": new.sha256_checked,
    }
    custody_id = batch.connection.execute(
        sa.insert(custody_events).values(values).returning(custody_events.c.id)
    ).scalar_one()
    batch.audit.record(audit_action, custody_events.name, custody_id, content_hash(values))
    return CustodyEntry(
        id=custody_id,
        action=new.action,
        from_whom=new.from_whom,
        to_whom=new.to_whom,
        at=new.at,
        recorded_by=batch.by.name,
        note=new.note,
        sha256_checked=new.sha256_checked,
    )


def insert_copy(
    batch: Batch,
    evidence_id: int,
    *,
    sha256: str,
    purpose: str,
    created_at: dt.datetime,
    path_for: Callable[[int], str],
) -> WorkingCopy:
    """Insert a working copy's row and record `evidence.copy`. Its path names its id, so the
    row is inserted first and `path_for(copy_id) -> str` gives the path to store."""
    values: dict[str, Any] = {
        "evidence_id": evidence_id,
        "sha256": sha256,
        "purpose": purpose,
        "path": "",
        "created_by": batch.by.name,
        "created_at": created_at,
    }
    copy_id = batch.connection.execute(
        sa.insert(evidence_copies).values(values).returning(evidence_copies.c.id)
    ).scalar_one()
    values["path"] = path_for(copy_id)
    batch.connection.execute(
        sa.update(evidence_copies)
        .where(evidence_copies.c.id == copy_id)
        .values(path=values["path"])
    )
    batch.audit.record("evidence.copy", evidence_copies.name, copy_id, content_hash(values))
    return WorkingCopy(
        id=copy_id,
        evidence_id=evidence_id,
        sha256=sha256,
        purpose=purpose,
        path=values["path"],
        created_by=batch.by.name,
        created_at=created_at,
    )


# --- rows to records ----------------------------------------------------------------------


def _evidence_values(new: NewEvidence) -> dict[str, Any]:
    return {
        "sha256": new.sha256,
        "size": new.size,
        "media_type": new.media_type,
        "original_name": new.original_name,
        "description": new.description,
        "received_from": new.received_from,
        "received_by": new.received_by,
        "received_at": new.received_at,
        "created_at": new.created_at,
        "classification": new.classification.value,
        "owner_party": new.owner_party,
    }


def _record_where(
    connection: Connection, condition: sa.ColumnElement[bool], viewer: Principal
) -> EvidenceRecord | None:
    statement = sa.select(evidence_files).where(condition, visible_to(evidence_files, viewer))
    row = connection.execute(statement).mappings().first()
    return None if row is None else _record(row)


def _record(row: RowMapping) -> EvidenceRecord:
    return EvidenceRecord(
        id=row["id"],
        sha256=row["sha256"],
        size=row["size"],
        media_type=row["media_type"],
        original_name=row["original_name"],
        description=row["description"],
        received_from=row["received_from"],
        received_by=row["received_by"],
        received_at=row["received_at"],
        created_at=row["created_at"],
        classification=Classification(row["classification"]),
        owner_party=row["owner_party"],
    )


def _with_history(
    connection: Connection, records: Sequence[EvidenceRecord]
) -> list[EvidenceRecord]:
    """The records with their custody entries and copies, read in two queries."""
    ids = [record.id for record in records]
    if not ids:
        return []
    custody: dict[int, list[CustodyEntry]] = {pk: [] for pk in ids}
    statement = (
        sa.select(custody_events)
        .where(custody_events.c.evidence_id.in_(ids))
        .order_by(custody_events.c.at, custody_events.c.id)
    )
    for row in connection.execute(statement).mappings():
        custody[row["evidence_id"]].append(
            CustodyEntry(
                id=row["id"],
                action=row["action"],
                from_whom=row["from_whom"],
                to_whom=row["to_whom"],
                at=row["at"],
                recorded_by=row["recorded_by"],
                note=row["note"],
                sha256_checked=row["sha256_checked"],
            )
        )
    copies: dict[int, list[WorkingCopy]] = {pk: [] for pk in ids}
    statement = (
        sa.select(evidence_copies)
        .where(evidence_copies.c.evidence_id.in_(ids))
        .order_by(evidence_copies.c.id)
    )
    for row in connection.execute(statement).mappings():
        copies[row["evidence_id"]].append(WorkingCopy(**row))
    return [
        replace(record, custody=tuple(custody[record.id]), copies=tuple(copies[record.id]))
        for record in records
    ]


def _possible_id(evidence_id: int) -> bool:
    """Ids are positive 32-bit integers; asking PostgreSQL for others is an error, not a miss."""
    return 0 < evidence_id <= MAX_ID
