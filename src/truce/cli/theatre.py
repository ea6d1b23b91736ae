"""`truce theatre`."""

from __future__ import annotations
