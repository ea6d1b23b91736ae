"""Whether two events may be one happening, and how alike they are.

Each event is reduced once to a `Features` record (plain slots, no pydantic) so that the
pair check in the linker's hot loop touches only floats, ints and small strings.
`check_pair` applies the hard checks first (any failure makes the pair incompatible) and
then the weighted score; `explain_link` runs the same code and reports every check.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
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

    def __post_init__(self) -> None:
        if not (math.isfinite(self.max_km) and 0 < self.max_km <= 500):
            raise ConfigError(f"max_km must be in (0, 500], not {self.max_km}")
        slacks = (self.day_slack_days, self.week_slack_days, self.month_slack_days)
        if any(s < 0 for s in slacks):
            raise ConfigError(f"date slacks must be >= 0 days, not {slacks}")
        if not 0 <= self.min_similarity <= 1:
            raise ConfigError(f"min_similarity must be in [0, 1], not {self.min_similarity}")

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
    slack: int
    point: bool  # coordinates known to the town or near it (geo precision 1 or 2)
    lat: float
    lon: float
    name: str | None  # folded location of a point-like event
    admin: str | None  # folded admin1 (or, for a region-only event, its location)
    region_only: bool
    country: str
    actor1: str | None
    actor2: str | None
    words: frozenset[str]


def content_words(text: str) -> frozenset[str]:
    """The wording's content words, case-folded, a plural 's' dropped."""
    out = set()
    for word in _WORDS.findall(text.casefold()):
        if word not in _STOPWORDS:
            out.add(word[:-1] if len(word) > 4 and word.endswith("s") else word)
    return frozenset(out)


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
    location = fold(event.location) if event.location else None
    admin = fold(event.admin1) if event.admin1 else None
    if region_only and admin is None:
        admin = location  # ACLED names the region itself as the location
    return Features(
        index=index,
        document=document,
        family=_family(event),
        event_type=event.event_type,
        sub_event_type=event.sub_event_type,
        modality=str(event.modality),
        day=event.event_date.toordinal() if event.event_date is not None else -1,
        coarse_date=event.time_precision != TimePrecision.DAY,
        slack=settings.slack_days(event.time_precision),
        point=point,
        lat=event.latitude if point and event.latitude is not None else math.nan,
        lon=event.longitude if point and event.longitude is not None else math.nan,
        name=None if region_only else location or None,
        admin=admin or None,
        region_only=region_only,
        country=event.country or "",
        actor1=_actor(event.actor1),
        actor2=_actor(event.actor2),
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
    # date: within the coarser precision's slack
    date_score = 0.0
    if a.day < 0 or b.day < 0:
        if fail("date"):
            return -1.0
    else:
        apart = abs(a.day - b.day)
        window = a.slack if a.slack > b.slack else b.slack
        if apart > window:
            if fail("date"):
                return -1.0
        else:
            date_score = 1.0 - apart / (window + 1)
            if a.coarse_date or b.coarse_date:
                date_score *= 0.7
    # place: a distance when both are points, else the same name or region
    place_score = 0.0
    if a.point and b.point:
        km = distance_km(a.lat, a.lon, b.lat, b.lon)
        if km <= settings.max_km:
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
    # actors: the same actor1 (or one unknown); actor1 and actor2 swapped is another event
    actor_score = 0.0
    if a.actor1 is not None and b.actor1 is not None:
        if a.actor1 != b.actor1:
            if fail("actors"):
                return -1.0
        else:
            actor_score += 0.6
    else:
        actor_score += 0.3
    if a.actor2 is None or b.actor2 is None:
        actor_score += 0.2
    elif a.actor2 == b.actor2:
        actor_score += 0.4
    if not ok:
        return -1.0
    union = len(a.words | b.words)
    wording = len(a.words & b.words) / union if union else 0.0
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
    # date, place, actors
    distance_km: float | None
    days_apart: int | None
    wording: float


def wording_similarity(a: Features, b: Features) -> float:
    """Jaccard similarity of the two evidence sentences' content words."""
    union = len(a.words | b.words)
    return len(a.words & b.words) / union if union else 0.0


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
