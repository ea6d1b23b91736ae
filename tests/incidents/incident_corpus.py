"""truce's multi-source incident corpus (tests/data/incidents/): typed models and its loader.

Each incident lists the reports that cover it. A report covering several incidents is written
out once, in full, at its first incident, and referred to as `- ref: <report id>` at the others;
the loader resolves the references, so the same `Report` object sits in every incident it covers.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from truce.core.errors import FormatError
from truce.core.vocab import ACLED_SUB_EVENT_TYPES, Plover

CORPUS_DIR = Path(__file__).resolve().parent.parent / "data" / "incidents"


class Report(BaseModel):
    """One article about one or more incidents."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    published: date | datetime
    source: str = Field(min_length=1)
    title: str = Field(min_length=1)
    text: str = Field(min_length=1)

    @property
    def published_day(self) -> date:
        """The calendar day of publication (a datetime's date)."""
        return self.published.date() if isinstance(self.published, datetime) else self.published


class Incident(BaseModel):
    """One happening, as the gold for linking: the reports that must end up together."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    kind: str  # an ACLED sub-event type or a PLOVER type
    date: date
    place: str = Field(min_length=1)
    # the spellings of the place the reports use (the gazetteer resolves each of them)
    place_names: tuple[str, ...] = ()
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    country: str = Field(pattern=r"^[A-Z]{2}$")
    actors: tuple[str, ...] = ()
    reports: tuple[Report, ...]

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        if value not in ACLED_SUB_EVENT_TYPES and value not in Plover.__members__:
            raise ValueError(f"kind {value!r} is neither an ACLED sub-event type nor PLOVER")
        return value

    @property
    def spellings(self) -> tuple[str, ...]:
        """The place's name and every spelling of it the reports use."""
        return (self.place, *[n for n in self.place_names if n != self.place])


def load_incident_corpus(path: Path) -> list[Incident]:
    """The incidents of one corpus file; FormatError naming the file and incident otherwise."""
    source = str(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise FormatError(f"cannot read the incident corpus: {exc}", source=source) from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("incidents"), list):
        raise FormatError("expected a mapping with an `incidents:` list", source=source)
    entries: list[Any] = raw["incidents"]

    # First pass: every report written out in full, wherever it is, so a ref may point ahead.
    reports: dict[str, Report] = {}
    for position, entry in enumerate(entries):
        name = _incident_name(entry, position)
        if not isinstance(entry, dict) or not isinstance(entry.get("reports"), list):
            raise FormatError(f"incident {name}: expected a `reports:` list", source=source)
        for item in entry["reports"]:
            if isinstance(item, dict) and "ref" not in item:
                try:
                    report = Report.model_validate(item)
                except ValidationError as exc:
                    raise FormatError(f"incident {name}: bad report: {exc}", source=source) from exc
                if report.id in reports:
                    raise FormatError(
                        f"incident {name}: report {report.id} is written out twice "
                        "(refer to it with `ref:` after its first incident)",
                        source=source,
                    )
                reports[report.id] = report

    incidents: list[Incident] = []
    seen: set[str] = set()
    for position, entry in enumerate(entries):
        name = _incident_name(entry, position)
        resolved: list[Report] = []
        for item in entry["reports"]:
            if not isinstance(item, dict):
                raise FormatError(f"incident {name}: a report must be a mapping", source=source)
            if "ref" in item:
                if set(item) != {"ref"} or str(item["ref"]) not in reports:
                    raise FormatError(
                        f"incident {name}: `ref: {item.get('ref')}` names no report written out "
                        "in full in this file",
                        source=source,
                    )
                resolved.append(reports[str(item["ref"])])
            else:
                resolved.append(reports[str(item["id"])])
        fields = {key: value for key, value in entry.items() if key != "reports"}
        try:
            incident = Incident.model_validate({**fields, "reports": resolved})
        except ValidationError as exc:
            raise FormatError(f"incident {name}: {exc}", source=source) from exc
        if incident.id in seen:
            raise FormatError(f"incident {name}: duplicate incident id", source=source)
        if len({r.id for r in incident.reports}) != len(incident.reports):
            raise FormatError(f"incident {name}: lists a report twice", source=source)
        seen.add(incident.id)
        incidents.append(incident)
    return incidents


def load_all_incident_corpora(directory: Path = CORPUS_DIR) -> dict[str, list[Incident]]:
    """Every `*.yaml` corpus file of `directory`, by file stem."""
    return {path.stem: load_incident_corpus(path) for path in sorted(directory.glob("*.yaml"))}


def _incident_name(entry: object, position: int) -> str:
    if isinstance(entry, dict) and entry.get("id"):
        return str(entry["id"])
    return f"#{position + 1}"
