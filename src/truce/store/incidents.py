"""Incidents in the database: membership (with its history), the actions that changed it, the
constraints analysts' decisions leave for the linker, and every read of them.

An incident has no classification of its own: a viewer sees it through the member events it
may see (`visible_to(events, viewer)`). What an incident *shows* is its active members; a
retired one shows the members it had when it was retired (the rows its retiring action
removed), so a case pointing at it still has something to show, to those allowed to see it.

The rules (who may reshape incidents, how the linker's result becomes membership) are
`truce.incidents.book`'s; this module only reads and writes rows, in bulk where a link run
over a million events needs it.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping
from sqlalchemy.sql.elements import ColumnElement

from truce.core.access import Principal
from truce.core.models import Event, Evidence
from truce.store.access import visible_to
from truce.store.query import EventQuery
from truce.store.records import StoredEvent
from truce.store.schema import (
    documents,
    events,
    incident_actions,
    incident_members,
    incidents,
    link_constraints,
)
from truce.store.search import search_terms, text_condition
from truce.store.store import (
    MAX_ID,
    PLAIN_EVENT_FIELDS,
    Batch,
    Store,
    events_select,
    published_value,
    stored_event,
)

T = TypeVar("T")

#: ids per IN (...) list: well under SQLite's and PostgreSQL's limits on bound parameters
CHUNK = 1000
#: pg_advisory_xact_lock key held while reshaping incidents ("incid" in ASCII)
_PG_INCIDENTS_LOCK = 0x696E636964
#: rows fetched at a time when streaming every event or incident
STREAM_ROWS = 2000


@dataclass(frozen=True, slots=True)
class MemberRow:
    """One incident_members row: an event in an incident, and how it got there."""

    id: int
    incident_id: int
    event_id: int
    added_at: dt.datetime
    added_by: str
    added_action: int
    link_score: float | None
    linked_to: int | None


@dataclass(frozen=True, slots=True)
class IncidentRow:
    """One incidents row."""

    id: int
    created_at: dt.datetime
    created_by: str
    retired_at: dt.datetime | None
    retired_by: str | None
    retired_action: int | None
    superseded_by: int | None


@dataclass(frozen=True, slots=True)
class ActionRow:
    """One incident_actions row; `detail` as stored (see truce.incidents.book)."""

    id: int
    kind: str
    at: dt.datetime
    by: str
    reason: str | None
    detail: dict[str, Any]
    undone_at: dt.datetime | None
    undone_by: str | None
    undoes: int | None


@dataclass(frozen=True, slots=True)
class ConstraintRow:
    """One link_constraints row still in force."""

    id: int
    kind: str  # together | apart
    event_a: int
    event_b: int
    action_id: int


def chunks(values: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    """`values` in slices of at most `size`."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _possible(ids: Iterable[int]) -> list[int]:
    """Ids are positive 32-bit integers; asking PostgreSQL for others is an error, not a miss."""
    return sorted({i for i in ids if 0 < i <= MAX_ID})


# --- what an incident shows, and to whom ------------------------------------------------------


def shown_members() -> ColumnElement[bool]:
    """The member rows an incident shows: active ones; a retired incident's, those its
    retiring action removed. For a select over `shown_join()`."""
    return sa.or_(
        sa.and_(incidents.c.retired_at.is_(None), incident_members.c.removed_at.is_(None)),
        sa.and_(
            incidents.c.retired_at.is_not(None),
            incident_members.c.removed_action == incidents.c.retired_action,
        ),
    )


def shown_join() -> sa.Join:
    """incident_members with their incident and their event."""
    return incident_members.join(incidents, incidents.c.id == incident_members.c.incident_id).join(
        events, events.c.id == incident_members.c.event_id
    )


def visible_incident_ids(connection: Connection, ids: Iterable[int], viewer: Principal) -> set[int]:
    """Those of `ids` that are incidents `viewer` may see: at least one member it shows is an
    event the viewer may see. Unknown ids and incidents seen only through hidden events are
    left out alike."""
    found: set[int] = set()
    for chunk in chunks(_possible(ids)):
        statement = (
            sa.select(incident_members.c.incident_id)
            .distinct()
            .select_from(shown_join())
            .where(
                incident_members.c.incident_id.in_(chunk),
                shown_members(),
                visible_to(events, viewer),
            )
        )
        found.update(connection.execute(statement).scalars())
    return found


def visible_event_ids(connection: Connection, ids: Iterable[int], viewer: Principal) -> set[int]:
    """Those of `ids` that are events `viewer` may see."""
    found: set[int] = set()
    for chunk in chunks(_possible(ids)):
        statement = sa.select(events.c.id).where(events.c.id.in_(chunk), visible_to(events, viewer))
        found.update(connection.execute(statement).scalars())
    return found


def shown_member_events(
    connection: Connection, incident_ids: Collection[int], viewer: Principal
) -> dict[int, list[tuple[MemberRow, StoredEvent]]]:
    """The members each incident shows that `viewer` may see, with their events, by event id."""
    found: dict[int, list[tuple[MemberRow, StoredEvent]]] = {pk: [] for pk in incident_ids}
    member_columns = [c.label(f"m_{c.name}") for c in incident_members.c]
    for chunk in chunks(_possible(incident_ids)):
        statement = (
            events_select()
            .add_columns(*member_columns)
            .join(incident_members, incident_members.c.event_id == events.c.id)
            .join(incidents, incidents.c.id == incident_members.c.incident_id)
            .where(
                incident_members.c.incident_id.in_(chunk),
                shown_members(),
                visible_to(events, viewer),
            )
            .order_by(incident_members.c.incident_id, events.c.id)
        )
        for row in connection.execute(statement).mappings():
            member = _member(row, prefix="m_")
            found[member.incident_id].append((member, stored_event(row)))
    return found


def incident_rows(connection: Connection, ids: Collection[int]) -> dict[int, IncidentRow]:
    """The incidents rows of `ids`, whoever may see them (callers check visibility)."""
    found: dict[int, IncidentRow] = {}
    for chunk in chunks(_possible(ids)):
        statement = sa.select(incidents).where(incidents.c.id.in_(chunk))
        for row in connection.execute(statement).mappings():
            found[row["id"]] = IncidentRow(**row)
    return found


def page_incident_ids(
    store: Store,
    connection: Connection,
    query: EventQuery,
    *,
    viewer: Principal,
    ids: Collection[int] | None,
    include_retired: bool,
    limit: int,
    offset: int,
) -> tuple[list[int], int]:
    """One page of the incidents `viewer` sees with at least one visible member matching
    `query`'s filters (its limit and offset aside), latest member date first; and the total.

    The order is by the latest date among the visible members shown, so a viewer's order
    never depends on a member it does not see.
    """
    matches = [*store.event_filters(query)]  # the event list's own filters, so both agree
    terms = search_terms(query.text)
    if terms:
        matches.append(text_condition(terms, store.dialect))
    conditions: list[ColumnElement[bool]] = [shown_members(), visible_to(events, viewer)]
    if not include_retired:
        conditions.append(incidents.c.retired_at.is_(None))
    if ids is not None:
        wanted = _possible(ids)
        if not wanted:
            return [], 0
        conditions.append(incident_members.c.incident_id.in_(wanted))
    latest = sa.func.max(events.c.event_date).label("latest")
    grouped = (
        sa.select(incident_members.c.incident_id.label("incident_id"), latest)
        .select_from(shown_join())
        .where(*conditions)
        .group_by(incident_members.c.incident_id)
    )
    if matches:
        matched = sa.case((sa.and_(*matches), 1), else_=0)
        grouped = grouped.having(sa.func.max(matched) == 1)
    found = grouped.subquery()
    total = connection.execute(sa.select(sa.func.count()).select_from(found)).scalar_one()
    page = (
        sa.select(found.c.incident_id)
        .order_by(found.c.latest.desc().nulls_last(), found.c.incident_id.desc())
        .limit(limit)
        .offset(offset)
    )
    return list(connection.execute(page).scalars()), total


def iter_visible_incident_ids(store: Store, viewer: Principal) -> Iterator[list[int]]:
    """Every active incident `viewer` sees, by id, in chunks (each read in its own short
    transaction, so a long consumer holds no snapshot open)."""
    after = 0
    while True:
        statement = (
            sa.select(incident_members.c.incident_id)
            .distinct()
            .select_from(shown_join())
            .where(
                incidents.c.retired_at.is_(None),
                incident_members.c.removed_at.is_(None),
                incident_members.c.incident_id > after,
                visible_to(events, viewer),
            )
            .order_by(incident_members.c.incident_id)
            .limit(CHUNK // 2)
        )
        with store.reading("listing incidents") as connection:
            found = list(connection.execute(statement).scalars())
        if not found:
            return
        yield found
        after = found[-1]


def actions_touching(connection: Connection, incident_id: int) -> list[ActionRow]:
    """Every action that added or removed a member of the incident, oldest first."""
    touched = sa.union(
        sa.select(incident_members.c.added_action.label("action_id")).where(
            incident_members.c.incident_id == incident_id
        ),
        sa.select(incident_members.c.removed_action.label("action_id")).where(
            incident_members.c.incident_id == incident_id,
            incident_members.c.removed_action.is_not(None),
        ),
        sa.select(incidents.c.retired_action.label("action_id")).where(
            incidents.c.id == incident_id, incidents.c.retired_action.is_not(None)
        ),
    ).subquery()
    statement = (
        sa.select(incident_actions)
        .where(incident_actions.c.id.in_(sa.select(touched.c.action_id)))
        .order_by(incident_actions.c.id)
    )
    return [_action(row) for row in connection.execute(statement).mappings()]


# --- reading the state to change (inside a Batch) --------------------------------------------


@dataclass(frozen=True, slots=True)
class LinkInput:
    """An event as the linker needs it: its id, document, outlet and publication time."""

    id: int
    document_pk: int
    source: str | None
    published: dt.datetime | dt.date | None
    event: Event


#: the columns the linker reads: the contract's fields but the sources and extras
_LINK_FIELDS = PLAIN_EVENT_FIELDS
#: repeated across events (types, actors, places): one string object each, not one per event
_SHARED_TEXT = ("event_type", "sub_event_type", "actor1", "actor2", "location", "admin1")


def iter_link_inputs(connection: Connection) -> Iterator[LinkInput]:
    """Every stored event with only what the linker reads, by id, streamed: a million
    events must fit in memory at once, so no titles, URLs, sources or extras."""
    statement = (
        sa.select(
            events.c.id,
            events.c.document_pk,
            *(events.c[name] for name in _LINK_FIELDS),
            events.c.evidence_text,
            events.c.evidence_start,
            events.c.evidence_end,
            documents.c.doc_id,
            documents.c.source,
            documents.c.published,
            documents.c.published_has_time,
        )
        .select_from(events.join(documents, events.c.document_pk == documents.c.id))
        .order_by(events.c.id)
    )
    with connection.execute(statement.execution_options(yield_per=STREAM_ROWS)) as result:
        for row in result.mappings():
            data: dict[str, Any] = {name: row[name] for name in _LINK_FIELDS}
            for name in _SHARED_TEXT:
                if data[name] is not None:
                    data[name] = sys.intern(data[name])
            data["doc_id"] = row["doc_id"]
            data["evidence"] = Evidence(
                text=row["evidence_text"], start=row["evidence_start"], end=row["evidence_end"]
            )
            yield LinkInput(
                id=row["id"],
                document_pk=row["document_pk"],
                source=row["source"],
                published=published_value(row["published"], row["published_has_time"]),
                event=Event.model_validate(data),
            )


def active_memberships(connection: Connection) -> dict[int, MemberRow]:
    """Every active member row, by event id."""
    statement = sa.select(incident_members).where(incident_members.c.removed_at.is_(None))
    with connection.execute(statement.execution_options(yield_per=STREAM_ROWS * 5)) as result:
        return {row["event_id"]: _member(row) for row in result.mappings()}


def members_of(connection: Connection, incident_ids: Collection[int]) -> dict[int, list[MemberRow]]:
    """The active member rows of each incident, by event id."""
    found: dict[int, list[MemberRow]] = {pk: [] for pk in incident_ids}
    for chunk in chunks(_possible(incident_ids)):
        statement = (
            sa.select(incident_members)
            .where(
                incident_members.c.incident_id.in_(chunk),
                incident_members.c.removed_at.is_(None),
            )
            .order_by(incident_members.c.event_id)
        )
        for row in connection.execute(statement).mappings():
            found[row["incident_id"]].append(_member(row))
    return found


def active_constraints(
    connection: Connection, event_ids: Collection[int] | None = None
) -> list[ConstraintRow]:
    """The constraints in force (of these events only, when given), by id."""
    base = sa.select(link_constraints).where(link_constraints.c.retracted_at.is_(None))
    if event_ids is None:
        rows: Iterable[RowMapping] = connection.execute(
            base.order_by(link_constraints.c.id)
        ).mappings()
        return [_constraint(row) for row in rows]
    found: dict[int, ConstraintRow] = {}
    for chunk in chunks(_possible(event_ids)):
        statement = base.where(
            sa.or_(link_constraints.c.event_a.in_(chunk), link_constraints.c.event_b.in_(chunk))
        )
        for row in connection.execute(statement).mappings():
            found[row["id"]] = _constraint(row)
    return [found[pk] for pk in sorted(found)]


def action_row(connection: Connection, action_id: int) -> ActionRow | None:
    if not 0 < action_id <= MAX_ID:
        return None
    row = (
        connection.execute(sa.select(incident_actions).where(incident_actions.c.id == action_id))
        .mappings()
        .first()
    )
    return None if row is None else _action(row)


def removed_by(connection: Connection, action_id: int) -> list[MemberRow]:
    """The member rows an action removed (an undo puts them back, with their link scores)."""
    statement = sa.select(incident_members).where(incident_members.c.removed_action == action_id)
    return [_member(row) for row in connection.execute(statement).mappings()]


# --- writing (inside a Batch; the caller records the audit entries) --------------------------


def lock_incidents(batch: Batch) -> None:
    """Hold the incidents for this transaction: two reshapings (a link run and a merge, say)
    read and rewrite the same membership, so they run one after the other. SQLite's write
    transaction is exclusive already; PostgreSQL takes a transaction-scoped advisory lock."""
    if batch.connection.dialect.name == "postgresql":
        batch.connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_INCIDENTS_LOCK})")


def insert_action(
    batch: Batch,
    *,
    kind: str,
    at: dt.datetime,
    reason: str | None,
    detail: dict[str, Any],
    undoes: int | None = None,
) -> ActionRow:
    values: dict[str, Any] = {
        "kind": kind,
        "at": at,
        "by": batch.by.name,
        "reason": reason,
        "detail": detail,
        "undoes": undoes,
    }
    action_id = batch.connection.execute(
        sa.insert(incident_actions).values(values).returning(incident_actions.c.id)
    ).scalar_one()
    return ActionRow(id=action_id, undone_at=None, undone_by=None, **values)


def set_detail(batch: Batch, action_id: int, detail: dict[str, Any]) -> None:
    """Complete an action's detail once the rows it wrote have ids."""
    batch.connection.execute(
        sa.update(incident_actions).where(incident_actions.c.id == action_id).values(detail=detail)
    )


def set_undone(batch: Batch, action_id: int, at: dt.datetime | None) -> None:
    """Mark an action undone now (or, with None, no longer undone: its undo was undone)."""
    batch.connection.execute(
        sa.update(incident_actions)
        .where(incident_actions.c.id == action_id)
        .values(undone_at=at, undone_by=None if at is None else batch.by.name)
    )


def create_incidents(batch: Batch, count: int, at: dt.datetime) -> list[int]:
    """`count` new incidents; their ids, in order."""
    if count == 0:
        return []
    rows = [{"created_at": at, "created_by": batch.by.name} for _ in range(count)]
    statement = sa.insert(incidents).returning(incidents.c.id, sort_by_parameter_order=True)
    return list(batch.connection.execute(statement, rows).scalars())


def retire_incidents(
    batch: Batch, retired: dict[int, int | None], at: dt.datetime, action_id: int
) -> None:
    """Retire each incident (left with no members), naming the one that took most of them."""
    if not retired:
        return
    statement = (
        sa.update(incidents)
        .where(incidents.c.id == sa.bindparam("incident_pk"))
        .values(
            retired_at=at,
            retired_by=batch.by.name,
            retired_action=action_id,
            superseded_by=sa.bindparam("successor"),
        )
    )
    batch.connection.execute(
        statement,
        [{"incident_pk": pk, "successor": successor} for pk, successor in retired.items()],
    )


def reactivate_incidents(batch: Batch, ids: Collection[int]) -> None:
    """Bring retired incidents back (an undo of the action that retired them)."""
    for chunk in chunks(_possible(ids)):
        batch.connection.execute(
            sa.update(incidents)
            .where(incidents.c.id.in_(chunk))
            .values(retired_at=None, retired_by=None, retired_action=None, superseded_by=None)
        )


def add_members(
    batch: Batch, rows: Sequence[dict[str, Any]], at: dt.datetime, action_id: int
) -> None:
    """Insert active member rows (`incident_id`, `event_id`, `link_score`, `linked_to`)."""
    if not rows:
        return
    full = [
        {**row, "added_at": at, "added_by": batch.by.name, "added_action": action_id}
        for row in rows
    ]
    batch.connection.execute(sa.insert(incident_members), full)


def remove_members(batch: Batch, row_ids: Collection[int], at: dt.datetime, action_id: int) -> None:
    """Mark member rows removed (never deleted)."""
    for chunk in chunks(sorted(row_ids)):
        batch.connection.execute(
            sa.update(incident_members)
            .where(incident_members.c.id.in_(chunk))
            .values(removed_at=at, removed_by=batch.by.name, removed_action=action_id)
        )


def add_constraints(
    batch: Batch, kind: str, pairs: Iterable[tuple[int, int]], action_id: int
) -> list[int]:
    """New constraints of one kind (each pair stored low id first); their ids."""
    rows = [
        {"kind": kind, "event_a": min(a, b), "event_b": max(a, b), "action_id": action_id}
        for a, b in pairs
    ]
    if not rows:
        return []
    statement = sa.insert(link_constraints).returning(
        link_constraints.c.id, sort_by_parameter_order=True
    )
    return list(batch.connection.execute(statement, rows).scalars())


def set_constraints_retracted(
    batch: Batch, constraint_ids: Collection[int], at: dt.datetime | None
) -> None:
    """Retract constraints (at `at`), or put them back in force (None)."""
    for chunk in chunks(sorted(constraint_ids)):
        batch.connection.execute(
            sa.update(link_constraints)
            .where(link_constraints.c.id.in_(chunk))
            .values(retracted_at=at)
        )


# --- rows to records --------------------------------------------------------------------------


def _member(row: RowMapping, prefix: str = "") -> MemberRow:
    return MemberRow(
        id=row[f"{prefix}id"],
        incident_id=row[f"{prefix}incident_id"],
        event_id=row[f"{prefix}event_id"],
        added_at=row[f"{prefix}added_at"],
        added_by=row[f"{prefix}added_by"],
        added_action=row[f"{prefix}added_action"],
        link_score=row[f"{prefix}link_score"],
        linked_to=row[f"{prefix}linked_to"],
    )


def _action(row: RowMapping) -> ActionRow:
    return ActionRow(**row)


def _constraint(row: RowMapping) -> ConstraintRow:
    return ConstraintRow(
        id=row["id"],
        kind=row["kind"],
        event_a=row["event_a"],
        event_b=row["event_b"],
        action_id=row["action_id"],
    )
