"""End to end: synthetic news paragraphs in, contract events out."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest

from truce.core import ACLED_EVENT_TYPES, Document, Event, Plover
from truce.extract import Doc, Pipeline
from truce.geo import Gazetteer
from truce.theatre import load_pack

Run = Callable[..., Doc]

CONTRACT_FIELDS = [
    "doc_id", "event_type", "sub_event_type", "plover", "modality", "event_date",
    "time_precision", "actor1", "actor2", "inter1", "inter2", "location", "admin1", "country",
    "latitude", "longitude", "geo_precision", "fatalities", "sources", "evidence", "confidence",
]  # fmt: skip

# published on a Wednesday: "Monday" is 2026-01-12, "Sunday" 2026-01-11
STRIKE = (
    "An Israeli drone strike on a motorcycle in the town of Yater killed two men on Monday, "
    "Lebanon's health ministry said.\n"
    "The Israeli army said the strike targeted Hezbollah members. Strikes since the truce have "
    "killed more than 300 people, according to the ministry."
)


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load().with_extras(load_pack().places)


def material(doc: Doc) -> list[Event]:
    return [e for e in doc.events if e.event_type is not None]


def test_one_event_per_mention_chain_with_every_slot(run: Run, gazetteer: Gazetteer) -> None:
    doc = run(STRIKE)
    (event,) = doc.events
    yater = gazetteer.lookup("Yater")[0]
    assert event.event_type == "Explosions/Remote violence"
    assert event.sub_event_type == "Air/drone strike"
    assert event.plover == Plover.ASSAULT
    assert event.modality == "asserted"
    assert event.event_date == dt.date(2026, 1, 12)
    assert (event.location, event.country, event.admin1) == (
        yater.name,
        yater.country,
        yater.admin1,
    )
    assert (event.latitude, event.longitude) == (yater.latitude, yater.longitude)
    assert event.actor1 == "Military Forces of Israel"
    assert event.inter1 == 8
    assert event.actor2 == "Hezbollah"  # from the second mention, merged
    assert event.fatalities == 2
    assert event.sources == ("Lebanon's health ministry", "Israeli army")
    assert event.evidence.text == STRIKE[event.evidence.start : event.evidence.end]
    assert event.evidence.text.startswith("An Israeli drone strike")
    assert 0 < event.confidence <= 1


def test_contract_output_is_complete_json(run: Run) -> None:
    doc = run(STRIKE, doc_id="doc-7")
    for event in doc.events:
        data = json.loads(json.dumps(event.to_contract()))
        assert list(data)[: len(CONTRACT_FIELDS)] == CONTRACT_FIELDS
        assert data["doc_id"] == "doc-7"
        assert data["event_date"] == "2026-01-12"
        assert isinstance(data["sources"], list)
        evidence = data["evidence"]
        assert STRIKE[evidence["start"] : evidence["end"]] == evidence["text"]
        assert data["time_precision"] in (1, 2, 3)
        assert data["geo_precision"] in (1, 2, 3)


def test_distributive_places_give_one_event_each(run: Run, gazetteer: Gazetteer) -> None:
    doc = run(
        "Israeli drones struck two motorcycles on Sunday, one in Aitaroun and another near "
        "Khiam, the state news agency reported."
    )
    places = [e.location for e in material(doc)]
    assert places == [gazetteer.lookup("Aitaroun")[0].name, gazetteer.lookup("Khiam")[0].name]
    assert [e.geo_precision for e in material(doc)] == [1, 2]  # "near" Khiam
    assert {e.event_date for e in material(doc)} == {dt.date(2026, 1, 11)}


def test_a_place_after_from_is_not_where_it_happened(run: Run, gazetteer: Gazetteer) -> None:
    doc = run("A rocket fired from Yater landed in an open field near Metula on Friday.")
    (event,) = material(doc)
    assert event.location == gazetteer.lookup("Metula")[0].name
    assert event.sub_event_type == "Shelling/artillery/missile attack"
    assert event.actor1 == "Unidentified Armed Group (Lebanon)"  # nobody named


def test_arrest_types_follow_the_actor(run: Run) -> None:
    foreign = run("Israeli troops detained a farmer near Kfar Kila on Sunday.")
    assert [(e.event_type, e.sub_event_type, e.actor2) for e in material(foreign)] == [
        ("Violence against civilians", "Abduction/forced disappearance", "Civilians (Lebanon)")
    ]
    own = run("The Lebanese army arrested two smugglers in Hermel on Sunday.")
    assert [(e.sub_event_type, e.actor1) for e in material(own)] == [
        ("Arrests", "Military Forces of Lebanon")
    ]


def test_unnamed_people_hit_are_civilians_of_the_place(run: Run) -> None:
    doc = run("An Israeli drone struck a car in Yater on Monday, killing two people.")
    assert [(e.actor2, e.inter2) for e in material(doc)] == [("Civilians (Lebanon)", 7)]


def test_a_country_adjective_names_its_forces(run: Run) -> None:
    doc = run("An Israeli strike on a car in Yater killed two men on Monday.")
    assert [e.actor1 for e in material(doc)] == ["Military Forces of Israel"]


def test_a_sayer_is_a_source_not_the_actor(run: Run) -> None:
    doc = run("The Lebanese army said two people were killed in a drone strike on Yater on Monday.")
    (event,) = material(doc)
    assert event.actor1 == "Unidentified Armed Group (Lebanon)"
    assert event.sources == ("Lebanese army",)
    own = run("The Lebanese army said its troops dismantled a landmine near Rmeish on Monday.")
    assert [e.actor1 for e in material(own)] == ["Military Forces of Lebanon"]


def test_a_lede_landmark_and_the_body_village_are_one_event(run: Run, gazetteer: Gazetteer) -> None:
    doc = run(
        "Israeli warplanes struck near Baalbek on Monday, killing two people.\n"
        "The health ministry said the two were killed in a strike on a farm near the town of "
        "Brital, south of Baalbek."
    )
    assert [e.location for e in material(doc)] == [gazetteer.lookup("Brital")[0].name]


def test_a_separate_strike_in_the_same_sentence_stays_apart(run: Run) -> None:
    doc = run(
        "An Israeli air strike on a house in Bint Jbeil killed two people on Monday, and a "
        "separate drone strike on a car in nearby Aitaroun wounded a man."
    )
    assert len(material(doc)) == 2


def test_protest_without_a_named_group_is_by_protesters(run: Run) -> None:
    doc = run("Hundreds of residents held a protest in Nabatieh on Sunday against the plan.")
    (event,) = material(doc)
    assert (event.event_type, event.sub_event_type) == ("Protests", "Peaceful protest")
    assert event.actor1 == "Protesters (Lebanon)"
    assert event.plover == "PROTEST"


def test_same_type_place_and_day_is_one_event(run: Run) -> None:
    doc = run(
        "Israeli artillery shelled the outskirts of Kfarchouba on Tuesday. "
        "Later on Tuesday, Israeli tanks shelled Kfarchouba again, residents said."
    )
    assert len(material(doc)) == 1


def test_different_days_are_different_events(run: Run) -> None:
    doc = run(
        "An Israeli drone struck a car in Yater on Monday. "
        "On Tuesday, an Israeli drone struck a house in Yater."
    )
    assert sorted(e.event_date for e in material(doc)) == [
        dt.date(2026, 1, 12),
        dt.date(2026, 1, 13),
    ]


def test_planned_meeting_keeps_its_future_date(run: Run) -> None:
    doc = run(
        "Military officers from both countries met in Naqoura on Tuesday. "
        "The next meeting is scheduled for January 28."
    )
    kinds = {(e.plover, e.modality, e.event_date) for e in doc.events}
    assert kinds == {
        ("CONSULT", "asserted", dt.date(2026, 1, 13)),
        ("CONSULT", "planned", dt.date(2026, 1, 28)),
    }


def test_asserted_events_are_never_dated_after_publication(run: Run) -> None:
    doc = run("Both sides agreed to hold elections before the end of the year.", "2026-03-02")
    assert all(
        e.event_date is None or e.event_date <= dt.date(2026, 3, 2)
        for e in doc.events
        if e.modality == "asserted"
    )


def test_background_and_unplaced_mentions_give_no_material_event(run: Run) -> None:
    doc = run(
        "Israeli air raids have intensified since the summer. "
        "An explosion of violence would follow, an analyst said. Clashes were reported."
    )
    assert material(doc) == []


def test_verbal_events_need_no_place(run: Run) -> None:
    doc = run("The Israeli defence minister warned Hezbollah on Monday against rearming.")
    assert [(e.plover, e.modality, e.location) for e in doc.events] == [
        ("THREATEN", "threatened", None)
    ]
    assert doc.events[0].actor1 == "Government of Israel"


def test_event_types_are_acled_spellings(run: Run) -> None:
    doc = run(STRIKE + "\nProtesters burned tyres in Tyre on Sunday. Gunmen clashed in Hermel.")
    for event in doc.events:
        if event.event_type is not None:
            assert event.sub_event_type in ACLED_EVENT_TYPES[event.event_type]


def test_no_publication_date_resolves_only_explicit_dates(pipeline: Pipeline) -> None:
    doc = pipeline(
        Document(id="x", text="An Israeli strike hit Yater on Monday and Khiam on 3 May 2025.")
    )
    assert {e.event_date for e in doc.events} <= {None, dt.date(2025, 5, 3)}
