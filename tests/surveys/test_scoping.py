"""Who may open what: the organising congress's staff build and enter; its congress users
read results and exports; another city's staff, a county's staff, a department liaison and
an anonymous visitor get nothing but the public page of a published questionnaire."""

from __future__ import annotations

import pytest
from django.urls import reverse

from oversight.audit.models import AuditEntry, Kind
from oversight.surveys.models import Response

pytestmark = pytest.mark.django_db


def staff_pages(questionnaire, question):
    pk = questionnaire.pk
    return [
        ("get", reverse("surveys:list", args=[questionnaire.campaign.slug])),
        ("get", reverse("surveys:detail", args=[pk])),
        ("get", reverse("surveys:results", args=[pk])),
        ("get", reverse("surveys:export_csv", args=[pk])),
        ("get", reverse("surveys:export_xlsx", args=[pk])),
        ("get", reverse("surveys:qr", args=[pk, "png"])),
        ("get", reverse("surveys:entry", args=[pk])),
        ("get", reverse("surveys:texts", args=[pk])),
        ("post", reverse("surveys:add_question", args=[pk])),
        ("post", reverse("surveys:move_question", args=[pk, question.pk])),
        ("post", reverse("surveys:remove_question", args=[pk, question.pk])),
        ("post", reverse("surveys:publish", args=[pk])),
        ("post", reverse("surveys:close", args=[pk])),
        ("post", reverse("surveys:settings", args=[pk])),
    ]


@pytest.mark.parametrize("who", ["outsider", "liaison_a", "county_user"])
def test_other_cities_counties_and_departments_find_nothing(
    client, request, who, questionnaire, questions
):
    client.force_login(request.getfixturevalue(who))
    for method, url in staff_pages(questionnaire, questions["text"]):
        assert getattr(client, method)(url, {"kind": "text", "text": "x"}).status_code == 404, url
    assert not AuditEntry.objects.filter(kind=Kind.EXPORT).exists()
    assert questionnaire.questions.count() == 5


def test_anonymous_visitors_are_sent_to_sign_in(client, questionnaire, questions):
    for method, url in staff_pages(questionnaire, questions["text"]):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_a_member_reads_results_but_cannot_build_or_enter(client, member, questionnaire, questions):
    client.force_login(member)
    pk = questionnaire.pk
    assert client.get(reverse("surveys:results", args=[pk])).status_code == 200
    assert client.get(reverse("surveys:export_csv", args=[pk])).status_code == 200
    detail = client.get(reverse("surveys:detail", args=[pk]))
    assert detail.status_code == 200
    assert "结束问卷" not in detail.text and "录入纸质问卷" not in detail.text
    for method, url in staff_pages(questionnaire, questions["text"])[6:]:
        assert getattr(client, method)(url).status_code == 403, url
    assert (
        client.post(
            reverse("surveys:list", args=[questionnaire.campaign.slug]), {"title": "x"}
        ).status_code
        == 403
    )


def test_the_public_page_shows_nothing_of_the_answers(client, questionnaire, fill):
    client.post(reverse("surveys:answer", args=[questionnaire.token]), fill(text="私密意见"))
    assert Response.objects.count() == 1
    other = client.__class__()
    page = other.get(reverse("surveys:answer", args=[questionnaire.token]))
    assert "私密意见" not in page.text and "%" not in page.text
    # A guessed token finds nothing.
    assert other.get("/q/00000000-0000-0000-0000-000000000000/").status_code == 404
