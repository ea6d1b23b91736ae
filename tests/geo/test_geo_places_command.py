"""`truce places search` and `truce places show`, run as a user runs them."""

from __future__ import annotations

import json

from typer.testing import CliRunner

import truce.cli.places  # noqa: F401  (registers `places`)
from truce.cli.app import app
from truce.geo import distance_km

runner = CliRunner()


def test_search_json_best_first() -> None:
    result = runner.invoke(app, ["places", "search", "Bint Jubayl", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows
    for key in ("id", "name", "country", "admin1", "latitude", "longitude", "feature_code"):
        assert key in rows[0]
    scores = [row["score"] for row in rows]
    assert scores == sorted(scores, reverse=True)
    best = rows[0]
    assert best["country"] == "LB"
    assert distance_km(33.1199, 35.4336, best["latitude"], best["longitude"]) < 2


def test_search_with_pack_places_and_near() -> None:
    result = runner.invoke(app, ["places", "search", "Dahiyeh", "--json"])
    assert json.loads(result.stdout)[0]["id"] == "il-lb:dahieh"
    near = runner.invoke(app, ["places", "search", "Tripoli", "--near", "32.9,13.2", "--json"])
    assert json.loads(near.stdout)[0]["country"] == "LY"
    only = runner.invoke(app, ["places", "search", "Tripoli", "--country", "LB", "--json"])
    assert {row["country"] for row in json.loads(only.stdout)} == {"LB"}


def test_search_table_and_nothing_found() -> None:
    table = runner.invoke(app, ["places", "search", "Tyre"], env={"COLUMNS": "200"})
    assert table.exit_code == 0
    assert "geonames:267008" in table.stdout
    assert "South Lebanon" in table.stdout
    none = runner.invoke(app, ["places", "search", "Xqzzptl"])
    assert none.exit_code == 0
    assert "no place found" in none.stdout
    empty = runner.invoke(app, ["places", "search", "Xqzzptl", "--json"])
    assert json.loads(empty.stdout) == []


def test_bad_near_is_a_usage_error() -> None:
    result = runner.invoke(app, ["places", "search", "Tyre", "--near", "north"])
    assert result.exit_code == 2
    assert "LAT,LON" in result.output


def test_show() -> None:
    result = runner.invoke(app, ["places", "show", "geonames:267008", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["name"] == "Tyre"
    assert "Sour" in data["aliases"]
    text = runner.invoke(app, ["places", "show", "il-lb:position-hamames"])
    assert "approximate: True" in text.stdout


def test_show_unknown_id() -> None:
    result = runner.invoke(app, ["places", "show", "geonames:0"])
    assert result.exit_code == 1
    assert "no place with id 'geonames:0'" in result.stderr
