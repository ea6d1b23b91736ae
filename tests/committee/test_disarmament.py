"""The arms plan's phases over time, sites and caches through their statuses, positions and
their withdrawal, the figures, who sees what, and the audit — on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from disarmament_sample import (
    CHAIR,
    ISRAEL_DELEGATE,
    KFAR_KILA,
    KHIAM,
    LEBANON_DELEGATE,
    LEBANON_READ_ONLY,
    MONITOR,
    OBSERVER,
    PUBLIC,
    incidents_by_place,
)

from builders import SYSTEM
from evidence_sample import pdf
from truce.committee.disarmament import (
    NewSite,
    SiteStatus,
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
    PositionStatus,
    add_position,
    get_position,
    list_positions,
    move_position,
    seed_positions_from_pack,
)
from truce.core.access import Classification, Principal
from truce.core.errors import ConflictError, InputError, NotFoundError, PermissionDeniedError
from truce.evidence import EvidenceVault, add_evidence
from truce.security.audit import verify_chain
from truce.store import Store
from truce.store.audit import read_chain
from truce.store.committee_schema import positions, site_history
from truce.store.schema import audit_log

TODAY = dt.datetime.now(dt.UTC).date()
HILLTOPS = {
    "il-lb:position-labbouneh",
    "il-lb:position-jabal-blat",
    "il-lb:position-jal-al-deir",
    "il-lb:position-markaba-hula",
    "il-lb:position-hamames",
}


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as opened:
        yield opened


def audit_rows(store: Store, action: str) -> list[dict[str, object]]:
    with store.reading("test") as connection:
        statement = sa.select(audit_log).where(audit_log.c.action == action)
        ordered = statement.order_by(audit_log.c.seq)
        return [dict(row) for row in connection.execute(ordered).mappings()]


def cache(name: str, *, day: dt.date, **fields: object) -> NewSite:
    values: dict[str, object] = {
        "kind": "cache",
        "name": name,
        "reported_on": day,
        "latitude": KFAR_KILA["latitude"],
        "longitude": KFAR_KILA["longitude"],
        **fields,
    }
    return NewSite(**values)  # type: ignore[arg-type]


# --- phases ---------------------------------------------------------------------------------


def test_phase_status_is_the_packs_until_an_update_says_otherwise(store: Store) -> None:
    before = {phase.id: phase for phase in plan_status(store, viewer=PUBLIC).phases}
    assert [p.order for p in before.values()] == [1, 2, 3, 4, 5]
    second = before["arms-plan-2"]
    assert (second.status, second.as_of) == ("planned", dt.date(2026, 1, 8))
    assert [u.from_pack for u in second.history] == [True]

    early = record_phase_update(
        store, "arms-plan-2", "in-progress", by=CHAIR, as_of=dt.date(2025, 12, 1)
    )
    started = record_phase_update(
        store,
        "arms-plan-2",
        "in-progress",
        by=MONITOR,
        as_of=dt.date(2026, 2, 10),
        note="the army began north of the Litani",
        source="army statement",
        classification=Classification.PUBLIC,
    )
    halted = record_phase_update(
        store,
        "arms-plan-2",
        "suspended",
        by=LEBANON_DELEGATE,
        as_of=dt.date(2026, 3, 1),
        classification=Classification.RESTRICTED,
    )
    assert (halted.owner_party, halted.classification) == ("lebanon", Classification.RESTRICTED)

    def second_phase(viewer: Principal) -> tuple[str, list[str], list[int | None]]:
        phase = next(p for p in plan_status(store, viewer=viewer).phases if p.id == "arms-plan-2")
        return phase.status, [u.status for u in phase.history], [u.id for u in phase.history]

    # an update as of a day before the pack's reporting does not override it
    assert second_phase(OBSERVER) == (
        "in-progress",
        ["in-progress", "planned", "in-progress"],
        [early.id, None, started.id],
    )
    assert second_phase(PUBLIC) == ("in-progress", ["planned", "in-progress"], [None, started.id])
    assert second_phase(ISRAEL_DELEGATE)[0] == "in-progress"
    assert second_phase(LEBANON_DELEGATE)[0] == "suspended"
    assert second_phase(CHAIR)[2] == [early.id, None, started.id, halted.id]
    assert [row["actor"] for row in audit_rows(store, "phase.update")] == [
        "chair",
        "monitor",
        "delegate-lebanon",
    ]


def test_phase_updates_are_checked(store: Store) -> None:
    with pytest.raises(InputError, match="no phase 'arms-plan-9'") as unknown:
        record_phase_update(store, "arms-plan-9", "planned", by=CHAIR)
    assert unknown.value.source == "phase_id"
    with pytest.raises(InputError, match="not a phase status") as bad:
        record_phase_update(store, "arms-plan-1", "finished", by=CHAIR)
    assert bad.value.source == "status"
    with pytest.raises(InputError, match="in the future"):
        record_phase_update(
            store, "arms-plan-1", "planned", by=CHAIR, as_of=TODAY + dt.timedelta(days=1)
        )
    with pytest.raises(PermissionDeniedError):
        record_phase_update(store, "arms-plan-1", "planned", by=OBSERVER)
    with pytest.raises(PermissionDeniedError):
        record_phase_update(
            store, "arms-plan-1", "planned", by=ISRAEL_DELEGATE, owner_party="lebanon"
        )


# --- sites ----------------------------------------------------------------------------------


def test_a_cache_reported_referred_dismantled_verified_is_counted(store: Store) -> None:
    site = report_site(
        store, cache("Cache near Kfar Kila", day=dt.date(2025, 9, 10)), by=LEBANON_DELEGATE
    )
    assert site.status is SiteStatus.REPORTED
    assert {"south-of-litani", "economic-zone-illustrative"} <= set(site.zones)
    assert (site.owner_party, site.reported_by_party) == ("lebanon", "lebanon")
    steps = [
        (SiteStatus.REFERRED, dt.date(2025, 9, 20), MONITOR),
        (SiteStatus.DISMANTLED, dt.date(2025, 10, 5), LEBANON_DELEGATE),
        (SiteStatus.VERIFIED, dt.date(2025, 10, 15), CHAIR),
    ]
    for status, day, who in steps:
        site = move_site(store, site.id, status, by=who, on=day, note=f"{status} by {who.name}")
    assert site.status is SiteStatus.VERIFIED
    assert site.next_statuses == ()
    assert [(h.from_status, h.to_status, h.changed_on, h.by) for h in site.history] == [
        (None, "reported", dt.date(2025, 9, 10), "delegate-lebanon"),
        ("reported", "referred", dt.date(2025, 9, 20), "monitor"),
        ("referred", "dismantled", dt.date(2025, 10, 5), "delegate-lebanon"),
        ("dismantled", "verified", dt.date(2025, 10, 15), "chair"),
    ]
    every = StatusCounts(reported=1, referred=1, dismantled=1, verified=1)
    figures = disarmament_figures(store, viewer=OBSERVER)
    assert figures.sites == every
    assert figures.by_month == {
        "2025-09": StatusCounts(reported=1, referred=1),
        "2025-10": StatusCounts(dismantled=1, verified=1),
    }
    assert figures.by_zone["south-of-litani"] == every
    assert figures.by_zone["economic-zone-illustrative"] == every
    assert "gov-beqaa" not in figures.by_zone
    cell = {(f.month, f.zone): f.counts for f in figures.by_zone_and_month}
    assert cell["2025-10", "south-of-litani"] == StatusCounts(dismantled=1, verified=1)
    assert figures.sites_by_current_status == StatusCounts(verified=1)
    october = disarmament_figures(
        store, viewer=OBSERVER, start=dt.date(2025, 10, 1), end=dt.date(2025, 10, 31)
    )
    assert october.sites == StatusCounts(dismantled=1, verified=1)
    assert list(october.by_month) == ["2025-10"]
    moves = audit_rows(store, "site.status")
    assert [json.loads(str(row["detail"]))["status"]["now"] for row in moves] == [
        "referred",
        "dismantled",
        "verified",
    ]
    assert [row["actor"] for row in moves] == ["monitor", "delegate-lebanon", "chair"]


def test_an_invalid_jump_is_a_conflict(store: Store) -> None:
    site = report_site(store, cache("Depot", day=dt.date(2025, 9, 1)), by=CHAIR)
    with pytest.raises(ConflictError, match=r"is reported: it cannot become verified") as jump:
        move_site(store, site.id, "verified", by=CHAIR, on=dt.date(2025, 9, 2))
    assert "allowed from reported: referred" in str(jump.value)
    with pytest.raises(InputError, match="not one of") as unknown:
        move_site(store, site.id, "destroyed", by=CHAIR)
    assert unknown.value.source == "status"
    with pytest.raises(InputError, match="before the last change"):
        move_site(store, site.id, "referred", by=CHAIR, on=dt.date(2025, 8, 1))
    with pytest.raises(InputError, match="in the future"):
        move_site(store, site.id, "referred", by=CHAIR, on=TODAY + dt.timedelta(days=2))
    for status in ("referred", "dismantled", "verified"):
        move_site(store, site.id, status, by=CHAIR, on=dt.date(2025, 9, 5))
    with pytest.raises(ConflictError, match="verified is final"):
        move_site(store, site.id, "referred", by=CHAIR)
    with store.reading("test") as connection:
        rows = connection.execute(sa.select(sa.func.count()).select_from(site_history)).scalar_one()
    assert rows == 4  # nothing of the refused moves was written


def test_site_fields_are_checked(store: Store) -> None:
    day = dt.date(2025, 9, 1)
    with pytest.raises(InputError) as kind:
        report_site(store, cache("x", day=day, kind="bunker"), by=CHAIR)
    assert kind.value.source == "kind"
    with pytest.raises(InputError) as name:
        report_site(store, cache("  ", day=day), by=CHAIR)
    assert name.value.source == "name"
    with pytest.raises(InputError) as half:
        report_site(store, cache("x", day=day, longitude=None), by=CHAIR)
    assert half.value.source == "latitude"
    with pytest.raises(InputError) as party:
        report_site(store, cache("x", day=day, owner_party="syria"), by=CHAIR)
    assert party.value.source == "owner_party"
    placeless = report_site(store, cache("x", day=day, latitude=None, longitude=None), by=CHAIR)
    assert placeless.zones == ()


def test_who_may_report_and_move_sites(store: Store) -> None:
    day = dt.date(2025, 9, 1)
    for reader in (OBSERVER, PUBLIC, LEBANON_READ_ONLY):
        with pytest.raises(PermissionDeniedError):
            report_site(store, cache("x", day=day), by=reader)
    with pytest.raises(PermissionDeniedError):
        report_site(store, cache("x", day=day, owner_party="lebanon"), by=ISRAEL_DELEGATE)
    shared = report_site(store, cache("Committee cache", day=day), by=CHAIR)
    with pytest.raises(PermissionDeniedError):  # a committee record of no party: not its own
        move_site(store, shared.id, "referred", by=LEBANON_DELEGATE)
    mine = report_site(
        store,
        cache("Israeli report", day=day, classification=Classification.COMMITTEE),
        by=ISRAEL_DELEGATE,
    )
    with pytest.raises(PermissionDeniedError):
        move_site(store, mine.id, "referred", by=LEBANON_DELEGATE)
    assert move_site(store, mine.id, "referred", by=ISRAEL_DELEGATE).status is SiteStatus.REFERRED


def test_a_delegate_never_sees_the_other_partys_restricted_site(store: Store) -> None:
    day = dt.date(2025, 9, 1)
    restricted = Classification.RESTRICTED
    israeli = report_site(
        store, cache("Israeli secret", day=day, classification=restricted), by=ISRAEL_DELEGATE
    )
    lebanese = report_site(
        store, cache("Lebanese secret", day=day, classification=restricted), by=LEBANON_DELEGATE
    )
    shared = report_site(store, cache("Shared", day=day), by=CHAIR)
    move_site(store, israeli.id, "referred", by=ISRAEL_DELEGATE, on=day)

    page = list_sites(store, viewer=LEBANON_DELEGATE)
    assert {site.id for site in page.items} == {lebanese.id, shared.id}
    assert page.total == 2
    assert {site.id for site in list_sites(store, viewer=CHAIR).items} == {
        israeli.id,
        lebanese.id,
        shared.id,
    }
    assert list_sites(store, viewer=PUBLIC).total == 0
    assert list_sites(store, viewer=LEBANON_DELEGATE, status="referred").total == 0
    assert list_sites(store, viewer=ISRAEL_DELEGATE, status="referred").total == 1
    assert list_sites(store, viewer=CHAIR, zone="economic-zone-illustrative").total == 3
    assert list_sites(store, viewer=CHAIR, zone="gov-beqaa").total == 0
    with pytest.raises(NotFoundError) as hidden:
        get_site(store, israeli.id, viewer=LEBANON_DELEGATE)
    with pytest.raises(NotFoundError) as missing:
        get_site(store, 987654, viewer=LEBANON_DELEGATE)
    assert str(hidden.value) == str(missing.value).replace("987654", str(israeli.id))
    with pytest.raises(NotFoundError):  # nor can it move it
        move_site(store, israeli.id, "dismantled", by=LEBANON_DELEGATE)
    assert disarmament_figures(store, viewer=LEBANON_DELEGATE).sites == StatusCounts(reported=2)
    assert disarmament_figures(store, viewer=ISRAEL_DELEGATE).sites == StatusCounts(
        reported=2, referred=1
    )
    assert disarmament_figures(store, viewer=CHAIR).sites == StatusCounts(reported=3, referred=1)


def test_sites_link_incidents_and_evidence_the_actor_may_see(store: Store, tmp_path: Path) -> None:
    incidents = incidents_by_place(
        store,
        [
            (Classification.PUBLIC, None, dt.date(2025, 3, 5), KFAR_KILA),
            (Classification.RESTRICTED, "lebanon", dt.date(2025, 3, 6), KHIAM),
        ],
    )
    public, lebanese = incidents["Kfar Kila 2025-03-05"], incidents["Khiam 2025-03-06"]
    evidence = add_evidence(
        store,
        EvidenceVault(tmp_path / "vault"),
        io.BytesIO(pdf("cache")),
        original_name="cache.pdf",
        received_from="a patrol",
        received_by="monitor",
        by=SYSTEM,
        classification=Classification.RESTRICTED,
        owner_party="lebanon",
    ).id
    site = report_site(store, cache("Cache", day=dt.date(2025, 3, 7)), by=CHAIR)
    with pytest.raises(NotFoundError, match=f"no incident with id {lebanese}"):
        link_site(store, site.id, by=MONITOR, incident_ids=[public, lebanese])
    linked = link_site(store, site.id, by=CHAIR, incident_ids=[public, lebanese])
    assert linked.incident_ids == sorted([public, lebanese])
    assert link_site(store, site.id, by=CHAIR, incident_ids=[public]).incident_ids == []
    with pytest.raises(NotFoundError, match=f"no evidence with id {evidence}"):
        link_site(store, site.id, by=MONITOR, evidence_ids=[evidence])
    assert link_site(store, site.id, by=CHAIR, evidence_ids=[evidence]).evidence_ids == [evidence]
    with pytest.raises(InputError):
        link_site(store, site.id, by=CHAIR)
    seen_by_israel = get_site(store, site.id, viewer=ISRAEL_DELEGATE)
    assert (seen_by_israel.incident_ids, seen_by_israel.evidence_ids) == ((public,), ())
    seen_by_lebanon = get_site(store, site.id, viewer=LEBANON_DELEGATE)
    assert set(seen_by_lebanon.incident_ids) == {public, lebanese}
    assert seen_by_lebanon.evidence_ids == (evidence,)
    assert len(audit_rows(store, "site.incident.link")) == 2
    assert len(audit_rows(store, "site.evidence.link")) == 1


# --- positions ------------------------------------------------------------------------------


def test_seeding_the_hilltops_twice_changes_nothing(store: Store) -> None:
    with pytest.raises(PermissionDeniedError):
        seed_positions_from_pack(store, by=MONITOR)
    first = seed_positions_from_pack(store, by=CHAIR)
    assert {p.pack_place for p in first} == HILLTOPS
    assert {p.holder_party for p in first} == {"israel"}
    assert {p.status for p in first} == {PositionStatus.HELD}
    assert {p.established_on for p in first} == {dt.date(2024, 11, 27)}
    labbouneh = next(p for p in first if p.pack_place == "il-lb:position-labbouneh")
    assert "economic-zone-illustrative" in labbouneh.zones
    entries = len(audit_rows(store, "position.add"))
    assert seed_positions_from_pack(store, by=SYSTEM) == []
    with store.reading("test") as connection:
        count = connection.execute(sa.select(sa.func.count()).select_from(positions)).scalar_one()
    assert (count, len(audit_rows(store, "position.add"))) == (5, entries)
    assert list_positions(store, viewer=OBSERVER, holder="israel").total == 5
    assert list_positions(store, viewer=PUBLIC).total == 0  # committee records by default


def test_a_withdrawn_position_leaves_the_still_held_figure(store: Store) -> None:
    seeded = seed_positions_from_pack(store, by=CHAIR)
    army = add_position(
        store,
        NewPosition(
            name="Army post at Kfar Kila",
            holder_party="lebanon",
            latitude=KFAR_KILA["latitude"],
            longitude=KFAR_KILA["longitude"],
            established_on=dt.date(2025, 2, 20),
            supported_by="UNIFIL",
        ),
        by=MONITOR,
    )
    figures = disarmament_figures(store, viewer=OBSERVER)
    assert (figures.israeli_positions_held, figures.positions_withdrawn) == (5, 0)
    assert (figures.army_positions_established, figures.positions_supported) == (1, 1)

    hamames = next(p for p in seeded if p.pack_place == "il-lb:position-hamames")
    day = dt.date(2025, 6, 1)
    withdrawn = move_position(store, hamames.id, "withdrawn", by=CHAIR, on=day, note="seen empty")
    assert (withdrawn.status, withdrawn.status_on) == (PositionStatus.WITHDRAWN, day)
    assert [(h.from_status, h.to_status, h.by) for h in withdrawn.history] == [
        (None, "held", "chair"),
        ("held", "withdrawn", "chair"),
    ]
    with pytest.raises(ConflictError, match="withdrawn is final"):
        move_position(store, hamames.id, "handed-over", by=CHAIR)
    after = disarmament_figures(store, viewer=OBSERVER)
    assert (after.israeli_positions_held, after.positions_withdrawn) == (4, 1)
    before = disarmament_figures(store, viewer=OBSERVER, end=dt.date(2025, 5, 31))
    assert (before.israeli_positions_held, before.positions_withdrawn) == (5, 0)
    assert disarmament_figures(store, viewer=OBSERVER, start=day).army_positions_established == 0
    handed = move_position(store, army.id, "handed-over", by=CHAIR, on=dt.date(2025, 7, 1))
    assert handed.status is PositionStatus.HANDED_OVER
    assert disarmament_figures(store, viewer=OBSERVER).positions_supported == 0
    assert list_positions(store, viewer=OBSERVER, status="held").total == 4


def test_a_delegate_never_sees_the_other_partys_restricted_position(store: Store) -> None:
    secret = add_position(
        store,
        NewPosition(
            name="Israeli observation post",
            holder_party="israel",
            latitude=33.1,
            longitude=35.4,
            established_on=dt.date(2025, 1, 1),
            classification=Classification.RESTRICTED,
        ),
        by=ISRAEL_DELEGATE,
    )
    assert secret.owner_party == "israel"
    assert disarmament_figures(store, viewer=ISRAEL_DELEGATE).israeli_positions_held == 1
    assert disarmament_figures(store, viewer=LEBANON_DELEGATE).israeli_positions_held == 0
    assert list_positions(store, viewer=LEBANON_DELEGATE).total == 0
    with pytest.raises(NotFoundError, match=f"no position with id {secret.id}"):
        get_position(store, secret.id, viewer=LEBANON_DELEGATE)


def test_the_audit_chain_verifies(store: Store) -> None:
    seed_positions_from_pack(store, by=CHAIR)
    site = report_site(store, cache("Cache", day=dt.date(2025, 9, 1)), by=LEBANON_DELEGATE)
    move_site(store, site.id, "referred", by=CHAIR, on=dt.date(2025, 9, 2))
    record_phase_update(store, "arms-plan-3", "in-progress", by=CHAIR, as_of=dt.date(2026, 3, 1))
    report = verify_chain(read_chain(store))
    assert report.ok, report.problem
    assert {row["action"] for row in audit_rows(store, "site.history")} == {"site.history"}
    assert len(audit_rows(store, "position.history")) == 5
