"""The committee's dashboard, ``/committee``: the next meeting, open and overdue commitments
by party (the overdue ones listed), proposals by status, open and overdue cases, and the joint
statements awaiting approval, with those awaiting the viewer's own delegation marked.

Everything is counted and listed for the request's viewer (`truce.committee.dashboard` and the
lists of cases, commitments and statements), so a delegate's page never counts the other
party's restricted records. The page has no forms: it links to the pages where the work is
done.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from truce.cases import CaseState, CaseSummary, list_cases
from truce.committee.commitments import Commitment, list_commitments
from truce.committee.dashboard import CommitteeDashboard, committee_dashboard
from truce.committee.delegations import DelegationKind, list_delegations
from truce.committee.meetings import AgendaKind
from truce.committee.statements import StatementStatus, StatementSummary, list_statements
from truce.core.access import Principal, Role
from truce.store import Store
from truce.web.forms import party_names
from truce.web.incidents import add_page_filters
from truce.web.meetings import item_link, route_url
from truce.web.viewer import request_store, request_viewer

#: the most overdue commitments, overdue cases and awaited statements the page lists
LISTED: Final = 20


@dataclass(frozen=True)
class CommitteePageView:
    """The dashboard's content for one viewer."""

    dashboard: CommitteeDashboard
    overdue_commitments: list[Commitment]
    overdue_commitment_total: int
    open_cases: int
    overdue_cases: list[CaseSummary]
    overdue_case_total: int
    awaiting_statements: list[StatementSummary]
    draft_total: int  # statements in draft, awaiting approval or not
    #: the name of the viewer's own party delegation, if it is a delegate's and it has one
    own_delegation: str | None

    def awaits_me(self, statement: StatementSummary) -> bool:
        return self.own_delegation is not None and self.own_delegation in statement.awaiting


def committee_page_view(
    store: Store, viewer: Principal, today: dt.date | None = None
) -> CommitteePageView:
    """What the dashboard shows `viewer` on `today` (default: today, UTC)."""
    day = today or dt.datetime.now(dt.UTC).date()
    overdue_commitments = list_commitments(
        store, viewer=viewer, overdue=True, limit=LISTED, today=day
    )
    open_cases = sum(
        list_cases(store, viewer=viewer, state=state, limit=1, today=day).total
        for state in (CaseState.FILED, CaseState.INVESTIGATING)
    )
    overdue_cases = list_cases(store, viewer=viewer, overdue=True, limit=LISTED, today=day)
    drafts = list_statements(store, viewer=viewer, status=StatementStatus.DRAFT, limit=LISTED)
    own = None
    if viewer.role is Role.DELEGATE and viewer.party is not None:
        own = next(
            (
                delegation.name
                for delegation in list_delegations(store, viewer=viewer)
                if delegation.kind is DelegationKind.PARTY and delegation.party == viewer.party
            ),
            None,
        )
    return CommitteePageView(
        dashboard=committee_dashboard(store, viewer=viewer, today=day),
        overdue_commitments=overdue_commitments.items,
        overdue_commitment_total=overdue_commitments.total,
        open_cases=open_cases,
        overdue_cases=overdue_cases.items,
        overdue_case_total=overdue_cases.total,
        awaiting_statements=[item for item in drafts.items if item.awaiting],
        draft_total=drafts.total,
        own_delegation=own,
    )


def mount_committee_pages(app: FastAPI, templates: Jinja2Templates) -> None:
    """Add the dashboard to the app (not in the OpenAPI schema)."""
    add_page_filters(templates)

    @app.get(
        "/committee", response_class=HTMLResponse, name="committee_page", include_in_schema=False
    )
    def committee_page(request: Request) -> HTMLResponse:
        view = committee_page_view(request_store(request), request_viewer(request))
        parties = party_names()
        next_meeting = view.dashboard.next_meeting
        return templates.TemplateResponse(
            request,
            "committee.html",
            {
                "view": view,
                "dashboard": view.dashboard,
                "parties": parties,
                "next_meeting_url": None
                if next_meeting is None
                else route_url(request, "meeting_page", meeting_id=next_meeting.id),
                "proposals_url": route_url(request, "proposals_page"),
                "commitments_url": route_url(request, "commitments_page"),
                "commitment_url": {
                    item.id: item_link(request, AgendaKind.COMMITMENT, item.id)
                    for item in view.overdue_commitments
                },
            },
        )
