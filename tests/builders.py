"""Builders of test data for every test folder: evidence spans, events, a populated store.

Importable as ``builders`` (pyproject's pytest ``pythonpath`` puts tests/ on sys.path). Each
folder keeps its own documents and events in its sample module; only the making is shared.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from truce.core.access import Classification, Principal
from truce.core.models import Document, Event, Evidence
from truce.store import EventQuery, Store, StoredEvent

ISRAEL = "Military Forces of Israel (2022-)"

#: the local operator, who sees and writes everything (as the `truce` command does)
SYSTEM = Principal.local_system("tests")

#: documents and the events extracted from each, in the order they are written
Batches = Mapping[Document, Sequence[Event]]


def evidence(text: str, sentence: str) -> Evidence:
    """The evidence span of `sentence`, where it first stands in `text`."""
    start = text.index(sentence)
    return Evidence(text=sentence, start=start, end=start + len(sentence))


def event(document: Document, sentence: str, **fields: object) -> Event:
    """An event of `document` whose evidence is `sentence` (which must stand in its text)."""
    return Event.model_validate(
        {"doc_id": document.id, "evidence": evidence(document.text, sentence), **fields}
    )


def write(
    store: Store,
    batches: Batches,
    *,
    origin: str | None = None,
    classification: Classification = Classification.PUBLIC,
    owner_party: str | None = None,
) -> None:
    """Write every document and its events in one transaction (public unless told: most
    tests are about what anyone may see)."""
    with store.transaction(by=SYSTEM) as batch:
        for document, events in batches.items():
            document_pk, _ = batch.add_document(
                document, origin=origin, classification=classification, owner_party=owner_party
            )
            batch.add_events(document_pk, events)


def populate(url: str, batches: Batches, *, origin: str | None = None) -> tuple[StoredEvent, ...]:
    """Write the documents and events into the database at `url`; every event as stored."""
    with Store.open(url) as store:
        write(store, batches, origin=origin)
        return tuple(store.query_events(EventQuery(limit=1000), viewer=SYSTEM).items)
