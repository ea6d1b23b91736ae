"""The agreement check shown on an incident follows changes at once: a clause edited in the
pack, a report merged in. Nothing about it is stored, so nothing can go stale."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from builders import ISRAEL, SYSTEM, event, write
from truce.core.models import Document
from truce.incidents import get_incident, iter_incident_views, link_stored_events, merge_incidents
from truce.store import Store
from truce.theatre import TheatrePack, load_pack

PACK = Path(load_pack(None).path)
DAY = dt.date(2025, 3, 10)


def write_report(store: Store, doc_id: str, sentence: str, **fields: object) -> None:
    """A one-sentence report of `DAY` in Lebanon, with its one event."""
    document = Document(
        id=doc_id,
        text=sentence,
        published=dt.datetime.combine(DAY, dt.time(12), tzinfo=dt.UTC),
        source=doc_id.split("-")[0],
    )
    found = event(document, sentence, event_date=DAY, country="LB", plover="ASSAULT", **fields)
    write(store, {document: [found]})


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as opened:
        # an Israeli strike at Khiam and a clash near Tyre the same day: two incidents
        write_report(
            opened,
            "wire-1",
            "An Israeli drone struck a car in Khiam.",
            event_type="Explosions/Remote violence",
            sub_event_type="Air/drone strike",
            actor1=ISRAEL,
            location="Khiam",
            latitude=33.3294,
            longitude=35.6117,
        )
        write_report(
            opened,
            "cedar-1",
            "Hezbollah fighters fired on troops near Tyre.",
            event_type="Battles",
            sub_event_type="Armed clash",
            actor1="Hezbollah",
            actor2=ISRAEL,
            location="Tyre",
            latitude=33.2705,
            longitude=35.2038,
        )
        link_stored_events(opened, by=SYSTEM)
        yield opened


def clauses(store: Store, incident_id: int, pack: TheatrePack | None = None) -> set[str]:
    view = get_incident(store, incident_id, viewer=SYSTEM, pack=pack)
    return {v.clause_id for v in view.violations if v.effect == "violation"}


def incident_ids(store: Store) -> dict[str, int]:
    return {
        member.doc_id: view.id
        for view in iter_incident_views(store, viewer=SYSTEM)
        for member in view.members
    }


def test_an_edited_clause_changes_the_check_at_once(store: Store, tmp_path: Path) -> None:
    khiam = incident_ids(store)["wire-1"]
    assert "coh-2024-02" in clauses(store, khiam)

    edited = tmp_path / "pack"
    shutil.copytree(PACK, edited)
    agreement = edited / "agreement.yaml"
    text = agreement.read_text(encoding="utf-8")
    # clause 2's conditions now start after the strike
    head, clause_2 = text.split("  - id: coh-2024-02", 1)
    clause_2, rest = clause_2.split("  - id: coh-2024-03", 1)
    clause_2 = clause_2.replace("start: 2024-11-27", "start: 2025-06-01")
    agreement.write_text(
        f"{head}  - id: coh-2024-02{clause_2}  - id: coh-2024-03{rest}", encoding="utf-8"
    )

    assert "coh-2024-02" not in clauses(store, khiam, pack=load_pack(edited))
    assert "coh-2024-02" in clauses(store, khiam)  # the bundled pack is untouched


def test_a_merged_report_brings_its_clauses(store: Store) -> None:
    ids = incident_ids(store)
    khiam, tyre = ids["wire-1"], ids["cedar-1"]
    assert khiam != tyre
    before = clauses(store, khiam)
    assert before == {"coh-2024-02"}
    merge_incidents(store, [khiam, tyre], by=SYSTEM, reason="one operation, two fronts")
    after = clauses(store, min(khiam, tyre))
    # the armed clash by Hezbollah makes Lebanon answerable under clause 5 too
    assert after > before
    assert "coh-2024-05" in after
