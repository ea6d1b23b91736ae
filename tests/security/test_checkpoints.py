"""Signed checkpoints: their keys, their files, what they prove and what they refuse."""

from __future__ import annotations

import base64
import json
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from audit_history import CHAIR, HISTORY_ENTRIES, build_history, chained, raw_engine, stored_rows
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from builders import SYSTEM, write
from truce.core.access import Principal, Role, Scope
from truce.core.audit import GENESIS_HASH, canonical_json
from truce.core.errors import InputError, IntegrityError, PermissionDeniedError
from truce.core.models import Document
from truce.security.audit import (
    CHECKPOINT_FORMAT,
    Checkpoint,
    audit_log,
    generate_key,
    public_key_path,
    read_checkpoint,
    verify_audit,
    write_checkpoint,
)
from truce.store import Store
from truce.store.schema import audit_log as audit_table


@pytest.fixture
def key(tmp_path: Path) -> Path:
    private = tmp_path / "keys" / "mechanism.pem"
    private.parent.mkdir()
    generate_key(private, public_key_path(private))
    return private


def _public(key: Path) -> Path:
    return public_key_path(key)


def test_generate_key_writes_a_private_key_only_its_owner_reads(tmp_path: Path) -> None:
    private, public = tmp_path / "k.pem", tmp_path / "k.pub.pem"
    generate_key(private, public)
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    loaded = serialization.load_pem_private_key(private.read_bytes(), password=None)
    assert isinstance(loaded, Ed25519PrivateKey)
    raw = serialization.PublicFormat.SubjectPublicKeyInfo
    assert public.read_bytes() == loaded.public_key().public_bytes(serialization.Encoding.PEM, raw)
    assert public.read_text().startswith("-----BEGIN PUBLIC KEY-----")


def test_generate_key_never_overwrites(tmp_path: Path) -> None:
    private, public = tmp_path / "k.pem", tmp_path / "k.pub.pem"
    generate_key(private, public)
    before = private.read_bytes()
    with pytest.raises(InputError, match=r"k\.pem: already exists; a key is never overwritten"):
        generate_key(private, tmp_path / "other.pub.pem")
    assert private.read_bytes() == before
    assert not (tmp_path / "other.pub.pem").exists()
    # the public key in the way: the private key is not made either
    with pytest.raises(InputError, match=r"k\.pub\.pem: already exists"):
        generate_key(tmp_path / "new.pem", public)
    assert not (tmp_path / "new.pem").exists()


def test_public_key_path_sits_beside_the_private_key() -> None:
    assert public_key_path(Path("keys/mechanism.pem")) == Path("keys/mechanism.pub.pem")
    assert public_key_path(Path("keys/mechanism")) == Path("keys/mechanism.pub.pem")


def test_a_checkpoint_signs_the_head_and_is_recorded_after_it(
    store: Store, key: Path, tmp_path: Path
) -> None:
    build_history(store)
    head = audit_log(store, by=SYSTEM)[-1]
    out = tmp_path / "checkpoint.json"
    checkpoint = write_checkpoint(store, key=key, out=out, by=CHAIR)
    assert (checkpoint.seq, checkpoint.hash, checkpoint.entries) == (
        HISTORY_ENTRIES,
        head.hash,
        HISTORY_ENTRIES,
    )
    assert checkpoint.database == store.url
    document = json.loads(out.read_text())
    assert set(document) == {
        "format",
        "seq",
        "hash",
        "entries",
        "at",
        "database",
        "public_key",
        "signature",
    }
    assert document["format"] == CHECKPOINT_FORMAT
    # anyone can check it with nothing but the file and a standard Ed25519 library
    loaded = serialization.load_pem_private_key(key.read_bytes(), password=None)
    assert isinstance(loaded, Ed25519PrivateKey)
    signed = {name: value for name, value in document.items() if name != "signature"}
    loaded.public_key().verify(
        base64.b64decode(document["signature"]), canonical_json(signed).encode()
    )
    assert base64.b64decode(document["public_key"]) == loaded.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    assert read_checkpoint(out, public_key=_public(key)) == checkpoint
    # the log records the checkpointing, after the head it signed
    (entry,) = audit_log(store, by=SYSTEM, after=HISTORY_ENTRIES)
    assert (entry.seq, entry.actor, entry.action, entry.entity, entry.entity_id) == (
        HISTORY_ENTRIES + 1,
        CHAIR.name,
        "audit.checkpoint",
        "audit_log",
        str(HISTORY_ENTRIES),
    )
    assert entry.content_hash == head.hash
    assert entry.prev_hash == head.hash


def test_a_checkpoint_keeps_holding_as_the_log_grows(
    store: Store, key: Path, tmp_path: Path
) -> None:
    build_history(store)
    out = tmp_path / "checkpoint.json"
    write_checkpoint(store, key=key, out=out, by=SYSTEM)
    write(store, {Document(id="later-1", text="Rockets hit Kiryat Shmona on 3 March."): []})
    report = verify_audit(store, checkpoints=[out], by=SYSTEM, public_key=_public(key))
    assert report.ok
    assert (report.entries, report.checkpoints) == (HISTORY_ENTRIES + 2, 1)


def test_a_checkpoint_vouches_for_history_up_to_its_entry_only(
    store: Store, store_url: str, key: Path, tmp_path: Path
) -> None:
    build_history(store)
    early, late = tmp_path / "early.json", tmp_path / "late.json"
    write_checkpoint(store, key=key, out=early, by=SYSTEM)  # signs 11, records 12
    write(store, {Document(id="later-1", text="Rockets hit Kiryat Shmona on 3 March."): []})
    write_checkpoint(store, key=key, out=late, by=SYSTEM)  # signs 13, records 14
    with raw_engine(store_url) as engine, engine.begin() as connection:
        rows = stored_rows(connection)
        # rewrite from entry 13 (the later document) on: after what `early` signed
        forged = chained([{**rows[12], "actor": "system:mallory"}, rows[13]], rows[11]["hash"])
        connection.execute(sa.delete(audit_table).where(audit_table.c.seq >= 13))
        connection.execute(sa.insert(audit_table), forged)
    assert verify_audit(store, checkpoints=[early], by=SYSTEM).checkpoints == 1
    report = verify_audit(store, checkpoints=[early, late], by=SYSTEM)
    assert report.problem is not None
    assert (report.problem.seq, report.problem.kind) == (13, "rewritten")
    assert f"since checkpoint {late}: entry 13 has hash" in report.problem.message


def test_a_checkpoint_of_another_database_says_so(store: Store, key: Path, tmp_path: Path) -> None:
    build_history(store)
    out = tmp_path / "checkpoint.json"
    write_checkpoint(store, key=key, out=out, by=SYSTEM)
    with Store.open(f"sqlite:///{tmp_path / 'other.db'}") as other:
        build_history(other)  # the same records, written at other times: other hashes
        report = verify_audit(other, checkpoints=[out], by=SYSTEM)
    assert report.problem is not None
    assert report.problem.kind == "rewritten"
    assert f"(it was taken of {store.url})" in report.problem.message


def test_an_empty_log_can_be_checkpointed(store: Store, key: Path, tmp_path: Path) -> None:
    out = tmp_path / "checkpoint.json"
    checkpoint = write_checkpoint(store, key=key, out=out, by=SYSTEM)
    assert (checkpoint.seq, checkpoint.hash, checkpoint.entries) == (0, GENESIS_HASH, 0)
    report = verify_audit(store, checkpoints=[out], by=SYSTEM)
    assert (report.ok, report.entries, report.checkpoints) == (True, 1, 1)


def test_a_checkpoint_is_never_overwritten(store: Store, key: Path, tmp_path: Path) -> None:
    out = tmp_path / "checkpoint.json"
    out.write_text("kept by the Lebanese delegation\n")
    with pytest.raises(InputError, match=r"checkpoint\.json: already exists"):
        write_checkpoint(store, key=key, out=out, by=SYSTEM)
    assert out.read_text() == "kept by the Lebanese delegation\n"
    assert audit_log(store, by=SYSTEM) == []


def test_a_broken_log_is_not_signed(
    store: Store, store_url: str, key: Path, tmp_path: Path
) -> None:
    build_history(store)
    with raw_engine(store_url) as engine, engine.begin() as connection:
        connection.execute(sa.update(audit_table).where(audit_table.c.seq == 4).values(actor="x"))
    out = tmp_path / "checkpoint.json"
    with pytest.raises(IntegrityError, match="not signing a broken audit log: entry 4 was changed"):
        write_checkpoint(store, key=key, out=out, by=SYSTEM)
    assert not out.exists()
    assert verify_audit(store, by=SYSTEM).entries == HISTORY_ENTRIES


def test_who_may_checkpoint(store: Store, key: Path, tmp_path: Path) -> None:
    observer = Principal(name="obs", role=Role.OBSERVER)
    with pytest.raises(PermissionDeniedError, match="may not read the audit log"):
        write_checkpoint(store, key=key, out=tmp_path / "a.json", by=observer)
    read_only = Principal(name="root.admin", role=Role.ADMIN, scopes=frozenset({Scope.READ}))
    with pytest.raises(PermissionDeniedError, match="may not write to the audit log"):
        write_checkpoint(store, key=key, out=tmp_path / "b.json", by=read_only)
    admin = Principal(name="root.admin", role=Role.ADMIN)
    assert write_checkpoint(store, key=key, out=tmp_path / "c.json", by=admin).seq == 0
    assert not (tmp_path / "a.json").exists()
    assert not (tmp_path / "b.json").exists()


def test_bad_keys_are_named(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "checkpoint.json"
    with pytest.raises(InputError, match=r"missing\.pem: cannot read the key"):
        write_checkpoint(store, key=tmp_path / "missing.pem", out=out, by=SYSTEM)
    junk = tmp_path / "junk.pem"
    junk.write_text("not a key\n")
    with pytest.raises(InputError, match=r"junk\.pem: not a PEM private key"):
        write_checkpoint(store, key=junk, out=out, by=SYSTEM)
    encrypted = tmp_path / "encrypted.pem"
    encrypted.write_bytes(
        Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"a passphrase"),
        )
    )
    with pytest.raises(InputError, match=r"encrypted\.pem: the key is encrypted"):
        write_checkpoint(store, key=encrypted, out=out, by=SYSTEM)
    rsa_key = tmp_path / "rsa.pem"
    rsa_key.write_bytes(
        rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    with pytest.raises(InputError, match=r"rsa\.pem: not an Ed25519 key"):
        write_checkpoint(store, key=rsa_key, out=out, by=SYSTEM)
    assert not out.exists()


# --- reading checkpoint files ------------------------------------------------------------------


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    """Reading checkpoint files is the same whatever the database: SQLite alone will do."""
    with Store.open(f"sqlite:///{tmp_path / 'files.db'}") as opened:
        yield opened


@pytest.fixture
def checkpoint_file(sqlite_store: Store, key: Path, tmp_path: Path) -> Path:
    build_history(sqlite_store)
    out = tmp_path / "checkpoint.json"
    write_checkpoint(sqlite_store, key=key, out=out, by=SYSTEM)
    return out


def _rewritten(path: Path, **changes: object) -> Path:
    document = json.loads(path.read_text())
    document.update(changes)
    path.write_text(json.dumps(document, indent=2))
    return path


def test_an_altered_checkpoint_fails_its_signature(
    sqlite_store: Store, checkpoint_file: Path
) -> None:
    original = json.loads(checkpoint_file.read_text())
    for field, value in [
        ("seq", original["seq"] - 1),
        ("hash", "0" * 64),
        ("entries", original["entries"] + 1),
        ("at", "2024-11-27T00:00:00.000000Z"),
        ("database", "sqlite:///elsewhere.db"),
    ]:
        _rewritten(checkpoint_file, **{field: value})
        with pytest.raises(IntegrityError, match="signature does not match its content"):
            read_checkpoint(checkpoint_file)
        with pytest.raises(IntegrityError, match="signature does not match"):
            verify_audit(sqlite_store, checkpoints=[checkpoint_file], by=SYSTEM)
        _rewritten(checkpoint_file, **{field: original[field]})
    assert read_checkpoint(checkpoint_file).seq == original["seq"]


def test_a_checkpoint_forged_with_another_key_fails_against_the_kept_key(
    checkpoint_file: Path, key: Path, tmp_path: Path
) -> None:
    original = json.loads(checkpoint_file.read_text())
    forger = Ed25519PrivateKey.generate()
    forged = {
        **{name: value for name, value in original.items() if name != "signature"},
        "hash": "1" * 64,
        "public_key": base64.b64encode(
            forger.public_key().public_bytes(
                serialization.Encoding.Raw, serialization.PublicFormat.Raw
            )
        ).decode(),
    }
    forged["signature"] = base64.b64encode(forger.sign(canonical_json(forged).encode())).decode()
    path = tmp_path / "forged.json"
    path.write_text(json.dumps(forged))
    # the file is consistent in itself: only the key kept apart tells
    assert read_checkpoint(path).hash == "1" * 64
    with pytest.raises(IntegrityError, match=r"forged\.json: the checkpoint is signed by another"):
        read_checkpoint(path, public_key=_public(key))
    assert read_checkpoint(checkpoint_file, public_key=_public(key)).hash == original["hash"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"format": "truce-audit-checkpoint/1",\n "seq": }', r"checkpoint\.json:2: not JSON"),
        ("[]", r"checkpoint\.json: not a truce audit checkpoint .*: the file: "),
    ],
)
def test_a_file_that_is_not_json_is_named_with_its_line(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "checkpoint.json"
    path.write_text(text)
    with pytest.raises(InputError, match=message):
        read_checkpoint(path)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("signature", None, "signature: Field required"),
        ("seq", "11", "seq: Input should be a valid integer"),
        ("seq", -1, "seq: Input should be greater than or equal to 0"),
        ("hash", "abc", "hash: String should match pattern"),
        ("format", "truce-audit-checkpoint/2", "format: Input should be 'truce-audit-check"),
        ("at", "2024-11-27T00:00:00", "at: Input should have timezone info"),
        ("public_key", "not base64", "public_key: String should match pattern"),
        ("comment", "an extra field", "comment: Extra inputs are not permitted"),
    ],
)
def test_a_checkpoint_missing_or_misspelling_a_field_is_named(
    checkpoint_file: Path, field: str, value: object, message: str
) -> None:
    document = json.loads(checkpoint_file.read_text())
    if value is None:
        del document[field]
    else:
        document[field] = value
    checkpoint_file.write_text(json.dumps(document))
    with pytest.raises(InputError) as raised:
        read_checkpoint(checkpoint_file)
    assert str(raised.value).startswith(f"{checkpoint_file}: not a truce audit checkpoint")
    assert message in str(raised.value)


def test_unreadable_files_are_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nowhere\.json: cannot read the checkpoint"):
        read_checkpoint(tmp_path / "nowhere.json")
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(InputError, match=r"binary\.json: cannot read the checkpoint"):
        read_checkpoint(binary)


def test_a_public_key_file_that_is_not_one_is_named(tmp_path: Path, key: Path) -> None:
    signer = Ed25519PrivateKey.generate()
    document = {
        "format": CHECKPOINT_FORMAT,
        "seq": 0,
        "hash": GENESIS_HASH,
        "entries": 0,
        "at": "2024-11-27T00:00:00.000000Z",
        "database": "sqlite:///truce.db",
        "public_key": base64.b64encode(
            signer.public_key().public_bytes(
                serialization.Encoding.Raw, serialization.PublicFormat.Raw
            )
        ).decode(),
    }
    document["signature"] = base64.b64encode(
        signer.sign(canonical_json(document).encode())
    ).decode()
    path = tmp_path / "genesis.json"
    path.write_text(json.dumps(document))
    assert read_checkpoint(path) == Checkpoint.model_validate(document)
    # the private key where the public one belongs
    with pytest.raises(InputError, match=r"mechanism\.pem: not a PEM public key"):
        read_checkpoint(path, public_key=key)
    with pytest.raises(InputError, match=r"absent\.pub\.pem: cannot read the key"):
        read_checkpoint(path, public_key=tmp_path / "absent.pub.pem")
