"""The error responses the API's routes declare in the OpenAPI schema, and the link to a
listing's next page.

Each router names its own wording (what is missing, who may write, what a conflict is); the
status codes, the error body (:class:`~truce.api.schemas.ErrorOut`) and the wording common to
all are written here once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from fastapi import Request

from truce.api.schemas import ErrorOut

#: a route's or router's ``responses=``: extra OpenAPI responses by status code
Responses = dict[int | str, dict[str, Any]]


def error(description: str) -> dict[str, Any]:
    """One error response: the error body, described."""
    return {"model": ErrorOut, "description": description}


def router_errors(malformed: str = "A parameter or field is malformed") -> Responses:
    """What any route of a router may answer: its input refused (422), or a failure (500)."""
    return {422: error(malformed), 500: error("The server failed")}


def not_found(description: str = "No such record this principal may see") -> Responses:
    """A record missing, or one the principal may not see: both are 404."""
    return {404: error(description)}


def denied(forbidden: str) -> Responses:
    """Credentials that are not valid (401), or a principal not allowed to do this (403)."""
    return {401: error("The credentials sent are not valid"), 403: error(forbidden)}


def write_errors(
    *,
    missing: str = "No such record this principal may see",
    forbidden: str = "Not allowed to do this (role, party or scope)",
    conflict: str = "The record's status does not allow this",
) -> Responses:
    """What a write may answer besides success: 401, 403, 404, and 409 when the record's
    status does not allow it."""
    return {**denied(forbidden), **not_found(missing), 409: error(conflict)}


#: a read of a record, worded for any kind of record
NOT_FOUND = not_found()
#: a write on a record, worded for any kind of record
WRITE_ERRORS = write_errors()


class Paged(Protocol):
    """A page of a library listing."""

    @property
    def items(self) -> Sequence[object]: ...

    @property
    def offset(self) -> int: ...

    @property
    def total(self) -> int: ...


def next_page_url(request: Request, page: Paged) -> str | None:
    """This request's URL with the offset of the page after ``page``; None on the last."""
    following = page.offset + len(page.items)
    if not page.items or following >= page.total:
        return None
    return str(request.url.include_query_params(offset=following))
