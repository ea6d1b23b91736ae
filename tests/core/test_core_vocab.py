"""ACLED and PLOVER vocabularies: complete, spelled as the codebooks spell them, enforced."""

from __future__ import annotations

import pytest

from truce.core import ACLED_EVENT_TYPES, ACLED_SUB_EVENT_TYPES, Inter, Modality, Plover
from truce.core.errors import TruceError, VocabularyError
from truce.core.vocab import GeoPrecision, TimePrecision, check_event_type


def test_acled_has_six_event_types_and_twenty_five_sub_types() -> None:
    assert sorted(ACLED_EVENT_TYPES) == [
        "Battles",
        "Explosions/Remote violence",
        "Protests",
        "Riots",
        "Strategic developments",
        "Violence against civilians",
    ]
    assert len(ACLED_SUB_EVENT_TYPES) == 25
    assert ACLED_SUB_EVENT_TYPES["Air/drone strike"] == "Explosions/Remote violence"
    assert ACLED_SUB_EVENT_TYPES["Shelling/artillery/missile attack"] == (
        "Explosions/Remote violence"
    )
    assert ACLED_SUB_EVENT_TYPES["Remote explosive/landmine/IED"] == "Explosions/Remote violence"
    assert ACLED_SUB_EVENT_TYPES["Abduction/forced disappearance"] == "Violence against civilians"
    assert ACLED_SUB_EVENT_TYPES["Headquarters or base established"] == "Strategic developments"
    assert ACLED_SUB_EVENT_TYPES["Excessive force against protesters"] == "Protests"


def test_plover_has_its_sixteen_types() -> None:
    assert {p.value for p in Plover} == {
        "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
        "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
    }  # fmt: skip


def test_codes() -> None:
    assert [i.value for i in Inter] == list(range(1, 9))
    assert Inter(7).name == "CIVILIANS"
    assert [t.value for t in TimePrecision] == [1, 2, 3]
    assert [g.value for g in GeoPrecision] == [1, 2, 3]
    assert {m.value for m in Modality} == {
        "asserted",
        "planned",
        "threatened",
        "denied",
        "hypothetical",
    }


@pytest.mark.parametrize(
    ("event_type", "sub_event_type"),
    [(e, s) for s, e in ACLED_SUB_EVENT_TYPES.items()] + [("Battles", None), (None, None)],
)
def test_valid_pairs_pass(event_type: str | None, sub_event_type: str | None) -> None:
    check_event_type(event_type, sub_event_type)


@pytest.mark.parametrize(
    ("event_type", "sub_event_type", "message"),
    [
        ("Battle", None, "unknown ACLED event type 'Battle'"),
        ("Battles", "Air strike", "unknown ACLED sub-event type 'Air strike'"),
        ("Battles", "Air/drone strike", "belongs to 'Explosions/Remote violence'"),
        (None, "Armed clash", "without its event type"),
        ("battles", None, "unknown ACLED event type"),  # case matters: ACLED's exact spelling
    ],
)
def test_invalid_pairs_name_the_problem(
    event_type: str | None, sub_event_type: str | None, message: str
) -> None:
    with pytest.raises(VocabularyError, match=message) as caught:
        check_event_type(event_type, sub_event_type)
    assert isinstance(caught.value, TruceError)
