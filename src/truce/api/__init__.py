"""truce.api (see ARCHITECTURE.md)."""
