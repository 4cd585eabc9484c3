"""Pairwise precision/recall/F1 of the merger at its default threshold, against the labelled
tuning set (the demo campaigns' raw reports) and the held-out set (tests/merging/data/
heldout.jsonl, written apart and never tuned on), beside the baseline (character n-gram
TF-IDF with cosine similarity and single link, at its best threshold for each set).

Measured when the algorithm and threshold were frozen (default 0.05):
  tuning   262 reports, 69 groups: P=0.523 R=0.390 F1=0.447; baseline F1=0.136
  held-out 418 reports, 85 groups + 47 singletons: P=0.761 R=0.715 F1=0.737; baseline F1=0.173
The floors below sit a little under those figures: a change that loses quality fails here.
"""

from __future__ import annotations

import pytest

from oversight.merging import engine

from .evaluation import (
    HELDOUT_FILE,
    best_baseline,
    heldout_set,
    henan_gazetteer,
    pairwise_scores,
    tuning_set,
)

FLOORS = {"tuning": 0.42, "heldout": 0.70}


@pytest.mark.parametrize("name", ["tuning", "heldout"])
def test_pairwise_f1_stays_above_its_floor_and_beats_the_baseline(name: str) -> None:
    if name == "heldout":
        assert HELDOUT_FILE.exists(), f"{HELDOUT_FILE} is missing"
        reports, truth = heldout_set()
    else:
        reports, truth = tuning_set()
    groups = engine.propose_groups(reports, gazetteer=henan_gazetteer())
    scores = pairwise_scores(groups, truth)
    threshold, baseline = best_baseline(reports, truth)
    print(
        f"\n{name}: {len(reports)} reports, {len(set(truth.values()))} labels; "
        f"merger {scores} at {engine.DEFAULT_THRESHOLD}; "
        f"baseline {baseline} at its best threshold {threshold:.2f}"
    )
    assert scores.f1 >= FLOORS[name]
    assert scores.f1 >= baseline.f1 + 0.25


def test_scores_count_pairs() -> None:
    truth = {"a": "1", "b": "1", "c": "1", "d": "2"}
    scores = pairwise_scores([["a", "b"], ["c", "d"]], truth)
    assert (scores.precision, scores.recall) == (0.5, 1 / 3)
