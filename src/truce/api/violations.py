"""The agreement and the violation counts: ``/api/agreement/clauses``,
``/api/violations/counts`` and ``/api/violations/incidents`` (truce.analytics).

A count is of distinct incidents per party, clause, type, area, zone or period, as the
request's principal may see them: candidate violations from the agreement check of the
members it sees, or confirmed findings it may see (``basis``). Every row carries the ids of
the incidents behind it; ``/api/violations/incidents`` gives those incidents themselves.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Final

from fastapi import APIRouter, Query, Request
from pydantic import Field

from truce.agreement import AgreementChecker
from truce.analytics import GRANULARITIES, Basis, CountRow, Granularity, ViolationCounts
from truce.analytics.violations import count_violations
from truce.api.incidents import IncidentListOut, incident_list
from truce.api.responses import (
    router_errors,
)
from truce.api.schemas import ResponseModel
from truce.incidents import IncidentQuery, list_incidents
from truce.incidents.book import DEFAULT_PAGE, MAX_PAGE
from truce.theatre import load_pack
from truce.theatre.agreement import Clause
from truce.web.viewer import request_store, request_viewer

BY_HELP: Final = (
    "what to count by, comma-separated or repeated: party, clause, type, area, zone, period"
)
KEY_HELP: Final = (
    "one row: a value per dimension of `by`, in its order, comma-separated or repeated "
    "(e.g. israel,coh-2024-02)"
)

router = APIRouter(
    prefix="/api",
    tags=["violations"],
    responses=router_errors("A parameter is malformed or unknown"),
)


class AgreementOut(ResponseModel):
    """The agreement of the theatre pack the server runs with, clause by clause."""

    id: str
    title: str
    signed: dt.date
    in_force: dt.datetime
    sources: list[str]
    agreement_hash: str = Field(description="SHA-256 of the agreement file's bytes")
    clauses: list[Clause] = Field(description="by number, each with what makes an event count")


class CountRowOut(ResponseModel):
    key: list[str] = Field(description="one value per dimension of `by`, in its order")
    labels: list[str] = Field(description="the same values as people read them")
    count: int = Field(description="distinct incidents")
    incident_ids: list[int] = Field(description="the incidents behind the number")

    @classmethod
    def from_row(cls, row: CountRow) -> CountRowOut:
        return cls(
            key=list(row.key),
            labels=list(row.labels),
            count=row.count,
            incident_ids=list(row.incident_ids),
        )


class ViolationCountsOut(ResponseModel):
    """Violations counted as distinct incidents per combination of the `by` dimensions."""

    basis: Basis = Field(description="candidate (the agreement check) or finding (confirmed)")
    by: list[str]
    period: Granularity = Field(description="the granularity of the period dimension")
    start: dt.date | None
    end: dt.date | None
    rows: list[CountRowOut] = Field(description="largest first, then by key")
    total: int = Field(description="distinct incidents behind any row")
    incident_ids: list[int]

    @classmethod
    def from_counts(cls, counts: ViolationCounts) -> ViolationCountsOut:
        return cls(
            basis=counts.basis,
            by=list(counts.by),
            period=counts.granularity,
            start=counts.start,
            end=counts.end,
            rows=[CountRowOut.from_row(row) for row in counts.rows],
            total=counts.total,
            incident_ids=list(counts.incident_ids),
        )


class ViolationIncidentsOut(ResponseModel):
    """A page of the incidents behind one number (behind any row when no key is given)."""

    counts: ViolationCountsOut = Field(description="the count the incidents are behind")
    incidents: IncidentListOut


def _values(given: list[str] | None) -> list[str]:
    """Values given comma-separated, repeated, or both."""
    return [part.strip() for value in given or [] for part in value.split(",") if part.strip()]


By = Annotated[list[str] | None, Query(description=BY_HELP + " (default: party)")]
BasisParam = Annotated[
    str, Query(description="candidate or finding", pattern="^(candidate|finding)$")
]
Period = Annotated[Granularity, Query(description=f"period length: {', '.join(GRANULARITIES)}")]
Start = Annotated[dt.date | None, Query(description="first day of the incidents counted")]
End = Annotated[dt.date | None, Query(description="last day of the incidents counted")]


@router.get(
    "/agreement/clauses",
    tags=["agreement"],
    summary="The agreement's clauses, with the conditions the agreement check applies",
)
def agreement_clauses() -> AgreementOut:
    checker = AgreementChecker.for_pack(load_pack(None))
    agreement = checker.pack.agreement
    return AgreementOut(
        id=agreement.id,
        title=agreement.title,
        signed=agreement.signed,
        in_force=agreement.in_force,
        sources=list(agreement.sources),
        agreement_hash=checker.agreement_hash,
        clauses=list(checker.clauses),
    )


@router.get(
    "/violations/counts",
    summary="Violations by party, clause, type, area, zone or period, with their incidents",
)
def violation_counts(
    request: Request,
    by: By = None,
    basis: BasisParam = "candidate",
    period: Period = "month",
    start: Start = None,
    end: End = None,
) -> ViolationCountsOut:
    counts = count_violations(
        request_store(request),
        by=_values(by) or ["party"],
        viewer=request_viewer(request),
        basis=basis,
        granularity=period,
        start=start,
        end=end,
    )
    return ViolationCountsOut.from_counts(counts)


@router.get(
    "/violations/incidents",
    summary="The incidents behind one number of the counts (behind any, without a key)",
)
def violation_incidents(
    request: Request,
    by: By = None,
    key: Annotated[list[str] | None, Query(description=KEY_HELP)] = None,
    basis: BasisParam = "candidate",
    period: Period = "month",
    start: Start = None,
    end: End = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="page size")] = DEFAULT_PAGE,
    offset: Annotated[int, Query(ge=0, description="incidents to skip")] = 0,
) -> ViolationIncidentsOut:
    store = request_store(request)
    viewer = request_viewer(request)
    counts = count_violations(
        store,
        by=_values(by) or ["party"],
        viewer=viewer,
        basis=basis,
        granularity=period,
        start=start,
        end=end,
        key=_values(key) if key is not None else None,
    )
    # the same viewer reads the incidents it was counted from: a number shows what it counts
    page = list_incidents(
        store,
        IncidentQuery(ids=counts.incident_ids, limit=limit, offset=offset),
        viewer=viewer,
    )
    return ViolationIncidentsOut(
        counts=ViolationCountsOut.from_counts(counts), incidents=incident_list(request, page)
    )
