"""Pairwise precision/recall/F1 of proposed groups against labelled ones, the labelled sets,
and the baseline the engine has to beat (TF-IDF over character n-grams, cosine, single link)."""

from __future__ import annotations

import csv
import itertools
import json
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import TfidfVectorizer

from oversight.merging.engine import Gazetteer, Report, build_gazetteer, region_key

SRC = Path(__file__).resolve().parents[2] / "src" / "oversight"
TUNING_FILES = [SRC / "demo" / "data" / f"{name}.toml" for name in ("zhumadian-2024", "hebi-2024")]
HELDOUT_FILE = Path(__file__).parent / "data" / "heldout.jsonl"
# Development sets written to tune on (see data/dev.md); same format as the held-out set.
DEV_FILES = {
    name: Path(__file__).parent / "data" / f"{name}.jsonl"
    for name in ("dev", *(f"dev{number}" for number in range(2, 17)))
}


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float

    def __str__(self) -> str:
        return f"P={self.precision:.3f} R={self.recall:.3f} F1={self.f1:.3f}"


def _pairs(groups: Iterable[Sequence[str]]) -> set[frozenset[str]]:
    return {frozenset(pair) for group in groups for pair in itertools.combinations(group, 2)}


def pairwise_scores(proposed: Iterable[Sequence[str]], truth: dict[str, str]) -> Scores:
    """Over all pairs of reports: a proposed pair is right when both carry one label."""
    labelled: dict[str, list[str]] = {}
    for report_id, label in truth.items():
        labelled.setdefault(label, []).append(report_id)
    true_pairs = _pairs(labelled.values())
    found = _pairs(proposed)
    hits = len(found & true_pairs)
    precision = hits / len(found) if found else 0.0
    recall = hits / len(true_pairs) if true_pairs else 0.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return Scores(precision, recall, f1)


def henan_gazetteer() -> Gazetteer:
    with (SRC / "regions" / "data" / "henan.csv").open(encoding="utf-8") as handle:
        rows = [(row["code"], row["name"], row["parent"]) for row in csv.DictReader(handle)]
    return build_gazetteer(rows)


def tuning_set() -> tuple[list[Report], dict[str, str]]:
    """The demo campaigns' raw reports, each labelled with the problem staff merged it into."""
    reports: list[Report] = []
    truth: dict[str, str] = {}
    for path in TUNING_FILES:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        for number, problem in enumerate(data["problems"], 1):
            for index, raw in enumerate(problem["raw"], 1):
                report_id = f"{path.stem}/{number}/{index}"
                reports.append(Report(report_id, raw["text"], problem["region"], raw["channel"]))
                truth[report_id] = f"{path.stem}/{number}"
    return reports, truth


def heldout_set(path: Path = HELDOUT_FILE) -> tuple[list[Report], dict[str, str]]:
    """The held-out set (or a development set in its format): names of regions are resolved
    like the dedupe command does."""
    gazetteer = henan_gazetteer()
    reports: list[Report] = []
    truth: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        key = region_key(str(row.get("region") or ""), gazetteer)
        reports.append(Report(str(row["id"]), row["text"], key, str(row.get("channel") or "")))
        truth[str(row["id"])] = str(row["group"])
    return reports, truth


def baseline_groups(reports: Sequence[Report], threshold: float) -> list[list[str]]:
    """Character 1–3-gram TF-IDF, cosine ≥ threshold, connected components; no region rule."""
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
    matrix = vectorizer.fit_transform([r.text for r in reports])
    similar = (matrix @ matrix.T) >= threshold
    _, labels = connected_components(similar, directed=False)
    groups: dict[int, list[str]] = {}
    for report, label in zip(reports, labels, strict=True):
        groups.setdefault(int(label), []).append(report.id)
    return [group for group in groups.values() if len(group) > 1]


def best_baseline(reports: Sequence[Report], truth: dict[str, str]) -> tuple[float, Scores]:
    """The baseline at its best threshold for this very set (generous to the baseline)."""
    results = [
        (float(t), pairwise_scores(baseline_groups(reports, float(t)), truth))
        for t in np.arange(0.10, 0.91, 0.02)
    ]
    return max(results, key=lambda item: item[1].f1)
