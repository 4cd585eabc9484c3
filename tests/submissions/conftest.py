"""Deputies on both sides of the line, a campaign open to the public, and a helper that
answers the public form's captcha the way a person would (by reading the question)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from oversight.accounts.models import Role, User
from oversight.campaigns.models import Campaign
from oversight.submissions import actions
from tests.browser.conftest import browser, console, output_dir  # noqa: F401  (for test_browser)
from tests.conftest import make_user, org

NUMERALS = "零一二三四五六七八九十"


@pytest.fixture
def deputy(reference: dict[str, Any]) -> User:
    """A deputy of 驻马店市人大 (the campaign's own congress)."""
    return make_user("deputy", org("411700", "congress"), Role.DEPUTY)


@pytest.fixture
def county_deputy(reference: dict[str, Any]) -> User:
    """A deputy of 汝南县人大, whose congress problems can be assigned to."""
    return make_user("county_deputy", org("411727", "congress"), Role.DEPUTY)


@pytest.fixture
def open_campaign(campaign: Campaign, staff: User) -> Campaign:
    actions.set_public_reporting(actor=staff, campaign=campaign, is_open=True)
    return campaign


def _number(text: str) -> int:
    if text in NUMERALS:
        return NUMERALS.index(text)
    return 10 + NUMERALS.index(text[1])


def solve(html: str) -> tuple[str, str]:
    """(token, answer) of the form's captcha."""
    token = re.search(r'name="captcha_token" value="([^"]+)"', html)
    question = re.search(r"验证问题：(\S+?)(加|减)(\S+?)等于几", html)
    assert token and question, "no captcha on the page"
    first, op, second = question.group(1), question.group(2), question.group(3)
    value = _number(first) + _number(second) if op == "加" else _number(first) - _number(second)
    return token.group(1), str(value)


def report_form(client: Client, slug: str, **fields: str) -> dict[str, str]:
    """A correctly filled public form (fresh captcha); ``fields`` override."""
    page = client.get(f"/report/{slug}/")
    assert page.status_code == 200
    token, answer = solve(page.content.decode())
    data = {
        "text": "社区助餐点停了三个月，老人吃饭没着落。",
        "name": "",
        "phone": "",
        "captcha_token": token,
        "captcha_answer": answer,
        "website": "",
    }
    data.update(fields)
    return data
