"""Score extracted events against annotated gold, as `../shared/eval/score.py` does.

    gold = load_gold("tests/data/corpus/sudan.yaml")
    result = evaluate(gold, predict(gold))            # the default pipeline
    result.greedy.tracks["material"].f1               # score.py's number
    result.optimal.tracks["material"].f1              # with the matching flaw fixed

Gold files have the format of `../shared/eval/dev.yaml`: a mapping with `documents`, each
with `id`, `text`, `published`, optional `title`, `source`, `url`, `language`, and `events`.
A gold event's fields are those of `GoldEvent`; a list means any of its values is accepted,
a field left out is not scored, and `optional: true` marks an event that is neither required
nor a false alarm when predicted.

Tracks (the same as score.py's):

- material: gold events with an ACLED `event_type` (or with neither an event type nor a
  PLOVER type) whose modality is asserted; predictions with an `event_type`, asserted.
- diplomatic: CONSULT and AGREE; a prediction counts when asserted or planned, and matches
  only a gold event of the same PLOVER type and modality.
- threats: THREATEN gold events; predictions that are THREATEN or `threatened`.

A gold event and a prediction can be paired when the type fits (material: the prediction's
`event_type` is one of the gold's), the dates lie within the gold's time precision (1, 7 or
31 days; no constraint without a gold date) and, outside the threats track, where the gold
has coordinates, the predicted point lies within `geo_tolerance_km` (25 km unless the gold
says otherwise; a material prediction without coordinates cannot pair, a diplomatic one
can). A pair costs its distance in days plus a tenth of its distance in km.

Two matchings of those pairs are reported:

- greedy: score.py's: cheapest pairs first. Its flaw: an optional gold event without
  coordinates pairs at the cost of its date alone, so it can take the prediction a nearby
  required gold event needed, turning a true positive into a miss.
- optimal: an assignment that pairs as many required gold events as possible, then as many
  events as possible (a prediction paired with optional gold is not a false alarm), then
  the cheapest.

On matched required material pairs the fields are scored: sub-type, exact date, place within
5 km, country, actor1 and actor2 (predicted names mapped to codes by an `ActorCanon`), deaths
and the presence of evidence.

Deliberate differences from score.py, all on input score.py would crash on or read
wrongly: a broken gold file is an error naming its file and line (unknown fields, values
outside ACLED or PLOVER, latitude without longitude, duplicate ids, actor codes the
canonicaliser cannot produce); predicted coordinates that are not finite numbers count as
missing; `predicted_events` counts the predictions for the gold file's documents.
"""

from truce.extract.evaluation.gold import (
    DEFAULT_ACTOR_PATTERNS,
    TRACKS,
    ActorCanon,
    GoldDocument,
    GoldEvent,
    GoldSet,
    Track,
    check_actor_codes,
    load_gold,
)
from truce.extract.evaluation.matching import (
    DATE_TOLERANCE_DAYS,
    MATCHINGS,
    Matching,
    Prediction,
    PredictionSet,
    greedy_matching,
    km,
    optimal_matching,
    pair_cost,
    predict,
    read_predictions,
)
from truce.extract.evaluation.scoring import (
    Evaluation,
    FalseAlarm,
    FieldScore,
    Miss,
    Report,
    TrackScore,
    combine,
    evaluate,
    evaluate_files,
    score,
)

__all__ = [
    "DATE_TOLERANCE_DAYS",
    "DEFAULT_ACTOR_PATTERNS",
    "MATCHINGS",
    "TRACKS",
    "ActorCanon",
    "Evaluation",
    "FalseAlarm",
    "FieldScore",
    "GoldDocument",
    "GoldEvent",
    "GoldSet",
    "Matching",
    "Miss",
    "Prediction",
    "PredictionSet",
    "Report",
    "Track",
    "TrackScore",
    "check_actor_codes",
    "combine",
    "evaluate",
    "evaluate_files",
    "greedy_matching",
    "km",
    "load_gold",
    "optimal_matching",
    "pair_cost",
    "predict",
    "read_predictions",
    "score",
]
