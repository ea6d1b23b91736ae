"""`truce theatre`: check a theatre pack, list the installed ones."""

from __future__ import annotations

from typing import Annotated

import typer

from truce.cli.app import app, reports_errors
from truce.theatre import DEFAULT_PACK, available_packs, load_pack

theatre_app = typer.Typer(
    name="theatre",
    help="Theatre packs: actors, places, zones and agreement of a mechanism.",
    no_args_is_help=True,
)
app.add_typer(theatre_app, name="theatre")


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
    aliases = len(loaded.actor_aliases())
    approximate = sum(place.approximate for place in loaded.places)
    typer.echo(
        f"{loaded.name} ({loaded.path}): OK — {len(loaded.actors)} actors, {aliases} names "
        f"and aliases, {len(loaded.parties)} parties, {len(loaded.places)} places "
        f"({approximate} approximate)"
    )


@theatre_app.command("list")
@reports_errors
def list_packs() -> None:
    """Installed packs (entry points of the `truce.theatres` group)."""
    for name, target in sorted(available_packs().items()):
        typer.echo(f"{name}\t{target}")
