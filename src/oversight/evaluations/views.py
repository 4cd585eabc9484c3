"""Thin views: find the session through ``visible_to`` (404 outside scope), validate the
form, call one action, show the result. While a session is open no view shows a count of
any choice: only how many ballots were cast and how many members have voted."""

from __future__ import annotations

import io
from typing import Any

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oversight.accounts.models import Role
from oversight.audit import actions as audit
from oversight.campaigns.scoping import campaign_for
from oversight.problems.permissions import can_manage
from oversight.problems.views import attach_errors
from oversight.utilities.http import AuthenticatedRequest
from oversight.utilities.ratelimits import rate_limited

from . import actions
from .exports import result_workbook
from .forms import SessionForm, VoteForm
from .models import EvaluationSession, Participation
from .results import session_results, turnout

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# htmx stops polling when the answer is 286: the session has closed.
STOP_POLLING = 286


def vote_rate(group: str, request: HttpRequest) -> str:
    """Each member submits a few times a minute at most; a whole committee may vote at
    once from behind one address (the meeting room's network), so that limit is higher."""
    return "10/m" if group.endswith(":user") else "300/m"


def _session_for(request: AuthenticatedRequest, pk: int) -> EvaluationSession:
    sessions = EvaluationSession.objects.visible_to(request.user)
    return get_object_or_404(sessions.select_related("campaign__congress"), pk=pk)


def _on_roll(request: AuthenticatedRequest, session: EvaluationSession) -> bool:
    user = request.user
    return user.role == Role.CONGRESS_MEMBER and session.voters.filter(pk=user.pk).exists()


def session_list(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    campaign = campaign_for(request, slug)
    sessions = EvaluationSession.objects.visible_to(request.user).filter(campaign=campaign)
    context = {
        "campaign": campaign,
        "sessions": sessions,
        "can_manage": can_manage(request.user, campaign),
    }
    return render(request, "evaluations/session_list.html", context)


def session_new(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    campaign = campaign_for(request, slug)
    if not can_manage(request.user, campaign):
        raise PermissionDenied(_("只有组织本次联动监督的人大工作人员可以发起满意度测评。"))
    form = SessionForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            session = actions.open_session(
                actor=request.user, campaign=campaign, **form.action_arguments()
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("满意度测评已开始，委员可扫码投票。"))
            return redirect("evaluations:detail", pk=session.pk)
    status = 400 if form.is_bound else 200
    context = {"campaign": campaign, "form": form, "can_manage": True}
    return render(request, "evaluations/session_new.html", context, status=status)


def session_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session = _session_for(request, pk)
    context = {
        "session": session,
        "campaign": session.campaign,
        "departments": session.departments.order_by("pk"),
        "turnout": turnout(session),
        "can_manage": can_manage(request.user, session.campaign),
        "on_roll": _on_roll(request, session),
        "vote_url": request.build_absolute_uri(reverse("evaluations:vote", args=[session.pk])),
    }
    return render(request, "evaluations/session_detail.html", context)


def session_turnout(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The live count on the session page, polled by htmx every few seconds."""
    session = _session_for(request, pk)
    context = {"session": session, "turnout": turnout(session)}
    response = render(request, "evaluations/_turnout.html", context)
    if not session.is_open:
        response.status_code = STOP_POLLING
    return response


def qr_code(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The voting page's address as a QR code (SVG), for the meeting room's screen."""
    session = _session_for(request, pk)
    url = request.build_absolute_uri(reverse("evaluations:vote", args=[session.pk]))
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer, kind="svg", scale=10, border=2, dark="#000", light="#fff", xmldecl=False
    )
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=300"
    return response


def _vote_state(request: AuthenticatedRequest, session: EvaluationSession) -> str:
    """Why the member cannot vote (``not_on_roll``, ``voted``, ``closed``), or ``""``."""
    if not _on_roll(request, session):
        return "not_on_roll"
    if Participation.objects.filter(session=session, voter=request.user).exists():
        return "voted"
    return "" if session.is_open else "closed"


@rate_limited(vote_rate, method="POST")
def vote(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The member's phone page: every department, three choices each, one submit."""
    session = _session_for(request, pk)
    form = VoteForm(request.POST if request.method == "POST" else None, session=session)
    if form.is_bound and form.is_valid():
        try:
            actions.cast_ballots(voter=request.user, session=session, choices=form.choices())
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("投票成功，感谢您的参与。"))
            return redirect("evaluations:vote", pk=session.pk)
    state = _vote_state(request, session)
    status = 200
    if form.is_bound:
        status = 403 if state == "not_on_roll" else 400
    context = {"session": session, "form": form, "state": state}
    return render(request, "evaluations/vote.html", context, status=status)


@require_POST
def close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session = _session_for(request, pk)
    try:
        actions.close_session(actor=request.user, session=session)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("evaluations:detail", pk=session.pk)
    messages.success(request, _("测评已结束，结果如下。"))
    return redirect("evaluations:result", pk=session.pk)


def _results_context(session: EvaluationSession) -> dict[str, Any]:
    results = session_results(session)
    chart = {
        "labels": [result.organisation for result in results],
        "rates": [None if r.rate is None else float(r.rate * 100) for r in results],
        "satisfied": float(session.satisfied_threshold * 100),
        "basic": float(session.basic_threshold * 100),
        "height": 60 + 34 * len(results),
    }
    return {"results": results, "chart": chart}


def result(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The result sheet, to project. While the session is open: the turnout, nothing else."""
    session = _session_for(request, pk)
    context: dict[str, Any] = {"session": session, "campaign": session.campaign}
    if session.is_open:
        context["turnout"] = turnout(session)
    else:
        context.update(_results_context(session))
    return render(request, "evaluations/result.html", context)


def export(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session = _session_for(request, pk)
    if session.is_open:
        messages.error(request, _("测评结束后才能导出结果。"))
        return redirect("evaluations:result", pk=session.pk)
    content = result_workbook(session, session_results(session))
    audit.record_export(request, _("满意度测评结果（%(title)s）") % {"title": session.title})
    response = HttpResponse(content, content_type=XLSX)
    filename = f"evaluation-{session.pk}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
