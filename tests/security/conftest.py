"""Fixtures of the security tests: an open store on each backend, and users in it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from security_sample import PASSWORD

from builders import SYSTEM
from truce.core.access import Role, Track
from truce.security import User, add_user
from truce.store import Store


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as opened:
        yield opened


@pytest.fixture
def alice(store: Store) -> User:
    """A delegate of Israel on the military track."""
    return add_user(
        store,
        username="alice",
        role=Role.DELEGATE,
        party="israel",
        track=Track.MILITARY,
        display_name="Alice A.",
        password=PASSWORD,
        by=SYSTEM,
    )


@pytest.fixture
def admin(store: Store) -> User:
    return add_user(store, username="root.admin", role=Role.ADMIN, password=PASSWORD, by=SYSTEM)
