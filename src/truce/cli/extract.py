"""`truce extract`."""

from __future__ import annotations
