"""Completion-rate arithmetic, computed from the problems."""

import datetime

import pytest
from django.utils import timezone

from oversight.problems.models import Kind, Status
from oversight.problems.stats import Rate, campaign_figures
from tests.conftest import org


@pytest.mark.parametrize(
    ("problems", "completed", "percent", "rate"),
    [
        (29, 23, "79.3%", 0.793),
        (14, 11, "78.6%", 0.786),
        (43, 34, "79.1%", 0.791),
        (16, 1, "6.3%", 0.063),  # 0.0625: 四舍五入 rounds the half up, not to even
        (8, 1, "12.5%", 0.125),
        (3, 3, "100.0%", 1.0),
        (5, 0, "0.0%", 0.0),
        (0, 0, "—", None),
    ],
)
def test_rate_arithmetic(problems, completed, percent, rate):
    figures = Rate(problems, completed)
    assert figures.percent == percent
    assert figures.as_dict()["completion_rate"] == rate
    assert figures.open == problems - completed


def test_rate_as_dict_rounds_to_three_places():
    assert Rate(29, 23).as_dict() == {"problems": 29, "completed": 23, "completion_rate": 0.793}
    assert Rate(0, 0).as_dict()["completion_rate"] is None


def test_campaign_figures_group_by_level_department_and_kind(campaign, make_problem):
    minzheng, weijian, runan = (
        org("411700", "minzheng"),
        org("411700", "weijian"),
        org("411727", "congress"),
    )
    make_problem(Status.COMPLETED, assignee=minzheng, kind=Kind.MACRO)
    make_problem(Status.IN_PROGRESS, assignee=minzheng)
    make_problem(Status.COMPLETION_REQUESTED, assignee=weijian)
    make_problem(Status.COMPLETED, assignee=runan, kind=Kind.INDIVIDUAL)
    make_problem(Status.PENDING)

    figures = campaign_figures(campaign)

    assert (figures.overall.problems, figures.overall.completed) == (5, 2)
    assert figures.by_status[Status.PENDING] == 1
    assert figures.by_status[Status.COMPLETION_REQUESTED] == 1
    assert figures.by_level["city"] == Rate(3, 1, 0)
    assert figures.by_level["county"] == Rate(1, 1, 0)
    departments = {g.label: g.rate for g in figures.by_department}
    assert departments == {minzheng.name: Rate(2, 1, 0), weijian.name: Rate(1, 0, 0)}
    assert [g.label for g in figures.by_congress] == [runan.name]
    assert figures.by_kind[Kind.MACRO] == Rate(1, 1, 0)
    assert figures.by_kind[Kind.COMMON] == Rate(3, 0, 0)


def test_overdue_counts_open_problems_past_their_deadline(campaign, make_problem):
    make_problem(Status.IN_PROGRESS)
    make_problem(Status.COMPLETED)
    later = timezone.localdate() + datetime.timedelta(days=45)  # past both 30-day deadlines
    figures = campaign_figures(campaign, today=later)
    assert figures.overall.overdue == 1
    assert campaign_figures(campaign).overall.overdue == 0
