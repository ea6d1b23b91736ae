"""Zone shapes and point tagging: the bundled pack's zones, and ZoneIndex on its own."""

from __future__ import annotations

import itertools
import math
from typing import Any

import pytest
import shapely
from shapely.geometry import Point, shape

from truce.core.errors import InputError, TheatreError
from truce.geo import distance_km
from truce.geo.zones import Zone, ZoneIndex
from truce.theatre import load_pack

GOVERNORATES = {
    "gov-akkar", "gov-baalbek-hermel", "gov-beirut", "gov-beqaa", "gov-keserwan-jbeil",
    "gov-mount-lebanon", "gov-nabatieh", "gov-north-lebanon", "gov-south-lebanon",
}  # fmt: skip


@pytest.fixture(scope="module")
def index() -> ZoneIndex:
    pack = load_pack()
    return ZoneIndex.from_features(pack.zone_features(), source=str(pack.zones_path))


# -- the bundled pack's zones ---------------------------------------------------------------


def test_every_zone_is_a_valid_polygon_with_provenance(index: ZoneIndex) -> None:
    assert {z.id for z in index} == {
        "south-of-litani",
        "litani-awali",
        "beirut-southern-suburbs",
        "blue-line-band",
        "economic-zone-illustrative",
        *GOVERNORATES,
    }
    for zone in index:
        assert zone.geometry.geom_type in ("Polygon", "MultiPolygon"), zone.id
        assert zone.geometry.is_valid, (zone.id, shapely.is_valid_reason(zone.geometry))
        assert zone.properties["source"], zone.id
        assert zone.properties["licence"], zone.id
        assert zone.area_km2 > 1, zone.id
    flagged = {z.id for z in index if z.approximate}
    assert {"south-of-litani", "litani-awali", "beirut-southern-suburbs"} <= flagged
    assert not flagged & GOVERNORATES
    assert [z.id for z in index if z.illustrative] == ["economic-zone-illustrative"]
    assert "LGPL" in index.get("south-of-litani").properties["licence"]  # the Litani is GSHHG


def test_governorates_tile_lebanon(index: ZoneIndex) -> None:
    govs = [index.get(zone_id) for zone_id in sorted(GOVERNORATES)]
    assert all(g.kind == "admin" and g.admin_level == 1 and g.admin1 for g in govs)
    for a, b in itertools.combinations(govs, 2):
        overlap = a.geometry.intersection(b.geometry)
        assert overlap.area * 111 * 93 < 0.01, (a.id, b.id)  # km², roughly, at 33.5 N
    total = sum(g.area_km2 for g in govs)
    assert 10_400 < total < 11_400  # Lebanon is 10,452 km², plus a 3 km strip of sea


def test_agreement_zones_lie_where_they_should(index: ZoneIndex) -> None:
    south = shapely.union(
        index.get("gov-south-lebanon").geometry, index.get("gov-nabatieh").geometry
    )
    lebanon = shapely.union_all([index.get(g).geometry for g in GOVERNORATES])
    for zone_id in ("south-of-litani", "litani-awali"):
        outside = index.get(zone_id).geometry.difference(south)
        assert outside.area < 1e-6, zone_id
    # the two rivers' areas share only the Litani
    shared = index.get("south-of-litani").geometry.intersection(index.get("litani-awali").geometry)
    assert shared.area < 1e-6
    assert index.get("beirut-southern-suburbs").geometry.within(lebanon)
    # the band is on Lebanon's side: beyond the outline only where the border layers disagree
    band = index.get("blue-line-band")
    assert band.properties["width_km"] == 5
    assert band.geometry.difference(lebanon).area / band.geometry.area < 0.05
    assert index.get("economic-zone-illustrative").geometry.difference(band.geometry).area < 1e-4


@pytest.mark.parametrize(
    ("place", "lat", "lon", "expected"),
    [
        # coordinates from GeoNames; expected zones from the map
        ("Khiam", 33.32778, 35.61278, {"south-of-litani", "gov-nabatieh"}),
        ("Bint Jbeil", 33.11944, 35.43333, {"south-of-litani", "blue-line-band", "gov-nabatieh"}),
        ("Naqoura", 33.11806, 35.13972,
         {"south-of-litani", "blue-line-band", "gov-south-lebanon"}),
        ("Aita al-Shaab", 33.09707, 35.33669,
         {"south-of-litani", "blue-line-band", "economic-zone-illustrative", "gov-nabatieh"}),
        ("Kfar Kila", 33.27722, 35.55167,
         {"south-of-litani", "blue-line-band", "economic-zone-illustrative", "gov-nabatieh"}),
        ("Marjayoun", 33.36028, 35.59111, {"south-of-litani", "gov-nabatieh"}),
        ("Tyre", 33.27333, 35.19389, {"south-of-litani", "gov-south-lebanon"}),
        ("Nabatieh", 33.37717, 35.48383, {"litani-awali", "gov-nabatieh"}),
        ("Sidon", 33.55993, 35.37564, {"litani-awali", "gov-south-lebanon"}),
        ("Haret Hreik", 33.85444, 35.51167, {"beirut-southern-suburbs", "gov-mount-lebanon"}),
        ("Burj al-Barajneh", 33.84222, 35.50528,
         {"beirut-southern-suburbs", "gov-mount-lebanon"}),
        ("Beirut", 33.88894, 35.49442, {"gov-beirut"}),
        ("Tripoli", 34.43667, 35.84972, {"gov-north-lebanon"}),
        ("Baalbek", 34.00583, 36.21806, {"gov-baalbek-hermel"}),
        ("Kiryat Shmona", 33.21204, 35.57044, set()),
        ("at sea off Cyprus", 34.5, 33.5, set()),
    ],
)  # fmt: skip
def test_known_points(
    index: ZoneIndex, place: str, lat: float, lon: float, expected: set[str]
) -> None:
    assert set(index.ids_at(lat, lon)) == expected, place


def test_nabatieh_is_north_of_the_litani_by_the_geometry(index: ZoneIndex) -> None:
    """Nabatieh sits north of the Litani's lower, westward course: checked, not assumed."""
    south = index.get("south-of-litani").geometry
    nabatieh = Point(35.48383, 33.37717)
    # straight south of the town, the first zone boundary met is the river (3-6 km away)
    crossing = next(
        lat / 1000 for lat in range(33377, 33200, -1) if south.covers(Point(35.48383, lat / 1000))
    )
    assert 3 < distance_km(nabatieh.y, nabatieh.x, crossing, nabatieh.x) < 8
    assert index.distance_km("south-of-litani", nabatieh.y, nabatieh.x) < 6


def test_zones_at_keeps_the_pack_order(index: ZoneIndex) -> None:
    order = [z.id for z in index]
    found = index.ids_at(33.11806, 35.13972)
    assert found == sorted(found, key=order.index)


def test_admin1_from_the_boundaries(index: ZoneIndex) -> None:
    assert index.admin1_at(33.32778, 35.61278) == "Nabatieh"
    assert index.admin1_at(33.85444, 35.51167) == "Mount Lebanon"
    assert index.admin1_at(33.27333, 35.19389) == "South Lebanon"  # Tyre, on the coast
    assert index.admin1_at(33.21204, 35.57044) is None  # Kiryat Shmona, in Israel


def test_the_strtree_narrows_the_candidates(index: ZoneIndex) -> None:
    assert isinstance(index.tree, shapely.STRtree)
    candidates = index.tree.query(Point(35.84972, 34.43667))  # Tripoli
    assert 1 <= len(candidates) < len(index) / 2


def test_distances(index: ZoneIndex) -> None:
    assert index.distance_km("south-of-litani", 33.32778, 35.61278) == 0.0
    # Khiam is just outside the 5 km band: between 0 and 5 km from it
    assert 0 < index.distance_km("blue-line-band", 33.32778, 35.61278) < 5
    # Tripoli is about 100-130 km from the south of the Litani
    assert 90 < index.distance_km("south-of-litani", 34.43667, 35.84972) < 140


# -- ZoneIndex on its own --------------------------------------------------------------------


def square(zone_id: str, lon: float, lat: float, size: float = 1.0, **props: Any) -> dict[str, Any]:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {
        "type": "Feature",
        "properties": {"id": zone_id, "name": zone_id.title(), **props},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def test_index_from_plain_features() -> None:
    index = ZoneIndex.from_features(
        [
            square("big", 0, 0, 4, kind="admin", admin_level=1, admin1="Big"),
            square("small", 1, 1),
            square("apart", 10, 10, approximate=True),
        ]
    )
    assert len(index) == 3
    assert "small" in index
    assert index.ids_at(1.5, 1.5) == ["big", "small"]
    assert index.ids_at(0.5, 0.5) == ["big"]
    assert index.ids_at(2.0, 1.5) == ["big", "small"]  # on the edge of small: in it
    assert index.ids_at(20, 20) == []
    assert index.admin1_at(1.5, 1.5) == "Big"
    assert index.admin1_at(10.5, 10.5) is None
    apart = index.get("apart")
    assert isinstance(apart, Zone)
    assert apart.approximate
    assert apart.kind == "area"
    assert apart.to_geojson()["properties"]["id"] == "apart"
    assert shape(apart.to_geojson()["geometry"]).equals(apart.geometry)


def test_distance_matches_the_haversine() -> None:
    index = ZoneIndex.from_features([square("unit", 0, 0)])
    # due north of the square's top edge: the distance along a meridian
    assert math.isclose(
        index.distance_km("unit", 2.0, 0.5), distance_km(1.0, 0.5, 2.0, 0.5), rel_tol=1e-6
    )
    # due east at 33 N: the nearest point is on the east edge at the same latitude
    index = ZoneIndex.from_features([square("east", 35, 33)])
    got = index.distance_km("east", 33.5, 37.0)
    assert math.isclose(got, distance_km(33.5, 36.0, 33.5, 37.0), rel_tol=1e-3)


def test_a_bad_point_is_refused() -> None:
    index = ZoneIndex.from_features([square("unit", 0, 0)])
    with pytest.raises(InputError, match="not on the globe"):
        index.zones_at(91, 0)
    with pytest.raises(InputError, match="not a point"):
        index.zones_at(math.nan, 0)
    with pytest.raises(InputError, match="no zone 'nowhere'"):
        index.get("nowhere")


BOWTIE = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}


@pytest.mark.parametrize(
    ("feature", "problem"),
    [
        ({**square("x", 0, 0), "geometry": BOWTIE}, r"features\[1\] \(id 'x'\): invalid geometry"),
        ({**square("x", 0, 0), "geometry": {"type": "Point", "coordinates": [0, 0]}},
         r"features\[1\] \(id 'x'\): a zone is a Polygon or MultiPolygon, not Point"),
        ({**square("x", 0, 0), "geometry": {"type": "Blob"}},
         r"features\[1\] \(id 'x'\): unreadable geometry"),
        ({"type": "Feature", "properties": {"name": "no id"}, "geometry": BOWTIE},
         r"features\[1\]: properties need an id and a name"),
        ({"type": "Feature", "geometry": BOWTIE}, r"features\[1\]: no properties"),
        (square("ok", 5, 5), r"features\[1\] \(id 'ok'\): id already used by features\[0\]"),
    ],
)  # fmt: skip
def test_bad_features_name_the_source_and_feature(feature: dict[str, Any], problem: str) -> None:
    with pytest.raises(TheatreError, match=rf"^zones\.geojson: {problem}"):
        ZoneIndex.from_features([square("ok", 0, 0), feature], source="zones.geojson")
