"""Fixtures for the ingest tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture
def samples(tmp_path: Path) -> Path:
    """A folder holding a copy of every sample file of tests/ingest/data."""
    folder = tmp_path / "samples"
    shutil.copytree(DATA, folder)
    return folder


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    """An empty folder for input files, apart from tmp_path where the SQLite database lives."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    return folder
