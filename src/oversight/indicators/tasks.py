"""Background tasks (django-tasks): a job's id as argument, the work in ``jobs``."""

from __future__ import annotations

from django_tasks import task

from . import jobs


@task()
def check_import(job_id: int) -> str:
    """Read and check every row of a large import; the job's status afterwards."""
    job = jobs.check_import(job_id)
    return job.status if job is not None else ""


@task()
def apply_import(job_id: int) -> str:
    """Write a confirmed import in one transaction, or nothing; the job's status afterwards."""
    job = jobs.apply_import(job_id)
    return job.status if job is not None else ""
