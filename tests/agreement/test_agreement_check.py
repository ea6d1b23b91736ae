"""The agreement check on the bundled Israel–Lebanon pack: the issue's three examples,
compliance, what never matches, grouping, explanations and caching."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path
from typing import Any

import pytest

from truce.agreement import AgreementChecker, CandidateViolation, check_events
from truce.core.models import Event, Evidence
from truce.core.vocab import Modality, TimePrecision
from truce.theatre import TheatrePack, load_pack

AFTER = dt.date(2025, 1, 14)  # seven weeks into the ceasefire
BEFORE = dt.date(2024, 11, 20)  # a week before it took effect


@pytest.fixture(scope="module")
def pack() -> TheatrePack:
    return load_pack()


@pytest.fixture(scope="module")
def checker(pack: TheatrePack) -> AgreementChecker:
    return AgreementChecker.for_pack(pack)


def event(pack: TheatrePack, place: str | None, sentence: str, **fields: Any) -> Event:
    """An event at one of the pack's curated places (its coordinates, country and admin1)."""
    where: dict[str, Any] = {}
    if place is not None:
        found = next(p for p in pack.places if p.name == place)
        where = {
            "location": found.name,
            "country": found.country,
            "admin1": found.admin1,
            "latitude": found.latitude,
            "longitude": found.longitude,
        }
    values = {
        "doc_id": "doc",
        "evidence": Evidence(text=sentence, start=0, end=len(sentence)),
        "event_date": AFTER,
        **where,
        **fields,
    }
    return Event.model_validate(values)


def strike(pack: TheatrePack, place: str = "Khiam", **fields: Any) -> Event:
    coding = {
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike",
        "actor1": "Israeli drone",
        "actor2": "Hezbollah",
    }
    return event(pack, place, f"An Israeli drone struck a car in {place}.", **coding | fields)


def summary(candidates: list[CandidateViolation]) -> set[tuple[int, str, str]]:
    return {(c.clause_number, c.effect, c.party) for c in candidates}


def test_israeli_air_strike_in_lebanon(pack: TheatrePack, checker: AgreementChecker) -> None:
    candidates = checker.check([(41, strike(pack))])
    assert summary(candidates) == {(1, "violation", "israel"), (2, "violation", "israel")}
    no_operations = next(c for c in candidates if c.clause_number == 2)
    assert no_operations.clause_id == "coh-2024-02"
    assert no_operations.clause_title == pack.agreement.clause("coh-2024-02").title
    assert no_operations.event_ids == (41,)
    assert no_operations.acting_party == "israel"
    assert no_operations.target_party == "armed-groups"
    assert no_operations.party_name == "the State of Israel"
    assert "south-of-litani" in no_operations.zones
    reason = no_operations.reason
    for words in (
        "Air/drone strike by Military Forces of Israel against Hezbollah",
        "in Khiam (Nabatieh; inside South of the Litani)",
        "on 14 January 2025",
        "Candidate violation of clause 2, No operations against the other side",
        "which binds the State of Israel",
    ):
        assert words in reason, reason


def test_armed_presence_south_of_the_litani(pack: TheatrePack, checker: AgreementChecker) -> None:
    base = event(
        pack,
        "Bint Jbeil",
        "Hezbollah set up a new position near Bint Jbeil.",
        event_type="Strategic developments",
        sub_event_type="Headquarters or base established",
        actor1="Hezbollah",
    )
    candidates = checker.check([(7, base)])
    only_state = [c for c in candidates if c.clause_id == "coh-2024-05"]
    assert len(only_state) == 1
    assert only_state[0].effect == "violation"
    assert only_state[0].party == "lebanon"
    assert only_state[0].acting_party == "armed-groups"
    assert only_state[0].target_party is None
    assert "the State of Lebanon (answerable here for non-state armed groups" in (
        only_state[0].reason
    )
    assert {c.party for c in candidates} == {"lebanon"}
    # the same position north of the Litani breaks no clause 5 (the zone decides)
    north = event(
        pack,
        "Bekaa Valley",
        "Hezbollah set up a new position in the Bekaa.",
        event_type="Strategic developments",
        sub_event_type="Headquarters or base established",
        actor1="Hezbollah",
    )
    assert "coh-2024-05" not in {c.clause_id for c in checker.check([(8, north)])}


def test_weapons_fire_south_of_the_litani(pack: TheatrePack, checker: AgreementChecker) -> None:
    launch = event(
        pack,
        "Wadi Saluki",
        "Gunmen fired a rocket from Wadi Saluki.",
        event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack",
        actor1="unidentified gunmen",
    )
    candidates = checker.check([(3, launch)])
    assert (5, "violation", "lebanon") in summary(candidates)


@pytest.mark.parametrize("target", ["Israel", None, "Israeli civilians"])
def test_rocket_from_lebanon_at_israel(
    pack: TheatrePack, checker: AgreementChecker, target: str | None
) -> None:
    rocket = event(
        pack,
        "Kiryat Shmona",
        "A rocket fired from Lebanon hit Kiryat Shmona.",
        event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack",
        actor1="Hezbollah",
        actor2=target,
    )
    candidates = checker.check([(5, rocket)])
    clause_2 = [c for c in candidates if c.clause_id == "coh-2024-02"]
    assert clause_2, candidates
    assert all(c.effect == "violation" and c.party == "lebanon" for c in clause_2)
    assert all(c.acting_party == "armed-groups" for c in clause_2)
    assert all("in Kiryat Shmona (Northern District)" in c.reason for c in clause_2)
    assert {c.party for c in candidates} == {"lebanon"}  # Israel answers for none of it


def test_army_seizure_south_of_the_litani_is_compliance(
    pack: TheatrePack, checker: AgreementChecker
) -> None:
    seizure = event(
        pack,
        "Bint Jbeil",
        "The Lebanese army seized a rocket launcher near Bint Jbeil.",
        event_type="Strategic developments",
        sub_event_type="Disrupted weapons use",
        actor1="Lebanese army",
        actor2="Hezbollah",
    )
    candidates = checker.check([(9, seizure)])
    assert candidates
    assert {(c.effect, c.party) for c in candidates} == {("compliance", "lebanon")}
    assert {"coh-2024-05", "coh-2024-07"} <= {c.clause_id for c in candidates}
    only_state = next(c for c in candidates if c.clause_id == "coh-2024-05")
    assert only_state.reason.startswith(
        "Disrupted weapons use by Military Forces of Lebanon involving Hezbollah in Bint Jbeil"
    )
    assert "Counts towards clause 5, Only the state's forces south of the Litani" in (
        only_state.reason
    )


def test_before_the_ceasefire_nothing_matches(pack: TheatrePack, checker: AgreementChecker) -> None:
    early = strike(pack, event_date=BEFORE)
    assert checker.check([(1, early)]) == []
    clause_2 = next(t for t in checker.explain(early) if (t.clause_number, t.condition) == (2, 1))
    assert [part.part for part in clause_2.failed] == ["window"]
    assert "20 November 2024, outside the window from 27 November 2024 on" in (
        clause_2.failed[0].detail
    )


@pytest.mark.parametrize(
    "modality", [Modality.PLANNED, Modality.THREATENED, Modality.DENIED, Modality.HYPOTHETICAL]
)
def test_only_asserted_events_match(
    pack: TheatrePack, checker: AgreementChecker, modality: Modality
) -> None:
    unreal = strike(pack, modality=modality)
    assert checker.check([(1, unreal)]) == []
    traces = checker.explain(unreal)
    assert traces
    assert not any(trace.met for trace in traces)
    assert all(trace.failed[0].part == "modality" for trace in traces)


def test_undated_and_partyless_events_match_nothing(
    pack: TheatrePack, checker: AgreementChecker
) -> None:
    undated = strike(pack, event_date=None)
    civilians = event(
        pack,
        "Khiam",
        "Villagers clashed with a patrol.",
        event_type="Battles",
        sub_event_type="Armed clash",
        actor1="villagers",
        actor2="Israeli troops",
    )
    unknown = strike(pack, actor1="a foreign air force")
    assert checker.check([(1, undated), (2, civilians), (3, unknown)]) == []
    clause_2 = next(t for t in checker.explain(undated) if (t.clause_number, t.condition) == (2, 1))
    assert [part.part for part in clause_2.failed] == ["window"]


def test_reports_of_one_strike_make_one_candidate(
    pack: TheatrePack, checker: AgreementChecker
) -> None:
    reports = [
        (12, strike(pack)),
        (4, strike(pack, actor1="Military Forces of Israel (2022-)")),  # as ACLED names it
        (9, strike(pack, place="Kfar Kila")),
    ]
    candidates = checker.check(reports)
    assert summary(candidates) == {(1, "violation", "israel"), (2, "violation", "israel")}
    assert all(c.event_ids == (4, 9, 12) for c in candidates)
    reason = candidates[0].reason
    assert "in Khiam (Nabatieh; inside South of the Litani) on 14 January 2025 (2 reports)" in (
        reason
    )
    assert "in Kfar Kila" in reason


def test_order_violations_first_then_by_clause(
    pack: TheatrePack, checker: AgreementChecker
) -> None:
    seizure = event(
        pack,
        "Bint Jbeil",
        "The Lebanese army seized a rocket launcher.",
        event_type="Strategic developments",
        sub_event_type="Disrupted weapons use",
        actor1="Lebanese army",
    )
    candidates = check_events([(1, seizure), (2, strike(pack))], pack)
    keys = [(c.effect != "violation", c.clause_number, c.condition) for c in candidates]
    assert keys == sorted(keys)
    assert candidates[0].effect == "violation"
    assert candidates[-1].effect == "compliance"


def test_week_and_month_precision_in_words(pack: TheatrePack, checker: AgreementChecker) -> None:
    weekly = strike(pack, time_precision=TimePrecision.WEEK)
    monthly = strike(pack, time_precision=TimePrecision.MONTH)
    (week,) = [c for c in checker.check([(1, weekly)]) if c.clause_number == 2]
    (month,) = [c for c in checker.check([(1, monthly)]) if c.clause_number == 2]
    assert "in the week of 14 January 2025" in week.reason
    assert "in January 2025" in month.reason


def test_explain_names_each_part(pack: TheatrePack, checker: AgreementChecker) -> None:
    traces = checker.explain(strike(pack))
    checkable = [c for c in pack.agreement.clauses if c.checkable]
    assert len(traces) == sum(len(c.conditions) for c in checkable)
    met = {(t.clause_number, t.condition) for t in traces if t.met}
    found = {(c.clause_number, c.condition) for c in checker.check([(1, strike(pack))])}
    assert met == found
    clause_5 = next(t for t in traces if t.clause_id == "coh-2024-05" and t.condition == 0)
    acting = next(part for part in clause_5.failed if part.part == "acting party")
    assert acting.detail == "Military Forces of Israel counts for israel; needs armed-groups"
    assert clause_5.party is None
    clause_2 = next(t for t in traces if t.clause_id == "coh-2024-02" and t.condition == 1)
    assert clause_2.met
    assert clause_2.party == "israel"
    assert [p.part for p in clause_2.parts] == [
        "modality", "acting party", "target party", "coding", "zones", "countries", "window"
    ]  # fmt: skip


def test_checker_is_cached_per_pack_and_hashes_the_agreement(
    pack: TheatrePack, checker: AgreementChecker, tmp_path: Path
) -> None:
    assert AgreementChecker.for_pack(pack) is checker
    digest = hashlib.sha256(pack.agreement_path.read_bytes()).hexdigest()
    assert checker.agreement_hash == digest
    assert [c.number for c in checker.clauses] == sorted(c.number for c in pack.agreement.clauses)

    copy = tmp_path / "israel_lebanon"
    shutil.copytree(pack.path, copy)
    edited = copy / "agreement.yaml"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# reviewed\n", encoding="utf-8")
    other = AgreementChecker.for_pack(load_pack(copy))
    assert other is not checker
    assert other.agreement_hash != checker.agreement_hash
    assert AgreementChecker.for_pack(load_pack(copy)) is other
