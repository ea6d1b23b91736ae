"""`truce theatre check` and `truce theatre list`."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

import truce.cli.theatre  # noqa: F401  (registers `theatre`)
from truce.cli.app import app

SUDAN = Path(__file__).parent / "packs" / "sudan"
runner = CliRunner()


def test_check_default_pack() -> None:
    result = runner.invoke(app, ["theatre", "check"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("israel-lebanon (")
    assert "OK" in result.stdout
    assert "16 actors" in result.stdout


def test_check_a_folder() -> None:
    result = runner.invoke(app, ["theatre", "check", str(SUDAN)])
    assert result.exit_code == 0
    assert "sudan" in result.stdout
    assert "3 actors" in result.stdout
    assert "3 places (2 approximate)" in result.stdout


def test_check_reports_file_and_line(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "README.md").write_text("# broken\n")
    (pack / "actors.yaml").write_text("actors:\n  - name: One\n    inter: nine\n")
    result = runner.invoke(app, ["theatre", "check", str(pack)])
    assert result.exit_code == 1
    assert f"{(pack / 'actors.yaml').resolve()}:3:" in result.stderr
    assert "inter" in result.stderr


def test_check_unknown_name() -> None:
    result = runner.invoke(app, ["theatre", "check", "atlantis"])
    assert result.exit_code == 1
    assert "no theatre pack named 'atlantis'" in result.stderr


def test_list() -> None:
    result = runner.invoke(app, ["theatre", "list"])
    assert result.exit_code == 0
    assert "israel-lebanon\ttruce.theatre.packs:israel_lebanon_path" in result.stdout
