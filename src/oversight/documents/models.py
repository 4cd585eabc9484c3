"""The documents a congress office sends: the bulletin (简报) and the weekly rectification
notice (通报). A document is a draft while staff edit its text; issuing gives it a number
and freezes its text and .docx bytes for good. Editing an issued document starts a new
draft (``based_on``): an issued version never changes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oversight.campaigns.models import Campaign

if TYPE_CHECKING:
    from oversight.accounts.models import User


class Kind(models.TextChoices):
    BULLETIN = "bulletin", _("简报")
    NOTICE = "notice", _("整改通报")


class DocumentQuerySet(models.QuerySet["Document"]):
    def visible_to(self, user: User) -> DocumentQuerySet:
        """Documents are the congress's own papers: seen with the campaign as a whole, by its
        congress and those above it. Departments get them on paper, not here."""
        return self.filter(campaign__in=Campaign.objects.visible_to(user))

    def issued(self) -> DocumentQuerySet:
        return self.filter(number__isnull=False)

    def drafts(self) -> DocumentQuerySet:
        return self.filter(number__isnull=True)


def empty_content() -> dict[str, Any]:
    return {}


class Document(models.Model):
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("联动监督"), on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(_("文种"), max_length=10, choices=Kind.choices)
    # The text as edited: masthead, title, issue line, parts, distribution (see drafting.py).
    content = models.JSONField(_("正文"), default=empty_content)
    # The notice's week (Monday to Sunday, by its Sunday) and the figures it was built on;
    # the next notice reports the changes since this snapshot.
    week_ending = models.DateField(_("通报周截止日"), null=True, blank=True)
    snapshot = models.JSONField(_("数据快照"), default=empty_content, blank=True)
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("依据的已印发版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revisions",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("起草人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("起草时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("修改时间"), default=timezone.now)
    # Set once, when issued; never changed afterwards.
    number = models.PositiveIntegerField(_("印发序号"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("印发人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("印发时间"), null=True, blank=True)
    text = models.TextField(_("印发文本"), blank=True)
    docx = models.BinaryField(_("Word 文件"), null=True, blank=True)
    # Derived from the frozen .docx the first time someone asks for it.
    pdf = models.BinaryField(_("PDF 文件"), null=True, blank=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("简报与通报")
        verbose_name_plural = _("简报与通报")
        ordering = ["-issued_at", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "kind", "number"],
                name="%(app_label)s_%(class)s_unique_number",
                violation_error_message=_("同一联动监督的同一文种序号不能重复。"),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=Kind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                violation_error_message=_("文种无效。"),
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True, issued_at__isnull=True, docx__isnull=True)
                | Q(number__isnull=False, issued_at__isnull=False, docx__isnull=False),
                name="%(app_label)s_%(class)s_issued_together",
                violation_error_message=_("印发序号、印发时间与文件须同时具备。"),
            ),
            models.CheckConstraint(
                condition=Q(kind="bulletin") | Q(week_ending__isnull=False),
                name="%(app_label)s_%(class)s_notice_has_week",
                violation_error_message=_("整改通报须注明所属周。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.title}"

    @property
    def is_issued(self) -> bool:
        return self.number is not None

    @property
    def title(self) -> str:
        return str(self.content.get("title", ""))

    @property
    def filename(self) -> str:
        """ASCII, for the Content-Disposition header."""
        suffix = f"-{self.number}" if self.number is not None else f"-draft-{self.pk}"
        return f"{self.campaign.slug}-{self.kind}{suffix}"
