"""`truce zones list` and `truce zones at`, run as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

import truce.cli.zones  # noqa: F401  (registers `zones`)
from truce.cli.app import app

SUDAN = Path(__file__).parents[1] / "theatre" / "packs" / "sudan"
runner = CliRunner()


def test_list() -> None:
    result = runner.invoke(app, ["zones", "list"], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    for zone_id in ("south-of-litani", "litani-awali", "blue-line-band", "gov-akkar"):
        assert zone_id in result.stdout
    assert "approximate, illustrative" in result.stdout  # the economic zone's flags


def test_list_json() -> None:
    result = runner.invoke(app, ["zones", "list", "--json"])
    assert result.exit_code == 0, result.output
    zones = json.loads(result.stdout)
    assert len(zones) == 14
    by_id = {zone["id"]: zone for zone in zones}
    assert by_id["gov-beirut"]["admin1"] == "Beirut"
    assert by_id["blue-line-band"]["width_km"] == 5
    assert by_id["economic-zone-illustrative"]["illustrative"] is True
    assert "LGPL" in by_id["south-of-litani"]["licence"]
    assert all(zone["area_km2"] > 0 and zone["source"] for zone in zones)


def test_at_a_point_in_the_south() -> None:
    result = runner.invoke(app, ["zones", "at", "33.32778,35.61278"], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    assert "south-of-litani" in result.stdout
    assert "gov-nabatieh" in result.stdout
    assert "gov-south-lebanon" not in result.stdout


def test_at_json() -> None:
    result = runner.invoke(app, ["zones", "at", "34.43667,35.84972", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["latitude"], data["longitude"]) == (34.43667, 35.84972)
    assert [zone["id"] for zone in data["zones"]] == ["gov-north-lebanon"]


def test_at_with_another_pack() -> None:
    result = runner.invoke(
        app, ["zones", "at", "13.62793,25.34936", "--pack", str(SUDAN), "--json"]
    )
    assert result.exit_code == 0, result.output
    ids = [zone["id"] for zone in json.loads(result.stdout)["zones"]]
    assert ids == ["el-fasher", "darfur-illustrative"]


def test_at_nowhere() -> None:
    result = runner.invoke(app, ["zones", "at", "34.5,33.5"])
    assert result.exit_code == 0, result.output
    assert "no zone at 34.5, 33.5" in result.stdout


def test_bad_point_exits_2() -> None:
    for value in ("33.3", "north,south", "95,35"):
        result = runner.invoke(app, ["zones", "at", value])
        assert result.exit_code == 2, value
        assert "LAT,LON" in result.output


def test_unknown_pack_exits_1() -> None:
    result = runner.invoke(app, ["zones", "list", "--pack", "atlantis"])
    assert result.exit_code == 1
    assert "no theatre pack named 'atlantis'" in result.stderr
