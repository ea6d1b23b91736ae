"""truce.api: the FastAPI app (``/api`` routes and the pages of truce.web)."""

from truce.api.app import create_app, serve, status_for

__all__ = ["create_app", "serve", "status_for"]
