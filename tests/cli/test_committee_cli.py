"""`truce committee import` on the sample set-up, on a real store (SQLite and PostgreSQL): the
first run creates the committee's records, the second nothing; a broken file exits 2 naming
its line and writes nothing; only the chair (or the local system) imports."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner, Result

import truce.cli.commitments
import truce.cli.committee
import truce.cli.delegations  # noqa: F401  (registers `committee`, `delegations`, `commitments`)
from builders import SYSTEM
from truce.cli.app import app
from truce.core.access import Role
from truce.security import add_user
from truce.store import Store

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "committee.yaml"


def run(url: str, *args: str) -> Result:
    return CliRunner().invoke(app, [*args, "--db", url], env={"COLUMNS": "200"})


def run_json(url: str, *args: str) -> Any:
    result = run(url, *args, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def db(store_url: str) -> str:
    with Store.open(store_url) as store:
        add_user(store, username="chair", role=Role.CHAIR, password="p" * 16, by=SYSTEM)
        add_user(store, username="delegate-lebanon", role=Role.DELEGATE, password="p" * 16,
                 by=SYSTEM, party="lebanon")  # fmt: skip
    return store_url


def test_importing_the_sample_twice(db: str) -> None:
    wanted = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    first = run(db, "committee", "import", str(SAMPLE))
    assert first.exit_code == 0, first.stderr
    assert first.stdout.startswith(f"imported {SAMPLE}: ")
    rows = {line.split("│")[1].strip(): line.split("│")[2:5]
            for line in first.stdout.splitlines() if line.count("│") == 5}  # fmt: skip
    assert [int(cell) for cell in rows["delegations"]] == [len(wanted["delegations"]), 0, 0]
    assert [int(cell) for cell in rows["commitments"]] == [len(wanted["commitments"]), 0, 0]

    listed = run_json(db, "delegations", "list")
    assert sorted(d["name"] for d in listed) == sorted(d["name"] for d in wanted["delegations"])
    overdue = run_json(db, "commitments", "list", "--overdue", "--today", "2026-01-01")
    assert "Reconvene before the new year with proposals for recovery" in {
        c["title"] for c in overdue["items"]
    }

    second = run_json(db, "committee", "import", str(SAMPLE), "--by", "chair")
    assert {c["kind"]: (c["created"], c["existing"]) for c in second["counts"]} == {
        "delegations": (0, len(wanted["delegations"])),
        "members": (0, sum(len(d["members"]) for d in wanted["delegations"])),
        "meetings": (0, len(wanted["meetings"])),
        "proposals": (0, len(wanted["proposals"])),
        "commitments": (0, len(wanted["commitments"])),
        "positions": (0, 5),
    }
    third = run(db, "committee", "import", str(SAMPLE))
    assert third.exit_code == 0, third.stderr
    assert third.stdout.startswith(f"imported {SAMPLE}: nothing new\n")
    assert run_json(db, "delegations", "list") == listed


def test_a_broken_file_exits_2_naming_its_line(db: str, tmp_path: Path) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    path = tmp_path / "committee.yaml"
    path.write_text(text.replace("    party: israel\n", "    party: atlantis\n"), encoding="utf-8")
    line = text[: text.index("    party: israel\n")].count("\n") + 1
    result = run(db, "committee", "import", str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"truce: {path}:{line}: delegations.2.party: unknown party 'atlantis'"
    )
    assert run_json(db, "delegations", "list") == []


def test_only_the_chair_imports(db: str) -> None:
    refused = run(db, "committee", "import", str(SAMPLE), "--by", "delegate-lebanon")
    assert refused.exit_code == 1
    assert "may not import the committee's set-up: the chair does" in refused.stderr
    unknown = run(db, "committee", "import", str(SAMPLE), "--by", "nobody")
    assert unknown.exit_code == 2
    assert "--by: no user 'nobody'" in unknown.stderr
    assert run_json(db, "delegations", "list") == []
