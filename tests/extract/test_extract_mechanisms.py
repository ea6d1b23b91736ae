"""General mechanisms of the extractor: the ACLED sub-types its lexicon and actors give,
atomicity, places (areas, landmarks, "the town"), dates told relative to other events, and
deaths counted across a list of victims."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from truce.core import GeoPrecision, Modality
from truce.extract import Doc

Run = Callable[..., Doc]

#: the tests' publication date, 2026-01-14, is a Wednesday
MONDAY = dt.date(2026, 1, 12)


@pytest.mark.parametrize(
    ("text", "event_type", "sub_event_type"),
    [
        ("Gunmen raped two women near Khiam on Monday.",
         "Violence against civilians", "Sexual violence"),
        ("A crowd beat a man to death in Tyre on Monday.", "Riots", "Mob violence"),
        ("A suicide bomber blew himself up at a checkpoint in Tyre on Monday.",
         "Explosions/Remote violence", "Suicide bomb"),
        ("Drones dropped grenades filled with CS gas on positions near Khiam on Monday.",
         "Explosions/Remote violence", "Chemical weapon"),
        ("Israeli troops set up a new military position near Kfar Kila on Monday.",
         "Strategic developments", "Headquarters or base established"),
        ("Israeli aircraft dropped leaflets over Aita al-Shaab on Monday.",
         "Strategic developments", "Other"),
        ("Lebanon and Syria signed an agreement in Beirut on Monday.",
         "Strategic developments", "Agreement"),
        ("Civil defence teams found a mass grave near Tyre on Monday.",
         "Strategic developments", "Other"),
        ("Hezbollah fighters and Israeli troops fought near Odaisseh on Monday.",
         "Battles", "Armed clash"),
        ("Israeli jets destroyed a building in Tyre on Monday.",
         "Explosions/Remote violence", "Air/drone strike"),
        ("Gunmen looted shops in Tyre on Monday.",
         "Strategic developments", "Looting/property destruction"),
        ("The army entered Khiam on Monday after Israeli troops withdrew.",
         "Strategic developments", "Non-violent transfer of territory"),
        ("Hezbollah fighters captured the town of Khiam on Monday.",
         "Battles", "Non-state actor overtakes territory"),
        ("The Lebanese army regained control of Khiam on Monday.",
         "Battles", "Government regains territory"),
        ("Soldiers opened fire on protesters in Tripoli on Monday.",
         "Protests", "Excessive force against protesters"),
        ("Residents burned tyres and blocked the main road in Tyre on Monday.",
         "Riots", "Violent demonstration"),
    ],
)  # fmt: skip
def test_sub_event_types(run: Run, text: str, event_type: str, sub_event_type: str) -> None:
    events = [e for e in run(text).events if e.event_type is not None]
    assert [(e.event_type, e.sub_event_type) for e in events] == [(event_type, sub_event_type)]
    assert events[0].event_date == MONDAY


def test_explosions_during_a_battle_are_part_of_it(run: Run) -> None:
    doc = run(
        "Hezbollah fighters and Israeli troops fought on the outskirts of Odaisseh on Monday.\n"
        "Israeli tanks shelled the village during the fighting, and a mortar round hit a house "
        "in Odaisseh.\n"
        "Separately, an Israeli drone struck a car in Odaisseh on Monday, killing two people."
    )
    kinds = [e.sub_event_type for e in doc.events if e.event_type is not None]
    assert kinds == ["Armed clash", "Air/drone strike"]


def test_negated_fire_is_no_clash(run: Run) -> None:
    doc = run("The raid on Kfar Kila on Monday passed without an exchange of fire.")
    assert all(e.modality != Modality.ASSERTED or e.event_type is None for e in doc.events)


def test_region_word_after_a_name_makes_it_the_region(run: Run) -> None:
    (event,) = run("Israeli strikes hit the Nabatieh province on Monday.").events
    assert event.geo_precision == GeoPrecision.REGION


def test_a_river_is_not_the_town_of_its_name(run: Run) -> None:
    doc = run("Artillery fire from across the Litani river hit a house in Khiam on Monday.")
    assert [e.location for e in doc.events] == ["Khiam"]


def test_place_named_only_as_a_landmark_loses(run: Run) -> None:
    (event,) = run(
        "Hezbollah fighters captured the town of Khiam, north of Metula, on Monday."
    ).events
    assert event.location == "Khiam"


def test_the_town_refers_to_the_town_named_before(run: Run) -> None:
    doc = run(
        "Russian troops attacked positions in Kupiansk on Monday.\n"
        "The commander said Russian forces used chloropicrin near the town last week."
    )
    chemical = [e for e in doc.events if e.sub_event_type == "Chemical weapon"]
    assert [(e.location, e.geo_precision) for e in chemical] == [
        ("Kupyansk", GeoPrecision.NEAR_OR_PART)
    ]


def test_listed_places_share_their_preposition(run: Run) -> None:
    doc = run("Israeli aircraft struck targets in Majdal Zoun and Yohmor on Monday.")
    assert len(doc.events) == 2


def test_hours_earlier_is_the_day_told_before(run: Run) -> None:
    doc = run(
        "An Israeli drone struck a car in Yater on Monday.\n\n"
        "Hours earlier, an Israeli drone struck a motorcycle in Bint Jbeil."
    )
    assert [e.event_date for e in doc.events] == [MONDAY, MONDAY]


def test_a_month_at_the_start_of_a_sentence(run: Run) -> None:
    (event,) = run("In August, Israeli forces bulldozed fields in Aita al-Shaab.").events
    assert (event.event_date, event.time_precision) == (dt.date(2025, 8, 15), 3)


@pytest.mark.parametrize(
    ("text", "deaths"),
    [
        ("A Lebanese soldier and two gunmen were killed in a clash in Hermel on Monday.", 3),
        ("A bomber blew himself up in Tyre on Monday, killing the attacker and four guards.", 5),
        ("An Israeli drone struck a motorcycle in Ainata on Monday, killing its rider.", 1),
        ("An Israeli strike on a car in Yater on Monday killed two people, including a woman, "
         "and wounded three.", 2),
    ],
)  # fmt: skip
def test_deaths_across_a_list_of_victims(run: Run, text: str, deaths: int) -> None:
    (event,) = [e for e in run(text).events if e.event_type is not None]
    assert event.fatalities == deaths


def test_a_meeting_told_twice_is_one_meeting(run: Run) -> None:
    doc = run(
        "The strike came as a US envoy held talks in Beirut on the ceasefire.\n"
        "He met Parliament Speaker Nabih Berri at Ain el-Tineh on Monday."
    )
    meetings = [e for e in doc.events if e.plover == "CONSULT"]
    assert [(m.event_date, m.location) for m in meetings] == [(MONDAY, "Beirut")]


def test_civilian_victims_are_the_target(run: Run) -> None:
    (event,) = run("An Israeli drone struck a car in Yater on Monday, killing its driver.").events
    assert event.actor2 == "Civilians (Lebanon)"


def test_it_said_its_artillery_names_the_sentence_before(run: Run) -> None:
    doc = run(
        "Hezbollah said on Monday that Israeli drones had struck Khiam. "
        "It said its artillery hit a gathering of soldiers in Metula in response."
    )
    actors = {e.location: e.actor1 for e in doc.events}
    assert actors == {"Khiam": "Military Forces of Israel", "Metula": "Hezbollah"}


def test_an_actor_after_killed_is_the_target_not_the_actor(run: Run) -> None:
    (event,) = run(
        "The Israeli army said on Monday that it had killed a Hezbollah operative in a drone "
        "strike in Yater."
    ).events
    assert (event.actor1, event.actor2) == ("Military Forces of Israel", "Hezbollah")


def test_a_capital_that_acts_is_no_place(run: Run) -> None:
    doc = run("Israeli drones struck Khiam on Monday, as Beirut announced new talks.")
    assert [e.location for e in doc.events if e.event_type] == ["Khiam"]


def test_a_place_under_bombardment_for_months_is_background(run: Run) -> None:
    doc = run("Khiam has come under intense Israeli bombardment since the summer.")
    assert doc.events == []


def test_a_raid_that_is_an_arrest_is_one_arrest(run: Run) -> None:
    doc = run("The Lebanese army arrested four men in a raid in Tripoli on Monday.")
    assert [e.sub_event_type for e in doc.events] == ["Arrests"]


def test_a_drone_firing_is_an_air_strike(run: Run) -> None:
    (event,) = run("A drone fired at an ambulance near Haris on Monday.").events
    assert event.sub_event_type == "Air/drone strike"


def test_the_object_of_the_trigger_is_its_place(run: Run) -> None:
    doc = run("The fall of Khiam on Monday brings Hezbollah closer to Tyre and Nabatieh.")
    assert [e.location for e in doc.events] == ["Khiam"]


def test_a_place_described_as_the_edge_of_another(run: Run) -> None:
    doc = run("A mob attacked three men in Khiam, on the eastern edge of Marjayoun, on Monday.")
    assert {e.location for e in doc.events} == {"Khiam"}


def test_gunmen_killing_people_is_an_attack(run: Run) -> None:
    (event,) = run(
        "Gunmen killed five members of a family in a village near Tyre on Monday."
    ).events
    assert (event.sub_event_type, event.fatalities) == ("Attack", 5)
    assert run("Two gunmen were killed near Tyre on Monday.").events == []
