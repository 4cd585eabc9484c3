"""Sign-in hardening: lockout per user and per address, rate limit, session expiry on
inactivity, sign-out everywhere on password change, password rules in Chinese."""

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD

LOCKED = "账户已暂时锁定"


def sign_in(client, username, password, address="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_lockout_after_repeated_failures_even_with_the_right_password(client, staff):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        refused = sign_in(client, "staff", "wrong")
        assert refused.status_code == 200 and "_auth_user_id" not in client.session
    # The failure that reaches the limit already answers with the lockout page.
    assert sign_in(client, "staff", "wrong").status_code == 429
    locked = sign_in(client, "staff", PASSWORD)
    page = locked.content.decode()
    assert locked.status_code == 429
    assert LOCKED in page and f"连续 {settings.AXES_FAILURE_LIMIT} 次登录失败" in page
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_user_name_whatever_the_address(client, staff):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "staff", "wrong", address=f"10.0.1.{attempt}")
    assert LOCKED in sign_in(client, "staff", PASSWORD, address="10.0.2.1").content.decode()


def test_lockout_is_per_address_whatever_the_user_name(client, staff, member):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, f"guess{attempt}", "wrong", address="10.0.3.3")
    assert LOCKED in sign_in(client, "member", PASSWORD, address="10.0.3.3").content.decode()
    # Another address and user are not affected.
    assert sign_in(Client(), "member", PASSWORD, address="10.0.3.4").status_code == 302


def test_an_administrator_unlocks_a_user(client, staff):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "staff", "wrong")
    assert sign_in(client, "staff", PASSWORD).status_code == 429
    call_command("axes_reset_username", "staff")
    call_command("axes_reset_ip", "10.0.0.1")
    assert sign_in(client, "staff", PASSWORD).status_code == 302


@override_settings(LOGIN_RATE="3/m")
def test_sign_in_attempts_are_rate_limited_with_a_chinese_page(client, staff):
    for _ in range(3):
        assert sign_in(client, "nobody", "wrong", address="10.0.4.4").status_code == 200
    refused = sign_in(client, "staff", PASSWORD, address="10.0.4.4")
    assert refused.status_code == 429
    assert "请求过于频繁" in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_session_ends_after_inactivity_and_each_request_renews_it(client, staff, campaign):
    assert sign_in(client, "staff", PASSWORD).status_code == 302
    session = Session.objects.get(session_key=client.session.session_key)
    idle = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert abs(session.expire_date - (timezone.now() + idle)) < datetime.timedelta(minutes=1)

    # A request renews the expiry...
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() + idle / 2)
    assert client.get(reverse("campaigns:list")).status_code == 200
    renewed = Session.objects.get(pk=session.pk).expire_date
    assert renewed > timezone.now() + idle * 0.9

    # ...and past it, the user must sign in again.
    Session.objects.filter(pk=session.pk).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get(reverse("campaigns:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_password_change_signs_out_every_other_session(staff, campaign):
    here, elsewhere = Client(), Client()
    assert sign_in(here, "staff", PASSWORD).status_code == 302
    assert sign_in(elsewhere, "staff", PASSWORD, address="10.0.0.2").status_code == 302
    new = "养老监督-新密码-2024"
    changed = here.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert changed.status_code == 302
    assert here.get(reverse("campaigns:list")).status_code == 200
    response = elsewhere.get(reverse("campaigns:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("1234567", "密码长度太短，至少需要 10 个字符"),
        ("1234567890123", "密码只包含数字"),
        ("password123", "密码太常见"),
    ],
)
def test_password_rules_speak_chinese(client, staff, password, message):
    client.force_login(staff)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    staff.refresh_from_db()
    assert staff.check_password(PASSWORD)


def test_an_administrator_unlocks_a_user_in_the_admin(client, admin_client, staff):
    from axes.models import AccessAttempt

    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "staff", "wrong")
    assert sign_in(client, "staff", PASSWORD).status_code == 429
    listing = admin_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200 and "staff" in listing.content.decode()
    attempts = AccessAttempt.objects.filter(username="staff")
    admin_client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": [a.pk for a in attempts], "post": "yes"},
    )
    assert not AccessAttempt.objects.exists()
    assert sign_in(client, "staff", PASSWORD).status_code == 302
