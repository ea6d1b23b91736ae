"""`truce extract` as a user runs it: a real process, its streams and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

DOCS = [
    {
        "id": "n1",
        "published": "2026-01-14",
        "text": "An Israeli drone struck a car in Yater on Monday, killing one man, "
        "the health ministry said.",
    },
    {"id": "n2", "text": "Nothing happened here."},
]


def truce(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "truce.cli.main", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def write_docs(tmp_path: Path) -> Path:
    path = tmp_path / "docs.jsonl"
    lines = [json.dumps(DOCS[0]), "this is not json", "", '{"id": "x"}', json.dumps(DOCS[1])]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_events_on_stdout_problems_on_stderr(tmp_path: Path) -> None:
    path = write_docs(tmp_path)
    done = truce("extract", str(path))
    assert done.returncode == 0, done.stderr
    events = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(e["doc_id"], e["event_type"], e["fatalities"]) for e in events] == [
        ("n1", "Explosions/Remote violence", 1)
    ]
    assert events[0]["evidence"]["text"] == DOCS[0]["text"]
    problems = done.stderr.splitlines()
    assert problems == [
        f"truce: {path}:2: not JSON (Expecting value at column 1)",
        f'truce: {path}:4: document x: no "text" string',
    ]


def test_standard_input(tmp_path: Path) -> None:
    done = truce("extract", "-", stdin=write_docs(tmp_path).read_text(encoding="utf-8"))
    assert done.returncode == 0
    assert [json.loads(line)["doc_id"] for line in done.stdout.splitlines()] == ["n1"]
    assert "truce: <stdin>:2: not JSON" in done.stderr


def test_missing_file_exits_2(tmp_path: Path) -> None:
    done = truce("extract", str(tmp_path / "nowhere.jsonl"))
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip() == f"truce: {tmp_path / 'nowhere.jsonl'}: no such file"


def test_bad_arguments_exit_2() -> None:
    assert truce("extract").returncode == 2
    assert truce("extract", "a.jsonl", "b.jsonl").returncode == 2
