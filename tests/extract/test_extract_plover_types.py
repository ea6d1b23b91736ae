"""The PLOVER-only types of `truce.extract.verbal_lexicon`: SUPPORT, COOPERATE, AID, RETREAT,
SANCTION and MOBILIZE, each from a few short sentences, and look-alikes that are none."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from truce.core import Event
from truce.extract import Doc

Run = Callable[..., Doc]

ISRAEL_ARMY = "Military Forces of Israel"
LEBANON_ARMY = "Military Forces of Lebanon"


def of_type(doc: Doc, plover: str) -> list[Event]:
    return [e for e in doc.events if e.plover == plover and e.event_type is None]


@pytest.mark.parametrize(
    ("sentence", "plover", "actor1"),
    [
        ("France expressed its full support for the Lebanese army on Tuesday.", "SUPPORT",
         "Government of France"),
        ("Washington backed the plan put forward by Paris.", "SUPPORT",
         "Government of the United States"),
        ("The United States welcomed the decision to extend the truce.", "SUPPORT",
         "Government of the United States"),
        ("The Lebanese army coordinated with UNIFIL in Naqoura on Monday.", "COOPERATE",
         LEBANON_ARMY),
        ("UNIFIL and the Lebanese army conducted joint patrols near Khiam.", "COOPERATE",
         "UNIFIL"),
        ("The Lebanese army shared intelligence with UNIFIL about the launch sites.",
         "COOPERATE", LEBANON_ARMY),
        ("France sent humanitarian aid to Beirut on Monday.", "AID", "Government of France"),
        ("An aid convoy arrived in Tyre on Sunday.", "AID", None),
        ("The United States pledged $50 million in aid to Lebanon.", "AID",
         "Government of the United States"),
        ("Israeli forces withdrew from Khiam on Tuesday.", "RETREAT", ISRAEL_ARMY),
        ("The Israeli army pulled its troops out of Naqoura.", "RETREAT", ISRAEL_ARMY),
        ("Hezbollah evacuated its positions south of the Litani.", "RETREAT", "Hezbollah"),
        ("The United States imposed sanctions on three Hezbollah officials.", "SANCTION",
         "Government of the United States"),
        ("France froze the assets of two Hezbollah financiers.", "SANCTION",
         "Government of France"),
        ("Lebanon expelled the Iranian ambassador on Friday.", "SANCTION", None),
        ("Israel deployed additional troops to the northern border.", "MOBILIZE", ISRAEL_ARMY),
        ("Israel called up 5,000 reservists on Monday.", "MOBILIZE", ISRAEL_ARMY),
        ("Hezbollah sent reinforcements to Bint Jbeil.", "MOBILIZE", "Hezbollah"),
    ],
)  # fmt: skip
def test_each_type_from_its_words(run: Run, sentence: str, plover: str, actor1: str | None) -> None:
    events = of_type(run(sentence), plover)
    assert len(events) == 1, (sentence, [(e.plover, e.event_type) for e in run(sentence).events])
    assert events[0].modality.value == "asserted"
    if actor1 is not None:
        assert events[0].actor1 == actor1


@pytest.mark.parametrize(
    ("sentence", "plover"),
    [
        ("A US-endorsed plan was passed by parliament.", "SUPPORT"),
        ("The minister hailed from Tyre.", "SUPPORT"),
        ("The attackers staged a coordinated assault on the post.", "COOPERATE"),
        ("Aid workers were killed in a strike on Tyre.", "AID"),
        ("Lebanon called for the withdrawal of Israeli forces before the withdrawal deadline.",
         "RETREAT"),
        ("The delegation withdrew from the talks in Naqoura.", "RETREAT"),
        ("Analysts said sanctions had hurt the economy.", "SANCTION"),
        ("They rejected the call for general mobilisation.", "MOBILIZE"),
        ("The army is deployed in the south.", "MOBILIZE"),
    ],
)  # fmt: skip
def test_look_alikes_are_not_events_of_the_type(run: Run, sentence: str, plover: str) -> None:
    assert of_type(run(sentence), plover) == []


def test_a_verbal_trigger_does_not_displace_a_material_one(run: Run) -> None:
    doc = run("The Lebanese army took over the positions in coordination with UNIFIL in Khiam.")
    kinds = {(e.event_type, e.sub_event_type, e.plover) for e in doc.events}
    assert ("Strategic developments", "Non-violent transfer of territory", None) in kinds
    assert (None, None, "COOPERATE") in kinds
