"""Every read of the store shows a viewer exactly what truce.core.access allows: pages,
their totals (counted per visibility branch), exports, single records and documents."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from builders import SYSTEM, event, write
from truce.core.access import Classification, Principal, Role, Track
from truce.core.errors import NotFoundError, PermissionDeniedError
from truce.core.models import Document
from truce.store import EventQuery, Store

#: (classification, owner party) of each document; each has two events, one in Lebanon
LEVELS = [
    (Classification.PUBLIC, None),
    (Classification.COMMITTEE, None),
    (Classification.COMMITTEE, "israel"),
    (Classification.RESTRICTED, "israel"),
    (Classification.RESTRICTED, "lebanon"),
    (Classification.RESTRICTED, None),
]

VIEWERS = {
    "public": Principal.public(),
    "observer": Principal(name="observer", role=Role.OBSERVER),
    "monitor": Principal(name="monitor", role=Role.MONITOR),
    "admin": Principal(name="admin", role=Role.ADMIN),
    "israel": Principal(
        name="delegate-il", role=Role.DELEGATE, party="israel", track=Track.MILITARY
    ),
    "lebanon": Principal(
        name="delegate-lb", role=Role.DELEGATE, party="lebanon", track=Track.CIVILIAN
    ),
    "chair": Principal(name="chair", role=Role.CHAIR),
    "system": SYSTEM,
}


def documents() -> Iterator[tuple[Document, Classification, str | None]]:
    for index, (level, party) in enumerate(LEVELS):
        word = f"word{index}"
        text = f"A strike hit Khiam ({word}). A rocket fell near Metula ({word})."
        yield Document(id=f"doc-{index}", text=text), level, party


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as opened:
        for document, level, party in documents():
            first, second = document.text.split(". ")
            events = [
                event(
                    document,
                    first + ".",
                    event_type="Explosions/Remote violence",
                    sub_event_type="Air/drone strike",
                    event_date=dt.date(2025, 5, 1),
                    country="LB",
                ),
                event(
                    document,
                    second,
                    event_type="Explosions/Remote violence",
                    sub_event_type="Shelling/artillery/missile attack",
                    event_date=dt.date(2025, 5, 2),
                    country="IL",
                ),
            ]
            write(opened, {document: events}, classification=level, owner_party=party)
        yield opened


def visible_levels(viewer: Principal) -> list[tuple[Classification, str | None]]:
    return [(level, party) for level, party in LEVELS if viewer.may_see(level, party)]


@pytest.mark.parametrize("name", list(VIEWERS))
def test_pages_totals_and_exports_show_exactly_what_may_be_seen(store: Store, name: str) -> None:
    viewer = VIEWERS[name]
    expected = visible_levels(viewer)
    for query, per_document in (
        (EventQuery(), 2),
        (EventQuery(country="LB"), 1),
        (EventQuery(text="rocket Metula"), 1),
        (EventQuery(limit=1), 2),
    ):
        page = store.query_events(query, viewer=viewer)
        assert page.total == per_document * len(expected), (name, query)
        if query.limit > 1:
            assert len(page.items) == page.total
        for item in page.items:
            assert viewer.may_see(item.classification, item.owner_party)
        streamed = list(store.iter_events(query, viewer=viewer))
        assert len(streamed) == per_document * len(expected)
        assert {(e.classification, e.owner_party) for e in streamed} <= set(expected)
    assert store.count_events(viewer=viewer) == 2 * len(expected)
    assert store.count_documents(viewer=viewer) == len(expected)


@pytest.mark.parametrize("name", list(VIEWERS))
def test_single_records_answer_not_found_when_hidden(store: Store, name: str) -> None:
    viewer = VIEWERS[name]
    every = store.query_events(EventQuery(limit=100), viewer=SYSTEM).items
    assert len(every) == 2 * len(LEVELS)
    for stored in every:
        if viewer.may_see(stored.classification, stored.owner_party):
            assert store.get_event(stored.id, viewer=viewer) == stored
            assert store.get_document(stored.document_pk, viewer=viewer).pk == stored.document_pk
        else:
            with pytest.raises(NotFoundError, match=f"no event with id {stored.id}$"):
                store.get_event(stored.id, viewer=viewer)
            with pytest.raises(NotFoundError, match=f"no document with id {stored.document_pk}$"):
                store.get_document(stored.document_pk, viewer=viewer)
    for document, level, party in documents():
        found = store.document_by_sha(document.sha256, viewer=viewer)
        assert (found is not None) == viewer.may_see(level, party)


def test_reclassifying_a_document_takes_its_events_along_and_is_audited(store: Store) -> None:
    lebanon = VIEWERS["lebanon"]
    before = store.query_events(viewer=lebanon).total
    restricted_israel = 4  # the fourth document (pk 4) is restricted to israel
    with store.transaction(by=SYSTEM) as batch:
        changed = batch.set_classification("document", restricted_israel, Classification.PUBLIC)
    assert changed == 3  # the document and its two events
    assert store.query_events(viewer=lebanon).total == before + 2
    with store.transaction(by=SYSTEM) as batch:  # the same again changes nothing
        assert batch.set_classification("document", restricted_israel, Classification.PUBLIC) == 0


def test_an_event_is_never_more_open_than_its_document(store: Store) -> None:
    (committee_event, *_) = [
        e
        for e in store.query_events(viewer=SYSTEM).items
        if e.classification is Classification.COMMITTEE and e.owner_party is None
    ]
    with (
        pytest.raises(PermissionDeniedError, match="reclassify the document"),
        store.transaction(by=SYSTEM) as batch,
    ):
        batch.set_classification("event", committee_event.id, Classification.PUBLIC)
    assert store.get_event(committee_event.id, viewer=SYSTEM).classification == "committee"


def test_a_delegate_writes_only_for_its_own_party(store: Store) -> None:
    lebanon = VIEWERS["lebanon"]
    document = Document(id="complaint", text="Israeli forces demolished a house in Houla.")
    with (
        pytest.raises(PermissionDeniedError, match="only file records of lebanon"),
        store.transaction(by=lebanon) as batch,
    ):
        batch.add_document(document, classification=Classification.RESTRICTED, owner_party="israel")
    with store.transaction(by=lebanon) as batch:
        pk, is_new = batch.add_document(
            document, classification=Classification.RESTRICTED, owner_party="lebanon"
        )
    assert is_new
    with pytest.raises(NotFoundError):
        store.get_document(pk, viewer=VIEWERS["israel"])
    with (
        pytest.raises(PermissionDeniedError, match="may not write"),
        store.transaction(by=VIEWERS["observer"]) as batch,
    ):
        batch.add_document(Document(id="x", text="An observer's note."))
