"""truce.store: the database. Schema, migrations and every query; nothing else writes SQL.

SQLite (WAL mode) by default, PostgreSQL by URL; see ARCHITECTURE.md "store".
"""

# the committee's tables join the one MetaData (the schema mirrors every migration)
from truce.store import committee_schema as committee_schema
from truce.store.migrate import SchemaStatus, head_revision, schema_status, upgrade_database
from truce.store.query import MAX_LIMIT, EventQuery
from truce.store.records import EventPage, StoredDocument, StoredEvent
from truce.store.search import search_terms
from truce.store.store import Batch, Store, event_key
from truce.store.url import database_url, hide_password

__all__ = [
    "MAX_LIMIT",
    "Batch",
    "EventPage",
    "EventQuery",
    "SchemaStatus",
    "Store",
    "StoredDocument",
    "StoredEvent",
    "database_url",
    "event_key",
    "head_revision",
    "hide_password",
    "schema_status",
    "search_terms",
    "upgrade_database",
]
