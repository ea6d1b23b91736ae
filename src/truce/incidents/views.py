"""Incidents as one viewer sees them: pages, one incident with its members, actions,
candidate violations and cases, and why two stored events would or would not be linked.

A viewer sees an incident iff it may see one of its members; the summary, members, agreement
check, cases and actions are computed from what it sees alone (see `truce.incidents.book`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from sqlalchemy.engine import Connection

from truce.agreement import AgreementChecker, CandidateViolation
from truce.core.access import Principal
from truce.core.errors import InputError, NotFoundError
from truce.incidents.book import (
    DEFAULT_PAGE,
    MAX_PAGE,
    RESHAPING_ROLES,
    VIEW_CHUNK,
    IncidentAction,
    action_view,
    linkable,
    named_events,
)
from truce.incidents.link import IncidentCluster, explain_link, summarise
from truce.incidents.similarity import LinkDecision, LinkSettings
from truce.store import EventQuery, Store, StoredEvent
from truce.store import incidents as rows
from truce.store.cases import cases_of_incidents
from truce.store.query import BBox
from truce.theatre import TheatrePack, load_pack


@dataclass(frozen=True)
class IncidentMemberView:
    """A member event as a viewer sees it, with its document and its best visible link."""

    event: StoredEvent
    doc_id: str
    title: str | None
    source: str | None
    url: str | None
    published: dt.datetime | dt.date | None
    link_score: float
    linked_to: int | None
    added_by: str
    added_at: dt.datetime


@dataclass(frozen=True)
class IncidentView:
    """An incident as one viewer sees it (see the module docstring)."""

    id: int
    summary: IncidentCluster
    members: list[IncidentMemberView]
    retired_at: dt.datetime | None
    superseded_by: int | None
    actions: list[IncidentAction] = field(default_factory=list)
    violations: list[CandidateViolation] = field(default_factory=list)
    cases: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class IncidentQuery:
    """Filters over incidents: an incident matches if one of its members the viewer sees
    matches every event filter (see EventQuery for their meaning)."""

    start: dt.date | None = None
    end: dt.date | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    country: str | None = None
    actor: str | None = None
    bbox: BBox | None = None
    text: str | None = None
    ids: tuple[int, ...] | None = None
    include_retired: bool = False
    limit: int = DEFAULT_PAGE
    offset: int = 0

    def __post_init__(self) -> None:
        if not 1 <= self.limit <= MAX_PAGE:
            raise InputError(
                f"limit must be between 1 and {MAX_PAGE}, not {self.limit}", source="limit"
            )
        if self.offset < 0:
            raise InputError(f"offset must not be negative, not {self.offset}", source="offset")
        self.event_query()  # the event filters, validated now

    def event_query(self) -> EventQuery:
        return EventQuery(
            start=self.start,
            end=self.end,
            event_type=self.event_type,
            sub_event_type=self.sub_event_type,
            country=self.country,
            actor=self.actor,
            bbox=self.bbox,
            text=self.text,
        )


@dataclass(frozen=True)
class IncidentPage:
    items: list[IncidentView]
    total: int
    limit: int
    offset: int


# --- reading ------------------------------------------------------------------------------


def get_incident(
    store: Store, incident_id: int, *, viewer: Principal, pack: TheatrePack | None = None
) -> IncidentView:
    """The incident as `viewer` sees it, with its actions (for the chair, monitors and the
    system); NotFoundError if there is none or the viewer sees none of its members."""
    checker = _checker(pack)
    with store.reading("reading an incident") as connection:
        views = _views(connection, [incident_id], viewer, checker, with_actions=True)
    if not views:
        raise NotFoundError(f"no incident with id {incident_id}")
    return views[0]


def list_incidents(
    store: Store, query: IncidentQuery, *, viewer: Principal, pack: TheatrePack | None = None
) -> IncidentPage:
    """A page of the incidents `viewer` sees matching `query`, latest first (no actions)."""
    checker = _checker(pack)
    with store.reading("listing incidents") as connection:
        ids, total = rows.page_incident_ids(
            store,
            connection,
            query.event_query(),
            viewer=viewer,
            ids=query.ids,
            include_retired=query.include_retired,
            limit=query.limit,
            offset=query.offset,
        )
        views = _views(connection, ids, viewer, checker, with_actions=False)
    return IncidentPage(items=views, total=total, limit=query.limit, offset=query.offset)


def iter_incident_views(
    store: Store, *, viewer: Principal, pack: TheatrePack | None = None
) -> Iterator[IncidentView]:
    """Every active incident `viewer` sees (for counting), by id, in chunks, no actions."""
    checker = _checker(pack)
    for chunk in rows.iter_visible_incident_ids(store, viewer):
        for start in range(0, len(chunk), VIEW_CHUNK):
            with store.reading("reading incidents") as connection:
                views = _views(
                    connection, chunk[start : start + VIEW_CHUNK], viewer, checker, False
                )
            yield from views


def _checker(pack: TheatrePack | None) -> AgreementChecker:
    return AgreementChecker.for_pack(pack if pack is not None else load_pack(None))


def _sees_actions(viewer: Principal) -> bool:
    return viewer.sees_everything or viewer.role in RESHAPING_ROLES


def _views(
    connection: Connection,
    ids: Sequence[int],
    viewer: Principal,
    checker: AgreementChecker,
    with_actions: bool,
) -> list[IncidentView]:
    """Views of the incidents among `ids` that `viewer` sees, in the order of `ids`."""
    shown = rows.shown_member_events(connection, ids, viewer)
    states = rows.incident_rows(connection, [pk for pk in ids if shown.get(pk)])
    cases = cases_of_incidents(connection, list(states), viewer)
    views = []
    for pk in ids:
        members = shown.get(pk)
        if not members:
            continue
        summary = summarise([linkable(event) for _, event in members])
        best = {m.id: m for m in summary.members}
        actions: list[IncidentAction] = []
        if with_actions and _sees_actions(viewer):
            actions = _visible_actions(connection, pk, viewer)
        state = states[pk]
        views.append(
            IncidentView(
                id=pk,
                summary=summary,
                members=[
                    IncidentMemberView(
                        event=event,
                        doc_id=event.doc_id,
                        title=event.title,
                        source=event.source,
                        url=event.url,
                        published=event.published,
                        link_score=best[event.id].score,
                        linked_to=best[event.id].linked_to,
                        added_by=member.added_by,
                        added_at=member.added_at,
                    )
                    for member, event in members
                ],
                retired_at=state.retired_at,
                superseded_by=state.superseded_by,
                actions=actions,
                violations=checker.check([(event.id, event) for _, event in members]),
                cases=list(cases.get(pk, ())),
            )
        )
    return views


def _visible_actions(
    connection: Connection, incident_id: int, viewer: Principal
) -> list[IncidentAction]:
    found = rows.actions_touching(connection, incident_id)
    if viewer.sees_everything:
        return [action_view(row) for row in found]
    seen = rows.visible_event_ids(connection, named_events(found), viewer)
    return [action_view(row, seen) for row in found]


def explain_stored_link(
    store: Store,
    first: int,
    second: int,
    *,
    viewer: Principal,
    settings: LinkSettings | None = None,
) -> LinkDecision:
    """Why the linker would or would not put two stored events (that `viewer` may see) in
    one incident: the checks that failed and the score."""
    a = store.get_event(first, viewer=viewer)
    b = store.get_event(second, viewer=viewer)
    return explain_link(linkable(a), linkable(b), settings or LinkSettings())
