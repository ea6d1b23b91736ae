"""`truce cases`: allegations and their investigation, from filing to a finding (see
truce.cases).

Writing commands take `--by USER` (act as that user: a delegate files for its party, the chair
investigates and concludes, monitors add tasks and visit reports); without it the command is
the local system, which acts as the chair. Reading commands take `--as USER`.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from truce.cases import (
    MAX_PAGE,
    CaseAction,
    CasePage,
    CaseState,
    CaseSummary,
    CaseView,
    Finding,
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
from truce.cli.app import (
    AsUserOption,
    ByUserOption,
    ClassificationOption,
    DatabaseOption,
    command_group,
    echo_json,
    reports_errors,
    user_principal,
)
from truce.cli.options import (
    JsonOption,
    NoteOption,
    access_words,
    facts_table,
    optional_date,
    pack_party,
    page_caption,
    required_date,
    stamp,
    text_table,
)
from truce.core.access import Classification
from truce.core.errors import InputError
from truce.store import Store
from truce.theatre import load_pack

cases_app = command_group(
    "cases", help="Cases: allegations filed, investigated and concluded with a finding."
)
task_app = typer.Typer(name="task", help="A case's investigation tasks.", no_args_is_help=True)
cases_app.add_typer(task_app, name="task")

CaseArgument = Annotated[int, typer.Argument(metavar="ID", help="The case's id.")]
DateText = Annotated[str | None, typer.Option(metavar="YYYY-MM-DD", show_default=False)]


@cases_app.command("file")
@reports_errors
def file(
    title: Annotated[str, typer.Option(help="What is alleged, in a line.")],
    summary: Annotated[
        str | None, typer.Option(help="The allegation in full.", show_default=False)
    ] = None,
    incident: Annotated[
        list[int] | None,
        typer.Option(metavar="N", help="An incident it rests on (repeatable).", show_default=False),
    ] = None,
    evidence: Annotated[
        list[int] | None,
        typer.Option(metavar="N", help="An evidence file (repeatable).", show_default=False),
    ] = None,
    party: Annotated[
        str | None,
        typer.Option(
            metavar="PARTY",
            help="The complaining party (a delegate files for its own).",
            show_default=False,
        ),
    ] = None,
    accused: Annotated[
        str | None, typer.Option(metavar="PARTY", help="The party accused.", show_default=False)
    ] = None,
    clause: Annotated[
        str | None,
        typer.Option(metavar="CLAUSE", help="The clause alleged broken, e.g. coh-2024-02."),
    ] = None,
    deadline: Annotated[
        str | None,
        typer.Option(metavar="YYYY-MM-DD", help="When a finding is due.", show_default=False),
    ] = None,
    classification: ClassificationOption = Classification.RESTRICTED,
    by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """File an allegation: a new case, in state filed."""
    allegation = NewAllegation(
        title=title,
        summary=summary,
        filed_for_party=pack_party(party, "--party"),
        accused_party=pack_party(accused, "--accused"),
        clause_id=_clause(clause, "--clause"),
        deadline=optional_date(deadline, "--deadline"),
        classification=classification,
        incident_ids=tuple(incident or ()),
        evidence_ids=tuple(evidence or ()),
    )
    with Store.open(db) as store:
        case_id = file_allegation(store, allegation, by=user_principal(store, by, acting=True))
    typer.echo(f"filed case {case_id}")


@cases_app.command("list")
@reports_errors
def list_(
    state: Annotated[CaseState | None, typer.Option(help="Only cases in this state.")] = None,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only open cases past their deadline.")
    ] = False,
    incident: Annotated[
        int | None,
        typer.Option(metavar="N", help="Only cases linking this incident.", show_default=False),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=MAX_PAGE, help="cases per page")] = 50,
    offset: Annotated[int, typer.Option(min=0, help="cases to skip")] = 0,
    as_json: JsonOption = False,
    as_user: AsUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """List cases, the last opened first."""
    with Store.open(db) as store:
        page = list_cases(
            store,
            viewer=user_principal(store, as_user, acting=False),
            state=state,
            overdue=True if overdue else None,
            incident_id=incident,
            limit=limit,
            offset=offset,
        )
    if as_json:
        echo_json(page)
    else:
        Console().print(_list_table(page))


@cases_app.command("show")
@reports_errors
def show(
    case_id: CaseArgument,
    as_json: JsonOption = False,
    as_user: AsUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Show a case: the allegation, its history, tasks, visit reports, links and findings."""
    with Store.open(db) as store:
        view = get_case(store, case_id, viewer=user_principal(store, as_user, acting=False))
    if as_json:
        echo_json(view)
    else:
        _print_case(view)


@cases_app.command("investigate")
@reports_errors
def investigate(
    case_id: CaseArgument,
    note: NoteOption = None,
    by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Start investigating a filed case (the chair)."""
    _take(case_id, CaseAction.INVESTIGATE, note, by, db)


@cases_app.command("withdraw")
@reports_errors
def withdraw(
    case_id: CaseArgument,
    note: NoteOption = None,
    by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Withdraw a filed or investigated case (its filing party's delegate, or the chair)."""
    _take(case_id, CaseAction.WITHDRAW, note, by, db)


@cases_app.command("reopen")
@reports_errors
def reopen(
    case_id: CaseArgument,
    note: NoteOption = None,
    by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Reopen a concluded case for more investigation (the chair)."""
    _take(case_id, CaseAction.REOPEN, note, by, db)


def _take(
    case_id: int, action: CaseAction, note: str | None, by: str | None, db: str | None
) -> None:
    with Store.open(db) as store:
        view = transition(
            store, case_id, action, by=user_principal(store, by, acting=True), note=note
        )
    typer.echo(f"case {view.id}: {action} → {view.state}")


@cases_app.command("conclude")
@reports_errors
def conclude(
    case_id: CaseArgument,
    outcome: Annotated[FindingOutcome, typer.Option(help="What the investigation found.")],
    rationale: Annotated[str, typer.Option(help="Why: the reasoning of the finding.")],
    clause: Annotated[
        str | None,
        typer.Option(metavar="CLAUSE", help="The clause broken (default: the case's)."),
    ] = None,
    party: Annotated[
        str | None,
        typer.Option(
            metavar="PARTY",
            help="The party it is attributed to (default: the accused).",
            show_default=False,
        ),
    ] = None,
    shared_with: Annotated[
        Classification,
        typer.Option(
            "--shared-with",
            help="Who may see the finding: public, committee, or restricted (a party and the "
            "chair).",
        ),
    ] = Classification.COMMITTEE,
    shared_party: Annotated[
        str | None,
        typer.Option(
            "--shared-party",
            metavar="PARTY",
            help="The party a restricted finding is shared with.",
            show_default=False,
        ),
    ] = None,
    note: NoteOption = None,
    by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Conclude an investigation with a finding (the chair)."""
    finding = NewFinding(
        outcome=outcome,
        rationale=rationale,
        clause_id=_clause(clause, "--clause"),
        attributed_party=pack_party(party, "--party"),
        classification=shared_with,
        owner_party=pack_party(shared_party, "--shared-party"),
    )
    with Store.open(db) as store:
        view = transition(
            store,
            case_id,
            CaseAction.CONCLUDE,
            by=user_principal(store, by, acting=True),
            note=note,
            finding=finding,
        )
    typer.echo(f"case {view.id}: conclude → {view.state}")
    if view.finding is not None:
        typer.echo(f"  finding {view.finding.id}: {_finding_words(view.finding)}")


@task_app.command("add")
@reports_errors
def task_add(
    case_id: CaseArgument,
    title: Annotated[str, typer.Option(help="What to do.")],
    assign: Annotated[
        str | None, typer.Option(metavar="USER", help="Who does it.", show_default=False)
    ] = None,
    due: DateText = None,
    by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Add a task to a case under investigation (the chair or a monitor)."""
    when = optional_date(due, "--due")
    with Store.open(db) as store:
        task = add_task(
            store,
            case_id,
            title=title,
            by=user_principal(store, by, acting=True),
            assigned_to=assign,
            due=when,
        )
    typer.echo(f"task {task.id} of case {task.case_id}: {task.title} ({task.status})")


@task_app.command("done")
@reports_errors
def task_done(
    task_id: Annotated[int, typer.Argument(metavar="TASK_ID", help="The task's id.")],
    cancel: Annotated[
        bool, typer.Option("--cancel", help="Close it as cancelled, not done.")
    ] = False,
    note: NoteOption = None,
    by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Close a task as done (or cancelled)."""
    status = TaskStatus.CANCELLED if cancel else TaskStatus.DONE
    with Store.open(db) as store:
        task = complete_task(
            store, task_id, by=user_principal(store, by, acting=True), status=status, note=note
        )
    typer.echo(f"task {task.id} of case {task.case_id}: {task.status}")


@cases_app.command("visit")
@reports_errors
def visit(
    case_id: CaseArgument,
    on: Annotated[str, typer.Option("--on", metavar="YYYY-MM-DD", help="The day of the visit.")],
    place: Annotated[str, typer.Option(help="Where.")],
    text: Annotated[str, typer.Option(help="What was seen and heard.")],
    task: Annotated[
        int | None,
        typer.Option(metavar="TASK_ID", help="The task the visit was for.", show_default=False),
    ] = None,
    by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Record a visit report for a case under investigation (the chair or a monitor)."""
    visited_on = required_date(on, "--on")
    with Store.open(db) as store:
        report = add_visit_report(
            store,
            case_id,
            visited_on=visited_on,
            place=place,
            text=text,
            by=user_principal(store, by, acting=True),
            task_id=task,
        )
    typer.echo(f"visit report {report.id} of case {case_id}: {report.place}, {report.visited_on}")


@cases_app.command("link")
@reports_errors
def link(
    case_id: CaseArgument,
    incident: Annotated[
        list[int] | None,
        typer.Option(metavar="N", help="An incident to link (repeatable).", show_default=False),
    ] = None,
    evidence: Annotated[
        list[int] | None,
        typer.Option(
            metavar="N", help="An evidence file to link (repeatable).", show_default=False
        ),
    ] = None,
    note: NoteOption = None,
    by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Link incidents, or evidence files, to an open case."""
    if bool(incident) == bool(evidence):
        raise InputError("give --incident or --evidence (one kind at a time)", source="link")
    with Store.open(db) as store:
        principal = user_principal(store, by, acting=True)
        if incident:
            linked = link_incidents(store, case_id, incident, by=principal, note=note)
        else:
            linked = link_evidence(store, case_id, evidence or (), by=principal, note=note)
    what = "incidents" if incident else "evidence"
    if linked:
        typer.echo(f"case {case_id}: linked {what} {', '.join(map(str, linked))}")
    else:
        typer.echo(f"case {case_id}: nothing changed, those {what} are linked already")


# --- parsing --------------------------------------------------------------------------------


def _clause(clause: str | None, option: str) -> str | None:
    if clause is None:
        return None
    agreement = load_pack().agreement
    known = [c.id for c in agreement.clauses]
    if clause not in known:
        raise InputError(
            f"unknown clause {clause!r}; the agreement has {', '.join(known)}", source=option
        )
    return clause


# --- rendering ------------------------------------------------------------------------------


def _finding_words(finding: Finding) -> str:
    about = " ".join(
        part
        for part in (
            f"clause {finding.clause_id}" if finding.clause_id else "",
            f"by {finding.attributed_party}" if finding.attributed_party else "",
        )
        if part
    )
    shared = access_words(finding.classification, finding.owner_party)
    return f"{finding.outcome}{' ' + about if about else ''} (shared: {shared})"


def _list_table(page: CasePage) -> Table:
    columns: tuple[str, ...] = ("id", "title", "state", "filed", "by/for", "accused", "clause")
    columns += ("deadline", "incidents", "finding", "access")
    return text_table(
        columns, (_list_cells(case) for case in page.items), caption=page_caption("cases", page)
    )


def _list_cells(case: CaseSummary) -> list[str]:
    deadline = case.deadline.isoformat() if case.deadline else ""
    if case.overdue:
        deadline += " OVERDUE"
    return [
        str(case.id),
        case.title,
        str(case.state),
        stamp(case.opened_at),
        f"{case.filed_by}/{case.filed_for_party or '-'}",
        case.accused_party or "",
        case.clause_id or "",
        deadline,
        ", ".join(map(str, case.incident_ids)),
        "" if case.finding is None else str(case.finding.outcome),
        access_words(case.classification, case.owner_party),
    ]


def _print_case(view: CaseView) -> None:
    console = Console()
    deadline = view.deadline.isoformat() if view.deadline else ""
    facts = (
        ("title", view.title),
        ("summary", view.summary or ""),
        ("state", f"{view.state}{' (overdue)' if view.overdue else ''}"),
        ("filed", f"{stamp(view.opened_at)} by {view.filed_by}"),
        ("for", view.filed_for_party or ""),
        ("accused", view.accused_party or ""),
        ("clause", view.clause_id or ""),
        ("deadline", deadline),
        ("access", access_words(view.classification, view.owner_party)),
        ("incidents", ", ".join(str(link.incident_id) for link in view.incidents)),
        ("evidence", ", ".join(str(link.evidence_id) for link in view.evidence)),
        ("next", ", ".join(map(str, view.actions)) or "nothing you may do"),
    )
    console.print(facts_table(facts, title=f"case {view.id}"))
    history = (
        (
            stamp(step.at),
            step.action,
            str(step.from_state or ""),
            str(step.to_state),
            step.by,
            step.note or "",
        )
        for step in view.transitions
    )
    columns: tuple[str, ...] = ("when", "action", "from", "to", "by", "note")
    console.print(text_table(columns, history, title="history"))
    if view.tasks:
        columns = ("task", "title", "assigned to", "due", "status", "closed", "note")
        tasks = (
            (
                str(task.id),
                task.title,
                task.assigned_to or "",
                task.due.isoformat() if task.due else "",
                str(task.status),
                f"{stamp(task.completed_at)} by {task.completed_by}" if task.completed_at else "",
                task.note or "",
            )
            for task in view.tasks
        )
        console.print(text_table(columns, tasks, title="tasks"))
    if view.visit_reports:
        visits = (
            (
                str(report.id),
                report.visited_on.isoformat(),
                report.place,
                "" if report.task_id is None else str(report.task_id),
                report.by,
                report.text,
            )
            for report in view.visit_reports
        )
        columns = ("report", "visited", "place", "task", "by", "text")
        console.print(text_table(columns, visits, title="visit reports"))
    if view.findings:
        findings = (
            (
                str(finding.id),
                stamp(finding.decided_at),
                finding.decided_by,
                _finding_words(finding),
                finding.rationale,
                "yes" if finding.current else f"superseded by {finding.superseded_by}",
            )
            for finding in view.findings
        )
        columns = ("finding", "decided", "by", "outcome", "rationale", "current")
        console.print(text_table(columns, findings, title="findings"))
