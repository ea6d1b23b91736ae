"""`truce evidence`: files kept by SHA-256 with their chain of custody (see truce.evidence).

The vault is $TRUCE_EVIDENCE_DIR (default ./evidence); files are limited to
$TRUCE_MAX_EVIDENCE_MB megabytes (default 500).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from truce.cli.app import (
    ClassificationOption,
    DatabaseOption,
    PartyOption,
    command_group,
    command_principal,
    reports_errors,
)
from truce.cli.options import access_words, facts_table, pack_party, text_table
from truce.core.access import Classification
from truce.core.errors import InputError
from truce.evidence import (
    EvidenceRecord,
    EvidenceVault,
    add_evidence,
    export_original,
    get_evidence,
    list_evidence,
    make_working_copy,
    record_handover,
    verify_vault,
)
from truce.store import Store

evidence_app = command_group(
    "evidence",
    help="Evidence files kept by SHA-256 with a chain of custody "
    "(vault: $TRUCE_EVIDENCE_DIR, default ./evidence).",
)

IdArgument = Annotated[int, typer.Argument(metavar="ID", help="The evidence's id.")]
TimeOption = Annotated[
    str | None,
    typer.Option(
        metavar="ISO",
        help="When, as ISO 8601 with its time zone, e.g. 2024-12-06T10:30+02:00 (default: now).",
        show_default=False,
    ),
]


@evidence_app.command("add")
@reports_errors
def add(
    file: Annotated[Path, typer.Argument(help="The photo, PDF, video or audio file.")],
    received_from: Annotated[
        str, typer.Option("--received-from", metavar="WHO", help="Who handed the file over.")
    ],
    received_by: Annotated[
        str, typer.Option("--received-by", metavar="WHO", help="Who received it.")
    ],
    received_at: TimeOption = None,
    description: Annotated[
        str | None, typer.Option(help="What the file shows.", show_default=False)
    ] = None,
    classification: ClassificationOption = Classification.COMMITTEE,
    party: PartyOption = None,
    db: DatabaseOption = None,
) -> None:
    """Keep a file in the vault (hashed, read-only) and record who handed it to whom, when.

    Adding the same bytes again shows the record already kept; a receipt not recorded yet
    (another sender, receiver or time) is added to its chain of custody.
    """
    owner_party = pack_party(party, "--party")
    with Store.open(db) as store:
        record = add_evidence(
            store,
            EvidenceVault.from_env(),
            file,
            original_name=file.name,
            received_from=received_from,
            received_by=received_by,
            received_at=_time(received_at, "--received-at"),
            description=description,
            classification=classification,
            owner_party=owner_party,
            by=command_principal(),
        )
    typer.echo(
        f"evidence {record.id}: {record.original_name} ({record.media_type}, "
        f"{record.size} bytes) sha256 {record.sha256}, {_access(record)}"
    )


@evidence_app.command("list")
@reports_errors
def list_(
    limit: Annotated[int, typer.Option(min=1, max=1000, help="Records per page.")] = 100,
    offset: Annotated[int, typer.Option(min=0, help="Records to skip.")] = 0,
    db: DatabaseOption = None,
) -> None:
    """List evidence files, the last added first."""
    with Store.open(db) as store:
        records = list_evidence(store, viewer=command_principal(), limit=limit, offset=offset)
    rows = (
        (
            str(record.id),
            record.original_name,
            record.media_type,
            str(record.size),
            record.sha256[:16] + "…",
            f"{_stamp(record.received_at)} {record.received_from} → {record.received_by}",
            _access(record),
        )
        for record in records
    )
    columns = ("id", "name", "type", "bytes", "sha256", "received", "access")
    caption = f"{len(records)} evidence files from {offset + 1}"
    Console().print(text_table(columns, rows, caption=caption))


@evidence_app.command("show")
@reports_errors
def show(evidence_id: IdArgument, db: DatabaseOption = None) -> None:
    """Show one evidence file: its record, chain of custody and working copies."""
    with Store.open(db) as store:
        record = get_evidence(store, evidence_id, viewer=command_principal())
    console = Console()
    facts = (
        ("id", str(record.id)),
        ("name", record.original_name),
        ("type", record.media_type),
        ("bytes", str(record.size)),
        ("sha256", record.sha256),
        ("description", record.description or ""),
        ("received", f"{_stamp(record.received_at)} from {record.received_from}"),
        ("received by", record.received_by),
        ("stored", _stamp(record.created_at)),
        ("access", _access(record)),
    )
    console.print(facts_table(facts))
    custody = (
        (
            _stamp(entry.at),
            entry.action,
            entry.from_whom or "",
            entry.to_whom or "",
            entry.recorded_by,
            _seen(entry.sha256_checked, record.sha256),
            entry.note or "",
        )
        for entry in record.custody
    )
    columns = ("when", "action", "from", "to", "recorded by", "sha256 seen", "note")
    console.print(text_table(columns, custody, title="chain of custody"))
    if record.copies:
        copies = (
            (str(copy.id), _stamp(copy.created_at), copy.created_by, copy.purpose, copy.path)
            for copy in record.copies
        )
        console.print(
            text_table(("id", "made", "by", "purpose", "path"), copies, title="working copies")
        )


@evidence_app.command("handover")
@reports_errors
def handover(
    evidence_id: IdArgument,
    from_whom: Annotated[
        str, typer.Option("--from", metavar="WHO", help="Who hands the file over.")
    ],
    to_whom: Annotated[str, typer.Option("--to", metavar="WHO", help="Who receives it.")],
    at: TimeOption = None,
    note: Annotated[str | None, typer.Option(help="Why, or how.", show_default=False)] = None,
    db: DatabaseOption = None,
) -> None:
    """Record a hand-over, after checking the original still has its hash."""
    with Store.open(db) as store:
        entry = record_handover(
            store,
            EvidenceVault.from_env(),
            evidence_id,
            from_whom=from_whom,
            to_whom=to_whom,
            at=_time(at, "--at"),
            note=note,
            by=command_principal(),
        )
    typer.echo(
        f"evidence {evidence_id}: handed over {_stamp(entry.at)} from {entry.from_whom} "
        f"to {entry.to_whom} (custody entry {entry.id}; sha256 {entry.sha256_checked} checked)"
    )


@evidence_app.command("copy")
@reports_errors
def copy(
    evidence_id: IdArgument,
    purpose: Annotated[str, typer.Option(metavar="TEXT", help="What the copy is for.")],
    db: DatabaseOption = None,
) -> None:
    """Make a working copy for analysis and print its path (the original stays as it is)."""
    vault = EvidenceVault.from_env()
    with Store.open(db) as store:
        made = make_working_copy(store, vault, evidence_id, purpose=purpose, by=command_principal())
    typer.echo(str((vault.root / made.path).resolve()))


@evidence_app.command("export")
@reports_errors
def export(
    evidence_id: IdArgument,
    out: Annotated[
        Path, typer.Option("--out", metavar="FILE", help="A new file to write the original to.")
    ],
    note: Annotated[str | None, typer.Option(help="Why, or for whom.", show_default=False)] = None,
    db: DatabaseOption = None,
) -> None:
    """Write the original's bytes to a new file, checked against its hash, and record it."""
    with Store.open(db) as store:
        written = export_original(
            store, EvidenceVault.from_env(), evidence_id, out, note=note, by=command_principal()
        )
    typer.echo(str(written))


@evidence_app.command("verify")
@reports_errors
def verify(db: DatabaseOption = None) -> None:
    """Re-hash every original; exit 1 naming any that is missing, altered or writable."""
    with Store.open(db) as store:
        report = verify_vault(store, EvidenceVault.from_env(), by=command_principal())
    intact = report.checked - len(report.problems)
    typer.echo(f"{report.checked} originals checked: {intact} intact")
    report.check()


def _time(value: str | None, option: str) -> dt.datetime | None:
    if value is None:
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        raise InputError(
            f"{value!r} is not an ISO 8601 time, e.g. 2024-12-06T10:30+02:00", source=option
        ) from None


def _stamp(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _access(record: EvidenceRecord) -> str:
    return access_words(record.classification, record.owner_party)


def _seen(checked: str | None, expected: str) -> str:
    if checked is None:
        return ""
    return "matches" if checked == expected else checked
