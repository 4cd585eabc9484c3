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

from oversight.campaigns.actions import ensure_child_campaign
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
    ExtensionRequest,
    ExtensionStatus,
    Kind,
    Problem,
    ProblemEvent,
    ProgressReport,
    RawReport,
    RectificationType,
    Status,
)
from .permissions import can_rectify, require_manager
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
    # Every change to a problem is an event: the one place to tell the figures' caches.
    Campaign.figures_changed([problem.campaign_id])
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
    require_manager(actor, campaign)


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
    """Staff record what a channel reported."""
    _require_manager(actor, campaign)
    return receive_raw_report(
        campaign=campaign,
        channel=channel,
        text=text,
        region=region,
        reporter=reporter,
        received_on=received_on,
        created_by=actor,
    )


@transaction.atomic
def receive_raw_report(
    *,
    campaign: Campaign,
    channel: str,
    text: str,
    region: Region | None = None,
    reporter: str = "",
    received_on: datetime.date | None = None,
    created_by: User | None = None,
) -> RawReport:
    """A report enters intake. No permission check: the caller decides who may file (staff
    through ``record_raw_report``, deputies and the public through the submissions app)."""
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
        created_by=created_by,
    )


def _check_region(campaign: Campaign, region: Region) -> None:
    if not campaign.regions().filter(pk=region.pk).exists():
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
    _link_down(problem, assignee, actor, at)
    return assignment


def _link_down(
    problem: Problem, assignee: Organisation, actor: User, at: datetime.datetime
) -> Problem | None:
    """Assigned to a lower congress: the problem enters that congress's campaign below this
    one (opened now if need be) as a linked problem of its own list, 待交办 there."""
    if assignee.kind != OrganisationKind.CONGRESS:
        return None
    # The parent row locked: two first assignments to one county open one campaign, not two.
    parent = Campaign.objects.select_for_update().get(pk=problem.campaign_id)
    child = ensure_child_campaign(parent, assignee)
    child = Campaign.objects.select_for_update().get(pk=child.pk)
    existing = child.problems.filter(upper=problem).first()
    if existing is not None:  # assigned back to a congress that had it before
        _record(existing, EventKind.LINKED, actor, at, details=_link_facts(problem))
        return existing
    inside = Region.objects.filter(child.region.subtree_q(), pk=problem.region_id).exists()
    lower = Problem.objects.create(
        campaign=child,
        number=(child.problems.aggregate(n=Max("number"))["n"] or 0) + 1,
        title=problem.title,
        description=problem.description,
        kind=problem.kind,
        area=problem.area,
        region=problem.region if inside else child.region,
        upper=problem,
        created_at=at,
    )
    _record(lower, EventKind.CREATED, actor, at, to_status=Status.PENDING)
    _record(lower, EventKind.LINKED, actor, at, details=_link_facts(problem))
    return lower


def _link_facts(problem: Problem) -> dict[str, Any]:
    return {"from": problem.campaign.congress.name, "code": problem.code, "upper": problem.pk}


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


# --- reassignment and deadline extension --------------------------------------------------


def _pending_extension(problem: Problem) -> ExtensionRequest | None:
    return problem.extensions.filter(status=ExtensionStatus.PENDING).first()


@transaction.atomic
def reassign(
    *,
    actor: User,
    problem: Problem,
    assignee: Organisation,
    reason: str,
    deadline: datetime.date | None = None,
    at: datetime.datetime | None = None,
) -> Assignment:
    """改派: the assigning congress hands a problem still being rectified to another
    organisation, with a reason. The status stays; co-departments go with the old lead."""
    at = _now(at)
    _require_manager(actor, problem.campaign)
    problem = _locked(problem)
    reason = _required_text(reason, "reason", _("改派时请说明理由。"))
    if problem.status not in BEING_RECTIFIED:
        raise InvalidTransition(
            _("问题当前状态为“%(current)s”，只有已交办或整改中的问题可以改派。"),
            code="invalid_transition",
            params={"current": Status(problem.status).label},
        )
    assignment = Assignment.objects.select_for_update().get(problem=problem)
    if assignee.pk == assignment.assignee_id:
        raise ValidationError({"assignee": _("改派对象与现牵头单位相同。")}, code="same_assignee")
    _check_assignee(problem.campaign, assignee)
    if _pending_extension(problem) is not None:
        raise ValidationError(_("该问题有待审批的延期申请，请先审批再改派。"), code="pending")
    deadline = deadline or assignment.deadline
    if deadline < timezone.localdate(at):
        raise ValidationError({"deadline": _("整改时限不能早于改派日期。")}, code="past_deadline")
    previous = assignment.assignee
    assignment.assignee = assignee
    assignment.deadline = deadline
    assignment.save(update_fields=["assignee", "deadline"])
    assignment.co_departments.clear()
    problem.assignment = assignment
    facts = {"from": previous.name, "to": assignee.name, "deadline": deadline.isoformat()}
    _record(problem, EventKind.REASSIGNED, actor, at, note=reason, details=facts)
    # The congress that had it sees, in its own list, that the level above moved it away.
    for lower in problem.lower_problems.filter(campaign__congress=previous):
        _record(lower, EventKind.REASSIGNED, actor, at, note=reason, details=facts)
    _link_down(problem, assignee, actor, at)
    return assignment


@transaction.atomic
def request_extension(
    *,
    actor: User,
    problem: Problem,
    deadline: datetime.date,
    reason: str,
    at: datetime.datetime | None = None,
) -> ExtensionRequest:
    """延期申请: the assignee asks for a later deadline, with a reason; one at a time."""
    at = _now(at)
    _require_rectifier(actor, problem)
    problem = _locked(problem)
    reason = _required_text(reason, "reason", _("申请延期时请说明理由。"))
    if problem.status not in BEING_RECTIFIED:
        raise InvalidTransition(
            _("问题当前状态为“%(current)s”，不能申请延期。"),
            code="invalid_transition",
            params={"current": Status(problem.status).label},
        )
    current = Assignment.objects.get(problem=problem).deadline
    if deadline <= current:
        raise ValidationError(
            {"deadline": _("延期后的整改时限须晚于原时限（%(current)s）。")},
            code="not_later",
            params={"current": current.isoformat()},
        )
    if _pending_extension(problem) is not None:
        raise ValidationError(_("已有待审批的延期申请，不能重复申请。"), code="pending")
    assert actor.organisation is not None
    request = ExtensionRequest.objects.create(
        problem=problem,
        organisation=actor.organisation,
        requested_by=actor,
        current_deadline=current,
        deadline=deadline,
        reason=reason,
        created_at=at,
    )
    facts = {"current": current.isoformat(), "deadline": deadline.isoformat()}
    _record(problem, EventKind.EXTENSION_REQUESTED, actor, at, note=reason, details=facts)
    return request


@transaction.atomic
def decide_extension(
    *,
    actor: User,
    problem: Problem,
    grant: bool,
    note: str = "",
    at: datetime.datetime | None = None,
) -> ExtensionRequest:
    """The assigning congress grants the pending request (the deadline moves) or refuses
    it with a reason (the deadline stays)."""
    at = _now(at)
    _require_manager(actor, problem.campaign)
    problem = _locked(problem)
    request = (
        ExtensionRequest.objects.select_for_update()
        .filter(problem=problem, status=ExtensionStatus.PENDING)
        .first()
    )
    if request is None:
        raise ValidationError(_("没有待审批的延期申请。"), code="no_pending")
    note = note.strip()
    if not grant:
        note = _required_text(note, "note", _("不同意延期时请说明理由。"))
    request.status = ExtensionStatus.GRANTED if grant else ExtensionStatus.REFUSED
    request.decided_by = actor
    request.decided_at = at
    request.decision_note = note
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    if grant:
        Assignment.objects.filter(problem=problem).update(deadline=request.deadline)
    kind = EventKind.EXTENSION_GRANTED if grant else EventKind.EXTENSION_REFUSED
    facts = {
        "current": request.current_deadline.isoformat(),
        "deadline": request.deadline.isoformat(),
    }
    _record(problem, kind, actor, at, note=note, details=facts)
    return request
