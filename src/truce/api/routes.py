"""The ``/api`` routes. Each parses its parameters, makes one store call, and renders.

Formats are separate paths rather than a ``format`` parameter, so that each has its own typed
response in the OpenAPI schema: ``/api/events`` (JSON), ``/api/events.geojson`` (GeoJSON
FeatureCollection), ``/api/events.csv`` (CSV). All three take the same filters and paging;
the CSV gives the paging in headers (``X-Total-Count``, ``Link: <...>; rel="next"``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Final

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response

from truce.api.responses import not_found, router_errors
from truce.api.schemas import DocumentOut
from truce.reports import (
    EventFeatureCollection,
    ExportedEvent,
    ExportPage,
    csv_text,
    export_page,
    exported_event,
    feature_collection,
    next_offset,
)
from truce.store import EventPage, EventQuery
from truce.store.query import DEFAULT_LIMIT, MAX_LIMIT
from truce.web.viewer import request_store, request_viewer

CSV_MEDIA_TYPE: Final = "text/csv; charset=utf-8"

router = APIRouter(
    prefix="/api",
    responses=router_errors("A parameter is malformed or out of vocabulary"),
)


class GeoJSONResponse(JSONResponse):
    media_type = "application/geo+json"


def event_filters(
    start: Annotated[dt.date | None, Query(description="first event date, YYYY-MM-DD")] = None,
    end: Annotated[dt.date | None, Query(description="last event date, YYYY-MM-DD")] = None,
    event_type: Annotated[str | None, Query(description="ACLED event type")] = None,
    sub_event_type: Annotated[str | None, Query(description="ACLED sub-event type")] = None,
    plover: Annotated[str | None, Query(description="PLOVER event type, e.g. ASSAULT")] = None,
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
        str | None,
        Query(description="words to find in the evidence, actors, place or document title"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="page size")] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, description="events to skip")] = 0,
) -> EventQuery:
    return EventQuery(
        start=start,
        end=end,
        event_type=event_type,
        sub_event_type=sub_event_type,
        plover=plover,
        actor=actor,
        country=country,
        bbox=bbox,
        text=q,
        limit=limit,
        offset=offset,
    )


Filters = Annotated[EventQuery, Depends(event_filters)]


@dataclass(frozen=True, slots=True)
class Listing:
    """The page of events a listing's filters select, and the URL of the page after it."""

    page: EventPage
    next_url: str | None


def matching_events(request: Request, query: Filters) -> Listing:
    """The one store call of every listing route; each route then only renders its format."""
    page = request_store(request).query_events(query, viewer=request_viewer(request))
    following = next_offset(page)
    if following is None:
        return Listing(page, None)
    return Listing(page, str(request.url.include_query_params(offset=following)))


Matching = Annotated[Listing, Depends(matching_events)]


@router.get(
    "/events",
    tags=["events"],
    summary="Events matching the filters, newest first (JSON)",
)
def list_events(listing: Matching) -> ExportPage:
    return export_page(listing.page, next_url=listing.next_url)


@router.get(
    "/events.geojson",
    tags=["events"],
    response_class=GeoJSONResponse,
    summary="Events matching the filters as a GeoJSON FeatureCollection",
    responses={200: {"content": {"application/geo+json": {}}}},
)
def list_events_geojson(listing: Matching) -> EventFeatureCollection:
    return feature_collection(listing.page, next_url=listing.next_url)


@router.get(
    "/events.csv",
    tags=["events"],
    response_class=Response,
    summary="Events matching the filters as CSV (paging in X-Total-Count and Link headers)",
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}},
)
def list_events_csv(listing: Matching) -> Response:
    headers = {
        "X-Total-Count": str(listing.page.total),
        "Content-Disposition": 'attachment; filename="truce-events.csv"',
    }
    if listing.next_url is not None:
        headers["Link"] = f'<{listing.next_url}>; rel="next"'
    return Response(content=csv_text(listing.page), media_type=CSV_MEDIA_TYPE, headers=headers)


@router.get(
    "/events/{event_id}",
    tags=["events"],
    summary="One event",
    responses=not_found("No event with this id"),
)
def get_event(request: Request, event_id: int) -> ExportedEvent:
    event = request_store(request).get_event(event_id, viewer=request_viewer(request))
    return exported_event(event)


@router.get(
    "/documents/{document_pk}",
    tags=["documents"],
    summary="One stored document: its text and metadata",
    responses=not_found("No document with this key"),
)
def get_document(request: Request, document_pk: int) -> DocumentOut:
    document = request_store(request).get_document(document_pk, viewer=request_viewer(request))
    return DocumentOut.from_stored(document)
