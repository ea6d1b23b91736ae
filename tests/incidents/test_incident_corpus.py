"""The multi-source incident corpus the linker is measured on: its shape and consistency."""

from __future__ import annotations

import math
import re
from collections import Counter
from itertools import combinations
from pathlib import Path

import pytest
from incident_corpus import CORPUS_DIR, Incident, load_incident_corpus

from truce.core.errors import FormatError
from truce.geo.gazetteer import Gazetteer

MAIN = CORPUS_DIR / "israel_lebanon.yaml"


@pytest.fixture(scope="module")
def incidents() -> list[Incident]:
    return load_incident_corpus(MAIN)


def _km(a: Incident, b: Incident) -> float:
    dlat = math.radians(b.latitude - a.latitude)
    dlon = math.radians(b.longitude - a.longitude) * math.cos(math.radians(a.latitude))
    return 6371.0 * math.hypot(dlat, dlon)


def test_at_least_forty_incidents_each_reported_two_to_five_times(
    incidents: list[Incident],
) -> None:
    assert len(incidents) >= 40
    assert len({i.id for i in incidents}) == len(incidents)
    for incident in incidents:
        assert 2 <= len(incident.reports) <= 5, incident.id


def test_report_ids_are_unique_and_shared_reports_are_the_same_object(
    incidents: list[Incident],
) -> None:
    by_id: dict[str, object] = {}
    for incident in incidents:
        for report in incident.reports:
            assert by_id.setdefault(report.id, report) is report, report.id
    shared = Counter(r.id for i in incidents for r in i.reports)
    assert sum(1 for n in shared.values() if n > 1) >= 4  # articles covering two incidents


def test_reports_are_news_length_and_published_within_ten_days(
    incidents: list[Incident],
) -> None:
    for incident in incidents:
        for report in incident.reports:
            words = len(report.text.split())
            assert 60 <= words <= 200, (report.id, words)
            delay = (report.published_day - incident.date).days
            assert 0 <= delay <= 10, (incident.id, report.id, delay)


def test_every_report_names_the_place_in_a_spelling_the_gazetteer_resolves_to_it(
    incidents: list[Incident],
) -> None:
    gazetteer = Gazetteer.load()
    for incident in incidents:
        for spelling in incident.spellings:
            candidates = gazetteer.lookup(spelling)
            nearest = min(
                (
                    _km(
                        incident,
                        incident.model_copy(update=p.model_dump(include={"latitude", "longitude"})),
                    )
                    for p in candidates
                ),
                default=math.inf,
            )
            assert nearest <= 3.0, (incident.id, spelling, nearest)
        for report in incident.reports:
            text = report.text.casefold()
            assert any(s.casefold() in text for s in incident.spellings), (incident.id, report.id)


def test_reports_of_an_incident_differ_in_outlet_and_wording(incidents: list[Incident]) -> None:
    for incident in incidents:
        sources = {r.source for r in incident.reports}
        assert len(sources) >= min(3, len(incident.reports)), incident.id
        for a, b in combinations(incident.reports, 2):
            words_a = set(re.findall(r"\w+", a.text.casefold()))
            words_b = set(re.findall(r"\w+", b.text.casefold()))
            assert len(words_a & words_b) / len(words_a | words_b) < 0.6, (a.id, b.id)


def test_hard_negatives_neighbouring_or_consecutive_incidents_of_one_kind(
    incidents: list[Incident],
) -> None:
    """Pairs a naive linker would merge: near in place and time, yet different happenings."""
    hard = [
        (a.id, b.id)
        for a, b in combinations(incidents, 2)
        if abs((a.date - b.date).days) <= 1
        and _km(a, b) <= 8.0
        and (a.kind == b.kind or a.place == b.place)
    ]
    assert len(hard) >= 8, hard


def test_kinds_are_mixed(incidents: list[Incident]) -> None:
    kinds = Counter(i.kind for i in incidents)
    assert len(kinds) >= 8
    assert kinds["CONSULT"] >= 2
    assert kinds["Disrupted weapons use"] >= 2


def test_a_ref_to_an_unknown_report_names_file_and_incident(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(
        "incidents:\n- id: inc-x\n  kind: Air/drone strike\n  date: 2025-01-01\n"
        "  place: Tyre\n  latitude: 33.27\n  longitude: 35.19\n  country: LB\n"
        "  reports:\n  - ref: nowhere\n",
        encoding="utf-8",
    )
    with pytest.raises(FormatError, match=r"(?s)broken\.yaml.*inc-x.*nowhere"):
        load_incident_corpus(path)


def test_an_unknown_kind_is_refused_with_the_incident_named(tmp_path: Path) -> None:
    text = MAIN.read_text(encoding="utf-8").replace("kind: Grenade", "kind: Firework", 1)
    path = tmp_path / "bad_kind.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FormatError, match=r"(?s)bad_kind\.yaml.*inc-19.*Firework"):
        load_incident_corpus(path)
