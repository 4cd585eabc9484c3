"""The 智能归并 page: proposals, and confirm / split / reject / join as the campaign's staff."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from oversight.merging import engine
from oversight.merging.models import DecisionKind, GroupDecision
from oversight.problems import actions
from oversight.problems.models import Channel, Kind, Problem, RawReport
from oversight.regions.models import Region

pytestmark = pytest.mark.django_db

FEES = [
    (Channel.SELF_INSPECTION, "部分养老机构预收费用数额较大，未设立专用账户，缺乏有效监管。"),
    (Channel.INSPECTION, "检查组发现有养老机构一次性预收老人两年床位费，未设专用账户。"),
    (Channel.PUBLIC, "养老院预收的钱太多，没有专用账户，万一跑路了老人的钱找谁要？"),
]
OTHERS = [
    (Channel.INSPECTION, "护理员持证上岗率偏低，专业培训不足。"),
    (Channel.DEPUTY, "农村幸福院建成后缺少运营经费，长期闲置。"),
    (Channel.PUBLIC, "社区日间照料中心开放时间短，服务项目单一。"),
    (Channel.INSPECTION, "福彩公益金用于养老服务的比例未达到规定要求。"),
]


def record(
    staff: Any, campaign: Any, rows: list[tuple[str, str]], region: Any = None
) -> list[RawReport]:
    return [
        actions.record_raw_report(
            actor=staff, campaign=campaign, channel=channel, text=text, region=region
        )
        for channel, text in rows
    ]


@pytest.fixture
def reports(staff: Any, campaign: Any) -> dict[str, list[RawReport]]:
    return {
        "fees": record(staff, campaign, FEES, campaign.region),
        "others": record(staff, campaign, OTHERS, campaign.region),
    }


def url(campaign: Any, **query: str) -> str:
    base = reverse("merging:proposals", args=[campaign.slug])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def post_data(
    group: list[RawReport], ticked: list[RawReport], button: str, **extra: Any
) -> dict[str, Any]:
    return {
        "group": [r.pk for r in group],
        "reports": [r.pk for r in ticked],
        button: "1",
        "threshold": "0.05",
        **extra,
    }


def proposed_groups(response: Any) -> list[set[int]]:
    return [{r.pk for r in card["proposal"].reports} for card in response.context["cards"]]


def test_staff_sees_the_group_with_a_prefilled_title(client, staff, campaign, reports):
    client.force_login(staff)
    response = client.get(url(campaign))
    assert response.status_code == 200
    fees = {r.pk for r in reports["fees"]}
    assert proposed_groups(response) == [fees]
    form = response.context["cards"][0]["form"]
    # The self-inspection report is the most formal wording.
    assert form.initial["title"] == FEES[0][1].rstrip("。")
    assert form.initial["region"] == campaign.region.pk
    assert FEES[2][1] in response.content.decode()


def test_each_proposal_says_what_its_reports_have_in_common(
    client, staff, campaign, reports, monkeypatch
):
    client.force_login(staff)
    calls = calls_to(monkeypatch, "shared_topics")
    response = client.get(url(campaign))
    assert response.context["cards"][0]["proposal"].topics[0] == "预收费"
    assert "共同涉及" in response.content.decode()
    # Kept like the groups: the same page again reads no texts.
    assert client.get(url(campaign)).context["cards"][0]["proposal"].topics[0] == "预收费"
    assert len(calls) == 1


def test_the_threshold_moves_the_proposals(client, staff, campaign, reports):
    client.force_login(staff)
    assert proposed_groups(client.get(url(campaign, threshold="0.6"))) == []
    lenient = client.get(url(campaign, threshold="0.02"))
    assert len(proposed_groups(lenient)) >= 1
    bad = client.get(url(campaign, threshold="abc"))
    assert bad.status_code == 200
    assert bad.context["threshold"] == engine.DEFAULT_THRESHOLD


def test_confirm_makes_one_problem_keeping_every_raw_report(client, staff, campaign, reports):
    client.force_login(staff)
    fees = reports["fees"]
    data = post_data(
        fees,
        fees,
        "confirm",
        title="养老机构预收费缺乏监管",
        kind=Kind.COMMON,
        region=campaign.region.pk,
    )
    response = client.post(url(campaign), data)
    assert response.status_code == 302
    problem = Problem.objects.get(campaign=campaign)
    assert problem.title == "养老机构预收费缺乏监管"
    assert set(problem.raw_reports.values_list("pk", flat=True)) == {r.pk for r in fees}
    assert RawReport.objects.filter(campaign=campaign).count() == len(FEES) + len(OTHERS)
    assert proposed_groups(client.get(url(campaign))) == []


def test_confirm_with_unticked_members_merges_only_the_ticked(client, staff, campaign, reports):
    client.force_login(staff)
    fees = reports["fees"]
    data = post_data(
        fees, fees[:2], "confirm", title="预收费", kind=Kind.COMMON, region=campaign.region.pk
    )
    client.post(url(campaign), data)
    problem = Problem.objects.get(campaign=campaign)
    assert problem.raw_reports.count() == 2
    fees[2].refresh_from_db()
    assert fees[2].problem is None


def test_confirm_without_a_title_is_refused_and_stores_nothing(client, staff, campaign, reports):
    client.force_login(staff)
    fees = reports["fees"]
    data = post_data(fees, fees, "confirm", title="", kind=Kind.COMMON, region=campaign.region.pk)
    response = client.post(url(campaign), data, follow=True)
    assert not Problem.objects.exists()
    assert "这个字段是必填项" in response.content.decode() or "必填" in response.content.decode()


def test_split_keeps_the_rest_as_a_group(client, staff, campaign, reports):
    client.force_login(staff)
    fees = reports["fees"]
    client.post(url(campaign), post_data(fees, fees[:2], "split"))
    decision = GroupDecision.objects.get()
    assert decision.kind == DecisionKind.SPLIT
    assert proposed_groups(client.get(url(campaign))) == [{fees[0].pk, fees[1].pk}]


def test_reject_stops_proposing_the_group(client, staff, campaign, reports):
    client.force_login(staff)
    fees = reports["fees"]
    client.post(url(campaign), post_data(fees, fees, "reject"))
    assert GroupDecision.objects.get().kind == DecisionKind.REJECTED
    assert proposed_groups(client.get(url(campaign))) == []
    assert all(r.problem_id is None for r in RawReport.objects.all())


PREPAID = [(Channel.SELF_INSPECTION, "养老机构预收费用未设专用账户，缺乏监管，存在资金风险。")]


def existing_problem(
    staff: Any, campaign: Any, rows: list[tuple[str, str]], title: str, region: Any = None
) -> Problem:
    """A problem already on the list, merged from raw reports of ``rows``."""
    return actions.consolidate(
        actor=staff,
        campaign=campaign,
        reports=record(staff, campaign, rows, region),
        title=title,
        kind=Kind.COMMON,
        region=campaign.region,
    )


def calls_to(monkeypatch: Any, name: str) -> list[tuple[Any, ...]]:
    """The arguments of every call to the engine's function ``name`` from now on."""
    calls: list[tuple[Any, ...]] = []
    real = getattr(engine, name)

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, name, counting)
    return calls


def test_join_adds_the_group_to_the_most_similar_problem(client, staff, campaign, reports):
    client.force_login(staff)
    target = existing_problem(staff, campaign, PREPAID, "预收费监管", campaign.region)
    unrelated = [(Channel.INSPECTION, "老年助餐点食品留样执行不严。")]
    existing_problem(staff, campaign, unrelated, "助餐食品安全")
    card = client.get(url(campaign)).context["cards"][0]
    assert card["proposal"].join_target.pk == target.pk
    assert str(card["proposal"].join_target) == str(target)
    fees = reports["fees"]
    client.post(url(campaign), post_data(fees, fees, "join", target=target.pk))
    assert target.raw_reports.count() == 1 + len(fees)


def test_proposals_are_kept_for_the_same_reports_and_asked_again_for_new_ones(
    client, staff, campaign, reports, monkeypatch
):
    """The engine's answer is keyed by all it reads: a second view reuses it, a new raw
    report (or another threshold) asks the engine again."""
    client.force_login(staff)
    calls = calls_to(monkeypatch, "propose_groups")
    first = proposed_groups(client.get(url(campaign)))
    assert proposed_groups(client.get(url(campaign))) == first
    assert [len(args[0]) for args in calls] == [len(FEES) + len(OTHERS)]
    record(staff, campaign, FEES[:1], campaign.region)
    grown = proposed_groups(client.get(url(campaign)))
    assert [len(args[0]) for args in calls] == [
        len(FEES) + len(OTHERS),
        len(FEES) + len(OTHERS) + 1,
    ]
    assert len(grown[0]) == len(first[0]) + 1  # the new report joins the fees group
    client.get(url(campaign, threshold="0.3"))
    assert len(calls) == 3


def test_join_suggestions_are_kept_until_a_problem_of_the_campaign_changes(
    client, staff, campaign, reports, monkeypatch
):
    """Comparing with every problem is the page's largest cost: a second view reuses the
    answer, and a new problem (any change moves the figures version) asks again."""
    client.force_login(staff)
    compared = calls_to(monkeypatch, "closest")
    first = existing_problem(staff, campaign, PREPAID, "预收费监管", campaign.region)
    assert client.get(url(campaign)).context["cards"][0]["proposal"].join_target.pk == first.pk
    assert client.get(url(campaign)).context["cards"][0]["proposal"].join_target.pk == first.pk
    assert len(compared) == 1
    # A closer problem appears: the next view compares again and suggests it.
    second = existing_problem(staff, campaign, FEES[1:2], "预收两年床位费", campaign.region)
    card = client.get(url(campaign)).context["cards"][0]
    assert len(compared) == 2
    assert card["proposal"].join_target.pk == second.pk


def test_a_merged_report_cannot_be_merged_again(client, staff, campaign, reports):
    client.force_login(staff)
    fees = reports["fees"]
    data = post_data(
        fees, fees, "confirm", title="预收费", kind=Kind.COMMON, region=campaign.region.pk
    )
    client.post(url(campaign), data)
    response = client.post(url(campaign), data, follow=True)
    assert Problem.objects.count() == 1
    assert "已归并" in response.content.decode()


def test_reports_of_different_counties_are_not_proposed_together(client, staff, campaign):
    client.force_login(staff)
    text = "敬老院消防设施配备不全，安全出口被杂物堵塞。"
    record(staff, campaign, [(Channel.INSPECTION, text)], Region.objects.get(code="411729"))
    record(staff, campaign, [(Channel.INSPECTION, text)], Region.objects.get(code="411727"))
    record(staff, campaign, OTHERS, campaign.region)
    assert proposed_groups(client.get(url(campaign))) == []


def test_the_intake_page_links_to_the_proposals(client, staff, campaign, reports):
    client.force_login(staff)
    response = client.get(reverse("problems:intake", args=[campaign.slug]))
    assert url(campaign) in response.content.decode()


@pytest.mark.parametrize("who", ["member", "liaison_a", "county_user", "outsider"])
def test_others_can_neither_see_nor_act(client, request, who, campaign, reports):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url(campaign)).status_code in (403, 404)
    fees = reports["fees"]
    response = client.post(url(campaign), post_data(fees, fees, "reject"))
    assert response.status_code in (403, 404)
    data = post_data(fees, fees, "confirm", title="x", kind=Kind.COMMON, region=campaign.region.pk)
    assert client.post(url(campaign), data).status_code in (403, 404)
    assert not GroupDecision.objects.exists()
    assert not Problem.objects.exists()


def test_anonymous_is_sent_to_log_in(client, campaign, reports):
    response = client.get(url(campaign))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_reports_of_another_campaign_are_ignored(client, staff, outsider, campaign, reports):
    """A crafted post naming another campaign's reports touches nothing of them."""
    client.force_login(staff)
    fees = reports["fees"]
    foreign = RawReport.objects.create(
        campaign=type(campaign).objects.create(
            slug="other",
            name="其他",
            topic=campaign.topic,
            congress=campaign.congress,
            region=campaign.region,
            starts_on=campaign.starts_on,
            ends_on=campaign.ends_on,
        ),
        channel=Channel.PUBLIC,
        text="预收费",
    )
    data = post_data([*fees, foreign], [*fees, foreign], "reject")
    client.post(url(campaign), data)
    decision = GroupDecision.objects.get()
    assert foreign not in decision.members.all()


COUNTIES = ["411702", "411721", "411722", "411723", "411724", "411725", "411726", "411727"]


def test_the_page_reads_a_bounded_number_of_queries(
    client, staff, campaign, reports, django_assert_max_num_queries
):
    """More groups than a page holds (the same complaint in each county): queries do not
    grow with the groups shown."""
    client.force_login(staff)
    for code in [*COUNTIES, "411728", "411729", "411700"]:
        record(staff, campaign, FEES[:2], Region.objects.get(code=code))
    with django_assert_max_num_queries(40):
        response = client.get(url(campaign))
    assert len(response.context["cards"]) == 10
    assert response.context["page"].paginator.count == 11
