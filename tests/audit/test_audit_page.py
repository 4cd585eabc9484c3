"""The audit log page: congress staff see their region and below; nobody else finds it."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from oversight.accounts.models import User
from oversight.audit import actions
from oversight.audit.models import AuditEntry, Kind
from tests.conftest import PASSWORD

URL = reverse("audit:list")


@pytest.fixture
def entries(staff, county_user, outsider):
    """One entry in 驻马店市, one in 汝南县 below it, one in 鹤壁市 (another city)."""
    actions.write(Kind.EXPORT, "驻马店市的记录", request=None, user=staff)
    actions.write(Kind.EXPORT, "汝南县的记录", request=None, user=county_user)
    actions.write(Kind.EXPORT, "鹤壁市的记录", request=None, user=outsider)


def test_staff_see_their_region_and_below_but_not_another_city(client, staff, entries):
    client.force_login(staff)
    response = client.get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert "驻马店市的记录" in page and "汝南县的记录" in page
    assert "鹤壁市的记录" not in page


def test_a_county_congress_sees_its_county_only(client, county_user, entries):
    client.force_login(county_user)
    page = client.get(URL).content.decode()
    assert "汝南县的记录" in page
    assert "驻马店市的记录" not in page and "鹤壁市的记录" not in page


def test_another_citys_staff_see_only_their_own(client, outsider, entries):
    client.force_login(outsider)
    page = client.get(URL).content.decode()
    assert "鹤壁市的记录" in page
    assert "驻马店市的记录" not in page and "汝南县的记录" not in page


def test_scoping_is_one_queryset_method(staff, county_user, outsider, entries):
    def seen(user):
        return set(AuditEntry.objects.visible_to(user).values_list("summary", flat=True))

    assert seen(staff) == {"驻马店市的记录", "汝南县的记录"}
    assert seen(outsider) == {"鹤壁市的记录"}
    assert seen(county_user) == {"汝南县的记录"}  # a county congress sees its county only


def test_superusers_see_every_region(client, entries):
    admin = User.objects.create_superuser("admin", password=PASSWORD)
    client.force_login(admin)
    page = client.get(URL).content.decode()
    assert all(text in page for text in ("驻马店市的记录", "汝南县的记录", "鹤壁市的记录"))


@pytest.mark.parametrize("who", ["member", "liaison_a"])
def test_everyone_else_is_refused_and_the_attempt_recorded(client, request, who, entries):
    user = request.getfixturevalue(who)
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 404
    assert "驻马店市的记录" not in response.content.decode()
    assert AuditEntry.objects.filter(kind=Kind.ACCESS_DENIED, user=user, path=URL).exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, entries):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_entry_moved_user_leaves_their_history_behind(client, staff, county_user, outsider):
    actions.write(Kind.EXPORT, "调动前的记录", request=None, user=county_user)
    county_user.organisation = outsider.organisation
    county_user.save()
    client.force_login(staff)
    assert "调动前的记录" in client.get(URL).content.decode()
    client.force_login(outsider)
    assert "调动前的记录" not in client.get(URL).content.decode()


def test_the_menu_shows_the_log_to_congress_staff_only(client, staff, member, campaign):
    link = f'href="{URL}"'
    client.force_login(staff)
    assert link in client.get(reverse("campaigns:list")).content.decode()
    client.force_login(member)
    assert link not in client.get(reverse("campaigns:list")).content.decode()


def _dated(staff, days_ago, **fields):
    when = timezone.now() - datetime.timedelta(days=days_ago)
    return AuditEntry(
        created_at=when,
        user=staff,
        username=fields.pop("username", staff.username),
        organisation=staff.organisation,
        region=staff.organisation.region,
        **fields,
    )


def rows(response):
    return re.findall(r"<tr>\s*<td", response.content.decode())


def test_filters(client, staff):
    AuditEntry.objects.bulk_create(
        [
            _dated(staff, 0, kind=Kind.LOGIN, summary="今天登录", ip_address="10.0.0.5"),
            _dated(staff, 10, kind=Kind.EXPORT, summary="十天前导出", ip_address="192.168.1.9"),
            _dated(
                staff,
                40,
                kind=Kind.LOGIN_FAILED,
                summary="四十天前失败",
                username="zmd-guest",
                ip_address="10.0.0.7",
            ),
        ]
    )
    client.force_login(staff)

    def shown(**params):
        page = client.get(URL, params).content.decode()
        return {text for text in ("今天登录", "十天前导出", "四十天前失败") if text in page}

    today = timezone.localdate()
    assert shown(kind=Kind.EXPORT) == {"十天前导出"}
    assert shown(username="GUEST") == {"四十天前失败"}
    assert shown(address="10.0.0.") == {"今天登录", "四十天前失败"}
    assert shown(since=str(today - datetime.timedelta(days=20))) == {"今天登录", "十天前导出"}
    assert shown(until=str(today - datetime.timedelta(days=5))) == {"十天前导出", "四十天前失败"}
    assert shown(since=str(today), until=str(today)) == {"今天登录"}


def test_a_bad_filter_is_explained(client, staff):
    client.force_login(staff)
    response = client.get(URL, {"since": "not-a-date"})
    assert response.status_code == 400
    assert "筛选条件有误" in response.content.decode()


def test_newest_first_fifty_to_a_page(client, staff, django_assert_max_num_queries):
    AuditEntry.objects.bulk_create(
        _dated(staff, day, kind=Kind.EXPORT, summary=f"第{day:03d}天前") for day in range(60)
    )
    client.force_login(staff)
    with django_assert_max_num_queries(12):
        first = client.get(URL, {"kind": Kind.EXPORT})
    assert len(rows(first)) == 50
    page = first.content.decode()
    assert page.index("第000天前") < page.index("第001天前")
    assert "第055天前" not in page
    second = client.get(URL, {"kind": Kind.EXPORT, "page": 2})
    assert len(rows(second)) == 10 and "第059天前" in second.content.decode()


def test_the_page_has_no_inline_script_or_style(client, staff, entries):
    client.force_login(staff)
    page = client.get(URL).content.decode()
    assert "style=" not in page
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
