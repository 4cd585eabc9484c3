"""Recall and precision of the extractor against hand-written answers.

A candidate matches an answer when value, unit (normalised) and before agree and the
candidate's sentence contains the answer's fragment; each answer and each candidate is
matched at most once. Subject similarity is reported apart (it never decides a match).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from oversight.figures.extract import Figure, extract, normalise_unit

HERE = Path(__file__).parent
SEEDS = ("000_0d5cac026b1b12cf", "001_b25ff8d1cfd8b8c9")


@dataclass
class Score:
    answers: int
    candidates: int
    matched: int
    subject_similarity: float
    missed: list[dict[str, Any]]
    extra: list[Figure]

    @property
    def recall(self) -> float:
        return self.matched / self.answers if self.answers else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.candidates if self.candidates else 1.0


def _same(a: Decimal | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - b) < 1e-9


def score(figures: list[Figure], answers: list[dict[str, Any]]) -> Score:
    unused = list(range(len(figures)))
    matched = 0
    similarities: list[float] = []
    missed = []
    for answer in answers:
        hit = next(
            (
                i
                for i in unused
                if _same(figures[i].value, answer["value"])
                and normalise_unit(figures[i].unit) == normalise_unit(answer["unit"])
                and _same(figures[i].before, answer["before"])
                and answer["fragment"] in figures[i].sentence
            ),
            None,
        )
        if hit is None:
            missed.append(answer)
            continue
        unused.remove(hit)
        matched += 1
        similarities.append(SequenceMatcher(None, figures[hit].subject, answer["subject"]).ratio())
    return Score(
        answers=len(answers),
        candidates=len(figures),
        matched=matched,
        subject_similarity=sum(similarities) / len(similarities) if similarities else 0.0,
        missed=missed,
        extra=[figures[i] for i in unused],
    )


def score_seed(stem: str) -> Score:
    text = (HERE / "seeds" / f"{stem}.txt").read_text(encoding="utf-8")
    answers = json.loads((HERE / "answers" / f"{stem}.json").read_text(encoding="utf-8"))
    return score(extract(text), answers)
