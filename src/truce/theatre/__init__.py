"""Theatre packs: a mechanism's actors, places, zones and agreement (see ARCHITECTURE.md)."""

from truce.theatre.pack import (
    DEFAULT_PACK,
    PackPlace,
    TheatrePack,
    alias_key,
    available_packs,
    load_pack,
)

__all__ = [
    "DEFAULT_PACK",
    "PackPlace",
    "TheatrePack",
    "alias_key",
    "available_packs",
    "load_pack",
]
