"""Zones as shapes: which named areas a point lies in, and how far it is from one.

`ZoneIndex.from_features(features)` takes GeoJSON Features (a theatre pack's
`pack.zone_features()`, or any FeatureCollection's `features`) whose properties carry at
least `id` and `name`; it builds each shape with shapely, refuses invalid ones, and keeps
them in an STRtree so that `zones_at(lat, lon)` tests only the zones whose bounding boxes
hold the point. Points on a zone's edge are in the zone.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any, Final

import shapely
from shapely.affinity import scale
from shapely.geometry import Point, mapping, shape
from shapely.ops import nearest_points

from truce.core.errors import InputError, TheatreError
from truce.geo.distance import distance_km

KM_PER_DEG_LAT: Final = 110.574
KM_PER_DEG_LON_AT_EQUATOR: Final = 111.320
POLYGONAL: Final = frozenset({"Polygon", "MultiPolygon"})


def _km_scale(lat: float) -> tuple[float, float]:
    """km per degree of longitude and of latitude near this latitude."""
    return KM_PER_DEG_LON_AT_EQUATOR * math.cos(math.radians(lat)), KM_PER_DEG_LAT


def check_point(lat: float, lon: float) -> None:
    """InputError unless (lat, lon) is a point on the globe."""
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise InputError(f"not a point: {lat}, {lon}")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InputError(f"{lat}, {lon} is not on the globe (latitude, longitude)")


@dataclass(frozen=True)
class Zone:
    """A named area with its shape (shapely, WGS84 longitude/latitude)."""

    id: str
    name: str
    kind: str
    geometry: Any = field(repr=False, compare=False)  # shapely Polygon or MultiPolygon
    approximate: bool = False
    illustrative: bool = False
    properties: Mapping[str, Any] = field(
        default_factory=lambda: MappingProxyType({}), repr=False, compare=False
    )

    @property
    def admin_level(self) -> int | None:
        level = self.properties.get("admin_level")
        return level if isinstance(level, int) else None

    @property
    def admin1(self) -> str | None:
        name = self.properties.get("admin1")
        return name if isinstance(name, str) else None

    def contains(self, lat: float, lon: float) -> bool:
        """Whether the point is in the zone or on its edge."""
        return bool(shapely.intersects_xy(self.geometry, lon, lat))

    @cached_property
    def area_km2(self) -> float:
        """The zone's area, in a local projection at its centre's latitude."""
        centre = self.geometry.centroid
        kx, ky = _km_scale(centre.y)
        return float(scale(self.geometry, xfact=kx, yfact=ky, origin=(0, 0)).area)

    def distance_km(self, lat: float, lon: float) -> float:
        """Kilometres from the point to the zone's nearest edge; 0 inside.

        The nearest point is found with longitudes scaled by cos(latitude) at the point, then
        measured on the globe (haversine): right to well under 1% within a few hundred km.
        """
        check_point(lat, lon)
        if self.contains(lat, lon):
            return 0.0
        kx, ky = _km_scale(lat)
        flat = scale(self.geometry, xfact=kx, yfact=ky, origin=(0, 0))
        nearest, _ = nearest_points(flat, Point(lon * kx, lat * ky))
        return distance_km(lat, lon, nearest.y / ky, nearest.x / kx)

    def to_geojson(self) -> dict[str, Any]:
        """The zone as a GeoJSON Feature."""
        return {
            "type": "Feature",
            "properties": dict(self.properties),
            "geometry": mapping(self.geometry),
        }


def _zone_from_feature(index: int, feature: Mapping[str, Any], source: str) -> Zone:
    properties = feature.get("properties") if isinstance(feature, Mapping) else None
    if not isinstance(properties, Mapping):
        raise TheatreError(f"{source}: features[{index}]: no properties")
    zone_id, name = properties.get("id"), properties.get("name")
    if not isinstance(zone_id, str) or not zone_id or not isinstance(name, str) or not name:
        raise TheatreError(f"{source}: features[{index}]: properties need an id and a name")
    where = f"{source}: features[{index}] (id {zone_id!r})"
    try:
        geometry = shape(feature.get("geometry"))
    except (AttributeError, KeyError, TypeError, ValueError, shapely.errors.ShapelyError) as error:
        raise TheatreError(f"{where}: unreadable geometry: {error}") from error
    if geometry.geom_type not in POLYGONAL or geometry.is_empty:
        raise TheatreError(
            f"{where}: a zone is a Polygon or MultiPolygon, not {geometry.geom_type}"
        )
    if not geometry.is_valid:
        raise TheatreError(f"{where}: invalid geometry: {shapely.is_valid_reason(geometry)}")
    shapely.prepare(geometry)
    return Zone(
        id=zone_id,
        name=name,
        kind=str(properties.get("kind", "area")),
        geometry=geometry,
        approximate=bool(properties.get("approximate", False)),
        illustrative=bool(properties.get("illustrative", False)),
        properties=MappingProxyType(dict(properties)),
    )


class ZoneIndex:
    """Zones in a spatial index (shapely STRtree), in the order they were given."""

    def __init__(self, zones: Sequence[Zone]) -> None:
        self.zones: tuple[Zone, ...] = tuple(zones)
        self._by_id = {zone.id: zone for zone in self.zones}
        if len(self._by_id) != len(self.zones):
            ids = [zone.id for zone in self.zones]
            twice = sorted({i for i in ids if ids.count(i) > 1})
            raise TheatreError(f"zone ids used twice: {', '.join(twice)}")
        self.tree = shapely.STRtree([zone.geometry for zone in self.zones])
        self._geometries = self.tree.geometries  # an array, indexed like self.zones

    @classmethod
    def from_features(
        cls, features: Iterable[Mapping[str, Any]], *, source: str = "zones"
    ) -> ZoneIndex:
        """Zones from GeoJSON Features; TheatreError naming `source` and the feature."""
        zones = [_zone_from_feature(i, feature, source) for i, feature in enumerate(features)]
        ids: dict[str, int] = {}
        for i, zone in enumerate(zones):
            if zone.id in ids:
                raise TheatreError(
                    f"{source}: features[{i}] (id {zone.id!r}): id already used by "
                    f"features[{ids[zone.id]}]"
                )
            ids[zone.id] = i
        return cls(zones)

    def __len__(self) -> int:
        return len(self.zones)

    def __iter__(self) -> Iterator[Zone]:
        return iter(self.zones)

    def __contains__(self, zone_id: object) -> bool:
        return zone_id in self._by_id

    def get(self, zone_id: str) -> Zone:
        """The zone with this id; InputError when there is none."""
        try:
            return self._by_id[zone_id]
        except KeyError:
            known = ", ".join(self._by_id) or "none"
            raise InputError(f"no zone {zone_id!r} (known: {known})") from None

    def zones_at(self, lat: float, lon: float) -> list[Zone]:
        """The zones the point lies in (or on the edge of), in the index's order."""
        check_point(lat, lon)
        candidates = self.tree.query(Point(lon, lat))  # bounding boxes only: cheap
        if len(candidates) == 0:
            return []
        candidates.sort()
        hits = shapely.intersects_xy(self._geometries[candidates], lon, lat)
        return [self.zones[i] for i in candidates[hits]]

    def ids_at(self, lat: float, lon: float) -> list[str]:
        """The ids of `zones_at(lat, lon)`."""
        return [zone.id for zone in self.zones_at(lat, lon)]

    def admin1_at(self, lat: float, lon: float) -> str | None:
        """The admin-1 name (governorate, province) of the point, from the admin zones."""
        for zone in self.zones_at(lat, lon):
            if zone.admin_level == 1:
                return zone.admin1 or zone.name
        return None

    def distance_km(self, zone_id: str, lat: float, lon: float) -> float:
        """Kilometres from the point to the zone (0 inside); see `Zone.distance_km`."""
        return self.get(zone_id).distance_km(lat, lon)
