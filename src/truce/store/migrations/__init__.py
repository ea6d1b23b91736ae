"""Alembic migrations of truce's schema; run them with `truce db upgrade`."""
