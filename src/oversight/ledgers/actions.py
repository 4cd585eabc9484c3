"""Applying an uploaded ledger: every edited row through the problem page's own actions, all
rows in one transaction or none."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from oversight.problems import actions as problem_actions
from oversight.problems.models import Problem, ProgressReport

from .imports import Change, row_message
from .workbook import current_versions

if TYPE_CHECKING:
    from oversight.accounts.models import User


@transaction.atomic
def apply_ledger(*, actor: User, changes: Sequence[Change]) -> list[ProgressReport]:
    """One progress report (or completion claim) per change, in row order.

    The problems are locked first and their versions read again: a problem that changed
    between the preview and the confirmation refuses the whole file, as any row the
    action refuses does (the message names the row).
    """
    if not changes:
        raise ValidationError(_("没有需要报送的修改。"), code="no_changes")
    ids = sorted(change.problem.pk for change in changes)
    list(Problem.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))
    versions = current_versions(ids)
    reports = []
    for change in changes:
        if (versions.get(change.problem.pk) or 0) != change.version:
            raise ValidationError(
                row_message(
                    change.row,
                    _("问题 %(code)s 刚刚有了变动，请重新下载台账后再填写。")
                    % {"code": change.problem.code},
                ),
                code="stale",
            )
        try:
            reports.append(_apply(actor, change))
        except (ValidationError, PermissionDenied) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            raise ValidationError(
                row_message(change.row, "；".join(messages)), code="row_refused"
            ) from error
    return reports


def _apply(actor: User, change: Change) -> ProgressReport:
    if change.claim:
        return problem_actions.claim_completion(
            actor=actor,
            problem=change.problem,
            text=change.text,
            rectification_type=change.rectification_type,
        )
    return problem_actions.report_progress(
        actor=actor,
        problem=change.problem,
        text=change.text,
        rectification_type=change.rectification_type,
    )
