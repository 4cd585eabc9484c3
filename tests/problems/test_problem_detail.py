"""The problem page: its timeline, and a query count that does not grow with its history."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from oversight.problems import actions
from oversight.problems.models import Status

BUDGET = 20


def photo(name):
    return SimpleUploadedFile(name, b"\x89PNG\r\n\x1a\n", content_type="image/png")


@pytest.mark.parametrize("reports", [1, 25])
def test_detail_query_budget(
    client, liaison_a, make_problem, django_assert_max_num_queries, reports
):
    problem = make_problem(Status.IN_PROGRESS)
    for index in range(reports):
        actions.report_progress(
            actor=liaison_a,
            problem=problem,
            text=f"第{index}次进展",
            evidence=[photo(f"{index}.png")],
        )
    client.force_login(liaison_a)
    with django_assert_max_num_queries(BUDGET):
        response = client.get(reverse("problems:detail", args=[problem.pk]))
    page = response.content.decode()
    assert f"第{reports - 1}次进展" in page
    assert f"{reports - 1}.png" in page


def test_timeline_shows_who_did_what_in_the_readers_language(client, staff, make_problem):
    problem = make_problem(Status.ASSIGNED)
    client.force_login(staff)
    page = client.get(reverse("problems:detail", args=[problem.pk])).content.decode()
    assert "归并原始问题 1 条" in page
    assert "交办给驻马店市民政局" in page

    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("problems:detail", args=[problem.pk])).content.decode()
    assert "Merged 1 raw report" in page
    assert "归并原始问题" not in page
