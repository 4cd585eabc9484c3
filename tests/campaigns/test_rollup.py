"""Roll-up: each campaign's own figures, the campaigns below it, and what the level above
assigned to it, on the dashboard and in ``oversight stats --json``."""

import datetime
import json
from io import StringIO

from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oversight.campaigns.models import Campaign
from oversight.organisations.models import Organisation
from oversight.problems import actions
from oversight.problems.models import Channel, Problem, Status
from oversight.regions.models import Region
from tests.conftest import org
from tests.linking import *  # noqa: F403
from tests.linking import RUNAN, XIPING, ZHUMADIAN, deadline, report_in_writing


def stats(slug):
    out = StringIO()
    call_command("stats", slug, "--json", stdout=out)
    return json.loads(out.getvalue())


def build_three_levels(
    province, province_staff, staff, county_user, sibling_county_user, make_problem
):
    """Province → 驻马店 (2 problems, 1 accepted) ; 驻马店's own 3 (1 done) of which 汝南 has 2
    (1 accepted) and 西平 1 (open)."""
    for index in range(2):
        report = actions.record_raw_report(
            actor=province_staff, campaign=province, channel=Channel.INSPECTION, text=f"省{index}"
        )
        top = actions.consolidate(
            actor=province_staff,
            campaign=province,
            reports=[report],
            title=f"省交办{index}",
            kind="common",
            region=province.region,
        )
        actions.assign(
            actor=province_staff,
            problem=top,
            assignee=org(ZHUMADIAN, "congress"),
            deadline=deadline(),
        )
        if index == 0:
            report_in_writing(staff, top)
            actions.accept_completion(actor=province_staff, problem=top)
    runan_done = make_problem(Status.ASSIGNED, assignee=org(RUNAN, "congress"), title="汝南一")
    make_problem(Status.ASSIGNED, assignee=org(RUNAN, "congress"), title="汝南二")
    make_problem(Status.ASSIGNED, assignee=org(XIPING, "congress"), title="西平一")
    report_in_writing(county_user, runan_done)
    actions.accept_completion(actor=staff, problem=runan_done)


def test_figures_at_each_level(
    client,
    province,
    province_staff,
    staff,
    county_user,
    sibling_county_user,
    campaign,
    make_problem,
):
    build_three_levels(
        province, province_staff, staff, county_user, sibling_county_user, make_problem
    )
    top = stats(province.slug)
    assert (top["problems"], top["completed"], top["from_parent"]) == (
        2,
        1,
        {"problems": 0, "completed": 0},
    )
    assert [c["slug"] for c in top["children"]] == [campaign.slug]
    (city,) = top["children"]
    assert city["region"] == ZHUMADIAN
    assert (city["problems"], city["completed"], city["completion_rate"]) == (3, 1, 0.333)
    assert city["from_parent"] == {"problems": 2, "completed": 1}

    middle = stats(campaign.slug)
    assert (middle["problems"], middle["completed"]) == (3, 1)  # the province's 2 apart
    assert middle["from_parent"] == {"problems": 2, "completed": 1}
    assert middle["by_level"]["county"] == {"problems": 3, "completed": 1, "completion_rate": 0.333}
    counties = {c["region"]: c for c in middle["children"]}
    assert set(counties) == {RUNAN, XIPING}
    assert counties[RUNAN]["from_parent"] == {"problems": 2, "completed": 1}
    assert counties[XIPING]["from_parent"] == {"problems": 1, "completed": 0}
    assert counties[RUNAN]["problems"] == 0 and counties[RUNAN]["overdue"] == 0
    assert sum(c["from_parent"]["problems"] for c in middle["children"]) == 3

    runan = Campaign.objects.get(parent=campaign, region__code=RUNAN)
    bottom = stats(runan.slug)
    assert bottom["from_parent"] == {"problems": 2, "completed": 1}
    assert bottom["children"] == []

    # The same figures on the dashboards.
    client.force_login(province_staff)
    response = client.get(reverse("campaigns:dashboard", args=[province.slug]))
    (row,) = response.context["children"]
    assert (row.own.problems, row.own.completed, row.from_parent.problems) == (3, 1, 2)
    page = response.content.decode()
    assert 'data-testid="children-table"' in page and "33.3%" in page
    assert 'id="children-chart-data"' in page
    chart = response.context["children_chart"]
    assert chart["labels"] == [campaign.name] and chart["rates"] == [33.3]
    assert chart["from_parent"] == [50.0]
    client.force_login(staff)
    page = client.get(reverse("campaigns:dashboard", args=[campaign.slug])).content.decode()
    assert 'data-testid="from-parent"' in page and "50.0%" in page


def test_children_table_sorts_on_the_server(client, staff, county_user, campaign, make_problem):
    done = make_problem(Status.ASSIGNED, assignee=org(RUNAN, "congress"), title="汝南")
    make_problem(Status.ASSIGNED, assignee=org(XIPING, "congress"), title="西平一")
    make_problem(Status.ASSIGNED, assignee=org(XIPING, "congress"), title="西平二")
    report_in_writing(county_user, done)
    actions.accept_completion(actor=staff, problem=done)
    client.force_login(staff)
    url = reverse("campaigns:dashboard", args=[campaign.slug])

    def order(sort):
        response = client.get(url, {"sort": sort})
        return [c.campaign.region.code for c in response.context["children"]]

    assert order("-from_parent") == [XIPING, RUNAN]
    assert order("from_parent") == [RUNAN, XIPING]
    assert order("-from_parent_completed") == [RUNAN, XIPING]
    assert order("nonsense") == order("") and len(order("")) == 2
    page = client.get(url, {"sort": "-from_parent"}).content.decode()
    assert 'aria-sort="descending"' in page
    assert "sort=from_parent" in page  # a second click sorts the other way


def test_organisation_table_sorts_on_the_server(client, staff, campaign, make_problem):
    make_problem(Status.COMPLETED, assignee=org("411700", "minzheng"))
    make_problem(Status.ASSIGNED, assignee=org("411700", "weijian"))
    make_problem(Status.ASSIGNED, assignee=org("411700", "weijian"))
    client.force_login(staff)
    url = reverse("campaigns:dashboard", args=[campaign.slug])

    def names(query):
        return [group.label for group in client.get(url, query).context["departments"]]

    assert names({"org_sort": "-problems"}) == ["驻马店市卫生健康委员会", "驻马店市民政局"]
    assert names({"org_sort": "-rate"}) == ["驻马店市民政局", "驻马店市卫生健康委员会"]
    assert names({"org_sort": "rate"}) == ["驻马店市卫生健康委员会", "驻马店市民政局"]


def add_children(campaign, count):
    """``count`` county-level campaigns below ``campaign``, each with problems of its own
    and one linked from above: written in bulk, the test is about reading."""
    regions = list(Region.objects.filter(parent=campaign.region).order_by("code"))
    congresses = {o.region_id: o for o in Organisation.objects.filter(code="congress")}
    start = Campaign.objects.filter(parent=campaign).count()
    children = Campaign.objects.bulk_create(
        Campaign(
            slug=f"child-{start + i}",
            name=f"下级{start + i}",
            topic=campaign.topic,
            congress=congresses[regions[i % len(regions)].pk],
            region=regions[i % len(regions)],
            starts_on=campaign.starts_on,
            ends_on=campaign.ends_on,
            parent=campaign,
        )
        for i in range(count)
    )
    upper = Problem.objects.filter(campaign=campaign).first()
    Problem.objects.bulk_create(
        Problem(
            campaign=child,
            number=n,
            title="下级问题",
            kind="common",
            region=child.region,
            status=Status.COMPLETED if n == 1 else Status.PENDING,
            completed_at=datetime.datetime.now(tz=datetime.UTC) if n == 1 else None,
            upper=upper if n == 3 else None,
        )
        for child in children
        for n in (1, 2, 3)
    )


def test_dashboard_queries_do_not_grow_with_child_campaigns(
    client, province, province_staff, staff, campaign, make_problem
):
    make_problem(Status.ASSIGNED, assignee=org(RUNAN, "congress"))
    for user, target in ((staff, campaign), (province_staff, province), (province_staff, campaign)):
        client.force_login(user)
        url = reverse("campaigns:dashboard", args=[target.slug])
        add_children(campaign, 10)
        cache.clear()  # both counts with the figures computed, not read from the cache
        with CaptureQueriesContext(connection) as small:
            response = client.get(url, {"sort": "-rate"})
        assert response.status_code == 200
        add_children(campaign, 90)
        cache.clear()
        with CaptureQueriesContext(connection) as large:
            response = client.get(url, {"sort": "-rate"})
        if target == campaign:
            assert len(response.context["children"]) >= 100
        assert len(large) == len(small) <= 25, (target.slug, len(small), len(large))


def test_county_user_campaign_list_shows_its_campaign(client, county_user, campaign, make_problem):
    client.force_login(county_user)
    assert "汝南县联动监督" not in client.get(reverse("campaigns:list")).content.decode()
    make_problem(Status.ASSIGNED, assignee=org(RUNAN, "congress"))
    listed = client.get(reverse("campaigns:list")).content.decode()
    assert "汝南县联动监督" in listed and campaign.name in listed  # its parent, named
    assert campaign.slug not in listed.replace(f"{campaign.slug}-{RUNAN}", "")
