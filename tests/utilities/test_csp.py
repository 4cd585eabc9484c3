"""A strict Content-Security-Policy on every kind of page, and pages written to live with it:
no inline script, no inline style attribute (the browser test watches the console too)."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from oversight.problems.models import Status

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"\sstyle=", re.I)


def assert_strict_csp(response):
    policy = response["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
    )
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    page = response.content.decode()
    assert not INLINE_SCRIPT.search(page), INLINE_SCRIPT.search(page)
    assert not INLINE_STYLE.search(page), page[INLINE_STYLE.search(page).start() - 80 :][:160]


@pytest.fixture
def pages(campaign, make_problem, liaison_a):
    problem = make_problem(Status.IN_PROGRESS)
    return {
        "campaign list": reverse("campaigns:list"),
        "dashboard": reverse("campaigns:dashboard", args=[campaign.slug]),
        "problem list": reverse("problems:list", args=[campaign.slug]),
        "problem page": reverse("problems:detail", args=[problem.pk]),
        "intake": reverse("problems:intake", args=[campaign.slug]),
        "password change": reverse("password_change"),
        "audit log": reverse("audit:list"),
        "not found": "/no-such-page/",
    }


def test_every_signed_in_page_kind_has_the_policy(client, staff, pages):
    client.force_login(staff)
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code in (200, 404), name
        assert_strict_csp(response)


def test_the_anonymous_and_refusal_pages_have_the_policy(client, staff, liaison_a, campaign):
    assert_strict_csp(client.get(reverse("login")))
    client.force_login(liaison_a)
    refused = client.get(reverse("problems:intake", args=[campaign.slug]))
    assert refused.status_code == 404
    assert_strict_csp(refused)
    assert_strict_csp(client.get(reverse("problems:workspace")))


def test_the_lockout_and_rate_limit_pages_have_the_policy(client, staff):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("login"), {"username": "staff", "password": "wrong"})
    assert response.status_code == 429
    assert_strict_csp(response)
    assert "账户已暂时锁定" in response.content.decode()


def test_the_admin_has_the_policy_too(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
