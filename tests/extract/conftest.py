"""Shared fixtures of the extract tests: one default pipeline for the whole session."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from truce.core import Document
from truce.extract import Doc, Pipeline, default_pipeline

Run = Callable[..., Doc]


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    return default_pipeline()


@pytest.fixture(scope="session")
def run(pipeline: Pipeline) -> Run:
    """Run the default pipeline over a text: run(text, published="2026-01-14")."""

    def go(text: str, published: str | None = "2026-01-14", doc_id: str = "t1") -> Doc:
        day = dt.date.fromisoformat(published) if published else None
        return pipeline(Document(id=doc_id, text=text, published=day))

    return go
