"""Import from .xlsx: upload → preview with every row checked → confirm, all or nothing."""

import datetime
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from oversight.facilities.models import Facility
from oversight.indicators.imports import FACILITY_COLUMNS, VALUE_COLUMNS
from oversight.indicators.models import IndicatorValue

from .conftest import enter


def workbook(rows, columns=VALUE_COLUMNS):
    book = Workbook()
    sheet = book.active
    sheet.append(columns)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("指标.xlsx", buffer.getvalue())


def upload(client, kind, file):
    return client.post(reverse("indicators:import", args=["elderly-care", kind]), {"file": file})


def confirm(client, kind, response):
    return client.post(
        reverse("indicators:import_confirm", args=["elderly-care", kind]),
        {"token": response.context["token"]},
    )


GOOD = [
    ["411700", "lottery-share", "2024", 71.16, "工作简报", "否", ""],
    ["411727", "land-per-capita", "２０２４", "0.51", "statistics", "是", "汝南"],
    ["411721", "land-per-capita", "2024Q3", 0.22, "人大检查", "", ""],
]


def test_values_happy_path_preview_then_confirm(client, staff):
    client.force_login(staff)
    response = upload(client, "values", workbook(GOOD))
    assert response.status_code == 200
    assert not IndicatorValue.objects.exists()  # a preview writes nothing
    preview = response.content.decode()
    assert "全部 3 行检查通过" in preview and "确认导入" in preview
    response = confirm(client, "values", response)
    assert response.status_code == 302
    values = {(v.region.code, v.indicator, v.period): v for v in IndicatorValue.objects.all()}
    assert set(values) == {
        ("411700", "lottery-share", "2024"),
        ("411727", "land-per-capita", "2024"),
        ("411721", "land-per-capita", "2024Q3"),
    }
    runan = values[("411727", "land-per-capita", "2024")]
    assert (str(runan.value), runan.source, runan.is_illustrative) == ("0.5100", "statistics", True)
    assert runan.entered_by == staff


def test_facilities_happy_path(client, staff):
    client.force_login(staff)
    row = ["411727", "meal", "汝南县老年助餐点001", "汝南县某街道", "某公司", "运营中",
           datetime.datetime(2024, 6, 30), "2024-07-01", "", "否", "否", "", "是", ""]  # fmt: skip
    response = upload(client, "facilities", workbook([row], FACILITY_COLUMNS))
    assert response.status_code == 200, response.content.decode()[-2000:]
    confirm(client, "facilities", response)
    facility = Facility.objects.get()
    assert (facility.region.code, facility.kind, facility.status) == ("411727", "meal", "operating")
    assert facility.operating_since == datetime.date(2024, 7, 1)
    assert facility.is_illustrative


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (["999999", "lottery-share", "2024", 60, "工作简报", "否", ""], "区划代码“999999”不存在"),
        (["411700", "nonsense", "2024", 60, "工作简报", "否", ""], "未知的指标代码"),
        (["411700", "meal-built", "2024", 60, "工作简报", "否", ""], "由系统计算"),
        (["411700", "lottery-share", "24年", 60, "工作简报", "否", ""], "期间“24”无效"),
        (["411700", "lottery-share", "2024", "很多", "工作简报", "否", ""], "不是数字"),
        (["411700", "lottery-share", "2024", -1, "工作简报", "否", ""], "不能为负数"),
        (["411700", "lottery-share", "2024", 120, "工作简报", "否", ""], "不能超过 100"),
        (["411700", "lottery-share", "2024", 60, "道听途说", "否", ""], "“来源”应为"),
        (["411700", "lottery-share", "2024", 60, "工作简报", "也许", ""], "应填“是”或“否”"),
        (["410600", "lottery-share", "2024", 60, "工作简报", "否", ""], "不能导入鹤壁市"),
    ],
)
def test_each_row_level_error_is_reported_and_nothing_is_written(client, staff, row, reason):
    client.force_login(staff)
    response = upload(client, "values", workbook([GOOD[0], row]))
    assert response.status_code == 400
    page = response.content.decode()
    assert reason in page
    assert "有 1 行未通过检查，整份文件未导入" in page
    assert "import/confirm" not in page
    parsed = response.context["parsed"]
    assert [(r.number, bool(r.errors)) for r in parsed.rows] == [(2, False), (3, True)]
    assert not IndicatorValue.objects.exists()


def test_duplicate_rows_are_refused(client, staff):
    client.force_login(staff)
    response = upload(client, "values", workbook([GOOD[0], GOOD[0]]))
    assert "与第 2 行重复" in response.content.decode()
    assert not IndicatorValue.objects.exists()


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({6: "30/06/2024"}, "“建成日期”不是日期"),
        ({7: ""}, "须填写开始运营日期"),
        ({5: "开张"}, "“运营状态”应为"),
        ({1: "spaceship"}, "未知的设施类型"),
    ],
)
def test_facility_row_errors(client, staff, changes, reason):
    client.force_login(staff)
    row = ["411727", "meal", "助餐点", "", "", "运营中", "2024-06-30", "2024-07-01",
           "", "否", "否", "", "否", ""]  # fmt: skip
    for index, value in changes.items():
        row[index] = value
    response = upload(client, "facilities", workbook([row], FACILITY_COLUMNS))
    assert reason in response.content.decode()
    assert not Facility.objects.exists()


def test_a_refused_file_leaves_the_database_unchanged(client, staff, topic):
    enter(staff, topic, "411700", "lottery-share", 60)
    before = list(IndicatorValue.objects.values_list("indicator", "region", "period", "value"))
    client.force_login(staff)
    changed = ["411700", "lottery-share", "2024", 70, "工作简报", "否", ""]
    bad = ["411700", "lottery-share", "2023", "n/a", "工作简报", "否", ""]
    response = upload(client, "values", workbook([changed, bad]))
    assert response.status_code == 400
    assert response.context["token"] == ""
    # Confirming without a valid preview imports nothing either.
    response = client.post(
        reverse("indicators:import_confirm", args=["elderly-care", "values"]), {"token": "x"}
    )
    assert response.status_code == 302
    after = list(IndicatorValue.objects.values_list("indicator", "region", "period", "value"))
    assert after == before


def test_a_wrong_header_or_a_non_excel_file_is_refused(client, staff):
    client.force_login(staff)
    response = upload(client, "values", workbook([GOOD[0]], ["代码", "值"]))
    assert "表头与模板不一致" in response.content.decode()
    fake = SimpleUploadedFile("指标.xlsx", b"<html><script>alert(1)</script></html>")
    response = upload(client, "values", fake)
    assert response.status_code == 400
    assert "网页" in response.content.decode()
    assert not IndicatorValue.objects.exists()


def test_the_template_downloads_and_reads_back(client, staff):
    client.force_login(staff)
    response = client.get(reverse("indicators:template", args=["elderly-care", "values"]))
    assert response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == VALUE_COLUMNS
    response = upload(client, "values", SimpleUploadedFile("t.xlsx", response.content))
    assert response.status_code == 200  # the template's example row is valid


def test_import_is_for_congress_staff(client, member, liaison_a):
    for user in (member, liaison_a):
        client.force_login(user)
        response = upload(client, "values", workbook(GOOD))
        assert response.status_code == 403
    assert not IndicatorValue.objects.exists()
