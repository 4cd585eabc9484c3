"""Completion rates (办结率), always computed from the problems, never stored.

A rate is completed problems over problems in the group. For a whole campaign the group is
every consolidated problem (an unassigned problem is not done); for a level, department or
congress it is the problems assigned there.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from oversight.campaigns.models import Campaign
from oversight.organisations.models import Kind as OrganisationKind
from oversight.regions.models import Level

from .models import Kind, ProblemQuerySet, Status, overdue_q

COMPLETED = Q(status=Status.COMPLETED)


@dataclass(frozen=True)
class Rate:
    problems: int
    completed: int
    overdue: int = 0

    @property
    def ratio(self) -> Decimal | None:
        """Exact, so that rounding is 四舍五入 (half up) and not binary floats' half-even."""
        return Decimal(self.completed) / Decimal(self.problems) if self.problems else None

    def rounded(self, places: int) -> Decimal | None:
        ratio = self.ratio
        return None if ratio is None else ratio.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)

    @property
    def percent(self) -> str:
        """As shown on pages: one decimal, e.g. 79.3%."""
        share = self.rounded(3)
        return "—" if share is None else f"{share * 100:.1f}%"

    @property
    def open(self) -> int:
        return self.problems - self.completed

    def as_dict(self) -> dict[str, Any]:
        share = self.rounded(3)
        return {
            "problems": self.problems,
            "completed": self.completed,
            "completion_rate": None if share is None else float(share),
        }


@dataclass(frozen=True)
class GroupRate:
    key: str
    label: str
    rate: Rate

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "name": self.label, **self.rate.as_dict()}


def _counts(today: datetime.date) -> dict[str, Any]:
    return {
        "total": Count("pk"),
        "done": Count("pk", filter=COMPLETED),
        "late": Count("pk", filter=overdue_q(today)),
    }


def _grouped(
    problems: ProblemQuerySet, key: str, label: str, today: datetime.date
) -> list[GroupRate]:
    rows = problems.values(key, label).annotate(**_counts(today)).order_by(label)
    return [
        GroupRate(str(row[key]), str(row[label]), Rate(row["total"], row["done"], row["late"]))
        for row in rows
        if row[key] is not None
    ]


@dataclass(frozen=True)
class CampaignFigures:
    overall: Rate
    by_status: dict[str, int]
    by_level: dict[str, Rate]
    by_kind: dict[str, Rate]
    by_department: list[GroupRate]
    by_congress: list[GroupRate]

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.overall.as_dict(),
            "overdue": self.overall.overdue,
            "by_status": self.by_status,
            "by_level": {level: rate.as_dict() for level, rate in self.by_level.items()},
            "by_kind": {kind: rate.as_dict() for kind, rate in self.by_kind.items()},
            "by_department": {g.label: g.rate.as_dict() for g in self.by_department},
            "by_congress": {g.label: g.rate.as_dict() for g in self.by_congress},
        }


def campaign_figures(
    campaign: Campaign, problems: ProblemQuerySet | None = None, today: datetime.date | None = None
) -> CampaignFigures:
    """The campaign's figures over ``problems`` (by default all of them), in six queries."""
    today = today or timezone.localdate()
    if problems is None:
        problems = campaign.problems.all()
    assert problems is not None
    problems = problems.filter(campaign=campaign)
    overall = problems.aggregate(**_counts(today))
    by_status = {status: 0 for status in Status.values}
    for row in problems.values("status").annotate(n=Count("pk")).order_by():
        by_status[row["status"]] = row["n"]
    level_key = "assignment__assignee__region__level"
    by_level = {
        g.key: g.rate
        for g in _grouped(problems, level_key, level_key, today)
        if g.key in Level.values
    }
    by_kind = {g.key: g.rate for g in _grouped(problems, "kind", "kind", today)}
    assignee = "assignment__assignee"
    return CampaignFigures(
        overall=Rate(overall["total"], overall["done"], overall["late"]),
        by_status=by_status,
        by_level=by_level,
        by_kind={kind: by_kind[kind] for kind in Kind.values if kind in by_kind},
        by_department=_grouped(
            problems.filter(**{f"{assignee}__kind": OrganisationKind.DEPARTMENT}),
            assignee,
            f"{assignee}__name",
            today,
        ),
        by_congress=_grouped(
            problems.filter(**{f"{assignee}__kind": OrganisationKind.CONGRESS}),
            assignee,
            f"{assignee}__name",
            today,
        ),
    )
