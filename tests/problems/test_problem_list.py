"""The problem list's filters, search, sorting and the htmx partial."""

import pytest
from django.urls import reverse

from oversight.problems.models import Channel, Kind, Status
from tests.conftest import org


@pytest.fixture
def listed(make_problem):
    return {
        "fire": make_problem(Status.ASSIGNED, title="消防设施老化", channel=Channel.INSPECTION),
        "meal": make_problem(
            Status.COMPLETED,
            title="助餐点覆盖不足",
            channel=Channel.PUBLIC,
            assignee=org("411700", "weijian"),
            kind=Kind.MACRO,
        ),
        "runan": make_problem(
            Status.IN_PROGRESS,
            title="汝南县敬老院床位闲置",
            channel=Channel.DEPUTY,
            assignee=org("411727", "congress"),
            region=org("411727", "congress").region,
        ),
        "pending": make_problem(Status.PENDING, title="待交办的问题"),
    }


def titles(client, campaign, **params):
    response = client.get(reverse("problems:list", args=[campaign.slug]), params)
    assert response.status_code == 200
    page = response.content.decode()
    return {
        t
        for t in ("消防设施老化", "助餐点覆盖不足", "汝南县敬老院床位闲置", "待交办的问题")
        if t in page
    }


def test_filters(client, staff, campaign, listed):
    client.force_login(staff)
    assert len(titles(client, campaign)) == 4
    assert titles(client, campaign, status="completed") == {"助餐点覆盖不足"}
    assert titles(client, campaign, kind="macro") == {"助餐点覆盖不足"}
    assert titles(client, campaign, channel="deputy") == {"汝南县敬老院床位闲置"}
    assert titles(client, campaign, assignee=org("411700", "minzheng").pk) == {"消防设施老化"}
    assert titles(client, campaign, region=listed["runan"].region_id) == {"汝南县敬老院床位闲置"}
    assert titles(client, campaign, q="助餐") == {"助餐点覆盖不足"}
    assert titles(client, campaign, q=str(listed["fire"].number)) == {"消防设施老化"}
    assert titles(client, campaign, q="²") == set()  # a digit to Unicode, not a number


def test_sorting(client, staff, campaign, listed):
    client.force_login(staff)
    url = reverse("problems:list", args=[campaign.slug])
    body = client.get(url, {"sort": "-number"}).content.decode()
    assert body.index("待交办的问题") < body.index("消防设施老化")
    body = client.get(url, {"sort": "status"}).content.decode()
    order = ["消防设施老化", "助餐点覆盖不足", "汝南县敬老院床位闲置", "待交办的问题"]
    assert [body.index(title) for title in order] == sorted(body.index(t) for t in order)


def test_htmx_request_gets_only_the_table(client, staff, campaign, listed):
    client.force_login(staff)
    response = client.get(
        reverse("problems:list", args=[campaign.slug]),
        {"status": "assigned"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert "<html" not in body
    assert "消防设施老化" in body and "助餐点覆盖不足" not in body


def test_back_button_gets_the_whole_page(client, staff, campaign, listed):
    client.force_login(staff)
    response = client.get(
        reverse("problems:list", args=[campaign.slug]),
        HTTP_HX_REQUEST="true",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )
    assert "<html" in response.content.decode()
    assert "HX-Request" in response["Vary"]


def test_overdue_filter(client, staff, campaign, listed):
    from oversight.problems.models import Assignment

    Assignment.objects.filter(problem=listed["fire"]).update(deadline="2020-01-01")
    Assignment.objects.filter(problem=listed["meal"]).update(deadline="2020-01-01")
    client.force_login(staff)
    # The completed one is not overdue, however old its deadline.
    assert titles(client, campaign, overdue="true") == {"消防设施老化"}


def test_a_bad_filter_is_explained_not_ignored(client, staff, campaign, listed):
    client.force_login(staff)
    response = client.get(reverse("problems:list", args=[campaign.slug]), {"status": "bogus"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "筛选条件有误" in page and "状态" in page


def test_a_bad_filter_is_explained_in_the_htmx_update_too(client, staff, campaign, listed):
    client.force_login(staff)
    response = client.get(
        reverse("problems:list", args=[campaign.slug]), {"region": "abc"}, HTTP_HX_REQUEST="true"
    )
    # 200, not 400: htmx swaps no error response, and the stale table must be replaced.
    assert response.status_code == 200
    assert "筛选条件有误" in response.content.decode()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("床位", {"汝南县敬老院床位闲置", "待交办的问题"}),  # two characters, one in a description
        ("消防设施", {"消防设施老化"}),  # three or more: the trigram path
        ("消", {"消防设施老化"}),  # one character: a plain scan
        ("ab", {"待交办的问题"}),  # letters match whatever their case
        ("老化了", set()),
    ],
)
def test_search_by_any_length_of_term(listed, campaign, text, expected):
    listed["pending"].description = "AB类床位统计有误"
    listed["pending"].save(update_fields=["description"])
    found = campaign.problems.search(text).values_list("title", flat=True)
    assert set(found) == expected
