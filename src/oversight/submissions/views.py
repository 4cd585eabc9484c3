"""Thin views for deputies (我的建议) and for the campaign's staff: find through
``visible_to`` or ``campaign_for`` (404 outside scope), validate the form, call one action."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oversight.campaigns.scoping import campaign_for
from oversight.problems.permissions import can_manage
from oversight.problems.views import attach_errors
from oversight.utilities.http import AuthenticatedRequest

from . import actions
from .forms import ProgressForm, ProjectForm, ReplyForm, SubmissionFilterForm, SuggestionForm
from .models import Kind, LivelihoodProject, PublicReporting, Submission
from .stats import deputy_handling_of, handling_of, project_figures

PAGE_SIZE = 50
DEPUTY_KINDS = (Kind.SUGGESTION, Kind.PROBLEM)


def _with_handling(submissions: QuerySet[Submission]) -> QuerySet[Submission]:
    return submissions.select_related(
        "raw_report__campaign", "raw_report__problem__assignment__assignee", "area", "deputy"
    )


# --- deputies ------------------------------------------------------------------------------


def _require_deputy(request: AuthenticatedRequest) -> None:
    if not request.user.is_deputy:
        raise PermissionDenied(_("只有人大代表可以使用此页面。"))


def my_suggestions(request: AuthenticatedRequest) -> HttpResponse:
    """我的建议: what this deputy filed and how far each has come."""
    _require_deputy(request)
    submissions = _with_handling(Submission.objects.filter(deputy=request.user))
    rows = [(submission, handling_of(submission)) for submission in submissions]
    context = {"rows": rows, "campaigns": actions.campaigns_for_deputy(request.user)}
    return render(request, "submissions/my_suggestions.html", context)


def suggestion_create(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    _require_deputy(request)
    campaign = get_object_or_404(
        actions.campaigns_for_deputy(request.user).select_related("topic", "region"), slug=slug
    )
    form = SuggestionForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            submission = actions.file_suggestion(
                actor=request.user, campaign=campaign, **form.cleaned_data
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("已提交，可在“我的建议”中查看办理情况。"))
            return redirect("submissions:my_detail", pk=submission.pk)
    status = 400 if form.errors else 200
    return render(
        request,
        "submissions/suggestion_form.html",
        {"campaign": campaign, "form": form},
        status=status,
    )


def my_suggestion(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_deputy(request)
    submission = get_object_or_404(
        _with_handling(Submission.objects.filter(deputy=request.user)), pk=pk
    )
    context = {"submission": submission, "deputy": deputy_handling_of(submission)}
    return render(request, "submissions/my_suggestion.html", context)


# --- staff ---------------------------------------------------------------------------------


def _filtered(
    submissions: QuerySet[Submission], form: SubmissionFilterForm
) -> QuerySet[Submission]:
    if not form.is_valid():
        return submissions
    data = form.cleaned_data
    if data["kind"]:
        submissions = submissions.filter(kind=data["kind"])
    state_filters = {
        "unmerged": Q(raw_report__problem__isnull=True),
        "merged": Q(raw_report__problem__isnull=False),
        "unreplied": Q(public_reply=""),
        "replied": ~Q(public_reply=""),
    }
    if data["state"] in state_filters:
        submissions = submissions.filter(state_filters[data["state"]])
    if data["q"].strip():
        text = data["q"].strip()
        submissions = submissions.filter(
            Q(title__icontains=text) | Q(raw_report__text__icontains=text)
        )
    return submissions


def submission_list(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    campaign = campaign_for(request, slug)
    form = SubmissionFilterForm(request.GET or None)
    submissions = _filtered(
        _with_handling(Submission.objects.visible_to(request.user)).filter(
            raw_report__campaign=campaign
        ),
        form,
    )
    page = Paginator(submissions, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    reporting = PublicReporting.objects.filter(campaign=campaign).first()
    context = {
        "campaign": campaign,
        "form": form,
        "page": page,
        "rows": [(submission, handling_of(submission)) for submission in page],
        "query": query.urlencode(),
        "can_manage": can_manage(request.user, campaign),
        "reporting": reporting,
    }
    return render(request, "submissions/submission_list.html", context)


@require_POST
def public_reporting(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    campaign = campaign_for(request, slug)
    is_open = request.POST.get("open") == "1"
    actions.set_public_reporting(actor=request.user, campaign=campaign, is_open=is_open)
    messages.success(request, _("已开放群众反映。") if is_open else _("已关闭群众反映。"))
    return redirect("submissions:list", slug=campaign.slug)


def _submission_for(request: AuthenticatedRequest, pk: int) -> Submission:
    if request.user.is_deputy:  # a deputy follows theirs on 我的建议, not on the staff page
        raise PermissionDenied(_("只有人大工作人员可以使用此页面。"))
    return get_object_or_404(_with_handling(Submission.objects.visible_to(request.user)), pk=pk)


def submission_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    submission = _submission_for(request, pk)
    campaign = submission.raw_report.campaign
    manage = can_manage(request.user, campaign)
    form = ReplyForm(request.POST or None, initial={"text": submission.public_reply})
    if request.method == "POST":
        if not manage:
            raise PermissionDenied(_("只有组织本次联动监督的人大工作人员可以执行此操作。"))
        if form.is_valid():
            try:
                actions.publish_reply(
                    actor=request.user, submission=submission, text=form.cleaned_data["text"]
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("已发布公开答复。"))
                return redirect("submissions:detail", pk=submission.pk)
    context = {
        "campaign": campaign,
        "submission": submission,
        "handling": handling_of(submission),
        "events": submission.events.select_related("actor"),
        "form": form,
        "can_manage": manage,
    }
    return render(
        request, "submissions/submission_detail.html", context, status=400 if form.errors else 200
    )


# --- suggestions and livelihood projects ---------------------------------------------------


def livelihood(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The deputies' suggestions and the livelihood projects followed with the campaign."""
    campaign = campaign_for(request, slug)
    suggestions = _with_handling(
        Submission.objects.visible_to(request.user).filter(
            raw_report__campaign=campaign, kind__in=DEPUTY_KINDS
        )
    )
    projects = (
        LivelihoodProject.objects.filter(campaign=campaign)
        .select_related("department")
        .prefetch_related("progress")
    )
    context = {
        "campaign": campaign,
        "suggestions": [(s, handling_of(s)) for s in suggestions],
        "projects": [(p, project_figures(p, list(p.progress.all()))) for p in projects],
        "can_manage": can_manage(request.user, campaign),
    }
    return render(request, "submissions/livelihood.html", context)


def project_create(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    campaign = campaign_for(request, slug)
    if not can_manage(request.user, campaign):
        raise PermissionDenied(_("只有组织本次联动监督的人大工作人员可以执行此操作。"))
    form = ProjectForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            project = actions.register_project(
                actor=request.user, campaign=campaign, **form.cleaned_data
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("已登记民生实事。"))
            return redirect("submissions:project", pk=project.pk)
    return render(
        request,
        "submissions/project_form.html",
        {"campaign": campaign, "form": form},
        status=400 if form.errors else 200,
    )


def project_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(
        LivelihoodProject.objects.select_related("department", "campaign"), pk=pk
    )
    campaign = campaign_for(request, project.campaign.slug)
    manage = can_manage(request.user, campaign)
    form = ProgressForm(request.POST or None, initial={"reported_on": timezone.localdate()})
    if request.method == "POST":
        if not manage:
            raise PermissionDenied(_("只有组织本次联动监督的人大工作人员可以执行此操作。"))
        if form.is_valid():
            try:
                actions.record_project_progress(
                    actor=request.user, project=project, **form.cleaned_data
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("已录入进展。"))
                return redirect("submissions:project", pk=project.pk)
    progress = list(project.progress.select_related("author"))
    context: dict[str, Any] = {
        "campaign": campaign,
        "project": project,
        "progress": progress,
        "figures": project_figures(project, progress),
        "form": form,
        "can_manage": manage,
    }
    return render(
        request, "submissions/project_detail.html", context, status=400 if form.errors else 200
    )
