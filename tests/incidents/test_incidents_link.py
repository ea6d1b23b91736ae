"""Linking events into incidents: each rule of `truce.incidents` on real core Events."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from truce.core.errors import ConfigError, InputError
from truce.core.models import Event, Evidence
from truce.core.vocab import GeoPrecision, Modality, TimePrecision
from truce.geo.distance import distance_km
from truce.incidents import (
    IncidentCluster,
    LinkableEvent,
    LinkSettings,
    explain_link,
    link_events,
)

ISRAEL = "Military Forces of Israel (2022-)"
HEZBOLLAH = "Hezbollah"
CIVILIANS = "Civilians (Lebanon)"
DAY = dt.date(2025, 1, 14)
KHIAM = (33.3294, 35.6117)
KFAR_KILA = (33.2833, 35.5667)  # 6.6 km from Khiam

_ids = iter(range(1, 10**6))


def report(
    sentence: str,
    *,
    document: str,
    source: str | None = None,
    published: dt.datetime | dt.date | None = None,
    at: tuple[float, float] | None = KHIAM,
    location: str | None = "Khiam",
    day: dt.date = DAY,
    event_id: int | None = None,
    **fields: Any,
) -> LinkableEvent:
    """A LinkableEvent around a real, validated Event (an Israeli strike on Khiam unless told)."""
    data: dict[str, object] = {
        "doc_id": document,
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike",
        "event_date": day,
        "actor1": ISRAEL,
        "location": location,
        "admin1": "Nabatieh",
        "country": "LB",
        "evidence": Evidence(text=sentence, start=0, end=len(sentence)),
    }
    if at is not None:
        data["latitude"], data["longitude"] = at
    data.update(fields)
    return LinkableEvent(
        id=event_id if event_id is not None else next(_ids),
        event=Event.model_validate(data),
        document=document,
        source=source,
        published=published,
    )


def groups(clusters: list[IncidentCluster]) -> list[tuple[int, ...]]:
    return sorted(c.ids for c in clusters)


def test_two_wordings_of_one_strike_are_one_incident() -> None:
    a = report(
        "An Israeli drone struck a car on the eastern edge of Khiam, killing two people.",
        document="levant-1",
        source="Levant Wire",
        published=dt.datetime(2025, 1, 14, 15, 40),
    )
    b = report(
        "Two men were killed when an Israeli drone fired a missile at their car outside Khiam.",
        document="cedar-7",
        source="Cedar Coast Post",
        published=dt.datetime(2025, 1, 15, 8, 10),
        at=(KHIAM[0] + 0.01, KHIAM[1] - 0.005),
        location="El Khiyam",
        actor2=CIVILIANS,
    )
    decision = explain_link(a, b, LinkSettings())
    assert decision.compatible
    assert decision.linked
    assert decision.failed == ()
    assert decision.days_apart == 0
    assert decision.distance_km is not None
    assert decision.distance_km < 1.5
    clusters = link_events([a, b])
    assert groups(clusters) == [tuple(sorted((a.id, b.id)))]
    (incident,) = clusters
    assert incident.independent_sources == 2
    assert incident.sources == ("Cedar Coast Post", "Levant Wire")
    assert incident.documents == ("cedar-7", "levant-1")
    assert incident.start == incident.end == DAY
    assert incident.event_type == "Explosions/Remote violence"
    assert incident.latitude == pytest.approx(KHIAM[0] + 0.005)
    assert all(m.score == pytest.approx(decision.score) for m in incident.members)
    assert {m.linked_to for m in incident.members} == {a.id, b.id}


def test_a_drone_strike_and_shelling_of_one_village_are_compatible() -> None:
    a = report("An Israeli drone strike hit the outskirts of Khiam.", document="d1")
    b = report(
        "Israeli artillery shelled the outskirts of Khiam.",
        document="d2",
        sub_event_type="Shelling/artillery/missile attack",
    )
    decision = explain_link(a, b, LinkSettings())
    assert decision.compatible
    assert len(link_events([a, b])) == 1


def test_distance_setting_decides_villages_six_km_apart() -> None:
    a = report("An Israeli drone struck a motorcycle in Khiam.", document="d1")
    b = report(
        "An Israeli drone struck a motorcycle in Kfar Kila.",
        document="d2",
        at=KFAR_KILA,
        location="Kfar Kila",
    )
    assert 6 < distance_km(*KHIAM, *KFAR_KILA) < 7
    near = LinkSettings(max_km=5)
    assert explain_link(a, b, near).failed == ("place",)
    assert len(link_events([a, b], near)) == 2
    assert explain_link(a, b, LinkSettings(max_km=10)).linked
    assert len(link_events([a, b], LinkSettings(max_km=10))) == 1


def test_consecutive_days_at_day_precision_are_two_incidents() -> None:
    a = report("An Israeli drone struck a car in Khiam.", document="d1")
    b = report(
        "An Israeli drone struck a car in Khiam.", document="d2", day=DAY + dt.timedelta(days=1)
    )
    decision = explain_link(a, b, LinkSettings())
    assert decision.failed == ("date",)
    assert decision.days_apart == 1
    assert len(link_events([a, b])) == 2
    # an overnight offset is merged when the setting allows it
    assert len(link_events([a, b], LinkSettings(day_slack_days=1))) == 1


def test_week_precision_reaches_across_days() -> None:
    a = report("An Israeli drone struck a car in Khiam.", document="d1")
    b = report(
        "Last week an Israeli drone struck a car in Khiam.",
        document="d2",
        day=DAY + dt.timedelta(days=4),
        time_precision=TimePrecision.WEEK,
    )
    assert explain_link(a, b, LinkSettings()).compatible
    assert len(link_events([a, b])) == 1
    c = report(
        "An Israeli drone struck a car in Khiam.",
        document="d3",
        day=DAY + dt.timedelta(days=9),
        time_precision=TimePrecision.WEEK,
    )
    assert explain_link(a, c, LinkSettings()).failed == ("date",)


def test_strike_and_protest_in_one_place_are_never_one_incident() -> None:
    strike = report("An Israeli drone struck a car in Khiam.", document="d1")
    protest = report(
        "Residents of Khiam protested against the Israeli drone strike on a car.",
        document="d2",
        event_type="Protests",
        sub_event_type="Peaceful protest",
        actor1="Protesters (Lebanon)",
    )
    assert "type" in explain_link(strike, protest, LinkSettings()).failed
    assert len(link_events([strike, protest])) == 2


def test_battle_and_strike_share_a_block_but_not_an_incident() -> None:
    strike = report("Israeli forces struck Khiam.", document="d1")
    battle = report(
        "Israeli forces clashed with Hezbollah fighters in Khiam.",
        document="d2",
        event_type="Battles",
        sub_event_type="Armed clash",
        actor2=HEZBOLLAH,
    )
    assert explain_link(strike, battle, LinkSettings()).failed == ("type",)
    assert len(link_events([strike, battle])) == 2


def test_planned_and_asserted_are_never_one_incident() -> None:
    done = report("An Israeli drone struck Khiam.", document="d1")
    planned = report(
        "Israel will strike Khiam with drones, an army spokesman said.",
        document="d2",
        modality=Modality.PLANNED,
    )
    assert explain_link(done, planned, LinkSettings()).failed == ("modality",)
    assert len(link_events([done, planned])) == 2


def test_two_events_of_one_document_never_merge() -> None:
    a = report("An Israeli drone struck a car in Khiam.", document="same")
    b = report("A second Israeli drone struck a car in Khiam.", document="same")
    assert explain_link(a, b, LinkSettings()).failed == ("same document",)
    c = report("An Israeli drone struck a car in Khiam, killing two.", document="other")
    clusters = link_events([a, b, c])
    assert len(clusters) == 2
    for incident in clusters:
        assert len(incident.documents) == len(incident.members)


def test_swapped_actors_are_two_incidents() -> None:
    attack = report(
        "Israel struck Hezbollah positions near Khiam.", document="d1", actor2=HEZBOLLAH
    )
    reply = report(
        "Hezbollah fired at Israeli positions near Khiam.",
        document="d2",
        actor1=HEZBOLLAH,
        actor2=ISRAEL,
    )
    assert explain_link(attack, reply, LinkSettings()).failed == ("actors",)
    unknown = report("A drone struck Hezbollah positions near Khiam.", document="d3", actor1=None)
    assert explain_link(attack, unknown, LinkSettings()).compatible


def test_an_unidentified_actor_is_an_unknown_one_not_another() -> None:
    named = report("An Israeli drone struck a car in Khiam.", document="d1")
    unnamed = report(
        "A drone struck a car in Khiam.",
        document="d2",
        actor1="Unidentified Armed Group (Lebanon)",
    )
    assert explain_link(named, unnamed, LinkSettings()).compatible
    hezbollah = report("Hezbollah fired at a car in Khiam.", document="d3", actor1=HEZBOLLAH)
    assert explain_link(named, hezbollah, LinkSettings()).failed == ("actors",)


def test_region_only_event_meets_points_by_region_name_only() -> None:
    point = report("An Israeli drone struck a car in Khiam.", document="d1")
    region = report(
        "An Israeli drone struck a car in Nabatieh governorate.",
        document="d2",
        at=(33.3772, 35.4836),
        location="Nabatieh",
        geo_precision=GeoPrecision.REGION,
    )
    elsewhere = report(
        "An Israeli drone struck a car in the south.",
        document="d3",
        at=None,
        location="South",
        admin1="South",
        geo_precision=GeoPrecision.REGION,
    )
    same_region = explain_link(point, region, LinkSettings())
    assert same_region.compatible
    assert same_region.score < explain_link(point, point_copy(point), LinkSettings()).score
    assert explain_link(point, elsewhere, LinkSettings()).failed == ("place",)
    clusters = link_events([point, region, elsewhere])
    assert groups(clusters) == sorted([tuple(sorted((point.id, region.id))), (elsewhere.id,)])
    merged = next(c for c in clusters if len(c.members) == 2)
    assert merged.geo_precision == GeoPrecision.TOWN
    assert (merged.latitude, merged.longitude) == KHIAM  # the precise member's point


def point_copy(le: LinkableEvent) -> LinkableEvent:
    return LinkableEvent(id=le.id + 10**6, event=le.event, document=le.document + "-copy")


def test_a_line_of_villages_does_not_chain_into_one_incident() -> None:
    # ten reports 4 km apart along a road, same day, same type and actors
    step = 4 / 111.19
    line = [
        report(
            "An Israeli drone struck a vehicle on the border road.",
            document=f"d{k}",
            at=(33.0 + k * step, 35.5),
            location=f"Village {k}",
        )
        for k in range(10)
    ]
    settings_ = LinkSettings(max_km=10)
    assert explain_link(line[0], line[1], settings_).linked  # each neighbour links
    clusters = link_events(line, settings_)
    assert len(clusters) > 3
    for incident in clusters:
        points = [(le.event.latitude, le.event.longitude) for le in line if le.id in incident.ids]
        for lat1, lon1 in points:
            for lat2, lon2 in points:
                assert lat1 is not None
                assert lon1 is not None
                assert lat2 is not None
                assert lon2 is not None
                assert distance_km(lat1, lon1, lat2, lon2) <= 10
    assert max(len(c.members) for c in clusters) <= 3


def test_independent_sources_and_reporting_times() -> None:
    sentence = "An Israeli drone struck a car in Khiam, killing two people."
    members = [
        report(sentence, document="a1", source="Levant Wire", published=dt.date(2025, 1, 14)),
        report(
            sentence,
            document="a2",
            source="Levant Wire",
            published=dt.datetime(2025, 1, 16, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=2))),
        ),
        report(
            sentence, document="b1", source="Cedar Coast Post", published=dt.datetime(2025, 1, 15)
        ),
        report(sentence, document="c1", source=None, published=None),
        report(sentence, document="c2", source=None, published=dt.datetime(2025, 1, 14, 20, 0)),
    ]
    (incident,) = link_events(members)
    assert incident.sources == ("Cedar Coast Post", "Levant Wire")
    assert incident.independent_sources == 4  # two outlets, two documents with no outlet
    assert incident.first_reported == dt.datetime(2025, 1, 14, tzinfo=dt.UTC)
    assert incident.last_reported == dt.datetime(2025, 1, 16, 7, 0, tzinfo=dt.UTC)
    assert [m.id for m in incident.members] == sorted(le.id for le in members)
    assert [m.evidence for m in incident.members] == [sentence] * 5


def test_undated_and_unplaced_events_stay_alone() -> None:
    a = report("An Israeli drone struck a car in Khiam.", document="d1")
    undated = report("An Israeli drone struck a car in Khiam.", document="d2", event_date=None)
    unplaced = report("An Israeli drone struck a car.", document="d3", at=None, location=None)
    assert explain_link(a, undated, LinkSettings()).failed == ("date",)
    assert explain_link(a, unplaced, LinkSettings()).failed == ("place",)
    assert len(link_events([a, undated, unplaced])) == 3


def test_duplicate_ids_and_bad_settings_are_refused() -> None:
    a = report("An Israeli drone struck a car in Khiam.", document="d1", event_id=5)
    b = report("An Israeli drone struck a car in Khiam.", document="d2", event_id=5)
    with pytest.raises(InputError, match="event id 5 is given twice"):
        link_events([a, b])
    with pytest.raises(ConfigError, match="max_km"):
        LinkSettings(max_km=0)
    with pytest.raises(ConfigError, match="min_similarity"):
        LinkSettings(min_similarity=1.5)
    with pytest.raises(ConfigError, match="slack"):
        LinkSettings(week_slack_days=-1)


def _scene() -> list[LinkableEvent]:
    """A day of reports: two strikes 6.6 km apart, each told two or three times, a protest,
    a planned strike and a strike the next day; some documents report two events."""
    out = []
    texts: list[tuple[str, tuple[float, float], str, dict[str, Any]]] = [
        ("An Israeli drone struck a car in Khiam.", KHIAM, "Khiam", {}),
        ("A drone hit a vehicle near El Khiyam, killing two.", KHIAM, "El Khiyam", {}),
        ("Israeli drone strike on a car outside al-Khiam.", (33.333, 35.615), "Khiam", {}),
        ("An Israeli drone struck a motorcycle in Kfar Kila.", KFAR_KILA, "Kfar Kila", {}),
        ("A motorcyclist was killed by a drone in Kfarkela.", KFAR_KILA, "Kfarkela", {}),
        (
            "Residents protested in Khiam.",
            KHIAM,
            "Khiam",
            {"event_type": "Protests", "sub_event_type": "Peaceful protest", "actor1": None},
        ),
        ("Israel will strike Khiam again.", KHIAM, "Khiam", {"modality": Modality.PLANNED}),
        (
            "Another drone struck Khiam the next day.",
            KHIAM,
            "Khiam",
            {"event_date": DAY + dt.timedelta(days=1)},
        ),
    ]
    documents = ["w1", "w2", "w3", "w1", "w4", "w2", "w5", "w6"]
    for k, ((sentence, at, location, fields), document) in enumerate(
        zip(texts, documents, strict=True)
    ):
        out.append(
            report(
                sentence,
                document=document,
                source=f"outlet {document}",
                at=at,
                location=location,
                event_id=100 + k,
                **fields,
            )
        )
    return out


SCENE = _scene()


@settings(max_examples=40, deadline=None)
@given(st.permutations(SCENE), st.sampled_from([5.0, 10.0]))
def test_any_input_order_gives_the_same_incidents(
    shuffled: list[LinkableEvent], max_km: float
) -> None:
    chosen = LinkSettings(max_km=max_km)
    assert link_events(shuffled, chosen) == link_events(SCENE, chosen)


def test_the_scene_links_as_expected() -> None:
    clusters = link_events(SCENE, LinkSettings(max_km=5))
    assert groups(clusters) == [(100, 101, 102), (103, 104), (105,), (106,), (107,)]
    for incident in clusters:
        assert not math.isnan(incident.latitude or 0.0)
