"""The pages anyone may open without signing in: the report form and the status page.

They show nothing but what ``stats.handling_of`` publishes, and every request counts
against a per-address rate limit.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from oversight.problems.views import attach_errors
from oversight.utilities.ratelimits import rate_limited

from . import actions, captcha
from .forms import PublicReportForm, TrackingLookupForm
from .models import TRACKING_LENGTH, Submission
from .stats import handling_of

REPORT_RATE = "10/h"
LOOKUP_RATE = "30/h"


@login_not_required
def open_campaigns(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "submissions/public_campaigns.html",
        {"campaigns": actions.campaigns_open_to_public(), "lookup": TrackingLookupForm()},
    )


def _report_page(
    request: HttpRequest, campaign: object, form: PublicReportForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "submissions/public_report.html",
        {"campaign": campaign, "form": form},
        status=status,
    )


@login_not_required
@rate_limited(REPORT_RATE, method="POST")
@cache_control(private=True, no_store=True)
def public_report(request: HttpRequest, slug: str) -> HttpResponse:
    """The report form of a campaign whose staff opened public reporting (404 otherwise)."""
    campaign = get_object_or_404(actions.campaigns_open_to_public(), slug=slug)
    challenge = captcha.new_challenge()
    if request.method != "POST":
        form = PublicReportForm(
            campaign=campaign,
            question=challenge.question,
            initial={"captcha_token": challenge.token},
        )
        return _report_page(request, campaign, form)
    form = PublicReportForm(request.POST, campaign=campaign, question=challenge.question)
    if form.is_valid():
        data = form.cleaned_data
        try:
            submission = actions.file_public_report(
                campaign=campaign,
                text=data["text"],
                region=data["region"],
                area=data["area"],
                name=data["name"],
                phone=data["phone"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            # The code is shown here once: it is the only key to the status page.
            return render(
                request,
                "submissions/public_received.html",
                {"campaign": campaign, "submission": submission},
            )
    # A refused form asks a new question: the old one is spent.
    data = request.POST.copy()
    data["captcha_token"] = challenge.token
    data["captcha_answer"] = ""
    form.data = data
    return _report_page(request, campaign, form, status=400)


@login_not_required
@rate_limited(LOOKUP_RATE)
def track_lookup(request: HttpRequest) -> HttpResponse:
    form = TrackingLookupForm(request.GET or None)
    if form.is_valid():
        code = actions.normalise_tracking_code(form.cleaned_data["code"])
        if len(code) == TRACKING_LENGTH:
            return redirect("submissions:track", code=code)
        form.add_error("code", _("查询码为 12 位字母和数字。"))
    return render(request, "submissions/track_lookup.html", {"form": form})


@login_not_required
@rate_limited(LOOKUP_RATE)
@cache_control(private=True, no_store=True)
def track(request: HttpRequest, code: str) -> HttpResponse:
    """The public status of one report. Any unknown code gets the same 404."""
    normalised = actions.normalise_tracking_code(code)
    if len(normalised) != TRACKING_LENGTH:
        raise Http404
    submission = get_object_or_404(
        Submission.objects.select_related(
            "raw_report__campaign",
            "raw_report__problem__assignment__assignee",
        ),
        tracking_code=normalised,
    )
    if normalised != code:
        return redirect("submissions:track", code=normalised)
    context = {
        "campaign_name": submission.raw_report.campaign.name,
        "code": submission.tracking_code_display,
        "handling": handling_of(submission),
    }
    return render(request, "submissions/track.html", context)
