"""Per-track precision, recall and F1, field accuracies, misses and false alarms."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from truce.extract.evaluation.gold import (
    TRACKS,
    ActorCanon,
    GoldEvent,
    GoldSet,
    Track,
    check_actor_codes,
    load_gold,
)
from truce.extract.evaluation.matching import (
    MATCHINGS,
    Matching,
    Prediction,
    PredictionSet,
    km,
    pair_cost,
    predict,
    read_predictions,
)
from truce.extract.pipeline import Pipeline


@dataclass(frozen=True)
class TrackScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: TrackScore) -> TrackScore:
        return TrackScore(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)


@dataclass(frozen=True)
class FieldScore:
    hits: int = 0
    total: int = 0

    @property
    def accuracy(self) -> float:
        return self.hits / self.total if self.total else 0.0

    def __add__(self, other: FieldScore) -> FieldScore:
        return FieldScore(self.hits + other.hits, self.total + other.total)


@dataclass(frozen=True)
class Miss:
    """A required gold event no prediction was paired with."""

    gold: str
    doc_id: str
    track: Track
    event: GoldEvent


@dataclass(frozen=True)
class FalseAlarm:
    """A prediction paired with no gold event."""

    gold: str
    doc_id: str
    track: Track
    prediction: Prediction


@dataclass(frozen=True)
class Report:
    """The scores of one gold set (or several added up) under one matching."""

    gold: str
    matching: Matching
    documents: int
    predicted_events: int
    unparsable_lines: int
    tracks: Mapping[Track, TrackScore]
    fields: Mapping[str, FieldScore]
    misses: tuple[Miss, ...] = ()
    false_alarms: tuple[FalseAlarm, ...] = ()
    seconds: float | None = None

    def to_json(self, *, explain: bool = False) -> dict[str, Any]:
        """score.py's JSON object (figures rounded to 3 places), with the gold and matching."""
        out: dict[str, Any] = {
            "gold": self.gold,
            "matching": self.matching,
            "documents": self.documents,
            "predicted_events": self.predicted_events,
            "unparsable_lines": self.unparsable_lines,
        }
        for name, s in self.tracks.items():
            out[name] = {"tp": s.tp, "fp": s.fp, "fn": s.fn} | {
                "precision": round(s.precision, 3),
                "recall": round(s.recall, 3),
                "f1": round(s.f1, 3),
            }
        ordered = sorted(self.fields.items())
        out["field_accuracy"] = {name: round(f.accuracy, 3) for name, f in ordered}
        out["field_counts"] = {name: f"{f.hits}/{f.total}" for name, f in ordered}
        if self.seconds is not None:
            out["seconds"] = round(self.seconds, 2)
        if explain:
            out["misses"] = [
                {"doc_id": m.doc_id, "track": m.track, "line": m.event.line} | m.event.summary()
                for m in self.misses
            ]
            out["false_alarms"] = [
                {"doc_id": f.doc_id, "track": f.track} | f.prediction.summary()
                for f in self.false_alarms
            ]
        return out


@dataclass(frozen=True)
class Evaluation:
    """One gold set scored under score.py's greedy matching and the optimal one."""

    gold: str
    greedy: Report
    optimal: Report

    def report(self, matching: Matching) -> Report:
        return self.greedy if matching == "greedy" else self.optimal


def _score_fields(
    gold: GoldEvent, prediction: Prediction, canon: ActorCanon, tally: dict[str, FieldScore]
) -> None:
    def count(name: str, ok: bool) -> None:
        tally[name] = tally.get(name, FieldScore()) + FieldScore(int(ok), 1)

    if gold.sub_event_type:
        count("sub_event_type", prediction.sub_event_type in gold.sub_event_type)
    if gold.date is not None:
        count("date_exact", prediction.event_date == gold.date)
    if gold.lat is not None and gold.lon is not None:
        lat, lon = prediction.latitude, prediction.longitude
        near = lat is not None and lon is not None and km(gold.lat, gold.lon, lat, lon) <= 5
        count("place_within_5km", near)
    if gold.country:
        count("country", prediction.country in gold.country)
    for role in ("actor1", "actor2"):
        codes: tuple[str, ...] | None = getattr(gold, role)
        if codes:
            count(role, canon(getattr(prediction, role)) in codes)
    if gold.fatalities is not None:
        count("fatalities", prediction.fatalities == gold.fatalities)
    if gold.lat is not None:
        count("has_evidence", prediction.has_evidence)


def score(
    gold: GoldSet,
    predictions: PredictionSet,
    *,
    matching: Matching = "greedy",
    canon: ActorCanon | None = None,
) -> Report:
    """Match and score the predictions of every gold document in every track."""
    canon = canon or ActorCanon.default()
    match = MATCHINGS[matching]
    counts = {track: TrackScore() for track in TRACKS}
    tally: dict[str, FieldScore] = {}
    misses: list[Miss] = []
    false_alarms: list[FalseAlarm] = []
    predicted = 0
    for document in gold.documents:
        doc_predictions = predictions.by_doc.get(document.id, ())
        predicted += len(doc_predictions)
        for track in TRACKS:
            golds = [g for g in document.events if g.track == track]
            preds = [p for p in doc_predictions if p.track == track]
            pairs = [
                (cost, i, j)
                for i, g in enumerate(golds)
                for j, p in enumerate(preds)
                if (cost := pair_cost(g, p, track)) is not None
            ]
            matched = match(pairs, [not g.optional for g in golds])
            paired_gold = {i for i, _ in matched}
            paired_pred = {j for _, j in matched}
            required = [i for i, g in enumerate(golds) if not g.optional]
            tp = sum(1 for i in required if i in paired_gold)
            fn = [golds[i] for i in required if i not in paired_gold]
            fp = [p for j, p in enumerate(preds) if j not in paired_pred]
            counts[track] += TrackScore(tp, len(fp), len(fn))
            misses += [Miss(gold.source, document.id, track, g) for g in fn]
            false_alarms += [FalseAlarm(gold.source, document.id, track, p) for p in fp]
            if track == "material":
                for i, j in matched:
                    if not golds[i].optional:
                        _score_fields(golds[i], preds[j], canon, tally)
    return Report(
        gold=gold.source,
        matching=matching,
        documents=len(gold.documents),
        predicted_events=predicted,
        unparsable_lines=predictions.unparsable_lines,
        tracks=counts,
        fields=tally,
        misses=tuple(misses),
        false_alarms=tuple(false_alarms),
        seconds=predictions.seconds,
    )


def evaluate(
    gold: GoldSet, predictions: PredictionSet, canon: ActorCanon | None = None
) -> Evaluation:
    """Score under both matchings; FormatError for gold actor codes `canon` cannot produce."""
    canon = canon or ActorCanon.default()
    check_actor_codes(gold, canon)
    return Evaluation(
        gold=gold.source,
        greedy=score(gold, predictions, matching="greedy", canon=canon),
        optimal=score(gold, predictions, matching="optimal", canon=canon),
    )


def evaluate_files(
    paths: Sequence[str | Path],
    *,
    predictions: str | Path | None = None,
    pipeline: Pipeline | None = None,
    actors: str | Path | None = None,
) -> list[Evaluation]:
    """Each gold file scored against a predictions file, or else a pipeline's run (default
    pipeline unless given); `actors` is a YAML actor table (see ActorCanon.load)."""
    canon = ActorCanon.load(actors) if actors is not None else ActorCanon.default()
    golds = [load_gold(path) for path in paths]
    saved = read_predictions(predictions) if predictions is not None else None
    return [
        evaluate(gold, saved if saved is not None else predict(gold, pipeline), canon)
        for gold in golds
    ]


def combine(evaluations: Sequence[Evaluation], name: str = "total") -> Evaluation:
    """Several gold sets' scores added up (precision, recall and F1 over the sums)."""

    def add(reports: Sequence[Report], matching: Matching) -> Report:
        tracks = {t: sum((r.tracks[t] for r in reports), TrackScore()) for t in TRACKS}
        fields: dict[str, FieldScore] = {}
        for r in reports:
            for key, value in r.fields.items():
                fields[key] = fields.get(key, FieldScore()) + value
        seconds = [r.seconds for r in reports if r.seconds is not None]
        return Report(
            gold=name,
            matching=matching,
            documents=sum(r.documents for r in reports),
            predicted_events=sum(r.predicted_events for r in reports),
            # the gold sets of one run share one predictions file (or none)
            unparsable_lines=max((r.unparsable_lines for r in reports), default=0),
            tracks=tracks,
            fields=fields,
            misses=tuple(m for r in reports for m in r.misses),
            false_alarms=tuple(f for r in reports for f in r.false_alarms),
            seconds=sum(seconds) if seconds else None,
        )

    return Evaluation(
        gold=name,
        greedy=add([e.greedy for e in evaluations], "greedy"),
        optimal=add([e.optimal for e in evaluations], "optimal"),
    )
