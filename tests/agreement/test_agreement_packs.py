"""The check is generic: the Sudan test pack's clauses work with nothing of Israel–Lebanon,
and `answerable` is validated like every other party reference (file and line)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest

from truce.agreement import AgreementChecker, check_events
from truce.core.errors import TheatreError
from truce.core.models import Event, Evidence
from truce.theatre import TheatrePack, load_pack

SUDAN = Path(__file__).parents[1] / "theatre" / "packs" / "sudan"
ISRAEL_LEBANON_WORDS = ("Israel", "Lebanon", "Litani", "Hezbollah", "coh-2024", "armed-groups")


@pytest.fixture(scope="module")
def sudan() -> TheatrePack:
    return load_pack(SUDAN)


def event(pack: TheatrePack, place: str, **fields: Any) -> Event:
    found = next(p for p in pack.places if p.name == place)
    sentence = f"Something happened in {place}."
    values = {
        "doc_id": "doc",
        "evidence": Evidence(text=sentence, start=0, end=len(sentence)),
        "event_date": dt.date(2024, 6, 10),
        "location": found.name,
        "country": found.country,
        "admin1": found.admin1,
        "latitude": found.latitude,
        "longitude": found.longitude,
        **fields,
    }
    return Event.model_validate(values)


def test_second_pack_clauses_work(sudan: TheatrePack) -> None:
    attack = event(
        sudan,
        "El Fasher",
        event_type="Violence against civilians",
        sub_event_type="Attack",
        actor1="RSF",
        actor2="displaced people",
    )
    strike = event(
        sudan,
        "Zamzam camp",
        event_type="Explosions/Remote violence",
        sub_event_type="Air/drone strike",
        actor1="Sudanese army",
    )
    candidates = check_events([(2, attack), (3, strike), (4, attack)], sudan)
    assert [(c.clause_id, c.party, c.event_ids) for c in candidates] == [
        ("jeddah-2023-01", "rsf", (2, 4)),
        ("jeddah-2023-01", "saf", (3,)),
    ]
    rsf = candidates[0]
    assert rsf.party_name == "the Rapid Support Forces side"
    assert rsf.acting_party == "rsf"
    assert rsf.target_party is None
    assert rsf.zones == ("el-fasher", "darfur-illustrative")
    assert rsf.reason.startswith(
        "Attack by Rapid Support Forces against Civilians (Sudan) in El Fasher "
        "(North Darfur; inside El Fasher and its edges) on 10 June 2024 (2 reports)."
    )
    assert "Candidate violation of clause 1, Protect civilians" in rsf.reason
    assert "Darfur (illustrative box)" not in rsf.reason  # illustrative zones are no facts
    for candidate in candidates:
        text = repr(candidate)
        assert not [word for word in ISRAEL_LEBANON_WORDS if word in text], text


def test_second_pack_zone_window_and_actors_decide(sudan: TheatrePack) -> None:
    checker = AgreementChecker.for_pack(sudan)
    attack: dict[str, Any] = {
        "event_type": "Violence against civilians",
        "sub_event_type": "Attack",
        "actor1": "RSF",
    }
    early = event(sudan, "El Fasher", **attack, event_date=dt.date(2023, 5, 1))
    khartoum = {"latitude": 15.5007, "longitude": 32.5599, "location": "Khartoum"}
    outside = Event.model_validate(event(sudan, "El Fasher", **attack).model_dump() | khartoum)
    israeli = event(sudan, "El Fasher", **attack | {"actor1": "Israeli drone"})
    assert checker.check([(1, early), (2, outside), (3, israeli)]) == []
    traces = {t.clause_id: t for t in checker.explain(outside)}
    assert set(traces) == {"jeddah-2023-01"}  # clause 2 is not checkable
    assert [p.part for p in traces["jeddah-2023-01"].failed] == ["zones"]
    assert [p.part for p in checker.explain(israeli)[0].failed] == ["acting party"]


HEAD = """\
id: test-agreement
title: A test agreement
signed: 2023-05-11
in_force: 2023-05-11T00:00:00+03:00
sources: [tests]
clauses:
  - id: t-01
    number: 1
    title: Protect civilians
    summary: The army answers for the acts of its allies.
"""


def condition(obligated: str, acting: str, answerable: str | None) -> str:
    text = f"""\
    obligated: [{obligated}]
    conditions:
      - effect: violation
        acting_parties: [{acting}]
        event_types: [Violence against civilians]
        window: {{start: 2023-05-11}}
"""
    if answerable is not None:
        text += f"        answerable: {answerable}\n"
    return text


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """The Sudan pack with a third party (an ally of neither side) to write agreements for."""
    target = tmp_path / "sudan"
    shutil.copytree(SUDAN, target)
    actors = target / "actors.yaml"
    text = actors.read_text(encoding="utf-8")
    text = text.replace(
        "  rsf: the Rapid Support Forces side\n",
        "  rsf: the Rapid Support Forces side\n  allies: militias allied to the army\n",
    )
    text += (
        "  - name: Allied militia\n    inter: 3\n    party: allies\n    aliases: [allied militia]\n"
    )
    actors.write_text(text, encoding="utf-8")
    return target


def write(folder: Path, text: str) -> Path:
    path = folder / "agreement.yaml"
    path.write_text(text, encoding="utf-8")
    return path.resolve()


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize(
    ("obligated", "acting", "answerable", "needle", "problem"),
    [
        ("saf", "allies", "jem", "answerable:",
         "party 'jem' is not declared in actors.yaml (saf, rsf, allies)"),
        ("saf", "allies", "rsf", "answerable:",
         "answerable party 'rsf' is not one the clause obligates (saf)"),
        ("saf, rsf", "allies", None, "acting_parties:",
         "the clause does not obligate acting party 'allies' and obligates several (saf, rsf): "
         "say which answers with `answerable:`"),
    ],
)  # fmt: skip
def test_answerable_errors_name_file_and_line(
    copy: Path, obligated: str, acting: str, answerable: str | None, needle: str, problem: str
) -> None:
    text = HEAD + condition(obligated, acting, answerable)
    path = write(copy, text)
    with pytest.raises(TheatreError) as caught:
        load_pack(copy)
    message = str(caught.value)
    assert message.startswith(f"{path}:{line_of(text, needle)}: "), message
    assert problem in message, message


@pytest.mark.parametrize(
    ("obligated", "answerable"),
    [("saf, rsf", "saf"), ("saf", None)],  # said, or the only obligated party by default
)
def test_the_answerable_party_answers(copy: Path, obligated: str, answerable: str | None) -> None:
    write(copy, HEAD + condition(obligated, "allies", answerable))
    pack = load_pack(copy)
    militia = event(
        pack,
        "Zamzam camp",
        event_type="Violence against civilians",
        sub_event_type="Attack",
        actor1="allied militia",
    )
    (candidate,) = check_events([(1, militia)], pack)
    assert (candidate.party, candidate.acting_party) == ("saf", "allies")
    assert "which binds the Sudanese Armed Forces side (answerable here for militias allied to " \
        "the army)" in candidate.reason  # fmt: skip
