"""Bad input: every problem of a document is reported with its id, and the run goes on."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from truce.core import Document, DocumentError, Event
from truce.extract import Doc, Pipeline
from truce.extract.evaluation import load_gold
from truce.extract.jsonl import LONG_TEXT_CHARS, DocumentProblem, run_jsonl, text_problems
from truce.extract.registry import Component, ComponentSpec
from truce.theatre import TheatrePack

STRIKE = "An Israeli drone struck a car in Yater on Monday, killing one man, the ministry said."
CORPUS = Path(__file__).parents[1] / "data" / "corpus"

BAD = {
    "html": (f"<html><body><p>{STRIKE}</p><script>x()</script></body></html>", "HTML left in"),
    "entities": (f"{STRIKE} Tyre &amp; Sidon.", "HTML left in"),
    "arabic": ("غارة إسرائيلية على بلدة الخيام يوم الاثنين أدت إلى مقتل شخصين.", "right-to-left"),
    "hebrew": ("תקיפה ישראלית בכפר כילא ביום שני, שני הרוגים.", "right-to-left"),
    "russian": ("Израильский беспилотник нанес удар по машине в Ятере.", "non-Latin letters"),
    "french": (
        "Un drone israélien a frappé une voiture à Yater lundi, tuant un homme, selon le "
        "ministère de la santé.",
        "does not read as English",
    ),
    "control": ("An Israeli drone\x00 struck\x07 a car\x1b[31m in Yater on Monday.", "control"),
    "bidi": ("An Israeli drone struck \u202ea car\u202c in Yater on Monday.", "bidirectional"),
    "undated": (STRIKE, "no publication date"),
}


@pytest.mark.parametrize("name", sorted(set(BAD) - {"undated"}))  # undated: by a component
def test_each_kind_of_bad_text_is_named(name: str) -> None:
    text, expected = BAD[name]
    problems = text_problems(Document(id=name, text=text))
    assert any(expected in problem for problem in problems), problems


def test_a_declared_language_other_than_english() -> None:
    problems = text_problems(Document(id="x", text=STRIKE, language="fr"))
    assert problems == ["language 'fr': the extractor reads English only"]
    assert text_problems(Document(id="x", text=STRIKE, language="en-GB")) == []


def test_a_huge_text_is_named_without_reading_all_of_it_twice() -> None:
    text = (STRIKE + " ") * (LONG_TEXT_CHARS // len(STRIKE) + 1)
    (problem,) = text_problems(Document(id="big", text=text))
    assert problem.startswith("very long text (1.0 million characters")


def test_no_problem_is_seen_in_the_corpus_articles() -> None:
    """English news copy, some quoting an Arabic or Hebrew name, raises no false alarm."""
    checked = 0
    for path in sorted(CORPUS.glob("*.yaml")):
        for article in load_gold(path).documents:
            assert text_problems(article.document()) == [], article.id
            checked += 1
    assert checked >= 120
    quoting = f"{STRIKE} Khiam (الخيام in Arabic) lies north of Metula (מטולה)." * 3
    assert text_problems(Document(id="q", text=quoting)) == []


def _lines(*documents: dict[str, object]) -> list[bytes]:
    return [json.dumps(d).encode() for d in documents]


def test_run_jsonl_reports_problems_with_id_and_line_and_still_extracts(
    pipeline: Pipeline,
) -> None:
    lines = _lines(
        *({"id": name, "text": text, "published": "2026-01-14"} for name, (text, _) in BAD.items())
    )
    lines[-1] = json.dumps({"id": "undated", "text": STRIKE}).encode()
    lines.append(json.dumps({"id": "empty", "text": ""}).encode())
    results = list(run_jsonl(lines, source_name="in.jsonl", pipeline=pipeline))
    problems = [r for r in results if isinstance(r, DocumentProblem)]
    for number, (name, (_, expected)) in enumerate(BAD.items(), start=1):
        mine = [p for p in problems if p.doc_id == name]
        assert any(expected in p.message for p in mine), mine
        assert all(p.line == number for p in mine)
        assert all(str(p).startswith(f"in.jsonl:{number}: document {name}: ") for p in mine)
    (empty,) = [r for r in results if isinstance(r, DocumentError)]
    assert str(empty) == 'in.jsonl:10: document empty: "text" is empty'
    events = {r.doc_id for r in results if isinstance(r, Event)}
    assert {"html", "control", "undated"} <= events  # reported, and extracted all the same


def _failing(pack: TheatrePack) -> Component:
    def run(doc: Doc) -> Doc:
        if "explode" in doc.text:
            raise ZeroDivisionError("a bug")
        return doc

    return run


def test_a_failing_component_costs_one_document(pipeline: Pipeline) -> None:
    spec = ComponentSpec("test.failing.v1", _failing, (), ())
    broken = Pipeline([spec, *pipeline.specs], pipeline.pack)
    lines = _lines({"id": "a", "text": "explode"}, {"id": "b", "text": STRIKE})
    results = list(run_jsonl(lines, source_name="s", pipeline=broken))
    assert (
        str(results[0])
        == "s:1: document a: extraction failed, no events (ZeroDivisionError: a bug)"
    )
    assert any(isinstance(r, Event) and r.doc_id == "b" for r in results)


FRAGMENTS = [STRIKE, *(text for text, _ in BAD.values()), "\ud7ff\U0010ffff", "<", "&#1;"]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    documents=st.lists(
        st.tuples(
            st.text(min_size=1, max_size=8),
            st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=30), max_size=5).map("".join),
            st.sampled_from([None, "2026-01-14", "en", "ar"]),
        ),
        max_size=4,
    ),
    garbage=st.binary(max_size=30),
)
def test_any_input_is_reported_by_document_and_never_raises(
    pipeline: Pipeline, documents: list[tuple[str, str, str | None]], garbage: bytes
) -> None:
    lines = [garbage.replace(b"\n", b" ")]
    for doc_id, text, extra in documents:
        data: dict[str, object] = {"id": doc_id, "text": text}
        if extra == "2026-01-14":
            data["published"] = extra
        elif extra is not None:
            data["language"] = extra
        lines.append(json.dumps(data).encode())
    for item in run_jsonl(lines, source_name="fuzz", pipeline=pipeline):
        if isinstance(item, DocumentProblem):
            doc_id = documents[item.line - 2][0]
            assert item.doc_id == doc_id
            assert f"document {doc_id}: " in str(item)
            assert "extraction failed" not in item.message
        elif isinstance(item, DocumentError):
            assert item.source == "fuzz"
        else:
            assert item.doc_id in {doc_id for doc_id, _, _ in documents}


def test_truce_extract_prints_each_problem_with_the_document_id(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    docs = [
        {"id": name, "text": text, "published": "2026-01-14"} for name, (text, _) in BAD.items()
    ]
    docs[-1] = {"id": "undated", "text": STRIKE}
    docs.append({"id": "empty", "text": " "})
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "truce.cli.main", "extract", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for line in done.stdout.splitlines():
        assert json.loads(line)["doc_id"] in {d["id"] for d in docs}
    warnings = done.stderr.splitlines()
    for number, (name, (_, expected)) in enumerate(BAD.items(), start=1):
        mine = [w for w in warnings if w.startswith(f"truce: {path}:{number}: document {name}: ")]
        assert any(expected in w for w in mine), (name, warnings)
    assert f'truce: {path}:10: document empty: "text" is empty' in warnings
