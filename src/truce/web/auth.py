"""Signing in and out in the browser: ``GET /login`` (the form), ``POST /login``, ``POST
/logout``; the session cookie; and what every page's layout shows of the signed-in user.

Who a request is from is decided before any route runs, by the authentication middleware of
:mod:`truce.api.auth`, which also checks the CSRF token of every form a signed-in browser
posts (``/logout`` included); these routes only start and end sessions.

The log-in form itself is guarded against login CSRF (another site's page signing a visitor
into the attacker's account, whose activity the attacker then reads) by a double-submit
token: ``GET /login`` sets the ``truce_login`` cookie (SameSite=Strict, Path=/login) and puts
the same random value in the form's ``login_token`` field; ``POST /login`` goes on only when
both came and are equal, which another site's form cannot arrange (it can neither read nor
send the cookie). The check comes before any password is looked at, and a refusal is no
failed log-in for the limiter: it proves nothing about the account.
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import re
import secrets
from typing import Annotated, Any, Final, cast
from urllib.parse import urlsplit

from fastapi import FastAPI, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from truce.core.errors import AuthenticationError, RateLimitedError
from truce.security import (
    ActiveSession,
    IssuedSession,
    LoginLimiter,
    authenticate,
    end_session,
    start_session,
)
from truce.web.settings import SESSION_COOKIE, WebSettings
from truce.web.viewer import request_store

logger = logging.getLogger(__name__)

#: the attribute of `request.state` holding the ActiveSession of a signed-in browser
SESSION_STATE: Final = "session"
#: the attribute of `app.state` holding the app's LoginLimiter
LOGIN_LIMITER_STATE: Final = "login_limiter"
#: the form field (and, in truce.api.auth, the header) carrying a session's CSRF token
CSRF_FIELD: Final = "csrf_token"
#: the pre-session cookie holding the log-in form's double-submit token (Path=/login only)
LOGIN_COOKIE: Final = "truce_login"
#: the log-in form's hidden field that must equal the LOGIN_COOKIE
LOGIN_TOKEN_FIELD: Final = "login_token"
#: how long a log-in form stays usable: its cookie's Max-Age
LOGIN_TOKEN_LIFETIME: Final = dt.timedelta(hours=1)
#: what the form says when its token is missing or wrong
LOGIN_FORM_EXPIRED: Final = "The log-in form expired or came from another site: please try again."
#: the shape of `secrets.token_urlsafe(32)`: 32 bytes in unpadded base64url
LOGIN_TOKEN_PATTERN: Final = re.compile(r"[A-Za-z0-9_-]{43}")
#: the one message of every failed log-in, so it never tells which part was wrong
LOGIN_FAILED: Final = "Wrong username or password."

# Generous bounds on what is worth hashing: longer is not a log-in attempt.
MAX_USERNAME: Final = 200
MAX_PASSWORD: Final = 4096


def request_session(request: Request) -> ActiveSession | None:
    """The session of a signed-in browser; None for a token, the public, or a bad cookie."""
    session = getattr(request.state, SESSION_STATE, None)
    return session if isinstance(session, ActiveSession) else None


def layout_context(request: Request) -> dict[str, Any]:
    """What the base layout shows on every page: who is signed in, and the token its
    log-out form needs (a Jinja2Templates context processor)."""
    return {"signed_in": request_session(request)}


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site, else the map.

    Never an absolute URL, a scheme-relative ``//host`` (or ``/\\host``, which browsers read
    the same way), nor anything with control characters: an open redirect would let a link
    to this site's log-in page send a user's browser anywhere.
    """
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    if "\\" in target or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/"
    return target


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def set_session_cookie(response: Response, settings: WebSettings, issued: IssuedSession) -> None:
    """Give the browser its session: HttpOnly (no script reads it), SameSite=Strict (no other
    site's page sends it), Secure unless turned off, and gone when the session expires."""
    expires = _utc(issued.expires_at)
    max_age = max(0, int((expires - dt.datetime.now(dt.UTC)).total_seconds()))
    response.set_cookie(
        SESSION_COOKIE,
        issued.secret,
        max_age=max_age,
        expires=expires,
        path="/",
        secure=settings.cookie_secure,
        httponly=True,
        samesite="strict",
    )


def clear_session_cookie(response: Response, settings: WebSettings) -> None:
    response.delete_cookie(
        SESSION_COOKIE,
        path="/",
        secure=settings.cookie_secure,
        httponly=True,
        samesite="strict",
    )


def cleared_cookie_headers(settings: WebSettings) -> list[tuple[bytes, bytes]]:
    """The raw ``Set-Cookie`` header that removes the session cookie (for the middleware)."""
    response = Response()
    clear_session_cookie(response, settings)
    return [(name, value) for name, value in response.raw_headers if name == b"set-cookie"]


def well_formed_login_token(value: str | None) -> bool:
    """Whether `value` looks like a token this server made (so is worth reusing or checking)."""
    return value is not None and LOGIN_TOKEN_PATTERN.fullmatch(value) is not None


def login_token_matches(cookie: str | None, presented: str | None) -> bool:
    """Whether the log-in form's field equals its cookie, both present (constant time)."""
    if cookie is None or not well_formed_login_token(cookie) or not presented:
        return False
    return hmac.compare_digest(cookie.encode(), presented.encode("utf-8", errors="replace"))


def set_login_cookie(response: Response, settings: WebSettings, token: str) -> None:
    """Give the browser the log-in form's token: only /login receives it, no script reads it,
    no other site's page sends it, Secure unless turned off; gone after an hour."""
    response.set_cookie(
        LOGIN_COOKIE,
        token,
        max_age=int(LOGIN_TOKEN_LIFETIME.total_seconds()),
        path="/login",
        secure=settings.cookie_secure,
        httponly=True,
        samesite="strict",
    )


def clear_login_cookie(response: Response, settings: WebSettings) -> None:
    response.delete_cookie(
        LOGIN_COOKIE,
        path="/login",
        secure=settings.cookie_secure,
        httponly=True,
        samesite="strict",
    )


def mount_auth(app: FastAPI, templates: Jinja2Templates, settings: WebSettings) -> None:
    """Add ``/login`` and ``/logout`` to the app (not in the OpenAPI schema)."""

    def login_form(
        request: Request,
        *,
        next_url: str,
        username: str = "",
        error: str | None = None,
        status_code: int = 200,
        headers: dict[str, str] | None = None,
        fresh_token: bool = False,
    ) -> HTMLResponse:
        # The browser's token is kept (refreshed), so forms open in other tabs still work.
        token = request.cookies.get(LOGIN_COOKIE)
        if fresh_token or token is None or not well_formed_login_token(token):
            token = secrets.token_urlsafe(32)
        response = templates.TemplateResponse(
            request,
            "login.html",
            {
                "next_url": safe_next(next_url),
                "username": username,
                "error": error,
                "login_token": token,
            },
            status_code=status_code,
            headers=headers,
        )
        set_login_cookie(response, settings, token)
        return response

    @app.get("/login", response_class=HTMLResponse, name="login_page", include_in_schema=False)
    def login_page(
        request: Request, next_url: Annotated[str, Query(alias="next")] = "/"
    ) -> HTMLResponse:
        return login_form(request, next_url=next_url)

    @app.post("/login", name="log_in", include_in_schema=False)
    def log_in(
        request: Request,
        username: Annotated[str, Form(max_length=MAX_USERNAME)] = "",
        password: Annotated[str, Form(max_length=MAX_PASSWORD)] = "",
        next_url: Annotated[str, Form(alias="next")] = "/",
        login_token: Annotated[str, Form(alias=LOGIN_TOKEN_FIELD)] = "",
    ) -> Response:
        if not login_token_matches(request.cookies.get(LOGIN_COOKIE), login_token):
            logger.info("refused a log-in form without its matching login token")
            return login_form(
                request,
                next_url=next_url,
                username=username,
                error=LOGIN_FORM_EXPIRED,
                status_code=403,
                fresh_token=True,
            )
        limiter = cast(LoginLimiter, getattr(request.app.state, LOGIN_LIMITER_STATE))
        address = request.client.host if request.client else None
        try:
            user = authenticate(
                request_store(request), username, password, limiter=limiter, address=address
            )
        except RateLimitedError as error:
            return login_form(
                request,
                next_url=next_url,
                username=username,
                error=f"Too many failed log-ins: try again in {error.retry_after} seconds.",
                status_code=429,
                headers={"Retry-After": str(error.retry_after)},
            )
        except AuthenticationError:
            return login_form(
                request, next_url=next_url, username=username, error=LOGIN_FAILED, status_code=401
            )
        previous = request.cookies.get(SESSION_COOKIE)
        if previous and request_session(request) is not None:
            end_session(request_store(request), previous)  # a new secret, never the old one again
        issued = start_session(request_store(request), user)
        response = RedirectResponse(safe_next(next_url), status_code=303)
        set_session_cookie(response, settings, issued)
        clear_login_cookie(response, settings)
        return response

    @app.post("/logout", name="log_out", include_in_schema=False)
    def log_out(request: Request) -> Response:
        secret = request.cookies.get(SESSION_COOKIE)
        if secret and request_session(request) is not None:
            end_session(request_store(request), secret)
        response = RedirectResponse("/", status_code=303)
        clear_session_cookie(response, settings)
        return response
