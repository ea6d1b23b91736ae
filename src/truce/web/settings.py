"""Web settings (the optional tile layer, the session cookie) and the Content-Security-Policy
they imply."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlsplit

from truce.core.errors import ConfigError

TILE_URL_ENV: Final = "TRUCE_TILE_URL"
TILE_ATTRIBUTION_ENV: Final = "TRUCE_TILE_ATTRIBUTION"
COOKIE_SECURE_ENV: Final = "TRUCE_COOKIE_SECURE"
#: the cookie holding a signed-in browser's session secret
SESSION_COOKIE: Final = "truce_session"

_TRUE: Final = frozenset({"1", "true", "yes", "on"})
_FALSE: Final = frozenset({"0", "false", "no", "off"})


@dataclass(frozen=True)
class WebSettings:
    """What the operator configured. Without a tile URL the map draws country outlines only
    and the pages make no request to any other server."""

    tile_url: str | None = None
    #: HTML, as Leaflet expects (links to the tile provider's terms); operator-set, not data
    tile_attribution: str | None = None
    #: the session cookie is sent over HTTPS only (and HSTS is sent); turn off only for a
    #: server reached over plain HTTP on a trusted network
    cookie_secure: bool = True

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> WebSettings:
        environ = os.environ if environ is None else environ
        settings = cls(
            tile_url=environ.get(TILE_URL_ENV) or None,
            tile_attribution=environ.get(TILE_ATTRIBUTION_ENV) or None,
            cookie_secure=_flag(environ, COOKIE_SECURE_ENV, default=True),
        )
        settings.tile_source()  # fail at start-up, not in the browser
        return settings

    def tile_source(self) -> str | None:
        """The CSP source the tile URL needs (``https://*.tile.example.org``), None for none.

        A relative URL (tiles served by this same host) needs nothing beyond 'self'.
        """
        if self.tile_url is None:
            return None
        parts = urlsplit(self.tile_url)
        if not parts.scheme and not parts.netloc and self.tile_url.startswith("/"):
            return None
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise ConfigError(
                f"{TILE_URL_ENV}={self.tile_url!r} is not an http(s) URL template such as "
                "https://tile.example.org/{z}/{x}/{y}.png"
            )
        # Leaflet's {s} placeholder picks a subdomain per tile
        host = parts.netloc.replace("{s}", "*")
        if "{" in host:
            raise ConfigError(
                f"{TILE_URL_ENV}={self.tile_url!r}: only {{s}} may stand in the host name"
            )
        return f"{parts.scheme}://{host}"

    def content_security_policy(self) -> str:
        """The policy sent with every response: this server's own scripts only, no inline
        script, no framing; images also from the tile server when one is configured."""
        images = "'self' data:"
        tile_source = self.tile_source()
        if tile_source:
            images += f" {tile_source}"
        return "; ".join(
            (
                "default-src 'none'",
                "script-src 'self'",
                "style-src 'self'",
                f"img-src {images}",
                "connect-src 'self'",
                "font-src 'self'",
                "base-uri 'none'",
                "form-action 'self'",
                "frame-ancestors 'none'",
            )
        )


def _flag(environ: Mapping[str, str], name: str, *, default: bool) -> bool:
    value = environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(
        f"{name}={environ[name]!r} is neither on (1, true, yes) nor off (0, false, no)"
    )
