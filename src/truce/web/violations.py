"""The violation counts page, ``/violations``: a table of violations by party, clause, type,
area, zone or period (or two of them) for a basis (candidates of the agreement check, or
confirmed findings) over a date range; and ``/violations/incidents``, the incidents behind
one number (the same count with the row's `key`), so every number is a link.

Both read what the request's viewer may see (`truce.analytics.violations.count_violations`),
so a number never moves with what the viewer may not see. The incidents behind a number are
found again from the same count rather than carried in the link, which stays short however
many incidents a number stands for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Final
from urllib.parse import urlencode

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from truce.analytics import GRANULARITIES, CountRow, Granularity, ViolationCounts
from truce.analytics.violations import BASES, count_violations
from truce.core.errors import InputError
from truce.incidents import IncidentQuery, list_incidents
from truce.web.forms import parse_date
from truce.web.incidents import add_page_filters, incident_heading, paging_links
from truce.web.viewer import request_store, request_viewer

PAGE_SIZE: Final = 50
DEFAULT_BY: Final = "party,clause"
#: the tables offered, as `by` values, and their names
TABLES: Final = (
    ("party,clause", "party and clause"),
    ("party", "party"),
    ("clause", "clause"),
    ("type", "type"),
    ("area", "area"),
    ("zone", "zone"),
    ("period", "period"),
    ("party,period", "party and period"),
)
COLUMN_NAMES: Final = {
    "party": "Party",
    "clause": "Clause",
    "type": "Type",
    "area": "Area",
    "zone": "Zone",
    "period": "Period",
}
BASIS_NAMES: Final = {
    "candidate": "candidate violations (the agreement check: leads, not findings)",
    "finding": "confirmed violations (findings of concluded cases)",
}


@dataclass(frozen=True)
class CountsRequest:
    """What a count is asked for, as the page's query string says it."""

    basis: str
    by: tuple[str, ...]
    granularity: Granularity
    start: dt.date | None
    end: dt.date | None

    def params(self, key: Sequence[str] | None = None) -> list[tuple[str, str]]:
        """The query string of this count (with `key`: of one of its rows)."""
        params = [("basis", self.basis), ("by", ",".join(self.by))]
        params.append(("granularity", self.granularity))
        if self.start:
            params.append(("start", self.start.isoformat()))
        if self.end:
            params.append(("end", self.end.isoformat()))
        params.extend(("key", value) for value in key or ())
        return params


def counts_request(basis: str, by: str, granularity: str, start: str, end: str) -> CountsRequest:
    """The count the query string asks for; InputError naming the field that is wrong."""
    if basis not in BASES:
        raise InputError(f"{basis!r} is not a basis: candidate or finding", source="basis")
    chosen = next((g for g in GRANULARITIES if g == granularity), None)
    if chosen is None:
        raise InputError(
            f"{granularity!r} is not a period: one of {', '.join(GRANULARITIES)}",
            source="granularity",
        )
    dimensions = tuple(part.strip() for part in by.split(",") if part.strip())
    return CountsRequest(
        basis=basis,
        by=dimensions,
        granularity=chosen,
        start=parse_date(start, "start"),
        end=parse_date(end, "end"),
    )


def row_link(base: str, asked: CountsRequest, row: CountRow | None) -> str:
    """The page of the incidents behind a row (None: behind the whole table)."""
    return f"{base}?{urlencode(asked.params(None if row is None else row.key))}"


def behind_text(asked: CountsRequest, counts: ViolationCounts, key: Sequence[str]) -> str:
    """What the incidents listed are behind, in words."""
    what = BASIS_NAMES[asked.basis]
    if key:
        labels = counts.rows[0].labels if counts.rows else tuple(key)
        parts = [
            f"{COLUMN_NAMES.get(d, d)}: {label}" for d, label in zip(asked.by, labels, strict=True)
        ]
        what = f"{what}; {', '.join(parts)}"
    if asked.start or asked.end:
        what += f"; from {asked.start or 'the first'} to {asked.end or 'the last'}"
    return f"Incidents behind the count of {what}."


def mount_violation_pages(app: FastAPI, templates: Jinja2Templates) -> None:
    """Add the counts page and the incidents behind its numbers (not in the OpenAPI schema)."""
    add_page_filters(templates)

    @app.get(
        "/violations", response_class=HTMLResponse, name="violations_page", include_in_schema=False
    )
    def violations_page(
        request: Request,
        basis: str = "candidate",
        by: str = DEFAULT_BY,
        granularity: str = "month",
        start: str = "",
        end: str = "",
    ) -> HTMLResponse:
        asked = counts_request(basis, by, granularity, start, end)
        counts = count_violations(
            request_store(request),
            by=asked.by,
            viewer=request_viewer(request),
            basis=asked.basis,
            granularity=asked.granularity,
            start=asked.start,
            end=asked.end,
        )
        base = request.url_for("violation_incidents_page").path
        table_params = {
            by_value: urlencode(
                [(k, v) for k, v in asked.params() if k != "by"] + [("by", by_value)]
            )
            for by_value, _ in TABLES
        }
        return templates.TemplateResponse(
            request,
            "violations.html",
            {
                "asked": asked,
                "by_value": ",".join(asked.by),
                "counts": counts,
                "columns": [COLUMN_NAMES.get(d, d) for d in asked.by],
                "links": [row_link(base, asked, row) for row in counts.rows],
                "total_link": row_link(base, asked, None),
                "tables": TABLES,
                "table_params": table_params,
                "bases": BASIS_NAMES,
                "granularities": GRANULARITIES,
            },
        )

    @app.get(
        "/violations/incidents",
        response_class=HTMLResponse,
        name="violation_incidents_page",
        include_in_schema=False,
    )
    def violation_incidents_page(
        request: Request,
        basis: str = "candidate",
        by: str = DEFAULT_BY,
        granularity: str = "month",
        start: str = "",
        end: str = "",
        key: Annotated[list[str] | None, Query()] = None,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> HTMLResponse:
        asked = counts_request(basis, by, granularity, start, end)
        viewer = request_viewer(request)
        counts = count_violations(
            request_store(request),
            by=asked.by,
            viewer=viewer,
            basis=asked.basis,
            granularity=asked.granularity,
            start=asked.start,
            end=asked.end,
            key=key or None,
        )
        page = list_incidents(
            request_store(request),
            IncidentQuery(ids=counts.incident_ids, limit=PAGE_SIZE, offset=offset),
            viewer=viewer,
        )
        back = request.url_for("violations_page").path
        return templates.TemplateResponse(
            request,
            "incidents.html",
            {
                "heading": "Incidents behind a count",
                "page": page,
                "behind": behind_text(asked, counts, key or ()),
                "back_url": f"{back}?{urlencode(asked.params())}",
                "show_filters": False,
                "paging": paging_links(request, page.total, page.limit, page.offset),
                "headings": {item.id: incident_heading(item.summary) for item in page.items},
            },
        )
