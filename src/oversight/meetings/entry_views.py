"""The campaign staff's pages to enter a special inquiry (session, respondents, questions and
answers) and a deliberation opinion (the opinion, its items). Each finds its object through
``visible_to`` (404 outside scope), refuses anyone but the staff (403), and calls one action.
Reading pages and the item's answer and review live in ``views``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oversight.campaigns.scoping import campaign_for
from oversight.problems.views import attach_errors
from oversight.utilities.http import AuthenticatedRequest

from . import actions
from .forms import InquiryForm, OpinionForm, OpinionItemForm, QuestionForm, RespondentForm
from .models import InquirySession, ItemStatus, Opinion, Question
from .views import _item_for, _require_manager, _session_for


def _form_page(
    request: AuthenticatedRequest,
    form: forms.Form,
    save: Callable[[dict[str, Any]], str],
    *,
    success: str,
    context: dict[str, Any],
) -> HttpResponse:
    """On POST validate ``form`` and ``save`` it (the action; returns where to go next); a
    refusal shows the form again with the errors next to the fields, and nothing stored."""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                url = save(form.cleaned_data)
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, success)
                return redirect(url)
        status = 400
    context = {"form": form, "can_manage": True, **context}
    return render(request, "meetings/entry_form.html", context, status=status)


def _data(request: AuthenticatedRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _heading(text: str | Promise, subject: str) -> str:
    return f"{text}：{subject}"


# --- special inquiry ----------------------------------------------------------------------


def inquiry_create(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    campaign = campaign_for(request, slug)
    _require_manager(request, campaign)
    # Reached from a 专题询问会's page, the session belongs to that meeting by default.
    form = InquiryForm(
        _data(request), campaign=campaign, initial={"meeting": request.GET.get("meeting")}
    )

    def save(data: dict[str, Any]) -> str:
        session = actions.create_inquiry(actor=request.user, campaign=campaign, **data)
        return reverse("meetings:inquiry", args=[session.pk])

    context = {
        "campaign": campaign,
        "heading": gettext_lazy("登记专题询问"),
        "cancel_url": reverse("meetings:list", args=[campaign.slug]),
    }
    return _form_page(request, form, save, success=_("专题询问已登记。"), context=context)


def _session_context(session: InquirySession, heading: str | Promise) -> dict[str, Any]:
    return {
        "campaign": session.campaign,
        "heading": _heading(heading, session.title),
        "cancel_url": reverse("meetings:inquiry", args=[session.pk]),
    }


def respondent_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session = _session_for(request, pk)
    _require_manager(request, session.campaign)
    form = RespondentForm(_data(request), campaign=session.campaign)

    def save(data: dict[str, Any]) -> str:
        actions.add_respondent(actor=request.user, session=session, **data)
        return reverse("meetings:inquiry", args=[session.pk])

    context = _session_context(session, gettext_lazy("登记应询人"))
    return _form_page(request, form, save, success=_("应询人已登记。"), context=context)


def question_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session = _session_for(request, pk)
    _require_manager(request, session.campaign)
    form = QuestionForm(_data(request), session=session)

    def save(data: dict[str, Any]) -> str:
        question = actions.ask_question(actor=request.user, session=session, **data)
        return reverse("meetings:inquiry", args=[session.pk]) + f"#question-{question.pk}"

    context = _session_context(session, gettext_lazy("登记询问"))
    return _form_page(request, form, save, success=_("询问已登记。"), context=context)


def _question_initial(question: Question) -> dict[str, Any]:
    return {
        "asker": question.asker_id,
        "asker_name": question.asker_name,
        "organisation": question.organisation_id,
        "subject": question.subject,
        "text": question.text,
        "answered_by": question.answered_by_id,
        "answer": question.answer,
        "problems": [problem.pk for problem in question.problems.all()],
    }


def question_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Correct a question, record its answer, link it to the problems it concerns."""
    sessions = InquirySession.objects.visible_to(request.user)
    question = get_object_or_404(
        Question.objects.filter(session__in=sessions).select_related(
            "session__campaign__topic", "session__campaign__region"
        ),
        pk=pk,
    )
    session = question.session
    _require_manager(request, session.campaign)
    form = QuestionForm(_data(request), session=session, initial=_question_initial(question))

    def save(data: dict[str, Any]) -> str:
        actions.update_question(actor=request.user, question=question, **data)
        return reverse("meetings:inquiry", args=[session.pk]) + f"#question-{question.pk}"

    context = _session_context(session, gettext_lazy("询问与答复"))
    context["heading"] = _heading(context["heading"], str(question))
    return _form_page(request, form, save, success=_("询问与答复已保存。"), context=context)


# --- deliberation opinions ----------------------------------------------------------------


def opinion_create(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    campaign = campaign_for(request, slug)
    _require_manager(request, campaign)
    form = OpinionForm(
        _data(request), campaign=campaign, initial={"meeting": request.GET.get("meeting")}
    )

    def save(data: dict[str, Any]) -> str:
        opinion = actions.create_opinion(actor=request.user, campaign=campaign, **data)
        return reverse("meetings:opinion", args=[opinion.pk])

    context = {
        "campaign": campaign,
        "heading": gettext_lazy("登记审议意见"),
        "cancel_url": reverse("meetings:opinions", args=[campaign.slug]),
    }
    return _form_page(request, form, save, success=_("审议意见已登记。"), context=context)


def item_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    opinions = Opinion.objects.visible_to(request.user).select_related(
        "campaign__topic", "campaign__region", "campaign__congress"
    )
    opinion = get_object_or_404(opinions, pk=pk)
    _require_manager(request, opinion.campaign)
    form = OpinionItemForm(_data(request), campaign=opinion.campaign)

    def save(data: dict[str, Any]) -> str:
        item = actions.add_opinion_item(actor=request.user, opinion=opinion, **data)
        return reverse("meetings:opinion", args=[opinion.pk]) + f"#item-{item.pk}"

    context = {
        "campaign": opinion.campaign,
        "heading": _heading(gettext_lazy("添加意见事项"), opinion.title),
        "intro": _("事项按添加顺序自动编号。"),
        "cancel_url": reverse("meetings:opinion", args=[opinion.pk]),
    }
    return _form_page(request, form, save, success=_("意见事项已添加。"), context=context)


def item_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item = _item_for(request, pk)
    campaign = item.opinion.campaign
    _require_manager(request, campaign)
    if item.status == ItemStatus.CLOSED:
        messages.error(request, _("已销号的事项不能修改。"))
        return redirect("meetings:item", pk=item.pk)
    initial = {
        "text": item.text,
        "responsible": item.responsible_id,
        "deadline": item.deadline,
        "problems": [problem.pk for problem in item.problems.all()],
    }
    form = OpinionItemForm(_data(request), campaign=campaign, initial=initial)

    def save(data: dict[str, Any]) -> str:
        actions.update_opinion_item(actor=request.user, item=item, **data)
        return reverse("meetings:item", args=[item.pk])

    context = {
        "campaign": campaign,
        "heading": _heading(gettext_lazy("修改意见事项"), str(item)),
        "cancel_url": reverse("meetings:item", args=[item.pk]),
    }
    return _form_page(request, form, save, success=_("意见事项已保存。"), context=context)
