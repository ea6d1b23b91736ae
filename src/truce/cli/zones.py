"""`truce zones`: the theatre pack's zones, and which of them a point lies in."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from truce.cli.app import command_group, reports_errors
from truce.cli.options import JsonOption
from truce.geo.zones import Zone, ZoneIndex
from truce.theatre import load_pack

zones_app = command_group(
    "zones", help="The theatre pack's zones: list them, or find those a point lies in."
)

PackOption = Annotated[
    str | None, typer.Option("--pack", help="Theatre pack (name or folder; default the bundled).")
]


def _index(pack: str | None) -> ZoneIndex:
    loaded = load_pack(pack)
    return ZoneIndex.from_features(loaded.zone_features(), source=str(loaded.zones_path))


def _point(value: str) -> tuple[float, float]:
    try:
        lat_text, lon_text = value.split(",")
        lat, lon = float(lat_text), float(lon_text)
    except ValueError:
        raise typer.BadParameter(f"expected LAT,LON, got {value!r}") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise typer.BadParameter(f"{value!r} is not on the globe (LAT,LON)")
    return lat, lon


def _flags(zone: Zone) -> str:
    flags = {"approximate": zone.approximate, "illustrative": zone.illustrative}
    return ", ".join(flag for flag, on in flags.items() if on)


def _zone_json(zone: Zone) -> dict[str, Any]:
    keys = ("source", "licence", "description", "admin_level", "admin1", "width_km")
    return {
        "id": zone.id,
        "name": zone.name,
        "kind": zone.kind,
        "approximate": zone.approximate,
        "illustrative": zone.illustrative,
        "area_km2": round(zone.area_km2, 1),
        **{key: zone.properties[key] for key in keys if key in zone.properties},
    }


def _table(zones: list[Zone]) -> Table:
    table = Table()
    for column in ("id", "name", "kind", "km²", "flags"):
        table.add_column(column, overflow="fold", justify="right" if column == "km²" else "left")
    for zone in zones:
        row = (zone.id, zone.name, zone.kind, f"{zone.area_km2:,.1f}", _flags(zone))
        table.add_row(*(Text(cell) for cell in row))
    return table


@zones_app.command("list")
@reports_errors
def list_zones(pack: PackOption = None, as_json: JsonOption = False) -> None:
    """Every zone of the pack: id, name, kind, area, flags (sources and licences: --json)."""
    zones = list(_index(pack))
    if as_json:
        typer.echo(json.dumps([_zone_json(z) for z in zones], ensure_ascii=False, indent=2))
        return
    Console().print(_table(zones))


@zones_app.command("at")
@reports_errors
def zones_at(
    point: Annotated[
        str,
        typer.Argument(
            metavar="LAT,LON", help="A point, e.g. 33.27,35.20 (after `--` if LAT is negative)."
        ),
    ],
    pack: PackOption = None,
    as_json: JsonOption = False,
) -> None:
    """The zones a point lies in (a point on a zone's edge counts)."""
    lat, lon = _point(point)
    zones = _index(pack).zones_at(lat, lon)
    if as_json:
        data = {"latitude": lat, "longitude": lon, "zones": [_zone_json(z) for z in zones]}
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if not zones:
        typer.echo(f"no zone at {lat}, {lon}")
        return
    Console().print(_table(zones))
