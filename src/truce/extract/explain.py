"""Why the extractor read a document as it did: the text behind `truce extract --explain`.

The components record their reasons on the Doc as they decide (`Doc.explain`): the
modality component why a trigger is asserted, planned or only background; the events
component which roles, date and place it chose and why the other places lost, and which
event each trigger became or merged into. `explain(doc)` renders them sentence by sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from truce.core import Document
from truce.extract.doc import Doc, Trigger
from truce.extract.pipeline import Pipeline, default_pipeline
from truce.extract.registry import ComponentSpec
from truce.theatre import TheatrePack

#: the order aspects are shown in under each trigger
_ASPECTS = ("modality", "actor1", "actor2", "date", "place", "event")
_MAX_SENTENCE_SHOWN = 160


def explain(doc: Doc) -> str:
    """Per sentence with a trigger: the trigger, its rule and types, then each choice made."""
    published = doc.published.isoformat() if doc.published else "unknown"
    lines = [f"# {doc.document.id} (published {published}): {len(doc.events)} event(s)"]
    by_sentence: dict[int, list[Trigger]] = {}
    for trigger in doc.triggers:
        by_sentence.setdefault(trigger.sentence, []).append(trigger)
    for index, triggers in sorted(by_sentence.items()):
        text = " ".join(doc.span_text(doc.sents[index]).split())
        if len(text) > _MAX_SENTENCE_SHOWN:
            text = text[: _MAX_SENTENCE_SHOWN - 3] + "..."
        lines.append(f"[sentence {index + 1}] {text}")
        for trigger in triggers:
            lines.append(f"  trigger {trigger.surface!r} (rule {trigger.rule}): {_types(trigger)}")
            notes = doc.explanations.get(trigger, [])
            for aspect in _ASPECTS:
                lines.extend(f"    {aspect}: {why}" for kind, why in notes if kind == aspect)
            lines.extend(f"    {aspect}: {why}" for aspect, why in notes if aspect not in _ASPECTS)
    if doc.problems:
        lines.extend(f"problem: {problem}" for problem in doc.problems)
    return "\n".join(lines)


def _types(trigger: Trigger) -> str:
    kinds = [k for k in (trigger.event_type, trigger.sub_event_type, trigger.plover) if k]
    flags = [
        name
        for name, on in (
            ("refers back", trigger.anaphoric),
            ("response", trigger.response),
            ("plural", trigger.plural),
        )
        if on
    ]
    return " / ".join(kinds) + (f" [{', '.join(flags)}]" if flags else "")


class ExplainingPipeline(Pipeline):
    """A pipeline that hands each processed Doc's explanation to `sink` (e.g. stderr)."""

    def __init__(
        self, specs: Sequence[ComponentSpec], pack: TheatrePack, sink: Callable[[str], None]
    ) -> None:
        super().__init__(specs, pack)
        self._sink = sink

    def __call__(self, document: Document) -> Doc:
        doc = super().__call__(document)
        self._sink(explain(doc))
        return doc


def explaining(pipeline: Pipeline, sink: Callable[[str], None]) -> ExplainingPipeline:
    """The same components as `pipeline`, also passing every Doc's explanation to `sink`."""
    return ExplainingPipeline(pipeline.specs, pipeline.pack, sink)


def explaining_pipeline(
    sink: Callable[[str], None], pipeline: Pipeline | None = None
) -> ExplainingPipeline:
    """The default pipeline (or `pipeline`), passing every Doc's explanation to `sink`."""
    return explaining(pipeline or default_pipeline(), sink)
