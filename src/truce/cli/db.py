"""`truce db`: create or upgrade the database schema."""

from __future__ import annotations
