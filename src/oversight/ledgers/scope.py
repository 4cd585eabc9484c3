"""Whose ledger a user downloads: the organising congress's staff the whole campaign, an
assignee (a department's liaison, a lower congress's staff) what its organisation handles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from oversight.problems.models import Problem, ProblemQuerySet
from oversight.problems.permissions import STAFF_ROLES, can_manage

if TYPE_CHECKING:
    from oversight.accounts.models import User
    from oversight.campaigns.models import Campaign


def ledger_problems(user: User, campaign: Campaign) -> ProblemQuerySet:
    """The problems of ``campaign`` in the user's ledger (none for anyone else)."""
    if can_manage(user, campaign):
        return Problem.objects.filter(campaign=campaign)
    if answers_for_problems(user):
        return Problem.objects.workload_of(user).filter(campaign=campaign)
    return Problem.objects.none()


def answers_for_problems(user: User) -> bool:
    """Roles that report progress on what is assigned to their organisation."""
    return user.is_assignee_user or (user.role in STAFF_ROLES and user.organisation_id is not None)


def fills_in(user: User, campaign: Campaign) -> bool:
    """Whether the user's ledger is one to fill in and upload back (an assignee's), rather
    than the organiser's overview."""
    return not can_manage(user, campaign) and answers_for_problems(user)
