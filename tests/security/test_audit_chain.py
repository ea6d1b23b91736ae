"""Verifying the audit chain (the pure walk, then a real store), the log, reclassification."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import tracemalloc
from collections.abc import Iterator, Sequence

import pytest
from audit_history import CHAIR, HISTORY_ENTRIES, build_history
from hypothesis import given
from hypothesis import strategies as st

from builders import SYSTEM
from truce.core.access import Classification, Principal, Role, Scope
from truce.core.audit import GENESIS_HASH, AuditEntry, canonical_json, entry_hash, timestamp_text
from truce.core.errors import InputError, NotFoundError, PermissionDeniedError
from truce.security.audit import (
    MAX_LOG_LIMIT,
    AuditProblem,
    AuditReport,
    audit_log,
    reclassify,
    verify_audit,
    verify_chain,
)
from truce.store import Store
from truce.store.audit import UnreadableEntry, read_chain

T0 = dt.datetime(2024, 11, 26, 4, 0, tzinfo=dt.UTC)


def _entries(count: int) -> Iterator[AuditEntry]:
    """A valid chain, made one entry at a time (never held whole)."""
    prev = GENESIS_HASH
    for seq in range(1, count + 1):
        fields = {
            "seq": seq,
            "at": T0 + dt.timedelta(seconds=seq),
            "actor": "chair-amal" if seq % 3 else "system:ops",
            "action": "event.classify" if seq % 2 else "event.add",
            "entity": "events",
            "entity_id": str(seq),
            "content_hash": hashlib.sha256(str(seq).encode()).hexdigest(),
            "detail": canonical_json({"was": "committee"}) if seq % 2 else None,
            "prev_hash": prev,
        }
        prev = entry_hash(**fields)
        yield AuditEntry(**fields, hash=prev)


CHAIN = list(_entries(20))


def _problem(entries: Sequence[AuditEntry | UnreadableEntry]) -> AuditProblem | None:
    return verify_chain(entries).problem


def test_an_intact_chain_reports_its_head() -> None:
    report = verify_chain(CHAIN)
    assert report == AuditReport(entries=20, head_seq=20, head_hash=CHAIN[-1].hash, problem=None)
    assert report.ok


def test_an_empty_log_is_intact() -> None:
    assert verify_chain([]) == AuditReport(0, 0, GENESIS_HASH, None)


HEX = st.text("0123456789abcdef", min_size=64, max_size=64)
CHANGES = {
    "at": st.datetimes(
        min_value=dt.datetime(2000, 1, 1),
        max_value=dt.datetime(2100, 1, 1),
        timezones=st.just(dt.UTC),
    ),
    "actor": st.text(max_size=20),
    "action": st.text(max_size=20),
    "entity": st.text(max_size=20),
    "entity_id": st.text(max_size=20),
    "content_hash": HEX,
    "detail": st.none() | st.dictionaries(st.text(max_size=5), st.integers()).map(canonical_json),
    "prev_hash": HEX,
    "hash": HEX,
}


@given(st.sampled_from(CHAIN), st.sampled_from(sorted(CHANGES)), st.data())
def test_any_change_to_any_field_of_any_entry_is_named(
    entry: AuditEntry, field: str, data: st.DataObject
) -> None:
    value = data.draw(CHANGES[field].filter(lambda new: new != getattr(entry, field)))
    if field == "at" and timestamp_text(value) == timestamp_text(entry.at):
        return  # the same instant
    changed = [dataclasses.replace(e, **{field: value}) if e is entry else e for e in CHAIN]
    problem = _problem(changed)
    assert problem is not None
    assert problem.seq == entry.seq
    assert problem.kind == ("unlinked" if field == "prev_hash" else "changed")
    assert problem.message.startswith(f"entry {entry.seq} ")


def test_a_missing_entry_is_named_and_a_missing_run_spanned() -> None:
    assert _problem([*CHAIN[:6], *CHAIN[7:]]) == AuditProblem(
        7, "missing", "entry 7 is missing (deleted?)"
    )
    assert _problem([*CHAIN[:6], *CHAIN[9:]]) == AuditProblem(
        7, "missing", "entries 7–9 are missing (deleted?)"
    )
    assert _problem(CHAIN[1:]) == AuditProblem(1, "missing", "entry 1 is missing (deleted?)")


def test_a_renumbered_gap_still_breaks_the_links() -> None:
    # entry 7 deleted and the rest renumbered to close the gap (hashes left alone)
    renumbered = [*CHAIN[:6], *(dataclasses.replace(e, seq=e.seq - 1) for e in CHAIN[7:])]
    assert _problem(renumbered) == AuditProblem(
        7, "unlinked", "entry 7 does not follow entry 6: inserted, deleted or reordered"
    )


def test_duplicates_and_entries_out_of_order_are_named() -> None:
    assert _problem([*CHAIN[:5], CHAIN[4], *CHAIN[5:]]) == AuditProblem(
        5, "duplicate", "entry 5 appears twice"
    )
    assert _problem([*CHAIN[:5], CHAIN[1]]) == AuditProblem(
        2, "out of order", "entry 2 is out of order: entry 6 belongs here"
    )
    # in the given order, a later entry first shows as the ones before it missing
    assert _problem([*CHAIN[:5], CHAIN[6], CHAIN[5]]) == AuditProblem(
        6, "missing", "entry 6 is missing (deleted?)"
    )


def test_the_first_entry_must_start_the_chain() -> None:
    first = dataclasses.replace(CHAIN[0], prev_hash=CHAIN[5].hash)
    assert _problem([first, *CHAIN[1:]]) == AuditProblem(
        1,
        "unlinked",
        "entry 1 does not follow the start of the log: inserted, deleted or reordered",
    )


def test_malformed_values_are_problems_not_crashes() -> None:
    bad_hash = dataclasses.replace(CHAIN[3], hash="not a hash")
    assert _problem([*CHAIN[:3], bad_hash]) == AuditProblem(
        4, "malformed", "entry 4 is malformed: its hash 'not a hash' is not a SHA-256 in hex"
    )
    upper = dataclasses.replace(CHAIN[3], prev_hash=CHAIN[2].hash.upper())
    problem = _problem([*CHAIN[:3], upper])
    assert problem is not None
    assert (problem.seq, problem.kind) == (4, "malformed")
    bad_detail = dataclasses.replace(CHAIN[4], detail='{"was": ')
    assert _problem([*CHAIN[:4], bad_detail]) == AuditProblem(
        5, "malformed", "entry 5 is malformed: its detail '{\"was\": ' is not JSON"
    )
    unreadable = UnreadableEntry(seq=4, column="at", value="'yesterday'")
    assert _problem([*CHAIN[:3], unreadable, *CHAIN[4:]]) == AuditProblem(
        4, "malformed", "entry 4 is unreadable: its at is 'yesterday'"
    )


def test_the_report_counts_every_entry_past_the_first_problem() -> None:
    changed = [*CHAIN[:3], dataclasses.replace(CHAIN[3], actor="x"), *CHAIN[4:]]
    report = verify_chain(changed)
    assert report.problem is not None
    assert report.problem.seq == 4
    assert (report.entries, report.head_seq, report.head_hash) == (20, 20, CHAIN[-1].hash)
    assert not report.ok


def test_verification_streams_in_constant_memory() -> None:
    count = 3000
    tracemalloc.start()
    try:
        report = verify_chain(_entries(count))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert report.ok
    assert report.entries == count
    # holding the entries would take some 2.5 MB; one at a time, a few kilobytes
    assert peak < 300_000


# --- on a real store -------------------------------------------------------------------------


def test_verify_audit_reads_the_stored_chain(store: Store) -> None:
    assert verify_audit(store, by=SYSTEM) == AuditReport(0, 0, GENESIS_HASH, None)
    build_history(store)
    stored = audit_log(store, by=SYSTEM)
    assert len(stored) == HISTORY_ENTRIES
    assert verify_audit(store, by=SYSTEM) == AuditReport(
        HISTORY_ENTRIES, HISTORY_ENTRIES, stored[-1].hash, None
    )


MAY_AUDIT = [
    CHAIR,
    Principal(name="root.admin", role=Role.ADMIN),
    Principal(name="root.admin", role=Role.ADMIN, scopes=frozenset({Scope.READ})),
    SYSTEM,
]
MAY_NOT_AUDIT = [
    Principal(name="obs", role=Role.OBSERVER),
    Principal(name="mon", role=Role.MONITOR),
    Principal(name="del", role=Role.DELEGATE, party="israel"),
    Principal.public(),
]


def test_who_may_read_and_verify_the_audit_log(store: Store) -> None:
    build_history(store)
    for by in MAY_AUDIT:
        assert verify_audit(store, by=by).ok
        assert len(audit_log(store, by=by)) == HISTORY_ENTRIES
    # the log names every record, restricted ones too, and what their classification was
    for by in MAY_NOT_AUDIT:
        with pytest.raises(PermissionDeniedError, match=f"{by.name} .* may not read the audit"):
            verify_audit(store, by=by)
        with pytest.raises(PermissionDeniedError):
            audit_log(store, by=by)


def test_the_log_pages_and_filters(store: Store) -> None:
    build_history(store)
    everything = audit_log(store, by=SYSTEM)
    assert everything == list(read_chain(store))
    assert [e.seq for e in audit_log(store, by=SYSTEM, after=4, limit=3)] == [5, 6, 7]
    assert audit_log(store, by=SYSTEM, after=HISTORY_ENTRIES) == []
    documents = audit_log(store, by=SYSTEM, entity="documents")
    assert documents == [e for e in everything if e.entity == "documents"]
    assert [(e.action, e.entity_id) for e in documents] == [
        ("document.add", "1"),
        ("document.add", "2"),
        ("document.add", "3"),
        ("document.classify", "1"),
    ]
    history = audit_log(store, by=SYSTEM, entity="events", entity_id="1")
    assert [(e.action, e.actor) for e in history] == [
        ("event.add", SYSTEM.name),
        ("event.classify", CHAIR.name),
    ]
    for limit in (0, MAX_LOG_LIMIT + 1):
        with pytest.raises(InputError, match="limit must be 1 to 1000"):
            audit_log(store, by=SYSTEM, limit=limit)
    with pytest.raises(InputError, match="after must be 0 or more"):
        audit_log(store, by=SYSTEM, after=-1)


def test_reclassifying_supersedes_and_the_audit_says_by_whom(store: Store) -> None:
    build_history(store)
    monitor = Principal(name="mon-lina", role=Role.MONITOR)
    assert reclassify(store, "document", 2, Classification.COMMITTEE, None, by=monitor) == 2
    entries = audit_log(store, by=SYSTEM, after=HISTORY_ENTRIES)
    assert [(e.action, e.entity, e.entity_id, e.actor) for e in entries] == [
        ("document.classify", "documents", "2", "mon-lina"),
        ("event.classify", "events", "3", "mon-lina"),
    ]
    assert entries[0].detail == canonical_json(
        {
            "was": {"classification": "public", "owner_party": None},
            "now": {"classification": "committee", "owner_party": None},
        }
    )
    assert store.get_document(2, viewer=SYSTEM).classification == "committee"
    # already so: nothing changes, nothing is recorded
    assert reclassify(store, "event", 3, Classification.COMMITTEE, None, by=monitor) == 0
    assert verify_audit(store, by=SYSTEM).entries == HISTORY_ENTRIES + 2


def test_reclassifying_is_refused_without_a_trace(store: Store) -> None:
    build_history(store)
    delegate = Principal(name="del-omar", role=Role.DELEGATE, party="israel")
    # document 1 is restricted to lebanon: an Israeli delegate cannot see it, let alone take it
    with pytest.raises(NotFoundError):
        reclassify(store, "document", 1, Classification.RESTRICTED, "israel", by=delegate)
    with pytest.raises(PermissionDeniedError, match="may only file records of israel"):
        reclassify(store, "document", 2, Classification.RESTRICTED, "israel", by=delegate)
    with pytest.raises(PermissionDeniedError, match="cannot be public while its document"):
        reclassify(store, "event", 1, Classification.PUBLIC, None, by=CHAIR)
    with pytest.raises(NotFoundError):
        reclassify(store, "event", 999, Classification.PUBLIC, None, by=CHAIR)
    assert verify_audit(store, by=SYSTEM).entries == HISTORY_ENTRIES
