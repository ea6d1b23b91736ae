"""The web application: the ``/api`` routes, the HTML pages of :mod:`truce.web`, and the edge
where truce's errors become HTTP statuses."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Final

import uvicorn
from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

import truce
from truce.api.auth import AuthenticationMiddleware, is_api
from truce.api.cases import router as cases_router
from truce.api.disarmament import router as disarmament_router
from truce.api.evidence import router as evidence_router
from truce.api.incidents import router as incidents_router
from truce.api.meetings import router as meetings_router
from truce.api.proposals import router as proposals_router
from truce.api.routes import router
from truce.api.security import SecurityHeadersMiddleware
from truce.api.statements import router as statements_router
from truce.api.violations import router as violations_router
from truce.core.errors import (
    AuthenticationError,
    ConflictError,
    InputError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    TruceError,
    VocabularyError,
)
from truce.security import LoginLimiter
from truce.store import Store, database_url
from truce.web import FrontEndAssets, WebSettings, mount_web, render_error
from truce.web.auth import LOGIN_LIMITER_STATE

logger = logging.getLogger(__name__)

DESCRIPTION: Final = """\
Events extracted from news and reports on a ceasefire: coded with ACLED's and PLOVER's
vocabularies, geocoded, dated, and traced to the sentence of the document that supports them.
Each event has the fields of the `truce extract` contract.
"""


def status_for(error: TruceError) -> int:
    """The HTTP status of a truce error: 404 not found, 422 bad input, 401 not signed in (429
    too many failed log-ins), 403 not allowed, 409 not allowed in the record's state, else 500."""
    if isinstance(error, NotFoundError):
        return 404
    if isinstance(error, RateLimitedError):
        return 429
    if isinstance(error, AuthenticationError):
        return 401
    if isinstance(error, PermissionDeniedError):
        return 403
    if isinstance(error, ConflictError):
        return 409
    if isinstance(error, InputError | VocabularyError):
        return 422
    return 500


async def _truce_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, TruceError)
    status = status_for(error)
    if status == 500:
        # The message may name the database or its internals: log it, don't show it.
        logger.error("%s %s failed", request.method, request.url.path, exc_info=error)
        message = f"the server failed ({type(error).__name__}); its log has the details"
    else:
        message = str(error)
    headers: dict[str, str] = {}
    if isinstance(error, RateLimitedError):
        headers["Retry-After"] = str(error.retry_after)
    elif status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    if is_api(request):
        return JSONResponse({"detail": message}, status_code=status, headers=headers)
    title = {
        401: "Not signed in",
        403: "Forbidden",
        404: "Not found",
        422: "Bad request",
        429: "Too many attempts",
    }.get(status, "Server error")
    response = render_error(request, status, title, message)
    response.headers.update(headers)
    return response


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, StarletteHTTPException)
    if is_api(request) or error.status_code < 400:
        return await http_exception_handler(request, error)
    title = "Not found" if error.status_code == 404 else "Error"
    return render_error(request, error.status_code, title, str(error.detail))


def validation_message(error: RequestValidationError) -> str:
    """FastAPI's list of problems as one line naming each parameter, like truce's errors."""
    return "; ".join(
        f"{'.'.join(str(part) for part in problem['loc'][1:]) or 'request'}: {problem['msg']}"
        for problem in error.errors()
    )


async def _validation_error(request: Request, error: Exception) -> Response:
    # Every API error body is {"detail": "..."} (ErrorOut), parameters checked by FastAPI too.
    assert isinstance(error, RequestValidationError)
    if is_api(request):
        return JSONResponse({"detail": validation_message(error)}, status_code=422)
    return render_error(request, 422, "Bad request", validation_message(error))


def create_app(url: str | None = None) -> FastAPI:
    """The app serving the store at ``url`` (see :func:`truce.store.database_url`).

    Settings and front-end files are checked here, so a bad tile URL or a missing
    ``node_modules`` is a ConfigError before anything listens; the store is opened when the
    app starts and closed when it stops.
    """
    settings = WebSettings.from_env()
    assets = FrontEndAssets.locate()
    database = database_url(url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = Store.open(database)
        app.state.store = store
        try:
            yield
        finally:
            store.close()

    app = FastAPI(
        title="truce",
        version=truce.__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # served by truce.web from local files, under the strict CSP
        redoc_url=None,
    )
    # failed log-ins are counted in this process's memory, for the app's lifetime
    setattr(app.state, LOGIN_LIMITER_STATE, LoginLimiter())
    # added first, so it runs inside the headers' middleware: its refusals get them too
    app.add_middleware(AuthenticationMiddleware, settings=settings)
    app.add_middleware(
        SecurityHeadersMiddleware,
        content_security_policy=settings.content_security_policy(),
        strict_transport_security=settings.cookie_secure,
    )
    app.add_exception_handler(TruceError, _truce_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.include_router(router)
    app.include_router(evidence_router)
    app.include_router(incidents_router)
    app.include_router(cases_router)
    app.include_router(meetings_router)
    app.include_router(disarmament_router)
    app.include_router(violations_router)
    app.include_router(proposals_router)
    app.include_router(statements_router)
    mount_web(app, assets, settings)
    return app


def serve(
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    url: str | None = None,
    proxy_headers: bool = False,
    forwarded_allow_ips: str = "127.0.0.1",
) -> None:
    """Run the app with uvicorn until interrupted.

    With `proxy_headers`, a request from one of `forwarded_allow_ips` (comma-separated
    addresses or networks, or "*") is taken to come from the client its X-Forwarded-For
    names (uvicorn's ProxyHeadersMiddleware), so the log-in limit counts each user behind a
    reverse proxy apart; from any other peer the header is ignored. Off, every request is
    from the address that connected: uvicorn's own default (on) would let a local process
    claim any address.
    """
    app = create_app(url)
    # Open once before listening, so an unreachable or outdated database is a TruceError
    # here rather than a traceback from uvicorn's start-up.
    Store.open(database_url(url)).close()
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="info",
        proxy_headers=proxy_headers,
        forwarded_allow_ips=forwarded_allow_ips,
    )
