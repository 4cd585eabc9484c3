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
from oversight.organisations.models import Organisation
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
    """The campaign's figures over ``problems`` (by default all of them).

    One pass over the problems, grouped by status, kind and lead organisation (a few hundred
    groups at most, whatever the number of problems); every figure is summed from those
    groups, and the organisations' names and levels come from one small query.
    """
    today = today or timezone.localdate()
    if problems is None:
        problems = campaign.problems.all()
    assert problems is not None
    groups = (
        problems.filter(campaign=campaign)
        .values("status", "kind", "assignment__assignee")
        .annotate(total=Count("pk"), late=Count("pk", filter=overdue_q(today)))
        .order_by()
    )
    overall = Tally()
    by_status = {status: 0 for status in Status.values}
    by_kind: dict[str, Tally] = {}
    by_assignee: dict[int, Tally] = {}
    for row in groups:
        tally = Tally(row["total"], row["total"] if row["status"] == Status.COMPLETED else 0)
        tally.late = row["late"]
        overall.add(tally)
        by_status[row["status"]] = by_status.get(row["status"], 0) + row["total"]
        by_kind.setdefault(row["kind"], Tally()).add(tally)
        if row["assignment__assignee"] is not None:
            by_assignee.setdefault(row["assignment__assignee"], Tally()).add(tally)

    assignees = Organisation.objects.filter(pk__in=by_assignee).select_related("region")
    by_level: dict[str, Tally] = {}
    departments: list[GroupRate] = []
    congresses: list[GroupRate] = []
    for organisation in sorted(assignees, key=lambda o: o.name):
        tally = by_assignee[organisation.pk]
        by_level.setdefault(organisation.region.level, Tally()).add(tally)
        group = GroupRate(str(organisation.pk), organisation.name, tally.rate())
        is_department = organisation.kind == OrganisationKind.DEPARTMENT
        (departments if is_department else congresses).append(group)
    return CampaignFigures(
        overall=overall.rate(),
        by_status=by_status,
        by_level={level: by_level[level].rate() for level in Level.values if level in by_level},
        by_kind={kind: by_kind[kind].rate() for kind in Kind.values if kind in by_kind},
        by_department=departments,
        by_congress=congresses,
    )


@dataclass
class Tally:
    """Counts summed over groups of problems, before they become a ``Rate``."""

    problems: int = 0
    completed: int = 0
    late: int = 0

    def add(self, other: Tally) -> None:
        self.problems += other.problems
        self.completed += other.completed
        self.late += other.late

    def rate(self) -> Rate:
        return Rate(self.problems, self.completed, self.late)
