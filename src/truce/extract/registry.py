"""The component registry: versioned names → factories, as spaCy registers its pipes.

A component is a function `Doc -> Doc`. It is registered through its factory, which receives
the theatre pack (actors, extra places) and returns the component, so that loading data
happens once per pipeline, not once per document::

    @component("truce.sentences.v1", assigns=("sents",))
    def sentences(pack: TheatrePack) -> Component: ...

`requires` names the Doc annotations the component reads, `assigns` those it writes; a
pipeline is valid only when every requirement is assigned by an earlier component.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from truce.core.errors import ExtractError

if TYPE_CHECKING:
    from truce.extract.doc import Doc
    from truce.theatre import TheatrePack

Component = Callable[["Doc"], "Doc"]
Factory = Callable[["TheatrePack"], Component]


@dataclass(frozen=True, slots=True)
class ComponentSpec:
    """A registered component: its name, factory and the annotations it reads and writes."""

    name: str
    factory: Factory
    requires: tuple[str, ...]
    assigns: tuple[str, ...]


_REGISTRY: dict[str, ComponentSpec] = {}


def component(
    name: str, *, requires: tuple[str, ...] = (), assigns: tuple[str, ...] = ()
) -> Callable[[Factory], Factory]:
    """Register the decorated factory under `name` (e.g. "truce.dates.v1")."""

    def register(factory: Factory) -> Factory:
        known = _REGISTRY.get(name)
        if known is not None and known.factory is not factory:
            raise ExtractError(f"component {name!r} is registered twice")
        _REGISTRY[name] = ComponentSpec(name, factory, tuple(requires), tuple(assigns))
        return factory

    return register


def get_component(name: str) -> ComponentSpec:
    """The registered component called `name`; ExtractError if there is none."""
    try:
        return _REGISTRY[name]
    except KeyError:
        raise ExtractError(
            f"unknown extraction component {name!r}; registered: " + ", ".join(sorted(_REGISTRY))
        ) from None


def registered_names() -> list[str]:
    return sorted(_REGISTRY)
