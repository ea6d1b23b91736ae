"""How well linking matches a gold grouping: pairwise precision and recall, as the issue's
figures are stated.

Every pair of events is a decision: linked (same incident) or not. A pair is a true positive
when gold and prediction both link it; events whose gold label is None belong to no gold
incident (background, an extraction of something else), so every pair they are linked into
is a false positive and they never count towards recall.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass

from truce.core.errors import InputError


@dataclass(frozen=True)
class PairwiseScore:
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        linked = self.true_positives + self.false_positives
        return self.true_positives / linked if linked else 1.0

    @property
    def recall(self) -> float:
        gold = self.true_positives + self.false_negatives
        return self.true_positives / gold if gold else 1.0

    def describe(self) -> str:
        return (
            f"pairwise precision {self.precision:.3f}, recall {self.recall:.3f} "
            f"(tp {self.true_positives}, fp {self.false_positives}, "
            f"fn {self.false_negatives})"
        )


def pairwise_scores(
    gold: Mapping[int, Hashable | None], predicted: Mapping[int, Hashable]
) -> PairwiseScore:
    """Score `predicted` (event id -> cluster) against `gold` (event id -> incident or None).

    Counted from group sizes, not pair by pair, so large sets score in linear time.
    """
    if set(gold) != set(predicted):
        missing = sorted(set(gold) ^ set(predicted))[:5]
        raise InputError(f"gold and predicted cover different events, e.g. {missing}")
    gold_sizes = Counter(label for label in gold.values() if label is not None)
    predicted_sizes = Counter(predicted.values())
    both = Counter((label, predicted[event]) for event, label in gold.items() if label is not None)
    true_positives = sum(_pairs(n) for n in both.values())
    return PairwiseScore(
        true_positives=true_positives,
        false_positives=sum(_pairs(n) for n in predicted_sizes.values()) - true_positives,
        false_negatives=sum(_pairs(n) for n in gold_sizes.values()) - true_positives,
    )


def _pairs(n: int) -> int:
    return n * (n - 1) // 2
