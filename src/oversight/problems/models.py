"""Raw reports, the consolidated problem list, assignments, rectification and history."""

from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import connections, models
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from oversight.campaigns.models import Campaign
from oversight.organisations.models import Organisation
from oversight.regions.models import Region
from oversight.topics.models import ProblemArea
from oversight.utilities.uploads import extension_for

from .validators import NAME_MAX_LENGTH

if TYPE_CHECKING:
    from oversight.accounts.models import User


class Channel(models.TextChoices):
    SELF_INSPECTION = "self_inspection", _("政府自查")
    INSPECTION = "inspection", _("人大检查调研")
    DEPUTY = "deputy", _("人大代表反映")
    PUBLIC = "public", _("群众反映与问卷")
    UPPER_LEVEL = "upper_level", _("上级交办")


class Kind(models.TextChoices):
    MACRO = "macro", _("宏观政策类")
    COMMON = "common", _("共性问题")
    INDIVIDUAL = "individual", _("个性问题")


class Status(models.TextChoices):
    PENDING = "pending", _("待交办")
    ASSIGNED = "assigned", _("已交办")
    IN_PROGRESS = "in_progress", _("整改中")
    COMPLETION_REQUESTED = "completion_requested", _("申请办结")
    COMPLETED = "completed", _("已办结")


# The only moves a problem's status may make; 退回 is completion_requested → in_progress.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.PENDING: frozenset({Status.ASSIGNED}),
    Status.ASSIGNED: frozenset({Status.IN_PROGRESS}),
    Status.IN_PROGRESS: frozenset({Status.COMPLETION_REQUESTED}),
    Status.COMPLETION_REQUESTED: frozenset({Status.COMPLETED, Status.IN_PROGRESS}),
    Status.COMPLETED: frozenset(),
}
# While the assignee is working on it: progress may be reported, and lateness is theirs.
# A problem whose completion claim awaits review is not overdue: the wait is the congress's.
BEING_RECTIFIED = frozenset({Status.ASSIGNED, Status.IN_PROGRESS})


def overdue_q(today: datetime.date) -> Q:
    """The one definition of 逾期: past the deadline while still being rectified."""
    return Q(assignment__deadline__lt=today, status__in=BEING_RECTIFIED)


class RectificationType(models.TextChoices):
    IMMEDIATE = "immediate", _("立行立改")
    ONGOING = "ongoing", _("持续整改")
    TOP_LEVEL = "top_level", _("涉及顶层设计")


class Bigrams(models.Func):
    """A text's distinct upper-cased two-character pieces (PostgreSQL, migration 0007)."""

    function = "oversight_bigrams"
    output_field = ArrayField(models.TextField())


class ProblemQuerySet(models.QuerySet["Problem"]):
    def visible_to(self, user: User) -> ProblemQuerySet:
        """The one place that decides which problems a user may see.

        Congress users see their region's campaigns and everything below, plus what was
        assigned to their congress; departments see what they lead or co-handle.
        """
        if user.is_superuser:
            return self.all()
        organisation = user.organisation
        # A deputy's organisation is a congress, but a deputy handles nothing of it.
        if organisation is None or not user.role or user.is_deputy:
            return self.none()
        if user.is_congress_user:
            return self.filter(
                organisation.region.subtree_q("campaign__region") | self._handled_by_q(organisation)
            )
        return self.filter(self._handled_by_q(organisation))

    def in_campaign(self, campaign: Campaign, user: User) -> ProblemQuerySet:
        """The campaign's problems the user may see.

        Where the user may see the campaign as a whole, that is every problem of it: decided
        once for the campaign, so the query is a plain filter that an index serves, instead of
        ``visible_to``'s test on every row (the same answer, at province scale far faster).
        """
        if Campaign.objects.visible_to(user).filter(pk=campaign.pk).exists():
            return self.filter(campaign=campaign)
        return self.visible_to(user).filter(campaign=campaign)

    def search(self, text: str) -> ProblemQuerySet:
        """Problems whose title or description contains ``text``, or whose number it is.

        On PostgreSQL indexes serve the containment: trigram indexes from three characters
        (migration 0005), bigram indexes for two (0007), the usual length of a Chinese term.
        """
        text = text.strip()
        found = self
        if len(text) == 2 and connections[self.db].vendor == "postgresql":
            pair = [text.upper()]
            found = self.alias(title_pairs=Bigrams("title"), text_pairs=Bigrams("description"))
            query = Q(title_pairs__contains=pair) | Q(text_pairs__contains=pair)
        else:
            query = Q(title__icontains=text) | Q(description__icontains=text)
        if text.isdecimal() and text.isascii() and len(text) < 10:
            query |= Q(number=int(text))
        return found.filter(query)

    @staticmethod
    def _handled_by_q(organisation: Organisation) -> Q:
        """Led or co-handled by ``organisation``: a test on the problem's assignment alone
        (its lead, or its id among the few the organisation co-handles), so that a query
        ordered by deadline or number walks an index and stops at the page's end."""
        co_handled = Assignment.co_departments.through.objects.filter(
            organisation=organisation
        ).values("assignment_id")
        return Q(assignment__assignee=organisation) | Q(assignment__in=co_handled)

    def handled_by(self, organisation: Organisation) -> ProblemQuerySet:
        """Problems the organisation leads or co-handles."""
        return self.filter(self._handled_by_q(organisation))

    def workload_of(self, user: User) -> ProblemQuerySet:
        """What the user's organisation leads or co-handles (the workspace).

        ``visible_to`` grants every user with a role what their organisation handles, so
        this is always inside it; testing both would only run the same subquery twice.
        """
        if user.organisation is None or not user.role or user.is_deputy:
            return self.none()
        return self.handled_by(user.organisation)

    def overdue(self, today: datetime.date | None = None) -> ProblemQuerySet:
        return self.filter(overdue_q(today or timezone.localdate()))

    def with_lateness(self, today: datetime.date | None = None) -> ProblemQuerySet:
        """Annotate ``is_late`` (1 or 0) for ordering overdue problems first."""
        late = overdue_q(today or timezone.localdate())
        return self.annotate(
            is_late=Case(When(late, then=Value(1)), default=Value(0), output_field=IntegerField())
        )


class RawReport(models.Model):
    """A problem as one channel reported it. Never deleted: merging links it to a problem."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("联动监督"), on_delete=models.PROTECT, related_name="raw_reports"
    )
    channel = models.CharField(_("来源渠道"), max_length=20, choices=Channel.choices)
    text = models.TextField(_("反映内容"))
    reporter = models.CharField(_("反映人/单位"), max_length=100, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("涉及地区"), null=True, blank=True, on_delete=models.PROTECT
    )
    received_on = models.DateField(_("收到日期"), default=timezone.localdate)
    problem = models.ForeignKey(
        "Problem",
        verbose_name=_("归并到问题"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="raw_reports",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("原始问题")
        verbose_name_plural = _("原始问题")
        ordering = ["received_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values),
                name="%(app_label)s_%(class)s_channel_valid",
                violation_error_message=_("来源渠道无效。"),
            )
        ]
        indexes = [
            # The intake page lists the reports still to merge, in order: few among many.
            models.Index(
                fields=["campaign", "received_on", "id"],
                condition=Q(problem__isnull=True),
                name="problems_rawreport_unmerged",
            )
        ]

    def __str__(self) -> str:
        return self.text[:40]


class Problem(models.Model):
    """One entry of the consolidated problem list (问题清单)."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("联动监督"), on_delete=models.PROTECT, related_name="problems"
    )
    number = models.PositiveIntegerField(_("编号"))
    title = models.CharField(_("问题"), max_length=100)
    description = models.TextField(_("问题描述"), blank=True)
    kind = models.CharField(_("问题类别"), max_length=12, choices=Kind.choices)
    area = models.ForeignKey(
        ProblemArea, verbose_name=_("问题领域"), null=True, blank=True, on_delete=models.PROTECT
    )
    region = models.ForeignKey(Region, verbose_name=_("涉及地区"), on_delete=models.PROTECT)
    status = models.CharField(
        _("状态"), max_length=24, choices=Status.choices, default=Status.PENDING
    )
    rectification_type = models.CharField(
        _("整改类型"), max_length=12, choices=RectificationType.choices, blank=True
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    completed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    # 上级交办: the problem of the campaign above that was assigned to this campaign's
    # congress. The upper problem reads this one's progress through the link; nothing is
    # copied up, so the two cannot drift apart.
    upper = models.ForeignKey(
        "self",
        verbose_name=_("上级交办的问题"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lower_problems",
    )

    objects = ProblemQuerySet.as_manager()

    class Meta:
        verbose_name = _("问题")
        verbose_name_plural = _("问题清单")
        # The column, not the campaign's own ordering: no join, and the unique index on
        # (campaign, number) hands rows over in order, so LIMIT stops early.
        ordering = ["campaign_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "number"],
                name="%(app_label)s_%(class)s_unique_number",
                violation_error_message=_("同一联动监督中问题编号不能重复。"),
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values),
                name="%(app_label)s_%(class)s_status_valid",
                violation_error_message=_("问题状态无效。"),
            ),
            models.CheckConstraint(
                condition=Q(status="completed", completed_at__isnull=False)
                | (~Q(status="completed") & Q(completed_at__isnull=True)),
                name="%(app_label)s_%(class)s_completed_at_iff_completed",
                violation_error_message=_("只有已办结的问题才有办结时间。"),
            ),
        ]
        indexes = [models.Index(fields=["campaign", "status"])]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def code(self) -> str:
        return f"{self.number:03d}"


class Assignment(models.Model):
    """Who answers for a problem (交办): a lead department or a lower-level congress."""

    problem = models.OneToOneField(
        Problem, verbose_name=_("问题"), on_delete=models.CASCADE, related_name="assignment"
    )
    assignee = models.ForeignKey(
        Organisation,
        verbose_name=_("牵头单位"),
        on_delete=models.PROTECT,
        related_name="lead_assignments",
    )
    co_departments = models.ManyToManyField(
        Organisation, verbose_name=_("协办部门"), blank=True, related_name="co_assignments"
    )
    deadline = models.DateField(_("整改时限"))
    requirements = models.TextField(_("整改要求"), blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("交办人"), null=True, on_delete=models.SET_NULL
    )
    assigned_at = models.DateTimeField(_("交办时间"), default=timezone.now)

    class Meta:
        verbose_name = _("交办")
        verbose_name_plural = _("交办")
        # Overdue lists read the earliest deadlines first and stop at the page's end.
        indexes = [models.Index(fields=["deadline"], name="problems_assignment_deadline")]

    def __str__(self) -> str:
        return f"{self.problem} → {self.assignee}"

    @property
    def is_overdue(self) -> bool:
        """Same rule as ``overdue_q``, for one problem already in memory."""
        return self.problem.status in BEING_RECTIFIED and self.deadline < timezone.localdate()


class ProgressReport(models.Model):
    """A rectification progress report (整改进展) or completion claim by the assignee."""

    problem = models.ForeignKey(
        Problem, verbose_name=_("问题"), on_delete=models.CASCADE, related_name="progress_reports"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("报送单位"), on_delete=models.PROTECT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("报送人"), null=True, on_delete=models.SET_NULL
    )
    text = models.TextField(_("整改进展"))
    reported_on = models.DateField(_("报送日期"), default=timezone.localdate)
    is_completion_claim = models.BooleanField(_("申请办结"), default=False)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("整改进展")
        verbose_name_plural = _("整改进展")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:40]


def evidence_path(instance: Attachment, filename: str) -> str:
    """A random name with the extension the content was checked to have: the uploader's
    file name never reaches the file system (it is kept in ``Attachment.name``)."""
    extension = extension_for(instance.content_type)
    return f"evidence/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class Attachment(models.Model):
    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("整改进展"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("文件"), upload_to=evidence_path)
    name = models.CharField(_("文件名"), max_length=NAME_MAX_LENGTH)
    size = models.PositiveIntegerField(_("大小（字节）"))
    content_type = models.CharField(
        _("文件类型"),
        max_length=100,
        default="application/octet-stream",
        help_text=_("按文件内容核实的 MIME 类型，下载时原样发送。"),
    )

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")

    def __str__(self) -> str:
        return self.name


class EventKind(models.TextChoices):
    CREATED = "created", _("形成问题")
    MERGED = "merged", _("归并原始问题")
    ASSIGNED = "assigned", _("交办")
    PROGRESS = "progress", _("报送整改进展")
    CLAIMED = "claimed", _("申请办结")
    ACCEPTED = "accepted", _("确认办结")
    RETURNED = "returned", _("退回整改")
    LINKED = "linked", _("上级交办")
    REASSIGNED = "reassigned", _("改派")
    EXTENSION_REQUESTED = "ext_request", _("申请延期")
    EXTENSION_GRANTED = "ext_granted", _("同意延期")
    EXTENSION_REFUSED = "ext_refused", _("不同意延期")


EXTENSION_KINDS = frozenset(
    {EventKind.EXTENSION_REQUESTED, EventKind.EXTENSION_GRANTED, EventKind.EXTENSION_REFUSED}
)


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    GRANTED = "granted", _("已同意")
    REFUSED = "refused", _("未同意")


class ExtensionRequest(models.Model):
    """延期: the assignee asks for a later deadline; the assigning congress decides."""

    problem = models.ForeignKey(
        Problem, verbose_name=_("问题"), on_delete=models.CASCADE, related_name="extensions"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("申请单位"), on_delete=models.PROTECT
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    current_deadline = models.DateField(_("原整改时限"))
    deadline = models.DateField(_("申请延至"))
    reason = models.TextField(_("延期理由"))
    status = models.CharField(
        _("审批状态"),
        max_length=10,
        choices=ExtensionStatus.choices,
        default=ExtensionStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_note = models.TextField(_("审批意见"), blank=True)
    created_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["problem"],
                condition=Q(status="pending"),
                name="%(app_label)s_%(class)s_one_pending",
                violation_error_message=_("已有待审批的延期申请。"),
            ),
            models.CheckConstraint(
                condition=Q(deadline__gt=models.F("current_deadline")),
                name="%(app_label)s_%(class)s_later",
                violation_error_message=_("延期后的整改时限须晚于原时限。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.problem} → {self.deadline}"


class ProblemEvent(models.Model):
    """One change of a problem: who, when, what. The timeline on the problem page."""

    problem = models.ForeignKey(
        Problem, verbose_name=_("问题"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("事项"), max_length=12, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, on_delete=models.SET_NULL
    )
    from_status = models.CharField(_("原状态"), max_length=24, choices=Status.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=24, choices=Status.choices, blank=True)
    note = models.TextField(_("说明"), blank=True, help_text=_("办理人填写的文字，原样保存。"))
    # Facts of the event (e.g. how many reports were merged), rendered in the reader's
    # language by ``summary`` rather than frozen in the actor's.
    details = models.JSONField(_("详情"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("问题记录")
        verbose_name_plural = _("问题记录")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def summary(self) -> str:
        details = self.details or {}
        if self.kind == EventKind.MERGED and "count" in details:
            return ngettext(
                "归并原始问题 %(count)d 条", "归并原始问题 %(count)d 条", details["count"]
            ) % {"count": details["count"]}
        if self.kind == EventKind.ASSIGNED and "assignee" in details:
            return _("交办给%(assignee)s，整改时限 %(deadline)s") % details
        if self.kind == EventKind.LINKED and "from" in details:
            return _("%(from)s交办，上级问题编号 %(code)s") % details
        if self.kind == EventKind.REASSIGNED and "to" in details:
            return _("由%(from)s改派给%(to)s，整改时限 %(deadline)s") % details
        if self.kind in EXTENSION_KINDS and "deadline" in details:
            return _("整改时限 %(current)s → %(deadline)s") % details
        parts = []
        if "rectification_type" in details:
            label = RectificationType(details["rectification_type"]).label
            parts.append(_("整改类型：%(type)s") % {"type": label})
        if details.get("attachments"):
            parts.append(_("佐证材料：%(names)s") % {"names": "、".join(details["attachments"])})
        return "；".join(parts)
