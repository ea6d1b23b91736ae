"""The contract's input: JSON Lines documents, bad lines reported with their numbers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from truce.core import DocumentError, Event, InputError
from truce.extract import Pipeline, open_jsonl, read_document, run_jsonl

GOOD = (
    '{"id": "a", "text": "Israeli tanks shelled the outskirts of Khiam on Monday.", '
    '"published": "2026-01-14", "title": "Shelling", "source": "wire", "url": "https://x/a"}'
)


def test_a_document_line_becomes_a_document() -> None:
    document = read_document(GOOD, source_name="docs.jsonl", line_number=1)
    assert document is not None
    assert (document.id, document.title, document.language) == ("a", "Shelling", "en")
    assert document.published_date == dt.date(2026, 1, 14)


def test_full_timestamps_and_numeric_ids_are_accepted() -> None:
    line = '{"id": 42, "text": "x", "published": "2026-01-14T08:30:00+02:00", "language": "ar"}'
    document = read_document(line, source_name="s", line_number=3)
    assert document is not None
    assert (document.id, document.published_date, document.language) == (
        "42",
        dt.date(2026, 1, 14),
        "ar",
    )


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "docs.jsonl:7: not JSON"),
        ("[1, 2]", "docs.jsonl:7: expected a JSON object, got list"),
        ('{"text": "no id"}', 'docs.jsonl:7: no "id"'),
        ('{"id": true, "text": "x"}', 'docs.jsonl:7: no "id"'),
        ('{"id": "b"}', 'docs.jsonl:7: document b: no "text" string'),
        ('{"id": "b", "text": 12}', 'docs.jsonl:7: document b: no "text" string'),
        ('{"id": "b", "text": "  "}', 'docs.jsonl:7: document b: "text" is empty'),
        ('{"id": "b", "text": "x", "published": "soon"}', "docs.jsonl:7: document b: published"),
        (b'{"id": "b", "text": "\xff"}', "docs.jsonl:7: not UTF-8"),
    ],
)
def test_unusable_lines_name_source_and_line(line: str | bytes, message: str) -> None:
    with pytest.raises(DocumentError) as caught:
        read_document(line, source_name="docs.jsonl", line_number=7)
    assert str(caught.value).startswith(message)
    assert caught.value.line == 7


def test_blank_lines_are_skipped_and_a_byte_order_mark_ignored() -> None:
    assert read_document("   \n", source_name="s", line_number=1) is None
    document = read_document(("\ufeff" + GOOD).encode(), source_name="s", line_number=1)
    assert document is not None
    assert document.id == "a"


def test_run_jsonl_reports_bad_lines_and_goes_on(pipeline: Pipeline) -> None:
    lines = [GOOD.encode(), b"oops\n", b"\n", GOOD.replace('"a"', '"c"').encode()]
    results = list(run_jsonl(lines, source_name="in.jsonl", pipeline=pipeline))
    errors = [r for r in results if isinstance(r, DocumentError)]
    events = [r for r in results if isinstance(r, Event)]
    assert [(e.source, e.line) for e in errors] == [("in.jsonl", 2)]
    assert [e.doc_id for e in events] == ["a", "c"]


def test_open_jsonl_reads_files_and_names_missing_ones(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_text(GOOD + "\n", encoding="utf-8")
    with open_jsonl(path) as (lines, name):
        assert name == str(path)
        assert [line.rstrip(b"\n") for line in lines] == [GOOD.encode()]
    with pytest.raises(InputError, match="no such file"), open_jsonl(tmp_path / "missing"):
        pass
    with pytest.raises(InputError, match="is a folder"), open_jsonl(tmp_path):
        pass
