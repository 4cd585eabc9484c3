"""Counts, satisfaction rate and verdict per department: computed from the ballots, never
stored, and only for a closed session (while open, only how many have voted)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q

from .models import Ballot, Choice, EvaluationSession, Participation, percent


@dataclass(frozen=True)
class CountingRule:
    """Which choices count towards the rate, and the rate each verdict needs."""

    counted: frozenset[str]
    satisfied_threshold: Decimal
    basic_threshold: Decimal

    @classmethod
    def of(cls, session: EvaluationSession) -> CountingRule:
        return cls(
            frozenset(session.counted_choices),
            Decimal(session.satisfied_threshold),
            Decimal(session.basic_threshold),
        )

    def verdict(self, ratio: Decimal) -> Choice:
        """Compared exactly, unrounded: 47/60 is below 80% even if shown as 78.3%."""
        if ratio >= self.satisfied_threshold:
            return Choice.SATISFIED
        if ratio >= self.basic_threshold:
            return Choice.BASICALLY_SATISFIED
        return Choice.UNSATISFIED


@dataclass(frozen=True)
class DepartmentResult:
    organisation: str
    satisfied: int
    basically_satisfied: int
    unsatisfied: int
    rule: CountingRule

    @property
    def ballots(self) -> int:
        return self.satisfied + self.basically_satisfied + self.unsatisfied

    @property
    def counted(self) -> int:
        counts = {
            Choice.SATISFIED: self.satisfied,
            Choice.BASICALLY_SATISFIED: self.basically_satisfied,
            Choice.UNSATISFIED: self.unsatisfied,
        }
        return sum(count for choice, count in counts.items() if choice in self.rule.counted)

    @property
    def ratio(self) -> Decimal | None:
        """Exact, so that rounding is 四舍五入 (half up), not binary floats' half-even."""
        return Decimal(self.counted) / Decimal(self.ballots) if self.ballots else None

    @property
    def rate(self) -> Decimal | None:
        """The rate as published: a fraction rounded to three places (0.862 for 86.2%)."""
        ratio = self.ratio
        return None if ratio is None else ratio.quantize(Decimal("0.001"), ROUND_HALF_UP)

    @property
    def percent(self) -> str:
        rate = self.rate
        return "—" if rate is None else percent(rate)

    @property
    def verdict(self) -> Choice | None:
        ratio = self.ratio
        return None if ratio is None else self.rule.verdict(ratio)

    def as_dict(self) -> dict[str, Any]:
        rate = self.rate
        verdict = self.verdict
        return {
            "organisation": self.organisation,
            "ballots": self.ballots,
            "satisfied": self.satisfied,
            "basically_satisfied": self.basically_satisfied,
            "unsatisfied": self.unsatisfied,
            "satisfaction_rate": None if rate is None else float(rate),
            "verdict": "" if verdict is None else verdict.value,
        }


@dataclass(frozen=True)
class Turnout:
    """What may be shown while a session is open: how many, never what."""

    ballots: int
    voted: int
    roll: int


def turnout(session: EvaluationSession) -> Turnout:
    return Turnout(
        ballots=Ballot.objects.filter(session=session).count(),
        voted=Participation.objects.filter(session=session).values("voter").distinct().count(),
        roll=session.voters.count(),
    )


def ballots_by_department(session: EvaluationSession) -> dict[int, int]:
    """Per department id: how many ballots, whatever they say (shown while open)."""
    rows = (
        Ballot.objects.filter(session=session)
        .values("department")
        .annotate(ballots=Count("pk"))
        .order_by()
    )
    return {row["department"]: row["ballots"] for row in rows}


def ballot_counts(session: EvaluationSession) -> dict[int, dict[str, int]]:
    """Per department id: how many ballots of each choice. One grouped query."""
    rows = (
        Ballot.objects.filter(session=session)
        .values("department")
        .annotate(**{choice.value: Count("pk", filter=Q(choice=choice.value)) for choice in Choice})
        .order_by()
    )
    return {row["department"]: {c.value: row[c.value] for c in Choice} for row in rows}


def session_results(session: EvaluationSession) -> list[DepartmentResult]:
    """Every department of a closed session, in the session's order of departments.
    Asking for an open session's results is a programming error: they stay hidden."""
    if session.is_open:
        raise ValueError("测评尚未结束，结果不公开。")
    rule = CountingRule.of(session)
    counts = ballot_counts(session)
    empty = dict.fromkeys(Choice.values, 0)
    results = []
    # In the order the departments were created: the topic's usual order (民政 first).
    for department in session.departments.order_by("pk"):
        row = counts.get(department.pk, empty)
        results.append(
            DepartmentResult(
                organisation=department.name,
                satisfied=row[Choice.SATISFIED],
                basically_satisfied=row[Choice.BASICALLY_SATISFIED],
                unsatisfied=row[Choice.UNSATISFIED],
                rule=rule,
            )
        )
    return results
