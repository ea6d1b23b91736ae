"""Analysts' constraints on the linker (together groups, apart pairs) and `summarise`."""

from __future__ import annotations

import datetime as dt

import pytest
from test_incidents_link import CIVILIANS, HEZBOLLAH, ISRAEL, KHIAM, groups, report

from truce.core.errors import InputError
from truce.geo.distance import distance_km
from truce.incidents import LinkSettings, explain_link, link_events, summarise

TYRE = (33.2705, 35.2038)  # about 38 km west of Khiam
SENTENCE = "An Israeli drone struck a car in Khiam, killing two people."


def test_together_merges_events_the_checks_keep_apart() -> None:
    khiam = report(SENTENCE, document="d1")
    tyre = report("An Israeli drone struck a car in Tyre.", document="d2", at=TYRE, location="Tyre")
    assert distance_km(*KHIAM, *TYRE) > 30
    assert explain_link(khiam, tyre, LinkSettings()).failed == ("place",)
    assert len(link_events([khiam, tyre])) == 2
    (incident,) = link_events([khiam, tyre], together=[(khiam.id, tyre.id)])
    assert incident.ids == tuple(sorted((khiam.id, tyre.id)))
    # forced by an analyst, not by a link: no score to show
    assert [m.score for m in incident.members] == [0.0, 0.0]
    assert {m.linked_to for m in incident.members} == {khiam.id, tyre.id}


def test_apart_keeps_identical_reports_apart() -> None:
    a = report(SENTENCE, document="d1", source="Levant Wire")
    b = report(SENTENCE, document="d2", source="Cedar Coast Post")
    assert explain_link(a, b, LinkSettings()).linked
    assert len(link_events([a, b])) == 1
    clusters = link_events([a, b], apart=[(b.id, a.id)])
    assert groups(clusters) == sorted([(a.id,), (b.id,)])


def test_apart_holds_against_a_chain_through_a_third_report() -> None:
    a, b, c = (report(SENTENCE, document=f"d{k}") for k in range(3))
    clusters = link_events([a, b, c], apart=[(a.id, c.id)])
    assert len(clusters) == 2
    for incident in clusters:
        assert not {a.id, c.id} <= set(incident.ids)
    assert b.id in next(cl for cl in clusters if len(cl.members) == 2).ids


def test_together_is_transitive_and_grows_only_by_compatible_links() -> None:
    khiam = report(SENTENCE, document="d1")
    tyre = report("An Israeli drone struck a car in Tyre.", document="d2", at=TYRE, location="Tyre")
    tyre_again = report(
        "An Israeli drone hit a vehicle in Tyre.", document="d3", at=TYRE, location="Tyre"
    )
    # {khiam, tyre} and {tyre, tyre_again}: one incident through the shared event
    (incident,) = link_events(
        [khiam, tyre, tyre_again], together=[(khiam.id, tyre.id), {tyre.id, tyre_again.id}]
    )
    assert len(incident.members) == 3
    # a third report links to the Khiam member but is 38 km from the Tyre one: complete
    # linkage keeps it out of the analyst's group
    third = report("Two men died when an Israeli drone hit their car in Khiam.", document="d4")
    assert explain_link(khiam, third, LinkSettings()).linked
    clusters = link_events([khiam, tyre, third], together=[(khiam.id, tyre.id)])
    assert groups(clusters) == sorted([tuple(sorted((khiam.id, tyre.id))), (third.id,)])
    # ... while a report compatible with the whole group joins it
    near = report(SENTENCE, document="d5")
    (joined,) = link_events([khiam, near], together=[(khiam.id,)])
    assert set(joined.ids) == {khiam.id, near.id}
    grown = link_events([khiam, third, near], together=[(khiam.id, third.id)])
    assert groups(grown) == [tuple(sorted((khiam.id, third.id, near.id)))]


def test_unknown_ids_are_ignored() -> None:
    a = report(SENTENCE, document="d1")
    b = report(SENTENCE, document="d2")
    clusters = link_events([a, b], together=[(a.id, 10**9)], apart=[(b.id, 10**9 + 1)])
    assert groups(clusters) == [tuple(sorted((a.id, b.id)))]


def test_a_pair_both_together_and_apart_is_refused() -> None:
    a, b, c = (report(SENTENCE, document=f"d{k}") for k in range(3))
    with pytest.raises(InputError, match=f"{min(a.id, b.id)} and {max(a.id, b.id)}"):
        link_events([a, b], together=[(a.id, b.id)], apart=[(b.id, a.id)])
    # also when the groups join them only transitively
    with pytest.raises(InputError, match="kept apart"):
        link_events([a, b, c], together=[(a.id, b.id), (b.id, c.id)], apart=[(a.id, c.id)])


def test_an_incident_carries_actors_region_and_the_most_reported_toll() -> None:
    members = [
        report(SENTENCE, document="d1", fatalities=2, actor2=CIVILIANS),
        report(SENTENCE, document="d2", fatalities=3),
        report(SENTENCE, document="d3", fatalities=2),
        report(SENTENCE, document="d4"),
    ]
    (incident,) = link_events(members)
    assert incident.fatalities == 2
    assert incident.actor1 == ISRAEL
    assert incident.actor2 == CIVILIANS  # the representative names none; a member does
    assert incident.admin1 == "Nabatieh"
    tie = summarise([members[0], members[1]])
    assert tie.fatalities == 2  # one says 2, one says 3: the lower
    assert summarise([members[3]]).fatalities is None


def test_summarise_is_the_linkers_incident_for_the_same_members() -> None:
    members = [
        report(SENTENCE, document="d1", source="Levant Wire", published=dt.date(2025, 1, 14)),
        report(
            "Two men died when an Israeli drone hit their car near El Khiyam.",
            document="d2",
            source="Cedar Coast Post",
            location="El Khiyam",
            actor2=CIVILIANS,
        ),
        report(SENTENCE, document="d3", actor1=None, fatalities=2),
    ]
    (linked,) = link_events(members)
    assert summarise(list(reversed(members))) == linked
    # a viewer who sees two of the three members gets an incident of those two only
    part = summarise(members[1:])
    assert part.ids == tuple(sorted(m.id for m in members[1:]))
    assert part.sources == ("Cedar Coast Post",)
    assert part.actor1 == ISRAEL
    assert part.fatalities == 2


def test_summarise_refuses_nothing_and_duplicates() -> None:
    with pytest.raises(InputError, match="at least one event"):
        summarise([])
    a = report(SENTENCE, document="d1", event_id=77)
    with pytest.raises(InputError, match="given twice"):
        summarise([a, a])


def test_summarise_takes_events_the_linker_would_not_merge() -> None:
    strike = report(SENTENCE, document="d1")
    reply = report(
        "Hezbollah fired rockets at Israeli positions from Khiam.",
        document="d2",
        actor1=HEZBOLLAH,
        actor2=ISRAEL,
        sub_event_type="Shelling/artillery/missile attack",
    )
    assert not explain_link(strike, reply, LinkSettings()).compatible
    incident = summarise([strike, reply])
    assert len(incident.members) == 2
    assert [m.score for m in incident.members] == [0.0, 0.0]
