"""Whatever text comes in, the pipeline returns valid events and never raises."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from truce.core import Document, Event
from truce.extract import Doc, Pipeline

NEWS = (
    "Israeli drones struck two cars on Monday, one in Yater and another near Khiam, killing "
    "three people, Lebanon's health ministry said. The army said it targeted Hezbollah "
    "members. Protesters burned tyres in Tyre on Sunday. The next meeting is scheduled for "
    "Feb. 4 in Naqoura.\n"
)
FRAGMENTS = [
    NEWS,
    "<p>Strike on <b>Khiam</b></p><script>alert('x')</script>&amp;&#x27;",
    "غارة إسرائيلية على بلدة الخيام يوم الاثنين أدت إلى مقتل شخصين.",
    "תקיפה ישראלית בכפר כילא. ",
    "\u202e\u200f\u200d\ufeff\x00\x07\x1b[31m\r\r\n\t\x0b\x0c\u2028\u2029",
    "U.S. Dr. St. Nov. 23. 1.2.3. ... ?! -- — ‘’“” ",
    "in in in from near north of on Monday Monday yesterday overnight",
    "\U0001f4a5 🇱🇧 ",
    "killed killed 1,000,000,000,000 people were killed and 99999999999999999999 wounded ",
]


def _identity(event: Event) -> tuple[object, ...]:
    return (event.event_type, event.plover, event.modality, event.event_date, event.location)


def check(doc: Doc) -> None:
    text = doc.text
    for sentence in doc.sents:
        assert 0 <= sentence.start < sentence.end <= len(text)
    for event in doc.events:
        evidence = event.evidence
        assert text[evidence.start : evidence.end] == evidence.text
        event.to_contract()


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    text=st.one_of(
        st.text(max_size=400),
        st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=40), max_size=8).map("".join),
    ),
    published=st.one_of(st.none(), st.dates()),
)
def test_any_text_gives_valid_events(pipeline: Pipeline, text: str, published: dt.date) -> None:
    check(pipeline(Document(id="fuzz", text=text, published=published)))


@pytest.mark.parametrize("text", ["", " ", "\n\n\n", "\x00", "."])
def test_empty_and_degenerate_texts(pipeline: Pipeline, text: str) -> None:
    doc = pipeline(Document(id="e", text=text, published=dt.date(2026, 1, 14)))
    assert doc.events == []


@pytest.mark.slow
def test_a_four_megabyte_document(pipeline: Pipeline) -> None:
    # far larger than any article (ingest refuses files over 20 MB); 10 MB cost the suite two
    # minutes and checked nothing more
    text = (NEWS * (4_000_000 // len(NEWS) + 1))[:4_000_000]
    doc = pipeline(Document(id="big", text=text, published=dt.date(2026, 1, 14)))
    check(doc)
    # the same article a thousand times over reports the same events once (type, place, day)
    once = pipeline(Document(id="one", text=NEWS, published=dt.date(2026, 1, 14)))
    assert {_identity(e) for e in doc.events} == {_identity(e) for e in once.events}
    assert len(once.events) >= 3
