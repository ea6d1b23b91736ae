"""EventQuery: the filters of the event list, validated before any SQL is written.

Constructing an EventQuery with bad values raises truce's own errors, never pydantic's:
`VocabularyError` for an unknown ACLED or PLOVER type, `InputError` (source "event query",
naming the filter) for anything else. `EventQuery.model_validate` is pydantic's own path and
raises pydantic's ValidationError, which FastAPI turns into a 422 by itself.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from truce.core.errors import InputError, TruceError, VocabularyError
from truce.core.vocab import ACLED_EVENT_TYPES, ACLED_SUB_EVENT_TYPES, Plover

MAX_LIMIT = 1000
DEFAULT_LIMIT = 100

_EVENT_TYPES = {name.casefold(): name for name in ACLED_EVENT_TYPES}
_SUB_EVENT_TYPES = {name.casefold(): name for name in ACLED_SUB_EVENT_TYPES}

BBox = tuple[float, float, float, float]


class EventQuery(BaseModel):
    """Filters over stored events, all optional and combined with AND.

    `start`/`end` are inclusive event dates (undated events drop out when either is set);
    `actor` is a case-insensitive substring of actor1 or actor2; `bbox` is (min_lon, min_lat,
    max_lon, max_lat) in WGS84, or the same as a comma-separated string; `text` is free text
    where every word must match (as a word prefix) the evidence, actors, location or document
    title, and text without any word in it filters nothing. Results come newest event first,
    undated last, then by id descending, so pages are stable.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    start: dt.date | None = None
    end: dt.date | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    plover: Plover | None = None
    actor: Annotated[str | None, Field(max_length=200)] = None
    country: Annotated[str | None, Field(pattern=r"^[A-Z]{2}$")] = None
    bbox: BBox | None = None
    text: Annotated[str | None, Field(max_length=500)] = None
    limit: Annotated[int, Field(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT
    offset: Annotated[int, Field(ge=0)] = 0

    def __init__(self, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as error:
            raise _truce_error(error) from None

    @field_validator("event_type", "sub_event_type", "actor", "country", "text", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("event_type", mode="after")
    @classmethod
    def _acled_event_type(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if value.casefold() not in _EVENT_TYPES:
            raise VocabularyError(
                f"unknown ACLED event type {value!r}; expected one of "
                + ", ".join(ACLED_EVENT_TYPES)
            )
        return _EVENT_TYPES[value.casefold()]

    @field_validator("sub_event_type", mode="after")
    @classmethod
    def _acled_sub_event_type(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if value.casefold() not in _SUB_EVENT_TYPES:
            raise VocabularyError(f"unknown ACLED sub-event type {value!r}")
        return _SUB_EVENT_TYPES[value.casefold()]

    @field_validator("plover", mode="before")
    @classmethod
    def _plover_code(cls, value: Any) -> Any:
        if value is None or isinstance(value, Plover):
            return value
        code = str(value).strip().upper()
        if not code:
            return None
        if code not in Plover.__members__:
            raise VocabularyError(
                f"unknown PLOVER type {value!r}; expected one of " + ", ".join(Plover)
            )
        return Plover(code)

    @field_validator("country", mode="before")
    @classmethod
    def _upper_country(cls, value: Any) -> Any:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("bbox", mode="before")
    @classmethod
    def _split_bbox(cls, value: Any) -> Any:
        if isinstance(value, str):
            parts = [part.strip() for part in value.split(",")]
            if len(parts) != 4:
                raise ValueError("a bbox is four numbers: min_lon,min_lat,max_lon,max_lat")
            return parts
        return value

    @field_validator("bbox", mode="after")
    @classmethod
    def _bbox_in_range(cls, value: BBox | None) -> BBox | None:
        if value is None:
            return None
        min_lon, min_lat, max_lon, max_lat = value
        if not all(math.isfinite(v) for v in value):
            raise ValueError("bbox values must be finite numbers")
        if not (-180 <= min_lon <= 180 and -180 <= max_lon <= 180):
            raise ValueError("bbox longitudes must lie between -180 and 180")
        if not (-90 <= min_lat <= 90 and -90 <= max_lat <= 90):
            raise ValueError("bbox latitudes must lie between -90 and 90")
        if min_lon > max_lon or min_lat > max_lat:
            raise ValueError("bbox must be min_lon,min_lat,max_lon,max_lat with min <= max")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.start and self.end and self.start > self.end:
            raise ValueError(f"start {self.start} is after end {self.end}")
        if self.event_type and self.sub_event_type:
            parent = ACLED_SUB_EVENT_TYPES[self.sub_event_type]
            if parent != self.event_type:
                raise VocabularyError(
                    f"sub-event type {self.sub_event_type!r} belongs to {parent!r}, "
                    f"not {self.event_type!r}"
                )
        return self

    def page(self, offset: int) -> EventQuery:
        """The same filters at another offset."""
        return EventQuery(**{**self.model_dump(), "offset": offset})


def _truce_error(error: ValidationError) -> TruceError:
    """The first truce error a validator raised, else one InputError naming every filter."""
    problems = []
    for detail in error.errors():
        cause = detail.get("ctx", {}).get("error")
        if isinstance(cause, TruceError):
            return cause
        where = ".".join(str(part) for part in detail["loc"]) or "query"
        message = detail["msg"].removeprefix("Value error, ")
        if detail["type"] == "extra_forbidden":
            message = "unknown filter"
        problems.append(f"{where}: {message} (got {detail['input']!r})")
    return InputError("; ".join(problems), source="event query")
