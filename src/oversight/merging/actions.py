"""What staff do with a proposed group: confirm it as a new problem, join it to an existing
one, split some members off, or reject it. Problems are made by ``problems.actions``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from oversight.campaigns.models import Campaign
from oversight.problems import actions as problem_actions
from oversight.problems.models import Problem, RawReport
from oversight.problems.permissions import require_manager
from oversight.regions.models import Region
from oversight.topics.models import ProblemArea

from .models import DecisionKind, GroupDecision

if TYPE_CHECKING:
    from oversight.accounts.models import User


def _require_manager(actor: User, campaign: Campaign) -> None:
    require_manager(actor, campaign, _("只有组织本次联动监督的人大工作人员可以归并原始问题。"))


def _check_unmerged(campaign: Campaign, reports: Sequence[RawReport], minimum: int) -> None:
    if len(reports) < minimum:
        raise ValidationError(
            _("请至少选择 %(count)d 条原始问题。"), code="too_few", params={"count": minimum}
        )
    for report in reports:
        if report.campaign_id != campaign.pk:
            raise ValidationError(_("原始问题不属于本次联动监督。"), code="wrong_campaign")
        if report.problem_id is not None:
            raise ValidationError(_("原始问题已归并，请刷新后重试。"), code="already_merged")


@transaction.atomic
def confirm_group(
    *,
    actor: User,
    campaign: Campaign,
    reports: Sequence[RawReport],
    title: str,
    kind: str,
    region: Region,
    area: ProblemArea | None = None,
) -> Problem:
    """The ticked members of a proposal become one new problem (待交办), every raw report kept."""
    _require_manager(actor, campaign)
    _check_unmerged(campaign, reports, 1)
    return problem_actions.consolidate(
        actor=actor,
        campaign=campaign,
        reports=reports,
        title=title,
        kind=kind,
        region=region,
        area=area,
    )


@transaction.atomic
def join_group(*, actor: User, problem: Problem, reports: Sequence[RawReport]) -> Problem:
    """The ticked members join an existing problem as further raw reports of it."""
    _require_manager(actor, problem.campaign)
    _check_unmerged(problem.campaign, reports, 1)
    return problem_actions.merge_into(actor=actor, problem=problem, reports=reports)


@transaction.atomic
def reject_group(*, actor: User, campaign: Campaign, reports: Sequence[RawReport]) -> GroupDecision:
    """Not one problem: these reports (or some of them) are not proposed together again."""
    _require_manager(actor, campaign)
    _check_unmerged(campaign, reports, 2)
    decision = GroupDecision.objects.create(
        campaign=campaign, kind=DecisionKind.REJECTED, created_by=actor
    )
    decision.members.set(reports)
    return decision


@transaction.atomic
def split_group(
    *,
    actor: User,
    campaign: Campaign,
    kept: Sequence[RawReport],
    split_off: Sequence[RawReport],
) -> GroupDecision:
    """The unticked members leave the group; the ticked rest stays proposed as one."""
    _require_manager(actor, campaign)
    if not split_off:
        raise ValidationError(_("请取消勾选要拆出的原始问题。"), code="nothing_split")
    _check_unmerged(campaign, kept, 1)
    _check_unmerged(campaign, split_off, 1)
    if {r.pk for r in kept} & {r.pk for r in split_off}:
        raise ValidationError(_("同一条原始问题不能既保留又拆出。"), code="overlap")
    decision = GroupDecision.objects.create(
        campaign=campaign, kind=DecisionKind.SPLIT, created_by=actor
    )
    decision.members.set(kept)
    decision.split_off.set(split_off)
    return decision
