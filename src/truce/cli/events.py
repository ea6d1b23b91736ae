"""`truce events`."""

from __future__ import annotations
