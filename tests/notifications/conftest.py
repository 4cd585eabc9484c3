import datetime

import pytest
from django.utils import timezone

from oversight.problems.models import Assignment, Status

TODAY = timezone.localdate()


@pytest.fixture
def overdue_problem(make_problem, staff, liaison_a):
    """A problem of 民政局 (liaison_a's) whose deadline passed three days ago."""
    problem = make_problem(Status.IN_PROGRESS, title="敬老院消防设施不达标")
    Assignment.objects.filter(problem=problem).update(deadline=TODAY - datetime.timedelta(days=3))
    return problem
