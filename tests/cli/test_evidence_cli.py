"""`truce evidence` as a user runs it, on a real store and a real vault."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

import truce.cli.evidence  # noqa: F401  (registers `evidence`)
from evidence_sample import html, jpeg, pdf
from truce.cli.app import app

#: runs `truce evidence ARGS...`: (exit code, standard output, standard error)
Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(store_url: str, tmp_path: Path) -> Run:
    """`truce evidence ARGS... --db URL` with the vault in tmp_path: (exit code, out, err)."""
    env = {
        "TRUCE_EVIDENCE_DIR": str(tmp_path / "vault"),
        "TRUCE_MAX_EVIDENCE_MB": "1",
        "COLUMNS": "250",
    }

    def invoke(*args: str) -> tuple[int, str, str]:
        result = CliRunner().invoke(app, ["evidence", *args, "--db", store_url], env=env)
        return result.exit_code, result.stdout, result.stderr

    return invoke


def write(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_a_file_goes_through_its_chain_of_custody(run: Run, tmp_path: Path) -> None:
    content = jpeg("from the field")
    photo = write(tmp_path, "crater.jpg", content)
    sha = hashlib.sha256(content).hexdigest()
    added = [
        "add",
        str(photo),
        "--received-from",
        "UNIFIL patrol 7",
        "--received-by",
        "Secretariat",
        "--received-at",
        "2024-12-06T10:30:00+02:00",
        "--description",
        "crater near Khiam",
    ]
    code, out, err = run(*added)
    assert (code, err) == (0, "")
    assert out.startswith("evidence 1: crater.jpg (image/jpeg")
    assert sha in out
    assert run(*added)[1] == out  # the same command again changes nothing

    code, out, _ = run("handover", "1", "--from", "Secretariat", "--to", "Chair", "--note", "why")
    assert code == 0
    assert "from Secretariat to Chair" in out
    code, out, _ = run("copy", "1", "--purpose", "enhance contrast")
    assert code == 0
    working = Path(out.strip())
    assert working.read_bytes() == content
    assert working.name == "1-crater.jpg"
    exported = tmp_path / "for-court.jpg"
    code, out, _ = run("export", "1", "--out", str(exported), "--note", "ICC request")
    assert (code, out.strip()) == (0, str(exported))
    assert exported.read_bytes() == content
    code, out, _ = run("verify")
    assert (code, out.strip()) == (0, "1 originals checked: 1 intact")

    code, out, _ = run("show", "1")
    assert code == 0
    for seen in (sha, "crater near Khiam", "2024-12-06 08:30:00 UTC", "UNIFIL patrol 7"):
        assert seen in out
    actions = ["received", "handover", "copied", "exported", "verified"]
    positions = [out.index(f" {action} ") for action in actions]
    assert positions == sorted(positions)
    assert "enhance contrast" in out
    code, out, _ = run("list")
    assert code == 0
    assert "crater.jpg" in out
    assert "committee" in out


def test_verify_fails_naming_a_tampered_original(run: Run, tmp_path: Path) -> None:
    content = pdf("report")
    run(
        "add",
        str(write(tmp_path, "report.pdf", content)),
        "--received-from",
        "a",
        "--received-by",
        "b",
    )
    original = next(
        (tmp_path / "vault" / "originals").rglob("*" + hashlib.sha256(content).hexdigest())
    )
    original.chmod(0o644)
    original.write_bytes(content.replace(b"report", b"forged"))
    original.chmod(0o444)
    code, out, err = run("verify")
    assert code == 1
    assert "1 originals checked: 0 intact" in out
    assert err.startswith("truce: evidence 1 (report.pdf): the original ")
    assert "altered" in err
    code, _, err = run("handover", "1", "--from", "a", "--to", "b")
    assert code == 1
    assert "report.pdf" in err


def test_bad_input_exits_2_with_a_clear_message(run: Run, tmp_path: Path) -> None:
    receipt = ("--received-from", "a", "--received-by", "b")
    code, _, err = run("add", str(write(tmp_path, "page.html", html())), *receipt)
    assert code == 2
    assert err.startswith("truce: page.html is not accepted as evidence: detected not a")
    big = write(tmp_path, "big.jpg", jpeg("big", size=2 * 2**20))
    code, _, err = run("add", str(big), *receipt)
    assert (code, err) == (
        2,
        "truce: big.jpg is larger than the 1 MB limit ($TRUCE_MAX_EVIDENCE_MB)\n",
    )
    code, _, err = run("add", str(tmp_path / "absent.jpg"), *receipt)
    assert code == 2
    assert "absent.jpg" in err
    photo = write(tmp_path, "p.jpg", jpeg("p"))
    code, _, err = run("add", str(photo), *receipt, "--received-at", "last tuesday")
    assert (code, err.startswith("truce: --received-at: 'last tuesday' is not")) == (2, True)
    code, _, err = run("add", str(photo), *receipt, "--party", "atlantis")
    assert code == 2
    assert "unknown party 'atlantis'" in err
    code, _, err = run("show", "42")
    assert (code, err) == (1, "truce: no evidence with id 42\n")
    assert list((tmp_path / "vault" / "tmp").glob("*")) == []
