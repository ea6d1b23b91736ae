"""The economic zone: geometry versions checked with shapely, projects inside it, what
happens inside it over time, and its GeoJSON for the map — for each viewer, on SQLite and
PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import shapely
from disarmament_sample import (
    CHAIR,
    HOULA,
    ISRAEL_DELEGATE,
    KFAR_KILA,
    KHIAM,
    LEBANON_DELEGATE,
    MONITOR,
    OBSERVER,
    PUBLIC,
    incidents_by_place,
)
from shapely.geometry import shape

from truce.committee.disarmament import NewSite, report_site
from truce.committee.economic_zone import (
    NewProject,
    ProjectStatus,
    add_project,
    add_zone_version,
    economic_zone_id,
    get_project,
    get_zone,
    list_projects,
    move_project,
    zone_activity,
    zone_geojson,
)
from truce.committee.positions import all_positions, seed_positions_from_pack
from truce.core.access import Classification
from truce.core.errors import ConflictError, InputError, NotFoundError, PermissionDeniedError
from truce.security.audit import verify_chain
from truce.store import Store
from truce.store.audit import read_chain
from truce.theatre import load_pack

ZONE = "economic-zone-illustrative"


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as opened:
        yield opened


def square(lon: float, lat: float, half: float) -> dict[str, Any]:
    ring = [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
        [lon - half, lat - half],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


#: a small square around Kfar Kila (Houla and Khiam outside it)
AROUND_KFAR_KILA = square(35.55167, 33.27722, 0.02)


def project(title: str, **fields: Any) -> NewProject:
    values: dict[str, Any] = {
        "title": title,
        "kind": "agriculture",
        "sponsor": "World Bank",
        "latitude": KFAR_KILA["latitude"],
        "longitude": KFAR_KILA["longitude"],
        **fields,
    }
    return NewProject(**values)


def test_the_economic_zone_is_the_packs_proposed_zone(store: Store) -> None:
    assert economic_zone_id() == ZONE
    zone = get_zone(store, viewer=PUBLIC)
    assert (zone.zone_id, zone.illustrative, zone.current.number) == (ZONE, True, 0)
    assert zone.current.from_pack
    assert zone.current.geometry == load_pack().zone(ZONE).geometry.model_dump(mode="json")
    assert zone.projects == ()
    with pytest.raises(InputError) as unknown:
        get_zone(store, "atlantis", viewer=PUBLIC)
    assert unknown.value.source == "zone_id"


def test_new_versions_become_current_for_those_who_may_see_them(store: Store) -> None:
    first = add_zone_version(store, AROUND_KFAR_KILA, by=CHAIR, note="a smaller zone")
    assert (first.number, first.created_by, first.classification) == (
        1,
        "chair",
        Classification.COMMITTEE,
    )
    private = add_zone_version(
        store,
        square(35.5, 33.2, 0.05),
        by=ISRAEL_DELEGATE,
        classification=Classification.RESTRICTED,
    )
    assert (private.number, private.owner_party) == (2, "israel")
    assert [v.number for v in get_zone(store, viewer=CHAIR).versions] == [0, 1, 2]
    assert [v.number for v in get_zone(store, viewer=LEBANON_DELEGATE).versions] == [0, 1]
    assert get_zone(store, viewer=LEBANON_DELEGATE).current.number == 1
    assert get_zone(store, viewer=ISRAEL_DELEGATE).current.number == 2
    assert get_zone(store, viewer=PUBLIC).current.number == 0
    assert shape(get_zone(store, viewer=OBSERVER).current.geometry).equals(shape(AROUND_KFAR_KILA))


@pytest.mark.parametrize(
    ("geometry", "problem"),
    [
        (  # a bow tie: its edges cross
            {
                "type": "Polygon",
                "coordinates": [
                    [[35.3, 33.1], [35.4, 33.2], [35.4, 33.1], [35.3, 33.2], [35.3, 33.1]]
                ],
            },
            "not a valid polygon: Self-intersection",
        ),
        (
            {"type": "Polygon", "coordinates": [[[35.3, 33.1], [35.4, 33.1], [35.4, 33.2]]]},
            "at least 4 items",
        ),
        (
            {
                "type": "Polygon",
                "coordinates": [[[35.3, 33.1], [35.4, 33.1], [35.4, 33.2], [35.3, 33.2]]],
            },
            "ring is not closed",
        ),
        ({"type": "Point", "coordinates": [35.3, 33.1]}, "not 'Point'"),
        (square(2.35, 48.85, 0.1), "outside the theatre's area"),  # Paris
        ("POLYGON((35 33, 35.1 33, 35.1 33.1, 35 33))", "GeoJSON Polygon or MultiPolygon object"),
    ],
)
def test_an_invalid_polygon_is_an_input_error_naming_what_is_wrong(
    store: Store, geometry: Any, problem: str
) -> None:
    with pytest.raises(InputError, match=problem) as error:
        add_zone_version(store, geometry, by=CHAIR)
    assert error.value.source == "geometry"
    assert [v.number for v in get_zone(store, viewer=CHAIR).versions] == [0]


def test_who_may_add_versions(store: Store) -> None:
    with pytest.raises(PermissionDeniedError):
        add_zone_version(store, AROUND_KFAR_KILA, by=OBSERVER)
    with pytest.raises(PermissionDeniedError):
        add_zone_version(store, AROUND_KFAR_KILA, by=LEBANON_DELEGATE, owner_party="israel")
    with pytest.raises(NotFoundError, match="no proposal with id 5"):
        add_zone_version(store, AROUND_KFAR_KILA, by=CHAIR, proposal_id=5)


def test_projects_lie_inside_the_zone_and_move_through_their_statuses(store: Store) -> None:
    made = add_project(store, project("Olive press"), by=MONITOR)
    assert (made.status, made.zone_id, made.next_statuses) == (
        ProjectStatus.PROPOSED,
        ZONE,
        (ProjectStatus.APPROVED,),
    )
    with pytest.raises(InputError, match="outside zone") as outside:
        add_project(store, project("Khiam school", **KHIAM_POINT), by=MONITOR)
    assert outside.value.source == "latitude, longitude"
    with pytest.raises(ConflictError, match="is proposed: it cannot become done"):
        move_project(store, made.id, "done", by=CHAIR)
    assert [(c.from_status, c.to_status, c.by) for c in made.history] == [
        (None, "proposed", "monitor")
    ]
    for status in ("approved", "underway", "done"):
        made = move_project(store, made.id, status, by=CHAIR, note=f"now {status}")
    assert made.status is ProjectStatus.DONE
    # every move is kept, in order, with who and why; the failed move left nothing
    history = get_project(store, made.id, viewer=OBSERVER).history
    assert [(c.from_status, c.to_status, c.by, c.note) for c in history] == [
        (None, "proposed", "monitor", None),
        ("proposed", "approved", "chair", "now approved"),
        ("approved", "underway", "chair", "now underway"),
        ("underway", "done", "chair", "now done"),
    ]
    assert list_projects(store, viewer=OBSERVER).items[0].history == history
    with pytest.raises(InputError) as kind:
        add_project(store, project("x", kind="casino"), by=CHAIR)
    assert kind.value.source == "kind"
    # a smaller current version: Houla is no longer inside
    add_zone_version(store, AROUND_KFAR_KILA, by=CHAIR)
    with pytest.raises(InputError, match=r"outside zone .* \(version 1\)"):
        add_project(store, project("Houla clinic", **HOULA_POINT), by=CHAIR)
    placeless = add_project(store, project("Trade office", latitude=None, longitude=None), by=CHAIR)
    assert placeless.latitude is None


KHIAM_POINT = {"latitude": KHIAM["latitude"], "longitude": KHIAM["longitude"]}
HOULA_POINT = {"latitude": HOULA["latitude"], "longitude": HOULA["longitude"]}


def test_a_delegate_never_sees_the_other_partys_restricted_project(store: Store) -> None:
    restricted = Classification.RESTRICTED
    israeli = add_project(
        store, project("Israeli plan", classification=restricted), by=ISRAEL_DELEGATE
    )
    lebanese = add_project(
        store, project("Lebanese plan", classification=restricted), by=LEBANON_DELEGATE
    )
    shared = add_project(store, project("Shared plan"), by=CHAIR)
    assert {p.id for p in list_projects(store, viewer=LEBANON_DELEGATE).items} == {
        lebanese.id,
        shared.id,
    }
    assert list_projects(store, viewer=CHAIR).total == 3
    assert list_projects(store, viewer=PUBLIC).total == 0
    assert {p.id for p in get_zone(store, viewer=LEBANON_DELEGATE).projects} == {
        lebanese.id,
        shared.id,
    }
    with pytest.raises(NotFoundError, match=f"no project with id {israeli.id}"):
        get_project(store, israeli.id, viewer=LEBANON_DELEGATE)
    with pytest.raises(NotFoundError):
        move_project(store, israeli.id, "approved", by=LEBANON_DELEGATE)
    features = zone_geojson(store, viewer=LEBANON_DELEGATE)["features"]
    titles = {
        f["properties"].get("title") for f in features if f["properties"]["kind"] == "project"
    }
    assert titles == {"Lebanese plan", "Shared plan"}


def test_zone_activity_counts_incidents_inside_the_zone_only(store: Store) -> None:
    incidents = incidents_by_place(
        store,
        [
            (Classification.PUBLIC, None, dt.date(2025, 3, 5), KFAR_KILA),
            (Classification.PUBLIC, None, dt.date(2025, 3, 6), KHIAM),
            (Classification.RESTRICTED, "lebanon", dt.date(2025, 4, 10), HOULA),
        ],
    )
    kfar_kila = incidents["Kfar Kila 2025-03-05"]
    houla = incidents["Houla 2025-04-10"]
    assert incidents["Khiam 2025-03-06"] not in {kfar_kila, houla}
    seed_positions_from_pack(store, by=CHAIR, since=dt.date(2025, 1, 1))
    secret_cache = NewSite(
        kind="cache",
        name="Cache in Houla",
        reported_on=dt.date(2025, 4, 12),
        classification=Classification.RESTRICTED,
        **HOULA_POINT,
    )
    site = report_site(store, secret_cache, by=LEBANON_DELEGATE)
    report_site(
        store,
        NewSite(kind="tunnel", name="Khiam tunnel", reported_on=dt.date(2025, 4, 1), **KHIAM_POINT),
        by=CHAIR,
    )

    def activity(viewer: Any, **options: Any) -> dict[str, tuple[tuple[int, ...], ...]]:
        found = zone_activity(
            store, viewer=viewer, start=dt.date(2025, 3, 1), end=dt.date(2025, 4, 30), **options
        )
        return {p.label: (p.incident_ids, p.site_ids, p.position_ids) for p in found.periods}

    held_inside = {p.id for p in all_positions(store, viewer=CHAIR) if ZONE in p.zones}
    assert len(held_inside) == 3  # Labbouneh, Jal al-Deir, Markaba-Hula; not Blat nor Hamames
    by_lebanon = activity(LEBANON_DELEGATE)
    assert list(by_lebanon) == ["2025-03", "2025-04"]
    assert by_lebanon["2025-03"][:2] == ((kfar_kila,), ())
    assert by_lebanon["2025-04"][:2] == ((houla,), (site.id,))
    assert set(by_lebanon["2025-04"][2]) == held_inside
    by_israel = activity(ISRAEL_DELEGATE)
    assert by_israel["2025-03"][:2] == ((kfar_kila,), ())
    assert by_israel["2025-04"][:2] == ((), ())  # the restricted report and cache: not seen
    weekly = zone_activity(
        store,
        viewer=OBSERVER,
        start=dt.date(2025, 3, 3),
        end=dt.date(2025, 3, 16),
        by="week",
    )
    assert [(p.label, p.incident_ids) for p in weekly.periods] == [
        ("2025-W10", (kfar_kila,)),
        ("2025-W11", ()),
    ]
    with pytest.raises(InputError) as period:
        zone_activity(
            store, viewer=OBSERVER, start=dt.date(2025, 3, 1), end=dt.date(2025, 4, 1), by="year"
        )
    assert period.value.source == "by"
    with pytest.raises(InputError) as backwards:
        zone_activity(store, viewer=OBSERVER, start=dt.date(2025, 4, 1), end=dt.date(2025, 3, 1))
    assert backwards.value.source == "end"

    # a smaller zone leaves Houla outside for whoever sees that version; the earlier draft
    # can still be asked for, for the whole span, and a version nobody recorded cannot
    add_zone_version(store, AROUND_KFAR_KILA, by=CHAIR)
    assert activity(LEBANON_DELEGATE)["2025-04"] == ((), (), ())
    assert activity(LEBANON_DELEGATE, version=0)["2025-04"][:2] == ((houla,), (site.id,))
    assert (
        zone_activity(
            store, viewer=CHAIR, start=dt.date(2025, 3, 1), end=dt.date(2025, 3, 31), version=0
        ).version
        == 0
    )
    with pytest.raises(InputError, match=r"no version 7 of this zone \(known: 0, 1\)") as unknown:
        activity(LEBANON_DELEGATE, version=7)
    assert unknown.value.source == "version"

    geojson = zone_geojson(store, viewer=ISRAEL_DELEGATE)
    kinds = [f["properties"]["kind"] for f in geojson["features"]]
    assert kinds[0] == "zone"
    assert geojson["features"][0]["properties"]["version"] == 1
    points = {
        (f["properties"]["kind"], f["properties"]["id"])
        for f in geojson["features"]
        if f["geometry"]["type"] == "Point"
    }
    assert points == {("incident", kfar_kila)}
    for feature in geojson["features"][1:]:
        lon, lat = feature["geometry"]["coordinates"]
        assert shapely.intersects_xy(shape(AROUND_KFAR_KILA), lon, lat)
    later = zone_geojson(store, viewer=ISRAEL_DELEGATE, start=dt.date(2025, 4, 1))
    assert [f["properties"]["kind"] for f in later["features"]] == ["zone"]
    pack_drawn = zone_geojson(store, viewer=ISRAEL_DELEGATE, version=0)["features"]
    assert pack_drawn[0]["properties"]["version"] == 0
    assert shape(pack_drawn[0]["geometry"]).area > shape(AROUND_KFAR_KILA).area
    report = verify_chain(read_chain(store))
    assert report.ok, report.problem
