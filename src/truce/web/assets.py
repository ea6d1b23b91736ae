"""Front-end libraries served from the repository's ``node_modules``.

Leaflet, topojson-client, world-atlas and Swagger UI come from npm at set-up (``npm ci``
installs exactly what ``package-lock.json`` pins); truce ships no copy of them. Only the
files listed in :data:`ASSET_FILES` are served, each under ``/assets/<name>``.

A missing ``node_modules`` is a :class:`~truce.core.errors.ConfigError` raised when the app
is created, so ``truce serve`` stops at once with the fix instead of serving a broken map.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Final

from truce.core.errors import ConfigError

#: environment variable naming the node_modules folder, for installs outside the repository
NODE_MODULES_ENV: Final = "TRUCE_NODE_MODULES"

#: URL name under /assets/ -> path inside node_modules; nothing else is served
ASSET_FILES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "leaflet/leaflet.js": "leaflet/dist/leaflet.js",
        "leaflet/leaflet.css": "leaflet/dist/leaflet.css",
        # leaflet.css refers to these relative to itself
        "leaflet/images/layers.png": "leaflet/dist/images/layers.png",
        "leaflet/images/layers-2x.png": "leaflet/dist/images/layers-2x.png",
        "leaflet/images/marker-icon.png": "leaflet/dist/images/marker-icon.png",
        "leaflet/images/marker-icon-2x.png": "leaflet/dist/images/marker-icon-2x.png",
        "leaflet/images/marker-shadow.png": "leaflet/dist/images/marker-shadow.png",
        "topojson-client/topojson-client.min.js": "topojson-client/dist/topojson-client.min.js",
        "world-atlas/countries-50m.json": "world-atlas/countries-50m.json",
        "swagger-ui/swagger-ui-bundle.js": "swagger-ui-dist/swagger-ui-bundle.js",
        "swagger-ui/swagger-ui.css": "swagger-ui-dist/swagger-ui.css",
    }
)

_MEDIA_TYPES: Final = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".png": "image/png",
}

_NPM_HINT = "run `npm ci` in the truce repository (or ./scripts/setup)"


def find_node_modules(environ: Mapping[str, str] | None = None) -> Path:
    """The node_modules folder: ``$TRUCE_NODE_MODULES``, else the nearest one above this package.

    Walking up from the package finds the repository's folder for a source or editable
    install; an installed wheel needs the variable.
    """
    environ = os.environ if environ is None else environ
    explicit = environ.get(NODE_MODULES_ENV)
    if explicit:
        path = Path(explicit).expanduser()
        if not path.is_dir():
            raise ConfigError(f"{NODE_MODULES_ENV}={explicit} is not a folder; {_NPM_HINT}")
        return path
    for folder in Path(__file__).resolve().parents:
        candidate = folder / "node_modules"
        if candidate.is_dir():
            return candidate
    raise ConfigError(
        f"no node_modules folder found above {Path(__file__).parent}: the web pages need "
        f"Leaflet, world-atlas, topojson-client and Swagger UI from npm; {_NPM_HINT}, "
        f"or set {NODE_MODULES_ENV} to a node_modules folder that has them"
    )


@dataclass(frozen=True)
class FrontEndAssets:
    """The checked set of front-end files, by URL name."""

    root: Path

    @classmethod
    def locate(cls, environ: Mapping[str, str] | None = None) -> FrontEndAssets:
        """Find node_modules and check every served file is there (ConfigError if not)."""
        assets = cls(find_node_modules(environ))
        missing = [path for path in ASSET_FILES.values() if not (assets.root / path).is_file()]
        if missing:
            raise ConfigError(
                f"{assets.root} lacks {', '.join(missing)}: the npm packages are missing or "
                f"out of date; {_NPM_HINT}"
            )
        return assets

    def path(self, name: str) -> Path | None:
        """The file served as /assets/<name>, or None for a name not in the list."""
        relative = ASSET_FILES.get(name)
        return None if relative is None else self.root / relative


def media_type(path: Path) -> str:
    return _MEDIA_TYPES.get(path.suffix, "application/octet-stream")
