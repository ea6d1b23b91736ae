"""A realistic audit history for the audit tests, and raw access to tamper with it.

Two writers (the local operator and a chair) store documents and events over several
transactions, then the chair reclassifies a document (with its events) and an event: entries
of every kind the store writes today, with and without a detail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from builders import ISRAEL, event, write
from truce.core.access import Classification, Principal, Role
from truce.core.audit import entry_hash
from truce.core.models import Document
from truce.security.audit import reclassify
from truce.store import Store
from truce.store.schema import audit_log

CHAIR = Principal(name="chair-amal", role=Role.CHAIR)

SHELLING = Document(
    id="shelling-1",
    text=(
        "Israeli artillery shelled Kfar Kila on 6 December 2024. "
        "Hezbollah fired two rockets at Shebaa Farms the next day."
    ),
    published=dt.date(2024, 12, 7),
    title="Exchange of fire on the border",
)
DRONE = Document(
    id="drone-1",
    text="An Israeli drone struck a motorbike near Nabatieh on 9 December, killing one man.",
    published=dt.date(2024, 12, 9),
)
MEETING = Document(
    id="meeting-1",
    text="The monitoring committee met in Naqoura on 10 December.",
    published=dt.date(2024, 12, 10),
)


def build_history(store: Store) -> None:
    """Write the history: 3 documents, 4 events, 2 reclassifications (11 entries)."""
    write(
        store,
        {
            SHELLING: [
                event(
                    SHELLING,
                    "Israeli artillery shelled Kfar Kila on 6 December 2024.",
                    event_type="Explosions/Remote violence",
                    sub_event_type="Shelling/artillery/missile attack",
                    plover="ASSAULT",
                    event_date=dt.date(2024, 12, 6),
                    actor1=ISRAEL,
                    location="Kfar Kila",
                    country="LB",
                ),
                event(
                    SHELLING,
                    "Hezbollah fired two rockets at Shebaa Farms the next day.",
                    plover="ASSAULT",
                    event_date=dt.date(2024, 12, 7),
                    actor1="Hezbollah",
                    location="Shebaa Farms",
                ),
            ]
        },
        classification=Classification.COMMITTEE,
    )
    with store.transaction(by=CHAIR) as batch:
        drone, _ = batch.add_document(DRONE, classification=Classification.PUBLIC)
        batch.add_events(
            drone,
            [
                event(
                    DRONE,
                    DRONE.text,
                    event_type="Explosions/Remote violence",
                    sub_event_type="Air/drone strike",
                    plover="ASSAULT",
                    event_date=dt.date(2024, 12, 9),
                    actor1=ISRAEL,
                    location="Nabatieh",
                    country="LB",
                    fatalities=1,
                )
            ],
        )
        meeting, _ = batch.add_document(MEETING, classification=Classification.PUBLIC)
        batch.add_events(
            meeting, [event(MEETING, MEETING.text, plover="CONSULT", location="Naqoura")]
        )
    # the shelling report and its two events, then the drone strike's one event
    assert reclassify(store, "document", 1, Classification.RESTRICTED, "lebanon", by=CHAIR) == 3
    assert reclassify(store, "event", 3, Classification.COMMITTEE, None, by=CHAIR) == 1


HISTORY_ENTRIES = 11


@contextmanager
def raw_engine(url: str) -> Iterator[Engine]:
    """An engine of its own on the store's database: what someone with the file, or the
    database password, could do behind truce's back."""
    engine = sa.create_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()


def stored_rows(connection: Connection) -> list[dict[str, Any]]:
    """Every audit_log row as stored, in seq order."""
    rows = connection.execute(sa.select(audit_log).order_by(audit_log.c.seq)).mappings()
    return [dict(row) for row in rows]


def restore(engine: Engine, rows: list[dict[str, Any]]) -> None:
    """Put the audit log back exactly as `rows` (undoing a tampering)."""
    with engine.begin() as connection:
        connection.execute(sa.delete(audit_log))
        connection.execute(sa.insert(audit_log), rows)


def chained(rows: list[dict[str, Any]], prev_hash: str) -> list[dict[str, Any]]:
    """`rows` with every hash recomputed, chained onto `prev_hash`: a consistent forgery."""
    forged = []
    for row in rows:
        row = {**row, "prev_hash": prev_hash}
        fields = {name: value for name, value in row.items() if name != "hash"}
        row["hash"] = prev_hash = entry_hash(**fields)
        forged.append(row)
    return forged


def renumber_from(connection: Connection, seq: int, shift: int) -> None:
    """Add `shift` to the seq of every entry from `seq` on. Through negative numbers: the
    primary key is checked row by row, so a plain `seq = seq + 1` would collide."""
    connection.execute(
        sa.update(audit_log).where(audit_log.c.seq >= seq).values(seq=-(audit_log.c.seq + shift))
    )
    connection.execute(sa.update(audit_log).where(audit_log.c.seq < 0).values(seq=-audit_log.c.seq))
