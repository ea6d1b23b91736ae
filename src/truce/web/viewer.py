"""Who a request is read for: the principal the authentication middleware put on it.

A request that no middleware identified is the public's, so a route mounted without the
middleware shows less, never more.
"""

from __future__ import annotations

from fastapi import Request

from truce.core.access import Principal

#: the attribute of `request.state` the authentication middleware sets
PRINCIPAL_STATE = "principal"


def request_viewer(request: Request) -> Principal:
    principal = getattr(request.state, PRINCIPAL_STATE, None)
    return principal if isinstance(principal, Principal) else Principal.public()
