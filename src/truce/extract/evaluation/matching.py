"""Predicted events as the scorer reads them, and the matching of predictions to gold."""

from __future__ import annotations

import datetime as dt
import json
import math
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from truce.core import FormatError, InputError
from truce.extract.evaluation.gold import GoldEvent, GoldSet, Track
from truce.extract.pipeline import Pipeline, default_pipeline

Matching = Literal["greedy", "optimal"]

#: tolerance on the date for each time precision (day, week, month), in days
DATE_TOLERANCE_DAYS = {1: 1, 2: 7, 3: 31}

# ---------------------------------------------------------------------------- predictions


def _date(value: object) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _number(value: object) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]  # whatever the JSON held
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


@dataclass(frozen=True, slots=True)
class Prediction:
    """A predicted event (a contract JSON object) as the scorer reads it, leniently."""

    doc_id: str
    event_type: str | None
    sub_event_type: object
    plover: str  # upper case; "" when none
    modality: str  # lower case; "asserted" when none
    event_date: dt.date | None
    latitude: float | None
    longitude: float | None
    country: str  # upper case; "" when none
    actor1: object
    actor2: object
    fatalities: float  # none reported is 0; a non-number never equals a count (NaN)
    has_evidence: bool
    data: Mapping[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_contract(cls, data: Mapping[str, Any]) -> Prediction:
        evidence = data.get("evidence")
        deaths = data.get("fatalities")
        return cls(
            doc_id=str(data.get("doc_id")),
            event_type=_text(data.get("event_type")) or None,
            sub_event_type=data.get("sub_event_type"),
            plover=_text(data.get("plover")).upper(),
            modality=(_text(data.get("modality")) or "asserted").lower(),
            event_date=_date(data.get("event_date")),
            latitude=_number(data.get("latitude")),
            longitude=_number(data.get("longitude")),
            country=_text(data.get("country")).upper(),
            actor1=data.get("actor1"),
            actor2=data.get("actor2"),
            fatalities=(
                float(deaths) if isinstance(deaths, int | float) else math.nan if deaths else 0.0
            ),
            has_evidence=isinstance(evidence, dict) and bool(evidence.get("text")),
            data=data,
        )

    @property
    def track(self) -> Track | None:
        if self.event_type and self.modality == "asserted":
            return "material"
        if self.plover in ("CONSULT", "AGREE") and self.modality in ("asserted", "planned"):
            return "diplomatic"
        if self.plover == "THREATEN" or self.modality == "threatened":
            return "threats"
        return None

    def summary(self) -> dict[str, Any]:
        """The fields that say what and where (for explanations)."""
        keys = ("event_type", "sub_event_type", "plover", "modality", "event_date")
        out = {key: self.data.get(key) for key in keys}
        out |= {key: self.data.get(key) for key in ("location", "latitude", "longitude")}
        evidence = self.data.get("evidence")
        if isinstance(evidence, dict):
            out["evidence"] = evidence.get("text")
        return out


@dataclass(frozen=True)
class PredictionSet:
    """Predictions by document id, with how many lines could not be read."""

    by_doc: Mapping[str, Sequence[Prediction]]
    unparsable_lines: int = 0
    seconds: float | None = None

    @classmethod
    def from_objects(
        cls, objects: Iterable[Mapping[str, Any]], *, unparsable_lines: int = 0
    ) -> PredictionSet:
        by_doc: dict[str, list[Prediction]] = {}
        for data in objects:
            prediction = Prediction.from_contract(data)
            by_doc.setdefault(prediction.doc_id, []).append(prediction)
        return cls(by_doc, unparsable_lines)


def read_predictions(path: str | Path) -> PredictionSet:
    """The events of a JSON Lines file (`truce extract`'s output); unreadable lines counted."""
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        raise InputError("no such file", source=str(path)) from None
    except OSError as error:
        raise InputError(f"cannot be read ({error.strerror})", source=str(path)) from None
    objects: list[dict[str, Any]] = []
    bad = 0
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError:
            bad += 1
            continue
        if isinstance(data, dict):
            objects.append(data)
        else:
            bad += 1
    return PredictionSet.from_objects(objects, unparsable_lines=bad)


def predict(gold: GoldSet, pipeline: Pipeline | None = None) -> PredictionSet:
    """Run a pipeline (the default one unless given) over the gold documents."""
    pipeline = pipeline or default_pipeline()
    objects: list[dict[str, Any]] = []
    start = time.perf_counter()
    for gold_document in gold.documents:
        try:
            document = gold_document.document()
        except ValidationError as error:
            raise FormatError(
                f"document {gold_document.id}: {error.errors()[0]['msg']}",
                source=gold.source,
                line=gold_document.line,
            ) from None
        objects.extend(event.to_contract() for event in pipeline(document).events)
    seconds = time.perf_counter() - start
    found = PredictionSet.from_objects(objects)
    return PredictionSet(found.by_doc, seconds=seconds)


# ---------------------------------------------------------------------------- matching


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine on a 6,371 km sphere), as score.py computes it."""
    p = math.pi / 180
    a = (
        math.sin((lat2 - lat1) * p / 2) ** 2
        + math.cos(lat1 * p) * math.cos(lat2 * p) * math.sin((lon2 - lon1) * p / 2) ** 2
    )
    return 12742 * math.asin(math.sqrt(min(1.0, a)))


def pair_cost(gold: GoldEvent, prediction: Prediction, track: Track) -> float | None:
    """What pairing the two costs (days apart + km apart / 10), or None if they cannot pair."""
    if track == "material":
        if gold.event_type and prediction.event_type not in gold.event_type:
            return None
    elif track == "diplomatic" and (
        prediction.plover != gold.plover or prediction.modality != gold.modality
    ):
        return None
    cost = 0.0
    if gold.date is not None:
        if prediction.event_date is None:
            return None
        days = abs((prediction.event_date - gold.date).days)
        if days > DATE_TOLERANCE_DAYS[gold.time_precision]:
            return None
        cost += days
    if gold.lat is not None and gold.lon is not None and track != "threats":
        if prediction.latitude is None or prediction.longitude is None:
            if track == "material":
                return None
        else:
            distance = km(gold.lat, gold.lon, prediction.latitude, prediction.longitude)
            if distance > gold.geo_tolerance_km:
                return None
            cost += distance / 10
    return cost


Pairs = list[tuple[float, int, int]]  # (cost, gold index, prediction index)


def greedy_matching(pairs: Pairs, required: Sequence[bool]) -> list[tuple[int, int]]:
    """score.py's matching: the cheapest pair first (ties: lower gold, then prediction)."""
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    out = []
    for _, i, j in sorted(pairs):
        if i not in used_gold and j not in used_pred:
            used_gold.add(i)
            used_pred.add(j)
            out.append((i, j))
    return out


def optimal_matching(pairs: Pairs, required: Sequence[bool]) -> list[tuple[int, int]]:
    """Most required gold paired, then most pairs, then least total cost (an assignment)."""
    if not pairs:
        return []
    golds = sorted({i for _, i, _ in pairs})
    preds = sorted({j for _, _, j in pairs})
    k = min(len(golds), len(preds))
    # weights that order solutions lexicographically: any extra required pair outweighs all
    # optional pairs, and any extra pair outweighs every cost
    unit = 1 + max(cost for cost, _, _ in pairs)
    w_optional = unit * (k + 1)
    w_required = w_optional * (k + 1)
    weight: dict[tuple[int, int], float] = {}
    for cost, i, j in pairs:
        weight[(i, j)] = (w_required if required[i] else w_optional) - cost
    rows, cols = (golds, preds) if len(golds) <= len(preds) else (preds, golds)
    transposed = rows is preds

    def gain(r: int, c: int) -> float:
        key = (cols[c], rows[r]) if transposed else (rows[r], cols[c])
        return weight.get(key, 0.0)

    assignment = _hungarian_max(len(rows), len(cols), gain)
    out = []
    for r, c in enumerate(assignment):
        i, j = (cols[c], rows[r]) if transposed else (rows[r], cols[c])
        if (i, j) in weight:
            out.append((i, j))
    return sorted(out)


def _hungarian_max(n: int, m: int, gain: Callable[[int, int], float]) -> list[int]:
    """The column given to each of n rows (n <= m) that maximises the total gain.

    The Hungarian method with potentials, O(n^2 m); the sizes here are a few events a
    document, so a dependency such as SciPy is not worth it.
    """
    inf = math.inf
    u = [0.0] * (n + 1)
    v = [0.0] * (m + 1)
    owner = [0] * (m + 1)  # owner[column] = row (1-based), 0: free
    way = [0] * (m + 1)
    for row in range(1, n + 1):
        owner[0] = row
        col0 = 0
        best = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[col0] = True
            r0, delta, col1 = owner[col0], inf, 0
            for col in range(1, m + 1):
                if not used[col]:
                    reduced = -gain(r0 - 1, col - 1) - u[r0] - v[col]
                    if reduced < best[col]:
                        best[col], way[col] = reduced, col0
                    if best[col] < delta:
                        delta, col1 = best[col], col
            for col in range(m + 1):
                if used[col]:
                    u[owner[col]] += delta
                    v[col] -= delta
                else:
                    best[col] -= delta
            col0 = col1
            if owner[col0] == 0:
                break
        while col0:
            col1 = way[col0]
            owner[col0] = owner[col1]
            col0 = col1
    assignment = [0] * n
    for col in range(1, m + 1):
        if owner[col]:
            assignment[owner[col] - 1] = col - 1
    return assignment


MATCHINGS: Mapping[Matching, Callable[[Pairs, Sequence[bool]], list[tuple[int, int]]]] = {
    "greedy": greedy_matching,
    "optimal": optimal_matching,
}
