"""The figures a bulletin or a notice reports, gathered from the apps that compute them
(``problems.stats``, ``evaluations.results``, ``indicators.compliance``, meetings): nothing
here recomputes a rate. The few counts no other app offers (reports by channel, problems by
rectification type, the week's events) are plain grouped counts."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Min
from django.utils import timezone

from oversight.campaigns.models import Campaign
from oversight.evaluations.models import EvaluationSession
from oversight.evaluations.results import DepartmentResult, session_results
from oversight.indicators.compliance import Cell, evaluate
from oversight.indicators.models import IndicatorValue
from oversight.meetings.models import Meeting
from oversight.organisations.models import Kind as OrganisationKind
from oversight.problems.models import (
    Channel,
    EventKind,
    Problem,
    ProblemEvent,
    RawReport,
    RectificationType,
    overdue_q,
)
from oversight.problems.models import Kind as ProblemKind
from oversight.problems.stats import (
    OWN,
    CampaignFigures,
    GroupRate,
    Rate,
    campaign_figures,
    children_figures,
    from_parent,
)
from oversight.regions.models import Level

SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Tally:
    label: str
    count: int


@dataclass(frozen=True)
class EvaluationSummary:
    title: str
    held_on: datetime.date
    results: list[DepartmentResult]

    @property
    def verdicts(self) -> list[Tally]:
        counts: dict[str, int] = {}
        for result in self.results:
            if result.verdict is not None:
                label = str(result.verdict.label)
                counts[label] = counts.get(label, 0) + 1
        return [Tally(label, count) for label, count in counts.items()]

    @property
    def lowest_percent(self) -> str:
        rated = [r for r in self.results if r.rate is not None]
        return min(rated, key=lambda r: r.rate or 0).percent if rated else "—"


@dataclass
class BulletinFigures:
    campaign: Campaign
    figures: CampaignFigures
    upper: Rate
    reports_by_channel: list[Tally]
    reports: int
    departments: list[GroupRate]
    congresses: list[GroupRate]
    city: Rate | None
    county: Rate | None
    city_by_type: list[Tally]
    meetings: list[Tally]
    evaluations: list[EvaluationSummary]
    indicators: list[Cell]
    children_below: int = 0
    by_kind: list[Tally] = field(default_factory=list)

    @property
    def meetings_held(self) -> int:
        return sum(item.count for item in self.meetings)

    @property
    def indicators_met(self) -> list[Cell]:
        return [cell for cell in self.indicators if cell.complies]

    @property
    def indicators_unmet(self) -> list[Cell]:
        return [cell for cell in self.indicators if cell.complies is False]


def _channel_counts(campaign: Campaign) -> list[Tally]:
    rows = dict(
        RawReport.objects.filter(campaign=campaign)
        .values_list("channel")
        .annotate(total=Count("pk"))
        .order_by()
    )
    return [Tally(str(label), rows[value]) for value, label in Channel.choices if rows.get(value)]


def _city_by_type(campaign: Campaign) -> list[Tally]:
    """The city departments' problems by rectification type (立行立改 / 持续整改 / 涉及顶层设计)."""
    rows = dict(
        Problem.objects.filter(
            OWN,
            campaign=campaign,
            assignment__assignee__kind=OrganisationKind.DEPARTMENT,
            assignment__assignee__region=campaign.region,
        )
        .exclude(rectification_type="")
        .values_list("rectification_type")
        .annotate(total=Count("pk"))
        .order_by()
    )
    return [
        Tally(str(label), rows[value])
        for value, label in RectificationType.choices
        if rows.get(value)
    ]


def _meetings(campaign: Campaign) -> list[Tally]:
    rows = (
        Meeting.objects.filter(campaign=campaign)
        .values("kind__name")
        .annotate(total=Count("pk"), first=Min("held_on"))
        .order_by("first")
    )
    return [Tally(row["kind__name"], row["total"]) for row in rows]


def _evaluations(campaign: Campaign) -> list[EvaluationSummary]:
    closed = EvaluationSession.objects.filter(campaign=campaign, closed_at__isnull=False)
    return [
        EvaluationSummary(session.title, session.held_on, session_results(session))
        for session in closed.order_by("held_on", "pk")
    ]


def _indicators(campaign: Campaign) -> list[Cell]:
    evaluation = evaluate(campaign.topic, [campaign.region], values=IndicatorValue.objects.all())
    return [cell for cell in evaluation.row(campaign.region) if cell.complies is not None]


def bulletin_figures(campaign: Campaign, today: datetime.date | None = None) -> BulletinFigures:
    figures = campaign_figures(campaign, today=today)
    channels = _channel_counts(campaign)
    return BulletinFigures(
        campaign=campaign,
        figures=figures,
        upper=from_parent(campaign),
        reports_by_channel=channels,
        reports=sum(item.count for item in channels),
        departments=figures.by_department,
        congresses=figures.by_congress,
        city=figures.by_level.get(Level.CITY),
        county=figures.by_level.get(Level.COUNTY),
        city_by_type=_city_by_type(campaign),
        meetings=_meetings(campaign),
        evaluations=_evaluations(campaign),
        indicators=_indicators(campaign),
        children_below=len(children_figures(Campaign.objects.all(), campaign, today=today)),
        by_kind=[
            Tally(str(ProblemKind(kind).label), rate.problems)
            for kind, rate in figures.by_kind.items()
        ],
    )


# --- the weekly notice ----------------------------------------------------------------------


def latest_week_ending(today: datetime.date | None = None) -> datetime.date:
    """The Sunday that ends the latest week (today, if today is a Sunday)."""
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=(today.weekday() + 1) % 7)


def _end_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(), SHANGHAI)


@dataclass(frozen=True)
class ProblemLine:
    code: str
    title: str
    organisation: str
    deadline: datetime.date | None


@dataclass(frozen=True)
class DepartmentOverdue:
    organisation: str
    problems: list[ProblemLine]


@dataclass
class NoticeFigures:
    campaign: Campaign
    week_ending: datetime.date
    since: datetime.date  # the changes are those after this day, up to ``week_ending``
    previous_number: int | None
    figures: CampaignFigures
    ranking: list[GroupRate]
    completed: list[ProblemLine]
    assigned: list[ProblemLine]
    newly_overdue: list[ProblemLine]
    overdue_by_department: list[DepartmentOverdue]
    overdue_ids: list[int]
    previous_completed: int | None

    @property
    def overdue_count(self) -> int:
        return len(self.overdue_ids)

    @property
    def week_starting(self) -> datetime.date:
        return self.week_ending - datetime.timedelta(days=6)

    @property
    def completed_change(self) -> int | None:
        if self.previous_completed is None:
            return None
        return self.figures.overall.completed - self.previous_completed

    def snapshot(self) -> dict[str, Any]:
        """What the next notice compares itself with."""
        return {
            "week_ending": self.week_ending.isoformat(),
            "figures": self.figures.as_dict(),
            "overdue_ids": self.overdue_ids,
        }


def _lines(problems: Any) -> list[ProblemLine]:
    return [
        ProblemLine(
            problem.code,
            problem.title,
            problem.assignment.assignee.name,
            problem.assignment.deadline,
        )
        for problem in problems.select_related("assignment__assignee").order_by("number")
    ]


def _with_event(campaign: Campaign, kind: str, after: datetime.date, upto: datetime.date) -> Any:
    events = ProblemEvent.objects.filter(
        kind=kind, created_at__gte=_end_of(after), created_at__lt=_end_of(upto)
    )
    return Problem.objects.filter(OWN, campaign=campaign, pk__in=events.values("problem_id"))


def notice_figures(
    campaign: Campaign, week_ending: datetime.date, previous: Any | None = None
) -> NoticeFigures:
    """The week's notice: the campaign's figures as the stats compute them (overdue as at the
    end of the week), departments ranked by completion rate, overdue problems by department,
    and what changed since ``previous`` (the last issued notice before this week, whose
    snapshot holds its figures), or within the week when there is none."""
    reference_day = week_ending + datetime.timedelta(days=1)
    figures = campaign_figures(campaign, today=reference_day)
    since = previous.week_ending if previous is not None else week_ending - datetime.timedelta(7)
    previous_snapshot = previous.snapshot if previous is not None else {}
    overdue = (
        Problem.objects.filter(OWN, overdue_q(reference_day), campaign=campaign)
        .select_related("assignment__assignee")
        .order_by("assignment__assignee__name", "number")
    )
    overdue_lines = _lines(overdue)
    overdue_ids = [problem.pk for problem in overdue]
    if previous is not None:
        known = set(previous_snapshot.get("overdue_ids", []))
        newly = overdue.exclude(pk__in=known)
    else:
        newly = overdue.filter(assignment__deadline__gt=since)
    by_department: dict[str, list[ProblemLine]] = {}
    for line in overdue_lines:
        by_department.setdefault(line.organisation, []).append(line)
    ranking = sorted(
        figures.by_department + figures.by_congress,
        key=lambda group: (-(group.rate.ratio or 0), -group.rate.problems, group.label),
    )
    previous_figures = previous_snapshot.get("figures")
    return NoticeFigures(
        campaign=campaign,
        week_ending=week_ending,
        since=since,
        previous_number=previous.number if previous is not None else None,
        figures=figures,
        ranking=ranking,
        completed=_lines(_with_event(campaign, EventKind.ACCEPTED, since, week_ending)),
        assigned=_lines(_with_event(campaign, EventKind.ASSIGNED, since, week_ending)),
        newly_overdue=_lines(newly),
        overdue_by_department=[
            DepartmentOverdue(name, lines) for name, lines in by_department.items()
        ],
        overdue_ids=overdue_ids,
        previous_completed=previous_figures["completed"] if previous_figures else None,
    )
