"""Bad input gets a clear error next to the field, and nothing is saved."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from oversight.problems.models import Assignment, Problem, ProgressReport, RawReport, Status
from tests.conftest import org


def test_past_deadline_is_refused(client, staff, make_problem):
    problem = make_problem(Status.PENDING)
    client.force_login(staff)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(
        reverse("problems:assign", args=[problem.pk]),
        {"assignee": org("411700", "minzheng").pk, "deadline": yesterday.isoformat()},
    )
    assert response.status_code == 400
    assert "整改时限不能早于交办日期" in response.content.decode()
    assert Problem.objects.get(pk=problem.pk).status == Status.PENDING
    assert not Assignment.objects.filter(problem=problem).exists()


def test_empty_progress_text_is_refused(client, liaison_a, make_problem):
    problem = make_problem(Status.ASSIGNED)
    client.force_login(liaison_a)
    response = client.post(reverse("problems:progress", args=[problem.pk]), {"text": "   "})
    assert response.status_code == 400
    page = response.content.decode()
    assert "这个字段是必填项" in page
    # The refused form is the one shown open, marked for correction; the others stay shut.
    assert 'id="progress-form-section" class="accordion-collapse collapse show"' in page
    assert 'id="claim-form-section" class="accordion-collapse collapse "' in page
    assert ProgressReport.objects.filter(problem=problem).count() == 0
    assert Problem.objects.get(pk=problem.pk).status == Status.ASSIGNED


@override_settings(ATTACHMENT_MAX_BYTES=1024)
def test_oversized_attachment_is_refused(client, liaison_a, make_problem):
    problem = make_problem(Status.ASSIGNED)
    client.force_login(liaison_a)
    big = SimpleUploadedFile("整改报告.pdf", b"%PDF-" + b"0" * 2048, content_type="application/pdf")
    response = client.post(
        reverse("problems:progress", args=[problem.pk]), {"text": "已整改", "evidence": [big]}
    )
    assert response.status_code == 400
    page = response.content.decode().replace("\xa0", " ")
    assert "整改报告.pdf" in page and "超过" in page and "1.0 KB" in page
    assert ProgressReport.objects.filter(problem=problem).count() == 0
    # What the user typed is still there to fix and resend.
    assert "已整改" in page


def test_disallowed_attachment_type_is_refused(client, liaison_a, make_problem):
    problem = make_problem(Status.ASSIGNED)
    client.force_login(liaison_a)
    script = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(
        reverse("problems:claim", args=[problem.pk]), {"text": "完成", "evidence": [script]}
    )
    assert response.status_code == 400
    assert "不支持的文件类型“run.exe”" in response.content.decode()
    assert Problem.objects.get(pk=problem.pk).status == Status.ASSIGNED
    assert ProgressReport.objects.filter(problem=problem).count() == 0


def test_unknown_channel_is_refused(client, staff, campaign):
    client.force_login(staff)
    response = client.post(
        reverse("problems:intake", args=[campaign.slug]),
        {"record": "1", "channel": "rumour", "text": "有人说", "received_on": "2024-05-01"},
    )
    assert response.status_code == 400
    assert "rumour" in response.content.decode()
    assert RawReport.objects.count() == 0


def test_return_without_reason_is_refused_on_the_page(client, staff, make_problem):
    problem = make_problem(Status.COMPLETION_REQUESTED)
    client.force_login(staff)
    response = client.post(
        reverse("problems:review", args=[problem.pk]), {"decision": "return", "note": ""}
    )
    assert response.status_code == 400
    assert "退回时请说明理由" in response.content.decode()
    assert Problem.objects.get(pk=problem.pk).status == Status.COMPLETION_REQUESTED


def test_overlong_or_nul_raw_report_text_is_refused(client, staff, campaign):
    client.force_login(staff)
    url = reverse("problems:intake", args=[campaign.slug])
    base = {"record": "1", "channel": "deputy", "received_on": "2024-05-01"}
    response = client.post(url, {**base, "text": "养" * 5001, "reporter": "张" * 101})
    assert response.status_code == 400
    page = response.content.decode()
    assert "内容过长：最多 5000 个字，现有 5001 个字" in page
    assert "内容过长：最多 100 个字，现有 101 个字" in page
    response = client.post(url, {**base, "text": "养老\x00院", "reporter": "\x00"})
    assert response.status_code == 400
    assert response.content.decode().count("内容含有空字符") == 2
    assert RawReport.objects.count() == 0
    assert client.post(url, {**base, "text": "养" * 5000}).status_code == 302


def test_absurd_report_ids_in_a_merge_are_refused(client, staff, campaign):
    client.force_login(staff)
    url = reverse("problems:intake", args=[campaign.slug])
    for reports in ([str(10**30)], [str(-(10**30)), "1"], ["abc"], ["\x00"]):
        response = client.post(url, {"reports": reports, "title": "t", "kind": "common"})
        assert response.status_code == 400, reports
    assert not Problem.objects.exists()


def test_overlong_or_nul_progress_text_is_refused(client, liaison_a, make_problem):
    problem = make_problem(Status.ASSIGNED)
    client.force_login(liaison_a)
    url = reverse("problems:progress", args=[problem.pk])
    response = client.post(url, {"text": "改" * 5001})
    assert response.status_code == 400
    assert "内容过长：最多 5000 个字" in response.content.decode()
    response = client.post(url, {"text": "已\x00整改"})
    assert response.status_code == 400
    assert "内容含有空字符" in response.content.decode()
    response = client.post(
        reverse("problems:claim", args=[problem.pk]),
        {"text": "完成\x00", "rectification_type": "immediate"},
    )
    assert response.status_code == 400
    assert ProgressReport.objects.filter(problem=problem).count() == 0
    assert Problem.objects.get(pk=problem.pk).status == Status.ASSIGNED


def test_overlong_or_nul_review_and_assignment_text_is_refused(client, staff, make_problem):
    client.force_login(staff)
    pending = make_problem(Status.PENDING, title="待交办")
    response = client.post(
        reverse("problems:assign", args=[pending.pk]),
        {
            "assignee": org("411700", "minzheng").pk,
            "deadline": (timezone.localdate() + datetime.timedelta(days=9)).isoformat(),
            "requirements": "\x00",
        },
    )
    assert response.status_code == 400
    assert "内容含有空字符" in response.content.decode()
    assert not Assignment.objects.filter(problem=pending).exists()
    claimed = make_problem(Status.COMPLETION_REQUESTED)
    response = client.post(
        reverse("problems:review", args=[claimed.pk]), {"decision": "return", "note": "理" * 5001}
    )
    assert response.status_code == 400
    assert "内容过长" in response.content.decode()
    assert Problem.objects.get(pk=claimed.pk).status == Status.COMPLETION_REQUESTED
