"""The incident book on a real store (SQLite and PostgreSQL): linking stored events with stable
ids, merging, splitting, undoing, and what each viewer sees of an incident."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from builders import ISRAEL, SYSTEM, event, write
from truce.core.access import Classification, Principal, Role, Scope
from truce.core.errors import ConflictError, InputError, NotFoundError, PermissionDeniedError
from truce.core.models import Document, Event
from truce.incidents import (
    IncidentQuery,
    IncidentView,
    get_incident,
    iter_incident_views,
    link_stored_events,
    list_incidents,
    merge_incidents,
    split_incident,
    undo_incident_action,
)
from truce.security.audit import verify_chain
from truce.store import EventQuery, Store
from truce.store.audit import entries_about, read_chain
from truce.store.schema import audit_log, incident_actions, link_constraints

DAY = dt.date(2025, 1, 14)
KHIAM = {"location": "Khiam", "latitude": 33.3294, "longitude": 35.6117}
KFAR_KILA = {"location": "Kfar Kila", "latitude": 33.2833, "longitude": 35.5667}
STRIKE = {
    "event_type": "Explosions/Remote violence",
    "sub_event_type": "Air/drone strike",
    "plover": "ASSAULT",
    "actor1": ISRAEL,
    "admin1": "Nabatieh",
    "country": "LB",
}

CHAIR = Principal(name="chair", role=Role.CHAIR)
MONITOR = Principal(name="monitor", role=Role.MONITOR)
OBSERVER = Principal(name="observer", role=Role.OBSERVER)
ISRAEL_DELEGATE = Principal(name="idf", role=Role.DELEGATE, party="israel")
LEBANON_DELEGATE = Principal(name="laf", role=Role.DELEGATE, party="lebanon")
PUBLIC = Principal.public()


def report(
    doc_id: str,
    sentence: str,
    *,
    source: str,
    place: dict[str, object] = KHIAM,
    day: dt.date = DAY,
    published: dt.datetime | None = None,
    **fields: object,
) -> tuple[Document, Event]:
    """A one-sentence article and its one event: an Israeli drone strike unless told."""
    document = Document(
        id=doc_id,
        text=f"{sentence} More to follow.",
        published=published or dt.datetime.combine(day, dt.time(15), tzinfo=dt.UTC),
        title=sentence[:40],
        source=source,
    )
    data = {**STRIKE, **place, "event_date": day, **fields}
    return document, event(document, sentence, **data)


KHIAM_WIRE = report(
    "wire-1",
    "An Israeli drone struck a car in Khiam on Tuesday, killing two people.",
    source="Levant Wire",
    fatalities=2,
)
KHIAM_CEDAR = report(
    "cedar-1",
    "Two people were killed when an Israeli drone struck a car in Khiam.",
    source="Cedar News",
    fatalities=2,
)
KHIAM_LATE = report(
    "daily-1",
    "An Israeli drone strike on a car in Khiam killed two people, residents said.",
    source="Daily Star",
    fatalities=2,
)
#: Lebanon's own complaint about the same strike, restricted to Lebanon (and the chair)
KHIAM_COMPLAINT = report(
    "lb-complaint-1",
    "An Israeli drone struck a car in Khiam, killing five civilians, the army reported.",
    source="Lebanese Armed Forces",
    published=dt.datetime(2025, 1, 16, 9, tzinfo=dt.UTC),
    fatalities=5,
)
KFAR_KILA_WIRE = report(
    "wire-2",
    "An Israeli drone struck a house in Kfar Kila on Wednesday, wounding three.",
    source="Levant Wire",
    place=KFAR_KILA,
    day=DAY + dt.timedelta(days=1),
)
KFAR_KILA_CEDAR = report(
    "cedar-2",
    "Three people were wounded when an Israeli drone struck a house in Kfar Kila.",
    source="Cedar News",
    place=KFAR_KILA,
    day=DAY + dt.timedelta(days=1),
)
#: a happening only Lebanon's restricted report tells of
SECRET_ONLY = report(
    "lb-complaint-2",
    "An Israeli bulldozer demolished a house in Aitaroun, the army reported.",
    source="Lebanese Armed Forces",
    place={"location": "Aitaroun", "latitude": 33.1167, "longitude": 35.4667},
    day=DAY + dt.timedelta(days=5),
    event_type="Strategic developments",
    sub_event_type="Looting/property destruction",
    plover="ASSAULT",
)


def _write(store: Store, *reports: tuple[Document, Event], restricted: bool = False) -> None:
    batches = {document: [ev] for document, ev in reports}
    if restricted:
        write(store, batches, classification=Classification.RESTRICTED, owner_party="lebanon")
    else:
        write(store, batches)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as opened:
        _write(opened, KHIAM_WIRE, KHIAM_CEDAR, KFAR_KILA_WIRE, KFAR_KILA_CEDAR)
        _write(opened, KHIAM_COMPLAINT, SECRET_ONLY, restricted=True)
        yield opened


def event_id(store: Store, doc_id: str) -> int:
    page = store.query_events(EventQuery(limit=1000), viewer=SYSTEM)
    return next(e.id for e in page.items if e.doc_id == doc_id)


def incident_of(store: Store, doc_id: str, viewer: Principal = CHAIR) -> IncidentView:
    wanted = event_id(store, doc_id)
    for view in iter_incident_views(store, viewer=viewer):
        if wanted in {m.event.id for m in view.members}:
            return view
    raise AssertionError(f"{doc_id} is in no incident {viewer.name} sees")


def members(view: IncidentView) -> set[str]:
    return {m.doc_id for m in view.members}


def count(store: Store, table: sa.Table) -> int:
    with store.reading("counting") as connection:
        return connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()


def test_link_groups_the_reports_and_a_second_run_changes_nothing(store: Store) -> None:
    run = link_stored_events(store, by=MONITOR)
    assert (run.events, run.incidents, run.new, run.retired) == (6, 3, 3, 0)
    assert run.action is not None
    assert members(incident_of(store, "wire-1")) == {"wire-1", "cedar-1", "lb-complaint-1"}
    assert members(incident_of(store, "wire-2")) == {"wire-2", "cedar-2"}
    audit_before = count(store, audit_log)
    actions_before = count(store, incident_actions)

    again = link_stored_events(store, by=MONITOR)
    assert (again.new, again.changed, again.retired, again.action) == (0, 0, 0, None)
    assert again.unchanged == again.incidents == 3
    assert (count(store, audit_log), count(store, incident_actions)) == (
        audit_before,
        actions_before,
    )
    assert verify_chain(read_chain(store)).ok


def test_an_incident_keeps_its_id_when_a_new_report_joins(store: Store) -> None:
    link_stored_events(store, by=SYSTEM)
    khiam = incident_of(store, "wire-1").id
    kfar_kila = incident_of(store, "wire-2").id
    _write(store, KHIAM_LATE)

    run = link_stored_events(store, by=SYSTEM)
    assert (run.new, run.changed, run.retired, run.unchanged) == (0, 1, 0, 2)
    grown = incident_of(store, "daily-1")
    assert grown.id == khiam
    assert members(grown) == {"wire-1", "cedar-1", "daily-1", "lb-complaint-1"}
    assert incident_of(store, "wire-2").id == kfar_kila
    assert grown.summary.independent_sources == 4


def test_merge_then_undo_restores_membership_and_constraints(store: Store) -> None:
    link_stored_events(store, by=SYSTEM)
    khiam, kfar_kila = incident_of(store, "wire-1"), incident_of(store, "wire-2")
    survivor, other = sorted((khiam.id, kfar_kila.id))

    merge = merge_incidents(store, [other, survivor], by=MONITOR, reason="one strike")
    assert merge.kind == "merge"
    assert merge.reason == "one strike"
    assert set(merge.incidents) == {survivor, other}
    assert merge.after[other] == ()
    merged = get_incident(store, survivor, viewer=CHAIR)
    assert members(merged) == members(khiam) | members(kfar_kila)
    with store.reading("audit") as connection:
        assert [e.action for e in entries_about(connection, "incidents", survivor)][-1] == (
            "incident.change"
        )
        assert [e.action for e in entries_about(connection, "incidents", other)][-1] == (
            "incident.retire"
        )
        assert [e.action for e in entries_about(connection, "incident_actions", merge.id)] == [
            "incident_action.merge"
        ]
    retired = get_incident(store, other, viewer=CHAIR)
    assert retired.retired_at is not None
    assert retired.superseded_by == survivor
    # the linker keeps the analyst's decision, even against its own checks
    assert link_stored_events(store, by=SYSTEM).action is None
    assert members(get_incident(store, survivor, viewer=CHAIR)) == members(merged)
    with pytest.raises(ConflictError, match="retired"):
        merge_incidents(store, [other, survivor], by=CHAIR)

    undo = undo_incident_action(store, merge.id, by=CHAIR)
    assert undo.undoes == merge.id
    assert members(get_incident(store, survivor, viewer=CHAIR)) == members(
        khiam if survivor == khiam.id else kfar_kila
    )
    back = get_incident(store, other, viewer=CHAIR)
    assert back.retired_at is None
    assert back.superseded_by is None
    with store.reading("constraints") as connection:
        in_force = connection.execute(
            sa.select(sa.func.count())
            .select_from(link_constraints)
            .where(link_constraints.c.retracted_at.is_(None))
        ).scalar_one()
    assert in_force == 0
    # with the decision retracted, the linker's own grouping is what stands
    assert link_stored_events(store, by=SYSTEM).action is None
    with pytest.raises(ConflictError, match="undone already"):
        undo_incident_action(store, merge.id, by=CHAIR)

    redo = undo_incident_action(store, undo.id, by=CHAIR)  # undoing the undo merges again
    assert members(get_incident(store, survivor, viewer=CHAIR)) == members(merged)
    assert redo.undoes == undo.id
    assert verify_chain(read_chain(store)).ok


def test_split_then_relink_keeps_the_split(store: Store) -> None:
    link_stored_events(store, by=SYSTEM)
    khiam = incident_of(store, "wire-1")
    cedar = event_id(store, "cedar-1")

    split = split_incident(store, khiam.id, [cedar], by=CHAIR, reason="another car")
    (new_id,) = split.created
    assert members(get_incident(store, new_id, viewer=CHAIR)) == {"cedar-1"}
    assert members(get_incident(store, khiam.id, viewer=CHAIR)) == {"wire-1", "lb-complaint-1"}

    run = link_stored_events(store, by=SYSTEM)
    assert run.action is None
    assert run.incidents == 4
    assert incident_of(store, "cedar-1").id == new_id

    with pytest.raises(InputError, match="not members"):
        split_incident(store, khiam.id, [cedar], by=CHAIR)
    with pytest.raises(InputError, match="every member"):
        split_incident(store, new_id, [cedar], by=CHAIR)


def test_undo_after_a_later_change_is_a_conflict(store: Store) -> None:
    link_stored_events(store, by=SYSTEM)
    khiam, kfar_kila = incident_of(store, "wire-1").id, incident_of(store, "wire-2").id
    merge = merge_incidents(store, [khiam, kfar_kila], by=CHAIR)
    survivor = min(khiam, kfar_kila)
    split = split_incident(store, survivor, [event_id(store, "cedar-2")], by=CHAIR)

    with pytest.raises(ConflictError, match="changed after action"):
        undo_incident_action(store, merge.id, by=CHAIR)
    undo_incident_action(store, split.id, by=CHAIR)
    undo_incident_action(store, merge.id, by=CHAIR)
    assert members(incident_of(store, "wire-2")) == {"wire-2", "cedar-2"}
    assert link_stored_events(store, by=SYSTEM).action is None
    assert verify_chain(read_chain(store)).ok


@pytest.mark.parametrize("viewer", [PUBLIC, ISRAEL_DELEGATE], ids=["public", "israel"])
def test_a_restricted_member_is_invisible_to_others(store: Store, viewer: Principal) -> None:
    link_stored_events(store, by=SYSTEM)
    full = incident_of(store, "wire-1", CHAIR)
    assert full.summary.independent_sources == 3
    assert full.summary.last_reported == dt.datetime(2025, 1, 16, 9, tzinfo=dt.UTC)
    secret = event_id(store, "lb-complaint-1")

    seen = get_incident(store, full.id, viewer=viewer)
    assert members(seen) == {"wire-1", "cedar-1"}
    assert seen.summary.independent_sources == 2
    assert seen.summary.sources == ("Cedar News", "Levant Wire")
    assert seen.summary.fatalities == 2
    assert seen.summary.last_reported == dt.datetime(2025, 1, 14, 15, tzinfo=dt.UTC)
    assert secret not in seen.summary.ids
    assert all(m.linked_to != secret for m in seen.members)
    assert seen.actions == []
    assert all(secret not in v.event_ids for v in seen.violations)

    only_secret = incident_of(store, "lb-complaint-2", CHAIR).id
    with pytest.raises(NotFoundError):
        get_incident(store, only_secret, viewer=viewer)
    listed = list_incidents(store, IncidentQuery(), viewer=viewer)
    assert listed.total == 2
    assert only_secret not in {view.id for view in listed.items}
    assert len(list(iter_incident_views(store, viewer=viewer))) == 2
    # a filter matching only the hidden member finds nothing
    assert list_incidents(store, IncidentQuery(text="army"), viewer=viewer).total == 0


def test_lebanon_and_the_chair_see_every_member(store: Store) -> None:
    link_stored_events(store, by=SYSTEM)
    for viewer in (LEBANON_DELEGATE, CHAIR):
        view = incident_of(store, "lb-complaint-1", viewer)
        assert members(view) == {"wire-1", "cedar-1", "lb-complaint-1"}
        assert view.summary.independent_sources == 3
    assert list_incidents(store, IncidentQuery(), viewer=LEBANON_DELEGATE).total == 3


def test_actions_name_only_members_the_viewer_sees(store: Store) -> None:
    link_stored_events(store, by=SYSTEM)
    khiam = incident_of(store, "wire-1")
    secret = event_id(store, "lb-complaint-1")
    for_chair = get_incident(store, khiam.id, viewer=CHAIR).actions
    assert [a.kind for a in for_chair] == ["link"]
    assert secret in for_chair[0].after[khiam.id]
    for_monitor = get_incident(store, khiam.id, viewer=MONITOR).actions
    assert [a.kind for a in for_monitor] == ["link"]
    assert secret not in for_monitor[0].after[khiam.id]
    assert all(secret not in events for a in for_monitor for events in a.after.values())
    assert get_incident(store, khiam.id, viewer=OBSERVER).actions == []
    # what a monitor's own merge reports back names only what it sees, too
    kfar_kila = incident_of(store, "wire-2").id
    merge = merge_incidents(store, [khiam.id, kfar_kila], by=MONITOR)
    named = {e for side in (merge.before, merge.after) for events in side.values() for e in events}
    assert secret not in named
    assert event_id(store, "wire-1") in named
    chair_view = get_incident(store, min(khiam.id, kfar_kila), viewer=CHAIR).actions[-1]
    assert secret in chair_view.after[min(khiam.id, kfar_kila)]


def test_only_the_chair_monitors_and_the_system_reshape_incidents(store: Store) -> None:
    run = link_stored_events(store, by=SYSTEM)
    assert run.action is not None
    khiam, kfar_kila = incident_of(store, "wire-1").id, incident_of(store, "wire-2").id
    read_only_monitor = Principal(name="ro", role=Role.MONITOR, scopes=frozenset({Scope.READ}))
    for who in (ISRAEL_DELEGATE, OBSERVER, PUBLIC, read_only_monitor):
        with pytest.raises(PermissionDeniedError):
            merge_incidents(store, [khiam, kfar_kila], by=who)
        with pytest.raises(PermissionDeniedError):
            split_incident(store, khiam, [event_id(store, "wire-1")], by=who)
        with pytest.raises(PermissionDeniedError):
            undo_incident_action(store, run.action, by=who)
        with pytest.raises(PermissionDeniedError):
            link_stored_events(store, by=who)
    assert members(incident_of(store, "wire-1")) == {"wire-1", "cedar-1", "lb-complaint-1"}


def test_a_monitor_cannot_reshape_what_it_cannot_see(store: Store) -> None:
    link_stored_events(store, by=SYSTEM)
    only_secret = incident_of(store, "lb-complaint-2", CHAIR).id
    khiam = incident_of(store, "wire-1").id
    with pytest.raises(NotFoundError):
        merge_incidents(store, [khiam, only_secret], by=MONITOR)
    with pytest.raises(InputError, match="not members"):
        split_incident(store, khiam, [event_id(store, "lb-complaint-1")], by=MONITOR)


def test_list_filters_orders_and_checks_the_agreement(store: Store) -> None:
    link_stored_events(store, by=SYSTEM)
    page = list_incidents(store, IncidentQuery(), viewer=CHAIR)
    assert page.total == 3
    dates = [view.summary.end or dt.date.min for view in page.items]
    assert dates == sorted(dates, reverse=True)  # latest first
    in_kfar_kila = list_incidents(store, IncidentQuery(text="Kfar Kila"), viewer=PUBLIC)
    assert [members(v) for v in in_kfar_kila.items] == [{"wire-2", "cedar-2"}]
    on_day = list_incidents(store, IncidentQuery(start=DAY, end=DAY), viewer=PUBLIC)
    assert [members(v) for v in on_day.items] == [{"wire-1", "cedar-1"}]
    second = list_incidents(store, IncidentQuery(limit=1, offset=1), viewer=CHAIR)
    assert [v.id for v in second.items] == [page.items[1].id]
    assert second.total == 3
    assert list_incidents(store, IncidentQuery(ids=(page.items[0].id,)), viewer=CHAIR).total == 1
    khiam = incident_of(store, "wire-1", PUBLIC)
    assert any(v.party == "israel" and v.effect == "violation" for v in khiam.violations)
    with pytest.raises(InputError):
        IncidentQuery(limit=501)


def test_undoing_a_link_run_retires_its_incidents(store: Store) -> None:
    first = link_stored_events(store, by=SYSTEM)
    assert first.action is not None
    khiam = incident_of(store, "wire-1")
    undo = undo_incident_action(store, first.action, by=CHAIR)
    assert set(undo.retired) == set(undo.incidents)
    assert len(undo.incidents) == 3
    assert list(iter_incident_views(store, viewer=CHAIR)) == []
    gone = get_incident(store, khiam.id, viewer=CHAIR)  # shown with its members when retired
    assert gone.retired_at is not None
    assert members(gone) == members(khiam)
    assert [a.kind for a in gone.actions] == ["link", "undo"]
    assert list_incidents(store, IncidentQuery(), viewer=CHAIR).total == 0
    assert list_incidents(store, IncidentQuery(include_retired=True), viewer=CHAIR).total == 3

    again = link_stored_events(store, by=SYSTEM)
    assert (again.new, again.retired) == (3, 0)
    assert incident_of(store, "wire-1").id != khiam.id
    assert verify_chain(read_chain(store)).ok
