"""The case pages: ``/cases`` (the list, overdue cases flagged, and the form filing an
allegation) and ``/cases/{id}`` (its history, investigation, evidence, incidents, findings,
and the forms for what the viewer may do next), with the forms' ``POST`` routes: each calls
one function of `truce.cases` and redirects to the case (POST/redirect/GET).

Forms appear only for what the viewer may do: the transitions of `CaseView.actions`; tasks
and visit reports for the chair and monitors while the case is investigated; links for
them and the filing party's delegation while it is open; filing for delegations and the
chair. The library decides for real: a refused form shows the page again with its message
and status (403, 404, 409, 422), never a server error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Final

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from truce.cases import (
    OPEN_STATES,
    CaseAction,
    CaseState,
    CaseView,
    FindingOutcome,
    NewAllegation,
    NewFinding,
    TaskStatus,
    add_task,
    add_visit_report,
    complete_task,
    file_allegation,
    get_case,
    link_evidence,
    link_incidents,
    list_cases,
    transition,
)
from truce.core.access import Classification, Principal, Role
from truce.core.errors import InputError, TruceError
from truce.theatre import load_pack
from truce.web.forms import (
    FORM_ERRORS,
    Text,
    error_status,
    form_values,
    may_make_records,
    parse_classification,
    parse_date,
    parse_ids,
    see_other,
    today,
)
from truce.web.incidents import add_page_filters, paging_links
from truce.web.viewer import request_store, request_viewer
from truce.web.views import classification_label

PAGE_SIZE: Final = 50
#: the fields of the filing form, kept when it is refused so nothing typed is lost
FILING_FIELDS: Final = (
    "title",
    "summary",
    "filed_for_party",
    "accused_party",
    "clause_id",
    "deadline",
    "classification",
    "incidents",
)


@dataclass(frozen=True)
class AgreementChoices:
    """The parties and clauses forms offer, from the theatre pack."""

    parties: list[tuple[str, str]]  # id, name
    clauses: list[tuple[str, str]]  # id, "2. No operations against the other side"

    def clause_label(self, clause_id: str | None) -> str:
        if clause_id is None:
            return "—"
        return dict(self.clauses).get(clause_id, clause_id)

    def party_label(self, party_id: str | None) -> str:
        if party_id is None:
            return "—"
        return dict(self.parties).get(party_id, party_id)


def agreement_choices() -> AgreementChoices:
    pack = load_pack(None)
    return AgreementChoices(
        parties=list(pack.parties.items()),
        clauses=[
            (clause.id, f"{clause.number}. {clause.title}") for clause in pack.agreement.clauses
        ],
    )


@dataclass(frozen=True)
class CaseForms:
    """Which forms the case page offers its viewer."""

    actions: tuple[CaseAction, ...]  # the transitions the viewer may take now
    investigate: bool  # add and close tasks, add visit reports
    link: bool  # link incidents and evidence


def case_forms(case: CaseView, viewer: Principal) -> CaseForms:
    investigator = viewer.may_write and viewer.role in (Role.CHAIR, Role.MONITOR)
    filing_delegate = (
        viewer.may_write
        and viewer.role is Role.DELEGATE
        and case.filed_for_party is not None
        and viewer.party == case.filed_for_party
    )
    return CaseForms(
        actions=case.actions,
        investigate=investigator and case.state is CaseState.INVESTIGATING,
        link=(investigator or filing_delegate) and case.state in OPEN_STATES,
    )


def filing_classifications(viewer: Principal) -> list[Classification]:
    """Whom an allegation may be shared with: a delegation files restricted to its party
    or for the committee; the chair may also open a public case."""
    if viewer.role is Role.CHAIR:
        return [Classification.RESTRICTED, Classification.COMMITTEE, Classification.PUBLIC]
    return [Classification.RESTRICTED, Classification.COMMITTEE]


def _outcome(value: str) -> FindingOutcome:
    try:
        return FindingOutcome(value)
    except ValueError:
        choices = ", ".join(FindingOutcome)
        raise InputError(
            f"{value!r} is not an outcome; one of {choices}", source="outcome"
        ) from None


# --- the routes ---------------------------------------------------------------------------


def mount_case_pages(app: FastAPI, templates: Jinja2Templates) -> None:
    """Add the case pages and their forms to the app (not in the OpenAPI schema)."""
    add_page_filters(templates)

    def render_cases(
        request: Request,
        *,
        state: str = "",
        overdue: bool | None = None,
        incident_id: int | None = None,
        offset: int = 0,
        form: dict[str, str] | None = None,
        error: str | None = None,
        status_code: int = 200,
    ) -> HTMLResponse:
        viewer = request_viewer(request)
        page = list_cases(
            request_store(request),
            viewer=viewer,
            state=state or None,
            overdue=overdue,
            incident_id=incident_id,
            limit=PAGE_SIZE,
            offset=offset,
        )
        about = "" if incident_id is None else str(incident_id)
        filled = form_values(FILING_FIELDS, form, incidents=about)
        return templates.TemplateResponse(
            request,
            "cases.html",
            {
                "page": page,
                "state": state,
                "overdue": overdue,
                "incident_id": incident_id,
                "states": list(CaseState),
                "may_file": may_make_records(viewer),
                "viewer": viewer,
                "classifications": filing_classifications(viewer),
                "choices": agreement_choices(),
                "form": filled,
                "error": error,
                "paging": paging_links(request, page.total, page.limit, page.offset),
            },
            status_code=status_code,
        )

    def render_case(
        request: Request, case_id: int, *, error: str | None = None, status_code: int = 200
    ) -> HTMLResponse:
        viewer = request_viewer(request)
        case = get_case(request_store(request), case_id, viewer=viewer)
        return templates.TemplateResponse(
            request,
            "case.html",
            {
                "case": case,
                "forms": case_forms(case, viewer),
                "choices": agreement_choices(),
                "classification_label": classification_label,
                "shared_with": [
                    Classification.COMMITTEE,
                    Classification.PUBLIC,
                    Classification.RESTRICTED,
                ],
                "outcomes": list(FindingOutcome),
                "today": today().isoformat(),
                "error": error,
            },
            status_code=status_code,
        )

    def refused(request: Request, case_id: int, error: TruceError) -> HTMLResponse:
        return render_case(request, case_id, error=str(error), status_code=error_status(error))

    def to_case(request: Request, case_id: int) -> Response:
        return see_other(request.url_for("case_page", case_id=case_id))

    @app.get("/cases", response_class=HTMLResponse, name="cases_page", include_in_schema=False)
    def cases_page(
        request: Request,
        state: str = "",
        overdue: bool | None = None,
        incident_id: int | None = None,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> HTMLResponse:
        return render_cases(
            request, state=state, overdue=overdue, incident_id=incident_id, offset=offset
        )

    @app.post("/cases", name="file_case_form", include_in_schema=False)
    def file_case(
        request: Request,
        title: Text = "",
        summary: Text = "",
        filed_for_party: Text = "",
        accused_party: Text = "",
        clause_id: Text = "",
        deadline: Text = "",
        classification: Text = Classification.RESTRICTED.value,
        incidents: Text = "",
    ) -> Response:
        submitted = {
            "title": title,
            "summary": summary,
            "filed_for_party": filed_for_party,
            "accused_party": accused_party,
            "clause_id": clause_id,
            "deadline": deadline,
            "classification": classification,
            "incidents": incidents,
        }
        try:
            allegation = NewAllegation(
                title=title,
                summary=summary or None,
                filed_for_party=filed_for_party or None,
                accused_party=accused_party or None,
                clause_id=clause_id or None,
                deadline=parse_date(deadline, "deadline"),
                classification=parse_classification(classification),
                incident_ids=parse_ids(incidents, "incidents"),
            )
            case_id = file_allegation(
                request_store(request), allegation, by=request_viewer(request)
            )
        except FORM_ERRORS as error:
            return render_cases(
                request, form=submitted, error=str(error), status_code=error_status(error)
            )
        return to_case(request, case_id)

    @app.get(
        "/cases/{case_id}", response_class=HTMLResponse, name="case_page", include_in_schema=False
    )
    def case_page(request: Request, case_id: int) -> HTMLResponse:
        return render_case(request, case_id)

    @app.post("/cases/{case_id}/transitions", name="case_transition_form", include_in_schema=False)
    def case_transition(
        request: Request,
        case_id: int,
        action: Text = "",
        note: Text = "",
        outcome: Text = "",
        clause_id: Text = "",
        attributed_party: Text = "",
        rationale: Text = "",
        shared_with: Text = Classification.COMMITTEE.value,
        shared_party: Text = "",
    ) -> Response:
        try:
            finding = None
            if action == CaseAction.CONCLUDE:
                finding = NewFinding(
                    outcome=_outcome(outcome),
                    rationale=rationale,
                    clause_id=clause_id or None,
                    attributed_party=attributed_party or None,
                    classification=parse_classification(shared_with, "shared_with"),
                    owner_party=shared_party or None,
                )
            transition(
                request_store(request),
                case_id,
                action,
                by=request_viewer(request),
                note=note or None,
                finding=finding,
            )
        except FORM_ERRORS as error:
            return refused(request, case_id, error)
        return to_case(request, case_id)

    @app.post("/cases/{case_id}/tasks", name="case_task_form", include_in_schema=False)
    def case_add_task(
        request: Request,
        case_id: int,
        title: Text = "",
        assigned_to: Text = "",
        due: Text = "",
    ) -> Response:
        try:
            add_task(
                request_store(request),
                case_id,
                title=title,
                by=request_viewer(request),
                assigned_to=assigned_to or None,
                due=parse_date(due, "due"),
            )
        except FORM_ERRORS as error:
            return refused(request, case_id, error)
        return to_case(request, case_id)

    @app.post(
        "/cases/{case_id}/tasks/{task_id}/done",
        name="case_close_task_form",
        include_in_schema=False,
    )
    def case_close_task(
        request: Request,
        case_id: int,
        task_id: int,
        status: Text = TaskStatus.DONE.value,
        note: Text = "",
    ) -> Response:
        try:
            complete_task(
                request_store(request),
                task_id,
                by=request_viewer(request),
                status=status,
                note=note or None,
            )
        except FORM_ERRORS as error:
            return refused(request, case_id, error)
        return to_case(request, case_id)

    @app.post("/cases/{case_id}/visits", name="case_visit_form", include_in_schema=False)
    def case_add_visit(
        request: Request,
        case_id: int,
        visited_on: Text = "",
        place: Text = "",
        text: Text = "",
        task_id: Text = "",
    ) -> Response:
        try:
            day = parse_date(visited_on, "visited_on")
            if day is None:
                raise InputError("say on which day the visit was", source="visited_on")
            tasks = parse_ids(task_id, "task_id")
            add_visit_report(
                request_store(request),
                case_id,
                visited_on=day,
                place=place,
                text=text,
                by=request_viewer(request),
                task_id=tasks[0] if tasks else None,
            )
        except FORM_ERRORS as error:
            return refused(request, case_id, error)
        return to_case(request, case_id)

    @app.post(
        "/cases/{case_id}/incidents", name="case_link_incidents_form", include_in_schema=False
    )
    def case_link_incidents(
        request: Request, case_id: int, incidents: Text = "", note: Text = ""
    ) -> Response:
        try:
            wanted = parse_ids(incidents, "incidents")
            if not wanted:
                raise InputError("name the incidents to link", source="incidents")
            link_incidents(
                request_store(request),
                case_id,
                wanted,
                by=request_viewer(request),
                note=note or None,
            )
        except FORM_ERRORS as error:
            return refused(request, case_id, error)
        return to_case(request, case_id)

    @app.post("/cases/{case_id}/evidence", name="case_link_evidence_form", include_in_schema=False)
    def case_link_evidence(
        request: Request, case_id: int, evidence: Text = "", note: Text = ""
    ) -> Response:
        try:
            wanted = parse_ids(evidence, "evidence")
            if not wanted:
                raise InputError("name the evidence files to link", source="evidence")
            link_evidence(
                request_store(request),
                case_id,
                wanted,
                by=request_viewer(request),
                note=note or None,
            )
        except FORM_ERRORS as error:
            return refused(request, case_id, error)
        return to_case(request, case_id)
