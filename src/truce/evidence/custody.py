"""The evidence operations: receive a file, read records, hand over, copy, export, verify.

Every operation that touches an original re-hashes it first, and refuses (IntegrityError,
nothing recorded) when the bytes no longer match the hash they were stored with. Every
operation that records something checks that its principal may write the record
(`Principal.check_may_create` with the record's classification and owner party).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from truce.core.access import Classification, Principal
from truce.core.errors import InputError, IntegrityError, PermissionDeniedError
from truce.evidence.records import (
    CustodyAction,
    CustodyEntry,
    EvidenceRecord,
    ProblemKind,
    VaultProblem,
    VaultReport,
    WorkingCopy,
)
from truce.evidence.vault import CHUNK_BYTES, EvidenceVault, ReceivedFile
from truce.store import Batch, Store
from truce.store.evidence import (
    NewCustody,
    NewEvidence,
    all_evidence_records,
    evidence_by_sha_in_batch,
    evidence_in_batch,
    get_evidence_record,
    insert_copy,
    insert_custody,
    insert_evidence,
    list_evidence_records,
)

#: longest name, note or description accepted
MAX_TEXT = 2000
MAX_PAGE = 1000
#: clocks differ: a receipt this far in the future is still believed
CLOCK_SKEW = dt.timedelta(minutes=5)
WORKING_COPY_MODE = 0o640
EXPORT_MODE = 0o444


@dataclass(frozen=True)
class _Receipt:
    """Who handed a file to whom and when (None: now), checked."""

    received_from: str
    received_by: str
    received_at: dt.datetime | None
    description: str | None
    classification: Classification
    owner_party: str | None

    def matches(self, entry: CustodyEntry) -> bool:
        """Whether `entry` already records this receipt (any time, when none was given)."""
        return (
            entry.action == CustodyAction.RECEIVED
            and entry.from_whom == self.received_from
            and entry.to_whom == self.received_by
            and (self.received_at is None or entry.at == self.received_at)
        )


def check_may_add(by: Principal) -> None:
    """PermissionDeniedError unless `by` may add evidence at all (before reading a file)."""
    if not by.may_write:
        raise PermissionDeniedError(f"{by.name} ({by.role}) may not add evidence")


def add_evidence(
    store: Store,
    vault: EvidenceVault,
    source: Path | BinaryIO,
    *,
    original_name: str,
    received_from: str,
    received_by: str,
    by: Principal,
    received_at: dt.datetime | None = None,
    description: str | None = None,
    classification: Classification = Classification.COMMITTEE,
    owner_party: str | None = None,
) -> EvidenceRecord:
    """Receive a file into the vault and record it, with a "received" custody entry.

    The same bytes again give the existing record (its classification kept); a "received"
    entry is added only when this receipt (from, by, at) is not recorded yet, so running the
    same command twice changes nothing while a second genuine hand-over is recorded.
    """
    receipt = _receipt(
        received_from, received_by, received_at, description, classification, owner_party
    )
    by.check_may_create(classification, owner_party)
    with vault.receive(original_name) as incoming:
        for chunk in _chunks(source):
            incoming.write(chunk)
        received = incoming.finish()
        return _store_received(store, vault, received, receipt, by)


def add_received_evidence(
    store: Store,
    vault: EvidenceVault,
    received: ReceivedFile,
    *,
    received_from: str,
    received_by: str,
    by: Principal,
    received_at: dt.datetime | None = None,
    description: str | None = None,
    classification: Classification = Classification.COMMITTEE,
    owner_party: str | None = None,
) -> EvidenceRecord:
    """`add_evidence` for a file already received into the vault's tmp folder (an upload
    streamed in by `vault.receive`); its tmp file is kept or left for the caller to discard."""
    receipt = _receipt(
        received_from, received_by, received_at, description, classification, owner_party
    )
    by.check_may_create(classification, owner_party)
    return _store_received(store, vault, received, receipt, by)


def get_evidence(store: Store, evidence_id: int, *, viewer: Principal) -> EvidenceRecord:
    """The evidence with its custody and copies; NotFoundError if absent or not visible."""
    return get_evidence_record(store, evidence_id, viewer=viewer)


def list_evidence(
    store: Store, *, viewer: Principal, limit: int = 100, offset: int = 0
) -> list[EvidenceRecord]:
    """A page of the evidence `viewer` may see, the last added first."""
    if not 1 <= limit <= MAX_PAGE:
        raise InputError(f"limit must be between 1 and {MAX_PAGE}, not {limit}", source="limit")
    if offset < 0:
        raise InputError(f"offset must not be negative, not {offset}", source="offset")
    return list_evidence_records(store, viewer=viewer, limit=limit, offset=offset)


def record_handover(
    store: Store,
    vault: EvidenceVault,
    evidence_id: int,
    *,
    from_whom: str,
    to_whom: str,
    by: Principal,
    at: dt.datetime | None = None,
    note: str | None = None,
) -> CustodyEntry:
    """Record that the file passed from `from_whom` to `to_whom` (at `at`, default now),
    with the original's hash as re-read now; IntegrityError (nothing recorded) if it changed.

    A hand-over with a time given that is already recorded (same from, to and time) is not
    recorded again: the existing entry is returned.
    """
    from_whom = _text(from_whom, "from")
    to_whom = _text(to_whom, "to")
    note = _optional_text(note, "note")
    when = _when(at, "at")
    record = _writable_record(store, evidence_id, by)
    seen = _checked_original(vault, record)
    with store.transaction(by=by) as batch:
        current = evidence_in_batch(batch, evidence_id)
        if when is not None:
            for entry in current.custody:
                if (entry.action, entry.from_whom, entry.to_whom, entry.at) == (
                    CustodyAction.HANDOVER,
                    from_whom,
                    to_whom,
                    when,
                ):
                    return entry
        custody = NewCustody(
            action=CustodyAction.HANDOVER,
            from_whom=from_whom,
            to_whom=to_whom,
            at=when or _now(),
            note=note,
            sha256_checked=seen,
        )
        return insert_custody(batch, evidence_id, custody, audit_action="evidence.handover")


def make_working_copy(
    store: Store, vault: EvidenceVault, evidence_id: int, *, purpose: str, by: Principal
) -> WorkingCopy:
    """Copy the original into the working folder for analysis (the original is never
    touched), recording the copy and a "copied" custody entry; IntegrityError if the
    original no longer matches its hash."""
    purpose = _text(purpose, "purpose")
    record = _writable_record(store, evidence_id, by)
    folder = vault.working_folder(record.sha256)
    partial = vault.partial_path(folder, "copy")
    placed: Path | None = None
    try:
        _copy_checked(vault, record, partial)
        os.chmod(partial, WORKING_COPY_MODE)
        now = _now()
        with store.transaction(by=by) as batch:
            evidence_in_batch(batch, evidence_id)  # still there, still visible
            copy = insert_copy(
                batch,
                evidence_id,
                sha256=record.sha256,
                purpose=purpose,
                created_at=now,
                path_for=lambda copy_id: vault.working_path(
                    record.sha256, copy_id, record.original_name
                ),
            )
            placed = vault.root / copy.path
            os.replace(partial, placed)
            custody = NewCustody(
                action=CustodyAction.COPIED,
                from_whom=None,
                to_whom=by.name,
                at=now,
                note=f"working copy {copy.id}: {purpose}",
                sha256_checked=record.sha256,
            )
            insert_custody(batch, evidence_id, custody, audit_action="evidence.copy")
        return copy
    except BaseException:
        partial.unlink(missing_ok=True)
        if placed is not None:
            placed.unlink(missing_ok=True)
        raise


def export_original(
    store: Store,
    vault: EvidenceVault,
    evidence_id: int,
    out: Path,
    *,
    by: Principal,
    note: str | None = None,
) -> Path:
    """Write the original's bytes to `out` (a new, read-only file), re-hashed as they are
    copied, and record an "exported" custody entry; IntegrityError (no file, nothing
    recorded) if they no longer match. `out` must not exist yet."""
    note = _optional_text(note, "note")
    out = Path(out)
    if out.exists() or out.is_symlink():
        raise InputError("exists already; choose a new file to export to", source=str(out))
    if not out.parent.is_dir():
        raise InputError(f"there is no folder {out.parent} to export to", source=str(out))
    record = _writable_record(store, evidence_id, by)
    partial = vault.partial_path(out.parent, out.name)
    placed = False
    try:
        _copy_checked(vault, record, partial)
        os.chmod(partial, EXPORT_MODE)
        with store.transaction(by=by) as batch:
            evidence_in_batch(batch, evidence_id)
            custody = NewCustody(
                action=CustodyAction.EXPORTED,
                from_whom=None,
                to_whom=str(out.resolve()),
                at=_now(),
                note=note,
                sha256_checked=record.sha256,
            )
            insert_custody(batch, evidence_id, custody, audit_action="evidence.export")
            os.replace(partial, out)
            placed = True
        return out
    except BaseException:
        partial.unlink(missing_ok=True)
        if placed:
            out.unlink(missing_ok=True)
        raise


def verify_vault(store: Store, vault: EvidenceVault, *, by: Principal) -> VaultReport:
    """Re-hash every original; record a "verified" custody entry for each that is intact and
    write-protected, and report the others (missing, altered, writable). `by` must see every
    record (the system, or the chair): a check of part of the vault would look complete."""
    if not by.sees_everything or not by.may_write:
        raise PermissionDeniedError(
            f"{by.name} ({by.role}) may not verify the vault: it takes a principal that sees "
            "and writes every record"
        )
    records = all_evidence_records(store, viewer=by)
    problems: list[VaultProblem] = []
    intact: list[EvidenceRecord] = []
    for record in records:
        problem = _problem_of(vault, record)
        if problem is None:
            intact.append(record)
        else:
            problems.append(problem)
    if intact:
        now = _now()
        with store.transaction(by=by) as batch:
            for record in intact:
                custody = NewCustody(
                    action=CustodyAction.VERIFIED,
                    from_whom=None,
                    to_whom=None,
                    at=now,
                    sha256_checked=record.sha256,
                )
                insert_custody(batch, record.id, custody, audit_action="evidence.verify")
    return VaultReport(checked=len(records), problems=tuple(problems))


# --- the steps ----------------------------------------------------------------------------


def _store_received(
    store: Store, vault: EvidenceVault, received: ReceivedFile, receipt: _Receipt, by: Principal
) -> EvidenceRecord:
    with store.transaction(by=by) as batch:
        existing = evidence_by_sha_in_batch(batch, received.sha256)
        new_id = None
        if existing is None:
            at = receipt.received_at or _now()
            new_id = insert_evidence(
                batch,
                NewEvidence(
                    sha256=received.sha256,
                    size=received.size,
                    media_type=received.media_type,
                    original_name=received.name,
                    description=receipt.description,
                    received_from=receipt.received_from,
                    received_by=receipt.received_by,
                    received_at=at,
                    created_at=_now(),
                    classification=receipt.classification,
                    owner_party=receipt.owner_party,
                ),
            )
            if new_id is None:  # a concurrent writer stored the same bytes first
                existing = evidence_by_sha_in_batch(batch, received.sha256)
        if new_id is not None:
            _record_receipt(batch, new_id, receipt, at, received.sha256)
            evidence_id = new_id
        else:
            assert existing is not None
            if not by.may_see(existing.classification, existing.owner_party):
                # The schema keeps one record per file, so it cannot be filed a second time.
                raise PermissionDeniedError(
                    f"{received.name} is in the vault already, in a record {by.name} may not "
                    "see; ask the chair"
                )
            if not any(receipt.matches(entry) for entry in existing.custody):
                by.check_may_create(existing.classification, existing.owner_party)
                at = receipt.received_at or _now()
                _record_receipt(batch, existing.id, receipt, at, received.sha256)
            evidence_id = existing.id
        # Within the transaction, so a file that cannot be kept records nothing; an original
        # already kept is never rewritten (a missing one is restored: same hash, same bytes).
        vault.keep(received)
    return get_evidence(store, evidence_id, viewer=by)


def _record_receipt(
    batch: Batch, evidence_id: int, receipt: _Receipt, at: dt.datetime, sha256: str
) -> None:
    custody = NewCustody(
        action=CustodyAction.RECEIVED,
        from_whom=receipt.received_from,
        to_whom=receipt.received_by,
        at=at,
        sha256_checked=sha256,
    )
    insert_custody(batch, evidence_id, custody, audit_action="evidence.receive")


def _writable_record(store: Store, evidence_id: int, by: Principal) -> EvidenceRecord:
    record = get_evidence(store, evidence_id, viewer=by)
    by.check_may_create(record.classification, record.owner_party)
    return record


def _checked_original(vault: EvidenceVault, record: EvidenceRecord) -> str:
    """The original's hash, re-read now; IntegrityError if it is missing or changed."""
    seen = vault.hash_original(record.sha256)
    problem = _hash_problem(vault, record, seen)
    if problem is not None:
        raise IntegrityError(problem.message)
    assert seen is not None
    return seen


def _copy_checked(vault: EvidenceVault, record: EvidenceRecord, destination: Path) -> None:
    """Copy the original to `destination`, hashing the bytes copied; IntegrityError and no
    file if they are not the original's."""
    seen = vault.copy_original(record.sha256, destination)
    problem = _hash_problem(vault, record, seen)
    if problem is not None:
        destination.unlink(missing_ok=True)
        raise IntegrityError(problem.message)


def _problem_of(vault: EvidenceVault, record: EvidenceRecord) -> VaultProblem | None:
    problem = _hash_problem(vault, record, vault.hash_original(record.sha256))
    if problem is not None:
        return problem
    path = vault.original_path(record.sha256)
    if path.stat().st_mode & 0o222:
        return VaultProblem(
            record.id,
            record.original_name,
            ProblemKind.WRITABLE,
            f"evidence {record.id} ({record.original_name}): the original {path} is intact "
            "but no longer write-protected",
        )
    return None


def _hash_problem(
    vault: EvidenceVault, record: EvidenceRecord, seen: str | None
) -> VaultProblem | None:
    path = vault.original_path(record.sha256)
    what = f"evidence {record.id} ({record.original_name})"
    if seen is None:
        return VaultProblem(
            record.id,
            record.original_name,
            ProblemKind.MISSING,
            f"{what}: the original {path} is missing",
        )
    if seen != record.sha256:
        return VaultProblem(
            record.id,
            record.original_name,
            ProblemKind.ALTERED,
            f"{what}: the original {path} has been altered (its SHA-256 is now {seen})",
        )
    return None


# --- checking arguments -------------------------------------------------------------------


def _receipt(
    received_from: str,
    received_by: str,
    received_at: dt.datetime | None,
    description: str | None,
    classification: Classification,
    owner_party: str | None,
) -> _Receipt:
    return _Receipt(
        received_from=_text(received_from, "received_from"),
        received_by=_text(received_by, "received_by"),
        received_at=_when(received_at, "received_at"),
        description=_optional_text(description, "description"),
        classification=Classification(classification),
        owner_party=_optional_text(owner_party, "owner_party"),
    )


def _text(value: str, field: str) -> str:
    text = value.strip()
    if not text:
        raise InputError("must not be empty", source=field)
    if len(text) > MAX_TEXT:
        raise InputError(f"is longer than {MAX_TEXT} characters", source=field)
    return text


def _optional_text(value: str | None, field: str) -> str | None:
    if value is None or not value.strip():
        return None
    return _text(value, field)


def _when(value: dt.datetime | None, field: str) -> dt.datetime | None:
    """A time of custody, in UTC: it must say its time zone, and not be in the future."""
    if value is None:
        return None
    if value.tzinfo is None or value.utcoffset() is None:
        raise InputError(
            f"{value.isoformat()} has no time zone; give one, e.g. {value.isoformat()}+00:00",
            source=field,
        )
    when = value.astimezone(dt.UTC)
    if when > _now() + CLOCK_SKEW:
        raise InputError(f"{value.isoformat()} is in the future", source=field)
    return when


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _chunks(source: Path | BinaryIO) -> Iterable[bytes]:
    if not isinstance(source, Path):
        while chunk := source.read(CHUNK_BYTES):
            yield chunk
        return
    try:
        file = source.open("rb")
    except OSError as error:
        raise InputError(error.strerror or "cannot be read", source=str(source)) from error
    with file:
        while chunk := file.read(CHUNK_BYTES):
            yield chunk
