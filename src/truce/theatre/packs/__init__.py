"""Theatre packs shipped with truce, found through the `truce.theatres` entry points."""

from __future__ import annotations

from pathlib import Path


def israel_lebanon_path() -> Path:
    """The folder of the bundled `israel-lebanon` pack (the default theatre)."""
    return Path(__file__).parent / "israel_lebanon"
