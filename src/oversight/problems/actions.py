"""Every change of a problem goes through these functions: atomic, checked, and recorded.

Views, admin actions and commands call them and hold no rule of their own. ``at`` lets a
caller (the demo loader) replay past events; it defaults to now.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from oversight.campaigns.models import Campaign
from oversight.organisations.models import Kind as OrganisationKind
from oversight.organisations.models import Organisation
from oversight.regions.models import Region
from oversight.topics.models import ProblemArea

from .models import (
    BEING_RECTIFIED,
    TRANSITIONS,
    Assignment,
    Attachment,
    Channel,
    EventKind,
    Kind,
    Problem,
    ProblemEvent,
    ProgressReport,
    RawReport,
    RectificationType,
    Status,
)
from .permissions import can_manage, can_rectify
from .validators import validate_evidence_file

if TYPE_CHECKING:
    from oversight.accounts.models import User


class InvalidTransition(ValidationError):
    pass


def _now(at: datetime.datetime | None) -> datetime.datetime:
    return at or timezone.now()


def _locked(problem: Problem) -> Problem:
    """Re-read the problem under a row lock so two people cannot move it at once."""
    fresh = Problem.objects.select_for_update().get(pk=problem.pk)
    problem.status = fresh.status
    problem.rectification_type = fresh.rectification_type
    return problem


def _record(
    problem: Problem,
    kind: str,
    actor: User | None,
    at: datetime.datetime,
    *,
    note: str = "",
    details: dict[str, Any] | None = None,
    from_status: str = "",
    to_status: str = "",
) -> ProblemEvent:
    return ProblemEvent.objects.create(
        problem=problem,
        kind=kind,
        actor=actor,
        note=note,
        details=details or {},
        from_status=from_status,
        to_status=to_status,
        created_at=at,
    )


def _move(
    problem: Problem,
    to: str,
    kind: str,
    actor: User | None,
    at: datetime.datetime,
    note: str = "",
    details: dict[str, Any] | None = None,
) -> None:
    current = problem.status
    if to not in TRANSITIONS[current]:
        raise InvalidTransition(
            _("问题当前状态为“%(current)s”，不能变为“%(target)s”。"),
            code="invalid_transition",
            params={"current": Status(current).label, "target": Status(to).label},
        )
    problem.status = to
    problem.completed_at = at if to == Status.COMPLETED else None
    problem.save(update_fields=["status", "completed_at", "rectification_type"])
    _record(problem, kind, actor, at, note=note, details=details, from_status=current, to_status=to)


def _require_manager(actor: User, campaign: Campaign) -> None:
    if not can_manage(actor, campaign):
        raise PermissionDenied(_("只有组织本次联动监督的人大工作人员可以执行此操作。"))


def _require_rectifier(actor: User, problem: Problem) -> None:
    if not can_rectify(actor, problem):
        raise PermissionDenied(_("只有牵头承办单位可以报送整改情况。"))


def _required_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message}, code="required")
    return value


# --- intake -------------------------------------------------------------------------------


@transaction.atomic
def record_raw_report(
    *,
    actor: User,
    campaign: Campaign,
    channel: str,
    text: str,
    region: Region | None = None,
    reporter: str = "",
    received_on: datetime.date | None = None,
) -> RawReport:
    _require_manager(actor, campaign)
    if channel not in Channel.values:
        raise ValidationError(
            {"channel": _("未知的来源渠道“%(channel)s”。") % {"channel": channel}},
            code="invalid_channel",
        )
    text = _required_text(text, "text", _("请填写反映内容。"))
    if region is not None:
        _check_region(campaign, region)
    return RawReport.objects.create(
        campaign=campaign,
        channel=channel,
        text=text,
        region=region,
        reporter=reporter.strip(),
        received_on=received_on or timezone.localdate(),
        created_by=actor,
    )


def _check_region(campaign: Campaign, region: Region) -> None:
    if not Region.objects.filter(campaign.region.subtree_q(), pk=region.pk).exists():
        raise ValidationError({"region": _("涉及地区须在本次监督的行政区划内。")}, code="region")


def _check_unmerged(campaign: Campaign, reports: Sequence[RawReport]) -> None:
    if not reports:
        raise ValidationError(_("请至少选择一条原始问题。"), code="no_reports")
    for report in reports:
        if report.campaign_id != campaign.pk:
            raise ValidationError(_("原始问题不属于本次联动监督。"), code="wrong_campaign")
        if report.problem_id is not None:
            raise ValidationError(
                _("原始问题“%(text)s”已归并，不能重复归并。"),
                code="already_merged",
                params={"text": report.text[:30]},
            )


def _link_reports(
    problem: Problem, reports: Sequence[RawReport], actor: User, at: datetime.datetime
) -> None:
    # Only reports still unmerged are linked: a concurrent merge (or a double submit) that got
    # there first makes the count fall short, and the whole merge is refused.
    linked = RawReport.objects.filter(
        pk__in=[r.pk for r in reports], campaign=problem.campaign_id, problem__isnull=True
    ).update(problem=problem)
    if linked != len(reports):
        raise ValidationError(_("所选原始问题已被归并，请刷新后重试。"), code="already_merged")
    for report in reports:
        report.problem = problem
    _record(
        problem,
        EventKind.MERGED,
        actor,
        at,
        details={"count": len(reports)},
    )


@transaction.atomic
def consolidate(
    *,
    actor: User,
    campaign: Campaign,
    reports: Sequence[RawReport],
    title: str,
    kind: str,
    region: Region,
    area: ProblemArea | None = None,
    description: str = "",
    at: datetime.datetime | None = None,
) -> Problem:
    """Merge raw reports into a new entry of the problem list (待交办)."""
    at = _now(at)
    _require_manager(actor, campaign)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    _check_unmerged(campaign, reports)
    title = _required_text(title, "title", _("请填写问题。"))
    if kind not in Kind.values:
        raise ValidationError({"kind": _("请选择问题类别。")}, code="invalid_kind")
    if area is not None and area.topic_id != campaign.topic_id:
        raise ValidationError({"area": _("问题领域不属于本专题。")}, code="wrong_area")
    _check_region(campaign, region)
    number = (campaign.problems.aggregate(n=Max("number"))["n"] or 0) + 1
    problem = Problem.objects.create(
        campaign=campaign,
        number=number,
        title=title,
        description=description.strip(),
        kind=kind,
        area=area,
        region=region,
        created_at=at,
    )
    _record(problem, EventKind.CREATED, actor, at, to_status=Status.PENDING)
    _link_reports(problem, reports, actor, at)
    return problem


@transaction.atomic
def merge_into(
    *,
    actor: User,
    problem: Problem,
    reports: Sequence[RawReport],
    at: datetime.datetime | None = None,
) -> Problem:
    """Add more raw reports (duplicates) to an existing problem."""
    at = _now(at)
    _require_manager(actor, problem.campaign)
    problem = _locked(problem)
    _check_unmerged(problem.campaign, reports)
    _link_reports(problem, reports, actor, at)
    return problem


# --- assignment ---------------------------------------------------------------------------


def _check_assignee(campaign: Campaign, assignee: Organisation) -> None:
    own_department = (
        assignee.kind == OrganisationKind.DEPARTMENT and assignee.region_id == campaign.region_id
    )
    lower_congress = (
        assignee.kind == OrganisationKind.CONGRESS
        and assignee.region.parent_id == campaign.region_id
    )
    if not (own_department or lower_congress):
        raise ValidationError(
            {"assignee": _("只能交办给本级政府部门或下一级人大常委会。")}, code="assignee"
        )


@transaction.atomic
def assign(
    *,
    actor: User,
    problem: Problem,
    assignee: Organisation,
    deadline: datetime.date,
    requirements: str = "",
    co_departments: Iterable[Organisation] = (),
    at: datetime.datetime | None = None,
) -> Assignment:
    """交办: hand the problem to a department or lower congress with a deadline."""
    at = _now(at)
    _require_manager(actor, problem.campaign)
    problem = _locked(problem)
    co_departments = [d for d in co_departments if d.pk != assignee.pk]
    _check_assignee(problem.campaign, assignee)
    if deadline < timezone.localdate(at):
        raise ValidationError({"deadline": _("整改时限不能早于交办日期。")}, code="past_deadline")
    if co_departments and assignee.kind != OrganisationKind.DEPARTMENT:
        raise ValidationError(
            {"co_departments": _("交办给下级人大时不设协办部门。")}, code="co_departments"
        )
    for department in co_departments:
        if department.kind != OrganisationKind.DEPARTMENT or (
            department.region_id != problem.campaign.region_id
        ):
            raise ValidationError(
                {"co_departments": _("协办部门须为本级政府部门。")}, code="co_departments"
            )
    _move(
        problem,
        Status.ASSIGNED,
        EventKind.ASSIGNED,
        actor,
        at,
        details={"assignee": assignee.name, "deadline": deadline.isoformat()},
    )
    assignment = Assignment.objects.create(
        problem=problem,
        assignee=assignee,
        deadline=deadline,
        requirements=requirements.strip(),
        assigned_by=actor,
        assigned_at=at,
    )
    assignment.co_departments.set(co_departments)
    return assignment


# --- rectification ------------------------------------------------------------------------


def _file_report(
    problem: Problem,
    actor: User,
    text: str,
    evidence: Sequence[UploadedFile],
    reported_on: datetime.date | None,
    at: datetime.datetime,
    *,
    is_claim: bool,
) -> ProgressReport:
    checked = [validate_evidence_file(upload) for upload in evidence]
    today = timezone.localdate(at)
    reported_on = reported_on or today
    assigned_on = timezone.localdate(problem.assignment.assigned_at)
    if not assigned_on <= reported_on <= today:
        raise ValidationError(
            {"reported_on": _("报送日期须在交办日期（%(assigned)s）和今天之间。")},
            code="reported_on",
            params={"assigned": assigned_on.isoformat()},
        )
    assert actor.organisation is not None
    report = ProgressReport.objects.create(
        problem=problem,
        organisation=actor.organisation,
        author=actor,
        text=text,
        reported_on=reported_on,
        is_completion_claim=is_claim,
        created_at=at,
    )
    for upload, kind in zip(evidence, checked, strict=True):
        Attachment.objects.create(
            report=report,
            file=upload,
            name=upload.name or "",
            size=upload.size or 0,
            content_type=kind.mime,
        )
    return report


def _set_rectification_type(problem: Problem, rectification_type: str) -> dict[str, Any]:
    """Apply a (re)classification; returns the facts the history should keep of it."""
    if rectification_type and rectification_type not in RectificationType.values:
        raise ValidationError(
            {"rectification_type": _("整改类型无效。")}, code="invalid_rectification_type"
        )
    if not rectification_type or rectification_type == problem.rectification_type:
        return {}
    problem.rectification_type = rectification_type
    return {"rectification_type": rectification_type}


def _report_details(
    classification: dict[str, Any], evidence: Sequence[UploadedFile]
) -> dict[str, Any]:
    names = [upload.name for upload in evidence]
    return {**classification, **({"attachments": names} if names else {})}


@transaction.atomic
def report_progress(
    *,
    actor: User,
    problem: Problem,
    text: str,
    evidence: Sequence[UploadedFile] = (),
    reported_on: datetime.date | None = None,
    rectification_type: str = "",
    at: datetime.datetime | None = None,
) -> ProgressReport:
    """报送整改进展. The first report moves an assigned problem into 整改中."""
    at = _now(at)
    _require_rectifier(actor, problem)
    problem = _locked(problem)
    text = _required_text(text, "text", _("请填写整改进展。"))
    if problem.status not in BEING_RECTIFIED:
        raise InvalidTransition(
            _("问题当前状态为“%(current)s”，不能报送整改进展。"),
            code="invalid_transition",
            params={"current": Status(problem.status).label},
        )
    details = _report_details(_set_rectification_type(problem, rectification_type), evidence)
    report = _file_report(problem, actor, text, evidence, reported_on, at, is_claim=False)
    if problem.status == Status.ASSIGNED:
        _move(problem, Status.IN_PROGRESS, EventKind.PROGRESS, actor, at, text, details)
    else:
        problem.save(update_fields=["rectification_type"])
        _record(problem, EventKind.PROGRESS, actor, at, note=text, details=details)
    return report


@transaction.atomic
def claim_completion(
    *,
    actor: User,
    problem: Problem,
    text: str,
    evidence: Sequence[UploadedFile] = (),
    rectification_type: str = "",
    at: datetime.datetime | None = None,
) -> ProgressReport:
    """申请办结. A problem fixed at once may be claimed straight from 已交办: it passes
    through 整改中 on the way, so the history shows both steps."""
    at = _now(at)
    _require_rectifier(actor, problem)
    problem = _locked(problem)
    text = _required_text(text, "text", _("请填写整改完成情况。"))
    details = _report_details(_set_rectification_type(problem, rectification_type), evidence)
    # The ledger sorts every finished problem as 立行立改 / 持续整改 / 涉及顶层设计.
    if not problem.rectification_type:
        raise ValidationError(
            {"rectification_type": _("申请办结时请选择整改类型。")}, code="rectification_type"
        )
    if problem.status == Status.ASSIGNED:
        _move(problem, Status.IN_PROGRESS, EventKind.PROGRESS, actor, at)
    _move(problem, Status.COMPLETION_REQUESTED, EventKind.CLAIMED, actor, at, text, details)
    return _file_report(problem, actor, text, evidence, None, at, is_claim=True)


@transaction.atomic
def accept_completion(
    *, actor: User, problem: Problem, note: str = "", at: datetime.datetime | None = None
) -> Problem:
    """确认办结."""
    at = _now(at)
    _require_manager(actor, problem.campaign)
    problem = _locked(problem)
    _move(problem, Status.COMPLETED, EventKind.ACCEPTED, actor, at, note=note.strip())
    return problem


@transaction.atomic
def return_for_rectification(
    *, actor: User, problem: Problem, reason: str, at: datetime.datetime | None = None
) -> Problem:
    """退回: the claim is refused and the problem goes back to 整改中, with the reason."""
    at = _now(at)
    _require_manager(actor, problem.campaign)
    problem = _locked(problem)
    reason = _required_text(reason, "reason", _("退回时请说明理由。"))
    if problem.status != Status.COMPLETION_REQUESTED:
        raise InvalidTransition(
            _("问题当前状态为“%(current)s”，只有申请办结的问题可以退回。"),
            code="invalid_transition",
            params={"current": Status(problem.status).label},
        )
    _move(problem, Status.IN_PROGRESS, EventKind.RETURNED, actor, at, note=reason)
    return problem
