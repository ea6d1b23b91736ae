"""`truce incidents`: reports of one happening linked into incidents; link, list, show, merge,
split, undo and explain (see truce.incidents).

Reading commands take `--as USER` (what that user may see); writing ones `--by USER` (act
as that user, with its rights); without them the command is the local system.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from truce.agreement import CandidateViolation
from truce.cli.app import (
    AsUserOption,
    ByUserOption,
    DatabaseOption,
    command_group,
    echo_json,
    reports_errors,
    user_principal,
)
from truce.cli.options import JsonOption, facts_table, id_list, page_caption, stamp, text_table
from truce.incidents import (
    IncidentAction,
    IncidentCluster,
    IncidentPage,
    IncidentQuery,
    IncidentView,
    LinkDecision,
    LinkSettings,
    explain_stored_link,
    get_incident,
    link_stored_events,
    list_incidents,
    merge_incidents,
    split_incident,
    undo_incident_action,
)
from truce.incidents.book import DEFAULT_PAGE, MAX_PAGE
from truce.store import EventQuery, Store

incidents_app = command_group(
    "incidents",
    help="Incidents: reports of one happening from different sources, linked into one.",
)

IncidentArgument = Annotated[int, typer.Argument(metavar="ID", help="The incident's id.")]
ReasonOption = Annotated[str | None, typer.Option(help="Why, for the record.", show_default=False)]
MaxKmOption = Annotated[
    float | None,
    typer.Option(
        "--max-km",
        help="How far apart two reports of one happening may be placed (default 10 km).",
        show_default=False,
    ),
]
DaySlackOption = Annotated[
    int | None,
    typer.Option(
        "--day-slack",
        help="How many days apart two day-precise reports may be (default 0).",
        show_default=False,
    ),
]


def settings_from(max_km: float | None, day_slack: int | None) -> LinkSettings:
    """The linker's settings, the defaults except where an option says otherwise."""
    defaults = LinkSettings()
    return LinkSettings(
        max_km=defaults.max_km if max_km is None else max_km,
        day_slack_days=defaults.day_slack_days if day_slack is None else day_slack,
    )


@incidents_app.command("link")
@reports_errors
def link(
    max_km: MaxKmOption = None,
    day_slack: DaySlackOption = None,
    as_json: JsonOption = False,
    by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Link every stored event into incidents.

    Analysts' merges and splits hold, incidents keep their ids, and a run over unchanged
    events changes nothing."""
    settings = settings_from(max_km, day_slack)
    with Store.open(db) as store:
        run = link_stored_events(
            store, by=user_principal(store, by, acting=True), settings=settings
        )
    if as_json:
        echo_json(run)
        return
    if run.action is None:
        typer.echo(f"nothing changed: {run.events} events in {run.incidents} incidents")
        return
    typer.echo(
        f"linked {run.events} events into {run.incidents} incidents: {run.new} new, "
        f"{run.changed} changed, {run.unchanged} unchanged, {run.retired} retired "
        f"(action {run.action})"
    )


@incidents_app.command("list")
@reports_errors
def list_(
    start: Annotated[str | None, typer.Option(help="first event date, YYYY-MM-DD")] = None,
    end: Annotated[str | None, typer.Option(help="last event date, YYYY-MM-DD")] = None,
    event_type: Annotated[str | None, typer.Option(help="ACLED event type")] = None,
    sub_event_type: Annotated[str | None, typer.Option(help="ACLED sub-event type")] = None,
    country: Annotated[str | None, typer.Option(help="ISO 3166-1 alpha-2 code, e.g. LB")] = None,
    actor: Annotated[str | None, typer.Option(help="part of actor1 or actor2, any case")] = None,
    bbox: Annotated[
        str | None, typer.Option(help="min_lon,min_lat,max_lon,max_lat (WGS84 degrees)")
    ] = None,
    text: Annotated[
        str | None, typer.Option(help="words to find in a member's evidence, actors, place")
    ] = None,
    ids: Annotated[
        str | None, typer.Option(metavar="ID,ID", help="only these incidents", show_default=False)
    ] = None,
    include_retired: Annotated[
        bool, typer.Option("--include-retired", help="also incidents merged into others")
    ] = False,
    limit: Annotated[int, typer.Option(min=1, max=MAX_PAGE, help="incidents per page")] = (
        DEFAULT_PAGE
    ),
    offset: Annotated[int, typer.Option(min=0, help="incidents to skip")] = 0,
    as_json: JsonOption = False,
    as_user: AsUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """List incidents, latest first; an incident matches if one of its reports does."""
    # EventQuery parses and checks the event filters (dates, bbox) the way `truce events` does
    filters = EventQuery(
        start=start,
        end=end,
        event_type=event_type,
        sub_event_type=sub_event_type,
        country=country,
        actor=actor,
        bbox=bbox,
        text=text,
    )
    query = IncidentQuery(
        start=filters.start,
        end=filters.end,
        event_type=filters.event_type,
        sub_event_type=filters.sub_event_type,
        country=filters.country,
        actor=filters.actor,
        bbox=filters.bbox,
        text=filters.text,
        ids=None if ids is None else tuple(id_list(ids, "--ids")),
        include_retired=include_retired,
        limit=limit,
        offset=offset,
    )
    with Store.open(db) as store:
        page = list_incidents(store, query, viewer=user_principal(store, as_user, acting=False))
    if as_json:
        echo_json(page)
    else:
        Console().print(_list_table(page))


@incidents_app.command("show")
@reports_errors
def show(
    incident_id: IncidentArgument,
    as_json: JsonOption = False,
    as_user: AsUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Show an incident: what happened, its reports, the clauses it may breach, its history."""
    with Store.open(db) as store:
        view = get_incident(store, incident_id, viewer=user_principal(store, as_user, acting=False))
    if as_json:
        echo_json(view)
        return
    console = Console()
    console.print(_summary_table(view))
    console.print(_members_table(view))
    console.print(_violations_table(view))
    if view.actions:
        console.print(_actions_table(view.actions))


@incidents_app.command("merge")
@reports_errors
def merge(
    incident_ids: Annotated[
        list[int], typer.Argument(metavar="ID ID...", help="The incidents to make one.")
    ],
    reason: ReasonOption = None,
    by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Make incidents one: the lowest id keeps every report, the others retire.

    The linker keeps them together from now on."""
    with Store.open(db) as store:
        action = merge_incidents(
            store, incident_ids, by=user_principal(store, by, acting=True), reason=reason
        )
    survivor = min(incident_ids)
    typer.echo(f"action {action.id}: merged incidents {_ids(action.incidents)} into {survivor}")
    _echo_membership(action)


@incidents_app.command("split")
@reports_errors
def split(
    incident_id: IncidentArgument,
    events: Annotated[
        str, typer.Option(metavar="E,E", help="The member events to move to a new incident.")
    ],
    reason: ReasonOption = None,
    by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Move some reports of an incident to a new one.

    The linker keeps the two apart from now on."""
    moving = id_list(events, "--events")
    with Store.open(db) as store:
        action = split_incident(
            store, incident_id, moving, by=user_principal(store, by, acting=True), reason=reason
        )
    new = ", ".join(map(str, action.created)) or "?"
    typer.echo(
        f"action {action.id}: split events {_ids(moving)} off incident {incident_id} "
        f"into incident {new}"
    )
    _echo_membership(action)


@incidents_app.command("undo")
@reports_errors
def undo(
    action_id: Annotated[int, typer.Argument(metavar="ACTION_ID", help="The action to undo.")],
    by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Undo a link, merge, split (or undo): restore the incidents as they were before it."""
    with Store.open(db) as store:
        action = undo_incident_action(store, action_id, by=user_principal(store, by, acting=True))
    typer.echo(f"action {action.id}: undid action {action_id}")
    _echo_membership(action)


@incidents_app.command("explain")
@reports_errors
def explain(
    event_a: Annotated[int, typer.Argument(metavar="EVENT_A", help="An event's id.")],
    event_b: Annotated[int, typer.Argument(metavar="EVENT_B", help="Another event's id.")],
    max_km: MaxKmOption = None,
    day_slack: DaySlackOption = None,
    as_json: JsonOption = False,
    as_user: AsUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Say whether the linker may put two events in one incident, and why."""
    settings = settings_from(max_km, day_slack)
    with Store.open(db) as store:
        viewer = user_principal(store, as_user, acting=False)
        decision = explain_stored_link(store, event_a, event_b, viewer=viewer, settings=settings)
    if as_json:
        echo_json(decision)
        return
    typer.echo(_decision_words(event_a, event_b, decision, settings))


# --- rendering ----------------------------------------------------------------------------


def kind_of(summary: IncidentCluster) -> str:
    kind = summary.sub_event_type or summary.event_type or f"PLOVER {summary.plover}"
    return kind if summary.modality == "asserted" else f"{kind} ({summary.modality})"


def dates_of(summary: IncidentCluster) -> str:
    if summary.start is None:
        return "undated"
    if summary.end is None or summary.end == summary.start:
        return summary.start.isoformat()
    return f"{summary.start.isoformat()} – {summary.end.isoformat()}"


def place_of(summary: IncidentCluster) -> str:
    return ", ".join(p for p in (summary.location, summary.admin1, summary.country) if p)


def actors_of(summary: IncidentCluster) -> str:
    return " → ".join(name for name in (summary.actor1, summary.actor2) if name)


def _ids(ids: tuple[int, ...] | list[int]) -> str:
    return ", ".join(map(str, ids))


def _list_table(page: IncidentPage) -> Table:
    columns: tuple[str, ...] = ("id", "dates", "type", "place", "actors", "deaths", "sources")
    columns += ("reports", "may breach")
    caption = page_caption("incidents", page, next_page=True)
    return text_table(columns, map(_list_cells, page.items), caption=caption)


def _list_cells(view: IncidentView) -> list[str]:
    summary = view.summary
    retired = f" (retired → {view.superseded_by})" if view.retired_at else ""
    breaches = sorted({f"{v.clause_number} ({v.party})" for v in _breaches(view)})
    return [
        f"{view.id}{retired}",
        dates_of(summary),
        kind_of(summary),
        place_of(summary),
        actors_of(summary),
        "" if summary.fatalities is None else str(summary.fatalities),
        str(summary.independent_sources),
        str(len(view.members)),
        ", ".join(breaches),
    ]


def _breaches(view: IncidentView) -> list[CandidateViolation]:
    return [v for v in view.violations if v.effect == "violation"]


def _summary_table(view: IncidentView) -> Table:
    summary = view.summary
    place = place_of(summary)
    if summary.latitude is not None and summary.longitude is not None:
        point = f"{summary.latitude:.4f}, {summary.longitude:.4f}"
        place += f" ({point}; geo precision {summary.geo_precision})"
    rows = [
        ("type", kind_of(summary)),
        ("dates", dates_of(summary)),
        ("place", place),
        ("actors", actors_of(summary)),
        ("fatalities", "" if summary.fatalities is None else str(summary.fatalities)),
        (
            "sources",
            f"{summary.independent_sources} independent: {', '.join(summary.sources)}",
        ),
        ("first reported", stamp(summary.first_reported)),
        ("last reported", stamp(summary.last_reported)),
    ]
    if view.retired_at is not None:
        rows.append(("retired", f"{stamp(view.retired_at)}, superseded by {view.superseded_by}"))
    if view.cases:
        rows.append(("cases", _ids(view.cases)))
    return facts_table(rows, title=f"incident {view.id}")


def _members_table(view: IncidentView) -> Table:
    rows = (
        (
            str(member.event.id),
            stamp(member.published),
            member.source or "",
            member.title or member.doc_id,
            f"{member.link_score:.2f}"
            + ("" if member.linked_to is None else f" to {member.linked_to}"),
            member.event.evidence.text,
        )
        for member in sorted(view.members, key=lambda m: (stamp(m.published), m.event.id))
    )
    columns = ("event", "published", "outlet", "document", "link", "evidence")
    return text_table(columns, rows, title="reports")


def _violations_table(view: IncidentView) -> Table:
    rows = (
        (
            f"{candidate.clause_number}. {candidate.clause_title}",
            candidate.effect,
            candidate.party,
            _ids(candidate.event_ids),
            candidate.reason,
        )
        for candidate in view.violations
    )
    columns = ("clause", "effect", "answerable", "events", "reason")
    return text_table(
        columns,
        rows,
        title="agreement check (candidates for review, not findings)",
        caption=None if view.violations else "no clause of the agreement bears on this incident",
    )


def _actions_table(actions: list[IncidentAction]) -> Table:
    rows = (
        (
            str(action.id),
            action.kind if action.undoes is None else f"undo of {action.undoes}",
            stamp(action.at),
            action.by,
            _membership_words(action),
            action.reason or "",
            "" if action.undone_at is None else f"{stamp(action.undone_at)} by {action.undone_by}",
        )
        for action in actions
    )
    columns = ("action", "kind", "at", "by", "members after", "reason", "undone")
    return text_table(columns, rows, title="history")


def _membership_words(action: IncidentAction) -> str:
    return "; ".join(
        f"{pk}: {_ids(action.after.get(pk, ())) or 'retired'}" for pk in action.incidents
    )


def _echo_membership(action: IncidentAction) -> None:
    for pk in action.incidents:
        before = _ids(action.before.get(pk, ())) or "none"
        after = _ids(action.after.get(pk, ())) or "none (retired)"
        typer.echo(f"  incident {pk}: events {before} -> {after}")


def _decision_words(a: int, b: int, decision: LinkDecision, settings: LinkSettings) -> str:
    if decision.linked:
        verdict = f"events {a} and {b} may be one incident: they score {decision.score:.2f}"
    elif decision.compatible:
        verdict = (
            f"events {a} and {b} are compatible but score {decision.score:.2f}, under "
            f"{settings.min_similarity:.2f}: linked only through other reports"
        )
    else:
        verdict = f"events {a} and {b} are never one incident; checks failed: " + ", ".join(
            decision.failed
        )
    distance = "unknown" if decision.distance_km is None else f"{decision.distance_km:.1f} km"
    days = "unknown" if decision.days_apart is None else str(decision.days_apart)
    facts = [
        f"distance: {distance}",
        f"days apart: {days}",
        f"wording alike: {decision.wording:.2f}",
    ]
    return verdict + "\n" + "\n".join(f"  {fact}" for fact in facts)
