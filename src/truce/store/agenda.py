"""What an agenda can be about, as the store holds it: the open records of the committee's
work (new incidents, open cases, overdue commitments, proposals under discussion, statements
in draft) and who may see each.

An agenda item copies its access from the record it refers to. Cases, proposals,
commitments and statements carry their own (owner party, classification). An incident has
none: a viewer sees it through its member events, so an item about one takes the most open
level among the members the drafter sees, and is described from those members alone; then
everyone who sees the item sees what it says.

The status values here are those of `truce.cases` and `truce.committee` (this module may not
import them): open cases are filed or investigating; commitments are open; proposals are
tabled or under discussion; statements are drafts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from truce.core.access import Classification, Principal
from truce.store.access import visible_to
from truce.store.committee_schema import (
    agenda_items,
    commitments,
    meetings,
    proposals,
    statements,
)
from truce.store.incidents import chunks, shown_join, shown_members, visible_incident_ids
from truce.store.schema import cases, events, incident_members, incidents
from truce.store.store import MAX_ID, Batch, Store

OPEN_CASE_STATES = ("filed", "investigating")
OPEN_COMMITMENT = "open"
DISCUSSED_PROPOSALS = ("tabled", "under-discussion")
DRAFT_STATEMENT = "draft"

#: the classified tables an agenda item may refer to, by the item's kind
REFERRED_TABLES: dict[str, sa.Table] = {
    "case": cases,
    "proposal": proposals,
    "commitment": commitments,
    "statement": statements,
}
INCIDENT = "incident"

_OPENNESS = {
    Classification.PUBLIC: 2,
    Classification.COMMITTEE: 1,
    Classification.RESTRICTED: 0,
}


@dataclass(frozen=True)
class Referent:
    """A record an agenda item may be about, as one viewer sees it: its title (an incident's
    description from the members at its level), status, the date that matters (an
    incident's creation, a case's or commitment's deadline), and the access an item about it
    takes."""

    kind: str
    ref_id: int
    title: str
    status: str | None
    date: dt.date | None
    classification: Classification
    owner_party: str | None


def hidden_references(
    connection: Connection, refs: Iterable[tuple[str, int]], viewer: Principal
) -> set[tuple[str, int]]:
    """Those of the (kind, id) references `viewer` may not see: missing records and unknown
    kinds among them."""
    wanted: dict[str, set[int]] = {}
    for kind, ref_id in refs:
        wanted.setdefault(kind, set()).add(ref_id)
    hidden: set[tuple[str, int]] = set()
    for kind, ids in wanted.items():
        seen = _visible_ids(connection, kind, ids, viewer)
        hidden.update((kind, ref_id) for ref_id in ids if ref_id not in seen)
    return hidden


def referent(connection: Connection, kind: str, ref_id: int, viewer: Principal) -> Referent | None:
    """The record (kind, id) as `viewer` sees it, or None if it may not (or there is none)."""
    if not 0 < ref_id <= MAX_ID:
        return None
    if kind == INCIDENT:
        found = incident_referents(connection, [ref_id], viewer)
        return found[0] if found else None
    table = REFERRED_TABLES.get(kind)
    if table is None:
        return None
    row = (
        connection.execute(sa.select(table).where(table.c.id == ref_id, visible_to(table, viewer)))
        .mappings()
        .first()
    )
    return None if row is None else _classified_referent(kind, dict(row))


def incident_referents(
    connection: Connection, incident_ids: Sequence[int], viewer: Principal
) -> list[Referent]:
    """The incidents of `incident_ids` that `viewer` may see, in that order, each described
    from its most open members `viewer` sees (see the module docstring)."""
    columns = [
        incident_members.c.incident_id,
        events.c.event_date,
        events.c.sub_event_type,
        events.c.event_type,
        events.c.location,
        events.c.classification,
        events.c.owner_party,
    ]
    members: dict[int, list[Any]] = {}
    for chunk in chunks(sorted({pk for pk in incident_ids if 0 < pk <= MAX_ID})):
        statement = (
            sa.select(*columns)
            .select_from(shown_join())
            .where(
                incident_members.c.incident_id.in_(chunk),
                shown_members(),
                visible_to(events, viewer),
            )
            .order_by(events.c.event_date, events.c.id)
        )
        for row in connection.execute(statement):
            members.setdefault(row.incident_id, []).append(row)
    found = []
    for incident_id in incident_ids:
        rows = members.get(incident_id)
        if not rows:
            continue
        classification, owner = _most_open(rows, viewer)
        shown = [
            row
            for row in rows
            if row.classification == classification.value
            and (classification is not Classification.RESTRICTED or row.owner_party == owner)
        ]
        # restricted members of several parties: only the chair sees such an item, and the
        # chair sees every member
        first = (shown or rows)[0]
        what = first.sub_event_type or first.event_type or "Event"
        where = f" in {first.location}" if first.location else ""
        found.append(
            Referent(
                kind=INCIDENT,
                ref_id=incident_id,
                title=f"{what}{where}",
                status=None,
                date=first.event_date,
                classification=classification,
                owner_party=owner,
            )
        )
    return found


def referent_in_batch(batch: Batch, kind: str, ref_id: int) -> Referent | None:
    """`referent` as the batch's principal sees it, inside its transaction."""
    return referent(batch.connection, kind, ref_id, batch.by)


# --- the open records a draft agenda is made of -----------------------------------------------


@dataclass(frozen=True)
class OpenRecords:
    """What a draft agenda for one meeting is made of, as one viewer sees it, read in one
    transaction: `since`, when the last held meeting before it began (None: none was held);
    and the (kind, id) of the records its agenda has already (seen or not)."""

    since: dt.datetime | None
    incidents: list[Referent]
    cases: list[Referent]
    commitments: list[Referent]
    proposals: list[Referent]
    statements: list[Referent]
    on_agenda: set[tuple[str, int]]


def read_open_records(
    store: Store,
    *,
    meeting_id: int,
    before: dt.datetime,
    viewer: Principal,
    until: dt.datetime,
    today: dt.date,
    limit: int,
) -> OpenRecords:
    """The open records for the agenda of meeting `meeting_id`, which begins at `before`:
    incidents created since the last held meeting before it (up to `until`), open cases,
    commitments overdue on `today`, proposals under discussion, statements in draft; at most
    `limit` of each."""
    with store.reading("drafting an agenda") as connection:
        since = previous_held_start(connection, before, viewer)
        on_agenda = {
            (kind, ref_id)
            for kind, ref_id in connection.execute(
                sa.select(agenda_items.c.kind, agenda_items.c.ref_id).where(
                    agenda_items.c.meeting_id == meeting_id, agenda_items.c.ref_id.is_not(None)
                )
            )
        }
        return OpenRecords(
            since=since,
            incidents=new_incidents(
                connection, viewer=viewer, since=since, until=until, limit=limit
            ),
            cases=open_cases(connection, viewer=viewer, today=today, limit=limit),
            commitments=overdue_commitments(connection, viewer=viewer, today=today, limit=limit),
            proposals=discussed_proposals(connection, viewer=viewer, limit=limit),
            statements=draft_statements(connection, viewer=viewer, limit=limit),
            on_agenda=on_agenda,
        )


def previous_held_start(
    connection: Connection, before: dt.datetime, viewer: Principal
) -> dt.datetime | None:
    """When the last held meeting `viewer` may see began, of those that began before
    `before`."""
    value: dt.datetime | None = connection.execute(
        sa.select(sa.func.max(meetings.c.starts_at)).where(
            meetings.c.status == "held",
            meetings.c.starts_at < before,
            visible_to(meetings, viewer),
        )
    ).scalar_one()
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def new_incidents(
    connection: Connection,
    *,
    viewer: Principal,
    since: dt.datetime | None,
    until: dt.datetime,
    limit: int,
) -> list[Referent]:
    """Incidents (not retired) created after `since` and up to `until` that `viewer` may
    see, the newest first, at most `limit`."""
    conditions: list[sa.ColumnElement[bool]] = [
        incidents.c.retired_at.is_(None),
        incidents.c.created_at <= until,
    ]
    if since is not None:
        conditions.append(incidents.c.created_at > since)
    ordered = list(
        connection.execute(
            sa.select(incidents.c.id)
            .where(*conditions)
            .order_by(incidents.c.created_at.desc(), incidents.c.id.desc())
        ).scalars()
    )
    chosen: list[int] = []
    for chunk in chunks(ordered):
        seen = visible_incident_ids(connection, chunk, viewer)
        chosen.extend(pk for pk in chunk if pk in seen)
        if len(chosen) >= limit:
            break
    return incident_referents(connection, chosen[:limit], viewer)


def open_cases(
    connection: Connection, *, viewer: Principal, today: dt.date, limit: int
) -> list[Referent]:
    """Open cases `viewer` may see: overdue ones first, then by deadline, then oldest."""
    overdue = sa.and_(cases.c.deadline.is_not(None), cases.c.deadline < today)
    statement = (
        sa.select(cases)
        .where(cases.c.state.in_(OPEN_CASE_STATES), visible_to(cases, viewer))
        .order_by(
            sa.case((overdue, 0), else_=1),
            sa.case((cases.c.deadline.is_(None), 1), else_=0),
            cases.c.deadline,
            cases.c.opened_at,
            cases.c.id,
        )
        .limit(limit)
    )
    return [
        _classified_referent("case", dict(row)) for row in connection.execute(statement).mappings()
    ]


def overdue_commitments(
    connection: Connection, *, viewer: Principal, today: dt.date, limit: int
) -> list[Referent]:
    """Open commitments past their deadline that `viewer` may see, the longest overdue first."""
    statement = (
        sa.select(commitments)
        .where(
            commitments.c.status == OPEN_COMMITMENT,
            commitments.c.deadline.is_not(None),
            commitments.c.deadline < today,
            visible_to(commitments, viewer),
        )
        .order_by(commitments.c.deadline, commitments.c.id)
        .limit(limit)
    )
    return [
        _classified_referent("commitment", dict(row))
        for row in connection.execute(statement).mappings()
    ]


def discussed_proposals(connection: Connection, *, viewer: Principal, limit: int) -> list[Referent]:
    """Proposals tabled or under discussion that `viewer` may see, the oldest first."""
    statement = (
        sa.select(proposals)
        .where(proposals.c.status.in_(DISCUSSED_PROPOSALS), visible_to(proposals, viewer))
        .order_by(proposals.c.created_at, proposals.c.id)
        .limit(limit)
    )
    return [
        _classified_referent("proposal", dict(row))
        for row in connection.execute(statement).mappings()
    ]


def draft_statements(connection: Connection, *, viewer: Principal, limit: int) -> list[Referent]:
    """Joint statements still in draft that `viewer` may see, the oldest first."""
    statement = (
        sa.select(statements)
        .where(statements.c.status == DRAFT_STATEMENT, visible_to(statements, viewer))
        .order_by(statements.c.created_at, statements.c.id)
        .limit(limit)
    )
    return [
        _classified_referent("statement", dict(row))
        for row in connection.execute(statement).mappings()
    ]


# --- helpers --------------------------------------------------------------------------------


def _visible_ids(
    connection: Connection, kind: str, ids: Iterable[int], viewer: Principal
) -> set[int]:
    possible = sorted({pk for pk in ids if 0 < pk <= MAX_ID})
    if kind == INCIDENT:
        return visible_incident_ids(connection, possible, viewer)
    table = REFERRED_TABLES.get(kind)
    if table is None or not possible:
        return set()
    seen: set[int] = set()
    for chunk in chunks(possible):
        seen.update(
            connection.execute(
                sa.select(table.c.id).where(table.c.id.in_(chunk), visible_to(table, viewer))
            ).scalars()
        )
    return seen


def _most_open(rows: Sequence[Any], viewer: Principal) -> tuple[Classification, str | None]:
    """The most open (classification, owner party) among an incident's members; among
    restricted ones only, the viewer's own party's, else the one owner, else the chair's."""
    level = max((Classification(row.classification) for row in rows), key=_OPENNESS.__getitem__)
    if level is not Classification.RESTRICTED:
        return level, None
    owners = {row.owner_party for row in rows}
    if viewer.party is not None and viewer.party in owners:
        return level, viewer.party
    if len(owners) == 1:
        return level, next(iter(owners))
    return level, None


def _classified_referent(kind: str, row: dict[str, Any]) -> Referent:
    date = row.get("deadline")
    status = row.get("state", row.get("status"))
    return Referent(
        kind=kind,
        ref_id=row["id"],
        title=row["title"],
        status=status,
        date=date,
        classification=Classification(row["classification"]),
        owner_party=row["owner_party"],
    )
