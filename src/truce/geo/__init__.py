"""truce.geo (see ARCHITECTURE.md)."""
