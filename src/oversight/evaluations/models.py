"""Satisfaction evaluation (满意度测评): a session, its secret ballots, and who has voted.

Secrecy is structural. A ``Ballot`` holds only the session, the department and the choice:
no voter, no time, and a random key, so neither a column nor the order of keys joins it to
a voter. Who has voted is a separate ``Participation`` row, written in the same transaction
as the ballots, whose unique constraint makes a second vote impossible.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from oversight.campaigns.models import Campaign
from oversight.organisations.models import Organisation

if TYPE_CHECKING:
    from oversight.accounts.models import User


class Choice(models.TextChoices):
    """A member's answer for one department; also the verdict a department is given."""

    SATISFIED = "satisfied", _("满意")
    BASICALLY_SATISFIED = "basically_satisfied", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


# The usual counting rule: 满意 and 基本满意 both count towards the satisfaction rate.
DEFAULT_COUNTED = [Choice.SATISFIED.value, Choice.BASICALLY_SATISFIED.value]
DEFAULT_SATISFIED_THRESHOLD = Decimal("0.800")
DEFAULT_BASIC_THRESHOLD = Decimal("0.600")


def default_counted() -> list[str]:
    return list(DEFAULT_COUNTED)


class EvaluationSessionQuerySet(models.QuerySet["EvaluationSession"]):
    def visible_to(self, user: User) -> EvaluationSessionQuerySet:
        """The one place that decides which sessions a user may see: those of the campaigns
        the user sees as a whole (congress users of the region and above). Departments do
        not see the sheet here: their results reach them through the congress's notice."""
        return self.filter(campaign__in=Campaign.objects.visible_to(user))


class EvaluationSession(models.Model):
    """One satisfaction evaluation held on a campaign, with its roll and counting rule."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("联动监督"), on_delete=models.PROTECT, related_name="evaluations"
    )
    title = models.CharField(_("测评名称"), max_length=100)
    held_on = models.DateField(_("测评日期"))
    departments = models.ManyToManyField(
        Organisation, verbose_name=_("测评部门"), related_name="evaluation_sessions"
    )
    voters = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("投票名单"),
        related_name="evaluation_rolls",
        help_text=_("参加测评的常委会组成人员。"),
    )
    counted_choices = models.JSONField(
        _("计入满意率的评价"),
        default=default_counted,
        help_text=_("满意率 = 这些评价的票数 ÷ 该部门的有效票数。"),
    )
    satisfied_threshold = models.DecimalField(
        _("评为满意的满意率下限"),
        max_digits=4,
        decimal_places=3,
        default=DEFAULT_SATISFIED_THRESHOLD,
    )
    basic_threshold = models.DecimalField(
        _("评为基本满意的满意率下限"),
        max_digits=4,
        decimal_places=3,
        default=DEFAULT_BASIC_THRESHOLD,
    )
    note = models.TextField(_("说明"), blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    objects = EvaluationSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("满意度测评")
        verbose_name_plural = _("满意度测评")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(basic_threshold__gte=0)
                & Q(basic_threshold__lte=models.F("satisfied_threshold"))
                & Q(satisfied_threshold__lte=1),
                name="%(app_label)s_%(class)s_thresholds",
                violation_error_message=_("满意率下限须满足 0 ≤ 基本满意下限 ≤ 满意下限 ≤ 100%。"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def counted_labels(self) -> list[str]:
        """The counted choices' labels, in the order of the three choices."""
        counted = set(self.counted_choices)
        return [str(choice.label) for choice in Choice if choice.value in counted]

    @property
    def rule_text(self) -> str:
        """The counting rule as printed on the result sheet."""
        return _g(
            "满意率 =（%(counted)s）票数 ÷ 有效票数；满意率不低于 %(satisfied)s 评为满意，"
            "不低于 %(basic)s 评为基本满意，低于 %(basic)s 评为不满意。"
        ) % {
            "counted": " + ".join(self.counted_labels),
            "satisfied": percent(self.satisfied_threshold),
            "basic": percent(self.basic_threshold),
        }


def percent(share: Decimal) -> str:
    """0.8 → ``80.0%``: one decimal, as every rate on the pages."""
    return f"{share * 100:.1f}%"


def valid_counted(choices: Sequence[str]) -> bool:
    return bool(choices) and set(choices) <= set(Choice.values)


class Ballot(models.Model):
    """One member's answer for one department, with nothing that leads back to the member:
    no voter, no time, and a random key (an increasing one would order ballots as cast)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(
        EvaluationSession, verbose_name=_("测评"), on_delete=models.CASCADE, related_name="ballots"
    )
    department = models.ForeignKey(
        Organisation, verbose_name=_("测评部门"), on_delete=models.PROTECT, related_name="+"
    )
    choice = models.CharField(_("评价"), max_length=20, choices=Choice.choices)

    class Meta:
        verbose_name = _("选票")
        verbose_name_plural = _("选票")
        constraints = [
            models.CheckConstraint(
                condition=Q(choice__in=Choice.values),
                name="%(app_label)s_%(class)s_choice_valid",
                violation_error_message=_("评价只能是满意、基本满意或不满意。"),
            )
        ]
        indexes = [
            models.Index(
                fields=["session", "department", "choice"], name="evaluations_ballot_tally"
            )
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.get_choice_display()}"


class Participation(models.Model):
    """That a member has voted on a department of a session; never what they chose."""

    session = models.ForeignKey(
        EvaluationSession,
        verbose_name=_("测评"),
        on_delete=models.CASCADE,
        related_name="participations",
    )
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("投票人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.ForeignKey(
        Organisation, verbose_name=_("测评部门"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("投票记录")
        verbose_name_plural = _("投票记录")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "voter", "department"],
                name="%(app_label)s_%(class)s_once",
                violation_error_message=_("每位委员对每个部门只能投票一次。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.voter} · {self.department}"


class EventKind(models.TextChoices):
    OPENED = "opened", _("发起测评")
    CLOSED = "closed", _("结束测评")


class EvaluationEvent(models.Model):
    """The session's history: who opened and closed it, and when. Votes are not events:
    their times would order the ballots."""

    session = models.ForeignKey(
        EvaluationSession, verbose_name=_("测评"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("事项"), max_length=12, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, on_delete=models.SET_NULL
    )
    details = models.JSONField(_("详情"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("测评记录")
        verbose_name_plural = _("测评记录")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"
