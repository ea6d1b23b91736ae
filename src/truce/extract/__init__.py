"""Text → events: a spaCy-shaped pipeline of registered, versioned components.

from truce.extract import default_pipeline, extract_events
events = extract_events(document)            # the default pipeline of the default pack
doc = default_pipeline()(document)           # every annotation, not only the events
"""

from truce.extract.doc import Doc
from truce.extract.jsonl import open_jsonl, read_document, run_jsonl
from truce.extract.pipeline import (
    DEFAULT_COMPONENTS,
    Pipeline,
    default_pipeline,
    extract_events,
)
from truce.extract.registry import ComponentSpec, component, get_component, registered_names

__all__ = [
    "DEFAULT_COMPONENTS",
    "ComponentSpec",
    "Doc",
    "Pipeline",
    "component",
    "default_pipeline",
    "extract_events",
    "get_component",
    "open_jsonl",
    "read_document",
    "registered_names",
    "run_jsonl",
]
