"""Every kind of audit entry, recorded through the real pages and signals."""

import json

import pytest
from axes.signals import user_locked_out
from django.core import serializers
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import translation

from oversight.accounts.models import Role, User
from oversight.audit import actions
from oversight.audit.models import AuditEntry, Kind
from oversight.problems import actions as problem_actions
from oversight.problems.models import Status
from oversight.regions.models import Level, Region
from oversight.topics.models import ProblemArea
from tests.conftest import PASSWORD, org

ADDRESS = "10.20.30.40"


def only(kind):
    """The one entry of ``kind`` (fails if there are none or several)."""
    return AuditEntry.objects.get(kind=kind)


def test_sign_in_is_recorded_with_who_where_and_from_where(client, staff):
    response = client.post(
        reverse("login"), {"username": "staff", "password": PASSWORD}, REMOTE_ADDR=ADDRESS
    )
    assert response.status_code == 302
    entry = only(Kind.LOGIN)
    assert entry.user == staff and entry.username == "staff"
    assert entry.organisation == staff.organisation
    assert entry.region.code == "411700"
    assert entry.ip_address == ADDRESS
    assert entry.path == reverse("login")


def test_sign_in_bookkeeping_is_not_a_change_of_the_account(client, staff):
    client.post(reverse("login"), {"username": "staff", "password": PASSWORD})
    assert AuditEntry.objects.filter(kind=Kind.LOGIN).count() == 1
    assert not AuditEntry.objects.filter(kind=Kind.REFERENCE_CHANGE, user=staff).exists()


def test_failed_sign_in_records_the_name_tried_never_the_password(client, staff):
    tried = "wrong-password-养老-4711"
    response = client.post(
        reverse("login"), {"username": "staff", "password": tried}, REMOTE_ADDR=ADDRESS
    )
    assert response.status_code == 200
    entry = only(Kind.LOGIN_FAILED)
    assert entry.user is None and entry.username == "staff"
    # Attributed to the account's region, so that its congress staff see attempts on it.
    assert entry.region.code == "411700"
    assert entry.ip_address == ADDRESS
    for row in AuditEntry.objects.values():
        assert tried not in json.dumps(row, default=str, ensure_ascii=False)


def test_failed_sign_in_with_an_unknown_name_belongs_to_no_region(client, reference):
    client.post(reverse("login"), {"username": "nobody-here", "password": "x" * 12})
    entry = only(Kind.LOGIN_FAILED)
    assert entry.username == "nobody-here"
    assert entry.region is None and entry.organisation is None


def test_sign_out_is_recorded(client, staff):
    client.force_login(staff)
    client.post(reverse("logout"), REMOTE_ADDR=ADDRESS)
    entry = only(Kind.LOGOUT)
    assert entry.user == staff and entry.ip_address == ADDRESS


def test_another_citys_problem_is_a_recorded_refusal(client, outsider, make_problem):
    problem = make_problem(Status.PENDING)
    client.force_login(outsider)
    url = reverse("problems:detail", args=[problem.pk])
    assert client.get(url, REMOTE_ADDR=ADDRESS).status_code == 404
    entry = only(Kind.ACCESS_DENIED)
    assert entry.user == outsider and entry.path == url
    assert entry.region.code == "410600"
    assert entry.ip_address == ADDRESS
    assert "404" in entry.summary


def test_a_forbidden_action_is_a_recorded_refusal(client, member, campaign):
    client.force_login(member)
    url = reverse("problems:intake", args=[campaign.slug])
    assert client.get(url).status_code == 403
    entry = only(Kind.ACCESS_DENIED)
    assert entry.user == member and entry.path == url and "403" in entry.summary


def test_unknown_pages_and_anonymous_visitors_are_not_refusals(client, staff, make_problem):
    problem = make_problem(Status.PENDING)
    client.get(reverse("problems:detail", args=[problem.pk]))  # anonymous: sent to sign in
    client.force_login(staff)
    assert client.get("/favicon.ico").status_code == 404
    assert not AuditEntry.objects.filter(kind=Kind.ACCESS_DENIED).exists()


def test_evidence_download_is_recorded_as_an_export(client, liaison_a, make_problem):
    problem = make_problem(Status.ASSIGNED)
    report = problem_actions.report_progress(
        actor=liaison_a,
        problem=problem,
        text="附整改照片",
        evidence=[SimpleUploadedFile("现场.png", b"\x89PNG\r\n\x1a\n", content_type="image/png")],
    )
    attachment = report.attachments.get()
    client.force_login(liaison_a)
    url = reverse("problems:attachment", args=[attachment.pk])
    assert client.get(url, REMOTE_ADDR=ADDRESS).status_code == 200
    entry = only(Kind.EXPORT)
    assert entry.user == liaison_a and entry.organisation == org("411700", "minzheng")
    assert entry.summary == f"佐证材料：现场.png（#{attachment.pk}）"
    assert entry.path == url and entry.ip_address == ADDRESS


def test_export_text_is_stored_in_chinese_whatever_the_users_language(rf, staff):
    request = rf.get("/export/")
    request.user = staff
    with translation.override("en"):
        entry = actions.record_export(request, staff.organisation)
    assert entry.summary.startswith("机构：") and entry.user == staff


@pytest.fixture
def admin(reference):
    return User.objects.create_superuser("admin", password=PASSWORD)


def test_reference_data_changes_in_the_admin_are_recorded(client, admin):
    client.force_login(admin)
    zhumadian = Region.objects.get(code="411700")
    response = client.post(
        reverse("admin:regions_region_add"),
        {"code": "411799", "name": "测试新区", "level": Level.COUNTY, "parent": zhumadian.pk},
        REMOTE_ADDR=ADDRESS,
    )
    assert response.status_code == 302
    region = Region.objects.get(code="411799")
    client.post(
        reverse("admin:regions_region_change", args=[region.pk]),
        {"code": "411799", "name": "测试改名区", "level": Level.COUNTY, "parent": zhumadian.pk},
    )
    client.post(reverse("admin:regions_region_delete", args=[region.pk]), {"post": "yes"})
    assert not Region.objects.filter(code="411799").exists()
    summaries = list(
        AuditEntry.objects.filter(kind=Kind.REFERENCE_CHANGE, user=admin)
        .order_by("pk")
        .values_list("summary", flat=True)
    )
    assert summaries == [
        f"新增行政区划：测试新区（#{region.pk}）",
        f"修改行政区划：测试改名区（#{region.pk}）",
        f"删除行政区划：测试改名区（#{region.pk}）",
    ]
    assert AuditEntry.objects.filter(user=admin, ip_address=ADDRESS).exists()


def test_a_password_change_is_a_recorded_change_of_the_account(client, staff):
    client.force_login(staff)
    new = "养老监督-新密码-2024"
    client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    entry = AuditEntry.objects.get(kind=Kind.REFERENCE_CHANGE, user=staff)
    assert entry.summary == f"修改用户：staff（#{staff.pk}）"
    assert entry.region.code == "411700"


def test_changes_made_outside_any_request_are_recorded_without_a_user(reference):
    area = ProblemArea.objects.filter(topic=reference["topic"]).first()
    pk = area.pk
    area.delete()
    entry = AuditEntry.objects.filter(kind=Kind.REFERENCE_CHANGE).latest("pk")
    assert entry.summary == f"删除问题领域：{area.name}（#{pk}）"
    assert entry.user is None and entry.username == "" and entry.region is None


def test_fixture_loads_are_not_recorded(reference):
    zhumadian = Region.objects.get(code="411700")
    fixture = json.dumps(
        [
            {
                "model": "regions.region",
                "fields": {"code": "411798", "name": "夹具区", "level": "county"},
            }
        ]
    )
    before = AuditEntry.objects.count()
    for item in serializers.deserialize("json", fixture):
        item.object.parent = zhumadian
        item.save()  # a raw save, as loaddata makes
    assert Region.objects.filter(code="411798").exists()
    assert AuditEntry.objects.count() == before


def test_a_lockout_signal_is_recorded_for_the_account_concerned(staff):
    request = RequestFactory().post(reverse("login"), REMOTE_ADDR="127.0.0.1")
    user_locked_out.send("axes", request=request, username="staff", ip_address=ADDRESS)
    entry = only(Kind.LOCKOUT)
    assert entry.username == "staff" and entry.user is None
    assert entry.ip_address == ADDRESS  # the address axes resolved, not the socket's
    assert entry.region.code == "411700"


@override_settings(AXES_FAILURE_LIMIT=2)
def test_repeated_failures_lock_the_account_and_are_recorded(client, staff):
    for _ in range(3):
        client.post(reverse("login"), {"username": "staff", "password": "wrong-password-1"})
    assert AuditEntry.objects.filter(kind=Kind.LOCKOUT, username="staff").exists()
    assert AuditEntry.objects.filter(kind=Kind.LOGIN_FAILED, username="staff").count() >= 2


def test_an_entry_keeps_its_name_and_region_when_the_user_moves_or_goes(county_user):
    entry = actions.write(Kind.EXPORT, "问题清单", request=None, user=county_user)
    county_user.organisation = org("410600", "congress")
    county_user.role = Role.CONGRESS_STAFF
    county_user.save()
    entry.refresh_from_db()
    assert entry.region.code == "411727"
    county_user.delete()
    entry.refresh_from_db()
    assert entry.user is None and entry.username == "county"
    assert entry.region.code == "411727"
