"""`truce theatre check` on a pack's zones and agreement."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import truce.cli.theatre  # noqa: F401  (registers `theatre`)
from truce.cli.app import app

SUDAN = Path(__file__).parent / "packs" / "sudan"
runner = CliRunner()


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    target = tmp_path / "pack"
    shutil.copytree(SUDAN, target)
    return target


def test_check_counts_zones_clauses_and_phases() -> None:
    result = runner.invoke(app, ["theatre", "check"])
    assert result.exit_code == 0, result.output
    assert "14 zones (5 approximate, 1 illustrative)" in result.stdout
    assert "agreement coh-2024: 13 clauses (11 checkable), 5 plan phases" in result.stdout


def test_check_the_second_pack() -> None:
    result = runner.invoke(app, ["theatre", "check", str(SUDAN)])
    assert result.exit_code == 0, result.output
    assert "2 zones (2 approximate, 1 illustrative)" in result.stdout
    assert "agreement jeddah-2023: 2 clauses (1 checkable), 0 plan phases" in result.stdout


def test_check_finds_a_crossed_ring(broken: Path) -> None:
    """A ring that crosses itself is valid GeoJSON; the check builds the shapes and says no."""
    path = broken / "zones.geojson"
    data = json.loads(path.read_text())
    data["features"][0]["geometry"]["coordinates"] = [
        [[25.0, 13.0], [25.5, 13.5], [25.5, 13.0], [25.0, 13.5], [25.0, 13.0]]
    ]
    path.write_text(json.dumps(data))
    result = runner.invoke(app, ["theatre", "check", str(broken)])
    assert result.exit_code == 1
    assert f"{path.resolve()}: features[0] (id 'el-fasher'): invalid geometry" in result.stderr
    assert "Self-intersection" in result.stderr


def test_check_reports_the_agreement_line(broken: Path) -> None:
    path = broken / "agreement.yaml"
    text = path.read_text().replace("obligated: [saf, rsf]", "obligated: [saf, unamid]", 1)
    path.write_text(text)
    line = text.splitlines().index("    obligated: [saf, unamid]") + 1
    result = runner.invoke(app, ["theatre", "check", str(broken)])
    assert result.exit_code == 1
    assert f"{path.resolve()}:{line}: party 'unamid' is not declared" in result.stderr
