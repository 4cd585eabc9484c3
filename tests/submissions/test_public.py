"""The public report form: every refusal stores nothing; the status page publishes only what
is safe; codes cannot be guessed."""

from __future__ import annotations

import datetime
import re
import time

import pytest
from django.core import signing
from django.utils import timezone

from oversight.problems import actions as problem_actions
from oversight.problems.models import Channel, RawReport
from oversight.submissions import actions, captcha
from oversight.submissions.models import TRACKING_ALPHABET, TRACKING_LENGTH, Submission
from tests.conftest import org
from tests.submissions.conftest import report_form, solve

pytestmark = pytest.mark.django_db

PHONE = "13812345678"
NAME = "李秀英"
INTERNAL = "内部整改进展：已约谈运营方负责人"


def _stored() -> int:
    return RawReport.objects.count() + Submission.objects.count()


def test_anonymous_report_is_received_with_a_tracking_code(client, open_campaign):
    response = client.post(
        f"/report/{open_campaign.slug}/", report_form(client, open_campaign.slug)
    )
    assert response.status_code == 200
    submission = Submission.objects.get()
    assert submission.raw_report.channel == Channel.PUBLIC
    assert submission.raw_report.reporter == "匿名群众"
    assert submission.raw_report.created_by is None
    assert submission.tracking_code_display in response.content.decode()
    assert submission.events.get().kind == "filed"


def test_name_and_phone_are_kept_for_staff(client, open_campaign):
    data = report_form(client, open_campaign.slug, name=NAME, phone="138 1234 5678")
    client.post(f"/report/{open_campaign.slug}/", data)
    submission = Submission.objects.get()
    assert (submission.contact_name, submission.contact_phone) == (NAME, PHONE)


def test_tracking_code_alphabet_and_length():
    codes = {actions.new_tracking_code() for _ in range(500)}
    assert len(codes) == 500
    for code in codes:
        assert len(code) == TRACKING_LENGTH == 12
        assert set(code) <= set(TRACKING_ALPHABET)
    assert not set("01OIL") & set(TRACKING_ALPHABET)
    assert actions.normalise_tracking_code("abcd-efgh jkmn") == "ABCDEFGHJKMN"


# --- refusals: each stores nothing ---------------------------------------------------------


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"captcha_answer": "99"}, "验证问题回答错误"),
        ({"captcha_answer": ""}, "这个字段是必填项"),
        ({"captcha_token": "forged:token"}, "验证问题无效"),
        ({"website": "http://spam.example"}, "提交未通过校验"),
        ({"text": "   "}, "这个字段是必填项"),
        ({"text": "长" * 2001}, "内容过长"),
        ({"phone": "12345"}, "请填写正确的手机号码"),
        ({"phone": "1381234567x"}, "请填写正确的手机号码"),
        ({"name": "名" * 51}, "内容过长"),
    ],
)
def test_refusals_store_nothing(client, open_campaign, override, message):
    data = report_form(client, open_campaign.slug, **override)
    response = client.post(f"/report/{open_campaign.slug}/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _stored() == 0


def test_expired_captcha_is_refused(client, open_campaign, monkeypatch):
    long_ago = time.time() - captcha.MAX_AGE_SECONDS - 60
    monkeypatch.setattr(signing.time, "time", lambda: long_ago)
    old = captcha.new_challenge()
    monkeypatch.undo()
    data = report_form(client, open_campaign.slug)
    token, _answer = data["captcha_token"], data["captcha_answer"]
    assert token != old.token
    data["captcha_token"] = old.token
    response = client.post(f"/report/{open_campaign.slug}/", data)
    assert response.status_code == 400
    assert "验证问题已过期" in response.content.decode()
    assert _stored() == 0


def test_a_captcha_answers_once(client, open_campaign):
    data = report_form(client, open_campaign.slug)
    assert client.post(f"/report/{open_campaign.slug}/", data).status_code == 200
    again = client.post(f"/report/{open_campaign.slug}/", data)
    assert again.status_code == 400
    assert "验证问题已使用过" in again.content.decode()
    assert Submission.objects.count() == 1


def test_a_wrong_answer_spends_the_question(client, open_campaign):
    data = report_form(client, open_campaign.slug)
    right = data["captcha_answer"]
    data["captcha_answer"] = str(int(right) + 1)
    client.post(f"/report/{open_campaign.slug}/", data)
    data["captcha_answer"] = right
    assert (
        "验证问题已使用过" in client.post(f"/report/{open_campaign.slug}/", data).content.decode()
    )
    assert _stored() == 0


def test_a_refused_form_asks_a_new_question(client, open_campaign):
    data = report_form(client, open_campaign.slug, phone="12345")
    response = client.post(f"/report/{open_campaign.slug}/", data)
    token, answer = solve(response.content.decode())
    assert token != data["captcha_token"]
    data.update(captcha_token=token, captcha_answer=answer, phone="0392-3312345")
    assert client.post(f"/report/{open_campaign.slug}/", data).status_code == 200
    assert Submission.objects.get().contact_phone == "0392-3312345"


def test_answers_in_chinese_or_full_width_digits():
    assert captcha.parse_answer("十二") == 12
    assert captcha.parse_answer("１２") == 12
    assert captcha.parse_answer("七") == 7
    assert captcha.parse_answer("很多") is None


def test_rate_limit_per_address(client, open_campaign):
    for _ in range(10):
        data = report_form(client, open_campaign.slug)
        assert client.post(f"/report/{open_campaign.slug}/", data).status_code == 200
    data = report_form(client, open_campaign.slug)
    assert client.post(f"/report/{open_campaign.slug}/", data).status_code == 429
    assert Submission.objects.count() == 10


def test_closed_campaign_accepts_nothing(client, campaign, staff):
    assert client.get(f"/report/{campaign.slug}/").status_code == 404
    actions.set_public_reporting(actor=staff, campaign=campaign, is_open=True)
    data = report_form(client, campaign.slug)
    actions.set_public_reporting(actor=staff, campaign=campaign, is_open=False)
    assert client.post(f"/report/{campaign.slug}/", data).status_code == 404
    assert _stored() == 0
    with pytest.raises(Exception, match="不接受群众反映"):
        actions.file_public_report(campaign=campaign, text="内容")
    assert _stored() == 0


def test_only_staff_open_public_reporting(client, campaign, member, liaison_a, outsider):
    for user, status in ((member, 403), (liaison_a, 404), (outsider, 404)):
        client.force_login(user)
        response = client.post(
            f"/campaigns/{campaign.slug}/submissions/public-reporting/", {"open": "1"}
        )
        assert response.status_code == status
    assert not actions.is_public_reporting_open(campaign)


# --- the status page -------------------------------------------------------------------------


def test_status_page_shows_only_what_is_safe(client, open_campaign, staff, liaison_a):
    data = report_form(client, open_campaign.slug, name=NAME, phone=PHONE)
    client.post(f"/report/{open_campaign.slug}/", data)
    submission = Submission.objects.get()
    problem = problem_actions.consolidate(
        actor=staff,
        campaign=open_campaign,
        reports=[submission.raw_report],
        title="助餐点停运",
        kind="individual",
        region=open_campaign.region,
    )
    problem_actions.assign(
        actor=staff,
        problem=problem,
        assignee=org("411700", "minzheng"),
        deadline=timezone.localdate() + datetime.timedelta(days=30),
    )
    problem_actions.report_progress(actor=liaison_a, problem=problem, text=INTERNAL)
    url = f"/track/{submission.tracking_code}/"
    page = client.get(url).content.decode()
    assert "整改中" in page
    assert "驻马店市民政局" in page
    for private in (NAME, PHONE, "1381234", INTERNAL, staff.username, liaison_a.username):
        assert private not in page
    assert data["text"] not in page  # what was reported may name people: not published

    actions.publish_reply(actor=staff, submission=submission, text="已责成民政局恢复助餐点。")
    page = client.get(url).content.decode()
    assert "已责成民政局恢复助餐点。" in page
    assert INTERNAL not in page and PHONE not in page and NAME not in page


def test_wrong_codes_get_the_same_404(client, open_campaign):
    client.post(f"/report/{open_campaign.slug}/", report_form(client, open_campaign.slug))
    code = Submission.objects.get().tracking_code
    other = ("2" if code[0] != "2" else "3") + code[1:]
    responses = [client.get(f"/track/{c}/") for c in (other, "SHORT", "A" * 40)]
    assert [r.status_code for r in responses] == [404, 404, 404]
    # The same page, apart from the path itself (the language switch returns to it) and the
    # per-request CSRF token.
    pages = {
        re.sub(r'value="[^"]*"|"X-CSRFToken": "[^"]*"', "", r.content.decode().replace(path, ""))
        for r, path in zip(
            responses, (f"/track/{c}/" for c in (other, "SHORT", "A" * 40)), strict=True
        )
    }
    assert len(pages) == 1
    assert client.get(f"/track/{code.lower()}/").url == f"/track/{code}/"


def test_lookup_form_and_its_rate_limit(client, open_campaign):
    client.post(f"/report/{open_campaign.slug}/", report_form(client, open_campaign.slug))
    code = Submission.objects.get().tracking_code
    grouped = "-".join(code[i : i + 4] for i in range(0, 12, 4))
    assert client.get("/track/", {"code": grouped}).url == f"/track/{code}/"
    assert "查询码为 12 位" in client.get("/track/", {"code": "ABC"}).content.decode()
    statuses = [client.get(f"/track/{code}/").status_code for _ in range(31)]
    assert statuses == [200] * 30 + [429]


def test_staff_reply_needs_staff(client, open_campaign, member, staff):
    client.post(f"/report/{open_campaign.slug}/", report_form(client, open_campaign.slug))
    submission = Submission.objects.get()
    client.force_login(member)
    assert client.post(f"/submissions/{submission.pk}/", {"text": "答复"}).status_code == 403
    with pytest.raises(Exception, match="只有组织本次联动监督"):
        actions.publish_reply(actor=member, submission=submission, text="答复")
    submission.refresh_from_db()
    assert submission.public_reply == ""
