"""`truce ingest` end to end, on SQLite and PostgreSQL, with the default pipeline."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from typer.testing import CliRunner

import truce.cli.main  # noqa: F401  (importing it registers every command on the app)
from builders import SYSTEM
from truce.cli.app import app
from truce.core.models import Document
from truce.ingest import read_path
from truce.store import Store

SUMMARY = re.compile(
    r"^documents: (\d+) new, (\d+) already known, (\d+) rejected; events stored: (\d+)$",
    re.MULTILINE,
)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["ingest", *args])
    return result.exit_code, result.stdout, result.stderr


def summary_numbers(stdout: str) -> tuple[int, int, int, int]:
    found = SUMMARY.search(stdout)
    assert found is not None, stdout
    new, known, rejected, events = (int(group) for group in found.groups())
    return new, known, rejected, events


def counts(store_url: str) -> tuple[int, int]:
    with Store.open(store_url) as store:
        return store.count_documents(viewer=SYSTEM), store.count_events(viewer=SYSTEM)


def test_mixed_good_and_bad_files_store_the_good_and_name_the_bad(
    store_url: str, samples: Path
) -> None:
    (samples / "empty.txt").write_bytes(b"")
    (samples / "wire.jsonl").write_text(
        '{"id": "w1", "text": "An Israeli strike hit a house in Aitaroun on Tuesday."}\n'
        '{"id": "w2", "text": \n',
        encoding="utf-8",
    )

    code, stdout, stderr = run(str(samples), "--db", store_url)

    assert code == 0, stderr
    new, known, rejected, events = summary_numbers(stdout)
    assert (new, known, rejected) == (6, 0, 2)
    assert f"truce: {samples / 'wire.jsonl'}:2: not JSON" in stderr
    assert f"truce: {samples / 'empty.txt'}: empty file" in stderr
    assert counts(store_url) == (6, events)


def test_all_bad_input_exits_2_and_stores_nothing(store_url: str, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"  # not tmp_path itself: the SQLite database lives there
    inbox.mkdir()
    (inbox / "empty.md").write_bytes(b"")
    (inbox / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" * 20)
    missing = tmp_path / "missing.txt"

    code, stdout, stderr = run(str(inbox), str(missing), "--db", store_url)

    assert code == 2
    assert summary_numbers(stdout) == (0, 0, 3, 0)
    assert f"{inbox / 'empty.md'}: empty file" in stderr
    assert f"{inbox / 'photo.jpg'}: binary file" in stderr
    assert f"{missing}: no such file or folder" in stderr
    assert counts(store_url) == (0, 0)


def test_running_the_same_command_again_changes_nothing(store_url: str, samples: Path) -> None:
    first_code, first_out, _ = run(str(samples), "--db", store_url)
    after_first = counts(store_url)

    code, stdout, stderr = run(str(samples), "--db", store_url)

    assert (first_code, code) == (0, 0)
    new, _, _, events = summary_numbers(first_out)
    assert summary_numbers(stdout) == (0, new, 0, 0)
    assert counts(store_url) == after_first == (new, events)
    assert stderr == ""


def test_published_option_dates_undated_documents(store_url: str, tmp_path: Path) -> None:
    path = tmp_path / "undated.txt"
    path.write_text("The Lebanese army deployed to Khiam on Wednesday.\n", encoding="utf-8")

    code, stdout, _ = run(str(path), "--published", "2024-12-04", "--db", store_url)

    assert code == 0
    assert summary_numbers(stdout)[0] == 1
    (doc,) = read_path(path)
    assert isinstance(doc, Document)
    with Store.open(store_url) as store:
        stored = store.document_by_sha(doc.sha256, viewer=SYSTEM)
    assert stored is not None
    assert stored.published == dt.date(2024, 12, 4)


def test_a_malformed_published_date_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Text.\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'truce.db'}"

    code, _, stderr = run(str(path), "--published", "04/12/2024", "--db", db)

    assert code == 2
    assert "YYYY-MM-DD" in stderr or "%Y-%m-%d" in stderr
