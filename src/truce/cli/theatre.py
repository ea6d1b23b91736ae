"""`truce theatre`: check a theatre pack, list the installed ones."""

from __future__ import annotations

from typing import Annotated

import typer

from truce.cli.app import command_group, reports_errors
from truce.geo.zones import ZoneIndex
from truce.theatre import DEFAULT_PACK, available_packs, load_pack

theatre_app = command_group(
    "theatre", help="Theatre packs: actors, places, zones and agreement of a mechanism."
)


@theatre_app.command("check")
@reports_errors
def check(
    pack: Annotated[
        str | None,
        typer.Argument(help=f"Pack name or folder (default: {DEFAULT_PACK}).", show_default=False),
    ] = None,
) -> None:
    """Load and validate a pack; say what is wrong (file and line) or what it holds."""
    loaded = load_pack(pack)
    # the shapes are checked (rings that cross, holes outside their shell) in geo
    ZoneIndex.from_features(loaded.zone_features(), source=str(loaded.zones_path))
    aliases = len(loaded.actor_aliases())
    approximate = sum(place.approximate for place in loaded.places)
    agreement = loaded.agreement
    checkable = sum(clause.checkable for clause in agreement.clauses)
    zones_approximate = sum(zone.approximate for zone in loaded.zones)
    zones_illustrative = sum(zone.illustrative for zone in loaded.zones)
    typer.echo(
        f"{loaded.name} ({loaded.path}): OK — {len(loaded.actors)} actors, {aliases} names "
        f"and aliases, {len(loaded.parties)} parties, {len(loaded.places)} places "
        f"({approximate} approximate), {len(loaded.zones)} zones ({zones_approximate} "
        f"approximate, {zones_illustrative} illustrative), agreement {agreement.id}: "
        f"{len(agreement.clauses)} clauses ({checkable} checkable), "
        f"{len(agreement.phases)} plan phases"
    )


@theatre_app.command("list")
@reports_errors
def list_packs() -> None:
    """Installed packs (entry points of the `truce.theatres` group)."""
    for name, target in sorted(available_packs().items()):
        typer.echo(f"{name}\t{target}")
