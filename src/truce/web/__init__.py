"""truce.web (see ARCHITECTURE.md)."""
