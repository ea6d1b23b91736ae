"""The ``/api/incidents`` routes: incidents as each viewer sees them, and reshaping them.

An incident is shown from the member events the request's principal may see (the summary,
members, candidate violations and actions alike), so a member hidden from it is neither shown
nor counted. Linking, merging, splitting and undoing are for the chair and monitors (a token
needs the write scope, a browser session the CSRF token: see ``truce.api.auth``). Each route
parses its input, makes one call to ``truce.incidents`` and renders the result.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Final, Literal

from fastapi import APIRouter, Query, Request
from pydantic import Field

from truce.agreement import CandidateViolation
from truce.api.responses import (
    next_page_url,
    not_found,
    router_errors,
    write_errors,
)
from truce.api.schemas import RequestModel, ResponseModel
from truce.core.vocab import GeoPrecision, Modality, Plover
from truce.incidents import (
    IncidentAction,
    IncidentCluster,
    IncidentMemberView,
    IncidentPage,
    IncidentQuery,
    IncidentView,
    LinkRun,
    LinkSettings,
    get_incident,
    link_stored_events,
    list_incidents,
    merge_incidents,
    split_incident,
    undo_incident_action,
)
from truce.incidents.book import DEFAULT_PAGE, MAX_PAGE, MAX_REASON
from truce.reports import ExportedEvent, exported_event
from truce.store import EventQuery
from truce.web.viewer import request_store, request_viewer

#: the most incidents one merge takes, and events one split moves
MAX_IDS: Final = 500

WRITE_ERRORS: Final = write_errors(
    missing="No incident (or action) this principal may see",
    forbidden="Only the chair and monitors reshape incidents",
    conflict="Not allowed in the incident's current state",
)

router = APIRouter(
    prefix="/api",
    tags=["incidents"],
    responses=router_errors("A parameter is malformed or out of range"),
)


# --- response models ----------------------------------------------------------------------


class IncidentSummaryOut(ResponseModel):
    """What the members the viewer sees say together: the representative member's coding,
    place and actors, the date range, and the sources."""

    event_ids: list[int] = Field(description="the members shown, by id")
    representative: int = Field(description="the member most alike to the others")
    event_type: str | None
    sub_event_type: str | None
    plover: Plover | None
    modality: Modality
    start: dt.date | None
    end: dt.date | None
    location: str | None
    admin1: str | None
    country: str | None
    latitude: float | None = Field(description="centroid of the most precisely placed members")
    longitude: float | None
    geo_precision: GeoPrecision | None
    actor1: str | None
    actor2: str | None
    fatalities: int | None = Field(description="the figure most members report (ties: lower)")
    sources: list[str] = Field(description="distinct outlets")
    independent_sources: int = Field(description="distinct outlets, plus documents without one")
    first_reported: dt.datetime | None
    last_reported: dt.datetime | None

    @classmethod
    def from_cluster(cls, cluster: IncidentCluster) -> IncidentSummaryOut:
        return cls(
            event_ids=list(cluster.ids),
            representative=cluster.representative,
            event_type=cluster.event_type,
            sub_event_type=cluster.sub_event_type,
            plover=cluster.plover,
            modality=cluster.modality,
            start=cluster.start,
            end=cluster.end,
            location=cluster.location,
            admin1=cluster.admin1,
            country=cluster.country,
            latitude=cluster.latitude,
            longitude=cluster.longitude,
            geo_precision=cluster.geo_precision,
            actor1=cluster.actor1,
            actor2=cluster.actor2,
            fatalities=cluster.fatalities,
            sources=list(cluster.sources),
            independent_sources=cluster.independent_sources,
            first_reported=cluster.first_reported,
            last_reported=cluster.last_reported,
        )


class IncidentMemberOut(ResponseModel):
    """A member event with its document, and its best link among the members shown."""

    event: ExportedEvent
    doc_id: str
    title: str | None
    source: str | None = Field(description="the outlet")
    url: str | None
    published: dt.datetime | dt.date | None
    link_score: float = Field(description="its best link to another member shown (0 to 1)")
    linked_to: int | None = Field(description="the member of that link")
    added_by: str
    added_at: dt.datetime

    @classmethod
    def from_view(cls, member: IncidentMemberView) -> IncidentMemberOut:
        return cls(
            event=exported_event(member.event),
            doc_id=member.doc_id,
            title=member.title,
            source=member.source,
            url=member.url,
            published=member.published,
            link_score=member.link_score,
            linked_to=member.linked_to,
            added_by=member.added_by,
            added_at=member.added_at,
        )


class CandidateViolationOut(ResponseModel):
    """Members meeting one condition of a clause: a lead for people to review, not a finding."""

    clause_id: str
    clause_number: int
    clause_title: str
    effect: Literal["violation", "compliance"] = Field(
        description="violation, or compliance (counts towards the clause)"
    )
    party: str = Field(description="the party that answers for it")
    party_name: str
    acting_party: str
    target_party: str | None
    condition: int = Field(description="the condition's index in the clause")
    event_ids: list[int]
    zones: list[str]
    reason: str = Field(description="what happened and which commitment binds whom, in words")

    @classmethod
    def from_candidate(cls, candidate: CandidateViolation) -> CandidateViolationOut:
        return cls(
            clause_id=candidate.clause_id,
            clause_number=candidate.clause_number,
            clause_title=candidate.clause_title,
            effect=candidate.effect,
            party=candidate.party,
            party_name=candidate.party_name,
            acting_party=candidate.acting_party,
            target_party=candidate.target_party,
            condition=candidate.condition,
            event_ids=list(candidate.event_ids),
            zones=list(candidate.zones),
            reason=candidate.reason,
        )


class IncidentActionOut(ResponseModel):
    """One reshaping of incidents, naming only the member events the viewer may see."""

    id: int
    kind: str = Field(description="link, merge, split or undo")
    at: dt.datetime
    by: str
    reason: str | None
    incidents: list[int] = Field(description="the incidents it touched")
    before: dict[int, list[int]] = Field(description="incident id: its member events before")
    after: dict[int, list[int]] = Field(description="incident id: its member events after")
    created: list[int]
    retired: list[int]
    undone_at: dt.datetime | None
    undone_by: str | None
    undoes: int | None = Field(description="the action an undo undid")

    @classmethod
    def from_action(cls, action: IncidentAction) -> IncidentActionOut:
        return cls(
            id=action.id,
            kind=action.kind,
            at=action.at,
            by=action.by,
            reason=action.reason,
            incidents=list(action.incidents),
            before={pk: list(events) for pk, events in action.before.items()},
            after={pk: list(events) for pk, events in action.after.items()},
            created=list(action.created),
            retired=list(action.retired),
            undone_at=action.undone_at,
            undone_by=action.undone_by,
            undoes=action.undoes,
        )


class IncidentOut(ResponseModel):
    """An incident as the request's principal sees it."""

    id: int
    summary: IncidentSummaryOut
    members: list[IncidentMemberOut]
    retired_at: dt.datetime | None
    superseded_by: int | None = Field(description="where a retired incident's members went")
    violations: list[CandidateViolationOut] = Field(
        description="the agreement check of the members shown, against the theatre's pack now"
    )
    actions: list[IncidentActionOut] = Field(
        description="its history (the chair and monitors; empty for others and in lists)"
    )
    cases: list[int]

    @classmethod
    def from_view(cls, view: IncidentView) -> IncidentOut:
        return cls(
            id=view.id,
            summary=IncidentSummaryOut.from_cluster(view.summary),
            members=[IncidentMemberOut.from_view(member) for member in view.members],
            retired_at=view.retired_at,
            superseded_by=view.superseded_by,
            violations=[CandidateViolationOut.from_candidate(v) for v in view.violations],
            actions=[IncidentActionOut.from_action(action) for action in view.actions],
            cases=list(view.cases),
        )


class IncidentListOut(ResponseModel):
    """A page of incidents, the latest first."""

    items: list[IncidentOut]
    total: int = Field(description="incidents matching the filters, over all pages")
    limit: int
    offset: int
    next: str | None = Field(default=None, description="URL of the next page; null on the last")


class LinkRunOut(ResponseModel):
    """What a link run did."""

    incidents: int = Field(description="incidents after the run")
    new: int
    changed: int
    unchanged: int
    retired: int
    events: int = Field(description="events linked")
    action: int | None = Field(description="the action recorded; null when nothing changed")

    @classmethod
    def from_run(cls, run: LinkRun) -> LinkRunOut:
        return cls(
            incidents=run.incidents,
            new=run.new,
            changed=run.changed,
            unchanged=run.unchanged,
            retired=run.retired,
            events=run.events,
            action=run.action,
        )


# --- request bodies -----------------------------------------------------------------------


class LinkIn(RequestModel):
    """Settings of a link run; the defaults where left out."""

    max_km: Annotated[float | None, Field(gt=0, le=500, description="km apart at most")] = None
    day_slack_days: Annotated[
        int | None, Field(ge=0, le=31, description="days apart at most for day-precise dates")
    ] = None


Reason = Annotated[str | None, Field(max_length=MAX_REASON, description="why, for the record")]


class MergeIn(RequestModel):
    incident_ids: Annotated[list[int], Field(min_length=2, max_length=MAX_IDS)] = Field(
        description="the incidents to merge; the lowest id survives"
    )
    reason: Reason = None


class SplitIn(RequestModel):
    event_ids: Annotated[list[int], Field(min_length=1, max_length=MAX_IDS)] = Field(
        description="the members that move to a new incident"
    )
    reason: Reason = None


# --- routes -------------------------------------------------------------------------------


def incident_list(request: Request, page: IncidentPage) -> IncidentListOut:
    """The page as the API shows it, with the URL of the next page."""
    return IncidentListOut(
        items=[IncidentOut.from_view(view) for view in page.items],
        total=page.total,
        limit=page.limit,
        offset=page.offset,
        next=next_page_url(request, page),
    )


@router.get("/incidents", summary="Incidents matching the filters, the latest first")
def list_incident_page(
    request: Request,
    start: Annotated[dt.date | None, Query(description="first event date, YYYY-MM-DD")] = None,
    end: Annotated[dt.date | None, Query(description="last event date, YYYY-MM-DD")] = None,
    event_type: Annotated[str | None, Query(description="ACLED event type")] = None,
    sub_event_type: Annotated[str | None, Query(description="ACLED sub-event type")] = None,
    actor: Annotated[str | None, Query(description="part of actor1 or actor2, any case")] = None,
    country: Annotated[str | None, Query(description="ISO 3166-1 alpha-2, e.g. LB")] = None,
    bbox: Annotated[
        str | None,
        Query(
            description="min_lon,min_lat,max_lon,max_lat (WGS84)",
            examples=["35.1,33.0,35.9,33.4"],
        ),
    ] = None,
    q: Annotated[
        str | None, Query(description="words to find in a member's evidence, actors, place")
    ] = None,
    include_retired: Annotated[
        bool, Query(description="also incidents retired by a merge or a re-link")
    ] = False,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="page size")] = DEFAULT_PAGE,
    offset: Annotated[int, Query(ge=0, description="incidents to skip")] = 0,
) -> IncidentListOut:
    """An incident matches when one of the members the viewer sees matches every filter."""
    query = IncidentQuery(
        start=start,
        end=end,
        event_type=event_type,
        sub_event_type=sub_event_type,
        actor=actor,
        country=country,
        bbox=EventQuery(bbox=bbox).bbox,
        text=q,
        include_retired=include_retired,
        limit=limit,
        offset=offset,
    )
    page = list_incidents(request_store(request), query, viewer=request_viewer(request))
    return incident_list(request, page)


@router.get(
    "/incidents/{incident_id}",
    summary="One incident: its summary, members, candidate violations and history",
    responses=not_found("No incident this principal may see"),
)
def get_one_incident(request: Request, incident_id: int) -> IncidentOut:
    view = get_incident(request_store(request), incident_id, viewer=request_viewer(request))
    return IncidentOut.from_view(view)


@router.post(
    "/incidents/link",
    summary="Link every stored event into incidents, keeping analysts' merges and splits",
    responses=WRITE_ERRORS,
)
def link_incidents(request: Request, body: LinkIn | None = None) -> LinkRunOut:
    settings = None
    if body is not None and (body.max_km is not None or body.day_slack_days is not None):
        defaults = LinkSettings()
        settings = LinkSettings(
            max_km=defaults.max_km if body.max_km is None else body.max_km,
            day_slack_days=(
                defaults.day_slack_days if body.day_slack_days is None else body.day_slack_days
            ),
        )
    run = link_stored_events(request_store(request), by=request_viewer(request), settings=settings)
    return LinkRunOut.from_run(run)


@router.post(
    "/incidents/merge",
    status_code=201,
    summary="Merge incidents into the lowest id (the others retire); the linker keeps it",
    responses=WRITE_ERRORS,
)
def merge(request: Request, body: MergeIn) -> IncidentActionOut:
    action = merge_incidents(
        request_store(request), body.incident_ids, by=request_viewer(request), reason=body.reason
    )
    return IncidentActionOut.from_action(action)


@router.post(
    "/incidents/{incident_id}/split",
    status_code=201,
    summary="Move some members of an incident to a new one; the linker keeps them apart",
    responses=WRITE_ERRORS,
)
def split(request: Request, incident_id: int, body: SplitIn) -> IncidentActionOut:
    action = split_incident(
        request_store(request),
        incident_id,
        body.event_ids,
        by=request_viewer(request),
        reason=body.reason,
    )
    return IncidentActionOut.from_action(action)


@router.post(
    "/incident-actions/{action_id}/undo",
    status_code=201,
    summary="Undo a link, merge, split or undo, if its incidents have not changed since",
    responses=WRITE_ERRORS,
)
def undo(request: Request, action_id: int) -> IncidentActionOut:
    action = undo_incident_action(request_store(request), action_id, by=request_viewer(request))
    return IncidentActionOut.from_action(action)
