"""Every change of a questionnaire goes through these functions: atomic, checked, and on a
refusal nothing is stored (every answer is validated before the first row is written)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from oversight.campaigns.models import Campaign
from oversight.problems.actions import record_raw_report
from oversight.problems.models import Channel, RawReport
from oversight.problems.permissions import require_manager
from oversight.regions.models import Region

from .models import (
    CHOICE_KINDS,
    Answer,
    Option,
    Question,
    QuestionKind,
    Questionnaire,
    Response,
    ResponseChannel,
    Status,
)

if TYPE_CHECKING:
    from oversight.accounts.models import User

TITLE_MAX_LENGTH = 100
DESCRIPTION_MAX_LENGTH = 2000
QUESTION_MAX_LENGTH = 300
OPTION_MAX_LENGTH = 200
MAX_OPTIONS = 50
MAX_QUESTIONS = 60
# A free-text answer: long enough for a paragraph, short enough that no one pastes a book.
TEXT_ANSWER_MAX_LENGTH = 1000
SCALE_DEFAULT = 5
SCALE_LIMITS = (2, 10)

# What an answer form hands over per question id: an option id (single), option ids
# (multiple), a score (rating), a region id (region) or a text (text); None when unanswered.
AnswerValue = int | str | Sequence[int] | None


def region_choices(campaign: Campaign) -> QuerySet[Region]:
    """The regions a region question offers: the campaign's region and those below it."""
    return campaign.regions().order_by("code")


def _require_manager(actor: User, campaign: Campaign) -> None:
    require_manager(actor, campaign, _("只有组织本次联动监督的人大工作人员可以管理问卷。"))


def _require_draft(questionnaire: Questionnaire) -> None:
    if questionnaire.status != Status.DRAFT:
        raise ValidationError(_("问卷已发布，不能再修改题目。"), code="not_draft")


def _required_text(value: str, field: str, message: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message}, code="required")
    if len(value) > limit:
        raise ValidationError(
            {field: _("不能超过 %(limit)s 个字。") % {"limit": limit}}, code="too_long"
        )
    return value


# --- building -----------------------------------------------------------------------------


@transaction.atomic
def create_questionnaire(
    *,
    actor: User,
    campaign: Campaign,
    title: str,
    description: str = "",
    allow_repeat: bool = False,
    at: datetime.datetime | None = None,
) -> Questionnaire:
    _require_manager(actor, campaign)
    title = _required_text(title, "title", _("请填写问卷标题。"), TITLE_MAX_LENGTH)
    if len(description) > DESCRIPTION_MAX_LENGTH:
        raise ValidationError(
            {"description": _("问卷说明不能超过 %(n)s 个字。") % {"n": DESCRIPTION_MAX_LENGTH}},
            code="too_long",
        )
    return Questionnaire.objects.create(
        campaign=campaign,
        title=title,
        description=description.strip(),
        allow_repeat=allow_repeat,
        created_by=actor,
        created_at=at or timezone.now(),
    )


def _clean_options(options: Iterable[str]) -> list[str]:
    cleaned = [option.strip() for option in options if option.strip()]
    if len(cleaned) < 2:
        raise ValidationError({"options": _("选择题至少要有两个选项。")}, code="few_options")
    if len(cleaned) > MAX_OPTIONS:
        raise ValidationError(
            {"options": _("选项不能超过 %(n)s 个。") % {"n": MAX_OPTIONS}}, code="many_options"
        )
    if any(len(option) > OPTION_MAX_LENGTH for option in cleaned):
        raise ValidationError(
            {"options": _("每个选项不能超过 %(n)s 个字。") % {"n": OPTION_MAX_LENGTH}},
            code="too_long",
        )
    if len(set(cleaned)) < len(cleaned):
        raise ValidationError({"options": _("选项不能重复。")}, code="duplicate_options")
    return cleaned


@transaction.atomic
def add_question(
    *,
    actor: User,
    questionnaire: Questionnaire,
    kind: str,
    text: str,
    required: bool = True,
    options: Sequence[str] = (),
    max_choices: int | None = None,
    scale_max: int | None = None,
) -> Question:
    """A question at the end of the draft. Choice questions carry their options; a region
    question offers the campaign's regions; a rating question a scale from 1."""
    _require_manager(actor, questionnaire.campaign)
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    _require_draft(questionnaire)
    if kind not in QuestionKind.values:
        raise ValidationError({"kind": _("请选择题型。")}, code="invalid_kind")
    text = _required_text(text, "text", _("请填写题目。"), QUESTION_MAX_LENGTH)
    questions = questionnaire.questions.all()
    if questions.count() >= MAX_QUESTIONS:
        raise ValidationError(
            _("一份问卷最多 %(n)s 道题。") % {"n": MAX_QUESTIONS}, code="many_questions"
        )
    cleaned = _clean_options(options) if kind in CHOICE_KINDS else []
    if (
        kind == QuestionKind.MULTIPLE
        and max_choices is not None
        and not 1 <= max_choices <= len(cleaned)
    ):
        raise ValidationError(
            {"max_choices": _("最多选几项须在 1 到选项数之间。")}, code="max_choices"
        )
    if kind == QuestionKind.RATING:
        scale_max = scale_max or SCALE_DEFAULT
        if not SCALE_LIMITS[0] <= scale_max <= SCALE_LIMITS[1]:
            raise ValidationError(
                {
                    "scale_max": _("评分最高分须在 %(low)s 到 %(high)s 之间。")
                    % {"low": SCALE_LIMITS[0], "high": SCALE_LIMITS[1]}
                },
                code="scale",
            )
    if kind == QuestionKind.REGION and questions.filter(kind=QuestionKind.REGION).exists():
        raise ValidationError({"kind": _("一份问卷只能有一道地区题。")}, code="second_region")
    last = questions.aggregate(last=Max("position"))["last"] or 0
    question = Question.objects.create(
        questionnaire=questionnaire,
        position=last + 1,
        kind=kind,
        text=text,
        required=required,
        max_choices=max_choices if kind == QuestionKind.MULTIPLE else None,
        scale_max=scale_max if kind == QuestionKind.RATING else None,
    )
    Option.objects.bulk_create(
        Option(question=question, position=number, text=option)
        for number, option in enumerate(cleaned, start=1)
    )
    return question


def _renumber(questionnaire: Questionnaire) -> None:
    for number, question in enumerate(questionnaire.questions.order_by("position", "pk"), 1):
        if question.position != number:
            Question.objects.filter(pk=question.pk).update(position=number)


@transaction.atomic
def remove_question(*, actor: User, question: Question) -> None:
    questionnaire = question.questionnaire
    _require_manager(actor, questionnaire.campaign)
    _require_draft(Questionnaire.objects.select_for_update().get(pk=questionnaire.pk))
    question.delete()
    _renumber(questionnaire)


@transaction.atomic
def move_question(*, actor: User, question: Question, up: bool) -> None:
    """Swap the question with its neighbour above (``up``) or below; at an end, nothing."""
    questionnaire = question.questionnaire
    _require_manager(actor, questionnaire.campaign)
    _require_draft(Questionnaire.objects.select_for_update().get(pk=questionnaire.pk))
    _renumber(questionnaire)
    ordered = list(questionnaire.questions.order_by("position", "pk"))
    index = next(i for i, q in enumerate(ordered) if q.pk == question.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(ordered):
        return
    first, second = ordered[index], ordered[other]
    Question.objects.filter(pk=first.pk).update(position=second.position)
    Question.objects.filter(pk=second.pk).update(position=first.position)


@transaction.atomic
def update_settings(*, actor: User, questionnaire: Questionnaire, allow_repeat: bool) -> None:
    _require_manager(actor, questionnaire.campaign)
    Questionnaire.objects.filter(pk=questionnaire.pk).update(allow_repeat=allow_repeat)
    questionnaire.allow_repeat = allow_repeat


# --- lifecycle ----------------------------------------------------------------------------


@transaction.atomic
def publish(
    *, actor: User, questionnaire: Questionnaire, at: datetime.datetime | None = None
) -> Questionnaire:
    _require_manager(actor, questionnaire.campaign)
    locked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if locked.status != Status.DRAFT:
        raise ValidationError(_("只有草稿状态的问卷可以发布。"), code="not_draft")
    if not locked.questions.exists():
        raise ValidationError(_("问卷还没有题目，不能发布。"), code="no_questions")
    locked.status = Status.PUBLISHED
    locked.published_at = at or timezone.now()
    locked.save(update_fields=["status", "published_at"])
    return locked


@transaction.atomic
def close(
    *, actor: User, questionnaire: Questionnaire, at: datetime.datetime | None = None
) -> Questionnaire:
    _require_manager(actor, questionnaire.campaign)
    locked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if locked.status != Status.PUBLISHED:
        raise ValidationError(_("只有已发布的问卷可以结束。"), code="not_published")
    locked.status = Status.CLOSED
    locked.closed_at = at or timezone.now()
    locked.save(update_fields=["status", "closed_at"])
    return locked


# --- answering ----------------------------------------------------------------------------


def _is_empty(value: AnswerValue) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, int):
        return False
    return len(value) == 0


def _as_id(value: AnswerValue) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    try:
        return int(value)
    except ValueError:
        return None


def _answer_rows(
    question: Question, value: AnswerValue, option_ids: set[int], region_ids: set[int]
) -> list[Answer]:
    """The rows one answer becomes, or a ValidationError saying why it cannot be taken."""
    invalid = ValidationError(_("回答无效，请重新选择。"), code="invalid")
    kind = question.kind
    if kind == QuestionKind.TEXT:
        text = str(value).strip()
        if len(text) > TEXT_ANSWER_MAX_LENGTH:
            raise ValidationError(
                _("回答不能超过 %(n)s 个字（现有 %(length)s 个字）。")
                % {"n": TEXT_ANSWER_MAX_LENGTH, "length": len(text)},
                code="too_long",
            )
        return [Answer(question=question, text=text)]
    if kind == QuestionKind.MULTIPLE:
        items: Sequence[int | str] = [value] if isinstance(value, str | int) else value or []
        typed = {_as_id(item) for item in items}
        chosen = {pk for pk in typed if pk is not None}
        if len(chosen) < len(typed) or not chosen <= option_ids:
            raise invalid
        if question.max_choices is not None and len(chosen) > question.max_choices:
            raise ValidationError(
                _("此题最多选择 %(n)s 项，您选择了 %(chosen)s 项。")
                % {"n": question.max_choices, "chosen": len(chosen)},
                code="too_many_choices",
            )
        return [Answer(question=question, option_id=pk) for pk in sorted(chosen)]
    number = _as_id(value)
    if kind == QuestionKind.SINGLE:
        if number not in option_ids:
            raise invalid
        return [Answer(question=question, option_id=number)]
    if kind == QuestionKind.RATING:
        if number not in question.scale:
            raise ValidationError(
                _("请选择 1 到 %(n)s 分。") % {"n": question.scale.stop - 1}, code="scale"
            )
        return [Answer(question=question, value=number)]
    if number not in region_ids:
        raise ValidationError(_("所选地区不在本次调查的范围内。"), code="region")
    return [Answer(question=question, region_id=number)]


def check_answers(questionnaire: Questionnaire, answers: Mapping[int, AnswerValue]) -> list[Answer]:
    """Every answer validated, unsaved; a ValidationError naming each question's field
    (``q<id>``) with what is wrong, and nothing else done."""
    questions = list(questionnaire.questions.prefetch_related("options"))
    unknown = set(answers) - {question.pk for question in questions}
    if unknown:
        raise ValidationError(_("提交的内容与问卷不符，请刷新页面后重新填写。"), code="unknown")
    region_ids: set[int] = set()
    if any(question.kind == QuestionKind.REGION for question in questions):
        region_ids = set(region_choices(questionnaire.campaign).values_list("pk", flat=True))
    rows: list[Answer] = []
    errors: dict[str, ValidationError] = {}
    for question in questions:
        value = answers.get(question.pk)
        if _is_empty(value):
            if question.required:
                errors[question.field_name] = ValidationError(_("此题为必答题。"), code="required")
            continue
        option_ids = {option.pk for option in question.options.all()}
        try:
            rows += _answer_rows(question, value, option_ids, region_ids)
        except ValidationError as error:
            errors[question.field_name] = error
    if errors:
        raise ValidationError(errors)
    return rows


@transaction.atomic
def submit_response(
    *,
    actor: User | None,
    questionnaire: Questionnaire,
    answers: Mapping[int, AnswerValue],
    channel: str = ResponseChannel.ONLINE,
    at: datetime.datetime | None = None,
) -> Response:
    """One filled-in questionnaire. Online: anyone, while it is published (``actor`` is
    None for the public). Offline: staff typing in paper forms, also after it closed
    (papers collected in time may be typed in later), never for a draft."""
    # The status as it is now, not as the page that was filled in saw it. No row lock:
    # answers arriving together must not queue on the questionnaire.
    questionnaire.status = Questionnaire.objects.values_list("status", flat=True).get(
        pk=questionnaire.pk
    )
    if channel == ResponseChannel.OFFLINE:
        if actor is None:
            raise PermissionDenied(_("线下答卷只能由人大工作人员录入。"))
        _require_manager(actor, questionnaire.campaign)
        if questionnaire.status == Status.DRAFT:
            raise ValidationError(_("问卷尚未发布，不能录入答卷。"), code="not_open")
    elif channel == ResponseChannel.ONLINE:
        if questionnaire.status != Status.PUBLISHED:
            raise ValidationError(_("本问卷目前不接受填写。"), code="not_open")
    else:
        raise ValidationError(_("答卷渠道无效。"), code="invalid_channel")
    rows = check_answers(questionnaire, answers)
    if not rows:
        raise ValidationError(_("请至少回答一道题。"), code="empty")
    region_id = next((row.region_id for row in rows if row.region_id is not None), None)
    response = Response.objects.create(
        questionnaire=questionnaire,
        channel=channel,
        entered_by=actor if channel == ResponseChannel.OFFLINE else None,
        region_id=region_id,
        created_at=at or timezone.now(),
    )
    for row in rows:
        row.response = response
    Answer.objects.bulk_create(rows)
    return response


# --- free text into raw reports -----------------------------------------------------------


@transaction.atomic
def convert_to_raw_reports(
    *, actor: User, questionnaire: Questionnaire, answer_ids: Sequence[int]
) -> list[RawReport]:
    """Each chosen free-text answer becomes a raw report of the public channel, linked from
    the answer. Answers already converted (here or concurrently) are left as they are."""
    campaign = questionnaire.campaign
    _require_manager(actor, campaign)
    if not answer_ids:
        raise ValidationError(_("请至少选择一条文字回答。"), code="no_answers")
    answers = list(
        Answer.objects.select_for_update()
        .filter(
            pk__in=answer_ids,
            response__questionnaire=questionnaire,
            question__kind=QuestionKind.TEXT,
            raw_report__isnull=True,
        )
        .exclude(text="")
        .select_related("response")
        .order_by("pk")
    )
    reports: list[RawReport] = []
    for answer in answers:
        report = record_raw_report(
            actor=actor,
            campaign=campaign,
            channel=Channel.PUBLIC,
            text=answer.text,
            region=answer.response.region,
            reporter=_("问卷“%(title)s”第 %(number)s 份答卷")
            % {"title": questionnaire.title[:40], "number": answer.response_id},
            received_on=timezone.localdate(answer.response.created_at),
        )
        answer.raw_report = report
        answer.save(update_fields=["raw_report"])
        reports.append(report)
    return reports
