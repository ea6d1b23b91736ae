"""`truce audit`: verify the audit chain, sign checkpoints of it, make their key, read it."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from truce.cli.app import (
    EXIT_FAILED,
    DatabaseOption,
    command_group,
    command_principal,
    reports_errors,
)
from truce.core.audit import AuditEntry
from truce.security.audit import (
    MAX_LOG_LIMIT,
    AuditReport,
    audit_log,
    generate_key,
    public_key_path,
    verify_audit,
    write_checkpoint,
)
from truce.store import Store

audit_app = command_group(
    "audit", help="Prove what was done: verify the audit log, sign checkpoints of it, read it."
)

PublicKeyOption = Annotated[
    Path | None,
    typer.Option(
        "--public-key",
        metavar="KEY.pub.pem",
        help="Require the checkpoints to be signed by this key (from `truce audit keygen`).",
        show_default=False,
    ),
]


@audit_app.command("verify")
@reports_errors
def verify(
    checkpoint: Annotated[
        list[Path] | None,
        typer.Option(
            "--checkpoint",
            metavar="FILE",
            help="A checkpoint file the log must still match (repeat for several).",
            show_default=False,
        ),
    ] = None,
    public_key: PublicKeyOption = None,
    db: DatabaseOption = None,
) -> None:
    """Check every entry of the audit log and its chain of hashes, and each --checkpoint.

    Exit code 0 if intact; 1 naming the first changed, missing, inserted or moved entry.
    """
    with Store.open(db) as store:
        report = verify_audit(
            store, checkpoints=checkpoint or [], by=command_principal(), public_key=public_key
        )
    if report.problem is not None:
        print(
            f"truce: audit log broken at entry {report.problem.seq} ({report.problem.kind}): "
            f"{report.problem.message}",
            file=sys.stderr,
        )
        raise typer.Exit(EXIT_FAILED)
    typer.echo(_intact(report))


def _intact(report: AuditReport) -> str:
    line = f"audit log intact: {report.entries} entries"
    if report.entries:
        line += f", head {report.head_seq} {report.head_hash[:12]}…"
    if report.checkpoints:
        count = report.checkpoints
        holds = "1 checkpoint holds" if count == 1 else f"{count} checkpoints hold"
        line += f"; {holds}"
    return line


@audit_app.command("checkpoint")
@reports_errors
def checkpoint(
    key: Annotated[
        Path,
        typer.Option(
            "--key", metavar="KEY.pem", help="Ed25519 private key (`truce audit keygen`)."
        ),
    ],
    out: Annotated[
        Path, typer.Option("--out", metavar="FILE", help="The checkpoint file to create.")
    ],
    db: DatabaseOption = None,
) -> None:
    """Sign the head of the verified audit log into a new checkpoint file.

    Keep the file outside the database (each party its own copy): `truce audit verify
    --checkpoint FILE` then proves the history up to it was not rewritten.
    """
    with Store.open(db) as store:
        signed = write_checkpoint(store, key=key, out=out, by=command_principal())
    typer.echo(
        f"checkpoint of entry {signed.seq} ({signed.hash[:12]}…, {signed.entries} entries) "
        f"signed into {out}; keep it outside the database"
    )


@audit_app.command("keygen")
@reports_errors
def keygen(
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            metavar="KEY.pem",
            help="The private key file to create; the public key goes beside it, KEY.pub.pem.",
        ),
    ],
) -> None:
    """Make an Ed25519 key pair for signing checkpoints (never overwrites a file)."""
    public = public_key_path(out)
    generate_key(out, public)
    typer.echo(f"private key: {out} (readable by you alone; keep it secret)")
    typer.echo(f"public key:  {public} (give it to whoever verifies checkpoints)")


@audit_app.command("log")
@reports_errors
def log(
    entity: Annotated[
        str | None,
        typer.Option(help="Only entries about this table, e.g. documents, events, users."),
    ] = None,
    record_id: Annotated[
        str | None,
        typer.Option("--id", metavar="ID", help="Only entries about the record with this id."),
    ] = None,
    after: Annotated[int, typer.Option(min=0, help="Start after this entry.")] = 0,
    limit: Annotated[int, typer.Option(min=1, max=MAX_LOG_LIMIT, help="Entries to show.")] = 100,
    db: DatabaseOption = None,
) -> None:
    """List audit entries, oldest first: who did what to which record, when."""
    with Store.open(db) as store:
        entries = audit_log(
            store,
            by=command_principal(),
            entity=entity,
            entity_id=record_id,
            after=after,
            limit=limit,
        )
    Console().print(_table(entries, limit))


def _table(entries: list[AuditEntry], limit: int) -> Table:
    if entries:
        caption = f"entries {entries[0].seq}–{entries[-1].seq}"
        if len(entries) == limit:
            caption += f"; more with --after {entries[-1].seq}"
    else:
        caption = "no entries"
    table = Table(caption=caption)
    # the content hash is left out: it means something to `truce audit verify`, not to a
    # reader, and narrow terminals need the room for the detail
    table.add_column("seq", justify="right")
    table.add_column("time (UTC)")
    table.add_column("actor", overflow="fold")
    table.add_column("action", overflow="fold")
    table.add_column("record", overflow="fold")
    table.add_column("detail", overflow="fold")
    for entry in entries:
        # Text() cells: stored strings are data, never rich markup
        table.add_row(
            Text(str(entry.seq)),
            Text(entry.at.strftime("%Y-%m-%d %H:%M:%S")),
            Text(entry.actor),
            Text(entry.action),
            Text(f"{entry.entity} {entry.entity_id}"),
            Text(_readable(entry.detail)),
        )
    return table


def _readable(detail: str | None) -> str:
    """The detail's JSON with spaces after its commas and colons, so it wraps between words."""
    if detail is None:
        return ""
    try:
        return json.dumps(json.loads(detail), ensure_ascii=False, separators=(", ", ": "))
    except ValueError:  # shown as stored: `truce audit verify` reports it
        return detail
