from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.test import override_settings
from django.urls import reverse

from tests.conftest import PASSWORD


def test_production_hashes_passwords_with_argon2():
    from oversight import settings as production

    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        assert make_password("养老监督").startswith("argon2$argon2id$")
    assert settings.LANGUAGE_CODE == "zh-hans" and settings.TIME_ZONE == "Asia/Shanghai"


def test_login_sends_each_role_to_its_work(client, staff, liaison_a, campaign):
    response = client.post(reverse("login"), {"username": "staff", "password": PASSWORD})
    assert response.status_code == 302
    response = client.get(reverse("home"))
    assert response["Location"] == reverse("campaigns:dashboard", args=[campaign.slug])

    client.post(reverse("logout"))
    client.post(reverse("login"), {"username": "liaison_a", "password": PASSWORD})
    assert client.get(reverse("home"))["Location"] == reverse("problems:workspace")


def test_wrong_password_is_refused_in_chinese(client, staff):
    response = client.post(reverse("login"), {"username": "staff", "password": "wrong"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_ends_the_session(client, staff):
    client.force_login(staff)
    client.post(reverse("logout"))
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_password_change(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "养老监督-新密码-2024",
            "new_password2": "养老监督-新密码-2024",
        },
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.check_password("养老监督-新密码-2024")


def test_language_switch_to_english_and_back(client, staff, campaign):
    login_page = client.get(reverse("login")).content.decode()
    assert "登录" in login_page and 'value="en"' in login_page
    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert "Log in" in client.get(reverse("login")).content.decode()
    client.force_login(staff)
    page = client.get(reverse("campaigns:dashboard", args=[campaign.slug])).content.decode()
    assert "Completion rate" in page or "completion rate" in page
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    page = client.get(reverse("campaigns:dashboard", args=[campaign.slug])).content.decode()
    assert "办结率" in page


def test_chinese_first_whatever_the_browser_says(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "用户名" in page and 'lang="zh-hans"' in page
