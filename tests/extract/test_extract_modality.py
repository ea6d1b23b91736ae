"""Modality: asserted, planned, threatened, denied, hypothetical; background is no event."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from truce.core import Modality
from truce.extract import Doc


@pytest.mark.parametrize(
    ("text", "modality"),
    [
        ("An Israeli drone struck a car near Khiam on Monday.", Modality.ASSERTED),
        ("The committee will meet in Naqoura next week.", Modality.PLANNED),
        ("The next meeting is scheduled for January 28.", Modality.PLANNED),
        ("The delegations agreed on Monday to reconvene on February 2.", Modality.ASSERTED),
        ("Israel threatened to strike Beirut.", Modality.THREATENED),
        ("The minister warned Hezbollah on Tuesday.", Modality.THREATENED),
        ("The army denied shelling the village of Yaroun.", Modality.DENIED),
        ("Israeli forces did not strike the town, officials said.", Modality.DENIED),
        ("A strike on the port could cut supplies.", Modality.HYPOTHETICAL),
        ("The army did not comment on the strike in Yater.", Modality.ASSERTED),
        ("There were no clashes in Hermel.", Modality.DENIED),
    ],
)
def test_modality(run: Run, text: str, modality: Modality) -> None:
    doc = run(text)
    assert [doc.modalities[t] for t in doc.triggers][:1] == [modality]


def test_an_agreement_is_asserted_and_what_it_schedules_planned(run: Run) -> None:
    doc = run("The delegations agreed to reconvene on February 2.")
    found = {t.rule: doc.modalities[t] for t in doc.triggers}
    assert found == {"agree": Modality.ASSERTED, "consult": Modality.PLANNED}


@pytest.mark.parametrize(
    ("text", "modality"),
    [
        ("A further meeting of the committee is expected in Naqoura.", Modality.PLANNED),
        ("The envoy said Paris would host a conference in April.", Modality.PLANNED),
        ("US officials urged both sides to return to talks.", Modality.HYPOTHETICAL),
        ("European officials have discussed a reassurance force.", None),
        ("Protesters gathered outside the hall where the cabinet was meeting.", None),
        ("Talks between the two sides on integrating the north-east have stalled.", None),
        ("It excludes prisoners, a sticking point in months of negotiations.", None),
        ("A source familiar with the talks said nothing was decided.", None),
    ],
)
def test_verbal_event_modality(run: Run, text: str, modality: Modality | None) -> None:
    doc = run(text)
    consult = [t for t in doc.triggers if t.plover == "CONSULT"]
    assert consult, text
    assert doc.modalities[consult[0]] == modality


@pytest.mark.parametrize(
    "text",
    [
        "Israeli air raids have intensified across the south.",
        "Strikes since the ceasefire have killed more than 300 people.",
        "Residents fear the repeated strikes on the valley.",
        "Talks were held during both the Trump and Biden administrations.",
        "Qana, where shelling killed more than 100 people in 1996, was quiet.",
        "The square was heavily bombed during the war.",
        "Two shepherds detained near the border last year were freed.",
        "He was suspected of involvement in firing a rocket at Metula.",
    ],
)
def test_background_and_aggregates_are_no_events(run: Run, text: str) -> None:
    doc = run(text)
    assert doc.triggers
    assert all(doc.modalities[t] is None for t in doc.triggers)
    assert doc.events == []


Run = Callable[..., Doc]


def test_a_recent_day_keeps_an_event_that_mentions_the_past(run: Run) -> None:
    doc = run("Supporters rallied in Nabatieh on Monday to honour those killed in the 2024 war.")
    assert [doc.modalities[t] for t in doc.triggers] == [Modality.ASSERTED]


def test_denied_responsibility_is_still_an_event(run: Run) -> None:
    doc = run("Hezbollah denied responsibility for the rocket attack on Metula on Monday.")
    assert [doc.modalities[t] for t in doc.triggers] == [Modality.ASSERTED]
