"""Upload a filled-in ledger: preview, confirm, and every refusal changes nothing."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from oversight.audit.models import AuditEntry
from oversight.audit.models import Kind as AuditKind
from oversight.campaigns.models import Campaign
from oversight.ledgers.workbook import COLUMNS
from oversight.problems import actions
from oversight.problems.models import EventKind, ProgressReport, RectificationType, Status
from tests.campaigns.test_query_budget import bulk_problems
from tests.conftest import org

from .conftest import as_upload, confirm, download, edit, row_of, snapshot, upload


def test_round_trip_changes_exactly_the_two_edited_problems(client, liaison_a, campaign, mine):
    first, second, untouched = mine
    client.force_login(liaison_a)
    book = download(client, campaign.slug)
    edit(book, first, 最新进展="已完成全部消防设施更换")
    edit(book, second, 整改类型="持续整改")
    before = ProgressReport.objects.count()
    untouched_version = untouched.events.count()

    preview = upload(client, campaign.slug, as_upload(book))
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "已完成全部消防设施更换" in page and "持续整改" in page
    assert [change.problem.pk for change in preview.context["parsed"].changes] == [
        first.pk,
        second.pk,
    ]
    assert ProgressReport.objects.count() == before  # nothing yet: a preview

    response = confirm(client, campaign.slug, preview)
    assert response.status_code == 302
    assert ProgressReport.objects.count() == before + 2
    assert first.progress_reports.last().text == "已完成全部消防设施更换"
    second.refresh_from_db()
    assert second.rectification_type == RectificationType.ONGOING
    assert second.status == Status.IN_PROGRESS  # its first report: 已交办 → 整改中
    assert second.progress_reports.get().author == liaison_a
    assert untouched.events.count() == untouched_version
    assert first.events.last().kind == EventKind.PROGRESS
    assert AuditEntry.objects.filter(kind=AuditKind.IMPORT).count() == 1
    # The session's copy is gone: confirming twice applies nothing more.
    assert confirm(client, campaign.slug, preview).status_code == 302
    assert ProgressReport.objects.count() == before + 2


def test_claim_column_claims_completion(client, liaison_a, campaign, mine):
    client.force_login(liaison_a)
    book = download(client, campaign.slug)
    edit(book, mine[0], 最新进展="消防设施全部达标", 整改类型="立行立改", 申请办结="是")
    preview = upload(client, campaign.slug, as_upload(book))
    assert preview.status_code == 200
    confirm(client, campaign.slug, preview)
    mine[0].refresh_from_db()
    assert mine[0].status == Status.COMPLETION_REQUESTED
    assert mine[0].progress_reports.last().is_completion_claim


def test_unchanged_file_applies_nothing(client, liaison_a, campaign, mine):
    client.force_login(liaison_a)
    book = download(client, campaign.slug)
    before = snapshot()
    response = upload(client, campaign.slug, as_upload(book))
    assert response.status_code == 400
    assert "没有修改过的行" in response.content.decode()
    assert snapshot() == before


def header_only():
    book = Workbook()
    book.active.append(["整改台账"])
    book.active.append(COLUMNS)
    return as_upload(book)


def wrong_columns():
    book = Workbook()
    book.active.append(["编号", "问题", "整改进展"])
    book.active.append(["001", "某问题", "已整改"])
    return as_upload(book)


FILE_REFUSALS = {
    "not xlsx": (
        lambda: SimpleUploadedFile("台账.csv", "编号,问题\n".encode()),
        "不支持的文件类型",
    ),
    "text named xlsx": (lambda: SimpleUploadedFile("台账.xlsx", b"just text"), "无法识别"),
    "empty file": (lambda: SimpleUploadedFile("台账.xlsx", b""), "空文件"),
    "no data rows": (header_only, "没有数据行"),
    "wrong columns": (wrong_columns, "表头与下载的台账不一致"),
}


@pytest.mark.parametrize("case", FILE_REFUSALS)
def test_refused_files_change_nothing(client, liaison_a, campaign, mine, case):
    make, message = FILE_REFUSALS[case]
    client.force_login(liaison_a)
    before = snapshot()
    response = upload(client, campaign.slug, make())
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "ledger-confirm" not in response.content.decode()
    assert snapshot() == before


def refuse(client, campaign, book, message):
    """Upload ``book``: refused with ``message``, and the database as it was."""
    before = snapshot()
    response = upload(client, campaign.slug, as_upload(book))
    assert response.status_code == 400
    assert message in response.context["parsed"].errors
    assert message in response.content.decode()
    assert snapshot() == before


def test_bad_rectification_type_is_refused_with_its_row(client, liaison_a, campaign, mine):
    client.force_login(liaison_a)
    book = download(client, campaign.slug)
    edit(book, mine[0], 最新进展="本行没问题")  # a good row does not get through either
    number = edit(book, mine[1], 整改类型="马上改")
    refuse(
        client,
        campaign,
        book,
        f"第{number}行：整改类型“马上改”无效，应为：立行立改、持续整改、涉及顶层设计。",
    )


def test_row_out_of_scope_is_refused(client, staff, liaison_a, campaign, mine, make_problem):
    theirs = make_problem(
        Status.IN_PROGRESS, title="卫健委的问题", assignee=org("411700", "weijian")
    )
    client.force_login(staff)  # the whole campaign's ledger, rows of others' problems in it
    book = download(client, campaign.slug)
    number = edit(book, theirs, 最新进展="替别的部门报送")
    client.force_login(liaison_a)
    refuse(client, campaign, book, f"第{number}行：该问题不在您单位的台账范围内。")


def test_co_department_cannot_report(client, staff, liaison_b, campaign, make_problem):
    problem = make_problem(Status.ASSIGNED)
    problem.assignment.co_departments.add(org("411700", "weijian"))
    client.force_login(liaison_b)
    book = download(client, campaign.slug)  # a co-department sees the problem in its ledger
    number = edit(book, problem, 最新进展="协办部门报送")
    refuse(
        client,
        campaign,
        book,
        f"第{number}行：整改进展由牵头单位报送，您单位不能报送该问题的进展。",
    )


def test_stale_row_is_refused(client, liaison_a, campaign, mine):
    client.force_login(liaison_a)
    book = download(client, campaign.slug)
    actions.report_progress(actor=liaison_a, problem=mine[0], text="在页面上报送的进展")
    number = edit(book, mine[0], 最新进展="台账中填写的进展")
    message = (
        f"第{number}行：问题 {mine[0].code} 在您下载台账后已有变动（新的进展、状态或交办变化），"
        "请重新下载台账后再填写。"
    )
    refuse(client, campaign, book, message)


def test_stale_but_unedited_row_is_left_alone(client, liaison_a, campaign, mine):
    client.force_login(liaison_a)
    book = download(client, campaign.slug)
    actions.report_progress(actor=liaison_a, problem=mine[0], text="在页面上报送的进展")
    edit(book, mine[1], 最新进展="只改这一行")
    preview = upload(client, campaign.slug, as_upload(book))
    assert preview.status_code == 200
    assert [c.problem.pk for c in preview.context["parsed"].changes] == [mine[1].pk]


def test_problem_of_another_campaign_is_refused(client, liaison_a, campaign, mine, staff):
    other = Campaign.objects.create(
        slug="zhumadian-other",
        name="驻马店市另一次联动监督",
        topic=campaign.topic,
        congress=campaign.congress,
        region=campaign.region,
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2025, 12, 31),
    )
    report = actions.record_raw_report(
        actor=staff, campaign=other, channel="inspection", text="另一次监督的问题"
    )
    elsewhere = actions.consolidate(
        actor=staff, campaign=other, reports=[report], title="另一次的问题", kind="common",
        region=other.region,
    )  # fmt: skip
    actions.assign(
        actor=staff,
        problem=elsewhere,
        assignee=org("411700", "minzheng"),
        deadline=timezone.localdate() + datetime.timedelta(days=5),
    )
    client.force_login(liaison_a)
    book = download(client, other.slug)
    number = edit(book, elsewhere, 最新进展="传错了台账")
    refuse(
        client,
        campaign,
        book,
        f"第{number}行：该问题不属于本次联动监督，请使用本次联动监督的台账。",
    )


def test_tampered_key_is_refused(client, liaison_a, campaign, mine):
    client.force_login(liaison_a)
    book = download(client, campaign.slug)
    number = edit(book, mine[0], 校验码="12345")
    refuse(client, campaign, book, f"第{number}行：校验码缺失或被修改，请使用下载的台账填写。")


def test_emptied_progress_is_refused(client, liaison_a, campaign, mine):
    client.force_login(liaison_a)
    book = download(client, campaign.slug)
    number = edit(book, mine[0], 最新进展=None)
    refuse(client, campaign, book, f"第{number}行：“最新进展”不能为空，请填写本次的整改进展。")


def test_completed_problem_cannot_take_progress(client, liaison_a, campaign, make_problem):
    done = make_problem(Status.COMPLETED)
    client.force_login(liaison_a)
    book = download(client, campaign.slug)
    number = edit(book, done, 最新进展="办结后又报送")
    refuse(client, campaign, book, f"第{number}行：问题当前状态为“已办结”，不能报送整改进展。")


def test_change_between_preview_and_confirm_applies_nothing(client, liaison_a, campaign, mine):
    client.force_login(liaison_a)
    book = download(client, campaign.slug)
    edit(book, mine[0], 最新进展="第一行的进展")
    number = edit(book, mine[2], 最新进展="第三行的进展")
    preview = upload(client, campaign.slug, as_upload(book))
    assert preview.status_code == 200
    actions.report_progress(actor=liaison_a, problem=mine[2], text="同时在页面上报送")
    before = snapshot()
    response = confirm(client, campaign.slug, preview)
    assert response.status_code == 302
    assert snapshot() == before
    followed = client.get(response["Location"]).content.decode()
    assert f"第{number}行" in followed


def test_confirm_without_preview_applies_nothing(client, liaison_a, campaign, mine):
    client.force_login(liaison_a)
    before = snapshot()
    response = client.post(reverse("ledgers:confirm", args=[campaign.slug]), {"token": "x"})
    assert response.status_code == 302
    assert snapshot() == before


@pytest.mark.parametrize(("user", "status"), [("member", 403), ("outsider", 404), ("staff", 403)])
def test_others_cannot_upload_or_confirm(request, client, campaign, mine, user, status):
    client.force_login(request.getfixturevalue(user))
    before = snapshot()
    book = Workbook()
    assert upload(client, campaign.slug, as_upload(book)).status_code == status
    response = client.post(reverse("ledgers:confirm", args=[campaign.slug]), {"token": "x"})
    assert response.status_code == status
    assert snapshot() == before


def test_row_numbers_are_the_spreadsheets(client, liaison_a, campaign, mine):
    client.force_login(liaison_a)
    book = download(client, campaign.slug)
    assert row_of(book, mine[0]) == 3  # after the title row and the header


def edit_every_open_row(book):
    sheet = book.worksheets[0]
    edited = 0
    for number in range(3, sheet.max_row + 1):
        if sheet.cell(number, COLUMNS.index("状态") + 1).value == "整改中":
            sheet.cell(number, COLUMNS.index("最新进展") + 1).value = f"第{number}行的新进展"
            edited += 1
    return edited


def preview_queries(client, campaign):
    book = download(client, campaign.slug)
    edited = edit_every_open_row(book)
    with CaptureQueriesContext(connection) as queries:
        response = upload(client, campaign.slug, as_upload(book))
    assert response.context["parsed"].errors == []
    assert len(response.context["parsed"].changes) == edited > 0
    return len(queries)


def test_preview_query_count_does_not_grow_with_rows(client, liaison_b, campaign):
    client.force_login(liaison_b)  # 卫健委: bulk_problems leaves its problems 整改中
    bulk_problems(campaign, 6)
    small = preview_queries(client, campaign)
    bulk_problems(campaign, 150)
    assert preview_queries(client, campaign) == small
