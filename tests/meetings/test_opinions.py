"""Deliberation opinions: each item is answered by its responsible organisation and followed
until the committee closes it; overdue has one definition."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from oversight.meetings import actions
from oversight.meetings.models import ItemStatus, OpinionItem, ResponseEvidence
from tests.conftest import org

from .conftest import HTML, PDF

pytestmark = pytest.mark.django_db


def add_item(staff, opinion, code="minzheng", days=30, text="意见事项"):
    return actions.add_opinion_item(
        actor=staff,
        opinion=opinion,
        text=text,
        responsible=org("411700", code),
        deadline=timezone.localdate() + datetime.timedelta(days=days),
    )


def test_items_are_numbered_in_order(staff, opinion):
    first = add_item(staff, opinion, text="第一项")
    second = add_item(staff, opinion, "weijian", text="第二项")
    assert (first.number, second.number) == (1, 2)
    assert first.status == ItemStatus.OPEN
    assert list(first.events.values_list("kind", "to_status")) == [("created", "open")]


def test_responsible_must_be_a_department_or_lower_congress(staff, opinion):
    with pytest.raises(ValidationError) as refused:
        actions.add_opinion_item(
            actor=staff,
            opinion=opinion,
            text="x",
            responsible=org("411700", "congress"),
            deadline=datetime.date(2024, 9, 30),
        )
    assert "responsible" in refused.value.error_dict
    with pytest.raises(ValidationError):
        actions.add_opinion_item(
            actor=staff,
            opinion=opinion,
            text="x",
            responsible=org("410600", "minzheng"),
            deadline=datetime.date(2024, 9, 30),
        )
    assert not OpinionItem.objects.exists()


def test_lifecycle_answer_return_answer_close(staff, liaison_a, item_a):
    actions.answer_item(actor=liaison_a, item=item_a, text="已发布清单")
    assert item_a.status == ItemStatus.ANSWERED
    with pytest.raises(ValidationError):
        actions.answer_item(actor=liaison_a, item=item_a, text="再答一次")
    actions.close_item(actor=staff, item=item_a)
    item_a.refresh_from_db()
    assert item_a.status == ItemStatus.CLOSED and item_a.closed_at is not None
    kinds = list(item_a.events.values_list("kind", "from_status", "to_status"))
    assert kinds == [
        ("created", "", "open"),
        ("answered", "open", "answered"),
        ("closed", "answered", "closed"),
    ]


def test_return_reopens_with_reason_then_answer_again(staff, liaison_a, item_a):
    actions.answer_item(actor=liaison_a, item=item_a, text="已制定办法")
    with pytest.raises(ValidationError):
        actions.return_item(actor=staff, item=item_a, reason="  ")
    actions.return_item(actor=staff, item=item_a, reason="未说明资金到位情况")
    item_a.refresh_from_db()
    assert item_a.status == ItemStatus.OPEN
    returned = item_a.events.get(kind="returned")
    assert returned.note == "未说明资金到位情况"
    actions.answer_item(actor=liaison_a, item=item_a, text="补充资金情况")
    actions.close_item(actor=staff, item=item_a, note="同意销号")
    assert item_a.responses.count() == 2
    assert item_a.events.count() == 5


def test_open_item_cannot_be_closed_and_closed_item_not_reopened(staff, liaison_a, item_a):
    with pytest.raises(ValidationError):
        actions.close_item(actor=staff, item=item_a)
    actions.answer_item(actor=liaison_a, item=item_a, text="已办理")
    actions.close_item(actor=staff, item=item_a)
    with pytest.raises(ValidationError):
        actions.return_item(actor=staff, item=item_a, reason="再看看")
    item_a.refresh_from_db()
    assert item_a.status == ItemStatus.CLOSED


def test_only_the_responsible_organisation_answers(staff, member, liaison_b, item_a):
    for actor in (liaison_b, member, staff):
        with pytest.raises(PermissionDenied):
            actions.answer_item(actor=actor, item=item_a, text="越权答复")
    item_a.refresh_from_db()
    assert item_a.status == ItemStatus.OPEN and not item_a.responses.exists()


def test_only_the_campaign_staff_review(member, liaison_a, item_a):
    actions.answer_item(actor=liaison_a, item=item_a, text="已办理")
    for actor in (member, liaison_a):
        with pytest.raises(PermissionDenied):
            actions.close_item(actor=actor, item=item_a)
    item_a.refresh_from_db()
    assert item_a.status == ItemStatus.ANSWERED


def test_overdue_is_past_deadline_while_open(staff, liaison_a, opinion):
    late = add_item(staff, opinion, days=0, text="逾期事项")
    OpinionItem.objects.filter(pk=late.pk).update(deadline=datetime.date(2024, 9, 30))
    answered_late = add_item(staff, opinion, days=0, text="答复后逾期")
    OpinionItem.objects.filter(pk=answered_late.pk).update(deadline=datetime.date(2024, 9, 30))
    actions.answer_item(actor=liaison_a, item=answered_late, text="已答复")
    on_time = add_item(staff, opinion, days=10, text="未到期")
    overdue = OpinionItem.objects.overdue()
    assert list(overdue) == [late]
    assert OpinionItem.objects.get(pk=late.pk).is_overdue
    assert not OpinionItem.objects.get(pk=answered_late.pk).is_overdue
    assert not on_time.is_overdue
    # Tomorrow's view of a deadline that is today: not yet overdue today.
    assert not OpinionItem.objects.overdue(datetime.date(2024, 9, 30)).exists()


def test_answer_with_evidence_refused_by_content_leaves_item_open(liaison_a, item_a):
    with pytest.raises(ValidationError):
        actions.answer_item(
            actor=liaison_a,
            item=item_a,
            text="见附件",
            evidence=[SimpleUploadedFile("报告.pdf", HTML)],
        )
    item_a.refresh_from_db()
    assert item_a.status == ItemStatus.OPEN
    assert not item_a.responses.exists() and not ResponseEvidence.objects.exists()


def test_liaison_answers_through_the_page_and_downloads_evidence(client, liaison_a, item_a):
    client.force_login(liaison_a)
    page = client.get(reverse("meetings:item", args=[item_a.pk]))
    assert reverse("meetings:answer", args=[item_a.pk]) in page.content.decode()
    response = client.post(
        reverse("meetings:answer", args=[item_a.pk]),
        {"text": "已发布清单", "evidence": [SimpleUploadedFile("清单.pdf", PDF)]},
    )
    assert response.status_code == 302
    item_a.refresh_from_db()
    assert item_a.status == ItemStatus.ANSWERED
    evidence = ResponseEvidence.objects.get()
    download = client.get(reverse("meetings:evidence", args=[evidence.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Content-Type"] == "application/pdf"


def test_staff_reviews_through_the_page(client, staff, liaison_a, item_a):
    actions.answer_item(actor=liaison_a, item=item_a, text="已办理")
    client.force_login(staff)
    refused = client.post(
        reverse("meetings:review", args=[item_a.pk]), {"decision": "return", "note": ""}
    )
    assert refused.status_code == 400
    assert "退回时请说明理由" in refused.content.decode()
    client.post(reverse("meetings:review", args=[item_a.pk]), {"decision": "close", "note": ""})
    item_a.refresh_from_db()
    assert item_a.status == ItemStatus.CLOSED


def test_liaison_b_cannot_reach_liaison_a_item(client, liaison_a, liaison_b, item_a, opinion):
    actions.answer_item(
        actor=liaison_a, item=item_a, text="已办理", evidence=[SimpleUploadedFile("a.pdf", PDF)]
    )
    evidence = ResponseEvidence.objects.get()
    client.force_login(liaison_b)
    assert client.get(reverse("meetings:item", args=[item_a.pk])).status_code == 404
    assert (
        client.post(reverse("meetings:answer", args=[item_a.pk]), {"text": "x"}).status_code == 404
    )
    assert client.get(reverse("meetings:evidence", args=[evidence.pk])).status_code == 404
    assert client.get(reverse("meetings:opinion", args=[opinion.pk])).status_code == 404
    assert "已办理" not in client.get(reverse("meetings:my_items")).content.decode()


def test_liaison_sees_only_own_items_of_an_opinion(client, staff, liaison_a, opinion, item_a):
    add_item(staff, opinion, "weijian", text="卫健委的事项")
    client.force_login(liaison_a)
    page = client.get(reverse("meetings:opinion", args=[opinion.pk])).content.decode()
    assert "发布基本养老服务清单" in page and "卫健委的事项" not in page
    mine = client.get(reverse("meetings:my_items")).content.decode()
    assert "发布基本养老服务清单" in mine and "卫健委的事项" not in mine
    assert client.get(reverse("meetings:opinions", args=[opinion.campaign.slug])).status_code == 404


def test_outsider_and_county_find_nothing(client, outsider, county_user, opinion, item_a):
    for user in (outsider, county_user):
        client.force_login(user)
        assert client.get(reverse("meetings:item", args=[item_a.pk])).status_code == 404
        assert client.get(reverse("meetings:opinion", args=[opinion.pk])).status_code == 404
        slug = opinion.campaign.slug
        assert client.get(reverse("meetings:items", args=[slug])).status_code == 404
        assert not OpinionItem.objects.visible_to(user).exists()


def test_member_reads_items_but_gets_no_forms(client, member, liaison_a, item_a):
    actions.answer_item(actor=liaison_a, item=item_a, text="已办理")
    client.force_login(member)
    page = client.get(reverse("meetings:item", args=[item_a.pk])).content.decode()
    assert "已办理" in page
    assert reverse("meetings:review", args=[item_a.pk]) not in page
    response = client.post(reverse("meetings:review", args=[item_a.pk]), {"decision": "close"})
    assert response.status_code == 403
    item_a.refresh_from_db()
    assert item_a.status == ItemStatus.ANSWERED


def test_item_list_filters_by_status_and_overdue(client, staff, member, liaison_a, opinion):
    late = add_item(staff, opinion, text="逾期未答复的事项")
    OpinionItem.objects.filter(pk=late.pk).update(deadline=datetime.date(2024, 9, 30))
    answered = add_item(staff, opinion, text="已经答复的事项")
    actions.answer_item(actor=liaison_a, item=answered, text="已办理")
    add_item(staff, opinion, text="尚未到期的事项")
    client.force_login(member)
    url = reverse("meetings:items", args=[opinion.campaign.slug])
    everything = client.get(url).content.decode()
    assert all(t in everything for t in ("逾期未答复", "已经答复", "尚未到期"))
    overdue = client.get(url, {"overdue": "on"}).content.decode()
    assert "逾期未答复" in overdue and "已经答复" not in overdue and "尚未到期" not in overdue
    answered_only = client.get(url, {"status": "answered"}).content.decode()
    assert "已经答复" in answered_only and "逾期未答复" not in answered_only
    assert client.get(url, {"status": "bogus"}).status_code == 400
    opinions = client.get(reverse("meetings:opinions", args=[opinion.campaign.slug]))
    assert opinions.context["opinions"][0].overdue_count == 1
