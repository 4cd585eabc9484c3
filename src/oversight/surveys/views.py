"""Thin views: find the questionnaire through ``visible_to`` (404 outside scope), validate
the form, call one action. The public answering page is the one view without sign-in."""

from __future__ import annotations

import io
import uuid
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oversight.audit import actions as audit
from oversight.campaigns.scoping import campaign_for
from oversight.problems.permissions import can_manage
from oversight.problems.views import attach_errors
from oversight.utilities.http import AuthenticatedRequest
from oversight.utilities.ratelimits import rate_limited

from . import actions
from .exports import csv_lines, workbook_file
from .forms import AnswerForm, OfflineEntryForm, QuestionForm, QuestionnaireForm, SettingsForm
from .models import (
    Answer,
    Question,
    QuestionKind,
    Questionnaire,
    Response,
    ResponseChannel,
    Status,
)
from .stats import results as compute_results

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COOKIE_SALT = "oversight.surveys.answered"
COOKIE_AGE = 365 * 24 * 3600
TEXT_PAGE_SIZE = 50


def submit_rate(group: str, request: HttpRequest) -> str:
    """Answers per address: a household or an office shares one; a robot sends hundreds."""
    return str(getattr(settings, "SURVEYS_SUBMIT_RATE", "30/h"))


def _questionnaire_for(request: AuthenticatedRequest, pk: int) -> Questionnaire:
    questionnaires = Questionnaire.objects.visible_to(request.user)
    return get_object_or_404(questionnaires.select_related("campaign__region"), pk=pk)


def _managed(request: AuthenticatedRequest, pk: int) -> Questionnaire:
    questionnaire = _questionnaire_for(request, pk)
    if not can_manage(request.user, questionnaire.campaign):
        raise PermissionDenied(_("只有组织本次联动监督的人大工作人员可以管理问卷。"))
    return questionnaire


def _public_url(request: HttpRequest, questionnaire: Questionnaire) -> str:
    return request.build_absolute_uri(reverse("surveys:answer", args=[questionnaire.token]))


# --- staff: list, builder, lifecycle --------------------------------------------------------


def questionnaire_list(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    campaign = campaign_for(request, slug)
    manager = can_manage(request.user, campaign)
    form = QuestionnaireForm(request.POST or None)
    if request.method == "POST":
        if not manager:
            raise PermissionDenied(_("只有组织本次联动监督的人大工作人员可以新建问卷。"))
        if form.is_valid():
            try:
                questionnaire = actions.create_questionnaire(
                    actor=request.user, campaign=campaign, **form.cleaned_data
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("问卷已新建，请添加题目。"))
                return redirect("surveys:detail", pk=questionnaire.pk)
    questionnaires = Questionnaire.objects.visible_to(request.user).filter(campaign=campaign)
    counts: dict[int, dict[str, int]] = {}
    for questionnaire_id, channel, count in (
        Response.objects.filter(questionnaire__in=questionnaires)
        .values_list("questionnaire_id", "channel")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts.setdefault(questionnaire_id, {})[channel] = count
    rows = [
        (q, counts.get(q.pk, {}).get("online", 0), counts.get(q.pk, {}).get("offline", 0))
        for q in questionnaires
    ]
    context = {"campaign": campaign, "rows": rows, "form": form, "can_manage": manager}
    return render(
        request, "surveys/questionnaire_list.html", context, status=400 if form.errors else 200
    )


def _detail_context(request: AuthenticatedRequest, questionnaire: Questionnaire) -> dict[str, Any]:
    manager = can_manage(request.user, questionnaire.campaign)
    return {
        "questionnaire": questionnaire,
        "campaign": questionnaire.campaign,
        "questions": questionnaire.questions.prefetch_related("options"),
        "regions": actions.region_choices(questionnaire.campaign),
        "can_manage": manager,
        "question_form": QuestionForm(),
        "settings_form": SettingsForm(initial={"allow_repeat": questionnaire.allow_repeat}),
        "public_url": _public_url(request, questionnaire),
        "responses": questionnaire.responses.count(),
    }


def questionnaire_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    questionnaire = _questionnaire_for(request, pk)
    return render(
        request, "surveys/questionnaire_detail.html", _detail_context(request, questionnaire)
    )


@require_POST
def add_question(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    questionnaire = _managed(request, pk)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            actions.add_question(
                actor=request.user, questionnaire=questionnaire, **form.action_arguments()
            )
        except ValidationError as error:
            if not questionnaire.is_draft:
                # The page shows no question form any more: the refusal goes on top.
                messages.error(request, " ".join(error.messages))
                return redirect("surveys:detail", pk=pk)
            attach_errors(form, error)
        else:
            messages.success(request, _("题目已添加。"))
            return redirect(reverse("surveys:detail", args=[pk]) + "#add-question")
    context = _detail_context(request, questionnaire)
    context["question_form"] = form
    return render(request, "surveys/questionnaire_detail.html", context, status=400)


def _question_of(questionnaire: Questionnaire, question_pk: int) -> Question:
    return get_object_or_404(Question, pk=question_pk, questionnaire=questionnaire)


def _run(request: AuthenticatedRequest, pk: int, call: Any, success: str) -> HttpResponse:
    """Call one lifecycle action; a refusal becomes a message on the builder page."""
    try:
        call()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect("surveys:detail", pk=pk)


@require_POST
def move_question(request: AuthenticatedRequest, pk: int, question_pk: int) -> HttpResponse:
    questionnaire = _managed(request, pk)
    question = _question_of(questionnaire, question_pk)
    up = request.POST.get("direction") == "up"
    return _run(
        request,
        pk,
        lambda: actions.move_question(actor=request.user, question=question, up=up),
        _("题目顺序已调整。"),
    )


@require_POST
def remove_question(request: AuthenticatedRequest, pk: int, question_pk: int) -> HttpResponse:
    questionnaire = _managed(request, pk)
    question = _question_of(questionnaire, question_pk)
    return _run(
        request,
        pk,
        lambda: actions.remove_question(actor=request.user, question=question),
        _("题目已删除。"),
    )


@require_POST
def publish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    questionnaire = _managed(request, pk)
    return _run(
        request,
        pk,
        lambda: actions.publish(actor=request.user, questionnaire=questionnaire),
        _("问卷已发布，群众可通过链接或二维码填写。"),
    )


@require_POST
def close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    questionnaire = _managed(request, pk)
    return _run(
        request,
        pk,
        lambda: actions.close(actor=request.user, questionnaire=questionnaire),
        _("问卷已结束，不再接受网上填写。"),
    )


@require_POST
def update_settings(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    questionnaire = _managed(request, pk)
    form = SettingsForm(request.POST)
    form.is_valid()
    allow = bool(form.cleaned_data.get("allow_repeat"))
    return _run(
        request,
        pk,
        lambda: actions.update_settings(
            actor=request.user, questionnaire=questionnaire, allow_repeat=allow
        ),
        _("设置已保存。"),
    )


def qr_code(request: AuthenticatedRequest, pk: int, kind: str) -> HttpResponse:
    """The public link as a QR code, PNG or SVG, to print on posters."""
    if kind not in ("png", "svg"):
        raise Http404
    questionnaire = _questionnaire_for(request, pk)
    if questionnaire.is_draft:
        raise PermissionDenied(_("问卷发布后才有二维码。"))
    buffer = io.BytesIO()
    code = segno.make(_public_url(request, questionnaire), error="m")
    if kind == "svg":
        code.save(buffer, kind="svg", scale=10, border=4, xmldecl=False)
        content_type = "image/svg+xml"
    else:
        code.save(buffer, kind="png", scale=12, border=4)
        content_type = "image/png"
    response = HttpResponse(buffer.getvalue(), content_type=content_type)
    if request.GET.get("download"):
        audit.record_export(request, _("问卷二维码（%(title)s）") % {"title": questionnaire.title})
        response["Content-Disposition"] = f'attachment; filename="questionnaire-{pk}-qr.{kind}"'
    response["Cache-Control"] = "private, max-age=300"
    return response


# --- offline entry --------------------------------------------------------------------------


def offline_entry(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Paper questionnaires typed in one after another: enter submits, and the next empty
    form opens with the cursor in its first box."""
    questionnaire = _managed(request, pk)
    form = OfflineEntryForm(request.POST or None, questionnaire=questionnaire)
    if request.method == "POST" and form.is_valid():
        try:
            response = actions.submit_response(
                actor=request.user,
                questionnaire=questionnaire,
                answers=form.answers(),
                channel=ResponseChannel.OFFLINE,
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request, _("第 %(number)s 份答卷已保存，请录入下一份。") % {"number": response.pk}
            )
            return redirect("surveys:entry", pk=pk)
    # The cursor starts in the first box, or in the first one to correct.
    focus = next((name for name in form.fields if name in form.errors), None)
    if focus is None and form.fields:
        focus = next(iter(form.fields))
    if focus is not None:
        form.fields[focus].widget.attrs["autofocus"] = True
    entered = questionnaire.responses.filter(
        channel=ResponseChannel.OFFLINE, entered_by=request.user
    ).count()
    context = {
        "questionnaire": questionnaire,
        "campaign": questionnaire.campaign,
        "form": form,
        "items": [(q, field, form.numbered_choices(q)) for q, field in form.items()],
        "entered": entered,
        "can_manage": True,
    }
    return render(request, "surveys/entry.html", context, status=400 if form.errors else 200)


# --- results and exports --------------------------------------------------------------------


def results(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    questionnaire = _questionnaire_for(request, pk)
    regions = list(actions.region_choices(questionnaire.campaign))
    region = next((r for r in regions if str(r.pk) == request.GET.get("region")), None)
    channel = request.GET.get("channel")
    if channel not in ResponseChannel.values:
        channel = None
    figures = compute_results(questionnaire, region=region, channel=channel)
    chart = [
        {
            "id": f"chart-{result.question.pk}",
            "kind": result.kind,
            "labels": [option.text for option in result.options],
            "counts": [option.count for option in result.options],
        }
        for result in figures.questions
        if result.options
    ]
    context = {
        "questionnaire": questionnaire,
        "campaign": questionnaire.campaign,
        "results": figures,
        "regions": regions,
        "region": region,
        "channel": channel,
        "channels": ResponseChannel.choices,
        "chart": chart,
        "can_manage": can_manage(request.user, questionnaire.campaign),
    }
    return render(request, "surveys/results.html", context)


def export_csv(request: AuthenticatedRequest, pk: int) -> StreamingHttpResponse:
    questionnaire = _questionnaire_for(request, pk)
    audit.record_export(
        request, _("问卷全部回答 CSV（%(title)s）") % {"title": questionnaire.title}
    )
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in csv_lines(questionnaire)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="questionnaire-{pk}.csv"'
    return response


def export_xlsx(request: AuthenticatedRequest, pk: int) -> FileResponse:
    questionnaire = _questionnaire_for(request, pk)
    audit.record_export(
        request, _("问卷全部回答 Excel（%(title)s）") % {"title": questionnaire.title}
    )
    return FileResponse(
        workbook_file(questionnaire),
        as_attachment=True,
        filename=f"questionnaire-{pk}.xlsx",
        content_type=XLSX,
    )


# --- free text into raw reports -------------------------------------------------------------


def texts(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The free-text answers, newest first; staff pick some and turn them into raw reports."""
    questionnaire = _managed(request, pk)
    if request.method == "POST":
        chosen = [int(v) for v in request.POST.getlist("answers") if v.isdecimal() and len(v) < 19][
            :500
        ]
        try:
            reports = actions.convert_to_raw_reports(
                actor=request.user, questionnaire=questionnaire, answer_ids=chosen
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            skipped = len(chosen) - len(reports)
            message = _("已转为 %(n)s 条原始问题。") % {"n": len(reports)}
            if skipped:
                message += _("另有 %(n)s 条此前已转过，未重复转换。") % {"n": skipped}
            messages.success(request, message)
        return redirect(request.get_full_path())
    answers = (
        Answer.objects.filter(
            response__questionnaire=questionnaire, question__kind=QuestionKind.TEXT
        )
        .exclude(text="")
        .select_related("question", "response__region", "raw_report")
        .order_by("-pk")
    )
    pending = bool(request.GET.get("pending"))
    if pending:
        answers = answers.filter(raw_report__isnull=True)
    page = Paginator(answers, TEXT_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "questionnaire": questionnaire,
        "campaign": questionnaire.campaign,
        "page": page,
        "pending": pending,
        "query": request.GET.urlencode(),
        "can_manage": True,
    }
    return render(request, "surveys/texts.html", context)


# --- the public page ------------------------------------------------------------------------


def _cookie_name(questionnaire: Questionnaire) -> str:
    return f"survey-{questionnaire.pk}"


def _refusal(questionnaire: Questionnaire, answered: bool) -> str:
    """Why this browser may not answer now, or ``""``."""
    if questionnaire.status == Status.CLOSED:
        return _("本问卷已结束，不再接受填写。感谢您的关注。")
    if answered and not questionnaire.allow_repeat:
        return _("您已经填写过本问卷，每人只需填写一次。感谢您的参与！")
    return ""


@login_not_required
@rate_limited(submit_rate, method="POST")
def answer(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    """The public page behind the link and the QR code: no sign-in, phone first. A draft is
    not found; a closed questionnaire says so."""
    questionnaire = get_object_or_404(
        Questionnaire.objects.exclude(status=Status.DRAFT).select_related("campaign__region"),
        token=token,
    )
    cookie = _cookie_name(questionnaire)
    answered = request.get_signed_cookie(cookie, default=None, salt=COOKIE_SALT) is not None
    refusal = _refusal(questionnaire, answered)
    done = request.GET.get("done") == "1" and answered
    form = AnswerForm(
        request.POST if request.method == "POST" else None, questionnaire=questionnaire
    )
    status = 200
    if form.is_bound:
        status = 400
        if refusal:
            form.add_error(None, refusal)
        elif form.is_valid():
            try:
                actions.submit_response(
                    actor=None, questionnaire=questionnaire, answers=form.answers()
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                redirected = redirect(reverse("surveys:answer", args=[token]) + "?done=1")
                redirected.set_signed_cookie(
                    cookie,
                    "1",
                    salt=COOKIE_SALT,
                    max_age=COOKIE_AGE,
                    httponly=True,
                    samesite="Lax",
                    secure=settings.SESSION_COOKIE_SECURE,
                )
                return redirected
    context = {
        "questionnaire": questionnaire,
        "form": form,
        "refusal": "" if done else refusal,
        "done": done,
    }
    return render(request, "surveys/answer.html", context, status=status)
