"""Fixtures of the case tests: a store on each backend with incidents and evidence in it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cases_sample import Sample, populate

from truce.evidence import EvidenceVault
from truce.store import Store


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as opened:
        yield opened


@pytest.fixture
def sample(store: Store, tmp_path: Path) -> Sample:
    return populate(store, EvidenceVault(tmp_path / "vault"))
