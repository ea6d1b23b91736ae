"""Controlled vocabularies: ACLED's event taxonomy and codes, PLOVER, the contract's enums.

Spellings follow ACLED's codebook exactly, because researchers join truce's exports to
ACLED downloads on these strings.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum
from types import MappingProxyType
from typing import Final

from truce.core.errors import VocabularyError

ACLED_EVENT_TYPES: Final = MappingProxyType(
    {
        "Battles": (
            "Government regains territory",
            "Non-state actor overtakes territory",
            "Armed clash",
        ),
        "Protests": (
            "Excessive force against protesters",
            "Protest with intervention",
            "Peaceful protest",
        ),
        "Riots": (
            "Violent demonstration",
            "Mob violence",
        ),
        "Explosions/Remote violence": (
            "Chemical weapon",
            "Air/drone strike",
            "Suicide bomb",
            "Shelling/artillery/missile attack",
            "Remote explosive/landmine/IED",
            "Grenade",
        ),
        "Violence against civilians": (
            "Sexual violence",
            "Attack",
            "Abduction/forced disappearance",
        ),
        "Strategic developments": (
            "Agreement",
            "Arrests",
            "Change to group/activity",
            "Disrupted weapons use",
            "Headquarters or base established",
            "Looting/property destruction",
            "Non-violent transfer of territory",
            "Other",
        ),
    }
)

#: sub-event type -> its event type
ACLED_SUB_EVENT_TYPES: Final = MappingProxyType(
    {sub: event for event, subs in ACLED_EVENT_TYPES.items() for sub in subs}
)

#: event types whose events are "political violence" in ACLED's sense (map styling, counts)
VIOLENT_EVENT_TYPES: Final = frozenset(
    {"Battles", "Explosions/Remote violence", "Violence against civilians"}
)


class Inter(IntEnum):
    """ACLED actor-type ("inter") codes."""

    STATE_FORCES = 1
    REBEL_GROUPS = 2
    POLITICAL_MILITIAS = 3
    IDENTITY_MILITIAS = 4
    RIOTERS = 5
    PROTESTERS = 6
    CIVILIANS = 7
    EXTERNAL_OTHER_FORCES = 8


class TimePrecision(IntEnum):
    """ACLED time precision: how exactly the event date is known."""

    DAY = 1
    WEEK = 2
    MONTH = 3


class GeoPrecision(IntEnum):
    """ACLED geo precision: how exactly the location is known."""

    TOWN = 1  # the town or village itself
    NEAR_OR_PART = 2  # near a town, or a part of a region
    REGION = 3  # only the larger region


class Plover(StrEnum):
    """The 16 PLOVER event types."""

    AGREE = "AGREE"
    CONSULT = "CONSULT"
    SUPPORT = "SUPPORT"
    CONCEDE = "CONCEDE"
    COOPERATE = "COOPERATE"
    AID = "AID"
    RETREAT = "RETREAT"
    REQUEST = "REQUEST"
    ACCUSE = "ACCUSE"
    REJECT = "REJECT"
    THREATEN = "THREATEN"
    PROTEST = "PROTEST"
    SANCTION = "SANCTION"
    MOBILIZE = "MOBILIZE"
    COERCE = "COERCE"
    ASSAULT = "ASSAULT"


class Modality(StrEnum):
    """How the text presents an event (see the extract contract)."""

    ASSERTED = "asserted"
    PLANNED = "planned"
    THREATENED = "threatened"
    DENIED = "denied"
    HYPOTHETICAL = "hypothetical"


def check_event_type(event_type: str | None, sub_event_type: str | None) -> None:
    """Raise VocabularyError unless the pair is a valid ACLED (event type, sub-event type)."""
    if event_type is not None and event_type not in ACLED_EVENT_TYPES:
        raise VocabularyError(
            f"unknown ACLED event type {event_type!r}; expected one of "
            + ", ".join(ACLED_EVENT_TYPES)
        )
    if sub_event_type is None:
        return
    parent = ACLED_SUB_EVENT_TYPES.get(sub_event_type)
    if parent is None:
        raise VocabularyError(f"unknown ACLED sub-event type {sub_event_type!r}")
    if event_type is None:
        raise VocabularyError(f"sub-event type {sub_event_type!r} given without its event type")
    if parent != event_type:
        raise VocabularyError(
            f"sub-event type {sub_event_type!r} belongs to {parent!r}, not {event_type!r}"
        )
