"""truce.ingest (see ARCHITECTURE.md)."""
