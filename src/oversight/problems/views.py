"""Thin views: find the object through ``visible_to`` (404 outside scope), validate the form,
call one action, show the result."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from oversight.audit import actions as audit
from oversight.campaigns.models import Campaign
from oversight.campaigns.scoping import campaign_for
from oversight.utilities.http import AuthenticatedRequest
from oversight.utilities.pagination import CappedPaginator, IdFirstPaginator

from . import actions
from .filtersets import ProblemFilterSet
from .forms import (
    ActionForm,
    AssignForm,
    ClaimForm,
    ConsolidateForm,
    ExtensionDecisionForm,
    ExtensionForm,
    ProgressForm,
    RawReportForm,
    ReassignForm,
    ReviewForm,
)
from .models import (
    Attachment,
    ExtensionRequest,
    ExtensionStatus,
    Problem,
    ProblemEvent,
    ProgressReport,
    Status,
)
from .permissions import available_actions, can_manage, can_see_reporters

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PAGE_SIZE = 50
# The page section of each action form, for re-showing it open after a refusal.
SECTIONS: dict[type[ActionForm], str] = {
    AssignForm: "assign",
    ProgressForm: "progress",
    ClaimForm: "claim",
    ReviewForm: "review",
    ReassignForm: "reassign",
    ExtensionForm: "extend",
    ExtensionDecisionForm: "decide",
}


def _problem_for(request: AuthenticatedRequest, pk: int) -> Problem:
    problems = Problem.objects.visible_to(request.user)
    related = ("campaign__congress", "campaign__topic", "area", "region", "assignment__assignee")
    return get_object_or_404(problems.select_related(*related), pk=pk)


def problem_list(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    campaign = campaign_for(request, slug)
    problems = Problem.objects.in_campaign(campaign, request.user)
    filterset = ProblemFilterSet(request.GET or None, queryset=problems, campaign=campaign)
    rows = filterset.qs if filterset.is_bound else problems
    rows = rows.select_related("area", "region", "assignment__assignee")
    page = IdFirstPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "campaign": campaign,
        "filter": filterset,
        "page": page,
        "query": query.urlencode(),
        "can_manage": can_manage(request.user, campaign),
    }
    # A history restore (back button) needs the whole page, not the table alone.
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    template = "problems/_problem_table.html" if partial else "problems/problem_list.html"
    # A bad filter is a bad request, explained on the page. The htmx update stays 200: htmx
    # swaps no 4xx response by default, and the explanation must replace the stale table.
    invalid = filterset.is_bound and not filterset.is_valid()
    response = render(request, template, context, status=400 if invalid and not partial else 200)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _linked(request: AuthenticatedRequest, problem: Problem) -> dict[str, Any]:
    """The problems linked to this one that the user may see: the upper problem it came
    from, and the lower levels' problems it went down to (two levels at most). Their
    progress reports and history are read through the link, never copied."""
    visible = Problem.objects.visible_to(request.user)
    upper = None
    if problem.upper_id is not None:
        upper = visible.select_related("campaign", "assignment").filter(pk=problem.upper_id).first()
    # Each level as its own indexed lookup on ``upper``; an OR across the join would scan.
    below = Problem.objects.filter(upper=problem).values("pk").order_by()
    two_below = Problem.objects.filter(upper__upper=problem).values("pk").order_by()
    lower = list(
        visible.filter(pk__in=below.union(two_below))
        .select_related("campaign", "assignment__assignee")
        .order_by("pk")
    )
    return {"upper": upper, "lower_problems": lower}


def _detail(
    request: AuthenticatedRequest, problem: Problem, bound_form: ActionForm | None = None
) -> HttpResponse:
    linked = _linked(request, problem)
    # Own rows and those of the visible lower problems, in one list each, in time order.
    family = [problem.pk, *(lower.pk for lower in linked["lower_problems"])]
    pending = ExtensionRequest.objects.filter(
        problem=problem, status=ExtensionStatus.PENDING
    ).first()
    context: dict[str, Any] = {
        "problem": problem,
        **linked,
        "assignment": getattr(problem, "assignment", None),
        "raw_reports": problem.raw_reports.select_related("region"),
        "progress_reports": ProgressReport.objects.filter(problem__in=family)
        .select_related("author", "organisation", "problem__campaign")
        .prefetch_related("attachments"),
        "events": ProblemEvent.objects.filter(problem__in=family).select_related(
            "actor", "problem__campaign"
        ),
        "pending_extension": pending,
        "actions": available_actions(request.user, problem, pending),
        "show_reporters": can_see_reporters(request.user),
        "can_view_campaign": Campaign.objects.visible_to(request.user)
        .filter(pk=problem.campaign_id)
        .exists(),
        "assign_form": AssignForm(problem=problem),
        "progress_form": ProgressForm(problem=problem),
        "claim_form": ClaimForm(problem=problem),
        "review_form": ReviewForm(problem=problem),
        "reassign_form": ReassignForm(problem=problem),
        "extend_form": ExtensionForm(problem=problem),
        "decide_form": ExtensionDecisionForm(problem=problem),
    }
    if bound_form is not None:
        section = SECTIONS[type(bound_form)]
        context[f"{section}_form"] = bound_form
        context["open_form"] = section
    return render(
        request, "problems/problem_detail.html", context, status=400 if bound_form else 200
    )


def problem_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _detail(request, _problem_for(request, pk))


def attach_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show an action's refusal on the form: next to the field it names when the form has
    that field, above the form otherwise."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _run(
    request: AuthenticatedRequest,
    problem: Problem,
    form: ActionForm,
    call: Callable[[dict[str, Any]], object],
    success: StrOrPromise,
) -> HttpResponse:
    """Validate ``form`` and call the action; on refusal show the page again with the errors
    next to the fields, and nothing saved (the action is atomic)."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, success)
            return redirect("problems:detail", pk=problem.pk)
    return _detail(request, problem, form)


Perform = Callable[[Any, Problem, dict[str, Any]], object]


def _action_view(form_class: type[ActionForm], perform: Perform, success: StrOrPromise) -> Any:
    """A POST-only view: bind ``form_class``, run ``perform`` for the current user."""

    @require_POST
    def view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
        problem = _problem_for(request, pk)
        form = form_class(request.POST, request.FILES, problem=problem)
        return _run(
            request, problem, form, lambda data: perform(request.user, problem, data), success
        )

    return view


def _review(user: Any, problem: Problem, data: dict[str, Any]) -> object:
    if data["decision"] == ReviewForm.ACCEPT:
        return actions.accept_completion(actor=user, problem=problem, note=data["note"])
    return actions.return_for_rectification(actor=user, problem=problem, reason=data["note"])


assign = _action_view(
    AssignForm,
    lambda user, problem, data: actions.assign(actor=user, problem=problem, **data),
    gettext_lazy("问题已交办。"),
)
report_progress = _action_view(
    ProgressForm,
    lambda user, problem, data: actions.report_progress(actor=user, problem=problem, **data),
    gettext_lazy("整改进展已报送。"),
)
claim_completion = _action_view(
    ClaimForm,
    lambda user, problem, data: actions.claim_completion(actor=user, problem=problem, **data),
    gettext_lazy("已申请办结，等待人大审核。"),
)
review = _action_view(ReviewForm, _review, gettext_lazy("审核意见已保存。"))
reassign = _action_view(
    ReassignForm,
    lambda user, problem, data: actions.reassign(actor=user, problem=problem, **data),
    gettext_lazy("问题已改派。"),
)
request_extension = _action_view(
    ExtensionForm,
    lambda user, problem, data: actions.request_extension(actor=user, problem=problem, **data),
    gettext_lazy("延期申请已提交，等待交办单位审批。"),
)
decide_extension = _action_view(
    ExtensionDecisionForm,
    lambda user, problem, data: actions.decide_extension(
        actor=user,
        problem=problem,
        grant=data["decision"] == ExtensionDecisionForm.GRANT,
        note=data["note"],
    ),
    gettext_lazy("延期审批意见已保存。"),
)


def attachment(request: AuthenticatedRequest, pk: int) -> FileResponse:
    """Evidence is served only to those who may see its problem; media is never public."""
    visible = Problem.objects.visible_to(request.user)
    item = get_object_or_404(Attachment.objects.filter(report__problem__in=visible), pk=pk)
    audit.record_export(request, item)
    # Always a download, typed as its content was checked to be: never rendered in the page.
    return FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.name,
        content_type=item.content_type,
    )


def intake(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Raw reports of a campaign: record new ones, merge them into the problem list."""
    campaign = campaign_for(request, slug)
    if not can_manage(request.user, campaign):
        raise PermissionDenied(_("只有组织本次联动监督的人大工作人员可以管理原始问题。"))
    report_form = RawReportForm(campaign=campaign)
    merge_form = ConsolidateForm(campaign=campaign)
    status = 200
    if request.method == "POST":
        if "record" in request.POST:
            report_form = RawReportForm(request.POST, campaign=campaign)
            if _save_raw_report(request, campaign, report_form):
                return redirect("problems:intake", slug=campaign.slug)
        else:
            merge_form = ConsolidateForm(request.POST, campaign=campaign)
            problem = _merge(request, campaign, merge_form)
            if problem is not None:
                return redirect("problems:detail", pk=problem.pk)
        status = 400
    unmerged = campaign.raw_reports.filter(problem__isnull=True).select_related("region")
    page = Paginator(unmerged, PAGE_SIZE * 2).get_page(request.GET.get("page"))
    context = {
        "campaign": campaign,
        "report_form": report_form,
        "merge_form": merge_form,
        "page": page,
        "query": "",
        # Keep the ticked reports ticked when the merge is refused.
        "selected": {int(pk) for pk in request.POST.getlist("reports") if pk.isdecimal()},
    }
    return render(request, "problems/intake.html", context, status=status)


LOOKUP_LIMIT = 20


def problem_lookup(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The intake picker's matches as the user types: a few problems, never the whole list."""
    campaign = campaign_for(request, slug)
    if not can_manage(request.user, campaign):
        raise PermissionDenied(_("只有组织本次联动监督的人大工作人员可以管理原始问题。"))
    text = request.GET.get("target_search", "").strip()[:100]
    matches = campaign.problems.search(text).order_by("number")[:LOOKUP_LIMIT] if text else None
    chosen_pk = request.GET.get("chosen", "")
    chosen = None
    if chosen_pk.isdecimal() and len(chosen_pk) < 19:
        chosen = campaign.problems.filter(pk=int(chosen_pk)).first()
    context = {"name": "target", "matches": matches, "chosen": chosen, "limit": LOOKUP_LIMIT}
    return render(request, "problems/_problem_choices.html", context)


def _save_raw_report(
    request: AuthenticatedRequest, campaign: Campaign, form: RawReportForm
) -> bool:
    if not form.is_valid():
        return False
    try:
        actions.record_raw_report(actor=request.user, campaign=campaign, **form.cleaned_data)
    except ValidationError as error:
        attach_errors(form, error)
        return False
    messages.success(request, _("原始问题已录入。"))
    return True


def _merge(
    request: AuthenticatedRequest, campaign: Campaign, form: ConsolidateForm
) -> Problem | None:
    if not form.is_valid():
        return None
    data = form.cleaned_data
    reports = list(data["reports"])
    try:
        if data["target"]:
            problem = actions.merge_into(
                actor=request.user, problem=data["target"], reports=reports
            )
        else:
            problem = actions.consolidate(
                actor=request.user,
                campaign=campaign,
                reports=reports,
                title=data["title"],
                description=data["description"],
                kind=data["kind"],
                area=data["area"],
                region=data["region"],
            )
    except ValidationError as error:
        attach_errors(form, error)
        return None
    messages.success(request, _("已归并 %(count)d 条原始问题。") % {"count": len(reports)})
    return problem


def workspace(request: AuthenticatedRequest) -> HttpResponse:
    """The assignee's desk: what is still open by deadline (so the overdue come first: an
    order the deadline index serves, stopping at the page's end), or what is done."""
    done = request.GET.get("tab") == "done"
    mine = Problem.objects.workload_of(request.user)
    if done:
        problems = mine.filter(status=Status.COMPLETED).order_by("-completed_at", "-number")
    else:
        problems = mine.exclude(status=Status.COMPLETED).order_by("assignment__deadline", "number")
    problems = problems.select_related("campaign", "area", "region", "assignment__assignee")
    page = CappedPaginator(problems, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "organisation": request.user.organisation,
        "done": done,
        "query": "tab=done" if done else "",
    }
    return render(request, "problems/workspace.html", context)
