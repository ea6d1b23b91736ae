"""A pack's agreement.yaml: the bundled clauses and plan, and errors naming file and line."""

from __future__ import annotations

import datetime as dt
import shutil
import textwrap
from pathlib import Path

import pytest

from truce.core.errors import TheatreError
from truce.core.vocab import ACLED_SUB_EVENT_TYPES, Plover
from truce.theatre import TheatrePack, load_pack
from truce.theatre.agreement import Window

SUDAN = Path(__file__).parent / "packs" / "sudan"


@pytest.fixture(scope="module")
def pack() -> TheatrePack:
    return load_pack()


def test_thirteen_commitments(pack: TheatrePack) -> None:
    agreement = pack.agreement
    assert agreement.id == "coh-2024"
    assert agreement.signed == dt.date(2024, 11, 26)
    assert agreement.in_force == dt.datetime(2024, 11, 27, 2, 0, tzinfo=dt.UTC)
    assert [c.number for c in agreement.clauses] == list(range(1, 14))
    assert [c.id for c in agreement.clauses] == [f"coh-2024-{n:02}" for n in range(1, 14)]
    assert all(c.summary and c.title for c in agreement.clauses)
    assert {c.id for c in agreement.clauses if not c.checkable} == {"coh-2024-03", "coh-2024-04"}


def test_clauses_use_the_packs_parties_and_zones(pack: TheatrePack) -> None:
    zone_ids = {zone.id for zone in pack.zones}
    for clause in pack.agreement.clauses:
        assert set(clause.obligated) <= set(pack.parties), clause.id
        for condition in clause.conditions:
            assert set(condition.acting_parties) <= set(pack.parties), clause.id
            assert set(condition.target_parties) <= set(pack.parties), clause.id
            assert set(condition.zones) <= zone_ids, clause.id
            assert set(condition.sub_event_types) <= set(ACLED_SUB_EVENT_TYPES), clause.id
            assert condition.window.start >= pack.agreement.signed


def test_key_commitments(pack: TheatrePack) -> None:
    agreement = pack.agreement
    no_offensive = agreement.clause("coh-2024-02")
    israel = [c for c in no_offensive.conditions if c.acting_parties == ["israel"]]
    assert israel[0].effect == "violation"
    assert "Air/drone strike" in israel[0].sub_event_types
    assert israel[0].countries == ["LB"]

    only_state = agreement.clause("coh-2024-05")
    assert only_state.obligated == ["lebanon"]
    assert all(c.zones == ["south-of-litani"] for c in only_state.conditions)

    mechanism = agreement.clause("coh-2024-08")
    assert "mechanism" in mechanism.obligated
    assert mechanism.conditions[0].plover == [Plover.CONSULT]

    withdrawal = agreement.clause("coh-2024-11")
    assert [d.date for d in withdrawal.deadlines] == [dt.date(2025, 1, 26), dt.date(2025, 2, 18)]
    after = [c for c in withdrawal.conditions if c.effect == "violation"]
    assert after[0].window.start == dt.date(2025, 2, 19)
    assert after[0].window.contains(dt.date(2025, 3, 1))
    assert not after[0].window.contains(dt.date(2025, 2, 18))
    during = [c for c in withdrawal.conditions if c.plover == [Plover.RETREAT]]
    assert during[0].window.end == dt.date(2025, 2, 18)
    with pytest.raises(TheatreError, match="no clause 'coh-2024-99'"):
        agreement.clause("coh-2024-99")


def test_arms_plan_phases(pack: TheatrePack) -> None:
    plan = pack.agreement.plan
    assert plan is not None
    assert plan.decided == dt.date(2025, 8, 5)
    phases = pack.agreement.phases
    assert [p.order for p in phases] == [1, 2, 3, 4, 5]
    assert phases[0].areas == ["south-of-litani"]
    assert phases[1].areas == ["litani-awali"]
    assert "beirut-southern-suburbs" in phases[2].areas
    assert "gov-beqaa" in phases[3].areas
    assert set(phases[4].areas) == {z.id for z in pack.zones if z.kind == "admin"}
    assert phases[0].status == "reported-complete"
    assert phases[0].completed == dt.date(2026, 1, 8)
    assert "target" in phases[0].uncertain
    assert all(p.status == "planned" for p in phases[1:])


def test_window_contains() -> None:
    open_ended = Window(start=dt.date(2025, 1, 1))
    assert open_ended.contains(dt.date(2030, 1, 1))
    assert not open_ended.contains(dt.date(2024, 12, 31))
    closed = Window(start=dt.date(2025, 1, 1), end=dt.date(2025, 1, 31))
    assert closed.contains(dt.date(2025, 1, 31))
    assert not closed.contains(dt.date(2025, 2, 1))


def test_second_pack_agreement_is_its_own(pack: TheatrePack) -> None:
    sudan = load_pack(SUDAN)
    assert sudan.agreement.id == "jeddah-2023"
    assert sudan.agreement.plan is None
    assert sudan.agreement.phases == ()
    assert sudan.agreement.clauses[0].obligated == ["saf", "rsf"]
    assert not {c.id for c in sudan.agreement.clauses} & {c.id for c in pack.agreement.clauses}


# -- errors name the file and the line -------------------------------------------------------

HEAD = """\
id: test-agreement
title: A test agreement
signed: 2023-05-11
in_force: 2023-05-11T00:00:00+03:00
sources: [tests]
"""

CLAUSE = """\
  - id: t-01
    number: 1
    title: One
    summary: The first.
    obligated: [saf]
    conditions:
      - effect: violation
        acting_parties: [rsf]
        event_types: [Battles]
        zones: [el-fasher]
        window: {start: 2023-05-11}
"""


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    target = tmp_path / "pack"
    shutil.copytree(SUDAN, target)
    return target


def write_agreement(folder: Path, text: str) -> Path:
    path = folder / "agreement.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_a_minimal_agreement_loads(broken: Path) -> None:
    write_agreement(broken, HEAD + "clauses:\n" + CLAUSE)
    agreement = load_pack(broken).agreement
    assert [c.id for c in agreement.clauses] == ["t-01"]


@pytest.mark.parametrize(
    ("clauses", "line", "problem"),
    [
        # lines: HEAD is 1-5, "clauses:" 6, the first clause starts on 7
        (CLAUSE.replace("obligated: [saf]", "obligated: [saf, nobody]"), 11,
         "party 'nobody' is not declared in actors.yaml (saf, rsf)"),
        (CLAUSE.replace("acting_parties: [rsf]", "acting_parties: [rsf, jem]"), 14, "party 'jem'"),
        (CLAUSE.replace("zones: [el-fasher]", "zones: [khartoum]"), 16,
         "zone 'khartoum' is not in zones.geojson"),
        (CLAUSE.replace("[Battles]", "[Skirmishes]"), 13, "unknown ACLED event type 'Skirmishes'"),
        (CLAUSE.replace("event_types: [Battles]", "sub_event_types: [Dogfight]"), 13,
         "unknown ACLED sub-event type 'Dogfight'"),
        (CLAUSE.replace("event_types: [Battles]",
                        "event_types: [Battles]\n        sub_event_types: [Air/drone strike]"),
         13, "'Air/drone strike' belongs to 'Explosions/Remote violence', which event_types"),
        (CLAUSE.replace("event_types: [Battles]", "plover: [FIGHT]"), 15, "plover.0: Input"),
        (CLAUSE.replace("event_types: [Battles]", "note: nothing to match"), 13,
         "give event_types, sub_event_types or plover"),
        (CLAUSE.replace("effect: violation", "effect: breach"), 13, "effect: Input should be"),
        (CLAUSE.replace("{start: 2023-05-11}", "{start: 2023-06-01, end: 2023-05-20}"), 17,
         "window ends (2023-05-20) before it starts (2023-06-01)"),
        (CLAUSE.replace("{start: 2023-05-11}", "{start: 2023-01-01}"), 17,
         "window starts before the agreement was signed"),
        (CLAUSE.split("    conditions:")[0], 7,
         "give conditions, or not_checkable saying why there are none"),
        (CLAUSE.split("    conditions:")[0] + "    not_checkable: judged by people\n"
         + CLAUSE[CLAUSE.index("    conditions:"):], 7, "give conditions, or not_checkable"),
        (CLAUSE + CLAUSE.replace("number: 1", "number: 2"), 18,
         "clause id 't-01' already used on line 7"),
        (CLAUSE + CLAUSE.replace("t-01", "t-02"), 19, "clause number 1 already used on line 8"),
        (CLAUSE.replace("title: One", "title: One\n    colour: red"), 10, "colour: Extra inputs"),
        (CLAUSE.replace("number: 1", "number: one"), 8, "number: Input should be a valid integer"),
    ],
)  # fmt: skip
def test_clause_errors_name_file_and_line(
    broken: Path, clauses: str, line: int, problem: str
) -> None:
    path = write_agreement(broken, HEAD + "clauses:\n" + clauses)
    with pytest.raises(TheatreError) as caught:
        load_pack(broken)
    message = str(caught.value)
    assert message.startswith(f"{path.resolve()}:{line}: "), message
    assert problem in message, message


PLAN = """\
plan:
  id: test-plan
  name: A plan
  summary: Two phases.
  as_of: 2024-01-01
  phases:
    - id: p-1
      order: 1
      name: First
      areas: [el-fasher]
      status: reported-complete
      completed: 2023-12-01
    - id: p-2
      order: 2
      name: Second
      areas: [darfur-illustrative]
      status: planned
"""


def test_a_plan_loads(broken: Path) -> None:
    write_agreement(broken, HEAD + "clauses:\n" + CLAUSE + PLAN)
    phases = load_pack(broken).agreement.phases
    assert [(p.id, p.status) for p in phases] == [("p-1", "reported-complete"), ("p-2", "planned")]


@pytest.mark.parametrize(
    ("plan", "line", "problem"),
    [
        # lines: HEAD 1-5, clauses 6-17, "plan:" 18 (its keys from 19), phases from 24 (p-1)
        # and 30 (p-2)
        (PLAN.replace("[darfur-illustrative]", "[khartoum]"), 33, "zone 'khartoum'"),
        (PLAN.replace("order: 2", "order: 3"), 24, "phase orders must run 1..2, got [1, 3]"),
        (PLAN.replace("order: 2", "order: 1"), 31, "phase order 1 already used on line 25"),
        (PLAN.replace("id: p-2", "id: p-1"), 30, "phase id 'p-1' already used on line 24"),
        (PLAN.replace("      completed: 2023-12-01\n", ""), 24,
         "a reported-complete phase needs its completed date"),
        (PLAN.replace("status: planned", "status: planned\n      completed: 2023-12-01"), 30,
         "completed is given but the status is 'planned'"),
        (PLAN.replace("status: planned", "status: stalled"), 34, "status: Input should be"),
        (PLAN.replace("status: planned", "status: planned\n      uncertain: [colour]"), 35,
         "uncertain.0: Input should be"),
        (PLAN.replace("  as_of: 2024-01-01\n", ""), 19, "plan.as_of: Field required"),
    ],
)  # fmt: skip
def test_plan_errors_name_file_and_line(broken: Path, plan: str, line: int, problem: str) -> None:
    path = write_agreement(broken, HEAD + "clauses:\n" + CLAUSE + plan)
    with pytest.raises(TheatreError) as caught:
        load_pack(broken)
    message = str(caught.value)
    assert message.startswith(f"{path.resolve()}:{line}: "), message
    assert problem in message, message


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        (HEAD.replace("signed: 2023-05-11", "signed: last May"), 3, "signed: Input should be"),
        (HEAD.replace("+03:00", ""), 4, "in_force: Input should have timezone info"),
        (HEAD + "clauses: []\n", 6, "clauses: List should have at least 1 item"),
        (HEAD + "clauses:\n  - id: [t\n", 8, "invalid YAML"),
        (HEAD + "id: again\nclauses:\n" + CLAUSE, 6, "duplicate key 'id'"),
    ],
)
def test_agreement_errors_name_file_and_line(
    broken: Path, text: str, line: int, problem: str
) -> None:
    path = write_agreement(broken, text)
    with pytest.raises(TheatreError) as caught:
        load_pack(broken)
    message = str(caught.value)
    assert message.startswith(f"{path.resolve()}:{line}: "), message
    assert problem in message, message


def test_agreement_is_required(broken: Path) -> None:
    (broken / "agreement.yaml").unlink()
    with pytest.raises(TheatreError, match=r"agreement\.yaml: missing"):
        load_pack(broken)


def test_empty_agreement_file(broken: Path) -> None:
    path = write_agreement(broken, "")
    with pytest.raises(TheatreError, match=rf"^{path.resolve()}: Input should be a valid"):
        load_pack(broken)
