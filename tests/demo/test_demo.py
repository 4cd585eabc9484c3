"""The demo data reproduces the bulletins' figures through the real code."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from oversight.campaigns.models import Campaign
from oversight.problems.models import Channel, Problem, RawReport, RectificationType, Status


@pytest.fixture
def demo(db):
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    return out.getvalue()


def stats(slug):
    out = StringIO()
    call_command("stats", slug, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_zhumadian_figures_match_the_bulletin(demo):
    figures = stats("zhumadian-2024")
    assert (figures["problems"], figures["completed"]) == (43, 34)
    assert figures["by_level"]["city"] == {
        "problems": 29,
        "completed": 23,
        "completion_rate": 0.793,
    }
    assert figures["by_level"]["county"] == {
        "problems": 14,
        "completed": 11,
        "completion_rate": 0.786,
    }
    assert len(figures["by_department"]) == 11
    assert len(figures["by_congress"]) == 10


def test_zhumadian_raw_reports_by_channel_are_all_merged(demo):
    raw = RawReport.objects.filter(campaign__slug="zhumadian-2024")
    counts = {channel: raw.filter(channel=channel).count() for channel in Channel.values}
    assert counts == {
        Channel.SELF_INSPECTION: 68,
        Channel.INSPECTION: 92,
        Channel.DEPUTY: 26,
        Channel.PUBLIC: 17,
        Channel.UPPER_LEVEL: 0,
    }
    assert not raw.filter(problem__isnull=True).exists()


def test_zhumadian_ledger_by_rectification_type(demo):
    city = Problem.objects.filter(
        campaign__slug="zhumadian-2024", assignment__assignee__kind="department"
    )
    assert (
        city.filter(rectification_type=RectificationType.IMMEDIATE, status=Status.COMPLETED).count()
        == 23
    )
    assert city.filter(rectification_type=RectificationType.ONGOING).count() == 2
    assert city.filter(rectification_type=RectificationType.TOP_LEVEL).count() == 4


def test_hebi_has_26_problems_in_7_areas_across_12_departments(demo):
    figures = stats("hebi-2024")
    problems = Problem.objects.filter(campaign__slug="hebi-2024")
    assert figures["problems"] == 26
    assert problems.values("area").distinct().count() == 7
    assert len(figures["by_department"]) == 12


def test_demo_is_marked_illustrative_and_loads_once(demo):
    assert "已载入" in demo
    assert all(Campaign.objects.values_list("is_illustrative", flat=True))
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    assert "此前已载入" in out.getvalue()
    # Zhumadian's own list stays 43; the province's 3 are there too, as linked problems.
    zhumadian = Problem.objects.filter(campaign__slug="zhumadian-2024")
    assert zhumadian.filter(upper__isnull=True).count() == 43
    assert zhumadian.filter(upper__campaign__slug="henan-2024").count() == 3


def test_demo_history_is_replayed_with_dates(demo):
    problem = Problem.objects.filter(
        campaign__slug="zhumadian-2024", status=Status.COMPLETED
    ).first()
    kinds = list(problem.events.values_list("kind", flat=True))
    assert kinds[:3] == ["created", "merged", "assigned"]
    assert kinds[-2:] == ["claimed", "accepted"]
    assert problem.completed_at.year == 2024


def test_stats_for_an_unknown_campaign_names_the_known_ones(demo):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="hebi-2024"):
        call_command("stats", "nowhere-2024", "--json")


def test_demo_dashboard_shows_the_bulletin_rates(demo, client):
    signed_in = client.post("/accounts/login/", {"username": "zmd-staff", "password": "demo2024"})
    assert signed_in.status_code == 302
    response = client.get("/campaigns/zhumadian-2024/")
    page = response.content.decode()
    assert "79.3%" in page and "78.6%" in page
    chart = response.context["chart"]
    rates = dict(zip(chart["labels"], chart["rates"], strict=True))
    assert len(rates) == 21  # 11 city departments and 10 county congresses
    assert rates["驻马店市民政局"] == 87.5  # 7 of 8
    assert 'id="completion-chart-data"' in page
