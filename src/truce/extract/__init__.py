"""truce.extract (see ARCHITECTURE.md)."""
