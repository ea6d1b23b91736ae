"""`truce ingest`."""

from __future__ import annotations
