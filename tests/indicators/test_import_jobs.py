"""Large imports through the tasks worker (the immediate backend in tests): upload → job →
progress → checked preview → confirm → all rows written in one transaction, or none."""

import pytest
from django.urls import reverse

from oversight.accounts.models import Role
from oversight.audit.models import AuditEntry, Kind
from oversight.facilities.models import Facility
from oversight.indicators import imports, jobs
from oversight.indicators.models import ImportJob, ImportStatus, IndicatorValue
from oversight.regions.models import Region

from .test_import import FACILITY_COLUMNS, GOOD, upload, workbook

ZHUMADIAN_COUNTIES = ["411721", "411722", "411723", "411724", "411725", "411727"]


def value_rows(count):
    """``count`` distinct valid value rows of Zhumadian's counties."""
    rows = []
    periods = [f"{year}{quarter}" for year in range(2000, 2100) for quarter in ("", "Q1", "Q2")]
    for period in periods:
        for region in ZHUMADIAN_COUNTIES:
            for indicator in ("land-per-capita", "lottery-share", "handover-rate"):
                rows.append([region, indicator, period, 42, "人大检查", "否", ""])
                if len(rows) == count:
                    return rows
    raise AssertionError("not enough distinct rows")


@pytest.fixture
def small_limit(monkeypatch):
    """Files of more than 3 rows go to the worker, so that tests stay fast."""
    monkeypatch.setattr(imports, "MAX_ROWS", 3)


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """Enqueued after commit: run the enqueued tasks (immediately) as the request ends."""

    def post(client, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(*args, **kwargs)

    return post


def job_url(job, name="import_job"):
    return reverse(f"indicators:{name}", args=["elderly-care", job.pk])


def test_large_file_end_to_end(client, staff, small_limit, run_tasks, monkeypatch):
    monkeypatch.setattr(jobs, "PROGRESS_EVERY", 2)
    progress = []
    real_update = jobs._update
    monkeypatch.setattr(
        jobs, "_update", lambda job, **f: (progress.append(f), real_update(job, **f))[1]
    )
    client.force_login(staff)
    response = run_tasks(
        client,
        reverse("indicators:import", args=["elderly-care", "values"]),
        {"file": workbook(value_rows(7))},
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job_url(job)
    # Progress saved as the rows were checked, then the outcome.
    assert [f["rows_checked"] for f in progress if set(f) == {"rows_checked"}] == [2, 4, 6]
    assert (job.status, job.rows_total, job.rows_checked, job.rows_refused) == (
        ImportStatus.CHECKED,
        7,
        7,
        0,
    )
    assert not IndicatorValue.objects.exists()  # checking writes nothing
    page = client.get(job_url(job)).content.decode()
    assert "全部 7 行检查通过" in page and "确认导入" in page
    assert 'hx-trigger="every 2s"' not in page  # finished: no polling

    response = run_tasks(client, job_url(job, "import_job_confirm"))
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.rows_written, job.content) == (ImportStatus.DONE, 7, b"")
    assert job.finished_at is not None
    assert IndicatorValue.objects.filter(entered_by=staff).count() == 7
    page = client.get(job_url(job)).content.decode()
    assert "已导入 7 行" in page
    assert reverse("indicators:compliance", args=["elderly-care", "411700"]) in page
    entry = AuditEntry.objects.get(kind=Kind.IMPORT)
    assert entry.user == staff and "导入指标值 7 行" in entry.summary
    assert "指标.xlsx" in entry.summary and entry.ip_address == "127.0.0.1"
    # The apply task run again (a retry, a second worker) writes nothing more.
    jobs.apply_import(job.pk)
    assert IndicatorValue.objects.count() == 7
    assert AuditEntry.objects.filter(kind=Kind.IMPORT).count() == 1


def test_a_file_over_the_real_limit_goes_to_the_worker(client, staff, run_tasks):
    client.force_login(staff)
    rows = value_rows(imports.MAX_ROWS + 1)
    run_tasks(
        client,
        reverse("indicators:import", args=["elderly-care", "values"]),
        {"file": workbook(rows)},
    )
    job = ImportJob.objects.get()
    assert (job.status, job.rows_total) == (ImportStatus.CHECKED, imports.MAX_ROWS + 1)


def test_a_workbook_that_hides_its_size_is_found_out(client, staff, small_limit, monkeypatch):
    """Without a recorded dimension the request starts reading, stops at the limit and
    hands the file to the worker."""
    monkeypatch.setattr(imports, "estimated_rows", lambda stream: None)
    client.force_login(staff)
    response = upload(client, "values", workbook(value_rows(5)))
    job = ImportJob.objects.get()
    assert response["Location"] == job_url(job)
    assert job.status == ImportStatus.CHECKING  # the task runs once the request commits


def test_progress_is_polled_while_checking_and_stops_after(client, staff, small_limit):
    client.force_login(staff)
    upload(client, "values", workbook(value_rows(5)))  # callbacks not run: still checking
    job = ImportJob.objects.get()
    page = client.get(job_url(job)).content.decode()
    assert 'hx-trigger="every 2s"' in page and "<progress" in page
    assert "排队等待后台任务进程" in page
    jobs._update(job, rows_checked=2)
    partial = client.get(job_url(job), headers={"HX-Request": "true"})
    assert 'hx-trigger="every 2s"' in partial.content.decode()
    assert 'value="40"' in partial.content.decode()  # 2 of 5
    assert "HX-Refresh" not in partial
    jobs.check_import(job.pk)
    partial = client.get(job_url(job), headers={"HX-Request": "true"})
    assert 'hx-trigger="every 2s"' not in partial.content.decode()
    assert partial["HX-Refresh"] == "true"


def test_a_refused_large_file_writes_nothing_and_shows_the_rows(
    client, staff, small_limit, run_tasks
):
    client.force_login(staff)
    rows = value_rows(6)
    rows[2][3] = "很多"
    rows[4][0] = "410600"  # Hebi: not the staffer's
    run_tasks(
        client,
        reverse("indicators:import", args=["elderly-care", "values"]),
        {"file": workbook(rows)},
    )
    job = ImportJob.objects.get()
    assert (job.status, job.rows_refused, job.content) == (ImportStatus.REFUSED, 2, b"")
    assert [row["number"] for row in job.row_errors] == [4, 6]
    page = client.get(job_url(job)).content.decode()
    assert "有 2 行未通过检查，整份文件未导入" in page
    assert "不是数字" in page and "不能导入鹤壁市" in page
    assert "job-confirm" not in page
    response = run_tasks(client, job_url(job, "import_job_confirm"))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.REFUSED
    assert not IndicatorValue.objects.exists()
    assert not AuditEntry.objects.filter(kind=Kind.IMPORT).exists()


def test_a_failure_while_writing_leaves_nothing_and_says_so(
    client, staff, small_limit, run_tasks, monkeypatch
):
    real_write = jobs.write_rows

    def write_then_break(**kwargs):
        real_write(**kwargs)  # every row written inside the transaction, then a failure
        assert IndicatorValue.objects.count() == 5
        raise RuntimeError("disk full")

    monkeypatch.setattr(jobs, "write_rows", write_then_break)
    client.force_login(staff)
    run_tasks(
        client,
        reverse("indicators:import", args=["elderly-care", "values"]),
        {"file": workbook(value_rows(5))},
    )
    job = ImportJob.objects.get()
    run_tasks(client, job_url(job, "import_job_confirm"))
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.rows_written == 0
    assert "写入时出错，未导入任何数据" in job.message
    assert not IndicatorValue.objects.exists()
    assert "写入时出错" in client.get(job_url(job)).content.decode()
    assert "失败" in AuditEntry.objects.get(kind=Kind.IMPORT).summary


def test_rows_refused_at_apply_time_fail_the_job(client, staff, small_limit, run_tasks):
    """The data may change between check and confirm: the rows are checked again."""
    client.force_login(staff)
    run_tasks(
        client,
        reverse("indicators:import", args=["elderly-care", "values"]),
        {"file": workbook(value_rows(5))},
    )
    job = ImportJob.objects.get()
    staff.role = Role.CONGRESS_MEMBER  # no longer enters figures
    staff.save()
    run_tasks(client, job_url(job, "import_job_confirm"))
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "未导入任何数据" in job.message
    assert not IndicatorValue.objects.exists()


def test_a_large_facility_file_goes_through_register_facilities(
    client, staff, small_limit, run_tasks
):
    rows = [
        ["411727", "meal", f"助餐点{n}", "", "", "运营中", "2024-06-30", "2024-07-01",
         "", "否", "否", "", "否", ""]
        for n in range(4)
    ]  # fmt: skip
    client.force_login(staff)
    run_tasks(
        client,
        reverse("indicators:import", args=["elderly-care", "facilities"]),
        {"file": workbook(rows, FACILITY_COLUMNS)},
    )
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.CHECKED
    run_tasks(client, job_url(job, "import_job_confirm"))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert Facility.objects.filter(region=Region.objects.get(code="411727")).count() == 4
    assert "导入设施台账 4 行" in AuditEntry.objects.get(kind=Kind.IMPORT).summary


def test_synchronous_import_is_recorded_in_the_audit_log(client, staff):
    client.force_login(staff)
    response = upload(client, "values", workbook(GOOD))
    client.post(
        reverse("indicators:import_confirm", args=["elderly-care", "values"]),
        {"token": response.context["token"]},
    )
    assert not ImportJob.objects.exists()  # a small file never makes a job
    entry = AuditEntry.objects.get(kind=Kind.IMPORT)
    assert entry.user == staff and "导入指标值 3 行" in entry.summary
    assert "指标.xlsx" in entry.summary and entry.path.endswith("/import/values/confirm/")


def test_a_file_over_the_job_limits_is_refused(client, staff, monkeypatch):
    monkeypatch.setattr(jobs, "JOB_MAX_BYTES", 1000)
    client.force_login(staff)
    response = upload(client, "values", workbook(GOOD))
    assert response.status_code == 400
    assert not ImportJob.objects.exists()


def test_job_row_limit(staff, topic, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(imports, "JOB_MAX_ROWS", 4)
    content = workbook(value_rows(6)).read()
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start_import(
            actor=staff, topic=topic, kind="values", file_name="大.xlsx", content=content
        )
    job.refresh_from_db()
    assert job.status == ImportStatus.REFUSED
    assert job.file_errors == ["一次最多导入 4 行，请分批导入。"]


def test_only_the_uploader_sees_the_job(client, staff, small_limit, outsider, liaison_a, member):
    other_staff = outsider  # another city's congress staff
    client.force_login(staff)
    upload(client, "values", workbook(value_rows(5)))
    job = ImportJob.objects.get()
    for user in (other_staff, liaison_a, member):
        client.force_login(user)
        assert client.get(job_url(job)).status_code == 404
        assert client.post(job_url(job, "import_job_confirm")).status_code == 404
    client.logout()
    response = client.get(job_url(job))
    assert response.status_code == 302 and "/login" in response["Location"]
    response = client.post(job_url(job, "import_job_confirm"))
    assert response.status_code == 302 and "/login" in response["Location"]
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKING


def test_a_superuser_sees_but_does_not_confirm_anothers_job(
    client, staff, small_limit, run_tasks, django_user_model
):
    client.force_login(staff)
    run_tasks(
        client,
        reverse("indicators:import", args=["elderly-care", "values"]),
        {"file": workbook(value_rows(5))},
    )
    job = ImportJob.objects.get()
    admin = django_user_model.objects.create_superuser("root", password="x" * 12)
    client.force_login(admin)
    page = client.get(job_url(job)).content.decode()
    assert "等待上传人确认" in page and "job-confirm" not in page
    run_tasks(client, job_url(job, "import_job_confirm"))
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED
    assert not IndicatorValue.objects.exists()
