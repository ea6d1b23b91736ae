"""Proof of what was done: verifying the audit chain, signed checkpoints of its head, the
log itself, and reclassifying records (which the audit remembers).

The store appends an entry for every record it writes (truce.store.audit), each hashing its
own fields and its predecessor's hash (truce.core.audit). `verify_chain` walks the entries
and names the first that was changed, deleted, inserted or moved. Someone able to rewrite
the database could still recompute every hash after the entry they changed; a checkpoint
closes that gap: the head's sequence number and hash, signed with an Ed25519 key and kept
outside the database by a party, which a rewritten history no longer matches.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import os
import re
from collections.abc import Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StrictInt, ValidationError

from truce.core.access import Classification, Principal, Role, Scope
from truce.core.audit import GENESIS_HASH, AuditEntry, canonical_json, timestamp_text
from truce.core.errors import InputError, IntegrityError, PermissionDeniedError
from truce.store import Store
from truce.store.audit import UnreadableEntry, audit_page, read_chain

CHECKPOINT_FORMAT = "truce-audit-checkpoint/1"
#: the most entries `audit_log` returns at once
MAX_LOG_LIMIT = 1000

_SHA256_HEX = re.compile(r"[0-9a-f]{64}")
# base64 of a raw Ed25519 public key (32 bytes) and of a signature (64 bytes)
_KEY_BASE64 = r"^[A-Za-z0-9+/]{43}=$"
_SIGNATURE_BASE64 = r"^[A-Za-z0-9+/]{86}==$"


@dataclass(frozen=True)
class AuditProblem:
    """What is wrong with the audit log, at the first entry where it shows.

    kind: "missing", "out of order", "duplicate" (sequence numbers), "malformed" (a value
    no writer stores), "unlinked" (does not follow its predecessor), "changed" (its hash does
    not match its content), "rewritten" (does not match a signed checkpoint).
    """

    seq: int
    kind: str
    message: str


@dataclass(frozen=True)
class AuditReport:
    """The outcome of a verification: how many entries, the last one, the first problem."""

    entries: int
    head_seq: int
    head_hash: str
    problem: AuditProblem | None
    checkpoints: int = 0  # checkpoints found to hold (all of those given, when ok)

    @property
    def ok(self) -> bool:
        return self.problem is None


class Checkpoint(BaseModel):
    """A signed statement that the audit log's entry `seq` had hash `hash`: the file a party
    keeps, outside the database. `signature` is Ed25519 over the canonical JSON of every
    other field, by the key whose raw public bytes are `public_key` (both base64)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    format: Literal["truce-audit-checkpoint/1"]
    seq: Annotated[StrictInt, Field(ge=0)]
    hash: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    entries: Annotated[StrictInt, Field(ge=0)]
    at: AwareDatetime
    database: str  # the URL it was taken of, password hidden: for messages only
    public_key: Annotated[str, Field(pattern=_KEY_BASE64)]
    signature: Annotated[str, Field(pattern=_SIGNATURE_BASE64)]


# --- verification ----------------------------------------------------------------------------


class _ChainWalk:
    """Verification one entry at a time, so millions of entries take constant memory."""

    def __init__(self) -> None:
        self.entries = 0
        self.head_seq = 0
        self.head_hash = GENESIS_HASH
        self.problem: AuditProblem | None = None

    def add(self, entry: AuditEntry | UnreadableEntry) -> None:
        if self.problem is None:
            self.problem = _problem_of(entry, self.entries == 0, self.head_seq, self.head_hash)
        self.entries += 1
        self.head_seq = entry.seq
        self.head_hash = entry.hash if isinstance(entry, AuditEntry) else ""

    def report(self, checkpoints: int = 0) -> AuditReport:
        return AuditReport(
            entries=self.entries,
            head_seq=self.head_seq,
            head_hash=self.head_hash,
            problem=self.problem,
            checkpoints=checkpoints if self.problem is None else 0,
        )


def _problem_of(
    entry: AuditEntry | UnreadableEntry, first: bool, prev_seq: int, prev_hash: str
) -> AuditProblem | None:
    """What is wrong with `entry` coming after the entry (`prev_seq`, `prev_hash`)."""
    seq, expected = entry.seq, prev_seq + 1
    if seq > expected:
        missing = (
            f"entry {expected} is" if seq == expected + 1 else f"entries {expected}–{seq - 1} are"
        )
        return AuditProblem(expected, "missing", f"{missing} missing (deleted?)")
    if seq == prev_seq and not first:
        return AuditProblem(seq, "duplicate", f"entry {seq} appears twice")
    if seq < expected:
        return AuditProblem(
            seq, "out of order", f"entry {seq} is out of order: entry {expected} belongs here"
        )
    if isinstance(entry, UnreadableEntry):
        return AuditProblem(
            seq, "malformed", f"entry {seq} is unreadable: its {entry.column} is {entry.value}"
        )
    malformed = _malformed(entry)
    if malformed is not None:
        return AuditProblem(seq, "malformed", f"entry {seq} is malformed: {malformed}")
    if entry.prev_hash != prev_hash:
        after = "the start of the log" if first else f"entry {prev_seq}"
        return AuditProblem(
            seq, "unlinked", f"entry {seq} does not follow {after}: inserted, deleted or reordered"
        )
    if entry.hash != entry.expected_hash():
        return AuditProblem(
            seq, "changed", f"entry {seq} was changed: its hash does not match its content"
        )
    return None


def _malformed(entry: AuditEntry) -> str | None:
    for name in ("hash", "prev_hash", "content_hash"):
        value = getattr(entry, name)
        if not _SHA256_HEX.fullmatch(value):
            return f"its {name} {value[:70]!r} is not a SHA-256 in hex"
    if entry.detail is not None:
        try:
            json.loads(entry.detail)
        except ValueError:
            return f"its detail {entry.detail[:70]!r} is not JSON"
    return None


def verify_chain(entries: Iterable[AuditEntry | UnreadableEntry]) -> AuditReport:
    """Check the entries, in the order given (the stored order), as one chain from its start:
    sequence numbers 1, 2, 3, ..., each entry's hash matching its content and each linked to
    its predecessor's hash. The report names the first problem only: after it, everything
    may be a consequence."""
    walk = _ChainWalk()
    for entry in entries:
        walk.add(entry)
    return walk.report()


def verify_audit(
    store: Store,
    *,
    checkpoints: Sequence[Path] = (),
    by: Principal,
    public_key: Path | None = None,
) -> AuditReport:
    """Verify the stored audit log, and that it still holds every given checkpoint's entry.

    Each checkpoint file is read first (InputError if it is not one, IntegrityError if its
    signature fails, or if `public_key` is given and it was signed by another key). A
    history rewritten wholesale after some entry passes the chain's own checks; it fails
    here, naming the checkpoint it no longer matches.
    """
    _check_may_audit(by)
    signed: dict[int, list[tuple[Path, Checkpoint]]] = {}
    for path in checkpoints:
        checkpoint = read_checkpoint(path, public_key=public_key)
        signed.setdefault(checkpoint.seq, []).append((path, checkpoint))
    held = 0
    walk = _ChainWalk()
    for path, checkpoint in signed.pop(0, []):  # a checkpoint of the empty log
        walk.problem = walk.problem or _unmatched(checkpoint, path, GENESIS_HASH, store)
        held += 1
    with closing(read_chain(store)) as chain:
        for entry in chain:
            walk.add(entry)
            # (an unreadable entry is a problem already)
            if walk.problem or not isinstance(entry, AuditEntry) or entry.seq not in signed:
                continue
            for path, checkpoint in signed.pop(entry.seq):
                walk.problem = walk.problem or _unmatched(checkpoint, path, entry.hash, store)
                held += 1
    if walk.problem is None and signed:
        seq = min(signed)
        path, _ = signed[seq][0]
        walk.problem = AuditProblem(
            seq,
            "rewritten",
            f"history was rewritten since checkpoint {path}: it signed entry {seq}, but the "
            f"log ends at entry {walk.head_seq} (truncated?)",
        )
    return walk.report(held)


def _unmatched(
    checkpoint: Checkpoint, path: Path, stored_hash: str, store: Store
) -> AuditProblem | None:
    if stored_hash == checkpoint.hash:
        return None
    elsewhere = (
        "" if checkpoint.database == store.url else f" (it was taken of {checkpoint.database})"
    )
    return AuditProblem(
        checkpoint.seq,
        "rewritten",
        f"history was rewritten since checkpoint {path}{elsewhere}: entry {checkpoint.seq} "
        f"has hash {stored_hash[:12]}…, the checkpoint signed {checkpoint.hash[:12]}…",
    )


def _check_may_audit(by: Principal) -> None:
    if not (by.sees_everything or by.role is Role.ADMIN):
        raise PermissionDeniedError(f"{by.name} ({by.role}) may not read the audit log")


# --- checkpoints -----------------------------------------------------------------------------


def public_key_path(private_path: Path) -> Path:
    """Where `truce audit keygen` puts the public key of KEY.pem: KEY.pub.pem beside it."""
    stem = private_path.stem if private_path.suffix == ".pem" else private_path.name
    return private_path.with_name(f"{stem}.pub.pem")


def generate_key(private_path: Path, public_path: Path) -> None:
    """A new Ed25519 key pair, as PEM files: the private key readable by its owner only
    (mode 0600). Existing files are never overwritten (InputError)."""
    for path in (private_path, public_path):
        if path.exists():
            raise InputError("already exists; a key is never overwritten", source=str(path))
    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    _write_new_file(private_path, private_pem, mode=0o600)
    _write_new_file(public_path, public_pem, mode=0o644)


def write_checkpoint(store: Store, *, key: Path, out: Path, by: Principal) -> Checkpoint:
    """Sign the head of the verified audit log with the private key at `key` into the new
    file `out`, then record the checkpointing in the log itself (so the checkpoint signs the
    state before it). IntegrityError, and nothing signed, if the log is broken."""
    _check_may_audit(by)
    if Scope.WRITE not in by.scopes:
        raise PermissionDeniedError(f"{by.name} may not write to the audit log with this token")
    private_key = _private_key(key)
    if out.exists():
        raise InputError("already exists; a checkpoint is never overwritten", source=str(out))
    with closing(read_chain(store)) as chain:
        report = verify_chain(chain)
    if report.problem is not None:
        raise IntegrityError(f"not signing a broken audit log: {report.problem.message}")
    raw_public = private_key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    payload: dict[str, Any] = {
        "format": CHECKPOINT_FORMAT,
        "seq": report.head_seq,
        "hash": report.head_hash,
        "entries": report.entries,
        "at": timestamp_text(dt.datetime.now(dt.UTC)),
        "database": store.url,
        "public_key": base64.b64encode(raw_public).decode(),
    }
    signature = private_key.sign(canonical_json(payload).encode())
    document = {**payload, "signature": base64.b64encode(signature).decode()}
    checkpoint = Checkpoint.model_validate(document)
    text = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    _write_new_file(out, text.encode(), mode=0o644)
    with store.transaction(by=by) as batch:
        batch.audit.record(
            "audit.checkpoint",
            "audit_log",
            report.head_seq,
            report.head_hash,
            {"entries": report.entries, "public_key": payload["public_key"]},
        )
    return checkpoint


def read_checkpoint(path: Path, *, public_key: Path | None = None) -> Checkpoint:
    """The checkpoint in `path`, its signature checked (IntegrityError if it fails).

    A checkpoint carries its own public key, so anyone could sign one: give `public_key`
    (the PEM file kept with the checkpoints) to require that key (IntegrityError otherwise).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read the checkpoint: {error}", source=str(path)) from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(f"not JSON: {error.msg}", source=str(path), line=error.lineno) from None
    try:
        checkpoint = Checkpoint.model_validate(raw)
    except ValidationError as error:
        problem = error.errors()[0]
        where = ".".join(str(part) for part in problem["loc"]) or "the file"
        raise InputError(
            f"not a truce audit checkpoint ({CHECKPOINT_FORMAT}): {where}: {problem['msg']}",
            source=str(path),
        ) from None
    signed = {name: value for name, value in raw.items() if name != "signature"}
    embedded = base64.b64decode(checkpoint.public_key, validate=True)
    try:
        Ed25519PublicKey.from_public_bytes(embedded).verify(
            base64.b64decode(checkpoint.signature, validate=True),
            canonical_json(signed).encode(),
        )
    except (InvalidSignature, ValueError, binascii.Error):
        raise IntegrityError(
            f"{path}: the checkpoint's signature does not match its content (altered or forged)"
        ) from None
    if public_key is not None and _public_key(public_key) != embedded:
        raise IntegrityError(f"{path}: the checkpoint is signed by another key than {public_key}")
    return checkpoint


def _private_key(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except OSError as error:
        raise InputError(f"cannot read the key: {error.strerror}", source=str(path)) from None
    except TypeError:
        raise InputError(
            "the key is encrypted; truce needs an unencrypted one (keep it safe instead)",
            source=str(path),
        ) from None
    except (ValueError, UnsupportedAlgorithm):
        raise InputError("not a PEM private key", source=str(path)) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise InputError(
            "not an Ed25519 key (make one with `truce audit keygen`)", source=str(path)
        )
    return key


def _public_key(path: Path) -> bytes:
    """The raw bytes of the Ed25519 public key in the PEM file at `path`."""
    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except OSError as error:
        raise InputError(f"cannot read the key: {error.strerror}", source=str(path)) from None
    except (ValueError, UnsupportedAlgorithm):
        raise InputError("not a PEM public key", source=str(path)) from None
    if not isinstance(key, Ed25519PublicKey):
        raise InputError("not an Ed25519 public key", source=str(path))
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _write_new_file(path: Path, data: bytes, *, mode: int) -> None:
    """Create `path` with `data`, failing if it exists (even if made a moment ago)."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError:
        raise InputError("already exists; not overwriting it", source=str(path)) from None
    except OSError as error:
        raise InputError(f"cannot create it: {error.strerror}", source=str(path)) from None
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
    except OSError as error:
        path.unlink(missing_ok=True)
        raise InputError(f"cannot write it: {error.strerror}", source=str(path)) from None


# --- the log, and reclassification -----------------------------------------------------------


def audit_log(
    store: Store,
    *,
    by: Principal,
    entity: str | None = None,
    entity_id: str | None = None,
    after: int = 0,
    limit: int = 100,
) -> list[AuditEntry]:
    """Up to `limit` entries after entry `after`, oldest first, optionally of one table
    (`entity`, e.g. "documents") and record id. Only for principals that see everything,
    or admins: the log names every record, restricted ones too."""
    _check_may_audit(by)
    if not 1 <= limit <= MAX_LOG_LIMIT:
        raise InputError(f"limit must be 1 to {MAX_LOG_LIMIT}, not {limit}", source="limit")
    if after < 0:
        raise InputError(f"after must be 0 or more, not {after}", source="after")
    return audit_page(store, entity=entity, entity_id=entity_id, after=after, limit=limit)


def reclassify(
    store: Store,
    kind: Literal["document", "event"],
    pk: int,
    classification: Classification,
    owner_party: str | None,
    *,
    by: Principal,
) -> int:
    """Change who may see a document (with its events) or one event; how many records
    changed (0 if it already was so). Nothing is lost: each record's audit entry keeps what
    it was and says who changed it."""
    with store.transaction(by=by) as batch:
        return batch.set_classification(kind, pk, Classification(classification), owner_party)
