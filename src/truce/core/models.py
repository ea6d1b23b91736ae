"""Domain types shared by every module: plain, validated data with no I/O."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from truce.core.vocab import GeoPrecision, Inter, Modality, Plover, TimePrecision, check_event_type

_TRAILING_SPACE = re.compile(r"[ \t]+\n")
_BLANK_RUNS = re.compile(r"\n{3,}")


def normalise_text(text: str) -> str:
    """The canonical form of a document's text, the one its SHA-256 is taken over.

    NFC, Unix newlines, no trailing spaces, at most one blank line in a row, no leading or
    trailing blank lines: two copies of an article that differ only in these hash the same.
    """
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _TRAILING_SPACE.sub("\n", text.replace("\u00a0", " "))
    text = _BLANK_RUNS.sub("\n\n", text)
    return text.strip()


def text_sha256(text: str) -> str:
    """SHA-256 (hex) of the normalised text."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Model):
    """Who a report comes from: an outlet, a patrol, a party's complaint."""

    name: str
    kind: str = "news"  # news, patrol, party, statement, other
    url: str | None = None


class Document(_Model):
    """An article, report or complaint as it came in."""

    id: str = Field(min_length=1, description="the caller's id, echoed as doc_id")
    text: str
    published: dt.date | dt.datetime | None = None
    title: str | None = None
    source: str | None = None
    url: str | None = None
    language: str = "en"
    retrieved: dt.datetime | None = None

    @property
    def sha256(self) -> str:
        return text_sha256(self.text)

    @property
    def published_date(self) -> dt.date | None:
        if isinstance(self.published, dt.datetime):
            return self.published.date()
        return self.published


class Evidence(_Model):
    """The sentence that supports an event, with offsets into the document text."""

    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end < self.start:
            raise ValueError(f"evidence end {self.end} is before its start {self.start}")
        return self


Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]


class Event(_Model):
    """One extracted event; its fields are exactly the extract contract's, in its order."""

    model_config = ConfigDict(extra="allow", frozen=True)  # the contract may grow fields

    doc_id: str
    event_type: str | None = None
    sub_event_type: str | None = None
    plover: Plover | None = None
    modality: Modality = Modality.ASSERTED
    event_date: dt.date | None = None
    time_precision: TimePrecision = TimePrecision.DAY
    actor1: str | None = None
    actor2: str | None = None
    inter1: Inter | None = None
    inter2: Inter | None = None
    location: str | None = None
    admin1: str | None = None
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    geo_precision: GeoPrecision = GeoPrecision.TOWN
    fatalities: int | None = Field(default=None, ge=0)
    sources: tuple[str, ...] = ()
    evidence: Evidence
    confidence: float = Field(default=0.5, ge=0, le=1)

    @model_validator(mode="after")
    def _valid_taxonomy(self) -> Self:
        check_event_type(self.event_type, self.sub_event_type)
        if self.event_type is None and self.plover is None:
            raise ValueError("an event needs an ACLED event_type or a PLOVER type")
        if (self.latitude is None) != (self.longitude is None):
            raise ValueError("latitude and longitude come together or not at all")
        return self

    @field_validator("country", mode="before")
    @classmethod
    def _upper_country(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    def to_contract(self) -> dict[str, Any]:
        """The JSON object `truce extract` prints for this event."""
        data = self.model_dump(mode="json")
        data["sources"] = list(self.sources)
        return data


class Actor(_Model):
    """An actor of the theatre's registry, spelled as ACLED would."""

    name: str
    inter: Inter
    party: str | None = None  # the side it counts for under the agreement, if any
    aliases: tuple[str, ...] = ()
    parent: str | None = None  # e.g. an air force's parent army


class Place(_Model):
    """A gazetteer entry."""

    id: str
    name: str
    country: str | None = None
    admin1: str | None = None
    latitude: Latitude
    longitude: Longitude
    feature_code: str | None = None
    population: int = 0
    geo_precision: GeoPrecision = GeoPrecision.TOWN
