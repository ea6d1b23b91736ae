"""`explain(doc)`: per sentence, the trigger, the roles, and why each date and place won."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable

from truce.core import Document
from truce.extract import Doc, default_pipeline
from truce.extract.explain import explain, explaining_pipeline

Run = Callable[..., Doc]

TEXT = (
    "A rocket launched from southern Lebanon overnight slammed into a house in Kiryat Shmona, "
    "Israeli emergency services said on Tuesday.\n"
    "Israeli troops shot a shepherd in the area of Maroun al-Ras, opposite the Israeli "
    "community of Avivim, on Monday, the army said.\n"
    "Air raids have intensified across the south."
)


def test_explanation_names_trigger_roles_date_and_place(run: Run) -> None:
    doc = run(TEXT, published="2026-01-14")  # a Wednesday
    text = explain(doc)
    assert text.startswith("# t1 (published 2026-01-14)")
    # the trigger, its rule and its types
    assert "trigger 'rocket' (rule shelling): Explosions/Remote violence" in text
    # the date: the expression, how it was read, and why it was the one
    assert "date: 2026-01-13 from 'overnight'" in text
    # the place that won and the one that lost as a place of origin
    assert "CHOSEN: 'Kiryat Shmona'" in text
    assert "passed over: 'southern Lebanon'" in text
    assert "a place of origin" in text
    # the landmark opposite is passed over, the village in whose area it happened chosen
    assert "CHOSEN: 'Maroun al-Ras'" in text
    assert "a landmark across from the place" in text
    # roles and why
    assert "actor1: Military Forces of Israel ('Israeli troops')" in text
    # an aggregate is explained as background, not an event
    assert "background: an aggregate" in text
    # and every emitted event is accounted for
    assert text.count("event: event ") == len(doc.events) == 2


def test_explanations_are_recorded_per_trigger(run: Run) -> None:
    doc = run("Israeli warplanes struck a house in Yater on Monday.")
    (trigger,) = doc.triggers
    aspects = [aspect for aspect, _ in doc.explanations[trigger]]
    for aspect in ("modality", "actor1", "date", "place", "event"):
        assert aspect in aspects


def test_explaining_pipeline_hands_each_doc_to_the_sink() -> None:
    seen: list[str] = []
    pipeline = explaining_pipeline(seen.append, default_pipeline())
    doc = pipeline(Document(id="x1", text="Israeli drones struck Khiam on Monday."))
    assert len(seen) == 1
    assert seen[0] == explain(doc)
    assert doc.events


def test_cli_explain_goes_to_stderr_and_stdout_stays_events() -> None:
    line = json.dumps({"id": "c1", "published": "2026-01-14", "text": TEXT})
    done = subprocess.run(
        [sys.executable, "-m", "truce.cli.main", "extract", "--explain", "-"],
        input=line + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    events = [json.loads(row) for row in done.stdout.splitlines()]
    assert [e["doc_id"] for e in events] == ["c1", "c1"]
    assert "# c1 (published 2026-01-14)" in done.stderr
    assert "CHOSEN: 'Kiryat Shmona'" in done.stderr
