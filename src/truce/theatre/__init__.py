"""Theatre packs: a mechanism's actors, places, zones and agreement (see ARCHITECTURE.md)."""

from truce.theatre.agreement import Agreement, Clause, Condition, Phase
from truce.theatre.pack import (
    DEFAULT_PACK,
    PackPlace,
    TheatrePack,
    alias_key,
    available_packs,
    load_pack,
)
from truce.theatre.zones import PackZone

__all__ = [
    "DEFAULT_PACK",
    "Agreement",
    "Clause",
    "Condition",
    "PackPlace",
    "PackZone",
    "Phase",
    "TheatrePack",
    "alias_key",
    "available_packs",
    "load_pack",
]
