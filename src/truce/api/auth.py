"""Who each request is from, and proof that a browser's writes were meant: authentication and
CSRF as one plain ASGI middleware, run before any route.

For each request, in this order:

- an ``Authorization: Bearer truce_…`` header is an API token (`principal_for_token`); a
  token that is unknown, expired or revoked (or any other kind of Authorization) is refused
  with 401 and ``WWW-Authenticate: Bearer``: a client that sent credentials is told they
  failed rather than shown the public's view. A token without the ``write`` scope may not
  use unsafe methods (403). Tokens need no CSRF token: no browser sends them on its own.
- else the ``truce_session`` cookie is a web session (`session_for`); a bad or expired one
  is the public's request, and the response removes the cookie. An unsafe request on a
  session must carry the session's CSRF token in the ``X-CSRF-Token`` header or the
  ``csrf_token`` form field (403 otherwise): SameSite=Strict already keeps other sites'
  forms from sending the cookie, the token also covers browsers that ignore SameSite.
- else the request is the public's.

The principal goes on ``request.state.principal`` (`truce.web.viewer.request_viewer` reads
it) and a session on ``request.state.session``; authenticated responses get
``Cache-Control: no-store`` so no cache keeps what only they may see.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Callable
from functools import partial
from typing import Final, TypeVar

import anyio.to_thread
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, QuerystringParser, parse_options_header
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from truce.core.access import Principal
from truce.core.access import Scope as TokenScope
from truce.core.errors import AuthenticationError, PermissionDeniedError
from truce.security import ActiveSession, check_csrf, principal_for_token, session_for
from truce.store import Store
from truce.web import render_error
from truce.web.auth import CSRF_FIELD, SESSION_STATE, cleared_cookie_headers
from truce.web.settings import SESSION_COOKIE, WebSettings
from truce.web.viewer import PRINCIPAL_STATE

logger = logging.getLogger(__name__)

#: methods that only read; every other one (POST, PUT, PATCH, DELETE, …) is unsafe
SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
CSRF_HEADER: Final = "x-csrf-token"
#: how much of a form body is read looking for its csrf_token field (forms put it first)
MAX_FORM_PREFIX: Final = 1 << 20
#: a CSRF token is 64 hex digits; a longer field value is not one
MAX_TOKEN_LENGTH: Final = 256
#: paths of files that show no records: their responses may be cached even when signed in
CACHEABLE_PREFIXES: Final = ("/static/", "/assets/")

BAD_TOKEN: Final = "the bearer token is unknown, expired or revoked"
BAD_AUTHORIZATION: Final = "only 'Authorization: Bearer <token>' is accepted"
READ_ONLY_TOKEN: Final = "this token has only the read scope: it may not change anything"
BAD_CSRF: Final = (
    "the CSRF token is missing or wrong: send the session's token in the X-CSRF-Token header "
    "or as the first field of the form (csrf_token); reload the page to get it"
)


def is_api(request: Request) -> bool:
    """Whether the request is for the JSON API (errors as JSON) rather than a page."""
    path = request.url.path.removeprefix(request.scope.get("root_path", ""))
    return path.startswith("/api/") or path == "/openapi.json"


def bearer_secret(authorization: str) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header; None for anything else."""
    scheme, _, secret = authorization.strip().partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret or " " in secret:
        return None
    return secret


class AuthenticationMiddleware:
    """Sets the principal of every HTTP request (see the module's docstring)."""

    def __init__(self, app: ASGIApp, *, settings: WebSettings) -> None:
        self.app = app
        self._clear_cookie = cleared_cookie_headers(settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        store: Store = scope["app"].state.store
        unsafe = request.method.upper() not in SAFE_METHODS
        state = scope.setdefault("state", {})
        authorization = request.headers.get("authorization")

        if authorization is not None:
            secret = bearer_secret(authorization)
            if secret is None:
                await self._unauthenticated(request, BAD_AUTHORIZATION, send)
                return
            try:
                principal = await _in_thread(partial(principal_for_token, store, secret))
            except AuthenticationError:
                logger.info("refused a bearer token for %s %s", request.method, scope["path"])
                await self._unauthenticated(request, BAD_TOKEN, send)
                return
            if unsafe and TokenScope.WRITE not in principal.scopes:
                await _error(request, 403, "Forbidden", READ_ONLY_TOKEN, send)
                return
            state[PRINCIPAL_STATE] = principal
            await self.app(scope, receive, _outgoing(scope, send, authenticated=True))
            return

        cookie = request.cookies.get(SESSION_COOKIE, "")
        session: ActiveSession | None = None
        if cookie:
            try:
                session = await _in_thread(partial(session_for, store, cookie))
            except AuthenticationError:
                logger.debug("a stale session cookie on %s %s", request.method, scope["path"])
        if session is None:
            state[PRINCIPAL_STATE] = Principal.public()
            clear = self._clear_cookie if cookie else None
            await self.app(
                scope, receive, _outgoing(scope, send, authenticated=False, clear_cookie=clear)
            )
            return

        state[PRINCIPAL_STATE] = session.principal
        state[SESSION_STATE] = session
        if unsafe:
            presented = request.headers.get(CSRF_HEADER)
            if presented is None:
                presented, receive = await form_csrf_token(request.headers, receive)
            try:
                check_csrf(cookie, presented)
            except PermissionDeniedError:
                logger.info("refused %s %s: bad CSRF token", request.method, scope["path"])
                outgoing = _outgoing(scope, send, authenticated=True)
                await _error(request, 403, "Forbidden", BAD_CSRF, outgoing)
                return
        await self.app(scope, receive, _outgoing(scope, send, authenticated=True))

    async def _unauthenticated(self, request: Request, message: str, send: Send) -> None:
        await _error(
            request, 401, "Not signed in", message, send, headers={"WWW-Authenticate": "Bearer"}
        )


T = TypeVar("T")


async def _in_thread(call: Callable[[], T]) -> T:
    # the store and the password hashing block: keep them off the event loop
    return await anyio.to_thread.run_sync(call)


async def _error(
    request: Request,
    status: int,
    title: str,
    message: str,
    send: Send,
    *,
    headers: dict[str, str] | None = None,
) -> None:
    """Answer the request here, in the API's JSON or as a page, like the app's own errors."""
    response: Response
    if is_api(request):
        response = JSONResponse({"detail": message}, status_code=status, headers=headers)
    else:
        response = render_error(request, status, title, message)
        response.headers.update(headers or {})
    await response(request.scope, request.receive, send)


def _outgoing(
    scope: Scope,
    send: Send,
    *,
    authenticated: bool,
    clear_cookie: list[tuple[bytes, bytes]] | None = None,
) -> Send:
    """Send with ``Cache-Control: no-store`` on every response to an authenticated request
    (files exempt) and every response that sets a cookie; and with `clear_cookie` added
    unless the route sets the session cookie itself."""
    files = str(scope["path"]).startswith(CACHEABLE_PREFIXES)
    session_prefix = f"{SESSION_COOKIE}=".encode()

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            cookies = [v for k, v in headers if k.lower() == b"set-cookie"]
            if clear_cookie and not any(v.startswith(session_prefix) for v in cookies):
                headers += clear_cookie
                cookies += [v for _, v in clear_cookie]
            if (authenticated and not files) or cookies:
                headers = [(k, v) for k, v in headers if k.lower() != b"cache-control"]
                headers.append((b"cache-control", b"no-store"))
            message["headers"] = headers
        await send(message)

    return sending


async def form_csrf_token(headers: Headers, receive: Receive) -> tuple[str | None, Receive]:
    """The ``csrf_token`` field of a form body, and a `receive` that gives the app the whole
    body still. Only the body up to that field is read (and kept), at most MAX_FORM_PREFIX:
    an upload's file part after it streams through untouched."""
    content_type, options = parse_options_header(headers.get("content-type"))
    finder: _FieldFinder
    if content_type == b"application/x-www-form-urlencoded":
        finder = _UrlencodedFinder()
    elif content_type == b"multipart/form-data" and options.get(b"boundary"):
        finder = _MultipartFinder(options[b"boundary"])
    else:
        return None, receive
    read: list[Message] = []
    size = 0
    more = True
    try:
        while more and finder.value is None and size <= MAX_FORM_PREFIX:
            message = await receive()
            read.append(message)
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            more = bool(message.get("more_body", False))
            finder.feed(chunk, last=not more)
    except FormParserError:
        finder.value = None

    async def replay() -> Message:
        return read.pop(0) if read else await receive()

    return finder.value, replay


class _FieldFinder(ABC):
    """Streams a form body to python-multipart's parser and keeps the csrf_token field."""

    def __init__(self) -> None:
        self.value: str | None = None
        self._name = b""
        self._data = b""

    @abstractmethod
    def feed(self, chunk: bytes, *, last: bool) -> None: ...

    def _field_start(self) -> None:
        self._name = b""
        self._data = b""

    def _field_data(self, data: bytes, start: int, end: int) -> None:
        if self._name == CSRF_FIELD.encode() and len(self._data) <= MAX_TOKEN_LENGTH:
            self._data += data[start:end]

    def _field_end(self) -> None:
        wanted = self._name == CSRF_FIELD.encode() and len(self._data) <= MAX_TOKEN_LENGTH
        if self.value is None and wanted:
            self.value = self._data.decode("ascii", errors="replace")


class _UrlencodedFinder(_FieldFinder):
    def __init__(self) -> None:
        super().__init__()
        self._parser = QuerystringParser(
            callbacks={
                "on_field_start": self._field_start,
                "on_field_name": self._field_name,
                "on_field_data": self._field_data,
                "on_field_end": self._field_end,
            }
        )

    def _field_name(self, data: bytes, start: int, end: int) -> None:
        self._name += data[start:end]

    def feed(self, chunk: bytes, *, last: bool) -> None:
        self._parser.write(chunk)
        if last:
            self._parser.finalize()


class _MultipartFinder(_FieldFinder):
    def __init__(self, boundary: bytes) -> None:
        super().__init__()
        self._header_field = b""
        self._header_value = b""
        self._parser = MultipartParser(
            boundary,
            callbacks={
                "on_part_begin": self._field_start,
                "on_header_field": self._on_header_field,
                "on_header_value": self._on_header_value,
                "on_header_end": self._on_header_end,
                "on_part_data": self._field_data,
                "on_part_end": self._field_end,
            },
        )

    def _on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]

    def _on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _on_header_end(self) -> None:
        if self._header_field.lower() == b"content-disposition":
            _, options = parse_options_header(self._header_value)
            self._name = options.get(b"name", b"")
        self._header_field = b""
        self._header_value = b""

    def feed(self, chunk: bytes, *, last: bool) -> None:
        self._parser.write(chunk)
        if last:
            self._parser.finalize()
