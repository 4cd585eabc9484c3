"""Meetings of a campaign, the special inquiry, and the deliberation opinions followed item by
item until the standing committee closes them."""

from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oversight.campaigns.models import Campaign
from oversight.organisations.models import Organisation
from oversight.problems.models import Problem
from oversight.problems.validators import NAME_MAX_LENGTH
from oversight.topics.models import MeetingKind
from oversight.utilities.uploads import extension_for

if TYPE_CHECKING:
    from oversight.accounts.models import User

# The meeting kind (topic data) a special-inquiry session may belong to.
INQUIRY_KIND = "special-inquiry"


def _campaigns_seen_by(user: User) -> models.QuerySet[Campaign]:
    return Campaign.objects.visible_to(user)


# --- meetings -----------------------------------------------------------------------------


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def visible_to(self, user: User) -> MeetingQuerySet:
        """Meetings are the congress's own business: seen with the campaign, by its congress
        and those above it (``Campaign.objects.visible_to``)."""
        return self.filter(campaign__in=_campaigns_seen_by(user))


class Meeting(models.Model):
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("联动监督"), on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.ForeignKey(MeetingKind, verbose_name=_("会议类型"), on_delete=models.PROTECT)
    title = models.CharField(_("会议名称"), max_length=100)
    held_on = models.DateField(_("会议日期"))
    date_is_illustrative = models.BooleanField(
        _("日期为示意"), default=False, help_text=_("依据材料未载明具体日期，此日期为示意。")
    )
    place = models.CharField(_("会议地点"), max_length=100, blank=True)
    chair = models.CharField(_("主持人"), max_length=100, blank=True)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("出席人员"),
        blank=True,
        related_name="meetings_attended",
    )
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("参会单位"), blank=True, related_name="meetings_attended"
    )
    minutes = models.TextField(_("会议纪要"), blank=True)
    problems = models.ManyToManyField(
        Problem, verbose_name=_("研究的问题"), blank=True, related_name="meetings"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("录入时间"), default=timezone.now)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["held_on", "pk"]
        indexes = [models.Index(fields=["campaign", "held_on"])]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"


def stored_path(instance: models.Model, filename: str) -> str:
    """A random name with the extension the content was checked to have: the uploader's
    file name never reaches the file system (it is kept in ``name``)."""
    extension = extension_for(instance.content_type)  # type: ignore[attr-defined]
    return f"meetings/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class StoredFile(models.Model):
    file = models.FileField(_("文件"), upload_to=stored_path)
    name = models.CharField(_("文件名"), max_length=NAME_MAX_LENGTH)
    size = models.PositiveIntegerField(_("大小（字节）"))
    content_type = models.CharField(
        _("文件类型"),
        max_length=100,
        default="application/octet-stream",
        help_text=_("按文件内容核实的 MIME 类型，下载时原样发送。"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


class MeetingAttachment(StoredFile):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="attachments"
    )

    class Meta:
        verbose_name = _("会议材料")
        verbose_name_plural = _("会议材料")
        ordering = ["uploaded_at", "pk"]


class MeetingEventKind(models.TextChoices):
    CREATED = "created", _("登记会议")
    UPDATED = "updated", _("修改会议")
    ATTACHED = "attached", _("上传会议材料")


class MeetingEvent(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("事项"), max_length=12, choices=MeetingEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    details = models.JSONField(_("详情"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("会议记录")
        verbose_name_plural = _("会议记录")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"


# --- special inquiry ----------------------------------------------------------------------


class InquiryQuerySet(models.QuerySet["InquirySession"]):
    def visible_to(self, user: User) -> InquiryQuerySet:
        return self.filter(campaign__in=_campaigns_seen_by(user))


class InquirySession(models.Model):
    """专题询问: members question the heads of departments, who answer in the session."""

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("联动监督"),
        on_delete=models.PROTECT,
        related_name="inquiry_sessions",
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("所属会议"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inquiry_sessions",
    )
    title = models.CharField(_("询问主题"), max_length=100)
    held_on = models.DateField(_("询问日期"))
    created_at = models.DateTimeField(_("录入时间"), default=timezone.now)

    objects = InquiryQuerySet.as_manager()

    class Meta:
        verbose_name = _("专题询问")
        verbose_name_plural = _("专题询问")
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return self.title


class Respondent(models.Model):
    """A department head who answers (应询人)."""

    session = models.ForeignKey(
        InquirySession,
        verbose_name=_("专题询问"),
        on_delete=models.CASCADE,
        related_name="respondents",
    )
    name = models.CharField(_("姓名"), max_length=50)
    title = models.CharField(_("职务"), max_length=50)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("应询人")
        verbose_name_plural = _("应询人")
        ordering = ["session", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "organisation"],
                name="%(app_label)s_%(class)s_one_per_organisation",
                violation_error_message=_("同一单位在一次专题询问中只登记一名应询人。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.title} {self.name}"


class Question(models.Model):
    session = models.ForeignKey(
        InquirySession,
        verbose_name=_("专题询问"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    number = models.PositiveSmallIntegerField(_("序号"))
    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("询问人（账号）"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    asker_name = models.CharField(_("询问人"), max_length=50)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("被询问单位"), on_delete=models.PROTECT, related_name="+"
    )
    subject = models.CharField(_("询问要点"), max_length=100)
    text = models.TextField(_("询问内容"))
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(
        Respondent,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="answers",
    )
    problems = models.ManyToManyField(
        Problem, verbose_name=_("相关问题"), blank=True, related_name="inquiry_questions"
    )
    # The problem this question became (question_to_problem): one at most, never two.
    problem = models.OneToOneField(
        Problem,
        verbose_name=_("转为问题"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="source_question",
    )
    converted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("转为问题操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    converted_at = models.DateTimeField(_("转为问题时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("询问")
        verbose_name_plural = _("询问")
        ordering = ["session", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "number"],
                name="%(app_label)s_%(class)s_unique_number",
                violation_error_message=_("同一专题询问中序号不能重复。"),
            ),
            models.CheckConstraint(
                condition=Q(problem__isnull=True) | Q(converted_at__isnull=False),
                name="%(app_label)s_%(class)s_converted_at_iff_problem",
                violation_error_message=_("转为问题时须记录时间。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.subject}"


# --- deliberation opinions ----------------------------------------------------------------


class OpinionQuerySet(models.QuerySet["Opinion"]):
    def visible_to(self, user: User) -> OpinionQuerySet:
        """The whole opinion with the campaign; a responsible organisation sees the opinions
        that hold an item of its (and, on them, only its own items: ``OpinionItem``)."""
        items = OpinionItem.objects.visible_to(user)
        return self.filter(
            Q(campaign__in=_campaigns_seen_by(user)) | Q(pk__in=items.values("opinion"))
        )


class Opinion(models.Model):
    """审议意见: what the standing committee requires of the government, item by item."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("联动监督"), on_delete=models.PROTECT, related_name="opinions"
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("审议的会议"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opinions",
    )
    title = models.CharField(_("标题"), max_length=200)
    adopted_on = models.DateField(_("通过日期"))
    sent_on = models.DateField(_("交市政府日期"), null=True, blank=True)
    preamble = models.TextField(_("总体意见"), blank=True)
    created_at = models.DateTimeField(_("录入时间"), default=timezone.now)

    objects = OpinionQuerySet.as_manager()

    class Meta:
        verbose_name = _("审议意见")
        verbose_name_plural = _("审议意见")
        ordering = ["adopted_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sent_on__isnull=True) | Q(sent_on__gte=models.F("adopted_on")),
                name="%(app_label)s_%(class)s_sent_after_adopted",
                violation_error_message=_("交市政府日期不能早于通过日期。"),
            )
        ]

    def __str__(self) -> str:
        return self.title


class ItemStatus(models.TextChoices):
    OPEN = "open", _("办理中")
    ANSWERED = "answered", _("已答复")
    CLOSED = "closed", _("已销号")


# open → answered (the government answers), answered → closed (the committee closes it) or
# back to open (returned with a reason). A closed item stays closed.
ITEM_TRANSITIONS: dict[str, frozenset[str]] = {
    ItemStatus.OPEN: frozenset({ItemStatus.ANSWERED}),
    ItemStatus.ANSWERED: frozenset({ItemStatus.CLOSED, ItemStatus.OPEN}),
    ItemStatus.CLOSED: frozenset(),
}


def item_overdue_q(today: datetime.date) -> Q:
    """The one definition of an overdue item: past its deadline and not yet answered."""
    return Q(deadline__lt=today, status=ItemStatus.OPEN)


class OpinionItemQuerySet(models.QuerySet["OpinionItem"]):
    def visible_to(self, user: User) -> OpinionItemQuerySet:
        """Congress users see every item of the campaigns they see; the responsible
        organisation's liaison (or county staff) sees the items assigned to it."""
        if user.is_superuser:
            return self.all()
        scope = Q(opinion__campaign__in=_campaigns_seen_by(user))
        if user.is_assignee_user:
            scope |= Q(responsible=user.organisation_id)
        return self.filter(scope)

    def overdue(self, today: datetime.date | None = None) -> OpinionItemQuerySet:
        return self.filter(item_overdue_q(today or timezone.localdate()))


class OpinionItem(models.Model):
    opinion = models.ForeignKey(
        Opinion, verbose_name=_("审议意见"), on_delete=models.CASCADE, related_name="items"
    )
    number = models.PositiveSmallIntegerField(_("序号"))
    text = models.TextField(_("意见内容"))
    responsible = models.ForeignKey(
        Organisation,
        verbose_name=_("责任单位"),
        on_delete=models.PROTECT,
        related_name="opinion_items",
    )
    deadline = models.DateField(_("办理时限"))
    status = models.CharField(
        _("状态"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.OPEN
    )
    problems = models.ManyToManyField(
        Problem, verbose_name=_("相关问题"), blank=True, related_name="opinion_items"
    )
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)

    objects = OpinionItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("审议意见事项")
        verbose_name_plural = _("审议意见事项")
        ordering = ["opinion", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["opinion", "number"],
                name="%(app_label)s_%(class)s_unique_number",
                violation_error_message=_("同一审议意见中事项序号不能重复。"),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ItemStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
                violation_error_message=_("事项状态无效。"),
            ),
            models.CheckConstraint(
                condition=Q(status="closed", closed_at__isnull=False)
                | (~Q(status="closed") & Q(closed_at__isnull=True)),
                name="%(app_label)s_%(class)s_closed_at_iff_closed",
                violation_error_message=_("只有已销号的事项才有销号时间。"),
            ),
        ]
        indexes = [models.Index(fields=["responsible", "status"])]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:30]}"

    @property
    def is_overdue(self) -> bool:
        """Same rule as ``item_overdue_q``, for one item already in memory."""
        return self.status == ItemStatus.OPEN and self.deadline < timezone.localdate()


class ItemResponse(models.Model):
    """One answer of the government's rectification report to one item."""

    item = models.ForeignKey(
        OpinionItem, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="responses"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("答复单位"), on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("整改落实情况"))
    responded_on = models.DateField(_("答复日期"))
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)

    class Meta:
        verbose_name = _("事项答复")
        verbose_name_plural = _("事项答复")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:40]


class ResponseEvidence(StoredFile):
    response = models.ForeignKey(
        ItemResponse,
        verbose_name=_("事项答复"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["uploaded_at", "pk"]


class ItemEventKind(models.TextChoices):
    CREATED = "created", _("提出意见")
    UPDATED = "updated", _("修改事项")
    ANSWERED = "answered", _("答复整改情况")
    CLOSED = "closed", _("销号")
    RETURNED = "returned", _("退回继续办理")


class ItemEvent(models.Model):
    """One change of an item: who, when, what; the item's history."""

    item = models.ForeignKey(
        OpinionItem, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("事项"), max_length=12, choices=ItemEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    from_status = models.CharField(
        _("原状态"), max_length=10, choices=ItemStatus.choices, blank=True
    )
    to_status = models.CharField(_("新状态"), max_length=10, choices=ItemStatus.choices, blank=True)
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("事项记录")
        verbose_name_plural = _("事项记录")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"
