"""A pack's `zones.geojson`: named areas (agreement areas, bands, governorates) as data.

The file is a GeoJSON FeatureCollection of Polygon or MultiPolygon features in WGS84
longitude/latitude. Each feature's properties say what the zone is::

    id            unique, lower-case letters, digits and hyphens (clauses refer to it)
    name          what a person calls it
    kind          admin (an administrative unit, with admin_level), area, band, proposed
    source        where the geometry comes from
    licence       under which terms
    approximate   true where the drawing is only roughly right
    illustrative  true where nothing official exists and the zone only illustrates one
    description   optional: how it was drawn
    admin_level   for kind admin: 0 country, 1 governorate / province, 2 district
    admin1        optional: the admin-1 name places in the zone carry (as the gazetteer has it)
    width_km      optional: the width of a band

Here the structure is checked (closed rings of at least four positions, coordinates on the
globe); `truce.geo.zones` builds the shapes and checks them (rings that cross, holes outside
their shell), because theatre imports nothing but core.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from truce.core.errors import TheatreError
from truce.theatre.yamlfile import describe

ZoneKind = Literal["admin", "area", "band", "proposed"]
ZONE_ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"

Longitude = Annotated[float, Field(ge=-180, le=180)]
Latitude = Annotated[float, Field(ge=-90, le=90)]
Position = tuple[Longitude, Latitude]


def _closed(ring: list[Position]) -> list[Position]:
    if ring[0] != ring[-1]:
        raise ValueError("ring is not closed (its first and last positions differ)")
    return ring


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Ring = Annotated[list[Position], Field(min_length=4)]


class PolygonGeometry(_Strict):
    """A GeoJSON Polygon: a shell and optional holes."""

    type: Literal["Polygon"]
    coordinates: Annotated[list[Ring], Field(min_length=1)]

    @model_validator(mode="after")
    def _rings_closed(self) -> Self:
        for ring in self.coordinates:
            _closed(ring)
        return self


class MultiPolygonGeometry(_Strict):
    """A GeoJSON MultiPolygon."""

    type: Literal["MultiPolygon"]
    coordinates: Annotated[list[Annotated[list[Ring], Field(min_length=1)]], Field(min_length=1)]

    @model_validator(mode="after")
    def _rings_closed(self) -> Self:
        for polygon in self.coordinates:
            for ring in polygon:
                _closed(ring)
        return self


Geometry = Annotated[PolygonGeometry | MultiPolygonGeometry, Field(discriminator="type")]


class _Properties(_Strict):
    id: Annotated[str, Field(pattern=ZONE_ID_PATTERN)]
    name: Annotated[str, Field(min_length=1)]
    kind: ZoneKind
    source: Annotated[str, Field(min_length=1)]
    licence: Annotated[str, Field(min_length=1)]
    approximate: bool
    illustrative: bool = False
    description: str = ""
    admin_level: Annotated[int, Field(ge=0, le=4)] | None = None
    admin1: str | None = None
    width_km: Annotated[float, Field(gt=0)] | None = None

    @model_validator(mode="after")
    def _admin_has_level(self) -> Self:
        if (self.kind == "admin") != (self.admin_level is not None):
            raise ValueError("admin_level is given for kind admin, and only for it")
        return self


class _Feature(_Strict):
    type: Literal["Feature"]
    properties: _Properties
    geometry: Geometry
    id: str | int | None = None  # GeoJSON's own feature id, allowed and ignored


class PackZone(_Strict):
    """One zone of a pack, validated; `geometry` is the GeoJSON geometry as data."""

    id: str
    name: str
    kind: ZoneKind
    source: str
    licence: str
    approximate: bool
    illustrative: bool = False
    description: str = ""
    admin_level: int | None = None
    admin1: str | None = None
    width_km: float | None = None
    geometry: Geometry

    def to_geojson(self) -> dict[str, Any]:
        """The zone as a GeoJSON Feature (what `truce.geo.zones.ZoneIndex` reads)."""
        properties = self.model_dump(mode="json", exclude={"geometry"}, exclude_none=True)
        return {
            "type": "Feature",
            "properties": properties,
            "geometry": self.geometry.model_dump(mode="json"),
        }


def _feature_name(index: int, raw: Any) -> str:
    name = f"features[{index}]"
    props = raw.get("properties") if isinstance(raw, dict) else None
    if isinstance(props, dict) and isinstance(props.get("id"), str):
        name += f" (id {props['id']!r})"
    return name


def load_zones(path: Path) -> tuple[PackZone, ...]:
    """Every zone of a `zones.geojson`; TheatreError naming the file and the feature."""
    if not path.is_file():
        raise TheatreError(f"{path}: missing (every theatre pack needs {path.name})")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise TheatreError(f"{path}:{error.lineno}: invalid JSON: {error.msg}") from error
    except (OSError, UnicodeDecodeError) as error:
        raise TheatreError(f"{path}: cannot read: {error}") from error
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise TheatreError(f"{path}: not a GeoJSON FeatureCollection")
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise TheatreError(f"{path}: a FeatureCollection with no features")
    zones: list[PackZone] = []
    first_seen: dict[str, int] = {}
    for index, raw in enumerate(features):
        try:
            feature = _Feature.model_validate(raw)
        except ValidationError as error:
            problem = describe(dict(error.errors()[0]))
            raise TheatreError(f"{path}: {_feature_name(index, raw)}: {problem}") from None
        zone_id = feature.properties.id
        if zone_id in first_seen:
            raise TheatreError(
                f"{path}: {_feature_name(index, raw)}: id already used by "
                f"features[{first_seen[zone_id]}]"
            )
        first_seen[zone_id] = index
        zones.append(PackZone(**feature.properties.model_dump(), geometry=feature.geometry))
    return tuple(zones)
