"""Pipelines: registered components run in order over a document."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

from truce.core import Document, Event
from truce.core.errors import ExtractError

# the component modules register themselves on import
from truce.extract import (  # noqa: F401
    actors,
    attribution,
    dates,
    events,
    modality,
    numbers,
    places,
    sentences,
    triggers,
)
from truce.extract.doc import Doc
from truce.extract.registry import Component, ComponentSpec, get_component
from truce.theatre import TheatrePack, load_pack

DEFAULT_COMPONENTS: tuple[str, ...] = (
    "truce.sentences.v1",
    "truce.dates.v1",
    "truce.places.v1",
    "truce.actors.v1",
    "truce.triggers.v1",
    "truce.modality.v1",
    "truce.attribution.v1",
    "truce.numbers.v1",
    "truce.events.v1",
)


class Pipeline:
    """Components in order; calling it on a Document runs them all and returns the Doc."""

    def __init__(self, specs: Sequence[ComponentSpec], pack: TheatrePack) -> None:
        check_order(specs)
        self.pack = pack
        self.specs = tuple(specs)
        self._components: list[Component] = [spec.factory(pack) for spec in specs]

    @classmethod
    def from_names(cls, names: Iterable[str], pack: TheatrePack | None = None) -> Pipeline:
        """Build the named components for `pack` (the default theatre pack if None)."""
        specs = [get_component(name) for name in names]
        return cls(specs, pack if pack is not None else load_pack())

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(spec.name for spec in self.specs)

    def __call__(self, document: Document) -> Doc:
        doc = Doc(document)
        for run in self._components:
            doc = run(doc)
        return doc

    def __repr__(self) -> str:
        return f"Pipeline({', '.join(self.names)}; pack={self.pack.name})"


def check_order(specs: Sequence[ComponentSpec]) -> None:
    """ExtractError unless every component's requirements are assigned by an earlier one."""
    assigned: set[str] = set()
    for spec in specs:
        missing = [name for name in spec.requires if name not in assigned]
        if missing:
            raise ExtractError(
                f"component {spec.name!r} requires {', '.join(missing)}, "
                "which no earlier component assigns"
            )
        assigned.update(spec.assigns)


def default_pipeline(pack: TheatrePack | None = None) -> Pipeline:
    """The standard components for `pack` (the default theatre pack if None)."""
    if pack is None:
        return _cached_default()
    return Pipeline.from_names(DEFAULT_COMPONENTS, pack)


@lru_cache(maxsize=1)
def _cached_default() -> Pipeline:
    return Pipeline.from_names(DEFAULT_COMPONENTS, load_pack())


def extract_events(document: Document, pipeline: Pipeline | None = None) -> list[Event]:
    """The events of one document (through the default pipeline unless one is given)."""
    return (pipeline or default_pipeline())(document).events
