"""Time a large indicator-value import through the background job: check, then apply.

A fresh database (a temporary SQLite file unless ``DATABASE_URL`` names one; it is flushed)
gets the reference data and a provincial congress staffer; a workbook of ``--rows`` distinct
valid values of every Henan region is then imported exactly as the job page does it, with
the tasks run in the process (the immediate backend):

    .venv/bin/python bench/indicator_import.py [--rows 50000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_indicators \\
        .venv/bin/python bench/indicator_import.py

It prints rows per second for the check (``start_import``: store the file, read and check
every row, saving progress) and for the apply (``confirm_import``: check again, then write
every row in one transaction through ``record_values``), and the time the request takes to
read and check ``imports.MAX_ROWS`` rows, the threshold above which files go to the worker.
Numbers are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENTERED = [
    "land-per-capita",
    "lottery-share",
    "meal-funds",
    "meal-planned",
    "handover-rate",
    "family-doctor-rate",
]


def setup_django(scratch: Path) -> None:
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch / 'bench.sqlite3'}")
    os.environ["OVERSIGHT_DATA_DIR"] = str(scratch)
    os.environ["TASKS_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench")]
    import django

    django.setup()


def workbook(codes: list[str], rows: int) -> bytes:
    from openpyxl import Workbook

    from oversight.indicators.imports import VALUE_COLUMNS

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(VALUE_COLUMNS)
    written = 0
    year = 1900
    while written < rows:
        for period in (str(year), f"{year}Q1", f"{year}Q2", f"{year}Q3", f"{year}Q4"):
            for code in codes:
                for indicator in ENTERED:
                    sheet.append([code, indicator, period, 42.5, "统计数据", "否", ""])
                    written += 1
                    if written == rows:
                        break
                if written == rows:
                    break
            if written == rows:
                break
        year += 1
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=ROOT / "build") as scratch:
        setup_django(Path(scratch))
        run(args.rows)


def run(rows: int) -> None:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from oversight.accounts.models import Role, User
    from oversight.indicators import imports, jobs
    from oversight.indicators.models import ImportStatus, IndicatorValue
    from oversight.organisations.models import Organisation
    from oversight.regions.models import Region
    from oversight.topics.models import Topic

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    call_command("load_reference", verbosity=0)
    topic = Topic.objects.get(slug="elderly-care")
    staff = User.objects.create_user(
        "bench-staff",
        organisation=Organisation.objects.get(region__code="410000", code="congress"),
        role=Role.CONGRESS_STAFF,
    )
    codes = list(Region.objects.order_by("code").values_list("code", flat=True))
    content = workbook(codes, rows)
    print(f"database: {connection.vendor}; {settings.DATABASES['default']['NAME']}")
    print(f"workbook: {rows:,} rows, {len(content) / 1024 / 1024:.1f} MB")

    sync_content = workbook(codes, imports.MAX_ROWS)
    allowed = {r.pk for r in Region.objects.all()}
    started = time.perf_counter()
    parsed = imports.parse(topic, "values", BytesIO(sync_content), allowed)
    sync_s = time.perf_counter() - started
    assert parsed.accepted, parsed.file_errors or parsed.refused[:3]

    started = time.perf_counter()
    job = jobs.start_import(
        actor=staff, topic=topic, kind="values", file_name="bench.xlsx", content=content
    )
    check_s = time.perf_counter() - started
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED, (job.status, job.file_errors, job.row_errors[:3])

    started = time.perf_counter()
    jobs.confirm_import(actor=staff, job=job)
    apply_s = time.perf_counter() - started
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, job.message
    assert IndicatorValue.objects.count() == rows

    print(f"request (synchronous) check of {imports.MAX_ROWS:,} rows: {sync_s:.1f} s")
    print(f"job check: {check_s:.1f} s, {rows / check_s:,.0f} rows/s")
    print(f"job apply: {apply_s:.1f} s, {rows / apply_s:,.0f} rows/s (check again + write)")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the process: {peak_mb:,.0f} MB")


if __name__ == "__main__":
    main()
