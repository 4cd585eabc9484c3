"""Thin views: find the object through ``visible_to`` (404 outside scope), validate the form,
call one action, show the result."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oversight.audit import actions as audit
from oversight.campaigns.models import Campaign
from oversight.campaigns.scoping import campaign_for
from oversight.problems.permissions import can_manage
from oversight.problems.views import attach_errors
from oversight.utilities.http import AuthenticatedRequest

from . import actions
from .forms import SORTS, AnswerForm, ItemFilterForm, MeetingForm, QuestionToProblemForm, ReviewForm
from .models import (
    InquirySession,
    ItemStatus,
    Meeting,
    MeetingAttachment,
    Opinion,
    OpinionItem,
    Question,
    ResponseEvidence,
    item_overdue_q,
)
from .permissions import can_answer

PAGE_SIZE = 50


def _require_manager(request: AuthenticatedRequest, campaign: Campaign) -> None:
    if not can_manage(request.user, campaign):
        raise PermissionDenied(_("只有组织本次联动监督的人大工作人员可以执行此操作。"))


def _sees_campaign(request: AuthenticatedRequest, campaign_id: int) -> bool:
    return Campaign.objects.visible_to(request.user).filter(pk=campaign_id).exists()


# --- meetings -----------------------------------------------------------------------------


def meeting_list(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    campaign = campaign_for(request, slug)
    sort = request.GET.get("sort", "date")
    if sort not in SORTS:
        sort = "date"
    kinds = campaign.topic.meeting_kinds.all()
    kind = request.GET.get("kind", "")
    meetings = (
        Meeting.objects.visible_to(request.user)
        .filter(campaign=campaign)
        .select_related("kind")
        .annotate(
            attendee_count=Count("attendees", distinct=True),
            organisation_count=Count("organisations", distinct=True),
            problem_count=Count("problems", distinct=True),
        )
        .order_by(*SORTS[sort])
    )
    if kind:
        meetings = meetings.filter(kind__code=kind[:50])
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "campaign": campaign,
        "page": page,
        "query": query.urlencode(),
        "sort": sort,
        "kinds": kinds,
        "kind": kind,
        "sessions": InquirySession.objects.visible_to(request.user)
        .filter(campaign=campaign)
        .select_related("meeting")
        .annotate(question_count=Count("questions")),
        "can_manage": can_manage(request.user, campaign),
    }
    return render(request, "meetings/meeting_list.html", context)


def _meeting_for(request: AuthenticatedRequest, pk: int) -> Meeting:
    meetings = Meeting.objects.visible_to(request.user).select_related(
        "kind", "campaign__topic", "campaign__region", "campaign__congress"
    )
    return get_object_or_404(meetings, pk=pk)


def meeting_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for(request, pk)
    context = {
        "campaign": meeting.campaign,
        "meeting": meeting,
        "attendees": meeting.attendees.select_related("organisation"),
        "organisations": meeting.organisations.all(),
        "problems": meeting.problems.select_related("assignment__assignee"),
        "attachments": meeting.attachments.all(),
        "sessions": meeting.inquiry_sessions.all(),
        "opinions": meeting.opinions.all(),
        "events": meeting.events.select_related("actor"),
        "can_manage": can_manage(request.user, meeting.campaign),
    }
    return render(request, "meetings/meeting_detail.html", context)


def _initial(meeting: Meeting) -> dict[str, Any]:
    return {
        "kind": meeting.kind,
        "title": meeting.title,
        "held_on": meeting.held_on,
        "date_is_illustrative": meeting.date_is_illustrative,
        "place": meeting.place,
        "chair": meeting.chair,
        "minutes": meeting.minutes,
        "attendees": list(meeting.attendees.all()),
        "organisations": list(meeting.organisations.all()),
        "problems": list(meeting.problems.all()),
    }


def _meeting_form(
    request: AuthenticatedRequest, campaign: Campaign, meeting: Meeting | None
) -> HttpResponse:
    _require_manager(request, campaign)
    initial = _initial(meeting) if meeting else {}
    form = MeetingForm(initial=initial, campaign=campaign)
    status = 200
    if request.method == "POST":
        form = MeetingForm(request.POST, request.FILES, campaign=campaign)
        if form.is_valid():
            try:
                if meeting is None:
                    meeting = actions.create_meeting(
                        actor=request.user, campaign=campaign, **form.cleaned_data
                    )
                else:
                    meeting = actions.update_meeting(
                        actor=request.user, meeting=meeting, **form.cleaned_data
                    )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("会议已保存。"))
                return redirect("meetings:detail", pk=meeting.pk)
        status = 400
    context = {"campaign": campaign, "meeting": meeting, "form": form, "can_manage": True}
    return render(request, "meetings/meeting_form.html", context, status=status)


def meeting_create(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    return _meeting_form(request, campaign_for(request, slug), None)


def meeting_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for(request, pk)
    return _meeting_form(request, meeting.campaign, meeting)


def _download(
    request: AuthenticatedRequest, item: MeetingAttachment | ResponseEvidence
) -> FileResponse:
    audit.record_export(request, item)
    # Always a download, typed as its content was checked to be: never rendered in the page.
    return FileResponse(
        item.file.open("rb"), as_attachment=True, filename=item.name, content_type=item.content_type
    )


def meeting_attachment(request: AuthenticatedRequest, pk: int) -> FileResponse:
    visible = Meeting.objects.visible_to(request.user)
    return _download(
        request, get_object_or_404(MeetingAttachment.objects.filter(meeting__in=visible), pk=pk)
    )


# --- special inquiry ----------------------------------------------------------------------


def _session_for(request: AuthenticatedRequest, pk: int) -> InquirySession:
    sessions = InquirySession.objects.visible_to(request.user).select_related(
        "meeting", "campaign__topic", "campaign__region", "campaign__congress"
    )
    return get_object_or_404(sessions, pk=pk)


def _inquiry(
    request: AuthenticatedRequest,
    session: InquirySession,
    bound: tuple[int, QuestionToProblemForm] | None = None,
) -> HttpResponse:
    questions = session.questions.select_related(
        "organisation", "answered_by", "problem"
    ).prefetch_related("problems")
    context = {
        "campaign": session.campaign,
        "session": session,
        "respondents": session.respondents.select_related("organisation"),
        "questions": questions,
        "convert_form": QuestionToProblemForm(campaign=session.campaign),
        "bound": bound,
        "can_manage": can_manage(request.user, session.campaign),
    }
    return render(request, "meetings/inquiry_detail.html", context, status=400 if bound else 200)


def inquiry_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _inquiry(request, _session_for(request, pk))


@require_POST
def question_to_problem(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    sessions = InquirySession.objects.visible_to(request.user)
    question = get_object_or_404(
        Question.objects.filter(session__in=sessions).select_related("session__campaign"), pk=pk
    )
    session = question.session
    form = QuestionToProblemForm(request.POST, campaign=session.campaign)
    if form.is_valid():
        try:
            problem = actions.question_to_problem(
                actor=request.user, question=question, **form.cleaned_data
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("已转为问题 %(code)s。") % {"code": problem.code})
            return redirect("problems:detail", pk=problem.pk)
    return _inquiry(request, _session_for(request, session.pk), (question.pk, form))


# --- deliberation opinions ----------------------------------------------------------------


def opinion_list(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    campaign = campaign_for(request, slug)
    today = timezone.localdate()
    opinions = (
        Opinion.objects.visible_to(request.user)
        .filter(campaign=campaign)
        .select_related("meeting")
        .annotate(
            item_count=Count("items"),
            closed_count=Count("items", filter=Q(items__status=ItemStatus.CLOSED)),
            answered_count=Count("items", filter=Q(items__status=ItemStatus.ANSWERED)),
            overdue_count=Count(
                "items", filter=Q(items__deadline__lt=today, items__status=ItemStatus.OPEN)
            ),
        )
    )
    context = {
        "campaign": campaign,
        "opinions": opinions,
        "can_manage": can_manage(request.user, campaign),
    }
    return render(request, "meetings/opinion_list.html", context)


def opinion_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    opinions = Opinion.objects.visible_to(request.user).select_related(
        "meeting", "campaign__topic", "campaign__region", "campaign__congress"
    )
    opinion = get_object_or_404(opinions, pk=pk)
    items = (
        OpinionItem.objects.visible_to(request.user)
        .filter(opinion=opinion)
        .select_related("responsible")
    )
    context = {
        "campaign": opinion.campaign,
        "opinion": opinion,
        "items": items,
        "sees_campaign": _sees_campaign(request, opinion.campaign_id),
        "can_manage": can_manage(request.user, opinion.campaign),
    }
    return render(request, "meetings/opinion_detail.html", context)


def _filtered_items(
    request: AuthenticatedRequest, items: QuerySet[OpinionItem], form: ItemFilterForm
) -> QuerySet[OpinionItem]:
    if form.is_valid():
        data = form.cleaned_data
        if data["status"]:
            items = items.filter(status=data["status"])
        if data.get("responsible"):
            items = items.filter(responsible=data["responsible"])
        if data["overdue"]:
            items = items.filter(item_overdue_q(timezone.localdate()))
    return items.select_related("opinion", "responsible").order_by(
        "opinion__adopted_on", "opinion_id", "number"
    )


def _item_page(
    request: AuthenticatedRequest, items: QuerySet[OpinionItem], form: ItemFilterForm
) -> dict[str, Any]:
    rows = _filtered_items(request, items, form)
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "filter_form": form,
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "query": query.urlencode(),
    }


def item_list(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Every item of the campaign's opinions, with status and overdue filters."""
    campaign = campaign_for(request, slug)
    items = OpinionItem.objects.visible_to(request.user).filter(opinion__campaign=campaign)
    form = ItemFilterForm(request.GET or None, campaign=campaign)
    context = {
        "campaign": campaign,
        "can_manage": can_manage(request.user, campaign),
        **_item_page(request, items, form),
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "meetings/item_list.html", context, status=status)


def my_items(request: AuthenticatedRequest) -> HttpResponse:
    """The responsible organisation's desk: the opinion items assigned to it."""
    organisation = request.user.organisation
    items = OpinionItem.objects.none()
    if organisation is not None and request.user.is_assignee_user:
        items = OpinionItem.objects.visible_to(request.user).filter(responsible=organisation)
    form = ItemFilterForm(request.GET or None)
    context = {"organisation": organisation, **_item_page(request, items, form)}
    return render(request, "meetings/my_items.html", context)


def _item_for(request: AuthenticatedRequest, pk: int) -> OpinionItem:
    items = OpinionItem.objects.visible_to(request.user).select_related(
        "responsible", "opinion__campaign__topic", "opinion__meeting"
    )
    return get_object_or_404(items, pk=pk)


def _item(
    request: AuthenticatedRequest,
    item: OpinionItem,
    answer_form: AnswerForm | None = None,
    review_form: ReviewForm | None = None,
) -> HttpResponse:
    campaign = item.opinion.campaign
    manager = can_manage(request.user, campaign)
    context = {
        "item": item,
        "opinion": item.opinion,
        "responses": item.responses.select_related("organisation", "author").prefetch_related(
            Prefetch("evidence", queryset=ResponseEvidence.objects.order_by("pk"))
        ),
        "events": item.events.select_related("actor"),
        "problems": item.problems.all(),
        "sees_campaign": _sees_campaign(request, campaign.pk),
        "may_answer": can_answer(request.user, item),
        "may_review": manager and item.status == ItemStatus.ANSWERED,
        "may_edit": manager and item.status != ItemStatus.CLOSED,
        "answer_form": answer_form or AnswerForm(),
        "review_form": review_form or ReviewForm(),
    }
    bound = answer_form is not None or review_form is not None
    return render(request, "meetings/item_detail.html", context, status=400 if bound else 200)


def item_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _item(request, _item_for(request, pk))


@require_POST
def item_answer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item = _item_for(request, pk)
    form = AnswerForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.answer_item(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("整改落实情况已报送。"))
            return redirect("meetings:item", pk=item.pk)
    return _item(request, item, answer_form=form)


@require_POST
def item_review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item = _item_for(request, pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == ReviewForm.CLOSE:
                actions.close_item(actor=request.user, item=item, note=data["note"])
            else:
                actions.return_item(actor=request.user, item=item, reason=data["note"])
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("审核意见已保存。"))
            return redirect("meetings:item", pk=item.pk)
    return _item(request, item, review_form=form)


def evidence(request: AuthenticatedRequest, pk: int) -> FileResponse:
    visible = OpinionItem.objects.visible_to(request.user)
    return _download(
        request,
        get_object_or_404(ResponseEvidence.objects.filter(response__item__in=visible), pk=pk),
    )
