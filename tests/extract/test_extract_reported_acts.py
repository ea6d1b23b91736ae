"""Acts told through someone else's words: complaints, condemnations, counts and victims.

The one who condemns or complains of an act is not its actor, the day it spoke is not the
act's day, a victim named first is still the victim, and a sentence that counts the acts
told after it is not an act of its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from truce.core import Event
from truce.extract import Doc

Run = Callable[..., Doc]
ISRAEL = "Military Forces of Israel"


def material(doc: Doc) -> list[Event]:
    return [e for e in doc.events if e.event_type is not None]


def test_a_condemnation_names_the_condemner_not_the_actor(run: Run) -> None:
    # published Thursday 2026-01-15: "on Thursday" is the statement, "the day before" the act
    doc = run(
        "Lebanon's ministry of agriculture on Thursday condemned an Israeli strike on a "
        "tractor in Kfar Kila the day before, in which a farmer was wounded.",
        published="2026-01-15",
    )
    (strike,) = [e for e in material(doc) if e.sub_event_type == "Air/drone strike"]
    assert strike.actor1 == ISRAEL
    assert strike.event_date == dt.date(2026, 1, 14)
    condemned = [e for e in doc.events if e.plover == "ACCUSE"]
    assert condemned
    assert condemned[0].actor1 == "Government of Lebanon"
    assert condemned[0].event_date == dt.date(2026, 1, 15)


def test_a_complaint_and_a_raised_case_keep_the_acts_actor(run: Run) -> None:
    doc = run(
        "Lebanon filed a complaint with the monitoring committee on Thursday over the Israeli "
        "strikes on Aitaroun early on Tuesday.",
        published="2026-01-15",
    )
    (strike,) = material(doc)
    assert strike.actor1 == ISRAEL
    assert strike.event_date == dt.date(2026, 1, 13)
    raised = run(
        "Lebanon has raised Monday's Israeli drone strike near Tyre with the monitoring "
        "committee, an official said.",
        published="2026-01-15",
    )
    (event,) = material(raised)
    assert event.actor1 == ISRAEL
    assert event.event_date == dt.date(2026, 1, 12)


def test_the_day_a_source_spoke_is_not_the_day_of_the_act(run: Run) -> None:
    doc = run(
        "Lebanese officials on Thursday condemned the demolition of houses in Yaroun by "
        "Israeli troops late on Tuesday.",
        published="2026-01-15",
    )
    (demolition,) = material(doc)
    assert demolition.sub_event_type == "Looting/property destruction"
    assert demolition.actor1 == ISRAEL
    assert demolition.event_date == dt.date(2026, 1, 13)


def test_a_victim_named_first_is_not_the_actor(run: Run) -> None:
    doc = run(
        "A Hezbollah commander was killed in an Israeli drone strike on a car in Nabatieh on "
        "Monday, the group said.",
    )
    (strike,) = material(doc)
    assert strike.actor1 == ISRAEL
    assert strike.actor2 == "Hezbollah"


def test_a_district_inside_a_possessive_gives_way_to_the_place(run: Run) -> None:
    doc = run(
        "The Israeli army said on Tuesday that it had struck a building in Beirut's Haret "
        "Hreik neighbourhood overnight into the morning.",
        published="2026-01-13",
    )
    (strike,) = material(doc)
    assert strike.location == "Haret Hreik"
    assert strike.event_date == dt.date(2026, 1, 13)  # the night ran into the morning


def test_a_sentence_counting_the_strikes_told_after_it_is_not_one_more(run: Run) -> None:
    doc = run(
        "Israeli drones carried out three separate strikes in the Bint Jbeil district on "
        "Monday. In the morning a drone hit a car in Aitaroun, killing one man. Later a drone "
        "struck a motorcycle near Yaroun. A third strike hit an empty house in Maroun al-Ras.",
    )
    strikes = material(doc)
    assert [e.location for e in strikes] == ["Aïtaroun", "Yaroun", "Maroun al-Ras"]
    assert all(e.event_date == dt.date(2026, 1, 12) for e in strikes)
    # the summary names who struck: the strikes told one by one take it
    assert all(e.actor1 == ISRAEL for e in strikes)
    # a count with fewer strikes told after it stays an event of its own
    alone = run("Israeli drones carried out two strikes in the Bint Jbeil district on Monday.")
    (summary,) = material(alone)
    assert summary.location == "Bint Jbeil"
