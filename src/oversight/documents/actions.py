"""Drafting, editing and issuing bulletins and notices. Issuing numbers the document and
freezes its text and .docx; editing an issued document starts a new draft instead."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from oversight.campaigns.models import Campaign
from oversight.problems.permissions import require_manager

from . import drafting, layout, pdf
from .figures import bulletin_figures, latest_week_ending, notice_figures
from .models import Document, Kind

if TYPE_CHECKING:
    from oversight.accounts.models import User

MAX_FIELD = 200
MAX_TEXT = 20000
SHORT_FIELDS = ("masthead", "issue_number", "series", "issuer", "date", "title")
LONG_FIELDS = ("lead", "closing", "distribution")


def require_drafter(actor: User, campaign: Campaign) -> None:
    """Drafting and issuing are for the staff who run the campaign."""
    require_manager(
        actor, campaign, _("只有组织本次联动监督的人大工作人员可以起草和印发简报、通报。")
    )


def _next_number(campaign: Campaign, kind: str) -> int:
    issued = Document.objects.filter(campaign=campaign, kind=kind).aggregate(last=Max("number"))
    return (issued["last"] or 0) + 1


def _context(campaign: Campaign, kind: str, today: datetime.date) -> dict[str, Any]:
    return {"campaign": campaign, "today": today, "number": _next_number(campaign, kind)}


def bulletin_content(campaign: Campaign, today: datetime.date | None = None) -> dict[str, Any]:
    """A bulletin's first draft from the campaign's live figures (nothing stored)."""
    today = today or timezone.localdate()
    context = _context(campaign, Kind.BULLETIN, today)
    context["f"] = bulletin_figures(campaign, today=today)
    return drafting.draft_content(Kind.BULLETIN, context)


@transaction.atomic
def create_bulletin_draft(
    *, actor: User, campaign: Campaign, today: datetime.date | None = None
) -> Document:
    """A bulletin drafted from the campaign's live figures."""
    require_drafter(actor, campaign)
    return Document.objects.create(
        campaign=campaign,
        kind=Kind.BULLETIN,
        content=bulletin_content(campaign, today),
        created_by=actor,
    )


def previous_notice(campaign: Campaign, week_ending: datetime.date) -> Document | None:
    """The last notice issued for a week before ``week_ending``: the changes start there."""
    return (
        Document.objects.issued()
        .filter(campaign=campaign, kind=Kind.NOTICE, week_ending__lt=week_ending)
        .order_by("-week_ending", "-number")
        .first()
    )


def notice_content(
    campaign: Campaign, week_ending: datetime.date | None = None, today: datetime.date | None = None
) -> tuple[datetime.date, dict[str, Any], dict[str, Any]]:
    """The week's notice (the latest week by default): its week, first draft and snapshot."""
    today = today or timezone.localdate()
    latest = latest_week_ending(today)
    week_ending = week_ending or latest
    if week_ending.weekday() != 6:
        raise ValidationError(_("通报周须以星期日截止。"), code="not_sunday")
    if week_ending > latest:
        raise ValidationError(_("这一周尚未结束，不能通报。"), code="future_week")
    if week_ending < campaign.starts_on:
        raise ValidationError(_("这一周早于联动监督开始日期。"), code="before_campaign")
    figures = notice_figures(campaign, week_ending, previous_notice(campaign, week_ending))
    context = _context(campaign, Kind.NOTICE, today)
    context["f"] = figures
    return week_ending, drafting.draft_content(Kind.NOTICE, context), figures.snapshot()


@transaction.atomic
def create_notice_draft(
    *,
    actor: User,
    campaign: Campaign,
    week_ending: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Document:
    """The week's rectification notice, with the figures it is built on kept as its
    snapshot: the next notice reports the changes since."""
    require_drafter(actor, campaign)
    week, content, snapshot = notice_content(campaign, week_ending, today)
    return Document.objects.create(
        campaign=campaign,
        kind=Kind.NOTICE,
        content=content,
        week_ending=week,
        snapshot=snapshot,
        created_by=actor,
    )


def _clean_content(content: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for name in SHORT_FIELDS:
        value = str(content.get(name, "")).strip()
        if len(value) > MAX_FIELD:
            raise ValidationError(
                _("“%(field)s”不能超过 %(max)d 个字。") % {"field": name, "max": MAX_FIELD},
                code="too_long",
            )
        cleaned[name] = value
    for name in LONG_FIELDS:
        cleaned[name] = str(content.get(name, "")).strip()
    parts = []
    for part in content.get("parts", []):
        heading, text = str(part.get("heading", "")).strip(), str(part.get("text", "")).strip()
        if heading or text:
            parts.append({"heading": heading, "text": text})
    cleaned["parts"] = parts
    if not cleaned["title"]:
        raise ValidationError(_("请填写标题。"), code="title_required")
    if not cleaned["masthead"]:
        raise ValidationError(_("请填写版头名称（如“简报”）。"), code="masthead_required")
    total = sum(len(str(value)) for value in cleaned.values() if isinstance(value, str))
    total += sum(len(part["heading"]) + len(part["text"]) for part in parts)
    if total > MAX_TEXT:
        raise ValidationError(_("正文过长。"), code="too_long")
    return cleaned


@transaction.atomic
def update_draft(*, actor: User, document: Document, content: dict[str, Any]) -> Document:
    """Save edited text. On an issued document this starts a new draft based on it: the
    issued version is never changed. Returns the draft that holds the text."""
    require_drafter(actor, document.campaign)
    cleaned = _clean_content(content)
    if document.is_issued:
        return Document.objects.create(
            campaign=document.campaign,
            kind=document.kind,
            content=cleaned,
            week_ending=document.week_ending,
            snapshot=document.snapshot,
            based_on=document,
            created_by=actor,
        )
    locked = Document.objects.select_for_update().get(pk=document.pk)
    if locked.is_issued:  # issued meanwhile by someone else
        return update_draft(actor=actor, document=locked, content=content)
    locked.content = cleaned
    locked.updated_at = timezone.now()
    locked.save(update_fields=["content", "updated_at"])
    return locked


@transaction.atomic
def issue(*, actor: User, document: Document, at: datetime.datetime | None = None) -> Document:
    """Number the draft and freeze its text and .docx."""
    require_drafter(actor, document.campaign)
    # One issuer at a time per campaign, so that numbers are consecutive.
    Campaign.objects.select_for_update().get(pk=document.campaign_id)
    locked = Document.objects.select_for_update().get(pk=document.pk)
    if locked.is_issued:
        raise ValidationError(_("该文件已印发，不能重复印发。"), code="already_issued")
    content = _clean_content(locked.content)
    locked.content = content
    locked.number = _next_number(locked.campaign, locked.kind)
    locked.docx = layout.build(content)
    locked.text = drafting.plain_text(content)
    locked.issued_by = actor
    locked.issued_at = at or timezone.now()
    locked.save()
    return locked


def draft_docx(document: Document) -> bytes:
    """The .docx of a document: the frozen bytes once issued, else built from the draft."""
    if document.is_issued:
        return bytes(document.docx or b"")
    return layout.build(document.content)


def pdf_of(document: Document) -> bytes:
    """The PDF of a document. An issued document's is converted once and kept: it derives
    from the frozen .docx, so keeping it changes nothing of the issued version."""
    if document.is_issued and document.pdf:
        return bytes(document.pdf)
    converted = pdf.docx_to_pdf(draft_docx(document))
    if document.is_issued:
        Document.objects.filter(pk=document.pk, pdf__isnull=True).update(pdf=converted)
    return converted
