"""Fixtures of the store's tests: an open store on each backend, empty or filled."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from store_sample import fill

from truce.store import Store


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as opened:
        yield opened


@pytest.fixture
def filled(store: Store) -> tuple[Store, dict[str, int]]:
    """The store holding the sample events, and their ids by name."""
    return store, fill(store)
