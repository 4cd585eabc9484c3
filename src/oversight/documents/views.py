"""Thin views: the campaign through ``campaign_for`` (404 outside scope), documents through
``Document.objects.visible_to``; drafts only for the campaign's staff, issued versions for
every congress user who sees the campaign."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oversight.audit import actions as audit
from oversight.campaigns.scoping import campaign_for
from oversight.problems.permissions import can_manage
from oversight.utilities.http import AuthenticatedRequest
from oversight.utilities.ratelimits import rate_limited

from . import actions, pdf
from .figures import latest_week_ending
from .forms import DraftForm, NoticeForm
from .models import Document

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _document_for(request: AuthenticatedRequest, pk: int) -> Document:
    """A document the user may see: issued ones with the campaign, drafts only for staff."""
    documents = Document.objects.visible_to(request.user).select_related("campaign__congress")
    document = get_object_or_404(documents, pk=pk)
    if not document.is_issued and not can_manage(request.user, document.campaign):
        raise Http404
    return document


def document_list(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    campaign = campaign_for(request, slug)
    manager = can_manage(request.user, campaign)
    documents = Document.objects.visible_to(request.user).filter(campaign=campaign)
    context = {
        "campaign": campaign,
        "can_manage": manager,
        "issued": documents.issued().select_related("issued_by").defer("docx", "pdf"),
        "drafts": documents.drafts().defer("docx", "pdf") if manager else [],
        "notice_form": NoticeForm(latest=latest_week_ending()) if manager else None,
        "can_convert": pdf.can_convert(),
    }
    return render(request, "documents/document_list.html", context)


@require_POST
def bulletin_new(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    campaign = campaign_for(request, slug)
    actions.require_drafter(request.user, campaign)
    document = actions.create_bulletin_draft(actor=request.user, campaign=campaign)
    messages.success(request, _("已依据实时数据生成简报草稿，请核改后印发。"))
    return redirect("documents:detail", pk=document.pk)


@require_POST
def notice_new(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    campaign = campaign_for(request, slug)
    actions.require_drafter(request.user, campaign)
    form = NoticeForm(request.POST, latest=latest_week_ending())
    if form.is_valid():
        try:
            document = actions.create_notice_draft(
                actor=request.user, campaign=campaign, week_ending=form.cleaned_data["week_ending"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("已生成整改通报草稿，请核改后印发。"))
            return redirect("documents:detail", pk=document.pk)
    else:
        messages.error(request, _("请填写通报周的截止日（星期日）。"))
    return redirect("documents:list", slug=campaign.slug)


def document_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A draft: its text to edit (staff). An issued version: its text and files; staff may
    start a new draft from it, which leaves it as it is."""
    document = _document_for(request, pk)
    manager = can_manage(request.user, document.campaign)
    form = DraftForm(request.POST or None, document=document) if manager else None
    status = 200
    if request.method == "POST":
        actions.require_drafter(request.user, document.campaign)
        assert form is not None
        if form.is_valid():
            try:
                saved = actions.update_draft(
                    actor=request.user, document=document, content=form.content()
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if saved.pk != document.pk:
                    messages.success(request, _("已另存为新草稿，已印发的版本保持不变。"))
                else:
                    messages.success(request, _("草稿已保存。"))
                return redirect("documents:detail", pk=saved.pk)
        status = 400
    context = {
        "document": document,
        "campaign": document.campaign,
        "can_manage": manager,
        "form": form,
        "can_convert": pdf.can_convert(),
    }
    return render(request, "documents/document_detail.html", context, status=status)


@require_POST
def document_issue(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    document = _document_for(request, pk)
    actions.require_drafter(request.user, document.campaign)
    try:
        issued = actions.issue(actor=request.user, document=document)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("documents:detail", pk=document.pk)
    messages.success(request, _("已印发，编号 %(number)d。") % {"number": issued.number})
    return redirect("documents:detail", pk=issued.pk)


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def document_docx(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    document = _document_for(request, pk)
    content = actions.draft_docx(document)
    audit.record_export(request, _("%(kind)s（%(title)s）.docx") % _what(document))
    return _attachment(content, DOCX, f"{document.filename}.docx")


# Each conversion runs LibreOffice for seconds: a few a minute per user is plenty.
@rate_limited("6/m")
def document_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    document = _document_for(request, pk)
    if not pdf.can_convert():
        messages.error(request, _("本机未安装 LibreOffice，无法生成 PDF，请下载 Word 文件。"))
        return redirect("documents:detail", pk=document.pk)
    try:
        content = actions.pdf_of(document)
    except pdf.ConversionError:
        messages.error(request, _("PDF 生成失败，请稍后重试或下载 Word 文件。"))
        return redirect("documents:detail", pk=document.pk)
    audit.record_export(request, _("%(kind)s（%(title)s）.pdf") % _what(document))
    return _attachment(content, "application/pdf", f"{document.filename}.pdf")


def _what(document: Document) -> dict[str, str]:
    return {"kind": document.get_kind_display(), "title": document.title}
