"""The agreement check in words: what an event was, where, when, and whom a clause binds.

Every phrase is built from the event's own fields, the pack's actors, parties and zones, and
the clause's text; nothing here knows a particular theatre.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from truce.core.models import Actor, Event
from truce.core.vocab import VIOLENT_EVENT_TYPES, Plover, TimePrecision
from truce.geo.zones import Zone
from truce.theatre.agreement import Clause, Condition, Window

#: PLOVER types as nouns, for events coded with PLOVER alone
PLOVER_NOUNS: Final = {
    Plover.AGREE: "Agreement",
    Plover.CONSULT: "Consultation",
    Plover.SUPPORT: "Support",
    Plover.CONCEDE: "Concession",
    Plover.COOPERATE: "Cooperation",
    Plover.AID: "Aid",
    Plover.RETREAT: "Retreat",
    Plover.REQUEST: "Request",
    Plover.ACCUSE: "Accusation",
    Plover.REJECT: "Rejection",
    Plover.THREATEN: "Threat",
    Plover.PROTEST: "Protest",
    Plover.SANCTION: "Sanction",
    Plover.MOBILIZE: "Mobilisation",
    Plover.COERCE: "Coercion",
    Plover.ASSAULT: "Assault",
}
#: how many different happenings one reason spells out before counting the rest
MAX_DESCRIBED: Final = 3


@dataclass(frozen=True)
class EventFacts:
    """What the check needs of one event, worked out once: its actors, their parties, and
    the zones its point lies in (in the pack's zone order)."""

    event: Event
    actor1: Actor | None
    actor2: Actor | None
    zones: tuple[Zone, ...]

    @property
    def acting_party(self) -> str | None:
        return self.actor1.party if self.actor1 is not None else None

    @property
    def target_party(self) -> str | None:
        return self.actor2.party if self.actor2 is not None else None


def day(value: dt.date) -> str:
    """14 January 2025."""
    return f"{value.day} {value:%B %Y}"


def when(event: Event) -> str:
    """The event's date at its precision: on a day, in the week of a day, in a month."""
    if event.event_date is None:
        return "on an unknown date"
    if event.time_precision == TimePrecision.MONTH:
        return f"in {event.event_date:%B %Y}"
    if event.time_precision == TimePrecision.WEEK:
        return f"in the week of {day(event.event_date)}"
    return f"on {day(event.event_date)}"


def window_words(window: Window) -> str:
    """From 27 November 2024 on / from 27 November 2024 to 18 February 2025."""
    if window.end is None:
        return f"from {day(window.start)} on"
    return f"from {day(window.start)} to {day(window.end)}"


def actor_words(actor: Actor | None, text: str | None) -> str | None:
    """The actor's canonical name, else the text the event gives, else None."""
    if actor is not None:
        return actor.name
    return text or None


def what(facts: EventFacts) -> str:
    """The kind of event and who took part: 'Air/drone strike by X against Y'."""
    event = facts.event
    kind = event.sub_event_type or event.event_type
    if kind is None:
        kind = PLOVER_NOUNS[event.plover] if event.plover is not None else "Event"
    acting = actor_words(facts.actor1, event.actor1)
    other = actor_words(facts.actor2, event.actor2)
    if event.event_type == "Battles" and acting and other:
        return f"{kind} between {acting} and {other}"
    phrase = f"{kind} by {acting}" if acting else kind
    if other:
        violent = event.event_type in VIOLENT_EVENT_TYPES or event.plover == Plover.ASSAULT
        phrase += f" against {other}" if violent else f" involving {other}"
    return phrase


def where(facts: EventFacts) -> str:
    """Place, admin-1 area and the named zones (not illustrative ones) the point lies in."""
    event = facts.event
    admin1 = event.admin1 or next(
        (zone.admin1 or zone.name for zone in facts.zones if zone.admin_level == 1), None
    )
    # illustrative zones only illustrate an idea: being inside one is no fact about the event
    areas = [z.name for z in facts.zones if z.kind != "admin" and not z.illustrative]
    details = [admin1] if admin1 else []
    if areas:
        details.append("inside " + " and ".join(areas))
    if event.location:
        place = event.location
    elif event.latitude is not None and event.longitude is not None:
        place = f"{event.latitude:.4f}, {event.longitude:.4f}"
    elif admin1:
        place, details = admin1, details[1:]
    elif event.country:
        return f"in country {event.country} (no place given)"
    else:
        return "at a place not given"
    return f"in {place} ({'; '.join(details)})" if details else f"in {place}"


def describe(facts: EventFacts) -> str:
    """One event in words: who did what, where, when."""
    return f"{what(facts)} {where(facts)} {when(facts.event)}"


def describe_all(members: Sequence[EventFacts]) -> str:
    """Several events in words, each different happening once with its number of reports."""
    counts = Counter(describe(facts) for facts in members)
    parts = [
        f"{text} ({count} reports)" if count > 1 else text
        for text, count in list(counts.items())[:MAX_DESCRIBED]
    ]
    rest = len(counts) - MAX_DESCRIBED
    if rest > 0:
        parts.append(f"and {rest} more {'event' if rest == 1 else 'events'}")
    return "; ".join(parts)


def party_name(parties: Mapping[str, str], party_id: str) -> str:
    """A party's name: its description in actors.yaml up to the first comma ('the State of
    Israel'), or its id when the pack does not describe it."""
    description = parties.get(party_id, "").split(",")[0].strip()
    return description or party_id


def sentence(text: str) -> str:
    """The text with a capital first letter and a closing full stop."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def commitment(
    clause: Clause,
    index: int,
    condition: Condition,
    *,
    party: str,
    acting: Iterable[str],
    parties: Mapping[str, str],
) -> str:
    """Which commitment the events bear on and whom it binds, with the condition's note."""
    heading = f"clause {clause.number}, {clause.title}"
    bound = party_name(parties, party)
    others = [party_name(parties, p) for p in dict.fromkeys(acting) if p != party]
    answers = f" (answerable here for {' and '.join(others)})" if others else ""
    if condition.effect == "violation":
        text = f"Candidate violation of {heading}, which binds {bound}{answers}: "
    else:
        text = f"Counts towards {heading}, a commitment of {bound}{answers}: "
    text += sentence(clause.summary)
    if condition.note:
        text += f" (Condition {index + 1}: {sentence(condition.note)})"
    return text


def reason(
    members: Sequence[EventFacts],
    clause: Clause,
    index: int,
    condition: Condition,
    *,
    party: str,
    parties: Mapping[str, str],
) -> str:
    """The reason of a candidate: the events, then the commitment they bear on."""
    acting = [facts.acting_party for facts in members if facts.acting_party is not None]
    return (
        sentence(describe_all(members))
        + " "
        + commitment(clause, index, condition, party=party, acting=acting, parties=parties)
    )
