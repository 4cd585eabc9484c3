"""The ledger workbook: every problem with its values, a usable sheet, for the right people."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from oversight.audit.models import AuditEntry
from oversight.audit.models import Kind as AuditKind
from oversight.ledgers.workbook import COLUMNS, display_width
from oversight.problems import actions
from oversight.problems.models import Channel, RectificationType, Status
from tests.campaigns.test_query_budget import bulk_problems
from tests.conftest import org

from .conftest import COLUMN, data_rows, download


def test_staff_ledger_holds_every_problem_with_its_values(
    client, staff, campaign, make_problem, liaison_a
):
    pending = make_problem(Status.PENDING, title="待交办的问题", channel=Channel.DEPUTY)
    assigned = make_problem(Status.ASSIGNED, title="已交办的问题")
    progressing = make_problem(Status.IN_PROGRESS, title="整改中的问题")
    done = make_problem(Status.COMPLETED, title="已办结的问题")
    actions.assign(
        actor=staff,
        problem=make_problem(Status.PENDING, title="有协办部门的问题"),
        assignee=org("411700", "minzheng"),
        co_departments=[org("411700", "weijian")],
        deadline=timezone.localdate() + datetime.timedelta(days=10),
    )
    client.force_login(staff)
    book = download(client, campaign.slug)
    sheet = book.worksheets[0]
    assert sheet.title == "整改台账"
    assert "整改台账" in sheet["A1"].value and campaign.name in sheet["A1"].value
    assert [cell.value for cell in sheet[2]] == COLUMNS
    assert sheet.freeze_panes == "C3"
    assert sheet.auto_filter.ref.startswith("A2:")
    assert sheet.column_dimensions["N"].hidden  # the key column
    rows = {row[0]: dict(zip(COLUMNS, row, strict=True)) for row in data_rows(book)}
    assert len(rows) == 5
    assert rows[pending.code]["状态"] == "待交办"
    assert rows[pending.code]["整改时限"] is None
    assert rows[pending.code]["来源渠道"] == "人大代表反映"
    assert rows[assigned.code]["状态"] == "已交办"
    assert rows[assigned.code]["牵头单位"] == "驻马店市民政局"
    assert rows[assigned.code]["整改时限"].date() == assigned.assignment.deadline
    assert rows[progressing.code]["状态"] == "整改中"
    assert rows[progressing.code]["最新进展"] == "已开展排查"
    assert rows[progressing.code]["进展日期"].date() == timezone.localdate()
    assert rows[done.code]["状态"] == "已办结"
    assert rows[done.code]["最新进展"] == "已整改到位"  # the claim, the latest report
    assert rows[done.code]["整改类型"] == RectificationType.IMMEDIATE.label
    assert rows["005"]["协办部门"] == "驻马店市卫生健康委员会"
    assert rows[progressing.code]["问题类别"] == "共性问题"
    # A CJK title counts double: the column is wider than the header alone needs.
    assert sheet.column_dimensions["B"].width >= display_width("有协办部门的问题") + 2
    assert sheet.cell(3, COLUMN["问题"]).alignment.wrap_text
    assert AuditEntry.objects.filter(kind=AuditKind.EXPORT, summary__contains="整改台账").exists()


def test_display_width_counts_cjk_double():
    assert display_width("abc") == 3
    assert display_width("养老abc") == 7
    assert display_width("第一行\n更长的第二行") == 12


def test_liaison_ledger_holds_only_its_organisations_problems(
    client, liaison_a, campaign, make_problem
):
    own = make_problem(Status.IN_PROGRESS, title="民政局的问题")
    make_problem(Status.IN_PROGRESS, title="卫健委的问题", assignee=org("411700", "weijian"))
    make_problem(Status.PENDING, title="未交办的问题")
    client.force_login(liaison_a)
    book = download(client, campaign.slug)
    rows = data_rows(book)
    assert [row[COLUMN["问题"] - 1] for row in rows] == [own.title]
    assert "驻马店市民政局" in book.worksheets[0]["A1"].value


@pytest.mark.parametrize(
    ("user", "status"),
    [("outsider", 404), ("member", 403), ("liaison_b", 404), ("county_user", 404)],
)
def test_others_cannot_download(request, client, campaign, make_problem, user, status):
    make_problem(Status.IN_PROGRESS)
    client.force_login(request.getfixturevalue(user))
    for name in ("ledgers:download", "ledgers:ledger"):
        assert client.get(reverse(name, args=[campaign.slug])).status_code == status
    assert not AuditEntry.objects.filter(kind=AuditKind.EXPORT).exists()


def test_anonymous_is_sent_to_sign_in(client, campaign):
    response = client.get(reverse("ledgers:download", args=[campaign.slug]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_unknown_campaign_is_not_found(client, staff):
    client.force_login(staff)
    assert client.get(reverse("ledgers:download", args=["nowhere"])).status_code == 404


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("user", ["staff", "liaison_a"])
def test_query_count_does_not_grow_with_rows(request, client, campaign, user):
    client.force_login(request.getfixturevalue(user))
    url = reverse("ledgers:download", args=[campaign.slug])
    bulk_problems(campaign, 6)
    small = count_queries(client, url)
    bulk_problems(campaign, 150)
    assert count_queries(client, url) == small
    assert len(data_rows(download(client, campaign.slug))) == (156 if user == "staff" else 52)


def test_staff_page_offers_download_not_upload(client, staff, campaign, make_problem):
    make_problem(Status.IN_PROGRESS)
    client.force_login(staff)
    response = client.get(reverse("ledgers:ledger", args=[campaign.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("ledgers:download", args=[campaign.slug]) in page
    assert 'data-testid="ledger-upload"' not in page
    assert client.post(reverse("ledgers:ledger", args=[campaign.slug])).status_code == 403


def test_campaign_nav_links_the_ledger_for_staff_only(client, staff, member, campaign):
    url = reverse("ledgers:ledger", args=[campaign.slug])
    client.force_login(staff)
    assert url in client.get(reverse("problems:list", args=[campaign.slug])).content.decode()
    client.force_login(member)
    assert url not in client.get(reverse("problems:list", args=[campaign.slug])).content.decode()


def test_workspace_links_the_liaisons_ledgers(client, liaison_a, liaison_b, campaign, make_problem):
    make_problem(Status.IN_PROGRESS)
    url = reverse("ledgers:ledger", args=[campaign.slug])
    client.force_login(liaison_a)
    assert url in client.get(reverse("problems:workspace")).content.decode()
    client.force_login(liaison_b)
    assert url not in client.get(reverse("problems:workspace")).content.decode()
