"""The audit chain's hashes as pure functions: one spelling per value, every field counted."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from truce.core.audit import (
    GENESIS_HASH,
    AuditEntry,
    canonical_json,
    content_hash,
    entry_hash,
    timestamp_text,
)

AT = dt.datetime(2024, 12, 1, 9, 30, 15, 250, tzinfo=dt.UTC)
ENTRY = AuditEntry(
    seq=7,
    at=AT,
    actor="system:amal",
    action="document.classify",
    entity="documents",
    entity_id="3",
    content_hash=hashlib.sha256(b"the record").hexdigest(),
    detail='{"now":{"classification":"public"},"was":{"classification":"committee"}}',
    prev_hash=hashlib.sha256(b"entry 6").hexdigest(),
    hash="",
)


def test_canonical_json_has_one_spelling_per_value() -> None:
    first = {"b": [1, "ب"], "a": {"z": None, "y": dt.date(2024, 11, 26)}}
    second = {"a": {"y": dt.date(2024, 11, 26), "z": None}, "b": [1, "ب"]}
    assert canonical_json(first) == canonical_json(second)
    assert canonical_json(first) == '{"a":{"y":"2024-11-26","z":null},"b":[1,"ب"]}'
    assert json.loads(canonical_json(first)) == {
        "a": {"y": "2024-11-26", "z": None},
        "b": [1, "ب"],
    }


def test_canonical_json_refuses_what_json_cannot_say() -> None:
    with pytest.raises(ValueError, match="Out of range float"):
        canonical_json({"fatalities": float("nan")})


def test_content_hash_is_the_sha256_of_the_canonical_json() -> None:
    record = {"title": "Strikes", "published": dt.datetime(2024, 12, 2, tzinfo=dt.UTC)}
    assert content_hash(record) == hashlib.sha256(canonical_json(record).encode()).hexdigest()
    assert content_hash(record) == content_hash(dict(reversed(record.items())))
    assert content_hash(record) != content_hash({**record, "title": "Strikes."})


def test_timestamp_text_is_utc_to_the_microsecond_whatever_the_zone() -> None:
    beirut = dt.timezone(dt.timedelta(hours=2))
    assert timestamp_text(AT) == "2024-12-01T09:30:15.000250Z"
    assert timestamp_text(AT.astimezone(beirut)) == timestamp_text(AT)
    assert timestamp_text(AT.replace(tzinfo=None)) == timestamp_text(AT)  # naive is UTC
    assert timestamp_text(AT.replace(microsecond=0)) == "2024-12-01T09:30:15.000000Z"


@given(
    st.datetimes(
        min_value=dt.datetime(1970, 1, 2),
        max_value=dt.datetime(9998, 12, 30),
        timezones=st.timezones(),
    )
)
def test_timestamp_text_always_has_the_same_length(at: dt.datetime) -> None:
    # (entries are stamped with the time they are written: years of four digits)
    assert len(timestamp_text(at)) == len("2024-12-01T09:30:15.000250Z")


def test_entry_hash_covers_its_fields_and_its_predecessor() -> None:
    fields = {f.name: getattr(ENTRY, f.name) for f in dataclasses.fields(ENTRY) if f.name != "hash"}
    assert ENTRY.expected_hash() == entry_hash(**fields)
    spelled = [
        7,
        "2024-12-01T09:30:15.000250Z",
        "system:amal",
        "document.classify",
        "documents",
        "3",
        ENTRY.content_hash,
        ENTRY.detail,
        ENTRY.prev_hash,
    ]
    assert ENTRY.expected_hash() == hashlib.sha256(canonical_json(spelled).encode()).hexdigest()
    assert len(GENESIS_HASH) == 64
    assert set(GENESIS_HASH) == {"0"}


CHANGES: dict[str, object] = {
    "seq": 8,
    "at": AT + dt.timedelta(microseconds=1),
    "actor": "system:mallory",
    "action": "document.add",
    "entity": "events",
    "entity_id": "4",
    "content_hash": hashlib.sha256(b"another record").hexdigest(),
    "detail": None,
    "prev_hash": GENESIS_HASH,
}


@pytest.mark.parametrize("field", list(CHANGES))
def test_changing_any_field_changes_the_entry_hash(field: str) -> None:
    changed = dataclasses.replace(ENTRY, **{field: CHANGES[field]})
    assert changed.expected_hash() != ENTRY.expected_hash()


def test_the_hash_field_itself_is_not_hashed() -> None:
    assert dataclasses.replace(ENTRY, hash="f" * 64).expected_hash() == ENTRY.expected_hash()
