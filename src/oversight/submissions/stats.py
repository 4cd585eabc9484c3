"""What the filer of a submission may see of its handling, and the figures of livelihood
projects: computed here, never typed in."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from oversight.campaigns.models import Campaign
from oversight.problems.models import Problem, ProgressReport, Status

from .models import Kind, LivelihoodProject, ProjectProgress, PublicReporting, Submission


@dataclass(frozen=True)
class Handling:
    """Only what may be published about a submission: no names, no contact details, no
    internal texts. The public status page is rendered from this alone."""

    received_on: datetime.date
    stage: str
    is_completed: bool
    department: str
    assigned_on: datetime.date | None
    deadline: datetime.date | None
    completed_on: datetime.date | None
    public_reply: str
    replied_on: datetime.date | None


@dataclass(frozen=True)
class DeputyHandling:
    """A deputy follows their own suggestion further: the problem it was merged into and the
    assignee's progress reports."""

    handling: Handling
    problem_title: str
    progress: list[ProgressReport] = field(default_factory=list)


def _local_date(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None


def stage_of(problem: Problem | None) -> str:
    if problem is None:
        return _("已收到，待归并")
    return str(Status(problem.status).label)


def handling_of(submission: Submission) -> Handling:
    problem = submission.raw_report.problem
    assignment = getattr(problem, "assignment", None) if problem is not None else None
    return Handling(
        received_on=submission.raw_report.received_on,
        stage=stage_of(problem),
        is_completed=problem is not None and problem.status == Status.COMPLETED,
        department=assignment.assignee.name if assignment is not None else "",
        assigned_on=_local_date(assignment.assigned_at) if assignment is not None else None,
        deadline=assignment.deadline if assignment is not None else None,
        completed_on=_local_date(problem.completed_at) if problem is not None else None,
        public_reply=submission.public_reply,
        replied_on=_local_date(submission.replied_at),
    )


def deputy_handling_of(submission: Submission) -> DeputyHandling:
    problem = submission.raw_report.problem
    progress = list(problem.progress_reports.all()) if problem is not None else []
    return DeputyHandling(
        handling=handling_of(submission),
        problem_title=problem.title if problem is not None else "",
        progress=progress,
    )


@dataclass(frozen=True)
class ProjectFigures:
    achieved: int | None
    share: Decimal | None  # achieved / target, exact
    funds_wan_yuan: Decimal | None
    last_reported_on: datetime.date | None

    @property
    def percent(self) -> str:
        """Of the target, one decimal: 180 of 16 is 1125.0%."""
        if self.share is None:
            return "—"
        return f"{(self.share * 100).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"


def project_figures(project: LivelihoodProject, progress: list[ProjectProgress]) -> ProjectFigures:
    """The latest quantity and funds reported (each report states the running total)."""
    achieved = next(
        (p.achieved_quantity for p in reversed(progress) if p.achieved_quantity is not None), None
    )
    funds = next(
        (p.funds_wan_yuan for p in reversed(progress) if p.funds_wan_yuan is not None), None
    )
    share = (
        Decimal(achieved) / Decimal(project.target_quantity)
        if achieved is not None and project.target_quantity
        else None
    )
    return ProjectFigures(
        achieved=achieved,
        share=share,
        funds_wan_yuan=funds,
        last_reported_on=progress[-1].reported_on if progress else None,
    )


def _share(part: int, whole: int) -> float | None:
    if not whole:
        return None
    return float((Decimal(part) / Decimal(whole)).quantize(Decimal("0.001"), ROUND_HALF_UP))


def campaign_summary(campaign: Campaign) -> dict[str, Any]:
    """The script contract of ``oversight submissions SLUG --json``."""
    submissions = Submission.objects.filter(raw_report__campaign=campaign)
    counts = submissions.aggregate(
        suggestions=Count("pk", filter=~Q(kind=Kind.PUBLIC)),
        suggestions_merged=Count(
            "pk", filter=~Q(kind=Kind.PUBLIC) & Q(raw_report__problem__isnull=False)
        ),
        suggestions_completed=Count(
            "pk", filter=~Q(kind=Kind.PUBLIC) & Q(raw_report__problem__status=Status.COMPLETED)
        ),
        public=Count("pk", filter=Q(kind=Kind.PUBLIC)),
        public_merged=Count(
            "pk", filter=Q(kind=Kind.PUBLIC) & Q(raw_report__problem__isnull=False)
        ),
        public_replied=Count("pk", filter=Q(kind=Kind.PUBLIC) & ~Q(public_reply="")),
    )
    projects = []
    for project in (
        LivelihoodProject.objects.filter(campaign=campaign)
        .select_related("department")
        .prefetch_related("progress")
    ):
        figures = project_figures(project, list(project.progress.all()))
        projects.append(
            {
                "title": project.title,
                "department": project.department.name,
                "target_quantity": project.target_quantity,
                "achieved": figures.achieved,
                "completion_rate": None
                if figures.share is None
                else float(figures.share.quantize(Decimal("0.0001"), ROUND_HALF_UP)),
                "funds_wan_yuan": None
                if figures.funds_wan_yuan is None
                else float(figures.funds_wan_yuan),
                "deadline": project.deadline.isoformat(),
                "status": project.status,
            }
        )
    return {
        "campaign": campaign.slug,
        "public_reporting_open": PublicReporting.objects.filter(
            campaign=campaign, is_open=True
        ).exists(),
        "suggestions": {
            "total": counts["suggestions"],
            "merged": counts["suggestions_merged"],
            "completed": counts["suggestions_completed"],
            "completion_rate": _share(counts["suggestions_completed"], counts["suggestions"]),
        },
        "public": {
            "total": counts["public"],
            "merged": counts["public_merged"],
            "replied": counts["public_replied"],
        },
        "projects": projects,
    }
