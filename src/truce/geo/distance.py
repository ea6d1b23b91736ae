"""Distances on the globe."""

from __future__ import annotations

import math

EARTH_DIAMETER_KM = 12742.0


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two WGS84 points (haversine), in kilometres."""
    p = math.pi / 180
    a = (
        math.sin((lat2 - lat1) * p / 2) ** 2
        + math.cos(lat1 * p) * math.cos(lat2 * p) * math.sin((lon2 - lon1) * p / 2) ** 2
    )
    return EARTH_DIAMETER_KM * math.asin(math.sqrt(min(1.0, a)))
