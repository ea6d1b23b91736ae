"""Gold files (dev.yaml's format) and the table that maps predicted actor names to codes."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, Self, TypeVar

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from truce.core import (
    ACLED_EVENT_TYPES,
    ACLED_SUB_EVENT_TYPES,
    Document,
    FormatError,
    InputError,
    Modality,
    Plover,
)

Track = Literal["material", "diplomatic", "threats"]
TRACKS: tuple[Track, ...] = ("material", "diplomatic", "threats")

# ---------------------------------------------------------------------------- actor codes

#: score.py's table, in its order: the first pattern found in the lower-cased name wins
DEFAULT_ACTOR_PATTERNS: tuple[tuple[str, str], ...] = (
    ("UNIFIL", r"unifil|peacekeep|united nations interim"),
    ("UNKNOWN", r"unidentified|unknown|gunmen|unclaimed"),
    ("PROT", r"protest|demonstrat|rall(y|ied)|supporters"),
    (
        "LAF",
        r"lebanese (army|armed forces|military|soldiers|troops)|\blaf\b"
        r"|military forces of lebanon|army intelligence",
    ),
    ("HEZ", r"hezbollah|hizbullah|hizballah|hizbollah|islamic resistance|radwan"),
    (
        "ISR_MIL",
        r"israel(i)? (defen[cs]e forces|army|military|air ?force|navy|forces|troops|soldiers"
        r"|aircraft|warplanes?|drones?|artillery|jets?)|\bidf\b|military forces of israel"
        r"|\bisrael\b$",
    ),
    (
        "CIV",
        r"civilian|resident|shepherd|farmer|fisherm|villager|operator|rider|\bwom[ae]n\b"
        r"|\bm[ae]n\b|people|person|child",
    ),
    ("IL_GOV", r"israel|netanyahu|katz"),
    ("LB_GOV", r"leban|aoun|salam|berri"),
    ("SYR_GOV", r"syria"),
    ("US", r"united states|\bu\.?s\.?\b|washington|american|ortagus|white house"),
)


@dataclass(frozen=True)
class ActorCanon:
    """Maps a predicted actor name to a gold actor code by regular expressions.

    The first pattern found in the stripped, lower-cased name gives the code; a name that
    matches none gets `fallback`, an empty name None. The default is score.py's table
    (`DEFAULT_ACTOR_PATTERNS`); `ActorCanon.load(path)` reads another from a YAML list of
    `{code: ..., pattern: ...}` mappings, first match winning.
    """

    patterns: tuple[tuple[str, re.Pattern[str]], ...]
    fallback: str = "OTHER"

    @classmethod
    def default(cls) -> ActorCanon:
        return cls(tuple((code, re.compile(p)) for code, p in DEFAULT_ACTOR_PATTERNS))

    @classmethod
    def load(cls, path: str | Path) -> ActorCanon:
        """The table in a YAML file; FormatError naming the file and line when it is broken."""
        source = str(path)
        root = _compose_yaml(path)
        if not isinstance(root, yaml.SequenceNode) or not root.value:
            raise FormatError("expected a list of {code, pattern} mappings", source=source)
        patterns = []
        for node in root.value:
            line = node.start_mark.line + 1
            item = _construct(node)
            if not (
                isinstance(item, dict)
                and set(item) == {"code", "pattern"}
                and all(isinstance(v, str) and v for v in item.values())
            ):
                raise FormatError(
                    "expected a mapping of exactly code and pattern, both non-empty text",
                    source=source,
                    line=line,
                )
            try:
                patterns.append((item["code"], re.compile(item["pattern"])))
            except re.error as error:
                raise FormatError(f"bad pattern: {error}", source=source, line=line) from None
        return cls(tuple(patterns))

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(code for code, _ in self.patterns) | {self.fallback}

    def __call__(self, name: object) -> str | None:
        if not name:
            return None
        text = str(name).strip().lower()
        for code, pattern in self.patterns:
            if pattern.search(text):
                return code
        return self.fallback


# ---------------------------------------------------------------------------- gold


def _one_or_many(value: Any) -> Any:
    return (value,) if isinstance(value, str) else value


def _id_text(value: Any) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


OneOrMany = Annotated[tuple[str, ...], BeforeValidator(_one_or_many), Field(min_length=1)]
CountryCodes = Annotated[
    tuple[Annotated[str, Field(pattern=r"^[A-Z]{2}$")], ...],
    BeforeValidator(_one_or_many),
    Field(min_length=1),
]


class GoldEvent(BaseModel):
    """One annotated event; `line` is where it stands in its gold file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    modality: Modality = Modality.ASSERTED
    event_type: OneOrMany | None = None
    sub_event_type: OneOrMany | None = None
    plover: Plover | None = None
    date: dt.date | None = None
    time_precision: Literal[1, 2, 3] = 1
    actor1: OneOrMany | None = None
    actor2: OneOrMany | None = None
    place: str | None = None
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    country: CountryCodes | None = None
    fatalities: int | None = Field(default=None, ge=0)
    optional: bool = False
    geo_tolerance_km: float = Field(default=25.0, gt=0)
    line: int = Field(default=0, exclude=True)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        for event_type in self.event_type or ():
            if event_type not in ACLED_EVENT_TYPES:
                raise ValueError(f"unknown ACLED event type {event_type!r}")
        for sub in self.sub_event_type or ():
            parent = ACLED_SUB_EVENT_TYPES.get(sub)
            if parent is None:
                raise ValueError(f"unknown ACLED sub-event type {sub!r}")
            if self.event_type is not None and parent not in self.event_type:
                raise ValueError(f"sub-event type {sub!r} belongs to {parent!r}")
        if (self.lat is None) != (self.lon is None):
            raise ValueError("lat and lon come together or not at all")
        return self

    @property
    def track(self) -> Track | None:
        """The track this gold event is scored in (None: in none)."""
        asserted = self.modality == Modality.ASSERTED
        if self.event_type is not None or (self.plover is None and asserted):
            return "material" if asserted else None
        if self.plover in (Plover.CONSULT, Plover.AGREE):
            return "diplomatic"
        if self.plover == Plover.THREATEN:
            return "threats"
        return None

    def summary(self) -> dict[str, Any]:
        """The annotated fields (for explanations)."""
        return self.model_dump(mode="json", exclude_defaults=True)


class GoldDocument(BaseModel):
    """One annotated article; `line` is where it starts in its gold file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, BeforeValidator(_id_text), Field(min_length=1)]
    text: str
    published: dt.date | dt.datetime | None = None
    title: str | None = None
    source: str | None = None
    url: str | None = None
    language: str | None = None
    events: tuple[GoldEvent, ...] = ()
    line: int = Field(default=0, exclude=True)

    def document(self) -> Document:
        """The document as the extractor takes it (what score.py sends `truce extract`)."""
        fields = {"title": self.title, "source": self.source, "url": self.url}
        return Document(
            id=self.id,
            text=self.text,
            published=self.published,
            language=self.language or "en",
            **{name: value for name, value in fields.items() if value is not None},
        )


@dataclass(frozen=True)
class GoldSet:
    """The documents of one gold file."""

    source: str
    documents: tuple[GoldDocument, ...]


def _compose_yaml(path: str | Path) -> yaml.Node | None:
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("no such file", source=source) from None
    except UnicodeDecodeError as error:
        raise FormatError(f"not UTF-8 (at byte {error.start})", source=source) from None
    except OSError as error:
        raise InputError(f"cannot be read ({error.strerror})", source=source) from None
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        raise FormatError(f"not YAML: {error.problem}", source=source, line=line) from None
    except yaml.YAMLError as error:
        raise FormatError(f"not YAML: {error}", source=source) from None


def _construct(node: yaml.Node) -> Any:
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _key_line(node: yaml.Node, key: object) -> int:
    """The line of `key` in a mapping node, else the node's own line."""
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            if key_node.value == key:
                return int(key_node.start_mark.line) + 1
    return int(node.start_mark.line) + 1


M = TypeVar("M", bound=BaseModel)


def _validated(model: type[M], node: yaml.Node, source: str, what: str, **extra: object) -> M:
    data = _construct(node)
    line = int(node.start_mark.line) + 1
    if not isinstance(data, dict):
        raise FormatError(f"{what}: expected a mapping", source=source, line=line)
    if "line" in data:
        raise FormatError(f"{what}: unknown field 'line'", source=source, line=line)
    try:
        return model.model_validate({**data, **extra, "line": line})
    except ValidationError as error:
        item = error.errors()[0]
        loc = item["loc"]
        where = ".".join(str(part) for part in loc)
        message = f"{what}: {where}: {item['msg']}" if where else f"{what}: {item['msg']}"
        line = _key_line(node, loc[0] if loc else None)
        raise FormatError(message, source=source, line=line) from None


def load_gold(path: str | Path) -> GoldSet:
    """The annotated documents of a gold YAML file (dev.yaml's format).

    InputError when the file cannot be read; FormatError naming the file and line when it is
    not YAML, not `documents: [...]`, or an article or event does not validate.
    """
    source = str(path)
    root = _compose_yaml(path)
    docs_node = None
    if isinstance(root, yaml.MappingNode):
        docs_node = next((v for k, v in root.value if k.value == "documents"), None)
    if not isinstance(docs_node, yaml.SequenceNode):
        raise FormatError("expected a mapping with a list of documents", source=source, line=1)
    documents: list[GoldDocument] = []
    seen: dict[str, int] = {}
    for doc_node in docs_node.value:
        events_node = None
        if isinstance(doc_node, yaml.MappingNode):
            events_node = next((v for k, v in doc_node.value if k.value == "events"), None)
        label = "document"
        if isinstance(doc_node, yaml.MappingNode):
            doc_id = next((v.value for k, v in doc_node.value if k.value == "id"), None)
            label = f"document {doc_id}" if doc_id is not None else label
        events: list[GoldEvent] = []
        if isinstance(events_node, yaml.SequenceNode):
            for number, event_node in enumerate(events_node.value, start=1):
                events.append(_validated(GoldEvent, event_node, source, f"{label}, event {number}"))
        elif events_node is not None and not (
            isinstance(events_node, yaml.ScalarNode) and events_node.tag.endswith(":null")
        ):
            raise FormatError(
                f"{label}: events: expected a list",
                source=source,
                line=events_node.start_mark.line + 1,
            )
        document = _validated(GoldDocument, doc_node, source, label, events=events)
        if document.id in seen:
            raise FormatError(
                f"document id {document.id!r} again (first on line {seen[document.id]})",
                source=source,
                line=document.line,
            )
        seen[document.id] = document.line
        documents.append(document)
    return GoldSet(source=source, documents=tuple(documents))


def check_actor_codes(gold: GoldSet, canon: ActorCanon) -> None:
    """FormatError for a gold actor code the canonicaliser never produces (it could not
    match any prediction)."""
    for document in gold.documents:
        for event in document.events:
            for role in ("actor1", "actor2"):
                unknown = sorted(set(getattr(event, role) or ()) - canon.codes)
                if unknown:
                    raise FormatError(
                        f"document {document.id}: {role} code {', '.join(unknown)} is not one "
                        f"the actor table produces ({', '.join(sorted(canon.codes))})",
                        source=gold.source,
                        line=event.line,
                    )
