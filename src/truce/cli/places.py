"""`truce places`."""

from __future__ import annotations
