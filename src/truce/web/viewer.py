"""What a request is read against: the store the app opened at start-up, and the principal the
authentication middleware put on the request.

A request that no middleware identified is the public's, so a route mounted without the
middleware shows less, never more.
"""

from __future__ import annotations

from typing import cast

from fastapi import Request

from truce.core.access import Principal
from truce.store import Store

#: the attribute of `request.state` the authentication middleware sets
PRINCIPAL_STATE = "principal"


def request_viewer(request: Request) -> Principal:
    principal = getattr(request.state, PRINCIPAL_STATE, None)
    return principal if isinstance(principal, Principal) else Principal.public()


def request_store(request: Request) -> Store:
    """The store the app opened at start-up."""
    return cast(Store, request.app.state.store)
