"""Every change of a meeting, inquiry or deliberation opinion goes through these functions:
atomic, checked, and recorded. ``at`` lets the demo replay past events; it defaults to now."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from oversight.accounts.models import Role
from oversight.campaigns.models import Campaign
from oversight.organisations.models import Kind as OrganisationKind
from oversight.organisations.models import Organisation
from oversight.problems import actions as problem_actions
from oversight.problems.models import Channel, Kind, Problem
from oversight.problems.permissions import require_manager
from oversight.problems.validators import validate_evidence_file
from oversight.topics.models import MeetingKind, ProblemArea

from .models import (
    INQUIRY_KIND,
    ITEM_TRANSITIONS,
    InquirySession,
    ItemEvent,
    ItemEventKind,
    ItemResponse,
    ItemStatus,
    Meeting,
    MeetingAttachment,
    MeetingEvent,
    MeetingEventKind,
    Opinion,
    OpinionItem,
    Question,
    Respondent,
    ResponseEvidence,
    StoredFile,
)
from .permissions import is_responsible

if TYPE_CHECKING:
    from oversight.accounts.models import User

F = TypeVar("F", bound=StoredFile)


def _now(at: datetime.datetime | None) -> datetime.datetime:
    return at or timezone.now()


def _require_manager(actor: User, campaign: Campaign) -> None:
    require_manager(actor, campaign)


def _required_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message}, code="required")
    return value


def _check_problems(campaign: Campaign, problems: Iterable[Problem]) -> list[Problem]:
    problems = list(problems)
    if any(problem.campaign_id != campaign.pk for problem in problems):
        raise ValidationError(
            {"problems": _("关联的问题须属于本次联动监督。")}, code="wrong_campaign"
        )
    return problems


def _in_scope(campaign: Campaign, organisation: Organisation) -> bool:
    """The campaign's congress, a department of its government, or a congress below."""
    region = organisation.region
    return organisation.region_id == campaign.region_id or (
        organisation.kind == OrganisationKind.CONGRESS and region.parent_id == campaign.region_id
    )


def _answerable_by(campaign: Campaign, organisation: Organisation) -> bool:
    """Who can be held to an item: a department of the campaign's government, or a
    congress below (as for problems' assignments)."""
    return (
        organisation.kind == OrganisationKind.DEPARTMENT
        and organisation.region_id == campaign.region_id
    ) or (
        organisation.kind == OrganisationKind.CONGRESS
        and organisation.region.parent_id == campaign.region_id
    )


def _store(model: type[F], uploads: Sequence[UploadedFile], actor: User, **owner: Any) -> list[F]:
    """Check every upload by its content first, so a refused file stores nothing."""
    checked = [validate_evidence_file(upload) for upload in uploads]
    return [
        model._default_manager.create(
            file=upload,
            name=upload.name or "",
            size=upload.size or 0,
            content_type=kind.mime,
            uploaded_by=actor,
            **owner,
        )
        for upload, kind in zip(uploads, checked, strict=True)
    ]


# --- meetings -----------------------------------------------------------------------------


def _check_meeting(
    campaign: Campaign,
    kind: MeetingKind,
    attendees: Sequence[User],
    organisations: Sequence[Organisation],
) -> None:
    if kind.topic_id != campaign.topic_id:
        raise ValidationError({"kind": _("会议类型不属于本专题。")}, code="wrong_kind")
    if any(user.organisation_id is None for user in attendees) or any(
        not _in_scope(campaign, user.organisation)  # type: ignore[arg-type]
        for user in attendees
    ):
        raise ValidationError(
            {"attendees": _("出席人员须为本级或下一级人大、本级政府部门的人员。")},
            code="attendees",
        )
    if any(not _in_scope(campaign, organisation) for organisation in organisations):
        raise ValidationError(
            {"organisations": _("参会单位须为本级政府部门或本级、下一级人大常委会。")},
            code="organisations",
        )


def _save_links(
    meeting: Meeting,
    attendees: Iterable[User],
    organisations: Iterable[Organisation],
    problems: Iterable[Problem],
) -> None:
    meeting.attendees.set(list(attendees))
    meeting.organisations.set(list(organisations))
    meeting.problems.set(list(problems))


@transaction.atomic
def create_meeting(
    *,
    actor: User,
    campaign: Campaign,
    kind: MeetingKind,
    title: str,
    held_on: datetime.date,
    place: str = "",
    chair: str = "",
    minutes: str = "",
    attendees: Sequence[User] = (),
    organisations: Sequence[Organisation] = (),
    problems: Iterable[Problem] = (),
    attachments: Sequence[UploadedFile] = (),
    date_is_illustrative: bool = False,
    at: datetime.datetime | None = None,
) -> Meeting:
    at = _now(at)
    _require_manager(actor, campaign)
    title = _required_text(title, "title", _("请填写会议名称。"))
    _check_meeting(campaign, kind, attendees, organisations)
    problems = _check_problems(campaign, problems)
    meeting = Meeting.objects.create(
        campaign=campaign,
        kind=kind,
        title=title,
        held_on=held_on,
        date_is_illustrative=date_is_illustrative,
        place=place.strip(),
        chair=chair.strip(),
        minutes=minutes.strip(),
        created_by=actor,
        created_at=at,
    )
    _save_links(meeting, attendees, organisations, problems)
    MeetingEvent.objects.create(
        meeting=meeting, kind=MeetingEventKind.CREATED, actor=actor, created_at=at
    )
    if attachments:
        add_meeting_attachments(actor=actor, meeting=meeting, uploads=attachments, at=at)
    return meeting


@transaction.atomic
def update_meeting(
    *,
    actor: User,
    meeting: Meeting,
    kind: MeetingKind,
    title: str,
    held_on: datetime.date,
    place: str = "",
    chair: str = "",
    minutes: str = "",
    attendees: Sequence[User] = (),
    organisations: Sequence[Organisation] = (),
    problems: Iterable[Problem] = (),
    attachments: Sequence[UploadedFile] = (),
    date_is_illustrative: bool = False,
    at: datetime.datetime | None = None,
) -> Meeting:
    at = _now(at)
    _require_manager(actor, meeting.campaign)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    title = _required_text(title, "title", _("请填写会议名称。"))
    _check_meeting(meeting.campaign, kind, attendees, organisations)
    problems = _check_problems(meeting.campaign, problems)
    values: dict[str, Any] = {
        "kind": kind,
        "title": title,
        "held_on": held_on,
        "date_is_illustrative": date_is_illustrative,
        "place": place.strip(),
        "chair": chair.strip(),
        "minutes": minutes.strip(),
    }
    changed = [field for field, value in values.items() if getattr(meeting, field) != value]
    for field in changed:
        setattr(meeting, field, values[field])
    meeting.save()
    _save_links(meeting, attendees, organisations, problems)
    MeetingEvent.objects.create(
        meeting=meeting,
        kind=MeetingEventKind.UPDATED,
        actor=actor,
        details={"fields": changed},
        created_at=at,
    )
    if attachments:
        add_meeting_attachments(actor=actor, meeting=meeting, uploads=attachments, at=at)
    return meeting


@transaction.atomic
def add_meeting_attachments(
    *,
    actor: User,
    meeting: Meeting,
    uploads: Sequence[UploadedFile],
    at: datetime.datetime | None = None,
) -> list[MeetingAttachment]:
    at = _now(at)
    _require_manager(actor, meeting.campaign)
    stored = _store(MeetingAttachment, uploads, actor, meeting=meeting, uploaded_at=at)
    MeetingEvent.objects.create(
        meeting=meeting,
        kind=MeetingEventKind.ATTACHED,
        actor=actor,
        details={"attachments": [item.name for item in stored]},
        created_at=at,
    )
    return stored


# --- special inquiry ----------------------------------------------------------------------


@transaction.atomic
def create_inquiry(
    *,
    actor: User,
    campaign: Campaign,
    title: str,
    held_on: datetime.date,
    meeting: Meeting | None = None,
    at: datetime.datetime | None = None,
) -> InquirySession:
    _require_manager(actor, campaign)
    title = _required_text(title, "title", _("请填写询问主题。"))
    if meeting is not None and (
        meeting.campaign_id != campaign.pk or meeting.kind.code != INQUIRY_KIND
    ):
        raise ValidationError(
            {"meeting": _("专题询问只能归属于本次联动监督的专题询问会。")}, code="meeting"
        )
    return InquirySession.objects.create(
        campaign=campaign, meeting=meeting, title=title, held_on=held_on, created_at=_now(at)
    )


@transaction.atomic
def add_respondent(
    *, actor: User, session: InquirySession, name: str, title: str, organisation: Organisation
) -> Respondent:
    _require_manager(actor, session.campaign)
    if not _in_scope(session.campaign, organisation):
        raise ValidationError(
            {"organisation": _("应询单位须为本级政府部门。")}, code="organisation"
        )
    if session.respondents.filter(organisation=organisation).exists():
        raise ValidationError(
            {"organisation": _("该单位已登记应询人。")}, code="duplicate_respondent"
        )
    return Respondent.objects.create(
        session=session,
        name=_required_text(name, "name", _("请填写姓名。")),
        title=_required_text(title, "title", _("请填写职务。")),
        organisation=organisation,
    )


def _question_values(
    session: InquirySession,
    *,
    organisation: Organisation,
    subject: str,
    text: str,
    asker_name: str,
    asker: User | None,
    answer: str,
    answered_by: Respondent | None,
) -> dict[str, Any]:
    """The checked fields of a question, the same when it is asked and when it is edited."""
    campaign = session.campaign
    if not _in_scope(campaign, organisation):
        raise ValidationError(
            {"organisation": _("被询问单位须为本级政府部门。")}, code="organisation"
        )
    if asker is not None and not (
        asker.organisation_id == campaign.congress_id and asker.role == Role.CONGRESS_MEMBER
    ):
        raise ValidationError({"asker": _("询问人须为本级人大常委会组成人员。")}, code="asker")
    asker_name = asker_name.strip() or (asker.full_name or asker.username if asker else "")
    if answered_by is not None and answered_by.session_id != session.pk:
        raise ValidationError(
            {"answered_by": _("答复人须为本次专题询问的应询人。")}, code="answered_by"
        )
    return {
        "asker": asker,
        "asker_name": _required_text(asker_name, "asker_name", _("请填写询问人。")),
        "organisation": organisation,
        "subject": _required_text(subject, "subject", _("请填写询问要点。")),
        "text": _required_text(text, "text", _("请填写询问内容。")),
        "answer": answer.strip(),
        "answered_by": answered_by,
    }


@transaction.atomic
def ask_question(
    *,
    actor: User,
    session: InquirySession,
    organisation: Organisation,
    subject: str,
    text: str,
    asker_name: str = "",
    asker: User | None = None,
    answer: str = "",
    answered_by: Respondent | None = None,
    problems: Iterable[Problem] = (),
) -> Question:
    """Record a question (and, when given, its answer) of the session."""
    session = InquirySession.objects.select_for_update().get(pk=session.pk)
    _require_manager(actor, session.campaign)
    values = _question_values(
        session,
        organisation=organisation,
        subject=subject,
        text=text,
        asker_name=asker_name,
        asker=asker,
        answer=answer,
        answered_by=answered_by,
    )
    problems = _check_problems(session.campaign, problems)
    number = (session.questions.aggregate(n=Max("number"))["n"] or 0) + 1
    question = Question.objects.create(session=session, number=number, **values)
    question.problems.set(problems)
    return question


@transaction.atomic
def update_question(
    *,
    actor: User,
    question: Question,
    organisation: Organisation,
    subject: str,
    text: str,
    asker_name: str = "",
    asker: User | None = None,
    answer: str = "",
    answered_by: Respondent | None = None,
    problems: Iterable[Problem] = (),
) -> Question:
    """Correct a question or record its answer, and the problems it concerns. The problem
    it became (``question_to_problem``) stays linked."""
    question = (
        Question.objects.select_for_update().select_related("session__campaign").get(pk=question.pk)
    )
    session = question.session
    _require_manager(actor, session.campaign)
    values = _question_values(
        session,
        organisation=organisation,
        subject=subject,
        text=text,
        asker_name=asker_name,
        asker=asker,
        answer=answer,
        answered_by=answered_by,
    )
    problems = _check_problems(session.campaign, problems)
    if question.problem is not None and question.problem not in problems:
        problems.append(question.problem)
    for field, value in values.items():
        setattr(question, field, value)
    question.save(update_fields=list(values))
    question.problems.set(problems)
    return question


@transaction.atomic
def question_to_problem(
    *,
    actor: User,
    question: Question,
    title: str = "",
    kind: str = Kind.COMMON,
    area: ProblemArea | None = None,
    at: datetime.datetime | None = None,
) -> Problem:
    """A question becomes a new entry of the problem list through the normal intake: a raw
    report (channel 人大检查调研) consolidated into a new problem; the link is kept."""
    at = _now(at)
    # Locked, so two clicks cannot make two problems of one question.
    question = (
        Question.objects.select_for_update().select_related("session__campaign").get(pk=question.pk)
    )
    campaign = question.session.campaign
    _require_manager(actor, campaign)
    if question.problem_id is not None:
        raise ValidationError(
            _("该询问已转为问题 %(code)s，不能重复转为问题。"),
            code="already_converted",
            params={"code": f"{question.problem.number:03d}"},  # type: ignore[union-attr]
        )
    text = f"{question.text}\n\n" + _("（专题询问：%(session)s，询问%(organisation)s）") % {
        "session": question.session.title,
        "organisation": question.organisation.name,
    }
    if question.answer:
        text += "\n" + _("答复：%(answer)s") % {"answer": question.answer}
    report = problem_actions.record_raw_report(
        actor=actor,
        campaign=campaign,
        channel=Channel.INSPECTION,
        text=text,
        region=campaign.region,
        reporter=question.asker_name,
        received_on=question.session.held_on,
    )
    problem = problem_actions.consolidate(
        actor=actor,
        campaign=campaign,
        reports=[report],
        title=title.strip() or question.subject,
        kind=kind,
        area=area,
        region=campaign.region,
        description=question.text,
        at=at,
    )
    question.problem = problem
    question.converted_by = actor
    question.converted_at = at
    question.save(update_fields=["problem", "converted_by", "converted_at"])
    question.problems.add(problem)
    return problem


# --- deliberation opinions ----------------------------------------------------------------


@transaction.atomic
def create_opinion(
    *,
    actor: User,
    campaign: Campaign,
    title: str,
    adopted_on: datetime.date,
    sent_on: datetime.date | None = None,
    preamble: str = "",
    meeting: Meeting | None = None,
    at: datetime.datetime | None = None,
) -> Opinion:
    _require_manager(actor, campaign)
    title = _required_text(title, "title", _("请填写标题。"))
    if sent_on is not None and sent_on < adopted_on:
        raise ValidationError({"sent_on": _("交市政府日期不能早于通过日期。")}, code="sent_on")
    if meeting is not None and meeting.campaign_id != campaign.pk:
        raise ValidationError({"meeting": _("会议须属于本次联动监督。")}, code="meeting")
    return Opinion.objects.create(
        campaign=campaign,
        meeting=meeting,
        title=title,
        adopted_on=adopted_on,
        sent_on=sent_on,
        preamble=preamble.strip(),
        created_at=_now(at),
    )


def _record(
    item: OpinionItem,
    kind: str,
    actor: User | None,
    at: datetime.datetime,
    *,
    note: str = "",
    from_status: str = "",
    to_status: str = "",
) -> ItemEvent:
    return ItemEvent.objects.create(
        item=item,
        kind=kind,
        actor=actor,
        note=note,
        from_status=from_status,
        to_status=to_status,
        created_at=at,
    )


@transaction.atomic
def add_opinion_item(
    *,
    actor: User,
    opinion: Opinion,
    text: str,
    responsible: Organisation,
    deadline: datetime.date,
    problems: Iterable[Problem] = (),
    at: datetime.datetime | None = None,
) -> OpinionItem:
    at = _now(at)
    opinion = Opinion.objects.select_for_update().select_related("campaign").get(pk=opinion.pk)
    _require_manager(actor, opinion.campaign)
    text = _required_text(text, "text", _("请填写意见内容。"))
    if not _answerable_by(opinion.campaign, responsible):
        raise ValidationError(
            {"responsible": _("责任单位须为本级政府部门或下一级人大常委会。")}, code="responsible"
        )
    if deadline < opinion.adopted_on:
        raise ValidationError(
            {"deadline": _("办理时限不能早于审议意见通过日期。")}, code="deadline"
        )
    number = (opinion.items.aggregate(n=Max("number"))["n"] or 0) + 1
    item = OpinionItem.objects.create(
        opinion=opinion, number=number, text=text, responsible=responsible, deadline=deadline
    )
    item.problems.set(_check_problems(opinion.campaign, problems))
    _record(item, ItemEventKind.CREATED, actor, at, to_status=ItemStatus.OPEN)
    return item


# What an item's history says was changed.
ITEM_FIELD_LABELS = {
    "text": _lazy("意见内容"),
    "responsible": _lazy("责任单位"),
    "deadline": _lazy("办理时限"),
    "problems": _lazy("相关问题"),
}


@transaction.atomic
def update_opinion_item(
    *,
    actor: User,
    item: OpinionItem,
    text: str,
    responsible: Organisation,
    deadline: datetime.date,
    problems: Iterable[Problem] = (),
    at: datetime.datetime | None = None,
) -> OpinionItem:
    """Correct an item not yet closed; its number and status stay, the change is recorded."""
    at = _now(at)
    item = (
        OpinionItem.objects.select_for_update()
        .select_related("opinion__campaign", "responsible")
        .get(pk=item.pk)
    )
    opinion = item.opinion
    _require_manager(actor, opinion.campaign)
    if item.status == ItemStatus.CLOSED:
        raise ValidationError(_("已销号的事项不能修改。"), code="closed")
    text = _required_text(text, "text", _("请填写意见内容。"))
    if not _answerable_by(opinion.campaign, responsible):
        raise ValidationError(
            {"responsible": _("责任单位须为本级政府部门或下一级人大常委会。")}, code="responsible"
        )
    # The answers on file were given by the organisation held to the item: they stay its.
    if responsible.pk != item.responsible_id and item.responses.exists():
        raise ValidationError(
            {"responsible": _("该事项已有答复，不能更换责任单位。")}, code="responsible_answered"
        )
    if deadline < opinion.adopted_on:
        raise ValidationError(
            {"deadline": _("办理时限不能早于审议意见通过日期。")}, code="deadline"
        )
    problems = _check_problems(opinion.campaign, problems)
    values: dict[str, Any] = {"text": text, "responsible": responsible, "deadline": deadline}
    changed = [field for field, value in values.items() if getattr(item, field) != value]
    for field in changed:
        setattr(item, field, values[field])
    item.save(update_fields=list(values))
    before = set(item.problems.values_list("pk", flat=True))
    item.problems.set(problems)
    if before != {problem.pk for problem in problems}:
        changed.append("problems")
    if changed:
        note = "、".join(str(ITEM_FIELD_LABELS[field]) for field in changed)
        _record(item, ItemEventKind.UPDATED, actor, at, note=note)
    return item


def _locked(item: OpinionItem) -> OpinionItem:
    fresh = OpinionItem.objects.select_for_update().get(pk=item.pk)
    item.status = fresh.status
    item.closed_at = fresh.closed_at
    return item


def _move(
    item: OpinionItem,
    to: str,
    kind: str,
    actor: User,
    at: datetime.datetime,
    note: str = "",
) -> None:
    current = item.status
    if to not in ITEM_TRANSITIONS[current]:
        raise ValidationError(
            _("事项当前状态为“%(current)s”，不能变为“%(target)s”。"),
            code="invalid_transition",
            params={"current": ItemStatus(current).label, "target": ItemStatus(to).label},
        )
    item.status = to
    item.closed_at = at if to == ItemStatus.CLOSED else None
    item.save(update_fields=["status", "closed_at"])
    _record(item, kind, actor, at, note=note, from_status=current, to_status=to)


@transaction.atomic
def answer_item(
    *,
    actor: User,
    item: OpinionItem,
    text: str,
    responded_on: datetime.date | None = None,
    evidence: Sequence[UploadedFile] = (),
    at: datetime.datetime | None = None,
) -> ItemResponse:
    """The responsible organisation answers the item in its rectification report."""
    at = _now(at)
    if not is_responsible(actor, item):
        raise PermissionDenied(_("只有责任单位可以答复该事项。"))
    item = _locked(item)
    text = _required_text(text, "text", _("请填写整改落实情况。"))
    today = timezone.localdate(at)
    responded_on = responded_on or today
    if not item.opinion.adopted_on <= responded_on <= today:
        raise ValidationError(
            {"responded_on": _("答复日期须在审议意见通过日期（%(adopted)s）和今天之间。")},
            code="responded_on",
            params={"adopted": item.opinion.adopted_on.isoformat()},
        )
    _move(item, ItemStatus.ANSWERED, ItemEventKind.ANSWERED, actor, at, note=text)
    assert actor.organisation is not None
    response = ItemResponse.objects.create(
        item=item,
        organisation=actor.organisation,
        author=actor,
        text=text,
        responded_on=responded_on,
        created_at=at,
    )
    _store(ResponseEvidence, evidence, actor, response=response, uploaded_at=at)
    return response


@transaction.atomic
def close_item(
    *, actor: User, item: OpinionItem, note: str = "", at: datetime.datetime | None = None
) -> OpinionItem:
    """The committee accepts the answer: the item is closed (销号)."""
    at = _now(at)
    _require_manager(actor, item.opinion.campaign)
    item = _locked(item)
    _move(item, ItemStatus.CLOSED, ItemEventKind.CLOSED, actor, at, note=note.strip())
    return item


@transaction.atomic
def return_item(
    *, actor: User, item: OpinionItem, reason: str, at: datetime.datetime | None = None
) -> OpinionItem:
    """The answer does not satisfy the committee: the item is open again, with the reason."""
    at = _now(at)
    _require_manager(actor, item.opinion.campaign)
    item = _locked(item)
    reason = _required_text(reason, "reason", _("退回时请说明理由。"))
    _move(item, ItemStatus.OPEN, ItemEventKind.RETURNED, actor, at, note=reason)
    return item
