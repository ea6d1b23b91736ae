"""The trigger lexicon and its refinement by context."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from truce.extract import Doc
from truce.extract.doc import Trigger

Run = Callable[..., Doc]


def triggers(doc: Doc) -> list[tuple[str, str | None, str | None, str | None]]:
    return [(t.rule, t.event_type, t.sub_event_type, t.plover) for t in doc.triggers]


def only(doc: Doc) -> Trigger:
    assert len(doc.triggers) == 1, [t.surface for t in doc.triggers]
    return doc.triggers[0]


@pytest.mark.parametrize(
    ("sentence", "event_type", "sub_event_type", "plover"),
    [
        ("An Israeli drone strike hit a car near Khiam.", "Explosions/Remote violence",
         "Air/drone strike", "ASSAULT"),
        ("Warplanes bombed a hillside outside Yater.", "Explosions/Remote violence",
         "Air/drone strike", "ASSAULT"),
        ("Israeli tanks shelled the edge of Kfarchouba.", "Explosions/Remote violence",
         "Shelling/artillery/missile attack", "ASSAULT"),
        ("Two rockets were fired at Metula from the north.", "Explosions/Remote violence",
         "Shelling/artillery/missile attack", "ASSAULT"),
        ("A landmine exploded under a tractor near Rmeish.", "Explosions/Remote violence",
         "Remote explosive/landmine/IED", "ASSAULT"),
        ("Gunmen clashed with soldiers near Hermel.", "Battles", "Armed clash", "ASSAULT"),
        ("Troops and fighters exchanged fire at the border.", "Battles", "Armed clash",
         "ASSAULT"),
        ("Hundreds held a rally in Sidon.", "Protests", "Peaceful protest", "PROTEST"),
        ("Police arrested three men in Tyre.", "Strategic developments", "Arrests", "COERCE"),
        ("Soldiers dismantled a rocket launcher found in an orchard near Marjayoun.",
         "Strategic developments", "Disrupted weapons use", "COERCE"),
        ("The army took over two positions near Alma al-Shaab.", "Strategic developments",
         "Non-violent transfer of territory", None),
        ("A drone dropped a grenade on a bulldozer in Blida.", "Explosions/Remote violence",
         "Grenade", "ASSAULT"),
        ("Troops blew up three houses in Kfar Kila.", "Strategic developments",
         "Looting/property destruction", "COERCE"),
        ("Israel released four detainees at the crossing.", "Strategic developments",
         "Agreement", "CONCEDE"),
        ("Soldiers seized a shepherd near the fence.", "Strategic developments", "Arrests",
         "COERCE"),
        ("The envoys met in Naqoura.", None, None, "CONSULT"),
        ("Both delegations agreed to extend the truce.", None, None, "AGREE"),
        ("The minister warned of a wider war.", None, None, "THREATEN"),
        ("The president called on the sponsors to act.", None, None, "REQUEST"),
        ("The army accused the group of smuggling.", None, None, "ACCUSE"),
        ("The party rejected the proposal.", None, None, "REJECT"),
    ],
)  # fmt: skip
def test_lexicon_types(
    run: Run, sentence: str, event_type: str | None, sub_event_type: str | None, plover: str | None
) -> None:
    trigger = only(run(sentence))
    assert (trigger.event_type, trigger.sub_event_type, trigger.plover) == (
        event_type,
        sub_event_type,
        plover,
    )


def test_instrument_picks_the_strike_sub_type(run: Run) -> None:
    assert only(run("Artillery strikes hit the outskirts of Khiam.")).sub_event_type == (
        "Shelling/artillery/missile attack"
    )
    assert only(run("A drone fired a missile at a car in Bint Jbeil.")).sub_event_type == (
        "Air/drone strike"
    )


def test_what_protesters_did_picks_the_sub_type(run: Run) -> None:
    riot = run("Protesters gathered in Tyre. They burned tyres and blocked the highway.")
    assert {(t.event_type, t.sub_event_type) for t in riot.triggers} == {
        ("Riots", "Violent demonstration")
    }
    dispersed = run("Students held a protest in Sidon until police dispersed them.")
    assert only(dispersed).sub_event_type == "Protest with intervention"


def test_weapons_found_are_disrupted_not_exploded(run: Run) -> None:
    doc = run("Army engineers found and defused an explosive device near Rmeish.")
    assert [t.sub_event_type for t in doc.triggers] == ["Disrupted weapons use"]


def test_words_that_only_look_like_triggers(run: Run) -> None:
    text = (
        "Workers went on a general strike in Beirut. The minister struck a deal with unions. "
        "The tunnel plan failed to meet its deadline. Riot police stood by."
    )
    assert [t.rule for t in run(text).triggers if t.event_type] == []


def test_one_trigger_per_type_and_clause(run: Run) -> None:
    doc = run("Israeli artillery responded by shelling the hills near Shebaa.")
    assert len([t for t in doc.triggers if t.event_type]) == 1
    assert doc.triggers[0].response


def test_anaphora_and_plurals_are_marked(run: Run) -> None:
    doc = run("Israeli strikes hit two towns on Monday. The strike on Yater killed a man.")
    first, second = doc.triggers
    assert (first.plural, first.anaphoric) == (True, False)
    assert (second.plural, second.anaphoric) == (False, True)


def test_conditional_threat(run: Run) -> None:
    doc = run("The minister said Israel would respond with force if the attacks continued.")
    assert ("conditional_threat", None, None, "THREATEN") in triggers(doc)
