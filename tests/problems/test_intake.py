"""Raw reports are merged into the problem list and never lost."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from oversight.problems import actions
from oversight.problems.models import Channel, Problem, RawReport, Status
from tests.conftest import merge


def record(staff, campaign, channel, text):
    return actions.record_raw_report(actor=staff, campaign=campaign, channel=channel, text=text)


def test_merge_creates_a_problem_linked_to_every_raw_report(client, staff, campaign):
    a = record(staff, campaign, Channel.SELF_INSPECTION, "助餐点运营补贴不到位")
    b = record(staff, campaign, Channel.DEPUTY, "代表：助餐点开了又关")
    c = record(staff, campaign, Channel.PUBLIC, "问卷：附近没有老年食堂")
    client.force_login(staff)
    response = client.post(
        reverse("problems:intake", args=[campaign.slug]),
        {
            "merge": "1",
            "reports": [a.pk, b.pk],
            "title": "老年助餐点运营难以为继",
            "kind": "common",
            "region": campaign.region_id,
        },
    )
    problem = Problem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("problems:detail", args=[problem.pk])
    assert problem.status == Status.PENDING and problem.number == 1
    assert set(problem.raw_reports.values_list("pk", flat=True)) == {a.pk, b.pk}
    assert RawReport.objects.get(pk=c.pk).problem is None

    # The remaining duplicate joins the existing problem instead of making a new one.
    client.post(
        reverse("problems:intake", args=[campaign.slug]),
        {"merge": "1", "reports": [c.pk], "target": problem.pk},
    )
    assert Problem.objects.count() == 1
    assert problem.raw_reports.count() == 3
    assert problem.events.filter(kind="merged").count() == 2


def test_a_raw_report_cannot_be_merged_twice(staff, campaign):
    report = record(staff, campaign, Channel.INSPECTION, "消防通道堵塞")
    problem = merge(staff, campaign, [report], "消防隐患", "individual")
    with pytest.raises(ValidationError, match="已归并"):
        merge(staff, campaign, [report], "重复", "common")
    assert RawReport.objects.get(pk=report.pk).problem == problem
    assert Problem.objects.count() == 1


def test_a_problem_holding_raw_reports_cannot_be_deleted(staff, campaign):
    from django.db.models import ProtectedError

    report = record(staff, campaign, Channel.INSPECTION, "床位空置")
    problem = merge(staff, campaign, [report], "床位空置率高", "common")
    with pytest.raises(ProtectedError):
        problem.delete()
    assert RawReport.objects.filter(pk=report.pk).exists()


def test_new_problem_needs_title_kind_and_region(client, staff, campaign):
    report = record(staff, campaign, Channel.INSPECTION, "缺少适老化改造")
    client.force_login(staff)
    response = client.post(
        reverse("problems:intake", args=[campaign.slug]), {"merge": "1", "reports": [report.pk]}
    )
    assert response.status_code == 400
    assert "新建问题时此项必填" in response.content.decode()
    assert Problem.objects.count() == 0


def test_problem_numbers_run_on_within_the_campaign(make_problem):
    numbers = [make_problem().number for _ in range(3)]
    assert numbers == [1, 2, 3]


def test_a_merge_racing_another_is_refused_whole(staff, campaign):
    """Two people merge the same report: the second, holding a stale copy, is refused."""
    first = record(staff, campaign, Channel.INSPECTION, "助餐点关停")
    second = record(staff, campaign, Channel.PUBLIC, "助餐点关停了")
    stale = list(RawReport.objects.filter(pk__in=[first.pk, second.pk]))
    winner = merge(staff, campaign, [first], "助餐点关停", "common")
    with pytest.raises(ValidationError, match="已被归并"):
        merge(staff, campaign, stale, "重复", "common")
    assert list(winner.raw_reports.all()) == [first]
    assert RawReport.objects.get(pk=second.pk).problem is None
    assert Problem.objects.count() == 1


def test_refused_merge_keeps_the_ticked_reports(client, staff, campaign):
    report = record(staff, campaign, Channel.INSPECTION, "缺少适老化改造")
    client.force_login(staff)
    response = client.post(
        reverse("problems:intake", args=[campaign.slug]), {"merge": "1", "reports": [report.pk]}
    )
    assert f'value="{report.pk}" id="raw-{report.pk}"' in response.content.decode()
    assert "checked" in response.content.decode().split(f'id="raw-{report.pk}"')[1][:80]


def test_raw_report_region_must_be_within_the_campaign(staff, campaign):
    from oversight.regions.models import Region

    with pytest.raises(ValidationError, match="涉及地区须在本次监督的行政区划内"):
        actions.record_raw_report(
            actor=staff,
            campaign=campaign,
            channel=Channel.PUBLIC,
            text="鹤壁的事",
            region=Region.objects.get(code="410611"),
        )
    assert RawReport.objects.count() == 0


def test_intake_lists_unmerged_reports_page_by_page(client, staff, campaign):
    for index in range(105):
        record(staff, campaign, Channel.PUBLIC, f"问卷反映第{index:03d}条")
    client.force_login(staff)
    url = reverse("problems:intake", args=[campaign.slug])
    first = client.get(url).content.decode()
    assert "待归并原始问题 105 条" in first
    assert "问卷反映第000条" in first and "问卷反映第104条" not in first
    assert "问卷反映第104条" in client.get(url, {"page": 2}).content.decode()


def test_the_join_picker_renders_no_list_of_every_problem(client, staff, campaign, make_problem):
    for index in range(30):
        make_problem(title=f"已有问题{index:02d}")
    client.force_login(staff)
    page = client.get(reverse("problems:intake", args=[campaign.slug])).content.decode()
    assert "已有问题00" not in page and "<option" not in page.split('id="id_target"')[1][:500]
    assert reverse("problems:lookup", args=[campaign.slug]) in page


def test_the_picker_finds_problems_as_the_user_types(client, staff, campaign, make_problem):
    wanted = make_problem(title="社区食堂运营困难")
    make_problem(title="养老机构消防不达标")
    client.force_login(staff)
    url = reverse("problems:lookup", args=[campaign.slug])
    found = client.get(url, {"target_search": "食堂"}).content.decode()
    assert f'value="{wanted.pk}"' in found and "消防" not in found
    by_number = client.get(url, {"target_search": str(wanted.number)}).content.decode()
    assert f'value="{wanted.pk}"' in by_number
    assert "没有找到符合的问题" in client.get(url, {"target_search": "无此问题"}).content.decode()


def test_the_picker_keeps_the_chosen_problem_after_a_refusal(client, staff, campaign, make_problem):
    target = make_problem(title="社区食堂运营困难")
    client.force_login(staff)
    response = client.post(
        reverse("problems:intake", args=[campaign.slug]),
        {"merge": "1", "target": target.pk},  # no reports ticked: refused
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f'value="{target.pk}" id="target-{target.pk}" checked' in page


def test_only_the_campaigns_staff_may_look_up(client, liaison_a, outsider, campaign, make_problem):
    make_problem(title="社区食堂运营困难")
    url = reverse("problems:lookup", args=[campaign.slug])
    for user in (liaison_a, outsider):
        client.force_login(user)
        response = client.get(url, {"target_search": "食堂"})
        assert response.status_code == 404 and "食堂" not in response.content.decode()
