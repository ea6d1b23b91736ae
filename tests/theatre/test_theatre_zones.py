"""A pack's zones.geojson: the bundled zones as data, and errors naming file and feature."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from truce.core.errors import TheatreError
from truce.theatre import TheatrePack, load_pack
from truce.theatre.zones import MultiPolygonGeometry, PackZone, PolygonGeometry, load_zones

SUDAN = Path(__file__).parent / "packs" / "sudan"


@pytest.fixture(scope="module")
def pack() -> TheatrePack:
    return load_pack()


def test_bundled_zones(pack: TheatrePack) -> None:
    ids = [zone.id for zone in pack.zones]
    assert ids[:5] == [
        "south-of-litani",
        "litani-awali",
        "beirut-southern-suburbs",
        "blue-line-band",
        "economic-zone-illustrative",
    ]
    governorates = [zone for zone in pack.zones if zone.kind == "admin"]
    assert len(governorates) == 9
    assert all(zone.id.startswith("gov-") and zone.admin_level == 1 for zone in governorates)
    assert pack.zone("gov-south-lebanon").admin1 == "South Lebanon"
    assert pack.zone("economic-zone-illustrative").illustrative
    assert pack.zone("blue-line-band").kind == "band"
    for zone in pack.zones:
        assert isinstance(zone, PackZone)
        assert isinstance(zone.geometry, PolygonGeometry | MultiPolygonGeometry)
        assert zone.source
        assert zone.licence
    with pytest.raises(TheatreError, match="no zone 'atlantis'"):
        pack.zone("atlantis")


def test_zone_features_are_geojson(pack: TheatrePack) -> None:
    features = pack.zone_features()
    assert len(features) == len(pack.zones)
    first = features[0]
    assert first["type"] == "Feature"
    assert first["properties"]["id"] == "south-of-litani"
    assert first["properties"]["approximate"] is True
    assert "width_km" not in first["properties"]  # absent values are left out
    assert first["geometry"]["type"] in ("Polygon", "MultiPolygon")
    ring = first["geometry"]["coordinates"][0]
    assert ring[0] == ring[-1]
    json.dumps(features)  # plain data all the way down


def test_the_file_is_derived_and_attributed(pack: TheatrePack) -> None:
    """The committed file says where each zone comes from; the README names the script."""
    readme = (pack.path / "README.md").read_text(encoding="utf-8")
    for needle in ("scripts/build_zones.py", "LGPL-3.0", "geoBoundaries", "Natural Earth"):
        assert needle in readme
    sources = " ".join(zone.source for zone in pack.zones)
    assert "GSHHG" in sources
    assert "Natural Earth" in sources


# -- errors name the file and the feature ---------------------------------------------------


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    target = tmp_path / "pack"
    shutil.copytree(SUDAN, target)
    return target


def square(zone_id: str = "z", **props: Any) -> dict[str, Any]:
    properties = {"id": zone_id, "name": "Z", "kind": "area", "source": "test",
                  "licence": "CC0", "approximate": False, **props}  # fmt: skip
    ring = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def write_zones(folder: Path, features: list[dict[str, Any]]) -> Path:
    path = folder / "zones.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def with_geometry(geometry: dict[str, Any]) -> dict[str, Any]:
    return {**square("bad"), "geometry": geometry}


@pytest.mark.parametrize(
    ("feature", "problem"),
    [
        (square("bad", kind="region"), r"features\[1\] \(id 'bad'\): properties\.kind: Input"),
        (square("Bad Id"), r"features\[1\] \(id 'Bad Id'\): properties\.id: String should match"),
        (square("bad", source=""), r"properties\.source: String should have at least 1"),
        (square("bad", colour="red"), r"properties\.colour: Extra inputs are not permitted"),
        (square("bad", kind="admin"), r"admin_level is given for kind admin, and only for it"),
        (square("bad", admin_level=1), r"admin_level is given for kind admin, and only for it"),
        ({k: v for k, v in square("bad").items() if k != "properties"},
         r"features\[1\]: properties: Field required"),
        (with_geometry({"type": "Point", "coordinates": [0, 0]}),
         r"features\[1\] \(id 'bad'\): geometry: Input tag 'Point'"),
        (with_geometry({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]}),
         r"ring is not closed"),
        (with_geometry({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]}),
         r"geometry\.Polygon\.coordinates\.0: List should have at least 4 items"),
        (with_geometry({"type": "Polygon",
                        "coordinates": [[[0, 0], [1, 0], [1, 95], [0, 0]]]}),
         r"geometry\.Polygon\.coordinates\.0\.2\.1: Input should be less than or equal to 90"),
        (with_geometry({"type": "MultiPolygon", "coordinates": []}),
         r"geometry\.MultiPolygon\.coordinates: List should have at least 1 item"),
        (square("z"), r"features\[1\] \(id 'z'\): id already used by features\[0\]"),
    ],
)  # fmt: skip
def test_zone_errors_name_file_and_feature(
    broken: Path, feature: dict[str, Any], problem: str
) -> None:
    path = write_zones(broken, [square("z"), feature])
    with pytest.raises(TheatreError) as caught:
        load_pack(broken)
    message = str(caught.value)
    assert message.startswith(f"{path.resolve()}: "), message
    assert re.search(problem, message), message


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('{"type": "FeatureCollection",\n "features": [\n  {"type": "Feature",,}]}',
         ":3: invalid JSON"),
        ('{"type": "Feature", "features": []}', ": not a GeoJSON FeatureCollection"),
        ('{"type": "FeatureCollection", "features": []}', ": a FeatureCollection with no features"),
        ("[1, 2]", ": not a GeoJSON FeatureCollection"),
    ],
)  # fmt: skip
def test_zone_file_errors(broken: Path, text: str, problem: str) -> None:
    path = broken / "zones.geojson"
    path.write_text(text)
    with pytest.raises(TheatreError) as caught:
        load_zones(path)
    assert str(caught.value).startswith(f"{path}{problem}"), str(caught.value)


def test_zones_are_required(broken: Path) -> None:
    (broken / "zones.geojson").unlink()
    with pytest.raises(TheatreError, match=r"zones\.geojson: missing"):
        load_pack(broken)


def test_agreement_refers_to_zones_that_exist(broken: Path) -> None:
    """Dropping a zone the agreement uses breaks the pack at the agreement's line."""
    write_zones(broken, [square("el-fasher")])
    with pytest.raises(TheatreError, match=r"agreement\.yaml:\d+: zone 'darfur-illustrative'"):
        load_pack(broken)


def test_edited_zones_are_read_again(broken: Path) -> None:
    first = load_pack(broken)
    data = json.loads((broken / "zones.geojson").read_text())
    data["features"][0]["properties"]["name"] = "El Fasher (renamed)"
    (broken / "zones.geojson").write_text(json.dumps(data))
    second = load_pack(broken)
    assert second is not first
    assert second.zone("el-fasher").name == "El Fasher (renamed)"
