"""Every change in this app goes through these functions: atomic, checked, and recorded.

A deputy's suggestion and a public report each enter the campaign's intake as a raw report
(``problems.actions.receive_raw_report``); staff merge it like any other, and the filer
follows it through the problem it was merged into.
"""

from __future__ import annotations

import datetime
import secrets
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from oversight.campaigns.models import Campaign
from oversight.organisations.models import Kind as OrganisationKind
from oversight.organisations.models import Organisation
from oversight.problems.actions import receive_raw_report
from oversight.problems.models import Channel
from oversight.problems.permissions import require_manager
from oversight.regions.models import Region
from oversight.topics.models import ProblemArea

from .models import (
    REPLY_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    TRACKING_ALPHABET,
    TRACKING_LENGTH,
    EventKind,
    Kind,
    LivelihoodProject,
    ProjectProgress,
    ProjectStatus,
    PublicReporting,
    Submission,
    SubmissionEvent,
)
from .validators import normalise_phone

if TYPE_CHECKING:
    from oversight.accounts.models import User

NAME_MAX_LENGTH = 50
ANONYMOUS = "匿名群众"


def _now(at: datetime.datetime | None) -> datetime.datetime:
    return at or timezone.now()


def _require_manager(actor: User, campaign: Campaign) -> None:
    require_manager(actor, campaign)


def _text(value: str, field: str, limit: int, missing: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: missing}, code="required")
    if len(value) > limit:
        raise ValidationError(
            {field: _("内容过长：最多 %(limit)d 个字。") % {"limit": limit}}, code="too_long"
        )
    return value


def _check_area(campaign: Campaign, area: ProblemArea | None) -> None:
    if area is not None and area.topic_id != campaign.topic_id:
        raise ValidationError({"area": _("问题领域不属于本次监督的专题。")}, code="area")


def _record(
    campaign: Campaign,
    kind: str,
    actor: User | None,
    at: datetime.datetime,
    *,
    submission: Submission | None = None,
    project: LivelihoodProject | None = None,
    note: str = "",
) -> SubmissionEvent:
    return SubmissionEvent.objects.create(
        campaign=campaign,
        submission=submission,
        project=project,
        kind=kind,
        actor=actor,
        note=note,
        created_at=at,
    )


# --- deputies ------------------------------------------------------------------------------


def campaigns_for_deputy(deputy: User) -> QuerySet[Campaign]:
    """Campaigns covering the deputy's region: of its own congress or of one above it."""
    if not deputy.is_deputy:
        return Campaign.objects.none()
    assert deputy.organisation is not None
    region = deputy.organisation.region
    covering = [region.pk, region.parent_id]
    if region.parent is not None:
        covering.append(region.parent.parent_id)
    return Campaign.objects.filter(region__in=[pk for pk in covering if pk is not None])


@transaction.atomic
def file_suggestion(
    *,
    actor: User,
    campaign: Campaign,
    kind: str,
    title: str,
    text: str,
    region: Region,
    area: ProblemArea | None = None,
    at: datetime.datetime | None = None,
) -> Submission:
    """A deputy files a suggestion (代表建议) or reports a problem; it enters intake through
    the deputies' channel."""
    if not campaigns_for_deputy(actor).filter(pk=campaign.pk).exists():
        raise PermissionDenied(_("只有本行政区划的人大代表可以向本次联动监督提出建议。"))
    if kind not in (Kind.SUGGESTION, Kind.PROBLEM):
        raise ValidationError({"kind": _("请选择建议或反映问题。")}, code="kind")
    title = _text(title, "title", TITLE_MAX_LENGTH, _("请填写标题。"))
    text = _text(text, "text", TEXT_MAX_LENGTH, _("请填写建议或问题的内容。"))
    _check_area(campaign, area)
    moment = _now(at)
    raw_report = receive_raw_report(
        campaign=campaign,
        channel=Channel.DEPUTY,
        text=f"{title}\n{text}",
        region=region,
        reporter=_("%(name)s代表") % {"name": actor.full_name or actor.username},
        received_on=timezone.localdate(moment),
        created_by=actor,
    )
    submission = Submission.objects.create(
        raw_report=raw_report, kind=kind, title=title, area=area, deputy=actor, created_at=moment
    )
    _record(campaign, EventKind.FILED, actor, moment, submission=submission)
    return submission


# --- the public ----------------------------------------------------------------------------


def new_tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


def normalise_tracking_code(value: str) -> str:
    """What a person typed, as stored: upper case, without the grouping dashes or spaces."""
    return "".join(ch for ch in (value or "").upper() if ch.isalnum())[: TRACKING_LENGTH + 8]


def is_public_reporting_open(campaign: Campaign) -> bool:
    return PublicReporting.objects.filter(campaign=campaign, is_open=True).exists()


def campaigns_open_to_public() -> QuerySet[Campaign]:
    return Campaign.objects.filter(public_reporting__is_open=True).select_related("region")


@transaction.atomic
def set_public_reporting(
    *, actor: User, campaign: Campaign, is_open: bool, at: datetime.datetime | None = None
) -> PublicReporting:
    """Staff open (or close) the public report form of their campaign."""
    _require_manager(actor, campaign)
    moment = _now(at)
    setting, _created = PublicReporting.objects.select_for_update().get_or_create(
        campaign=campaign, defaults={"changed_by": actor, "changed_at": moment}
    )
    if setting.is_open == is_open and not _created:
        return setting
    setting.is_open = is_open
    setting.changed_by = actor
    setting.changed_at = moment
    setting.save()
    _record(campaign, EventKind.OPENED if is_open else EventKind.CLOSED, actor, moment)
    return setting


@transaction.atomic
def file_public_report(
    *,
    campaign: Campaign,
    text: str,
    region: Region | None = None,
    area: ProblemArea | None = None,
    name: str = "",
    phone: str = "",
    at: datetime.datetime | None = None,
) -> Submission:
    """A member of the public reports a problem (name and phone optional). The form has
    already checked the captcha; the rules on the content are here."""
    if not PublicReporting.objects.select_for_update().filter(campaign=campaign, is_open=True):
        raise ValidationError(_("本次联动监督目前不接受群众反映。"), code="closed")
    text = _text(text, "text", TEXT_MAX_LENGTH, _("请填写反映的问题。"))
    name = (name or "").strip()
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(
            {"name": _("姓名最多 %(limit)d 个字。") % {"limit": NAME_MAX_LENGTH}}, code="too_long"
        )
    phone = normalise_phone(phone)
    _check_area(campaign, area)
    moment = _now(at)
    raw_report = receive_raw_report(
        campaign=campaign,
        channel=Channel.PUBLIC,
        text=text,
        region=region,
        reporter=name or ANONYMOUS,
        received_on=timezone.localdate(moment),
    )
    for _attempt in range(5):
        try:
            with transaction.atomic():
                submission = Submission.objects.create(
                    raw_report=raw_report,
                    kind=Kind.PUBLIC,
                    area=area,
                    contact_name=name,
                    contact_phone=phone,
                    tracking_code=new_tracking_code(),
                    created_at=moment,
                )
            break
        except IntegrityError:  # pragma: no cover - a collision among 8×10¹⁷ codes
            continue
    else:  # pragma: no cover
        raise ValidationError(_("请稍后重试。"), code="retry")
    _record(campaign, EventKind.FILED, None, moment, submission=submission)
    return submission


@transaction.atomic
def publish_reply(
    *, actor: User, submission: Submission, text: str, at: datetime.datetime | None = None
) -> Submission:
    """Staff write the reply shown on the public status page (and to the deputy)."""
    campaign = submission.raw_report.campaign
    _require_manager(actor, campaign)
    text = _text(text, "text", REPLY_MAX_LENGTH, _("请填写答复内容。"))
    moment = _now(at)
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    submission.public_reply = text
    submission.replied_at = moment
    submission.replied_by = actor
    submission.save(update_fields=["public_reply", "replied_at", "replied_by"])
    _record(campaign, EventKind.REPLIED, actor, moment, submission=submission, note=text)
    return submission


# --- livelihood projects (民生实事) -----------------------------------------------------------


def departments_for(campaign: Campaign) -> QuerySet[Organisation]:
    return Organisation.objects.filter(region=campaign.region, kind=OrganisationKind.DEPARTMENT)


@transaction.atomic
def register_project(
    *,
    actor: User,
    campaign: Campaign,
    title: str,
    department: Organisation,
    target: str,
    deadline: datetime.date,
    target_quantity: int | None = None,
    unit: str = "",
    at: datetime.datetime | None = None,
) -> LivelihoodProject:
    _require_manager(actor, campaign)
    title = _text(title, "title", TITLE_MAX_LENGTH, _("请填写项目名称。"))
    target = _text(target, "target", 200, _("请填写目标任务。"))
    if not departments_for(campaign).filter(pk=department.pk).exists():
        raise ValidationError({"department": _("责任单位须为本级政府部门。")}, code="department")
    if LivelihoodProject.objects.filter(campaign=campaign, title=title).exists():
        raise ValidationError({"title": _("同一联动监督中已有同名的民生实事。")}, code="duplicate")
    moment = _now(at)
    project = LivelihoodProject.objects.create(
        campaign=campaign,
        title=title,
        department=department,
        target=target,
        target_quantity=target_quantity,
        unit=(unit or "").strip()[:10],
        deadline=deadline,
        created_by=actor,
        created_at=moment,
    )
    _record(campaign, EventKind.PROJECT_REGISTERED, actor, moment, project=project)
    return project


@transaction.atomic
def record_project_progress(
    *,
    actor: User,
    project: LivelihoodProject,
    text: str,
    reported_on: datetime.date | None = None,
    achieved_quantity: int | None = None,
    funds_wan_yuan: Decimal | None = None,
    completed: bool = False,
    at: datetime.datetime | None = None,
) -> ProjectProgress:
    _require_manager(actor, project.campaign)
    project = LivelihoodProject.objects.select_for_update().get(pk=project.pk)
    if project.status == ProjectStatus.COMPLETED:
        raise ValidationError(_("该民生实事已完成，不能再录入进展。"), code="completed")
    text = _text(text, "text", TEXT_MAX_LENGTH, _("请填写进展情况。"))
    if funds_wan_yuan is not None and funds_wan_yuan < 0:
        raise ValidationError({"funds_wan_yuan": _("资金不能为负数。")}, code="negative")
    moment = _now(at)
    progress = ProjectProgress.objects.create(
        project=project,
        reported_on=reported_on or timezone.localdate(moment),
        text=text,
        achieved_quantity=achieved_quantity,
        funds_wan_yuan=funds_wan_yuan,
        author=actor,
        created_at=moment,
    )
    if completed:
        project.status = ProjectStatus.COMPLETED
        project.save(update_fields=["status"])
    _record(project.campaign, EventKind.PROJECT_PROGRESS, actor, moment, project=project, note=text)
    return progress
