"""Receiving, handing over, copying, exporting and verifying evidence, on both backends, with
real files in a real vault."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from builders import SYSTEM
from evidence_sample import html, jpeg, pdf, png, text, zip_archive
from truce.core.access import Classification
from truce.core.errors import InputError, IntegrityError
from truce.evidence import (
    CustodyAction,
    EvidenceRecord,
    EvidenceVault,
    ProblemKind,
    add_evidence,
    export_original,
    get_evidence,
    list_evidence,
    make_working_copy,
    record_handover,
    verify_vault,
)
from truce.store import Store
from truce.store.schema import audit_log, custody_events, evidence_copies, evidence_files

RECEIVED_AT = dt.datetime(2024, 12, 6, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))


def add(
    store: Store, vault: EvidenceVault, content: bytes, name: str = "photo.jpg", **extra: Any
) -> EvidenceRecord:
    receipt: dict[str, Any] = {
        "received_from": "UNIFIL patrol 7",
        "received_by": "Secretariat",
        **extra,
    }
    return add_evidence(store, vault, io.BytesIO(content), original_name=name, by=SYSTEM, **receipt)


def rows(store: Store, table: sa.Table) -> int:
    with store.reading("counting") as connection:
        return connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()


def audit_trail(store: Store) -> list[tuple[str, str, str]]:
    with store.reading("reading the audit log") as connection:
        found = connection.execute(
            sa.select(audit_log.c.action, audit_log.c.entity, audit_log.c.entity_id).order_by(
                audit_log.c.seq
            )
        )
        return [tuple(row) for row in found]


def tamper(vault: EvidenceVault, record: EvidenceRecord) -> Path:
    """Change one byte of an original, as someone with access to the disk could."""
    original = vault.original_path(record.sha256)
    original.chmod(0o644)
    content = bytearray(original.read_bytes())
    content[-3] ^= 0xFF
    original.write_bytes(bytes(content))
    original.chmod(0o444)
    return original


def test_a_received_file_is_kept_read_only_byte_for_byte_with_its_receipt(
    store: Store, vault: EvidenceVault
) -> None:
    content = jpeg("strike on Khiam")
    record = add(store, vault, content, received_at=RECEIVED_AT, description="crater")
    assert record.sha256 == hashlib.sha256(content).hexdigest()
    assert (record.size, record.media_type, record.original_name) == (
        len(content),
        "image/jpeg",
        "photo.jpg",
    )
    assert (record.received_from, record.received_by) == ("UNIFIL patrol 7", "Secretariat")
    assert record.received_at == RECEIVED_AT
    assert record.received_at.tzinfo is not None
    assert record.received_at.utcoffset() == dt.timedelta(0)
    assert record.created_at.utcoffset() == dt.timedelta(0)
    assert (record.classification, record.owner_party) == (Classification.COMMITTEE, None)
    original = vault.original_path(record.sha256)
    assert original.read_bytes() == content
    assert original.stat().st_mode & 0o777 == 0o444
    assert list((vault.root / "tmp").iterdir()) == []
    [received] = record.custody
    assert (received.action, received.from_whom, received.to_whom) == (
        CustodyAction.RECEIVED,
        "UNIFIL patrol 7",
        "Secretariat",
    )
    assert (received.at, received.recorded_by) == (RECEIVED_AT, SYSTEM.name)
    assert received.sha256_checked == record.sha256
    assert audit_trail(store) == [
        ("evidence.add", "evidence_files", str(record.id)),
        ("evidence.receive", "custody_events", str(received.id)),
    ]
    assert get_evidence(store, record.id, viewer=SYSTEM) == record


def test_adding_the_same_bytes_again_changes_nothing(store: Store, vault: EvidenceVault) -> None:
    content = pdf("casualty list")
    first = add(store, vault, content, name="list.pdf")
    again = add(
        store,
        vault,
        content,
        name="renamed.pdf",
        classification=Classification.PUBLIC,
        description="another description",
    )
    assert again == first  # the record as it was: name, classification and all
    assert (rows(store, evidence_files), rows(store, custody_events)) == (1, 1)
    assert len(audit_trail(store)) == 2
    assert [path.name for path in (vault.root / "originals").rglob("*") if path.is_file()] == [
        first.sha256
    ]


def test_a_second_genuine_receipt_of_the_same_file_is_recorded_once(
    store: Store, vault: EvidenceVault
) -> None:
    content = png("drone")
    first = add(store, vault, content, received_at=RECEIVED_AT)
    later = RECEIVED_AT + dt.timedelta(days=2)
    second = add(store, vault, content, received_from="LAF liaison", received_at=later)
    again = add(store, vault, content, received_from="LAF liaison", received_at=later)
    assert second.id == again.id == first.id
    assert [(entry.from_whom, entry.at) for entry in again.custody] == [
        ("UNIFIL patrol 7", RECEIVED_AT),
        ("LAF liaison", later),
    ]
    assert (second.received_from, second.received_at) == ("UNIFIL patrol 7", RECEIVED_AT)
    assert [action for action, _, _ in audit_trail(store)] == [
        "evidence.add",
        "evidence.receive",
        "evidence.receive",
    ]


def test_a_receipt_without_a_time_is_not_recorded_twice(store: Store, vault: EvidenceVault) -> None:
    content = jpeg("no time")
    add(store, vault, content)
    again = add(store, vault, content)
    assert len(again.custody) == 1


def test_each_handover_adds_one_custody_entry_and_one_audit_entry(
    store: Store, vault: EvidenceVault
) -> None:
    record = add(store, vault, jpeg("handed"))
    before = audit_trail(store)
    entry = record_handover(
        store,
        vault,
        record.id,
        from_whom="Secretariat",
        to_whom="Chair's office",
        note="for the session",
        by=SYSTEM,
    )
    assert (entry.action, entry.from_whom, entry.to_whom, entry.note) == (
        CustodyAction.HANDOVER,
        "Secretariat",
        "Chair's office",
        "for the session",
    )
    assert entry.sha256_checked == record.sha256
    assert entry.at.utcoffset() == dt.timedelta(0)
    assert rows(store, custody_events) == 2
    assert audit_trail(store) == [
        *before,
        ("evidence.handover", "custody_events", str(entry.id)),
    ]
    record_handover(
        store, vault, record.id, from_whom="Chair's office", to_whom="Archive", by=SYSTEM
    )
    assert rows(store, custody_events) == 3
    assert len(audit_trail(store)) == len(before) + 2
    custody = get_evidence(store, record.id, viewer=SYSTEM).custody
    assert [entry.to_whom for entry in custody] == ["Secretariat", "Chair's office", "Archive"]


def test_a_handover_at_a_given_time_is_recorded_once(store: Store, vault: EvidenceVault) -> None:
    record = add(store, vault, jpeg("timed"), received_at=RECEIVED_AT)
    at = RECEIVED_AT + dt.timedelta(hours=3)
    first = record_handover(store, vault, record.id, from_whom="A", to_whom="B", at=at, by=SYSTEM)
    again = record_handover(store, vault, record.id, from_whom="A", to_whom="B", at=at, by=SYSTEM)
    assert again == first
    assert rows(store, custody_events) == 2


def test_custody_times_must_say_their_time_zone_and_not_be_in_the_future(
    store: Store, vault: EvidenceVault
) -> None:
    with pytest.raises(InputError, match=r"received_at: .* has no time zone"):
        add(store, vault, jpeg("naive"), received_at=dt.datetime(2024, 12, 6, 10, 30))
    tomorrow = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    with pytest.raises(InputError, match="is in the future"):
        add(store, vault, jpeg("future"), received_at=tomorrow)
    with pytest.raises(InputError, match="received_from: must not be empty"):
        add(store, vault, jpeg("nobody"), received_from="  ")
    assert rows(store, evidence_files) == 0


def test_a_tampered_original_stops_handovers_copies_and_exports(
    store: Store, vault: EvidenceVault, tmp_path: Path
) -> None:
    record = add(store, vault, jpeg("tampered"), name="crater.jpg")
    original = tamper(vault, record)
    before = (rows(store, custody_events), audit_trail(store))
    with pytest.raises(IntegrityError) as refused:
        record_handover(store, vault, record.id, from_whom="A", to_whom="B", by=SYSTEM)
    assert "crater.jpg" in str(refused.value)
    assert str(original) in str(refused.value)
    assert "altered" in str(refused.value)
    with pytest.raises(IntegrityError, match=r"crater\.jpg"):
        make_working_copy(store, vault, record.id, purpose="enhance", by=SYSTEM)
    out = tmp_path / "export.jpg"
    with pytest.raises(IntegrityError, match=r"crater\.jpg"):
        export_original(store, vault, record.id, out, by=SYSTEM)
    assert not out.exists()
    assert list(tmp_path.glob(".export.jpg*")) == []
    assert [p for p in (vault.root / "working").rglob("*") if p.is_file()] == []
    assert (rows(store, custody_events), audit_trail(store)) == before
    assert rows(store, evidence_copies) == 0


def test_verify_reports_altered_missing_and_writable_originals(
    store: Store, vault: EvidenceVault
) -> None:
    intact = add(store, vault, jpeg("intact"), name="intact.jpg")
    altered = add(store, vault, png("altered"), name="altered.png")
    missing = add(store, vault, pdf("missing"), name="missing.pdf")
    writable = add(store, vault, jpeg("writable"), name="writable.jpg")
    tamper(vault, altered)
    path = vault.original_path(missing.sha256)
    path.unlink()
    vault.original_path(writable.sha256).chmod(0o644)

    report = verify_vault(store, vault, by=SYSTEM)
    assert report.checked == 4
    assert not report.ok
    assert [(p.evidence_id, p.kind) for p in report.problems] == [
        (altered.id, ProblemKind.ALTERED),
        (missing.id, ProblemKind.MISSING),
        (writable.id, ProblemKind.WRITABLE),
    ]
    with pytest.raises(IntegrityError) as failed:
        report.check()
    for name in ("altered.png", "missing.pdf", "writable.jpg", str(path)):
        assert name in str(failed.value)
    # the intact original is recorded as verified; the others get nothing
    assert get_evidence(store, intact.id, viewer=SYSTEM).custody[-1].action == "verified"
    for broken in (altered, missing, writable):
        assert len(get_evidence(store, broken.id, viewer=SYSTEM).custody) == 1
    assert audit_trail(store)[-1] == (
        "evidence.verify",
        "custody_events",
        str(get_evidence(store, intact.id, viewer=SYSTEM).custody[-1].id),
    )


def test_a_vault_of_intact_originals_verifies(store: Store, vault: EvidenceVault) -> None:
    records = [add(store, vault, jpeg(f"photo {n}"), name=f"{n}.jpg") for n in range(3)]
    report = verify_vault(store, vault, by=SYSTEM)
    assert (report.checked, report.ok) == (3, True)
    report.check()
    for record in records:
        last = get_evidence(store, record.id, viewer=SYSTEM).custody[-1]
        assert (last.action, last.sha256_checked) == ("verified", record.sha256)


def test_a_working_copy_is_a_separate_writable_copy(store: Store, vault: EvidenceVault) -> None:
    content = jpeg("to analyse")
    record = add(store, vault, content, name="scene.jpg")
    copy = make_working_copy(store, vault, record.id, purpose="enhance contrast", by=SYSTEM)
    path = vault.root / copy.path
    assert copy.path == f"working/{record.sha256}/{copy.id}-scene.jpg"
    assert path.read_bytes() == content
    assert (copy.sha256, copy.purpose, copy.created_by) == (
        record.sha256,
        "enhance contrast",
        SYSTEM.name,
    )
    path.write_bytes(b"edited by the analyst")  # analysis changes the copy...
    assert vault.original_path(record.sha256).read_bytes() == content  # ...never the original
    assert verify_vault(store, vault, by=SYSTEM).ok
    stored = get_evidence(store, record.id, viewer=SYSTEM)
    assert stored.copies == (copy,)
    copied = stored.custody[1]
    assert (copied.action, copied.to_whom) == ("copied", SYSTEM.name)
    assert "enhance contrast" in (copied.note or "")
    assert [entry[0] for entry in audit_trail(store)][-3:-1] == ["evidence.copy", "evidence.copy"]


def test_an_export_writes_the_original_bytes_to_a_new_file(
    store: Store, vault: EvidenceVault, tmp_path: Path
) -> None:
    content = pdf("for the court")
    record = add(store, vault, content, name="report.pdf")
    out = tmp_path / "out" / "report-export.pdf"
    out.parent.mkdir()
    assert export_original(store, vault, record.id, out, note="to the ICC", by=SYSTEM) == out
    assert out.read_bytes() == content
    assert not os.access(out, os.W_OK) or os.geteuid() == 0
    exported = get_evidence(store, record.id, viewer=SYSTEM).custody[-1]
    assert (exported.action, exported.to_whom, exported.note) == (
        "exported",
        str(out.resolve()),
        "to the ICC",
    )
    assert audit_trail(store)[-1][0] == "evidence.export"
    with pytest.raises(InputError, match="exists already"):
        export_original(store, vault, record.id, out, by=SYSTEM)
    with pytest.raises(InputError, match="no folder"):
        export_original(store, vault, record.id, tmp_path / "nowhere" / "x.pdf", by=SYSTEM)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (text("notes"), "detected not a recognised binary format"),
        (html("page"), "detected not a recognised binary format"),
        (zip_archive("bundle"), "detected application/zip"),
        (b"", "notes.jpg is empty"),
    ],
)
def test_unaccepted_files_leave_no_trace(
    store: Store, vault: EvidenceVault, content: bytes, message: str
) -> None:
    with pytest.raises(InputError, match=message) as refused:
        add(store, vault, content, name="notes.jpg")
    assert "notes.jpg" in str(refused.value)
    assert list((vault.root / "tmp").iterdir()) == []
    assert not (vault.root / "originals").exists()
    assert rows(store, evidence_files) == rows(store, custody_events) == rows(store, audit_log) == 0


def test_a_file_over_the_size_limit_leaves_no_trace(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRUCE_EVIDENCE_DIR", str(tmp_path / "limited"))
    monkeypatch.setenv("TRUCE_MAX_EVIDENCE_MB", "0.01")
    vault = EvidenceVault.from_env()
    small = add(store, vault, jpeg("small", size=5_000), name="small.jpg")
    with pytest.raises(InputError) as refused:
        add(store, vault, jpeg("big", size=20_000), name="big.jpg")
    assert str(refused.value) == "big.jpg is larger than the 0.01 MB limit ($TRUCE_MAX_EVIDENCE_MB)"
    assert list((vault.root / "tmp").iterdir()) == []
    assert list_evidence(store, viewer=SYSTEM) == [get_evidence(store, small.id, viewer=SYSTEM)]
    assert rows(store, custody_events) == 1


def test_a_missing_source_file_is_named(store: Store, vault: EvidenceVault, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.jpg"
    with pytest.raises(InputError, match=r"nowhere\.jpg"):
        add_evidence(
            store,
            vault,
            missing,
            original_name=missing.name,
            received_from="A",
            received_by="B",
            by=SYSTEM,
        )
    assert rows(store, evidence_files) == 0


def test_a_path_source_is_read_from_disk(
    store: Store, vault: EvidenceVault, tmp_path: Path
) -> None:
    source = tmp_path / "scan.pdf"
    source.write_bytes(pdf("scanned"))
    record = add_evidence(
        store,
        vault,
        source,
        original_name=source.name,
        received_from="A",
        received_by="B",
        by=SYSTEM,
    )
    assert vault.original_path(record.sha256).read_bytes() == source.read_bytes()
    assert source.exists()  # the sender's file is left where it was


def test_the_list_is_newest_first_and_paged(store: Store, vault: EvidenceVault) -> None:
    records = [add(store, vault, jpeg(f"list {n}"), name=f"{n}.jpg") for n in range(5)]
    page = list_evidence(store, viewer=SYSTEM, limit=2, offset=1)
    assert [record.id for record in page] == [records[3].id, records[2].id]
    assert page[0].custody  # with their custody
    with pytest.raises(InputError, match="limit"):
        list_evidence(store, viewer=SYSTEM, limit=0)
