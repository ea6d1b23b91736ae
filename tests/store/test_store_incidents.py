"""The incident tables and their queries (truce.store.incidents), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from builders import ISRAEL, SYSTEM, event, write
from truce.core.access import Classification, Principal, Role
from truce.core.errors import StoreError
from truce.core.models import Document
from truce.store import EventQuery, Store
from truce.store import incidents as rows
from truce.store.schema import incident_members

NOW = dt.datetime(2025, 1, 20, 12, tzinfo=dt.UTC)
PUBLIC = Principal.public()
CHAIR = Principal(name="chair", role=Role.CHAIR)
ISRAEL_DELEGATE = Principal(name="idf", role=Role.DELEGATE, party="israel")
LEBANON_DELEGATE = Principal(name="laf", role=Role.DELEGATE, party="lebanon")


def _document(doc_id: str, sentence: str) -> Document:
    return Document(id=doc_id, text=sentence, published=dt.date(2025, 1, 15), source=doc_id)


def _events(store: Store) -> dict[str, int]:
    """One public and one Lebanese restricted event, of one strike; their ids by doc id."""
    sentences = {
        "public": "An Israeli drone struck Khiam on 14 January.",
        "restricted": "The army reported an Israeli drone strike on Khiam on 14 January.",
    }
    for doc_id, sentence in sentences.items():
        document = _document(doc_id, sentence)
        ev = event(
            document,
            sentence,
            event_type="Explosions/Remote violence",
            sub_event_type="Air/drone strike",
            event_date=dt.date(2025, 1, 14),
            actor1=ISRAEL,
            location="Khiam",
            country="LB",
        )
        if doc_id == "public":
            write(store, {document: [ev]})
        else:
            write(
                store,
                {document: [ev]},
                classification=Classification.RESTRICTED,
                owner_party="lebanon",
            )
    page = store.query_events(EventQuery(), viewer=SYSTEM)
    return {e.doc_id: e.id for e in page.items}


def _incident(store: Store, members: list[int]) -> tuple[int, int]:
    """A new incident holding `members`; (incident id, action id)."""
    with store.transaction(by=SYSTEM) as batch:
        (incident_id,) = rows.create_incidents(batch, 1, NOW)
        action = rows.insert_action(batch, kind="link", at=NOW, reason=None, detail={})
        rows.add_members(
            batch,
            [
                {"incident_id": incident_id, "event_id": e, "link_score": 1.0, "linked_to": None}
                for e in members
            ],
            NOW,
            action.id,
        )
    return incident_id, action.id


def test_an_incident_is_visible_through_the_members_a_viewer_sees(store: Store) -> None:
    ids = _events(store)
    both, _ = _incident(store, [ids["public"], ids["restricted"]])
    with store.transaction(by=SYSTEM) as batch:
        rows.remove_members(
            batch,
            [m.id for m in rows.members_of(batch.connection, [both])[both]],
            NOW,
            rows.insert_action(batch, kind="split", at=NOW, reason=None, detail={}).id,
        )
    secret, _ = _incident(store, [ids["restricted"]])
    shared, _ = _incident(store, [ids["public"]])
    asked = [both, secret, shared, 0, -5, 2**40, 999]
    with store.reading("test") as connection:
        assert rows.visible_incident_ids(connection, asked, CHAIR) == {secret, shared}
        assert rows.visible_incident_ids(connection, asked, LEBANON_DELEGATE) == {secret, shared}
        assert rows.visible_incident_ids(connection, asked, ISRAEL_DELEGATE) == {shared}
        assert rows.visible_incident_ids(connection, asked, PUBLIC) == {shared}
        shown = rows.shown_member_events(connection, [secret, shared], PUBLIC)
    assert shown[secret] == []
    assert [e.doc_id for _, e in shown[shared]] == ["public"]


def test_an_event_is_an_active_member_of_one_incident_at_most(store: Store) -> None:
    ids = _events(store)
    first, _ = _incident(store, [ids["public"]])
    with pytest.raises(StoreError):
        _incident(store, [ids["public"]])
    with store.transaction(by=SYSTEM) as batch:
        action = rows.insert_action(batch, kind="split", at=NOW, reason=None, detail={})
        (row,) = rows.members_of(batch.connection, [first])[first]
        rows.remove_members(batch, [row.id], NOW, action.id)
    second, _ = _incident(store, [ids["public"]])  # a removed row does not count
    with store.reading("test") as connection:
        history = connection.execute(
            sa.select(incident_members.c.incident_id, incident_members.c.removed_at)
            .where(incident_members.c.event_id == ids["public"])
            .order_by(incident_members.c.id)
        ).all()
    assert [(pk, removed is not None) for pk, removed in history] == [
        (first, True),
        (second, False),
    ]


def test_a_retired_incident_shows_the_members_it_had_when_retired(store: Store) -> None:
    ids = _events(store)
    gone, _ = _incident(store, [ids["public"], ids["restricted"]])
    with store.transaction(by=SYSTEM) as batch:
        action = rows.insert_action(batch, kind="merge", at=NOW, reason=None, detail={})
        members = rows.members_of(batch.connection, [gone])[gone]
        rows.remove_members(batch, [m.id for m in members], NOW, action.id)
        rows.retire_incidents(batch, {gone: None}, NOW, action.id)
    with store.reading("test") as connection:
        assert rows.visible_incident_ids(connection, [gone], PUBLIC) == {gone}
        shown = rows.shown_member_events(connection, [gone], ISRAEL_DELEGATE)[gone]
        assert [e.doc_id for _, e in shown] == ["public"]
        everything = rows.shown_member_events(connection, [gone], CHAIR)[gone]
        assert sorted(e.doc_id for _, e in everything) == ["public", "restricted"]
        (state,) = rows.incident_rows(connection, [gone]).values()
        assert state.retired_action == action.id
        assert state.retired_at == NOW
        page, total = rows.page_incident_ids(
            store,
            connection,
            EventQuery(),
            viewer=PUBLIC,
            ids=None,
            include_retired=False,
            limit=10,
            offset=0,
        )
        assert (page, total) == ([], 0)
        page, total = rows.page_incident_ids(
            store,
            connection,
            EventQuery(),
            viewer=PUBLIC,
            ids=None,
            include_retired=True,
            limit=10,
            offset=0,
        )
        assert (page, total) == ([gone], 1)


def test_constraints_are_retracted_and_restored(store: Store) -> None:
    ids = _events(store)
    a, b = sorted(ids.values())
    with store.transaction(by=SYSTEM) as batch:
        action = rows.insert_action(batch, kind="merge", at=NOW, reason=None, detail={})
        (together,) = rows.add_constraints(batch, "together", [(b, a)], action.id)
    with store.reading("test") as connection:
        (found,) = rows.active_constraints(connection, [a])
        assert (found.id, found.kind, found.event_a, found.event_b) == (together, "together", a, b)
    with store.transaction(by=SYSTEM) as batch:
        rows.set_constraints_retracted(batch, [together], NOW)
    with store.reading("test") as connection:
        assert rows.active_constraints(connection) == []
    with store.transaction(by=SYSTEM) as batch:
        rows.set_constraints_retracted(batch, [together], None)
    with store.reading("test") as connection:
        assert [c.id for c in rows.active_constraints(connection, [b])] == [together]
