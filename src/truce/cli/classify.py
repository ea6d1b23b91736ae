"""`truce classify`: change who may see a document (with its events) or one event."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from truce.cli.app import (
    ClassificationOption,
    DatabaseOption,
    PartyOption,
    app,
    command_principal,
    reports_errors,
)
from truce.cli.options import pack_party
from truce.security.audit import reclassify
from truce.store import Store


class RecordKind(StrEnum):
    DOCUMENT = "document"
    EVENT = "event"


@app.command("classify")
@reports_errors
def classify(
    kind: Annotated[RecordKind, typer.Argument(help="document (with its events) or event")],
    record_id: Annotated[int, typer.Argument(metavar="ID", help="The record's id.")],
    classification: ClassificationOption,
    party: PartyOption = None,
    db: DatabaseOption = None,
) -> None:
    """Reclassify a record: public, committee, or restricted to --party (and the chair).

    Nothing is lost: the audit log keeps what each record was, and who changed it.
    """
    owner_party = pack_party(party, "--party")
    with Store.open(db) as store:
        changed = reclassify(
            store,
            kind.value,
            record_id,
            classification,
            owner_party,
            by=command_principal(),
        )
    if changed:
        records = "record" if changed == 1 else "records"
        typer.echo(f"{kind.value} {record_id}: {changed} {records} changed")
    else:
        typer.echo(f"{kind.value} {record_id}: nothing changed (it already was so)")
