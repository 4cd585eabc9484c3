"""Every change of an evaluation goes through these functions: atomic, checked, recorded.

Voting takes the session's row lock (PostgreSQL), so that a vote and the closing, or two
submissions of one member, never interleave; SQLite has no row locks but lets one writer
in at a time and refuses the others with "database is locked", so a vote is retried there.
"""

from __future__ import annotations

import datetime
import functools
import random
import time
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from oversight.accounts.models import Role
from oversight.campaigns.models import Campaign
from oversight.organisations.models import Kind as OrganisationKind
from oversight.organisations.models import Organisation
from oversight.problems.permissions import require_manager

from .models import (
    DEFAULT_BASIC_THRESHOLD,
    DEFAULT_COUNTED,
    DEFAULT_SATISFIED_THRESHOLD,
    Ballot,
    Choice,
    EvaluationEvent,
    EvaluationSession,
    EventKind,
    Participation,
)

if TYPE_CHECKING:
    from oversight.accounts.models import User

P = ParamSpec("P")
R = TypeVar("R")
TITLE_MAX_LENGTH = 100
# How long a vote keeps retrying while SQLite is busy with other voters' writes.
LOCK_WAIT_SECONDS = 30.0


def _is_locked(error: OperationalError) -> bool:
    return connection.vendor == "sqlite" and "locked" in str(error)


def retry_when_locked(function: Callable[P, R]) -> Callable[P, R]:
    """Run ``function`` (atomic) again while SQLite says the database is locked. Inside an
    outer transaction nothing can be retried, and the error goes up as it is."""

    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        pause = 0.005
        while True:
            try:
                return function(*args, **kwargs)
            except OperationalError as error:
                if not _is_locked(error) or connection.in_atomic_block:
                    raise
                if time.monotonic() > deadline:
                    raise
            # Random pauses, so that the voters refused together do not all come back together.
            time.sleep(random.uniform(0, pause))
            pause = min(pause * 2, 0.2)

    return run


def _locked(session: EvaluationSession) -> EvaluationSession:
    """The session re-read under its row lock. SQLite ignores ``select_for_update``; there a
    write that changes nothing takes the database's write lock first thing, so that a vote
    that must wait is refused (and retried) before it has done any work."""
    sessions = EvaluationSession.objects.filter(pk=session.pk)
    if connection.vendor == "sqlite":
        sessions.update(closed_at=F("closed_at"))
    return sessions.select_for_update().get()


def _record(
    session: EvaluationSession,
    kind: str,
    actor: User | None,
    at: datetime.datetime,
    details: dict[str, object] | None = None,
) -> EvaluationEvent:
    return EvaluationEvent.objects.create(
        session=session, kind=kind, actor=actor, details=details or {}, created_at=at
    )


def _require_manager(actor: User, campaign: Campaign) -> None:
    require_manager(actor, campaign, _("只有组织本次联动监督的人大工作人员可以管理满意度测评。"))


# --- opening ------------------------------------------------------------------------------


def _check_rule(counted: list[str], satisfied: Decimal, basic: Decimal) -> None:
    errors: dict[str, str] = {}
    if not counted or not set(counted) <= set(Choice.values):
        errors["counted_choices"] = _("请至少选择一种计入满意率的评价。")
    elif Choice.UNSATISFIED in counted:
        errors["counted_choices"] = _("“不满意”票不能计入满意率。")
    if not Decimal(0) <= basic <= satisfied <= Decimal(1):
        errors["basic_threshold"] = _("满意率下限须满足 0 ≤ 基本满意下限 ≤ 满意下限 ≤ 100%。")
    if errors:
        raise ValidationError(errors, code="rule")


def _check_departments(campaign: Campaign, departments: list[Organisation]) -> None:
    if not departments:
        raise ValidationError({"departments": _("请至少选择一个测评部门。")}, code="required")
    for department in departments:
        if department.kind != OrganisationKind.DEPARTMENT or (
            department.region_id != campaign.region_id
        ):
            raise ValidationError(
                {
                    "departments": _("“%(name)s”不是本级政府部门，不能参加本次测评。")
                    % {"name": department.name}
                },
                code="department",
            )


def _check_voters(campaign: Campaign, voters: list[User]) -> None:
    if not voters:
        raise ValidationError({"voters": _("投票名单不能为空。")}, code="required")
    for voter in voters:
        if voter.role != Role.CONGRESS_MEMBER or voter.organisation_id != campaign.congress_id:
            raise ValidationError(
                {
                    "voters": _("“%(name)s”不是本级人大常委会组成人员，不能列入投票名单。")
                    % {"name": voter}
                },
                code="voter",
            )


@transaction.atomic
def open_session(
    *,
    actor: User,
    campaign: Campaign,
    title: str,
    held_on: datetime.date,
    departments: Iterable[Organisation],
    voters: Iterable[User],
    counted_choices: Iterable[str] = DEFAULT_COUNTED,
    satisfied_threshold: Decimal = DEFAULT_SATISFIED_THRESHOLD,
    basic_threshold: Decimal = DEFAULT_BASIC_THRESHOLD,
    note: str = "",
    at: datetime.datetime | None = None,
) -> EvaluationSession:
    """Open a session: voting starts at once, results stay hidden until it is closed."""
    _require_manager(actor, campaign)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("请填写测评名称。")}, code="required")
    if len(title) > TITLE_MAX_LENGTH:
        raise ValidationError(
            {"title": _("测评名称最多 %(limit)d 个字。") % {"limit": TITLE_MAX_LENGTH}},
            code="max_length",
        )
    departments = list(dict.fromkeys(departments))
    voters = list(dict.fromkeys(voters))
    # In the order of the three choices, whatever order they were given in.
    counted = [choice.value for choice in Choice if choice.value in set(counted_choices)]
    counted = counted if set(counted_choices) <= set(Choice.values) else []
    _check_rule(counted, Decimal(satisfied_threshold), Decimal(basic_threshold))
    _check_departments(campaign, departments)
    _check_voters(campaign, voters)
    at = at or timezone.now()
    session = EvaluationSession.objects.create(
        campaign=campaign,
        title=title,
        held_on=held_on,
        counted_choices=counted,
        satisfied_threshold=satisfied_threshold,
        basic_threshold=basic_threshold,
        note=(note or "").strip(),
        opened_by=actor,
        opened_at=at,
    )
    session.departments.set(departments)
    session.voters.set(voters)
    _record(
        session,
        EventKind.OPENED,
        actor,
        at,
        {"departments": len(departments), "voters": len(voters)},
    )
    return session


# --- voting -------------------------------------------------------------------------------


def _check_voter(voter: User, session: EvaluationSession) -> None:
    if voter.role != Role.CONGRESS_MEMBER:
        raise PermissionDenied(_("只有常委会组成人员可以参加满意度测评。"))
    if not session.voters.filter(pk=voter.pk).exists():
        raise PermissionDenied(_("您不在本次测评的投票名单中，不能投票。"))


def _check_choices(session: EvaluationSession, choices: Mapping[int, str]) -> None:
    expected = dict(session.departments.values_list("pk", "name"))
    for department_id in choices:
        if department_id not in expected:
            raise ValidationError(
                _("所评价的部门不在本次测评范围内，投票未被接受。"), code="department"
            )
    missing = [name for pk, name in expected.items() if pk not in choices]
    if missing:
        raise ValidationError(
            _("请对每个测评部门作出评价（尚未评价：%(names)s）。") % {"names": "、".join(missing)},
            code="incomplete",
        )
    for choice in choices.values():
        if choice not in Choice.values:
            raise ValidationError(_("评价只能是满意、基本满意或不满意。"), code="invalid_choice")


@retry_when_locked
@transaction.atomic
def cast_ballots(*, voter: User, session: EvaluationSession, choices: Mapping[int, str]) -> int:
    """The member's answers for every department of the session (department id → choice),
    at once. Ballots keep no trace of the voter; the participation rows, written in the
    same transaction, keep only that the member voted. Returns the number of ballots."""
    session = _locked(session)
    _check_voter(voter, session)
    if not session.is_open:
        raise ValidationError(_("本次测评已结束，不能再投票。"), code="closed")
    if Participation.objects.filter(session=session, voter=voter).exists():
        raise ValidationError(_("您已投过票，每位委员只能投票一次。"), code="already_voted")
    _check_choices(session, choices)
    departments = list(choices)
    try:
        with transaction.atomic():
            Participation.objects.bulk_create(
                Participation(session=session, voter=voter, department_id=department_id)
                for department_id in departments
            )
    except IntegrityError:
        raise ValidationError(
            _("您已投过票，每位委员只能投票一次。"), code="already_voted"
        ) from None
    Ballot.objects.bulk_create(
        Ballot(session=session, department_id=department_id, choice=choices[department_id])
        for department_id in departments
    )
    return len(departments)


# --- closing ------------------------------------------------------------------------------


@retry_when_locked
@transaction.atomic
def close_session(
    *, actor: User, session: EvaluationSession, at: datetime.datetime | None = None
) -> EvaluationSession:
    """Close the session for good: no more votes, and the results are published."""
    _require_manager(actor, session.campaign)
    locked = _locked(session)
    if not locked.is_open:
        raise ValidationError(_("本次测评已经结束，不能重复结束。"), code="closed")
    at = at or timezone.now()
    locked.closed_at = at
    locked.save(update_fields=["closed_at"])
    ballots = Ballot.objects.filter(session=locked).count()
    _record(locked, EventKind.CLOSED, actor, at, {"ballots": ballots})
    session.closed_at = at
    return locked
