"""truce.ingest: files (text, Markdown, JSON Lines, HTML, RSS/Atom) → Documents → the store,
with events extracted from each new document (see ARCHITECTURE.md)."""

from truce.ingest.readers import read_file, read_path
from truce.ingest.run import IngestProgress, IngestSummary, ingest_paths

__all__ = ["IngestProgress", "IngestSummary", "ingest_paths", "read_file", "read_path"]
