"""The gazetteer: places found by any spelling of their names (see ARCHITECTURE.md)."""

from truce.geo.distance import distance_km
from truce.geo.gazetteer import Gazetteer, ScoredPlace, precision_for
from truce.geo.mentions import PlaceMention
from truce.geo.names import fold, skeleton

__all__ = [
    "Gazetteer",
    "PlaceMention",
    "ScoredPlace",
    "distance_km",
    "fold",
    "precision_for",
    "skeleton",
]
