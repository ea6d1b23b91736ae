"""Tampering with the stored audit log behind truce's back is caught, and the entry named.

Each case tampers with a realistic history (audit_history.py) through raw SQL on its own
connection, as someone holding the database file or password could, checks that
`verify_audit` names the entry where the break shows, then puts the log back and checks it
verifies again. The "random" entries come from a random.Random seeded with the case's name,
so a failure replays exactly; each case tampers with SAMPLES entries in turn.

Cases (each on SQLite and PostgreSQL): 9 column changes, 2 seq changes, 4 malformed values,
delete one, delete a run, insert in the middle (forged and naive), append with a bad hash,
swap two, rewrite consistently after an entry, truncate the tail: 23 (67 tamperings).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from audit_history import (
    HISTORY_ENTRIES,
    build_history,
    chained,
    raw_engine,
    renumber_from,
    restore,
    stored_rows,
)
from sqlalchemy.engine import Engine

from builders import SYSTEM
from truce.core.audit import GENESIS_HASH, entry_hash
from truce.security.audit import (
    AuditProblem,
    generate_key,
    verify_audit,
    write_checkpoint,
)
from truce.store import Store
from truce.store.schema import audit_log

#: random entries tampered with, one after the other, per case
SAMPLES = 3

Rows = list[dict[str, Any]]


class History:
    """The store with its history, a raw engine on the same database, the rows as built."""

    def __init__(self, store: Store, engine: Engine) -> None:
        self.store = store
        self.engine = engine
        with engine.connect() as connection:
            self.rows: Rows = stored_rows(connection)

    def problem(self) -> AuditProblem | None:
        return verify_audit(self.store, by=SYSTEM).problem

    def tamper(self, *statements: sa.Executable) -> None:
        with self.engine.begin() as connection:
            for statement in statements:
                connection.execute(statement)

    def put_back(self) -> None:
        restore(self.engine, self.rows)
        assert self.problem() is None


@pytest.fixture
def history(store_url: str) -> Iterator[History]:
    with Store.open(store_url) as store, raw_engine(store_url) as engine:
        build_history(store)
        built = History(store, engine)
        assert len(built.rows) == HISTORY_ENTRIES
        assert built.problem() is None
        yield built


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _update(seq: int, /, **values: object) -> sa.Update:
    """Set `values` on the entry now numbered `seq` (its seq among them, perhaps)."""
    return sa.update(audit_log).where(audit_log.c.seq == seq).values(**values)


def _changed(column: str, row: dict[str, Any]) -> object:
    """A different, plausible value of `column`: what a forger would write."""
    value = row[column]
    match column:
        case "at":
            return value + dt.timedelta(seconds=1)
        case "actor":
            return "system:mallory"
        case "action":
            return value.replace(".add", ".classify") if ".add" in value else "document.add"
        case "entity":
            return "events" if value == "documents" else "documents"
        case "entity_id":
            return str(int(value) + 1)
        case "detail":
            return (
                '{"note":"added later"}' if value is None else value.replace("committee", "public")
            )
        case _:  # the hashes: content_hash, prev_hash, hash
            return _sha(f"forged {column}")


def _changed_message(column: str, seq: int) -> tuple[str, str]:
    if column == "prev_hash":
        after = "the start of the log" if seq == 1 else f"entry {seq - 1}"
        return "unlinked", f"entry {seq} does not follow {after}: inserted, deleted or reordered"
    return "changed", f"entry {seq} was changed: its hash does not match its content"


COLUMNS = [
    "at",
    "actor",
    "action",
    "entity",
    "entity_id",
    "content_hash",
    "detail",
    "prev_hash",
    "hash",
]


@pytest.mark.parametrize("column", COLUMNS)
def test_changing_a_column_of_a_random_entry_names_it(history: History, column: str) -> None:
    rng = random.Random(f"change {column}")
    for row in rng.sample(history.rows, SAMPLES):
        seq = row["seq"]
        new = _changed(column, row)
        assert new != row[column]
        history.tamper(_update(seq, **{column: new}))
        kind, message = _changed_message(column, seq)
        assert history.problem() == AuditProblem(seq, kind, message), f"{column} of entry {seq}"
        history.put_back()


def test_moving_a_random_entry_past_the_end_shows_it_missing(history: History) -> None:
    # seq is the primary key: a changed seq is one no other entry has, past the end or below 1
    rng = random.Random("seq past the end")
    for row in rng.sample(history.rows, SAMPLES):
        seq = row["seq"]
        history.tamper(_update(seq, seq=HISTORY_ENTRIES + 7))
        # read in seq order, the break shows where the entry was
        assert history.problem() == AuditProblem(
            seq, "missing", f"entry {seq} is missing (deleted?)"
        )
        history.put_back()


def test_moving_a_random_entry_before_the_start_shows_it_out_of_order(history: History) -> None:
    rng = random.Random("seq before the start")
    for row in rng.sample(history.rows, SAMPLES):
        history.tamper(_update(row["seq"], seq=-row["seq"]))
        # read in seq order it comes first, where entry 1 belongs
        moved = -row["seq"]
        assert history.problem() == AuditProblem(
            moved, "out of order", f"entry {moved} is out of order: entry 1 belongs here"
        )
        history.put_back()


@pytest.mark.parametrize(
    ("column", "value", "shown"),
    [
        ("hash", "Z" * 64, "its hash 'ZZZZ"),
        ("content_hash", "", "its content_hash '' is not a SHA-256 in hex"),
        ("detail", '{"was": "public"', 'its detail \'{"was": "public"\' is not JSON'),
    ],
)
def test_a_malformed_value_is_a_problem_not_a_crash(
    history: History, column: str, value: str, shown: str
) -> None:
    rng = random.Random(f"malformed {column}")
    for row in rng.sample(history.rows, SAMPLES):
        seq = row["seq"]
        history.tamper(_update(seq, **{column: value}))
        problem = history.problem()
        assert problem is not None
        assert (problem.seq, problem.kind) == (seq, "malformed")
        assert problem.message.startswith(f"entry {seq} is malformed: {shown}")
        history.put_back()


def test_a_time_that_is_no_time_is_a_problem_not_a_crash(history: History) -> None:
    rng = random.Random("malformed at")
    statement = sa.text("UPDATE audit_log SET at = :at WHERE seq = :seq")
    for row in rng.sample(history.rows, SAMPLES):
        seq = row["seq"]
        if history.store.dialect == "postgresql":  # its timestamptz column refuses the text
            with pytest.raises(sa.exc.DBAPIError, match="timestamp with time zone"):
                history.tamper(statement.bindparams(at="the day before", seq=seq))
            continue
        history.tamper(statement.bindparams(at="the day before", seq=seq))
        assert history.problem() == AuditProblem(
            seq, "malformed", f"entry {seq} is unreadable: its at is 'the day before'"
        )
        history.put_back()


def test_deleting_a_random_entry_names_it(history: History) -> None:
    # not the last: deleting the tail is truncation (test_truncating_the_tail...)
    rng = random.Random("delete one")
    for row in rng.sample(history.rows[:-1], SAMPLES):
        seq = row["seq"]
        history.tamper(sa.delete(audit_log).where(audit_log.c.seq == seq))
        assert history.problem() == AuditProblem(
            seq, "missing", f"entry {seq} is missing (deleted?)"
        )
        history.put_back()


def test_deleting_a_run_of_entries_names_them(history: History) -> None:
    rng = random.Random("delete a run")
    for _ in range(SAMPLES):
        first = rng.randrange(1, HISTORY_ENTRIES - 3)
        last = first + rng.randrange(1, 3)
        history.tamper(sa.delete(audit_log).where(audit_log.c.seq.between(first, last)))
        assert history.problem() == AuditProblem(
            first, "missing", f"entries {first}–{last} are missing (deleted?)"
        )
        history.put_back()


def _inserted(before: dict[str, Any] | None, seq: int, *, forged: bool) -> dict[str, Any]:
    """An entry to slip in at `seq`, after `before`: forged (its hash computed, linked to its
    predecessor) or naive (a made-up hash)."""
    row = {
        "seq": seq,
        "at": before["at"] if before else dt.datetime(2024, 12, 1, tzinfo=dt.UTC),
        "actor": "system:mallory",
        "action": "event.add",
        "entity": "events",
        "entity_id": "99",
        "content_hash": _sha("an event that never was"),
        "detail": None,
        "prev_hash": before["hash"] if before else GENESIS_HASH,
    }
    row["hash"] = entry_hash(**row) if forged else _sha("made up")
    return row


def test_inserting_a_forged_entry_in_the_middle_shows_after_it(history: History) -> None:
    rng = random.Random("insert forged")
    for seq in rng.sample(range(1, HISTORY_ENTRIES + 1), SAMPLES):
        before = history.rows[seq - 2] if seq > 1 else None
        with history.engine.begin() as connection:
            renumber_from(connection, seq, 1)
            connection.execute(sa.insert(audit_log), _inserted(before, seq, forged=True))
        # the forged entry itself links and hashes correctly; the one it pushed along
        # (renumbered seq+1) still points at the entry before the forgery
        assert history.problem() == AuditProblem(
            seq + 1,
            "unlinked",
            f"entry {seq + 1} does not follow entry {seq}: inserted, deleted or reordered",
        )
        history.put_back()


def test_inserting_a_naive_entry_in_the_middle_names_it(history: History) -> None:
    rng = random.Random("insert naive")
    for seq in rng.sample(range(1, HISTORY_ENTRIES + 1), SAMPLES):
        before = history.rows[seq - 2] if seq > 1 else None
        with history.engine.begin() as connection:
            renumber_from(connection, seq, 1)
            connection.execute(sa.insert(audit_log), _inserted(before, seq, forged=False))
        assert history.problem() == AuditProblem(
            seq, "changed", f"entry {seq} was changed: its hash does not match its content"
        )
        history.put_back()


def test_appending_an_entry_with_a_bad_hash_names_it(history: History) -> None:
    seq = HISTORY_ENTRIES + 1
    history.tamper(sa.insert(audit_log).values(_inserted(history.rows[-1], seq, forged=False)))
    assert history.problem() == AuditProblem(
        seq, "changed", f"entry {seq} was changed: its hash does not match its content"
    )
    history.put_back()


def test_swapping_two_random_entries_names_the_first(history: History) -> None:
    rng = random.Random("swap two")
    for _ in range(SAMPLES):
        one, other = sorted(rng.sample(history.rows, 2), key=lambda row: row["seq"])
        contents = [
            {name: value for name, value in row.items() if name != "seq"} for row in (one, other)
        ]
        history.tamper(_update(one["seq"], **contents[1]), _update(other["seq"], **contents[0]))
        seq = one["seq"]
        after = "the start of the log" if seq == 1 else f"entry {seq - 1}"
        assert history.problem() == AuditProblem(
            seq, "unlinked", f"entry {seq} does not follow {after}: inserted, deleted or reordered"
        )
        history.put_back()


def _checkpointed(history: History, tmp_path: Path) -> Path:
    """A checkpoint of the history's head (entry HISTORY_ENTRIES), which also appends the
    checkpoint's own entry; the rows as they are now become the ones to put back."""
    key = tmp_path / "key.pem"
    generate_key(key, tmp_path / "key.pub.pem")
    out = tmp_path / "checkpoint.json"
    assert write_checkpoint(history.store, key=key, out=out, by=SYSTEM).seq == HISTORY_ENTRIES
    with history.engine.connect() as connection:
        history.rows = stored_rows(connection)
    return out


def test_rewriting_everything_after_an_entry_is_caught_only_by_a_checkpoint(
    history: History, tmp_path: Path
) -> None:
    checkpoint = _checkpointed(history, tmp_path)
    rng = random.Random("rewrite after")
    for seq in rng.sample(range(1, HISTORY_ENTRIES + 1), SAMPLES):
        # change entry `seq`, then recompute the hash of it and of every entry after it
        kept, rewritten = history.rows[: seq - 1], history.rows[seq - 1 :]
        rewritten = [{**rewritten[0], "actor": "system:mallory"}, *rewritten[1:]]
        restore(
            history.engine, kept + chained(rewritten, kept[-1]["hash"] if kept else GENESIS_HASH)
        )
        # A consistent rewrite passes the chain's own checks: only what is kept outside the
        # database can tell. That is what checkpoints are for.
        alone = verify_audit(history.store, by=SYSTEM)
        assert alone.ok
        assert alone.entries == HISTORY_ENTRIES + 1
        report = verify_audit(history.store, checkpoints=[checkpoint], by=SYSTEM)
        assert report.problem is not None
        assert (report.problem.seq, report.problem.kind) == (HISTORY_ENTRIES, "rewritten")
        assert report.problem.message.startswith(
            f"history was rewritten since checkpoint {checkpoint}: "
            f"entry {HISTORY_ENTRIES} has hash "
        )
        history.put_back()
        assert verify_audit(history.store, checkpoints=[checkpoint], by=SYSTEM).checkpoints == 1


def test_truncating_the_tail_is_caught_only_by_a_checkpoint(
    history: History, tmp_path: Path
) -> None:
    checkpoint = _checkpointed(history, tmp_path)
    rng = random.Random("truncate")
    for _ in range(SAMPLES):
        # 2 or more: the last entry is the checkpoint's own, after the entry it signed
        cut = rng.randrange(2, 6)
        first_gone = HISTORY_ENTRIES + 2 - cut
        history.tamper(sa.delete(audit_log).where(audit_log.c.seq >= first_gone))
        alone = verify_audit(history.store, by=SYSTEM)
        assert alone.ok
        assert alone.head_seq == first_gone - 1
        report = verify_audit(history.store, checkpoints=[checkpoint], by=SYSTEM)
        assert report.problem == AuditProblem(
            HISTORY_ENTRIES,
            "rewritten",
            f"history was rewritten since checkpoint {checkpoint}: it signed entry "
            f"{HISTORY_ENTRIES}, but the log ends at entry {first_gone - 1} (truncated?)",
        )
        history.put_back()
