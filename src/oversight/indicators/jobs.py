"""Large spreadsheet imports through the tasks worker: the actions of an ``ImportJob``.

Upload → ``start_import`` keeps the file in a job and enqueues ``check_import`` (after
commit), which reads and checks every row, saving its progress to the job every
``PROGRESS_EVERY`` rows in short writes of their own so the job page sees them move. A job
whose every row passed waits for the uploader's ``confirm_import``, which enqueues
``apply_import``: the rows are read and checked again (the data may have changed since) and
written in one transaction through ``record_values`` / ``register_facilities``, or nothing is
written and the job says why. Every written import is recorded in the audit log.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from io import BytesIO
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oversight.audit import actions as audit
from oversight.audit.models import Kind as AuditKind
from oversight.facilities.actions import register_facilities
from oversight.facilities.permissions import enterable_regions
from oversight.topics.models import Topic

from . import actions, imports
from .models import ImportJob, ImportKind, ImportStatus

if TYPE_CHECKING:
    from oversight.accounts.models import User

logger = logging.getLogger(__name__)

JOB_MAX_BYTES = 20 * 1024 * 1024
PROGRESS_EVERY = 1000
ROW_ERRORS_KEPT = 500  # refused rows shown on the job page; the count says how many in all


def write_rows(*, actor: User, topic: Topic, kind: str, specs: list[Any]) -> list[Any]:
    """All rows in one transaction through the app's own actions, or none."""
    if kind == ImportKind.VALUES:
        return actions.record_values(actor=actor, topic=topic, specs=specs)
    return register_facilities(actor=actor, topic=topic, specs=specs)


@transaction.atomic
def write_import(
    *,
    actor: User,
    topic: Topic,
    kind: str,
    specs: list[Any],
    file_name: str,
    ip_address: str | None = None,
) -> int:
    """Write an import's rows and its audit entry together; how many rows were written."""
    written = write_rows(actor=actor, topic=topic, kind=kind, specs=specs)
    record_import(
        actor=actor,
        topic=topic,
        kind=kind,
        rows=len(written),
        file_name=file_name,
        ip_address=ip_address,
    )
    return len(written)


def record_import(
    *,
    actor: User,
    topic: Topic,
    kind: str,
    rows: int,
    file_name: str,
    ip_address: str | None = None,
    failed: str = "",
) -> None:
    """The audit entry of one import, written or failed (the request's, when there is one)."""
    what = _("导入%(kind)s %(rows)s 行（%(topic)s，文件“%(file)s”）") % {
        "kind": ImportKind(kind).label,
        "rows": rows,
        "topic": topic.name,
        "file": file_name[:100],
    }
    if failed:
        what = _("%(what)s失败：%(reason)s") % {"what": what, "reason": failed}
    if ip_address is None:
        audit.record(AuditKind.IMPORT, what, user=actor)
    else:
        audit.write(AuditKind.IMPORT, what, request=None, user=actor, ip_address=ip_address)


@transaction.atomic
def start_import(
    *,
    actor: User,
    topic: Topic,
    kind: str,
    file_name: str,
    content: bytes,
    ip_address: str | None = None,
) -> ImportJob:
    """Keep the file in a new job and have the worker check it."""
    if kind not in ImportKind.values:
        raise ValidationError(_("未知的导入内容。"), code="kind")
    if not enterable_regions(actor):
        raise PermissionDenied(_("只有人大工作人员可以导入本地区的数据。"))
    if len(content) > JOB_MAX_BYTES:
        raise ValidationError(
            _("文件不能超过 %(mb)s MB。") % {"mb": JOB_MAX_BYTES // (1024 * 1024)}, code="size"
        )
    job = ImportJob.objects.create(
        topic=topic,
        kind=kind,
        created_by=actor,
        file_name=file_name[:200],
        content=content,
        file_size=len(content),
        rows_total=imports.estimated_rows(BytesIO(content)) or 0,
        ip_address=ip_address,
        created_at=timezone.now(),
    )
    transaction.on_commit(partial(_enqueue, "check_import", job.pk))
    return job


def _enqueue(name: str, job_id: int) -> None:
    from . import tasks

    getattr(tasks, name).enqueue(job_id)


def _parse(job: ImportJob, progress: Callable[[int], None] | None = None) -> imports.Parsed:
    return imports.parse(
        job.topic,
        job.kind,
        BytesIO(bytes(job.content)),
        enterable_regions(job.created_by),
        max_rows=imports.JOB_MAX_ROWS,
        progress=progress,
        every=PROGRESS_EVERY,
    )


def _update(job: ImportJob, **fields: Any) -> None:
    """Save ``fields`` at once (autocommit outside a transaction): the page polls them."""
    for name, value in fields.items():
        setattr(job, name, value)
    ImportJob.objects.filter(pk=job.pk).update(**fields)


def check_import(job_id: int) -> ImportJob | None:
    """Read and check every row of the job's file (the worker's task, not atomic on purpose:
    each progress write commits on its own). A job not waiting for its check is left as it is."""
    job = ImportJob.objects.select_related("topic", "created_by").filter(pk=job_id).first()
    if job is None or job.status != ImportStatus.CHECKING:
        return job
    try:
        parsed = _parse(job, lambda count: _update(job, rows_checked=count))
    except Exception:
        logger.exception("import job %s: check failed", job.pk)
        _fail(job, _("检查时出错，未导入任何数据。请重新上传或联系系统管理员。"))
        return job
    refused = parsed.refused
    _update(
        job,
        status=ImportStatus.CHECKED if parsed.accepted else ImportStatus.REFUSED,
        rows_total=len(parsed.rows),
        rows_checked=len(parsed.rows),
        rows_refused=len(refused),
        file_errors=parsed.file_errors,
        row_errors=[
            {"number": row.number, "cells": row.cells, "errors": row.errors}
            for row in refused[:ROW_ERRORS_KEPT]
        ],
        finished_at=None if parsed.accepted else timezone.now(),
        **({} if parsed.accepted else {"content": b""}),
    )
    return job


@transaction.atomic
def confirm_import(*, actor: User, job: ImportJob) -> ImportJob:
    """The uploader confirms a checked job: the worker writes it."""
    job = ImportJob.objects.select_for_update().defer("content").get(pk=job.pk)
    if job.created_by_id != actor.pk:
        raise PermissionDenied(_("只有上传人可以确认导入。"))
    if job.status != ImportStatus.CHECKED:
        raise ValidationError(_("该导入任务不在待确认状态。"), code="status")
    job.status = ImportStatus.APPLYING
    job.save(update_fields=["status"])
    transaction.on_commit(partial(_enqueue, "apply_import", job.pk))
    return job


def apply_import(job_id: int) -> ImportJob | None:
    """Check the rows again and write them all in one transaction, or nothing: the job is
    then failed with the reason. Written or failed, the import goes into the audit log."""
    job = ImportJob.objects.select_related("topic", "created_by").filter(pk=job_id).first()
    if job is None or job.status != ImportStatus.APPLYING:
        return job
    rows = 0
    try:
        parsed = _parse(job)
        rows = len(parsed.rows)
        if not parsed.accepted:
            raise ValidationError(
                [*parsed.file_errors, *(e for r in parsed.refused[:10] for e in r.errors)]
                or [_("文件中有未通过检查的行。")]
            )
        with transaction.atomic():
            # A task run twice (a retry, a second worker) writes the rows once: the first
            # holds the job until it is done, the second then finds it no longer applying.
            applying = ImportJob.objects.select_for_update().filter(
                pk=job.pk, status=ImportStatus.APPLYING
            )
            if applying.first() is None:
                return job
            written = write_import(
                actor=job.created_by,
                topic=job.topic,
                kind=job.kind,
                specs=parsed.specs(),
                file_name=job.file_name,
                ip_address=job.ip_address or "",
            )
            _update(
                job,
                status=ImportStatus.DONE,
                rows_written=written,
                finished_at=timezone.now(),
                content=b"",
            )
    except (ValidationError, PermissionDenied) as error:
        reasons = error.messages if isinstance(error, ValidationError) else [str(error)]
        _fail(job, _("未导入任何数据：%(reasons)s") % {"reasons": "；".join(reasons[:10])}, rows)
    except Exception:
        logger.exception("import job %s: apply failed", job.pk)
        _fail(job, _("写入时出错，未导入任何数据。请重试或联系系统管理员。"), rows)
    return job


def _fail(job: ImportJob, message: str, rows: int = 0) -> None:
    _update(
        job,
        status=ImportStatus.FAILED,
        message=message[:500],
        rows_written=0,
        finished_at=timezone.now(),
        content=b"",
    )
    if rows:
        record_import(
            actor=job.created_by,
            topic=job.topic,
            kind=job.kind,
            rows=rows,
            file_name=job.file_name,
            ip_address=job.ip_address or "",
            failed=message[:200],
        )
