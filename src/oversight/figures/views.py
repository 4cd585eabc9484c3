"""Thin views: the campaign or extraction through the user's scope, one action per change.

Only the organising congress's staff (``can_manage``) use these pages; others get 403 on the
campaign's page (which they may see elsewhere) and 404 on an extraction (outside their scope).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oversight.campaigns.models import Campaign
from oversight.campaigns.scoping import campaign_for
from oversight.indicators.catalogue import Indicator, catalogue
from oversight.problems.permissions import can_manage
from oversight.regions.models import Region
from oversight.utilities.http import AuthenticatedRequest
from oversight.utilities.pagination import IdFirstPaginator
from oversight.utilities.ratelimits import rate_limited

from . import actions, matching
from .forms import AcceptForm, ExtractionForm
from .models import Candidate, Decision, Extraction, SourceKind
from .reading import read_upload

EXTRACTIONS_PER_PAGE = 20
CANDIDATES_PER_PAGE = 50


def _managed(request: AuthenticatedRequest, slug: str) -> Campaign:
    campaign = campaign_for(request, slug)
    if not can_manage(request.user, campaign):
        raise PermissionDenied(_("只有组织本次联动监督的人大工作人员可以提取简报数据。"))
    return campaign


@rate_limited("20/m", method="POST")
def extraction_list(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Paste or upload a bulletin (POST), and the extractions made so far."""
    campaign = _managed(request, slug)
    form = ExtractionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["file"]:
                text, kind = read_upload(data["file"])
                title = data["title"] or data["file"].name
            else:
                text, kind, title = data["text"], SourceKind.PASTED, data["title"]
            extraction = actions.extract_figures(
                actor=request.user, campaign=campaign, text=text, title=title, source_kind=kind
            )
        except ValidationError as error:
            form.add_error("file" if data["file"] else "text", error)
        else:
            count = extraction.candidates.count()
            messages.success(request, _("已提取 %(count)s 项数据，请逐项审核。") % {"count": count})
            return redirect("figures:detail", pk=extraction.pk)
    extractions = (
        Extraction.objects.visible_to(request.user)
        .filter(campaign=campaign)
        .select_related("created_by")
        .annotate(
            total=Count("candidates"),
            pending=Count("candidates", filter=Q(candidates__decision=Decision.PENDING)),
            accepted=Count("candidates", filter=Q(candidates__decision=Decision.ACCEPTED)),
        )
        .defer("text")
        .order_by("-created_at", "-pk")
    )
    page = IdFirstPaginator(extractions, EXTRACTIONS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "campaign": campaign,
        "can_manage": True,
        "form": form,
        "page": page,
        "query": request.GET.urlencode(),
    }
    status = 400 if form.errors else 200
    return render(request, "figures/extraction_list.html", context, status=status)


def extraction_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The candidates of one extraction, each with its sentence and its decision."""
    extraction = get_object_or_404(
        Extraction.objects.visible_to(request.user).select_related(
            "campaign__topic", "campaign__region", "campaign__congress", "created_by"
        ),
        pk=pk,
    )
    return _render_detail(request, extraction)


def _render_detail(
    request: AuthenticatedRequest,
    extraction: Extraction,
    invalid: tuple[int, AcceptForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    campaign = extraction.campaign
    decision = request.GET.get("decision", "")
    if decision not in Decision.values:
        decision = ""
    candidates = extraction.candidates.select_related("region").order_by("position")
    counts = dict(extraction.candidates.values_list("decision").annotate(n=Count("pk")).order_by())
    if decision:
        candidates = candidates.filter(decision=decision)
    page = IdFirstPaginator(candidates, CANDIDATES_PER_PAGE).get_page(request.GET.get("page"))
    regions = list(_regions(campaign))
    indicators = catalogue(campaign.topic.slug)
    rows = [_row(candidate, indicators, campaign, invalid) for candidate in page]
    context = {
        "campaign": campaign,
        "can_manage": True,
        "extraction": extraction,
        "rows": rows,
        "page": page,
        "query": request.GET.urlencode(),
        "decision": decision,
        "decisions": [(value, label, counts.get(value, 0)) for value, label in Decision.choices],
        "total": sum(counts.values()),
        "regions": regions,
    }
    return render(request, "figures/extraction_detail.html", context, status=status)


def _regions(campaign: Campaign) -> QuerySet[Region]:
    return campaign.regions().order_by("code")


def _row(
    candidate: Candidate,
    indicators: dict[str, Indicator],
    campaign: Campaign,
    invalid: tuple[int, AcceptForm] | None,
) -> dict[str, Any]:
    row: dict[str, Any] = {"candidate": candidate, "indicator": indicators.get(candidate.indicator)}
    if candidate.decision != Decision.PENDING:
        return row
    fitting = matching.fitting(indicators.values(), candidate.unit)
    row["fitting"] = fitting
    if invalid is not None and invalid[0] == candidate.pk:
        row["form"] = invalid[1]
    elif fitting:
        suggested = matching.suggestion(fitting, candidate.subject)
        row["form"] = AcceptForm(
            indicators=fitting,
            regions=Region.objects.none(),  # rendered from the page's one list of regions
            auto_id=f"c{candidate.pk}_%s",
            initial={
                "indicator": suggested.code if suggested else "",
                "region": campaign.region.pk,
                "period": str(campaign.starts_on.year),
            },
        )
    return row


def _candidate(request: AuthenticatedRequest, pk: int) -> Candidate:
    return get_object_or_404(
        Candidate.objects.filter(
            extraction__in=Extraction.objects.visible_to(request.user)
        ).select_related("extraction__campaign__topic", "extraction__campaign__region"),
        pk=pk,
    )


def _back(candidate: Candidate) -> HttpResponse:
    url = reverse("figures:detail", args=[candidate.extraction_id])
    return redirect(f"{url}#candidate-{candidate.pk}")


@require_POST
def accept(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    candidate = _candidate(request, pk)
    campaign = candidate.extraction.campaign
    fitting = matching.fitting(catalogue(campaign.topic.slug).values(), candidate.unit)
    form = AcceptForm(
        request.POST, indicators=fitting, regions=_regions(campaign), auto_id=f"c{pk}_%s"
    )
    if form.is_valid():
        try:
            actions.accept_candidate(
                actor=request.user,
                candidate=candidate,
                indicator=form.cleaned_data["indicator"],
                region=form.cleaned_data["region"],
                period=form.cleaned_data["period"],
                replace=form.cleaned_data["replace"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已采用为指标值。"))
            return _back(candidate)
    extraction = Extraction.objects.select_related(
        "campaign__topic", "campaign__region", "campaign__congress", "created_by"
    ).get(pk=candidate.extraction_id)
    return _render_detail(request, extraction, invalid=(candidate.pk, form), status=400)


@require_POST
def dismiss(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    candidate = _candidate(request, pk)
    try:
        actions.dismiss_candidate(actor=request.user, candidate=candidate)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    return _back(candidate)


@require_POST
def reopen(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    candidate = _candidate(request, pk)
    try:
        actions.reopen_candidate(actor=request.user, candidate=candidate)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    return _back(candidate)
