"""The ledger page: download, then (for an assignee) upload → preview → confirm.

The uploaded file is kept in the session between the preview and the confirmation, as the
indicator import does, and read again on confirmation: what is applied is what was shown.
"""

from __future__ import annotations

import base64
import hashlib
from io import BytesIO
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oversight.audit import actions as audit
from oversight.audit.models import Kind as AuditKind
from oversight.campaigns.models import Campaign
from oversight.problems.models import ProblemQuerySet
from oversight.problems.permissions import can_manage
from oversight.utilities.http import AuthenticatedRequest
from oversight.utilities.ratelimits import rate_limited
from oversight.utilities.uploads import check_upload

from . import imports, workbook
from .actions import apply_ledger
from .forms import LedgerUploadForm
from .scope import fills_in, ledger_problems

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Kept in the session until confirmed, as the indicator import keeps its file.
UPLOAD_MAX_BYTES = 2 * 1024 * 1024


def _ledger_for(request: AuthenticatedRequest, slug: str) -> tuple[Campaign, ProblemQuerySet]:
    """The campaign and the user's ledger of it. A campaign the user cannot see at all is not
    found; one seen but without a ledger of the user's (a member) is refused."""
    campaign = get_object_or_404(
        Campaign.objects.select_related("topic", "region", "congress"), slug=slug
    )
    problems = ledger_problems(request.user, campaign)
    if can_manage(request.user, campaign) or problems.exists():
        return campaign, problems
    if Campaign.objects.visible_to(request.user).filter(pk=campaign.pk).exists():
        raise PermissionDenied(_("只有组织本次联动监督的人大工作人员和承办单位可以下载整改台账。"))
    raise Http404


def _title(request: AuthenticatedRequest, campaign: Campaign) -> str:
    organisation = None if can_manage(request.user, campaign) else request.user.organisation
    return workbook.title_for(campaign.name, organisation.name if organisation else None)


def _session_key(campaign: Campaign) -> str:
    return f"ledger-import:{campaign.pk}"


@rate_limited("20/m", method="POST")
def ledger(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    campaign, problems = _ledger_for(request, slug)
    uploads = fills_in(request.user, campaign)
    form = LedgerUploadForm(request.POST or None, request.FILES or None)
    parsed = None
    token = ""
    if request.method == "POST":
        if not uploads:
            raise PermissionDenied(_("整改台账由承办单位填写上传。"))
        if form.is_valid():
            parsed, token = _preview(request, campaign, form)
    context: dict[str, Any] = {
        "campaign": campaign,
        "title": _title(request, campaign),
        "count": problems.count(),
        "uploads": uploads,
        "can_manage": can_manage(request.user, campaign),
        "can_view_campaign": Campaign.objects.visible_to(request.user)
        .filter(pk=campaign.pk)
        .exists(),
        "form": form,
        "parsed": parsed,
        "token": token,
    }
    status = 400 if form.is_bound and (parsed is None or not parsed.accepted) else 200
    return render(request, "ledgers/ledger.html", context, status=status)


def _preview(
    request: AuthenticatedRequest, campaign: Campaign, form: LedgerUploadForm
) -> tuple[imports.Parsed | None, str]:
    upload = form.cleaned_data["file"]
    try:
        check_upload(upload, allowed=["xlsx"], max_bytes=UPLOAD_MAX_BYTES)
    except ValidationError as error:
        form.add_error("file", error)
        return None, ""
    content = upload.read()
    parsed = imports.parse(BytesIO(content), user=request.user, campaign=campaign)
    if not parsed.accepted:
        return parsed, ""
    token = hashlib.sha256(content).hexdigest()[:16]
    request.session[_session_key(campaign)] = {
        "token": token,
        "content": base64.b64encode(content).decode(),
    }
    return parsed, token


@require_POST
def confirm(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Apply the previewed file: all its changes in one transaction, or nothing."""
    campaign, _problems = _ledger_for(request, slug)
    if not fills_in(request.user, campaign):
        raise PermissionDenied(_("整改台账由承办单位填写上传。"))
    stored = request.session.get(_session_key(campaign))
    if not stored or stored.get("token") != request.POST.get("token"):
        messages.error(request, _("预览已失效，请重新上传文件。"))
        return redirect("ledgers:ledger", slug=campaign.slug)
    content = base64.b64decode(stored["content"])
    parsed = imports.parse(BytesIO(content), user=request.user, campaign=campaign)
    try:
        if not parsed.accepted:
            raise ValidationError(parsed.errors or [_("文件中有未通过检查的行，未导入任何数据。")])
        reports = apply_ledger(actor=request.user, changes=parsed.changes)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages[:10]))
        return redirect("ledgers:ledger", slug=campaign.slug)
    del request.session[_session_key(campaign)]
    summary = _("整改台账上传（%(campaign)s）：报送 %(count)s 条整改进展") % {
        "campaign": campaign.name,
        "count": len(reports),
    }
    audit.record(AuditKind.IMPORT, summary, request=request)
    messages.success(request, _("已报送 %(count)s 条整改进展。") % {"count": len(reports)})
    return redirect("ledgers:ledger", slug=campaign.slug)


def download(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    campaign, problems = _ledger_for(request, slug)
    title = _title(request, campaign)
    content = workbook.build(workbook.ledger_rows(problems), title)
    audit.record_export(request, title)
    response = HttpResponse(content, content_type=XLSX)
    name = f"{title}-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=name) or "attachment"
    )
    return response
