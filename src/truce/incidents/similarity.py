"""Whether two events may be one happening, and how alike they are.

Each event is reduced once to a `Features` record (plain slots, no pydantic) so that the
pair check in the linker's hot loop touches only floats, ints and small strings.
`check_pair` applies the hard checks first (any failure makes the pair incompatible) and
then the weighted score; `explain_link` runs the same code and reports every check.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from truce.core.errors import ConfigError
from truce.core.models import Event
from truce.core.vocab import GeoPrecision, Plover, TimePrecision
from truce.geo.distance import distance_km
from truce.geo.names import fold

#: the PLOVER type of an ACLED event type (or sub-event type) when the event carries none;
#: events meet in a block only if these agree, so a battle never meets a protest
ACLED_TO_PLOVER: Final = {
    "Battles": Plover.ASSAULT,
    "Explosions/Remote violence": Plover.ASSAULT,
    "Violence against civilians": Plover.ASSAULT,
    "Protests": Plover.PROTEST,
    "Riots": Plover.PROTEST,
    "Agreement": Plover.AGREE,
    "Arrests": Plover.COERCE,
    "Disrupted weapons use": Plover.COERCE,
    "Looting/property destruction": Plover.ASSAULT,
    "Headquarters or base established": Plover.MOBILIZE,
    "Non-violent transfer of territory": Plover.CONCEDE,
}

_WORDS: Final = re.compile(r"[^\W\d_]{3,}")
_STOPWORDS: Final = frozenset(
    """the and for with from that this was were are has had have been its his her their
    they them said says say according after before near into onto over under while when
    where which who whom what also than then there here about against between during
    without within upon any all some one two three other more most such not nor but
    on in at of to by an as is it be or""".split()  # noqa: SIM905 (a word list reads best as text)
)


#: PLOVER types whose actors are participants, not a perpetrator and a target: a meeting of
#: Lebanon and Israel is the same meeting whichever delegation a report names first
SYMMETRIC_FAMILIES: Final = frozenset({"CONSULT", "AGREE", "COOPERATE"})

#: parts of the day a report may give, as an hour; a word said of the report itself ("said
#: on Tuesday evening") is skipped
_WEEKDAY: Final = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
#: words without which no part of the day is named: most sentences skip the full pattern
_PART_WORDS: Final = (
    "dawn", "early", "daybreak", "night", "late", "morning", "noon", "midday", "afternoon",
    "evening", "dusk",
)  # fmt: skip
_PARTS_OF_DAY: Final = re.compile(
    # one pass; where two readings start at one place the first listed wins
    rf"(?P<h17>\blate\s+(?:on\s+)?{_WEEKDAY}\s+afternoon\b|\blate\s+afternoon\b)"
    r"|(?P<h5>\b(?:before|at)\s+dawn\b|\bearly\s+hours\b|\bdaybreak\b"
    rf"|\bearly\s+on\s+{_WEEKDAY}\b(?!\s+(?:morning|afternoon|evening|night)))"
    rf"|(?P<h1>\bovernight(?:\s+into\s+(?:the\s+morning|{_WEEKDAY}))?|\bmidnight\b)"
    rf"|(?P<h22>\b(?:at|late\s+at|during\s+the|in\s+the)\s+night\b|\b{_WEEKDAY}\s+night\b)"
    rf"|(?P<h21>\blate\s+(?:on\s+)?{_WEEKDAY}\b(?!\s+(?:morning|afternoon)))"
    r"|(?P<h9>\bmorning\b)"
    r"|(?P<h12>\bmidday\b|\bnoon\b)"
    r"|(?P<h15>\bafternoon\b)"
    r"|(?P<h19>\bevening\b|\bdusk\b)",
    re.I,
)
_SAID_BEFORE: Final = re.compile(
    r"\b(?:said|says|told|reported|announced|stated|added|condemned|statement)\b[^,.;]{0,30}$",
    re.I,
)
#: hours apart beyond which two reports' parts of the day name different moments
TIME_OF_DAY_TOLERANCE_HOURS: Final = 5
#: an hour of the night, when a report's date may fall on either side of midnight
_NIGHT_HOURS: Final = frozenset({21, 22, 1, 5})


def part_of_day(text: str) -> int | None:
    """The hour a report's wording puts the happening at ("on Tuesday morning": 9), or None
    when it gives no part of the day, or gives several."""
    lowered = text.lower()
    if not any(word in lowered for word in _PART_WORDS):
        return None
    found: set[int] = set()
    for match in _PARTS_OF_DAY.finditer(text):
        if _SAID_BEFORE.search(text, max(0, match.start() - 45), match.start()):
            continue
        found.add(int(str(match.lastgroup)[1:]))
    return found.pop() if len(found) == 1 else None


def hours_apart(a: int, b: int) -> int:
    """Hours between two times of day, around the clock."""
    gap = abs(a - b) % 24
    return min(gap, 24 - gap)


@dataclass(frozen=True, slots=True)
class LinkWeights:
    """How much each kind of agreement counts in a pair's score (normalised by their sum)."""

    type: float = 0.15
    date: float = 0.20
    place: float = 0.25
    actors: float = 0.15
    wording: float = 0.25

    def __post_init__(self) -> None:
        values = (self.type, self.date, self.place, self.actors, self.wording)
        if any(not math.isfinite(v) or v < 0 for v in values) or sum(values) <= 0:
            raise ConfigError(f"link weights must be finite, >= 0 and not all 0: {values}")


@dataclass(frozen=True, slots=True)
class LinkSettings:
    """What makes two reports one incident (see the package docstring for the defaults)."""

    max_km: float = 10.0
    day_slack_days: int = 0
    week_slack_days: int = 7
    month_slack_days: int = 31
    min_similarity: float = 0.55
    weights: LinkWeights = LinkWeights()
    #: actor name -> the party it counts for (built by callers from the theatre pack): two
    #: different actors of one party (a government and its army) may be one incident's
    actor_parties: Mapping[str, str] = field(default_factory=dict, hash=False)
    _party_keys: dict[str, str] = field(
        init=False, repr=False, compare=False, hash=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        keys = {}
        for name, party in self.actor_parties.items():
            key = _actor(name)
            if key is not None and party:
                keys[key] = party
        object.__setattr__(self, "_party_keys", keys)
        if not (math.isfinite(self.max_km) and 0 < self.max_km <= 500):
            raise ConfigError(f"max_km must be in (0, 500], not {self.max_km}")
        slacks = (self.day_slack_days, self.week_slack_days, self.month_slack_days)
        if any(s < 0 for s in slacks):
            raise ConfigError(f"date slacks must be >= 0 days, not {slacks}")
        if not 0 <= self.min_similarity <= 1:
            raise ConfigError(f"min_similarity must be in [0, 1], not {self.min_similarity}")

    def party_of(self, actor_key: str | None) -> str | None:
        """The party of an actor, by its comparison key, if the map gives one."""
        return self._party_keys.get(actor_key) if actor_key is not None else None

    def slack_days(self, precision: TimePrecision) -> int:
        """How many days apart two dates may be when the coarser one has this precision."""
        if precision == TimePrecision.DAY:
            return self.day_slack_days
        if precision == TimePrecision.WEEK:
            return self.week_slack_days
        return self.month_slack_days


@dataclass(slots=True)
class Features:
    """What the pair check needs of one event, computed once."""

    index: int
    document: str
    family: str  # derived PLOVER type, or the ACLED type when it maps to none
    event_type: str | None
    sub_event_type: str | None
    modality: str
    day: int  # proleptic ordinal; -1 when the event has no date
    coarse_date: bool
    date_slack: int  # the precision's slack
    slack: int  # the days blocking probes: the date slack, at least 1 for a night-time report
    hour: int  # the part of the day the wording gives, -1 if none
    point: bool  # coordinates known to the town or near it (geo precision 1 or 2)
    lat: float
    lon: float
    name: str | None  # folded location of a point-like event
    admin: str | None  # folded admin1 (or, for a region-only event, its location)
    region_only: bool
    country: str
    actor1: str | None
    actor2: str | None
    party1: str | None
    symmetric: bool  # actors are participants (a meeting): compared as a set
    words: tuple[str, ...]  # content words, sorted


def content_words(text: str) -> tuple[str, ...]:
    """The wording's distinct content words, case-folded, a plural 's' dropped, sorted.

    A sorted tuple of interned strings, not a set: a million events' word sets would take
    several times the memory.
    """
    out = set()
    for word in _WORDS.findall(text.casefold()):
        if word not in _STOPWORDS:
            out.add(sys.intern(word[:-1] if len(word) > 4 and word.endswith("s") else word))
    return tuple(sorted(out))


def _jaccard(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    if not a or not b:
        return 0.0
    shared = len(set(a).intersection(b))
    return shared / (len(a) + len(b) - shared)


@functools.lru_cache(maxsize=1 << 16)
def _folded(name: str) -> str:
    """A place name's folded key, one shared string per name."""
    return fold(name)


@functools.lru_cache(maxsize=1 << 16)
def _actor(name: str | None) -> str | None:
    """The actor's comparison key; ACLED's "Unidentified ..." placeholders say only that the
    report did not name the actor, so they count as unknown, not as a different actor."""
    if name is None:
        return None
    key = " ".join(name.casefold().split())
    if not key or key.startswith("unidentified"):
        return None
    return key


def _family(event: Event) -> str:
    if event.plover is not None:
        return str(event.plover)
    assert event.event_type is not None  # Event guarantees one of the two
    mapped = ACLED_TO_PLOVER.get(event.sub_event_type or "") or ACLED_TO_PLOVER.get(
        event.event_type
    )
    return str(mapped) if mapped is not None else f"ACLED:{event.event_type}"


def features(index: int, document: str, event: Event, settings: LinkSettings) -> Features:
    """Reduce one event to what the pair check needs."""
    has_point = event.latitude is not None and event.longitude is not None
    region_only = event.geo_precision == GeoPrecision.REGION
    point = has_point and not region_only
    location = _folded(event.location) if event.location else None
    admin = _folded(event.admin1) if event.admin1 else None
    if region_only and admin is None:
        admin = location  # ACLED names the region itself as the location
    family = _family(event)
    date_slack = settings.slack_days(event.time_precision)
    hour = part_of_day(event.evidence.text)
    night = hour in _NIGHT_HOURS
    actor1 = _actor(event.actor1)
    return Features(
        index=index,
        document=document,
        family=family,
        event_type=event.event_type,
        sub_event_type=event.sub_event_type,
        modality=str(event.modality),
        day=event.event_date.toordinal() if event.event_date is not None else -1,
        coarse_date=event.time_precision != TimePrecision.DAY,
        date_slack=date_slack,
        slack=max(date_slack, 1) if night else date_slack,
        hour=-1 if hour is None else hour,
        point=point,
        lat=event.latitude if point and event.latitude is not None else math.nan,
        lon=event.longitude if point and event.longitude is not None else math.nan,
        name=None if region_only else location or None,
        admin=admin or None,
        region_only=region_only,
        country=event.country or "",
        actor1=actor1,
        actor2=_actor(event.actor2),
        party1=settings.party_of(actor1),
        symmetric=family in SYMMETRIC_FAMILIES,
        words=content_words(event.evidence.text),
    )


def check_pair(
    a: Features, b: Features, settings: LinkSettings, failed: list[str] | None = None
) -> float:
    """The pair's score in [0, 1], or -1.0 when a hard check fails.

    With `failed` given, every check runs and the names of those that failed are appended
    (for `explain_link`); without it the first failure returns at once (the linker's path).
    """
    ok = True

    def fail(check: str) -> bool:
        nonlocal ok
        ok = False
        if failed is not None:
            failed.append(check)
        return failed is None

    if a.document == b.document and fail("same document"):
        return -1.0
    if a.modality != b.modality and fail("modality"):
        return -1.0
    # type: one family, and one ACLED event type when both have one
    type_score = 1.0
    if a.family != b.family:
        if fail("type"):
            return -1.0
    elif a.event_type is not None and b.event_type is not None:
        if a.event_type != b.event_type:
            if fail("type"):
                return -1.0
        elif a.sub_event_type != b.sub_event_type:
            type_score = 0.7
    else:
        type_score = 0.6
    # date: within the coarser precision's slack (a day either way when both reports are
    # of the night: one dates it before midnight, another after); the parts of the day
    # both reports give within TIME_OF_DAY_TOLERANCE_HOURS
    date_score = 0.0
    if a.day < 0 or b.day < 0:
        if fail("date"):
            return -1.0
    else:
        apart = abs(a.day - b.day)
        window = a.date_slack if a.date_slack > b.date_slack else b.date_slack
        if a.slack > a.date_slack and b.slack > b.date_slack and window < 1:
            window = 1
        if apart > window:
            if fail("date"):
                return -1.0
        else:
            date_score = 1.0 - apart / (window + 1)
            if a.coarse_date or b.coarse_date:
                date_score *= 0.7
        if (
            apart == 0
            and a.hour >= 0
            and b.hour >= 0
            and hours_apart(a.hour, b.hour) > TIME_OF_DAY_TOLERANCE_HOURS
            and fail("time of day")
        ):
            return -1.0
    # place: one country; a distance when both are points, else the same name or region;
    # two differently named places count as near only up to half of `max_km`
    place_score = 0.0
    if a.country and b.country and a.country != b.country:
        if fail("place"):
            return -1.0
    elif a.point and b.point:
        km = distance_km(a.lat, a.lon, b.lat, b.lon)
        if km <= settings.max_km:
            if a.name is not None and b.name is not None and a.name != b.name:
                place_score = max(0.0, 1.0 - 2.0 * km / settings.max_km)
            else:
                place_score = 1.0 - 0.5 * km / settings.max_km
        elif a.name is not None and a.name == b.name and a.country == b.country:
            place_score = 0.5  # one named place geocoded two ways
        elif fail("place"):
            return -1.0
    elif a.region_only or b.region_only:
        if a.admin is not None and a.admin == b.admin and a.country == b.country:
            place_score = 0.3
        elif fail("place"):
            return -1.0
    elif a.name is not None and a.name == b.name and a.country == b.country:
        place_score = 0.6
    elif fail("place"):
        return -1.0
    # actors: the same actor1 (or one unknown, or two of one party); actor1 and actor2
    # swapped is another event. A meeting's actors are participants: compared as sets.
    actor_score = 0.0
    if a.symmetric and b.symmetric:
        mine = {x for x in (a.actor1, a.actor2) if x is not None}
        theirs = {x for x in (b.actor1, b.actor2) if x is not None}
        if mine and theirs:
            actor_score = 0.2 + 0.8 * len(mine & theirs) / len(mine | theirs)
        else:
            actor_score = 0.5
    else:
        if a.actor1 is not None and b.actor1 is not None:
            if a.actor1 == b.actor1:
                actor_score += 0.6
            elif a.party1 is not None and a.party1 == b.party1:
                actor_score += 0.3
            elif fail("actors"):
                return -1.0
        else:
            actor_score += 0.3
        if a.actor2 is None or b.actor2 is None:
            actor_score += 0.2
        elif a.actor2 == b.actor2:
            actor_score += 0.4
    if not ok:
        return -1.0
    wording = _jaccard(a.words, b.words)
    w = settings.weights
    total = w.type + w.date + w.place + w.actors + w.wording
    return (
        w.type * type_score
        + w.date * date_score
        + w.place * place_score
        + w.actors * actor_score
        + w.wording * wording
    ) / total


@dataclass(frozen=True, slots=True)
class LinkDecision:
    """Why two events are, or are not, linked."""

    compatible: bool
    linked: bool  # compatible and scoring at least the settings' min_similarity
    score: float  # 0.0 when not compatible
    failed: tuple[str, ...]  # the hard checks that failed: same document, modality, type,
    # date, time of day, place, actors
    distance_km: float | None
    days_apart: int | None
    wording: float


def wording_similarity(a: Features, b: Features) -> float:
    """Jaccard similarity of the two evidence sentences' content words."""
    return _jaccard(a.words, b.words)


def decide(a: Features, b: Features, settings: LinkSettings) -> LinkDecision:
    """Every check of the pair, for people and tests."""
    failed: list[str] = []
    score = check_pair(a, b, settings, failed)
    compatible = not failed
    return LinkDecision(
        compatible=compatible,
        linked=compatible and score >= settings.min_similarity,
        score=round(score, 6) if compatible else 0.0,
        failed=tuple(failed),
        distance_km=distance_km(a.lat, a.lon, b.lat, b.lon) if a.point and b.point else None,
        days_apart=abs(a.day - b.day) if a.day >= 0 and b.day >= 0 else None,
        wording=wording_similarity(a, b),
    )


def published_utc(value: dt.datetime | dt.date | None) -> dt.datetime | None:
    """A publication time as an aware UTC datetime (a date is its midnight, naive is UTC)."""
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)
