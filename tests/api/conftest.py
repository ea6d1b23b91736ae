"""The app on a store holding the sample of api_sample.py, once per backend."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from api_sample import Sample, sample_documents

from builders import populate
from truce.api import create_app


@pytest.fixture
def sample(store_url: str) -> Sample:
    batches = sample_documents()
    events = populate(store_url, batches, origin="tests/api")
    return Sample(url=store_url, documents=tuple(batches), events=events)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def client(sample: Sample) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client on the real app, started (store opened) and stopped around the test."""
    app = create_app(sample.url)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as http,
    ):
        yield http
