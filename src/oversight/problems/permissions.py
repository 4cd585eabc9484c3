"""Who may do what to a problem. Visibility itself lives in ``ProblemQuerySet.visible_to``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from oversight.accounts.models import Role

from .models import Problem, Status

if TYPE_CHECKING:
    from oversight.accounts.models import User
    from oversight.campaigns.models import Campaign


def can_manage(user: User, campaign: Campaign) -> bool:
    """Congress staff of the campaign's own congress run intake, assignment and review."""
    if user.is_superuser:
        return True
    return user.role == Role.CONGRESS_STAFF and user.organisation_id == campaign.congress_id


def can_rectify(user: User, problem: Problem) -> bool:
    """The assignee organisation's liaison (or county staff) reports on the problem."""
    assignment = getattr(problem, "assignment", None)
    return (
        assignment is not None
        and user.is_assignee_user
        and user.organisation_id == assignment.assignee_id
    )


def available_actions(user: User, problem: Problem) -> set[str]:
    """The actions the problem page offers this user; the actions check again anyway."""
    actions: set[str] = set()
    if can_manage(user, problem.campaign):
        if problem.status == Status.PENDING:
            actions.add("assign")
        if problem.status == Status.COMPLETION_REQUESTED:
            actions |= {"accept", "return"}
    if can_rectify(user, problem) and problem.status in (Status.ASSIGNED, Status.IN_PROGRESS):
        actions |= {"progress", "claim"}
    return actions
