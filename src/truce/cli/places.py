"""`truce places`: look names up in the gazetteer (with the theatre pack's curated places)."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from truce.cli.app import command_group, reports_errors
from truce.cli.options import JsonOption, text_table
from truce.core.models import Place
from truce.geo import Gazetteer, ScoredPlace
from truce.theatre import load_pack

places_app = command_group("places", help="Look places up in the gazetteer by any spelling.")

PackOption = Annotated[
    str | None,
    typer.Option("--pack", help="Theatre pack whose curated places join the gazetteer."),
]


def _near(value: str | None) -> tuple[float, float] | None:
    if value is None:
        return None
    try:
        lat_text, lon_text = value.split(",")
        lat, lon = float(lat_text), float(lon_text)
    except ValueError:
        raise typer.BadParameter(f"expected LAT,LON, got {value!r}", param_hint="--near") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise typer.BadParameter(f"{value!r} is not on the globe", param_hint="--near")
    return lat, lon


def _gazetteer(pack: str | None) -> Gazetteer:
    return Gazetteer.load().with_extras(load_pack(pack).places)


def _place_json(place: Place) -> dict[str, Any]:
    return place.model_dump(mode="json")


@places_app.command("search")
@reports_errors
def search(
    name: Annotated[str, typer.Argument(help="A place name, in any spelling or script.")],
    near: Annotated[
        str | None, typer.Option("--near", help="LAT,LON: rank places near this point first.")
    ] = None,
    country: Annotated[
        str | None, typer.Option("--country", help="Only places in this country (ISO code).")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=100)] = 10,
    as_json: JsonOption = False,
    pack: PackOption = None,
) -> None:
    """Places a name may mean, best first."""
    point = _near(near)
    results = _gazetteer(pack).search(name, country=country, near=point, limit=limit)
    if as_json:
        rows = [{**_place_json(r.place), "score": r.score, "matched": r.matched} for r in results]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not results:
        typer.echo(f"no place found for {name!r}")
        return
    Console().print(_table(results))


def _table(results: list[ScoredPlace]) -> Table:
    rows = (
        (
            f"{result.score:.2f}" + ("" if result.matched == "folded" else " ~"),
            result.place.name,
            result.place.country or "",
            result.place.admin1 or "",
            f"{result.place.latitude:.5f}",
            f"{result.place.longitude:.5f}",
            result.place.feature_code or "",
            result.place.id,
        )
        for result in results
    )
    return text_table(("score", "name", "country", "admin1", "lat", "lon", "code", "id"), rows)


@places_app.command("show")
@reports_errors
def show(
    place_id: Annotated[str, typer.Argument(help="The place's id, e.g. geonames:267008.")],
    as_json: JsonOption = False,
    pack: PackOption = None,
) -> None:
    """One place with all its names."""
    gazetteer = _gazetteer(pack)
    place = gazetteer.get(place_id)
    aliases = gazetteer.aliases(place_id)
    if as_json:
        data = {**_place_json(place), "aliases": list(aliases)}
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for key, value in _place_json(place).items():
        if key != "aliases":
            typer.echo(f"{key:>14}: {'' if value is None else value}")
    typer.echo(f"{'aliases':>14}: {' | '.join(aliases)}")
