"""Pairwise scoring of a grouping against gold, checked against counting every pair."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from truce.core.errors import InputError
from truce.incidents.evaluation import pairwise_scores


def test_a_small_case_by_hand() -> None:
    # gold: {1, 2, 3} one incident, 4 alone, 5 background; predicted: {1, 2} {3, 4, 5}
    gold = {1: "a", 2: "a", 3: "a", 4: "b", 5: None}
    predicted = {1: 0, 2: 0, 3: 1, 4: 1, 5: 1}
    score = pairwise_scores(gold, predicted)
    assert (score.true_positives, score.false_positives, score.false_negatives) == (1, 3, 2)
    assert score.precision == pytest.approx(0.25)
    assert score.recall == pytest.approx(1 / 3)


def test_different_events_are_refused() -> None:
    with pytest.raises(InputError, match="different events"):
        pairwise_scores({1: "a"}, {2: 0})


@given(
    st.lists(
        st.tuples(st.sampled_from(["a", "b", "c", None]), st.integers(0, 3)),
        min_size=1,
        max_size=30,
    )
)
def test_counts_equal_counting_every_pair(labels: list[tuple[str | None, int]]) -> None:
    gold = {i: g for i, (g, _) in enumerate(labels)}
    predicted = {i: p for i, (_, p) in enumerate(labels)}
    tp = fp = fn = 0
    for a, b in itertools.combinations(gold, 2):
        same_gold = gold[a] is not None and gold[a] == gold[b]
        same_predicted = predicted[a] == predicted[b]
        tp += same_gold and same_predicted
        fp += same_predicted and not same_gold
        fn += same_gold and not same_predicted
    score = pairwise_scores(gold, predicted)
    assert (score.true_positives, score.false_positives, score.false_negatives) == (tp, fp, fn)
