"""Pairwise precision/recall/F1 of the merger at its default threshold, against the labelled
tuning set (the demo campaigns' raw reports), the development sets written to tune on
(tests/merging/data/dev*.jsonl, see dev.md) and the held-out set (tests/merging/data/
heldout.jsonl, written apart and never tuned on), beside the baseline (character n-gram
TF-IDF with cosine similarity and single link, at its best threshold for each set).

Measured at the default threshold 0.15 (concept layer, places below the county; see
engine.py and places.py):
  tuning   262 reports, 69 groups: P=0.672 R=0.633 F1=0.652; baseline F1=0.136
  dev      155 reports, 40 groups + 20 singletons: P=0.976 R=0.988 F1=0.982; baseline F1=0.269
  dev2     114 reports, 35 groups + 12 singletons: P=0.810 R=0.922 F1=0.862; baseline F1=0.277
  dev3      88 reports, 26 groups + 10 singletons: P=1.000 R=0.963 F1=0.981; baseline F1=0.339
  dev4     320 reports, 70 groups + 45 singletons: P=0.957 R=0.929 F1=0.943; baseline F1=0.309
  dev5     333 reports, 78 groups + 43 singletons: P=0.998 R=0.973 F1=0.985; baseline F1=0.312
  dev6     336 reports, 73 groups + 46 singletons: P=0.931 R=0.972 F1=0.951; baseline F1=0.263
  dev7     318 reports, 70 groups + 45 singletons: P=0.940 R=0.964 F1=0.952; baseline F1=0.410
  dev8     316 reports, 70 groups + 49 singletons: P=0.963 R=0.924 F1=0.943; baseline F1=0.280
  dev9     325 reports, 70 groups + 45 singletons: P=0.895 R=0.935 F1=0.915; baseline F1=0.288
  dev10    318 reports, 70 groups + 50 singletons: P=0.946 R=0.943 F1=0.945; baseline F1=0.332
  dev11    319 reports, 70 groups + 49 singletons: P=0.973 R=0.901 F1=0.935; baseline F1=0.200
  dev12    317 reports, 70 groups + 50 singletons: P=0.943 R=0.827 F1=0.881; baseline F1=0.242
  dev13    334 reports, 75 groups + 45 singletons: P=0.782 R=0.860 F1=0.819; baseline F1=0.151
  dev14    330 reports, 75 groups + 45 singletons: P=0.886 R=0.902 F1=0.894; baseline F1=0.145
  dev15    338 reports, 75 groups + 45 singletons: P=0.910 R=0.918 F1=0.914; baseline F1=0.179
  dev16    334 reports, 75 groups + 45 singletons: P=0.812 R=0.898 F1=0.853; baseline F1=0.192
  held-out 418 reports, 85 groups + 47 singletons: P=0.854 R=0.768 F1=0.809; baseline F1=0.173
The development sets' vocabulary was filled in while looking at their errors: their figures
overstate what to expect on new text. dev4 to dev16 were written blind (by someone who saw
neither the code nor any other set) and scored before any of their errors was read: those
first looks (data/dev.md) are the estimate for new text. The errors of dev12 and dev16 were
never read (dev16 was written during the last round: 0.857 after it, 0.853 after its review).
The held-out set has never been looked into; its figure is the other honest one (0.744 before
dev4 and dev5, 0.830 after them, 0.809 after dev6 to dev11, 0.809 after dev13 to dev15).
The floors below sit a little under those figures: a change that loses quality fails here.
"""

from __future__ import annotations

import pytest

from oversight.merging import engine

from .evaluation import (
    DEV_FILES,
    HELDOUT_FILE,
    best_baseline,
    heldout_set,
    henan_gazetteer,
    pairwise_scores,
    tuning_set,
)

FLOORS = {
    "tuning": 0.63,
    "dev": 0.95,
    "dev2": 0.83,
    "dev3": 0.96,
    "dev4": 0.92,
    "dev5": 0.97,
    "dev6": 0.92,
    "dev7": 0.92,
    "dev8": 0.93,
    "dev9": 0.89,
    "dev10": 0.92,
    "dev11": 0.90,
    "dev12": 0.86,
    "dev13": 0.80,
    "dev14": 0.88,
    "dev15": 0.88,
    "dev16": 0.83,
    "heldout": 0.80,
}


@pytest.mark.parametrize("name", list(FLOORS))
def test_pairwise_f1_stays_above_its_floor_and_beats_the_baseline(name: str) -> None:
    if name == "heldout":
        assert HELDOUT_FILE.exists(), f"{HELDOUT_FILE} is missing"
        reports, truth = heldout_set()
    elif name in DEV_FILES:
        reports, truth = heldout_set(DEV_FILES[name])
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
