"""智能归并: the proposed groups of a campaign's unmerged raw reports, for its staff."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from oversight.campaigns.models import Campaign
from oversight.campaigns.scoping import campaign_for
from oversight.problems.models import RawReport
from oversight.problems.permissions import can_manage
from oversight.utilities.http import AuthenticatedRequest

from . import actions, services
from .forms import ConfirmForm, ThresholdForm, share_choices

PAGE_SIZE = 10


def _managed_campaign(request: AuthenticatedRequest, slug: str) -> Campaign:
    campaign = campaign_for(request, slug)
    if not can_manage(request.user, campaign):
        raise PermissionDenied(_("只有组织本次联动监督的人大工作人员可以归并原始问题。"))
    return campaign


@require_http_methods(["GET", "POST"])
def proposals(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    campaign = _managed_campaign(request, slug)
    if request.method == "POST":
        return _decide(request, campaign)
    threshold_form = ThresholdForm(request.GET or None)
    threshold = threshold_form.value()
    if not threshold_form.is_bound or not threshold_form.is_valid():
        threshold_form = ThresholdForm(initial={"threshold": threshold})
    found = services.proposals(campaign, threshold)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page)
    services.suggest_join_targets(campaign, shown, threshold)
    services.explain(campaign, shown)
    confirm_forms = [
        ConfirmForm(
            campaign=campaign,
            auto_id=f"g{index}_%s",
            initial={"title": proposal.title, "kind": proposal.kind, "region": proposal.region.pk},
        )
        for index, proposal in enumerate(shown)
    ]
    share_choices(confirm_forms)
    cards = [
        {"proposal": proposal, "form": form}
        for proposal, form in zip(shown, confirm_forms, strict=True)
    ]
    context = {
        "campaign": campaign,
        "can_manage": True,
        "threshold_form": threshold_form,
        "threshold": threshold,
        "page": page,
        "cards": cards,
        "unmerged": campaign.raw_reports.filter(problem__isnull=True).count(),
        "query": urlencode({"threshold": str(threshold)}),
    }
    return render(request, "merging/proposals.html", context)


def _chosen(campaign: Campaign, values: list[str]) -> list[RawReport]:
    pks = {int(value) for value in values if value.isdecimal() and len(value) < 19}
    return list(campaign.raw_reports.filter(pk__in=pks).order_by("pk"))


def _decide(request: AuthenticatedRequest, campaign: Campaign) -> HttpResponse:
    group = _chosen(campaign, request.POST.getlist("group"))
    group_pks = {report.pk for report in group}
    ticked = [r for r in _chosen(campaign, request.POST.getlist("reports")) if r.pk in group_pks]
    unticked = [report for report in group if report not in ticked]
    back = _back(campaign, request.POST.get("threshold", ""))
    try:
        if "reject" in request.POST:
            actions.reject_group(actor=request.user, campaign=campaign, reports=group)
            done = _("已记录：这一组不是同一问题，不再提出。")
        elif "split" in request.POST:
            actions.split_group(
                actor=request.user, campaign=campaign, kept=ticked, split_off=unticked
            )
            done = _("已拆分：未勾选的原始问题移出这一组。")
        elif "join" in request.POST:
            done = _join(request, campaign, ticked)
        else:
            done = _confirm(request, campaign, ticked)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return back


def _confirm(request: AuthenticatedRequest, campaign: Campaign, ticked: list[RawReport]) -> str:
    form = ConfirmForm(request.POST, campaign=campaign)
    if not form.is_valid():
        raise ValidationError([str(e) for errors in form.errors.values() for e in errors])
    problem = actions.confirm_group(
        actor=request.user, campaign=campaign, reports=ticked, **form.cleaned_data
    )
    return _("已归并 %(count)d 条原始问题为新问题 %(code)s。") % {
        "count": len(ticked),
        "code": problem.code,
    }


def _join(request: AuthenticatedRequest, campaign: Campaign, ticked: list[RawReport]) -> str:
    target = request.POST.get("target", "")
    if not (target.isdecimal() and len(target) < 19):
        raise ValidationError(_("请选择要并入的问题。"))
    problem = get_object_or_404(campaign.problems, pk=int(target))
    actions.join_group(actor=request.user, problem=problem, reports=ticked)
    return _("已将 %(count)d 条原始问题并入问题 %(code)s。") % {
        "count": len(ticked),
        "code": problem.code,
    }


def _back(campaign: Campaign, threshold: str) -> HttpResponseRedirect:
    url = reverse("merging:proposals", args=[campaign.slug])
    form = ThresholdForm({"threshold": threshold})
    if form.is_valid() and form.cleaned_data["threshold"] is not None:
        url += "?" + urlencode({"threshold": str(form.value())})
    return redirect(url)
