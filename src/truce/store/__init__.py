"""truce.store (see ARCHITECTURE.md)."""
