"""The component registry and pipelines: names, requirements, the default pipeline."""

from __future__ import annotations

import pytest

from truce.core import Document, ExtractError
from truce.extract import (
    DEFAULT_COMPONENTS,
    Doc,
    Pipeline,
    component,
    default_pipeline,
    extract_events,
    get_component,
    registered_names,
)
from truce.extract.registry import Component
from truce.geo import Gazetteer
from truce.theatre import TheatrePack, load_pack


def test_every_default_component_is_registered_and_versioned() -> None:
    for name in DEFAULT_COMPONENTS:
        spec = get_component(name)
        assert spec.name == name
        assert name.startswith("truce.")
        assert name.rsplit(".", 1)[1].startswith("v")
    assert set(DEFAULT_COMPONENTS) <= set(registered_names())


def test_default_pipeline_runs_its_components_in_order(pipeline: Pipeline) -> None:
    assert pipeline.names == DEFAULT_COMPONENTS
    assert pipeline.pack.name == "israel-lebanon"
    assert default_pipeline() is pipeline  # cached for the default pack


def test_unknown_component_is_an_extract_error() -> None:
    with pytest.raises(ExtractError, match=r"unknown extraction component 'truce\.nope\.v9'"):
        Pipeline.from_names(["truce.sentences.v1", "truce.nope.v9"])


def test_unmet_requirement_is_an_extract_error() -> None:
    with pytest.raises(ExtractError, match=r"truce\.triggers\.v1.*requires sents"):
        Pipeline.from_names(["truce.triggers.v1"])


def test_a_partial_pipeline_assigns_only_its_annotations() -> None:
    partial = Pipeline.from_names(["truce.sentences.v1", "truce.dates.v1"], load_pack())
    doc = partial(Document(id="p", text="Talks began on Monday. Nothing else.", published=None))
    assert len(doc.sents) == 2
    assert doc.dates == []  # no publication date: the weekday cannot resolve
    assert doc.problems == [
        "no publication date: relative dates (weekdays, 'yesterday') left unresolved"
    ]
    assert doc.events == []


def test_a_registered_component_joins_a_pipeline() -> None:
    @component("test.sentence_count.v1", requires=("sents",), assigns=("problems",))
    def sentence_count(pack: TheatrePack) -> Component:
        def run(doc: Doc) -> Doc:
            doc.problems.append(f"{len(doc.sents)} sentences under {pack.name}")
            return doc

        return run

    custom = Pipeline.from_names([*DEFAULT_COMPONENTS, "test.sentence_count.v1"])
    doc = custom(Document(id="c", text="One. Two. Three."))
    assert doc.problems == ["3 sentences under israel-lebanon"]
    with pytest.raises(ExtractError, match="registered twice"):
        component("test.sentence_count.v1")(lambda pack: lambda doc: doc)


def test_extract_events_uses_the_default_pipeline() -> None:
    document = Document(
        id="e1",
        text="An Israeli drone strike hit a car in Yater on Monday, killing two people.",
        published="2026-01-14",
    )
    yater = Gazetteer.load().with_extras(load_pack().places).lookup("Yater")[0]
    events = extract_events(document)
    assert [(e.doc_id, e.event_type, e.location, e.fatalities) for e in events] == [
        ("e1", "Explosions/Remote violence", yater.name, 2)
    ]
