"""`truce disarmament`: the arms plan's phases, sites and caches, positions, and the figures
(see truce.committee.disarmament and truce.committee.positions).

Writing commands take `--by USER` (act as that user: a delegate writes its own party's
records); without it the command is the local system, which acts as the chair. Reading
commands take `--as USER`.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from truce.cli.app import (
    AsUserOption,
    ByUserOption,
    ClassificationOption,
    DatabaseOption,
    PartyOption,
    command_group,
    echo_json,
    reports_errors,
    user_principal,
)
from truce.cli.options import (
    JsonOption,
    NoteOption,
    access_words,
    history_table,
    optional_date,
    required_date,
    text_table,
)
from truce.committee.disarmament import (
    PHASE_STATUSES,
    DisarmamentFigures,
    NewSite,
    PlanStatus,
    SiteKind,
    SiteStatus,
    SiteView,
    StatusCounts,
    disarmament_figures,
    get_site,
    link_site,
    list_sites,
    move_site,
    plan_status,
    record_phase_update,
    report_site,
)
from truce.committee.positions import (
    NewPosition,
    Position,
    PositionStatus,
    add_position,
    get_position,
    list_positions,
    move_position,
    seed_positions_from_pack,
)
from truce.committee.record_fields import MAX_PAGE
from truce.core.access import Classification
from truce.store import Store

disarmament_app = command_group(
    "disarmament",
    help="The arms plan's phases, sites and caches, positions, and UNIFIL-style figures.",
)
site_app = typer.Typer(name="site", help="Sites and caches.", no_args_is_help=True)
position_app = typer.Typer(
    name="position", help="Army and Israeli-held positions.", no_args_is_help=True
)
disarmament_app.add_typer(site_app, name="site")
disarmament_app.add_typer(position_app, name="position")

IdArgument = Annotated[int, typer.Argument(metavar="ID", help="The record's id.")]
DayOption = Annotated[
    str | None, typer.Option("--on", metavar="YYYY-MM-DD", help="The day (default today).")
]
LimitOption = Annotated[int, typer.Option(min=1, max=MAX_PAGE, help="records per page")]
OffsetOption = Annotated[int, typer.Option(min=0, help="records to skip")]


@disarmament_app.command("plan")
@reports_errors
def plan(
    as_json: JsonOption = False, as_user: AsUserOption = None, db: DatabaseOption = None
) -> None:
    """Show the plan's phases with their latest status and its history."""
    with Store.open(db) as store:
        status = plan_status(store, viewer=user_principal(store, as_user, acting=False))
    if as_json:
        echo_json(status)
    else:
        _print_plan(status)


@disarmament_app.command("phase")
@reports_errors
def phase(
    phase_id: Annotated[
        str, typer.Argument(metavar="PHASE", help="The phase id, e.g. arms-plan-2.")
    ],
    status: Annotated[str, typer.Argument(help=f"One of {', '.join(PHASE_STATUSES)}.")],
    as_of: Annotated[
        str | None, typer.Option(metavar="YYYY-MM-DD", help="As of which day (default today).")
    ] = None,
    note: NoteOption = None,
    source: Annotated[str | None, typer.Option(help="Where the status is reported.")] = None,
    classification: ClassificationOption = Classification.COMMITTEE,
    party: PartyOption = None,
    by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Record a phase's status as of a day."""
    day = optional_date(as_of, "--as-of")
    with Store.open(db) as store:
        update = record_phase_update(
            store,
            phase_id,
            status,
            by=user_principal(store, by, acting=True),
            as_of=day,
            note=note,
            source=source,
            classification=classification,
            owner_party=party,
        )
    typer.echo(f"phase {update.phase_id}: {update.status} as of {update.as_of}")


@site_app.command("report")
@reports_errors
def site_report(
    kind: Annotated[SiteKind, typer.Option(help="What the site is.")],
    name: Annotated[str, typer.Option(help="What to call it.")],
    reported_on: Annotated[str, typer.Option(metavar="YYYY-MM-DD", help="When it was reported.")],
    lat: Annotated[float | None, typer.Option(help="Latitude.")] = None,
    lon: Annotated[float | None, typer.Option(help="Longitude.")] = None,
    reported_by: Annotated[
        str | None, typer.Option(metavar="PARTY", help="Who reported it (default: the owner).")
    ] = None,
    note: NoteOption = None,
    classification: ClassificationOption = Classification.COMMITTEE,
    party: PartyOption = None,
    by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Record a site or cache, reported."""
    new = NewSite(
        kind=kind,
        name=name,
        reported_on=required_date(reported_on, "--reported-on"),
        latitude=lat,
        longitude=lon,
        reported_by_party=reported_by,
        note=note,
        classification=classification,
        owner_party=party,
    )
    with Store.open(db) as store:
        site = report_site(store, new, by=user_principal(store, by, acting=True))
    typer.echo(f"site {site.id}: {site.name} ({site.status}; zones: {', '.join(site.zones)})")


@site_app.command("list")
@reports_errors
def site_list(
    status: Annotated[SiteStatus | None, typer.Option(help="Only sites in this status.")] = None,
    kind: Annotated[SiteKind | None, typer.Option(help="Only sites of this kind.")] = None,
    zone: Annotated[str | None, typer.Option(help="Only sites in this zone (an id).")] = None,
    limit: LimitOption = 50,
    offset: OffsetOption = 0,
    as_json: JsonOption = False,
    as_user: AsUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """List sites and caches, the last reported first."""
    with Store.open(db) as store:
        page = list_sites(
            store,
            viewer=user_principal(store, as_user, acting=False),
            status=status,
            kind=kind,
            zone=zone,
            limit=limit,
            offset=offset,
        )
    if as_json:
        echo_json(page)
        return
    columns = ("id", "kind", "name", "status", "reported", "point", "zones", "access")
    rows = (
        (
            str(site.id),
            site.kind,
            site.name,
            site.status,
            site.reported_on.isoformat(),
            "" if site.latitude is None else f"{site.latitude:.4f}, {site.longitude:.4f}",
            ", ".join(site.zones),
            access_words(site.classification, site.owner_party),
        )
        for site in page.items
    )
    Console().print(text_table(columns, rows, caption=f"{len(page.items)} of {page.total} sites"))


@site_app.command("show")
@reports_errors
def site_show(
    site_id: IdArgument,
    as_json: JsonOption = False,
    as_user: AsUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Show a site with its history and links."""
    with Store.open(db) as store:
        site = get_site(store, site_id, viewer=user_principal(store, as_user, acting=False))
    if as_json:
        echo_json(site)
    else:
        _print_site(site)


@site_app.command("move")
@reports_errors
def site_move(
    site_id: IdArgument,
    status: Annotated[SiteStatus, typer.Argument(help="The next status.")],
    on: DayOption = None,
    note: NoteOption = None,
    by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Move a site to its next status (reported → referred → dismantled → verified)."""
    day = optional_date(on, "--on")
    with Store.open(db) as store:
        site = move_site(
            store, site_id, status, by=user_principal(store, by, acting=True), on=day, note=note
        )
    typer.echo(f"site {site.id}: {site.status}")


@site_app.command("link")
@reports_errors
def site_link(
    site_id: IdArgument,
    incident: Annotated[
        list[int] | None, typer.Option(metavar="N", help="An incident (repeatable).")
    ] = None,
    evidence: Annotated[
        list[int] | None, typer.Option(metavar="N", help="An evidence file (repeatable).")
    ] = None,
    by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Link incidents and evidence files to a site."""
    with Store.open(db) as store:
        links = link_site(
            store,
            site_id,
            by=user_principal(store, by, acting=True),
            incident_ids=incident or (),
            evidence_ids=evidence or (),
        )
    added = [f"incident {n}" for n in links.incident_ids]
    added += [f"evidence {n}" for n in links.evidence_ids]
    typer.echo(f"site {site_id}: linked {', '.join(added) or 'nothing new'}")


@position_app.command("add")
@reports_errors
def position_add(
    name: Annotated[str, typer.Option(help="What to call it.")],
    holder: Annotated[str, typer.Option(metavar="PARTY", help="Who holds it (lebanon, israel).")],
    lat: Annotated[float, typer.Option(help="Latitude.")],
    lon: Annotated[float, typer.Option(help="Longitude.")],
    established_on: Annotated[
        str | None, typer.Option(metavar="YYYY-MM-DD", help="Held since (default today).")
    ] = None,
    supported_by: Annotated[str | None, typer.Option(help="Who supports it, e.g. UNIFIL.")] = None,
    note: NoteOption = None,
    classification: ClassificationOption = Classification.COMMITTEE,
    party: PartyOption = None,
    by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Record a position, held."""
    new = NewPosition(
        name=name,
        holder_party=holder,
        latitude=lat,
        longitude=lon,
        established_on=optional_date(established_on, "--established-on"),
        supported_by=supported_by,
        note=note,
        classification=classification,
        owner_party=party,
    )
    with Store.open(db) as store:
        position = add_position(store, new, by=user_principal(store, by, acting=True))
    typer.echo(f"position {position.id}: {position.name} ({position.holder_party}, held)")


@position_app.command("seed")
@reports_errors
def position_seed(
    since: Annotated[
        str | None, typer.Option(metavar="YYYY-MM-DD", help="Held since (default: in force).")
    ] = None,
    classification: ClassificationOption = Classification.COMMITTEE,
    by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Store the theatre pack's held positions (the five hilltops), once."""
    day = optional_date(since, "--since")
    with Store.open(db) as store:
        added = seed_positions_from_pack(
            store,
            by=user_principal(store, by, acting=True),
            since=day,
            classification=classification,
        )
    typer.echo(f"seeded {len(added)} positions: {', '.join(p.name for p in added) or 'none new'}")


@position_app.command("list")
@reports_errors
def position_list(
    holder: Annotated[str | None, typer.Option(metavar="PARTY", help="Only this holder's.")] = None,
    status: Annotated[PositionStatus | None, typer.Option(help="Only in this status.")] = None,
    limit: LimitOption = 50,
    offset: OffsetOption = 0,
    as_json: JsonOption = False,
    as_user: AsUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """List positions."""
    with Store.open(db) as store:
        page = list_positions(
            store,
            viewer=user_principal(store, as_user, acting=False),
            holder=holder,
            status=status,
            limit=limit,
            offset=offset,
        )
    if as_json:
        echo_json(page)
        return
    columns = ("id", "name", "holder", "status", "since", "supported by", "zones", "access")
    rows = (_position_cells(position) for position in page.items)
    caption = f"{len(page.items)} of {page.total} positions"
    Console().print(text_table(columns, rows, caption=caption))


@position_app.command("show")
@reports_errors
def position_show(
    position_id: IdArgument,
    as_json: JsonOption = False,
    as_user: AsUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Show a position with its history."""
    with Store.open(db) as store:
        position = get_position(
            store, position_id, viewer=user_principal(store, as_user, acting=False)
        )
    if as_json:
        echo_json(position)
        return
    console = Console()
    console.print(f"position {position.id}: {position.name}")
    console.print(" · ".join(_position_cells(position)[2:]))
    console.print(history_table(position.history))


@position_app.command("move")
@reports_errors
def position_move(
    position_id: IdArgument,
    status: Annotated[PositionStatus, typer.Argument(help="withdrawn or handed-over.")],
    on: DayOption = None,
    note: NoteOption = None,
    by: ByUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Record a held position withdrawn or handed over."""
    day = optional_date(on, "--on")
    with Store.open(db) as store:
        position = move_position(
            store, position_id, status, by=user_principal(store, by, acting=True), on=day, note=note
        )
    typer.echo(f"position {position.id}: {position.status} on {position.status_on}")


@disarmament_app.command("figures")
@reports_errors
def figures(
    start: Annotated[str | None, typer.Option(metavar="YYYY-MM-DD", help="From this day.")] = None,
    end: Annotated[str | None, typer.Option(metavar="YYYY-MM-DD", help="To this day.")] = None,
    as_json: JsonOption = False,
    as_user: AsUserOption = None,
    db: DatabaseOption = None,
) -> None:
    """Figures in the manner of UNIFIL's: sites by status, month and zone; positions."""
    first, last = optional_date(start, "--start"), optional_date(end, "--end")
    with Store.open(db) as store:
        found = disarmament_figures(
            store, viewer=user_principal(store, as_user, acting=False), start=first, end=last
        )
    if as_json:
        echo_json(found)
    else:
        _print_figures(found)


# --- parsing and rendering ------------------------------------------------------------------


def _print_plan(status: PlanStatus) -> None:
    rows = (
        (
            f"{phase.order}. {phase.id}",
            phase.name,
            ", ".join(phase.areas),
            phase.status,
            phase.as_of.isoformat(),
            str(len(phase.history) - 1),
        )
        for phase in status.phases
    )
    columns = ("phase", "name", "areas", "status", "as of", "updates")
    Console().print(text_table(columns, rows, title=status.name))


def _print_site(site: SiteView) -> None:
    console = Console()
    console.print(f"site {site.id}: {site.name} ({site.kind}, {site.status})")
    point = "no point" if site.latitude is None else f"{site.latitude}, {site.longitude}"
    console.print(f"{point}; zones: {', '.join(site.zones) or 'none'}")
    console.print(f"access: {access_words(site.classification, site.owner_party)}")
    console.print(f"incidents: {', '.join(map(str, site.incident_ids)) or 'none'}")
    console.print(f"evidence: {', '.join(map(str, site.evidence_ids)) or 'none'}")
    console.print(f"next: {', '.join(site.next_statuses) or 'none (final)'}")
    console.print(history_table(site.history))


def _position_cells(position: Position) -> list[str]:
    return [
        str(position.id),
        position.name,
        position.holder_party,
        position.status,
        str(position.status_on or position.established_on or ""),
        position.supported_by or "",
        ", ".join(position.zones),
        access_words(position.classification, position.owner_party),
    ]


def _counts_row(label: str, counts: StatusCounts) -> list[Text]:
    values = (counts.reported, counts.referred, counts.dismantled, counts.verified)
    return [Text(label), *(Text(str(n)) for n in values)]


def _print_figures(found: DisarmamentFigures) -> None:
    console = Console()
    period = f"{found.start or 'the start'} to {found.end or 'today'}"
    table = Table(title=f"sites and caches, {period}")
    for column in ("", "reported", "referred", "dismantled", "verified"):
        table.add_column(column)
    table.add_row(*_counts_row("all", found.sites))
    for month, counts in found.by_month.items():
        table.add_row(*_counts_row(month, counts))
    for zone, counts in found.by_zone.items():
        table.add_row(*_counts_row(zone, counts))
    console.print(table)
    console.print(f"army positions established: {found.army_positions_established}")
    console.print(f"positions supported: {found.positions_supported}")
    console.print(f"Israeli-held positions still held: {found.israeli_positions_held}")
    console.print(f"positions withdrawn or handed over: {found.positions_withdrawn}")
