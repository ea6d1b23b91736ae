"""truce: open software for monitoring a ceasefire and running the talks around it."""

__version__ = "0.1.0"
