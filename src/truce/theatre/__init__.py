"""truce.theatre (see ARCHITECTURE.md)."""
