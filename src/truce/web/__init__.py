"""truce.web: the HTML pages (map, event page, API docs) and the front-end files they use."""

from truce.web.assets import ASSET_FILES, NODE_MODULES_ENV, FrontEndAssets, find_node_modules
from truce.web.highlight import HighlightedText, highlight_evidence
from truce.web.pages import mount_web, render_error
from truce.web.settings import TILE_ATTRIBUTION_ENV, TILE_URL_ENV, WebSettings
from truce.web.views import EventPageView, event_view, safe_link

__all__ = [
    "ASSET_FILES",
    "NODE_MODULES_ENV",
    "TILE_ATTRIBUTION_ENV",
    "TILE_URL_ENV",
    "EventPageView",
    "FrontEndAssets",
    "HighlightedText",
    "WebSettings",
    "event_view",
    "find_node_modules",
    "highlight_evidence",
    "mount_web",
    "render_error",
    "safe_link",
]
