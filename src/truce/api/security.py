"""Security headers on every response, pages, API and static files alike."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: a year; without includeSubDomains, as truce cannot know what else runs on the domain
HSTS_MAX_AGE = 365 * 24 * 3600


def security_headers(
    content_security_policy: str, *, strict_transport_security: bool = False
) -> dict[str, str]:
    """The headers of every response. HSTS only where the session cookie is Secure: that
    server is reached over HTTPS, and browsers must never fall back to HTTP."""
    headers = {
        "Content-Security-Policy": content_security_policy,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    }
    if strict_transport_security:
        headers["Strict-Transport-Security"] = f"max-age={HSTS_MAX_AGE}"
    return headers


class SecurityHeadersMiddleware:
    """Plain ASGI middleware (streams pass through untouched) that sets the headers above,
    replacing any a route set itself."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        content_security_policy: str,
        strict_transport_security: bool = False,
    ) -> None:
        self.app = app
        headers = security_headers(
            content_security_policy, strict_transport_security=strict_transport_security
        )
        self.headers = [
            (name.lower().encode("latin-1"), value.encode("latin-1"))
            for name, value in headers.items()
        ]
        self._names = {name for name, _ in self.headers}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", []) if k not in self._names]
                message["headers"] = kept + self.headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
