"""Domain types: validation on the way in, the contract's shape on the way out."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from truce.core import Document, Event, Evidence, normalise_text, text_sha256
from truce.core.errors import DocumentError, InputError, TruceError

CONTRACT_FIELDS = [
    "doc_id", "event_type", "sub_event_type", "plover", "modality", "event_date",
    "time_precision", "actor1", "actor2", "inter1", "inter2", "location", "admin1", "country",
    "latitude", "longitude", "geo_precision", "fatalities", "sources", "evidence", "confidence",
]  # fmt: skip


def evidence() -> Evidence:
    return Evidence(text="Israeli drones struck a car.", start=0, end=28)


def test_event_serialises_every_contract_field_in_order() -> None:
    event = Event(
        doc_id="d1",
        event_type="Explosions/Remote violence",
        sub_event_type="Air/drone strike",
        plover="ASSAULT",
        event_date=dt.date(2026, 2, 9),
        actor1="Military Forces of Israel",
        inter1=8,
        location="Bint Jbeil",
        country="lb",
        latitude=33.12,
        longitude=35.43,
        fatalities=1,
        sources=("health ministry",),
        evidence=evidence(),
        confidence=0.8,
    )
    out = event.to_contract()
    assert list(out) == CONTRACT_FIELDS
    assert out["country"] == "LB"
    assert out["event_date"] == "2026-02-09"
    assert out["sources"] == ["health ministry"]
    assert out["evidence"] == {"text": "Israeli drones struck a car.", "start": 0, "end": 28}
    assert out["modality"] == "asserted"
    assert out["time_precision"] == 1
    assert out["inter1"] == 8


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"event_type": "Explosions", "plover": None}, "unknown ACLED event type"),
        ({"event_type": "Battles", "sub_event_type": "Grenade"}, "belongs to"),
        ({"event_type": None, "plover": None}, "needs an ACLED event_type or a PLOVER type"),
        ({"plover": "NEGOTIATE"}, "plover"),
        ({"plover": "CONSULT", "modality": "rumoured"}, "modality"),
        ({"plover": "CONSULT", "latitude": 33.1}, "latitude and longitude come together"),
        ({"plover": "CONSULT", "latitude": 95.0, "longitude": 35.0}, "latitude"),
        ({"plover": "CONSULT", "fatalities": -1}, "fatalities"),
        ({"plover": "CONSULT", "time_precision": 4}, "time_precision"),
        ({"plover": "CONSULT", "country": "LBN"}, "country"),
        ({"plover": "CONSULT", "confidence": 1.5}, "confidence"),
    ],
)
def test_invalid_events_are_refused(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Event.model_validate({"doc_id": "d1", "evidence": evidence(), **fields})


def test_evidence_offsets_are_ordered() -> None:
    with pytest.raises(ValidationError, match="before its start"):
        Evidence(text="x", start=5, end=2)


def test_normalised_text_hash_ignores_layout_noise() -> None:
    a = "Israeli drones struck\r\ntwo cars.  \r\n\r\n\r\n\r\nThe army said so.\n"
    b = "  Israeli drones struck\ntwo cars.\n\nThe army said so."
    assert normalise_text(a) == "Israeli drones struck\ntwo cars.\n\nThe army said so."
    assert text_sha256(a) == text_sha256(b)
    assert text_sha256(a) != text_sha256(b + " Again.")
    # composed and decomposed accents are the same text
    assert text_sha256("Bent Jba\u00efl") == text_sha256("Bent Jbai\u0308l")


def test_document_dates() -> None:
    assert Document(id="a", text="t", published="2025-12-04").published == dt.date(2025, 12, 4)
    stamped = Document(id="a", text="t", published="2025-12-04T22:30:00+02:00")
    assert isinstance(stamped.published, dt.datetime)
    assert stamped.published_date == dt.date(2025, 12, 4)
    assert Document(id="a", text="t").published_date is None
    with pytest.raises(ValidationError):
        Document(id="", text="t")


def test_input_errors_name_their_source_and_line() -> None:
    error = DocumentError("not JSON", source="docs.jsonl", line=3)
    assert str(error) == "docs.jsonl:3: not JSON"
    assert isinstance(error, InputError)
    assert isinstance(error, TruceError)
    assert str(InputError("empty file", source="a.txt")) == "a.txt: empty file"
    assert str(InputError("bad", line=2)) == "line 2: bad"
