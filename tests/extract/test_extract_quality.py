"""The scorer (truce.extract.evaluation) on hand-made cases, and quality floors on the corpus.

The corpus is tests/data/corpus/ (see its README); the scorer mirrors ../shared/eval/score.py
and these tests need nothing outside the repository.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from truce.core import FormatError, InputError
from truce.extract import Pipeline
from truce.extract.evaluation import (
    ActorCanon,
    Evaluation,
    GoldSet,
    PredictionSet,
    Report,
    combine,
    evaluate,
    greedy_matching,
    km,
    load_gold,
    optimal_matching,
    pair_cost,
    predict,
    read_predictions,
    score,
)

CORPUS = Path(__file__).parents[1] / "data" / "corpus"
STRIKE = "Explosions/Remote violence"
KHIAM = (33.32778, 35.61278)
ISRAELI_ARMY = "Military Forces of Israel (2022-)"


def gold_file(tmp_path: Path, body: str, name: str = "gold.yaml") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def one_doc_gold(tmp_path: Path, *events: str, published: str = "2026-01-14") -> GoldSet:
    lines = [
        "documents:",
        "- id: d1",
        f"  published: {published}",
        "  text: An Israeli drone struck a car in Khiam on Monday.",
        "  events:",
        *(f"  - {event}" for event in events),
    ]
    return load_gold(gold_file(tmp_path, "\n".join(lines) + "\n"))


def prediction(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "doc_id": "d1",
        "event_type": STRIKE,
        "sub_event_type": "Air/drone strike",
        "modality": "asserted",
        "event_date": "2026-01-12",
        "latitude": KHIAM[0],
        "longitude": KHIAM[1],
        "country": "LB",
        "actor1": ISRAELI_ARMY,
        "evidence": {"text": "An Israeli drone struck a car in Khiam on Monday.", "start": 0},
    }
    return base | fields


def scored(gold: GoldSet, *predictions: dict[str, Any], matching: str = "greedy") -> Report:
    found = PredictionSet.from_objects(predictions)
    return score(gold, found, matching="greedy" if matching == "greedy" else "optimal")


STRIKE_GOLD = (
    "{event_type: Explosions/Remote violence, sub_event_type: Air/drone strike, "
    "date: 2026-01-12, actor1: ISR_MIL, place: Khiam, lat: 33.328, lon: 35.613, "
    "country: LB, fatalities: 0}"
)


# ---------------------------------------------------------------------------- gold files


def test_gold_loads_with_lists_defaults_and_lines(tmp_path: Path) -> None:
    gold = one_doc_gold(
        tmp_path,
        STRIKE_GOLD,
        "{modality: planned, plover: CONSULT, date: 2026-01-20, optional: true}",
        "{event_type: [Battles, Violence against civilians], date: 2026-01-10, "
        "time_precision: 2, country: [LB, IL], actor2: [CIV, HEZ]}",
    )
    (document,) = gold.documents
    strike, meeting, fight = document.events
    assert (document.id, document.line, strike.line, fight.line) == ("d1", 2, 6, 8)
    assert strike.event_type == (STRIKE,)
    assert (strike.modality, strike.time_precision, strike.geo_tolerance_km) == ("asserted", 1, 25)
    assert (meeting.track, meeting.optional, strike.track, fight.track) == (
        "diplomatic",
        True,
        "material",
        "material",
    )
    assert fight.country == ("LB", "IL")
    assert document.document().published_date is not None


@pytest.mark.parametrize(
    ("event", "message", "line"),
    [
        ("{event_type: Airstrike, date: 2026-01-12}", "unknown ACLED event type 'Airstrike'", 7),
        ("{event_type: Battles, sub_event_type: Grenade}", "belongs to 'Explosions", 7),
        ("{event_type: Battles, lat: 33.1}", "lat and lon come together", 7),
        ("{event_type: Battles, fatalites: 2}", "fatalites: Extra inputs are not permitted", 7),
        ("{plover: THREATENS}", "plover: Input should be", 7),
        ("{event_type: Battles, country: Lebanon}", "country.0: String should match", 7),
        ("{event_type: Battles, actor1: []}", "actor1: Value should have at least 1", 7),
        ("{event_type: Battles, line: 4}", "unknown field 'line'", 7),
        ("Battles", "expected a mapping", 7),
    ],
)
def test_broken_gold_events_name_file_and_line(
    tmp_path: Path, event: str, message: str, line: int
) -> None:
    with pytest.raises(FormatError) as caught:
        one_doc_gold(tmp_path, STRIKE_GOLD.replace("}", ", optional: true}"), event)
    error = caught.value
    assert (error.source, error.line) == (str(tmp_path / "gold.yaml"), line)
    assert "document d1, event 2" in str(error)
    assert message in str(error)


def test_a_field_error_points_at_its_own_line(tmp_path: Path) -> None:
    body = (
        "documents:\n- id: d1\n  text: x\n  events:\n  - modality: asserted\n"
        "    event_type: Battles\n    date: not a date\n"
    )
    with pytest.raises(FormatError, match="event 1: date: Input should be") as caught:
        load_gold(gold_file(tmp_path, body))
    assert caught.value.line == 7


@pytest.mark.parametrize(
    ("body", "message", "line"),
    [
        ("documents: [\n", "not YAML", 2),
        ("- id: d1\n", "expected a mapping with a list of documents", 1),
        ("documents:\n- id: d1\n  text: a\n- id: d1\n  text: b\n", "id 'd1' again", 4),
        ("documents:\n- id: d1\n  events: []\n", "document d1: text: Field required", 2),
        ("documents:\n- id: d1\n  text: a\n  events: {a: 1}\n", "events: expected a list", 4),
        ("documents:\n- id: d1\n  text: a\n  author: me\n", "author: Extra inputs", 4),
    ],
)
def test_broken_gold_files_name_file_and_line(
    tmp_path: Path, body: str, message: str, line: int
) -> None:
    path = gold_file(tmp_path, body)
    with pytest.raises(FormatError, match=message) as caught:
        load_gold(path)
    assert str(caught.value).startswith(f"{path}:{line}: ")


def test_missing_gold_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_gold(tmp_path / "nowhere.yaml")


def test_gold_actor_codes_must_be_ones_the_table_produces(tmp_path: Path) -> None:
    gold = one_doc_gold(tmp_path, "{event_type: Battles, actor1: [HEZ, RSF]}")
    with pytest.raises(FormatError, match="actor1 code RSF is not one") as caught:
        evaluate(gold, PredictionSet({}))
    assert caught.value.line == 6


# ---------------------------------------------------------------------------- actor codes


@pytest.mark.parametrize(
    ("name", "code"),
    [
        (ISRAELI_ARMY, "ISR_MIL"),
        ("Israel", "ISR_MIL"),
        ("Government of Israel (2022-)", "IL_GOV"),
        ("Hezbollah", "HEZ"),
        ("Military Forces of Lebanon (2025-)", "LAF"),
        ("UNIFIL: United Nations Interim Force in Lebanon", "UNIFIL"),
        ("Civilians (Lebanon)", "CIV"),
        ("Protesters (Lebanon)", "PROT"),
        ("Unidentified Armed Group (Lebanon)", "UNKNOWN"),
        ("  U.S. envoy  ", "US"),
        ("Rapid Support Forces", "OTHER"),
        ("", None),
        (None, None),
    ],
)
def test_default_actor_codes_follow_score_py(name: str | None, code: str | None) -> None:
    assert ActorCanon.default()(name) == code


def test_an_actor_table_from_yaml(tmp_path: Path) -> None:
    path = gold_file(
        tmp_path,
        "- {code: RSF, pattern: 'rapid support|\\brsf\\b'}\n- {code: SAF, pattern: sudan}\n",
        "actors.yaml",
    )
    canon = ActorCanon.load(path)
    assert [canon("Rapid Support Forces"), canon("Military Forces of Sudan"), canon("x")] == [
        "RSF",
        "SAF",
        "OTHER",
    ]
    assert canon.codes == {"RSF", "SAF", "OTHER"}


@pytest.mark.parametrize(
    ("body", "message", "line"),
    [
        ("- {code: X, pattern: '('}\n", "bad pattern", 1),
        ("- {code: X, pattern: a}\n- {code: Y}\n", "exactly code and pattern", 2),
        ("code: X\n", "expected a list", None),
    ],
)
def test_a_broken_actor_table(tmp_path: Path, body: str, message: str, line: int | None) -> None:
    with pytest.raises(FormatError, match=message) as caught:
        ActorCanon.load(gold_file(tmp_path, body, "actors.yaml"))
    assert caught.value.line == line


# ---------------------------------------------------------------------------- pairing


def test_pair_cost_is_days_plus_a_tenth_of_the_km(tmp_path: Path) -> None:
    (event,) = one_doc_gold(tmp_path, STRIKE_GOLD).documents[0].events
    near = PredictionSet.from_objects(
        [prediction(event_date="2026-01-13", latitude=33.37, longitude=35.613)]
    )
    (found,) = near.by_doc["d1"]
    distance = km(33.328, 35.613, 33.37, 35.613)
    assert 4.6 < distance < 4.7  # 0.042 degrees of latitude
    assert pair_cost(event, found, "material") == pytest.approx(1 + distance / 10)


@pytest.mark.parametrize(
    ("changes", "pairs"),
    [
        ({}, True),
        ({"event_type": "Battles"}, False),
        ({"event_date": "2026-01-14"}, False),  # two days off a day-precise date
        ({"event_date": None}, False),
        ({"latitude": 33.6}, False),  # 30 km north
        ({"latitude": None, "longitude": None}, False),
        ({"latitude": "33.33", "longitude": "35.61"}, True),  # numbers as text, as score.py
        ({"latitude": "nan"}, False),
    ],
)
def test_what_a_material_prediction_must_share(
    tmp_path: Path, changes: dict[str, Any], pairs: bool
) -> None:
    gold = one_doc_gold(tmp_path, STRIKE_GOLD)
    report = scored(gold, prediction(**changes))
    assert report.tracks["material"].tp == int(pairs)
    assert report.tracks["material"].fp == int(not pairs)


def test_time_precision_widens_the_date_window(tmp_path: Path) -> None:
    week = STRIKE_GOLD.replace("country", "time_precision: 2, country")
    month = STRIKE_GOLD.replace("country", "time_precision: 3, country")
    days = {
        "2026-01-18": (1, 1, 1),
        "2026-01-19": (0, 1, 1),
        "2026-02-12": (0, 0, 1),
        "2026-02-13": (0, 0, 0),
    }
    for day, expected in days.items():
        found = tuple(
            scored(one_doc_gold(tmp_path, g), prediction(event_date=day)).tracks["material"].tp
            for g in (STRIKE_GOLD.replace("2026-01-12", "2026-01-17"), week, month)
        )
        assert found == expected, day


def test_geo_tolerance_can_be_set_per_event(tmp_path: Path) -> None:
    wide = one_doc_gold(tmp_path, STRIKE_GOLD.replace("}", ", geo_tolerance_km: 40}"))
    assert scored(wide, prediction(latitude=33.6)).tracks["material"].tp == 1


def test_diplomatic_and_threat_tracks(tmp_path: Path) -> None:
    gold = one_doc_gold(
        tmp_path,
        "{modality: asserted, plover: CONSULT, date: 2026-01-13, lat: 33.118, lon: 35.140}",
        "{modality: planned, plover: AGREE, date: 2026-02-01, time_precision: 3}",
        "{modality: threatened, plover: THREATEN, date: 2026-01-13, lat: 1.0, lon: 1.0}",
    )
    meeting = prediction(
        event_type=None, plover="consult", latitude=None, longitude=None, event_date="2026-01-13"
    )
    agreement = prediction(event_type=None, plover="AGREE", modality="planned")
    wrong_modality = prediction(event_type=None, plover="AGREE", modality="asserted")
    threat = prediction(event_type=None, plover=None, modality="threatened")  # Beirut, far off
    report = scored(gold, meeting, agreement, wrong_modality, threat)
    assert report.tracks["diplomatic"] == type(report.tracks["diplomatic"])(tp=2, fp=1, fn=0)
    assert report.tracks["threats"].tp == 1
    assert report.tracks["material"].fp == 0  # none of them is asserted with an ACLED type


def test_events_in_no_track_are_neither_required_nor_false(tmp_path: Path) -> None:
    gold = one_doc_gold(
        tmp_path,
        "{modality: planned, event_type: Battles, date: 2026-01-20}",
        "{plover: ACCUSE, date: 2026-01-12}",
    )
    report = scored(
        gold, prediction(event_type=None, plover="ACCUSE"), prediction(modality="denied")
    )
    assert all(s.tp == s.fp == s.fn == 0 for s in report.tracks.values())


def test_an_asserted_gold_event_without_a_type_takes_any_material_type(tmp_path: Path) -> None:
    gold = one_doc_gold(tmp_path, "{date: 2026-01-12}")
    assert scored(gold, prediction(event_type="Battles")).tracks["material"].tp == 1


# ---------------------------------------------------------------------------- matching


def test_optional_gold_without_a_place_steals_the_prediction_under_greedy(
    tmp_path: Path,
) -> None:
    """score.py's flaw: the optional event pairs at cost 0, the required one at 0.3."""
    gold = one_doc_gold(
        tmp_path,
        STRIKE_GOLD.replace("lat: 33.328", "lat: 33.355"),
        f"{{event_type: {STRIKE}, date: 2026-01-12, optional: true}}",
    )
    greedy = scored(gold, prediction(), matching="greedy").tracks["material"]
    optimal = scored(gold, prediction(), matching="optimal").tracks["material"]
    assert (greedy.tp, greedy.fp, greedy.fn) == (0, 0, 1)
    assert (optimal.tp, optimal.fp, optimal.fn) == (1, 0, 0)


def test_optimal_matching_pairs_more_than_cheapest_first(tmp_path: Path) -> None:
    """Gold A can take either prediction, B only the first; greedy gives A the first."""
    gold = one_doc_gold(
        tmp_path,
        f"{{event_type: {STRIKE}, date: 2026-01-12}}",
        f"{{event_type: {STRIKE}, date: 2026-01-11}}",
    )
    first, second = prediction(event_date="2026-01-12"), prediction(event_date="2026-01-13")
    assert scored(gold, first, second).tracks["material"].fn == 1
    assert scored(gold, first, second, matching="optimal").tracks["material"].fn == 0


def _best(pairs: list[tuple[float, int, int]], required: list[bool]) -> tuple[int, int, float]:
    """By brute force: the best (required pairs, pairs, -cost) over every matching."""
    best = (0, 0, 0.0)
    for size in range(1, len(pairs) + 1):
        for chosen in itertools.combinations(pairs, size):
            golds = [i for _, i, _ in chosen]
            preds = [j for _, _, j in chosen]
            if len(set(golds)) == size and len(set(preds)) == size:
                value = (sum(required[i] for i in golds), size, -sum(c for c, _, _ in chosen))
                best = max(best, value)
    return best


@settings(max_examples=200, deadline=None)
@given(
    cells=st.lists(
        st.one_of(st.none(), st.floats(min_value=0, max_value=40)), min_size=16, max_size=16
    ),
    required=st.lists(st.booleans(), min_size=4, max_size=4),
    shape=st.tuples(st.integers(1, 4), st.integers(1, 4)),
)
def test_optimal_matching_is_optimal(
    cells: list[float | None], required: list[bool], shape: tuple[int, int]
) -> None:
    n, m = shape
    pairs = [
        (cost, i, j) for i in range(n) for j in range(m) if (cost := cells[i * 4 + j]) is not None
    ]
    optimal = optimal_matching(pairs, required)
    cost = {(i, j): c for c, i, j in pairs}
    assert len({i for i, _ in optimal}) == len({j for _, j in optimal}) == len(optimal)
    value = (
        sum(required[i] for i, _ in optimal),
        len(optimal),
        -sum(cost[p] for p in optimal),
    )
    best = _best(pairs, required)
    assert value[:2] == best[:2]
    assert value[2] == pytest.approx(best[2], abs=1e-6)
    greedy = greedy_matching(pairs, required)
    assert sum(required[i] for i, _ in greedy) <= value[0]


# ---------------------------------------------------------------------------- fields and sums


def test_field_accuracy_on_matched_required_pairs(tmp_path: Path) -> None:
    gold = one_doc_gold(
        tmp_path,
        STRIKE_GOLD.replace("actor1: ISR_MIL", "actor1: ISR_MIL, actor2: [CIV, HEZ]"),
        STRIKE_GOLD.replace("Khiam", "Tyre").replace("33.328, lon: 35.613", "33.273, lon: 35.194"),
        STRIKE_GOLD.replace("lat: 33.328", "optional: true, lat: 33.5"),
    )
    khiam = prediction(actor2="Civilians (Lebanon)", fatalities=None)
    tyre = prediction(
        latitude=33.273 + 0.06,  # 6.7 km north
        longitude=35.194,
        sub_event_type="Shelling/artillery/missile attack",
        event_date="2026-01-13",
        actor1="Hezbollah",
        country="lb",
        fatalities=2,
        evidence={"text": ""},
    )
    report = scored(gold, khiam, tyre, prediction(latitude=33.5))
    counts = {name: (f.hits, f.total) for name, f in report.fields.items()}
    assert counts == {
        "sub_event_type": (1, 2),
        "date_exact": (1, 2),
        "place_within_5km": (1, 2),
        "country": (2, 2),
        "actor1": (1, 2),
        "actor2": (1, 1),
        "fatalities": (1, 2),
        "has_evidence": (1, 2),
    }
    assert report.tracks["material"] == type(report.tracks["material"])(tp=2, fp=0, fn=0)


def test_precision_recall_f1_and_their_json(tmp_path: Path) -> None:
    gold = one_doc_gold(tmp_path, STRIKE_GOLD, STRIKE_GOLD.replace("2026-01-12", "2026-01-05"))
    report = scored(gold, prediction(), prediction(event_date="2026-01-09"))
    material = report.tracks["material"]
    assert (material.precision, material.recall, material.f1) == (0.5, 0.5, 0.5)
    data = report.to_json(explain=True)
    assert data["material"] == {
        "tp": 1,
        "fp": 1,
        "fn": 1,
        "precision": 0.5,
        "recall": 0.5,
        "f1": 0.5,
    }
    assert data["field_counts"]["date_exact"] == "1/1"
    assert [m["line"] for m in data["misses"]] == [7]
    assert [f["event_date"] for f in data["false_alarms"]] == ["2026-01-09"]
    empty = scored(gold).tracks["diplomatic"]
    assert (empty.precision, empty.recall, empty.f1) == (0.0, 0.0, 0.0)


def test_saved_predictions_and_unreadable_lines(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text('{"doc_id": "d1"}\nnot json\n[1]\n\n{"doc_id": 7}\n', encoding="utf-8")
    found = read_predictions(path)
    assert found.unparsable_lines == 2
    assert sorted(found.by_doc) == ["7", "d1"]
    with pytest.raises(InputError, match="no such file"):
        read_predictions(tmp_path / "none.jsonl")


def test_fatalities_compare_as_score_py_does(tmp_path: Path) -> None:
    gold = one_doc_gold(tmp_path, STRIKE_GOLD)  # fatalities: 0
    for value, hit in [(None, 1), (0, 1), (0.0, 1), ("", 1), ("0", 0), (1, 0)]:
        report = scored(gold, prediction(fatalities=value))
        assert report.fields["fatalities"].hits == hit, value


def test_combined_reports_add_counts(tmp_path: Path) -> None:
    gold = one_doc_gold(tmp_path, STRIKE_GOLD)
    one = evaluate(gold, PredictionSet.from_objects([prediction()]))
    two = evaluate(gold, PredictionSet.from_objects([prediction(event_type="Battles")]))
    total = combine([one, two])
    assert total.greedy.tracks["material"] == type(total.greedy.tracks["material"])(1, 1, 1)
    assert total.greedy.documents == 2
    assert total.optimal.fields["date_exact"].total == 1


# ---------------------------------------------------------------------------- corpus floors


@pytest.fixture(scope="module")
def corpus(pipeline: Pipeline) -> dict[str, Evaluation]:
    """Every corpus file scored on the default pipeline's output (a few seconds)."""
    results = {}
    for path in sorted(CORPUS.glob("*.yaml")):
        gold = load_gold(path)
        results[path.stem] = evaluate(gold, predict(gold, pipeline))
    return results


@dataclass(frozen=True)
class Floor:
    material: float
    diplomatic: float
    fields: dict[str, float]


# Floors under score.py's (greedy) matching, about 0.04 below the values measured when they
# were set (in the comments: the extractor of the commit that added --explain). Field
# accuracies are held per file only where a file has at least 20 matched material pairs; the
# three theatres without a pack of their own are held pooled (OTHER_THEATRES). Raise a floor
# when the extractor improves.
FLOORS = {
    # material 0.933, diplomatic 0.933; fields over 56 pairs
    "israel_lebanon": Floor(
        0.89,
        0.89,
        {
            "sub_event_type": 0.96,  # 1.000
            "date_exact": 0.92,  # 0.964
            "place_within_5km": 0.94,  # 0.982
            "country": 0.94,  # 0.982
            "actor1": 0.88,  # 0.927
            "actor2": 0.69,  # 0.730
            "fatalities": 0.91,  # 0.955
        },
    ),
    # material 1.000, diplomatic 1.000; fields over 29 pairs
    "samples_gold": Floor(
        0.96,
        0.96,
        {
            "sub_event_type": 0.96,  # 1.000
            "date_exact": 0.92,  # 0.966
            "place_within_5km": 0.96,  # 1.000
            "country": 0.96,  # 1.000
            "actor1": 0.81,  # 0.857
            "actor2": 0.80,  # 0.842
            "fatalities": 0.86,  # 0.905
        },
    ),
    "sudan": Floor(0.85, 0.96, {}),  # material 0.894, diplomatic 1.000
    "syria": Floor(0.82, 0.96, {}),  # material 0.864, diplomatic 1.000
    "ukraine": Floor(0.86, 0.96, {}),  # material 0.903, diplomatic 1.000
}
OTHER_THEATRES = ("sudan", "syria", "ukraine")
# pooled over the three (actor2 is not held: those theatres have no pack of their own yet)
OTHER_THEATRES_FIELDS = {
    "sub_event_type": 0.90,  # 0.944
    "date_exact": 0.96,  # 1.000
    "place_within_5km": 0.92,  # 0.962
    "country": 0.96,  # 1.000
    "actor1": 0.80,  # 0.842
    "fatalities": 0.80,  # 0.844
}


def test_the_corpus_has_at_least_80_annotated_articles(corpus: dict[str, Evaluation]) -> None:
    assert set(corpus) == set(FLOORS)
    theatres = sum(e.greedy.documents for name, e in corpus.items() if name != "samples_gold")
    assert theatres >= 80


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_quality_stays_above_its_floor(corpus: dict[str, Evaluation], name: str) -> None:
    report, floor = corpus[name].greedy, FLOORS[name]
    measured = {
        "material F1": (report.tracks["material"].f1, floor.material),
        "diplomatic F1": (report.tracks["diplomatic"].f1, floor.diplomatic),
    }
    measured |= {field: (report.fields[field].accuracy, v) for field, v in floor.fields.items()}
    below = {
        key: f"{value:.3f} < {least}" for key, (value, least) in measured.items() if value < least
    }
    assert not below, f"{name}: {below}"


def test_pooled_fields_of_the_theatres_without_a_pack(corpus: dict[str, Evaluation]) -> None:
    report = combine([corpus[name] for name in OTHER_THEATRES]).greedy
    below = {
        field: f"{report.fields[field].accuracy:.3f} < {least}"
        for field, least in OTHER_THEATRES_FIELDS.items()
        if report.fields[field].accuracy < least
    }
    assert not below


def test_optimal_matching_never_scores_below_greedy(corpus: dict[str, Evaluation]) -> None:
    for name, result in corpus.items():
        for track in ("material", "diplomatic", "threats"):
            greedy, optimal = result.greedy.tracks[track], result.optimal.tracks[track]
            assert optimal.tp >= greedy.tp, (name, track)
            assert optimal.fp <= greedy.fp or optimal.tp > greedy.tp, (name, track)
            assert not math.isnan(optimal.f1)
