"""Fixtures of the evidence tests: a store on each backend and a vault in a fresh folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from truce.evidence import EvidenceVault
from truce.store import Store


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as opened:
        yield opened


@pytest.fixture
def vault(tmp_path: Path) -> EvidenceVault:
    return EvidenceVault(tmp_path / "vault")
