"""Thin views: find the region through the user's scope (404 outside it), compute with
``compliance.evaluate``, call one action for a change."""

from __future__ import annotations

import base64
import hashlib
from io import BytesIO
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from oversight.audit import actions as audit
from oversight.campaigns.models import Campaign
from oversight.facilities.models import scope_q
from oversight.facilities.permissions import can_enter, enterable_regions
from oversight.problems.permissions import can_manage
from oversight.regions.models import Region
from oversight.topics.models import Topic
from oversight.utilities.http import AuthenticatedRequest, client_address
from oversight.utilities.ratelimits import rate_limited
from oversight.utilities.uploads import check_upload

from . import actions, imports, jobs, periods
from .catalogue import catalogue
from .compliance import evaluate, known_periods
from .forms import ImportForm, ValueForm
from .models import ImportJob, IndicatorValue, Shortfall

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Files up to this size (and ``imports.MAX_ROWS`` rows) are read in the request, larger ones
# by the tasks worker (``jobs.py``) up to ``jobs.JOB_MAX_BYTES``.
IMPORT_MAX_BYTES = 2 * 1024 * 1024
IMPORT_KINDS = {"values": _("指标值"), "facilities": _("设施台账")}


def visible_regions(request: AuthenticatedRequest) -> QuerySet[Region]:
    scope = scope_q(request.user, "")
    return Region.objects.none() if scope is None else Region.objects.filter(scope)


def _region_for(request: AuthenticatedRequest, code: str) -> Region:
    return get_object_or_404(visible_regions(request).select_related("parent__parent"), code=code)


def _sees(request: AuthenticatedRequest, ancestor: Region) -> bool:
    """Whether an ancestor of a visible region is visible too, without a query: only when it
    is the user's own region or lies below it."""
    user = request.user
    if user.is_superuser:
        return True
    if not user.is_congress_user or user.organisation is None:
        return False
    own = user.organisation.region_id
    return own in (ancestor.pk, ancestor.parent_id)


def _lineage(of: Region, page: Region) -> set[int | None]:
    """``of`` and its ancestors, where ``of`` is the page's region or one of its children."""
    if of.pk == page.pk:
        return {page.pk, page.parent_id, page.parent.parent_id if page.parent else None}
    return {of.pk, page.pk, page.parent_id}


def _topic(slug: str) -> Topic:
    topic = get_object_or_404(Topic, slug=slug)
    if not catalogue(topic.slug):
        raise Http404
    return topic


def compliance(request: AuthenticatedRequest, topic: str, code: str) -> HttpResponse:
    """The region's indicators against their standards, and the same for the regions below
    it (drill down by clicking one); shortfalls highlighted with their legal basis."""
    the_topic = _topic(topic)
    region = _region_for(request, code)
    form = None
    if can_enter(request.user, region):
        form = ValueForm(
            topic=the_topic, region=region, initial=_correction(request, the_topic, region)
        )
    return _render_compliance(request, the_topic, region, form)


def _correction(request: AuthenticatedRequest, topic: Topic, region: Region) -> dict[str, Any]:
    """The entry form's initial values: those of the value ``?correct=<indicator>`` of the
    period shown, to correct it; else the period shown."""
    period = request.GET.get("period", "")[:6]
    code = request.GET.get("correct", "")[:50]
    value = (
        IndicatorValue.objects.visible_to(request.user)
        .filter(topic=topic, region=region, indicator=code, period=period)
        .first()
        if code
        else None
    )
    if value is None:
        return {"period": period, "indicator": code}
    return {
        "indicator": value.indicator,
        "period": value.period,
        "value": value.value.normalize(),
        "source": value.source,
        "note": value.note,
        "is_illustrative": value.is_illustrative,
    }


@require_POST
def enter_value(request: AuthenticatedRequest, topic: str, code: str) -> HttpResponse:
    """Enter or correct one value of the region (the compliance page's form); a refused one
    is shown again on the page with the reason."""
    the_topic = _topic(topic)
    region = _region_for(request, code)
    if not can_enter(request.user, region):
        raise PermissionDenied(_("只有本地区及上级人大工作人员可以填报指标值。"))
    form = ValueForm(request.POST, topic=the_topic, region=region)
    if form.is_valid():
        try:
            value = actions.record_value(actor=request.user, topic=the_topic, spec=form.spec())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已保存指标值。"))
            url = reverse("indicators:compliance", args=[topic, region.code])
            return redirect(f"{url}?period={value.period}")
    return _render_compliance(request, the_topic, region, form, status=400)


def _render_compliance(
    request: AuthenticatedRequest,
    the_topic: Topic,
    region: Region,
    value_form: ValueForm | None,
    status: int = 200,
) -> HttpResponse:
    indicators = list(catalogue(the_topic.slug).values())
    areas = {a.code: a.name for a in the_topic.areas.all()}
    area = request.GET.get("area", "")
    if area in areas:
        indicators = [i for i in indicators if i.area == area]
    else:
        area = ""
    available = known_periods(the_topic)
    period = request.GET.get("period", "")
    if period not in available:
        period = available[-1] if available else ""
    children = list(visible_regions(request).filter(parent=region).order_by("code"))
    evaluation = evaluate(
        the_topic,
        [region, *children],
        values=IndicatorValue.objects.visible_to(request.user),
        period=period or None,
        indicators=indicators,
    )
    own = [cell for cell in evaluation.row(region) if cell.value is not None or cell.standard]
    child_rows = [(child, evaluation.row(child)) for child in children]
    columns = [
        indicator
        for index, indicator in enumerate(indicators)
        if any(row[index].value is not None for _child, row in child_rows)
    ]
    shown = {indicator.code for indicator in columns}
    child_rows = [
        (child, [c for c in row if c.indicator.code in shown]) for child, row in child_rows
    ]
    shortfalls = [c for c in own if c.complies is False] + [
        c for _child, row in child_rows for c in row if c.complies is False
    ]
    raised = {
        (s.region_id, s.indicator): s.problem_id
        for s in Shortfall.objects.filter(
            topic=the_topic, region__in=[region, *children], period=evaluation.period
        )
    }
    managed = (
        [
            c
            for c in Campaign.objects.filter(topic=the_topic).select_related("region")
            if can_manage(request.user, c)
        ]
        if request.user.is_congress_user or request.user.is_superuser
        else []
    )
    managed_regions = {c.region_id for c in managed}
    shortfall_rows = [
        {
            "cell": cell,
            "problem": raised.get((cell.region.pk, cell.indicator.code)),
            "can_raise": bool(_lineage(cell.region, region) & managed_regions),
        }
        for cell in shortfalls
    ]
    trend_code = request.GET.get("trend", "")
    trend_choices = [c.indicator for c in own if c.value is not None]
    trend = next((i for i in trend_choices if i.code == trend_code), None) or (
        trend_choices[0] if trend_choices else None
    )
    chart = None
    if trend is not None:
        chart = {
            "title": f"{trend.name}（{trend.unit}）",
            "periods": [periods.label(p) for p in evaluation.periods],
            "values": evaluation.series(region, trend),
            "threshold": float(standard.threshold)
            if (standard := trend.standard_for(region.level))
            else None,
        }
    ancestors = [r for r in (region.parent.parent if region.parent else None, region.parent) if r]
    context = {
        "topic": the_topic,
        "region": region,
        "ancestors": [a for a in ancestors if _sees(request, a)],
        "evaluation": evaluation,
        "period_label": periods.label(evaluation.period),
        "periods": [(p, periods.label(p)) for p in available],
        "areas": areas,
        "area": area,
        "own": own,
        "columns": columns,
        "child_rows": child_rows,
        "shortfalls": shortfall_rows,
        "trend": trend,
        "trend_choices": trend_choices,
        "chart": chart,
        "can_import": bool(enterable_regions(request.user)),
        "value_form": value_form,
        "entered": {i.code for i in indicators if i.obtained == "entered"},
    }
    return render(request, "indicators/compliance.html", context, status=status)


@require_POST
def raise_shortfall(request: AuthenticatedRequest, topic: str, code: str) -> HttpResponse:
    the_topic = _topic(topic)
    region = _region_for(request, code)
    try:
        problem = actions.raise_shortfall(
            actor=request.user,
            topic=the_topic,
            region=region,
            indicator=request.POST.get("indicator", "")[:50],
            period=periods.normalise(request.POST.get("period", "")[:10]),
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("indicators:compliance", topic=topic, code=region.code)
    messages.success(request, _("已转为问题清单中的问题，请交办。"))
    return redirect("problems:detail", pk=problem.pk)


def _session_key(topic: Topic, kind: str) -> str:
    return f"indicator-import:{topic.slug}:{kind}"


def _check_kind(request: AuthenticatedRequest, kind: str) -> None:
    if kind not in IMPORT_KINDS:
        raise Http404
    if not enterable_regions(request.user):
        raise PermissionDenied(_("只有人大工作人员可以导入本地区的数据。"))


@rate_limited("20/m")
def import_upload(request: AuthenticatedRequest, topic: str, kind: str) -> HttpResponse:
    """Upload → the preview of every row and its errors; nothing is written yet. A file of
    more than ``imports.MAX_ROWS`` rows or ``IMPORT_MAX_BYTES`` goes to the tasks worker
    instead, and the page shown is its job's."""
    the_topic = _topic(topic)
    _check_kind(request, kind)
    form = ImportForm(request.POST or None, request.FILES or None)
    parsed = None
    token = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            check_upload(upload, allowed=["xlsx"], max_bytes=jobs.JOB_MAX_BYTES)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            content = upload.read()
            if _is_small(content):
                parsed = imports.parse(
                    the_topic, kind, BytesIO(content), enterable_regions(request.user)
                )
            if parsed is None or parsed.too_many:
                job = jobs.start_import(
                    actor=request.user,
                    topic=the_topic,
                    kind=kind,
                    file_name=upload.name or "",
                    content=content,
                    ip_address=client_address(request),
                )
                return redirect("indicators:import_job", topic=topic, pk=job.pk)
            if parsed.accepted:
                token = hashlib.sha256(content).hexdigest()[:16]
                request.session[_session_key(the_topic, kind)] = {
                    "token": token,
                    "content": base64.b64encode(content).decode(),
                    "name": (upload.name or "")[:200],
                }
    context = {
        "topic": the_topic,
        "kind": kind,
        "kind_label": IMPORT_KINDS[kind],
        "form": form,
        "parsed": parsed,
        "token": token,
        "home": _home(request),
        "jobs": _recent_jobs(request, the_topic, kind),
        "max_rows": imports.MAX_ROWS,
        "job_max_rows": imports.JOB_MAX_ROWS,
        "job_max_mb": jobs.JOB_MAX_BYTES // (1024 * 1024),
    }
    status = 400 if form.is_bound and (parsed is None or not parsed.accepted) else 200
    return render(request, "indicators/import.html", context, status=status)


def _recent_jobs(request: AuthenticatedRequest, topic: Topic, kind: str) -> list[ImportJob]:
    mine = ImportJob.objects.filter(created_by=request.user, topic=topic, kind=kind)
    return list(mine.defer("content")[:5])


def _is_small(content: bytes) -> bool:
    """Whether the file is read in the request: at most ``IMPORT_MAX_BYTES`` and, as far as
    the workbook says, ``imports.MAX_ROWS`` rows (a workbook that says wrongly is found out
    by ``parse``, which stops at the limit)."""
    if len(content) > IMPORT_MAX_BYTES:
        return False
    rows = imports.estimated_rows(BytesIO(content))
    return rows is None or rows <= imports.MAX_ROWS


def _home(request: AuthenticatedRequest) -> str:
    return request.user.organisation.region.code if request.user.organisation else "410000"


@require_POST
def import_confirm(request: AuthenticatedRequest, topic: str, kind: str) -> HttpResponse:
    """Write the previewed file, all rows in one transaction, or nothing."""
    the_topic = _topic(topic)
    _check_kind(request, kind)
    stored = request.session.get(_session_key(the_topic, kind))
    if not stored or stored.get("token") != request.POST.get("token"):
        messages.error(request, _("预览已失效，请重新上传文件。"))
        return redirect("indicators:import", topic=topic, kind=kind)
    content = base64.b64decode(stored["content"])
    parsed = imports.parse(the_topic, kind, BytesIO(content), enterable_regions(request.user))
    try:
        if not parsed.accepted:
            raise ValidationError(_("文件中有未通过检查的行，未导入任何数据。"))
        jobs.write_import(
            actor=request.user,
            topic=the_topic,
            kind=kind,
            specs=parsed.specs(),
            file_name=stored.get("name", ""),
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages[:10]))
        return redirect("indicators:import", topic=topic, kind=kind)
    del request.session[_session_key(the_topic, kind)]
    count = len(parsed.rows)
    messages.success(
        request,
        ngettext("已导入 %(count)s 行。", "已导入 %(count)s 行。", count) % {"count": count},
    )
    first = parsed.rows[0].spec.region.code
    return redirect("indicators:compliance", topic=topic, code=first)


def _job_for(request: AuthenticatedRequest, topic: str, pk: int) -> ImportJob:
    """The user's own job (any job for a system administrator); 404 for anyone else's."""
    return get_object_or_404(
        # Not the file: the page is polled every 2 s.
        ImportJob.objects.visible_to(request.user).select_related("topic").defer("content"),
        pk=pk,
        topic__slug=topic,
    )


def import_job(request: AuthenticatedRequest, topic: str, pk: int) -> HttpResponse:
    """A background import: its progress (polled by htmx while it runs), then the refused
    rows or the confirm button, then the outcome."""
    job = _job_for(request, topic, pk)
    context = {
        "topic": job.topic,
        "job": job,
        "kind_label": job.get_kind_display(),
        "home": _home(request),
        "can_confirm": job.created_by_id == request.user.pk,
        "row_errors_shown": len(job.row_errors),
    }
    if request.headers.get("HX-Request") == "true":
        response = render(request, "indicators/_import_progress.html", context)
        if not job.is_running:
            response["HX-Refresh"] = "true"  # the finished job's page shows its outcome
        return response
    return render(request, "indicators/import_job.html", context)


@require_POST
def import_job_confirm(request: AuthenticatedRequest, topic: str, pk: int) -> HttpResponse:
    job = _job_for(request, topic, pk)
    try:
        jobs.confirm_import(actor=request.user, job=job)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    return redirect("indicators:import_job", topic=topic, pk=job.pk)


def import_template(request: AuthenticatedRequest, topic: str, kind: str) -> HttpResponse:
    the_topic = _topic(topic)
    _check_kind(request, kind)
    response = HttpResponse(imports.template(the_topic, kind), content_type=XLSX)
    name = f"{the_topic.slug}-{kind}-template.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    audit.record_export(request, _("导入模板（%(kind)s）") % {"kind": IMPORT_KINDS[kind]})
    return response


def for_campaign(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The campaign header's link: the compliance page of the campaign's topic and region
    (404 when the region is outside the user's scope)."""
    campaign = get_object_or_404(Campaign.objects.select_related("topic", "region"), slug=slug)
    region = _region_for(request, campaign.region.code)
    return redirect("indicators:compliance", topic=campaign.topic.slug, code=region.code)
