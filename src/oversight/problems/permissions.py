"""Who may do what to a problem. Visibility itself lives in ``ProblemQuerySet.visible_to``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from oversight.accounts.models import Role

from .models import BEING_RECTIFIED, TRANSITIONS, ExtensionRequest, Problem, Status

if TYPE_CHECKING:
    from oversight.accounts.models import User
    from oversight.campaigns.models import Campaign


# Staff of a congress: they run their own campaign, and answer for what the level above
# assigned to their congress (a county congress's staff hold the county role).
STAFF_ROLES = frozenset({Role.CONGRESS_STAFF, Role.COUNTY_STAFF})


def can_manage(user: User, campaign: Campaign) -> bool:
    """Staff of the campaign's own congress run intake, assignment and review."""
    if user.is_superuser:
        return True
    return user.role in STAFF_ROLES and user.organisation_id == campaign.congress_id


def require_manager(actor: User, campaign: Campaign, refusal: str = "") -> None:
    """Refuse, with ``refusal`` or a general message, anyone who does not run the campaign."""
    if not can_manage(actor, campaign):
        raise PermissionDenied(refusal or _("只有组织本次联动监督的人大工作人员可以执行此操作。"))


def can_rectify(user: User, problem: Problem) -> bool:
    """The assignee organisation's liaison, or its staff where the assignee is a lower
    congress, reports on the problem (a congress answers in writing: 书面报告)."""
    assignment = getattr(problem, "assignment", None)
    return (
        assignment is not None
        and (user.is_assignee_user or user.role in STAFF_ROLES)
        and user.organisation_id == assignment.assignee_id
    )


def can_see_reporters(user: User) -> bool:
    """Who reported a problem (a citizen, a deputy) stays within the congress; the
    departments under supervision see what was reported, not by whom."""
    return user.is_superuser or user.is_congress_user


def available_actions(
    user: User, problem: Problem, pending_extension: ExtensionRequest | None = None
) -> set[str]:
    """The actions the problem page offers this user; the actions check again anyway."""
    actions: set[str] = set()
    if can_manage(user, problem.campaign):
        moves = TRANSITIONS[problem.status]
        if Status.ASSIGNED in moves:
            actions.add("assign")
        if Status.COMPLETED in moves:
            actions |= {"accept", "return"}
        if problem.status in BEING_RECTIFIED:
            actions.add("reassign")
        if pending_extension is not None:
            actions.add("decide_extension")
    if can_rectify(user, problem) and problem.status in BEING_RECTIFIED:
        actions |= {"progress", "claim"}
        if pending_extension is None:
            actions.add("extend")
    return actions
