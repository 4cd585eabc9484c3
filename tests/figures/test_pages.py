"""The staff's pages: paste or upload a bulletin, review its candidates, accept one as an
indicator value or dismiss it; refused files store nothing; nobody else gets in."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from oversight.figures import reading
from oversight.figures.models import Candidate, Decision, Extraction, SourceKind
from oversight.indicators.models import IndicatorValue, Source
from oversight.regions.models import Region

from .conftest import PARAGRAPH, candidate_of, docx_bytes

pytestmark = pytest.mark.django_db

OTHERS = ("member", "liaison_a", "liaison_b", "outsider", "county_user")


def list_url(campaign) -> str:  # type: ignore[no-untyped-def]
    return reverse("figures:list", args=[campaign.slug])


def test_staff_pastes_a_bulletin_and_sees_its_candidates(client, campaign, staff):
    client.force_login(staff)
    response = client.post(list_url(campaign), {"title": "第59期", "text": PARAGRAPH})
    extraction = Extraction.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("figures:detail", args=[extraction.pk])
    assert (extraction.title, extraction.source_kind, extraction.created_by) == (
        "第59期",
        SourceKind.PASTED,
        staff,
    )
    assert extraction.candidates.count() == 5
    page = client.get(response["Location"])
    assert page.status_code == 200
    rows = page.content.decode()
    assert "街道综合养老服务中心运营率" in rows
    assert "76 → </span>96%" in rows
    # Only indicators whose unit fits are offered: a percent gets no 万元 indicator.
    rate = candidate_of(extraction, "71.16", "%")
    assert page.context["rows"][2]["candidate"] == rate
    offered = {i.code for i in page.context["rows"][2]["fitting"]}
    assert offered == {"lottery-share", "handover-rate", "family-doctor-rate"}


def test_the_list_shows_the_extractions_with_their_progress(client, campaign, staff, extraction):
    client.force_login(staff)
    page = client.get(list_url(campaign))
    assert page.status_code == 200
    row = page.context["page"].object_list[0]
    assert (row.total, row.pending, row.accepted) == (5, 5, 0)
    assert "驻马店简报（测试）" in page.content.decode()


def test_accepting_records_the_indicator_value(client, staff, extraction):
    client.force_login(staff)
    rate = candidate_of(extraction, "71.16", "%")
    runan = Region.objects.get(code="411727")
    response = client.post(
        reverse("figures:accept", args=[rate.pk]),
        {"indicator": "lottery-share", "region": runan.pk, "period": "2024"},
    )
    assert response.status_code == 302
    value = IndicatorValue.objects.get()
    assert (value.indicator, value.region, value.period, value.value) == (
        "lottery-share",
        runan,
        "2024",
        Decimal("71.16"),
    )
    assert value.source == Source.BULLETIN
    assert "71.16%" in value.note
    assert value.entered_by == staff
    rate.refresh_from_db()
    assert (rate.decision, rate.indicator_value, rate.decided_by) == (
        Decision.ACCEPTED,
        value,
        staff,
    )
    page = client.get(reverse("figures:detail", args=[extraction.pk]) + "?decision=accepted")
    assert [row["candidate"] for row in page.context["rows"]] == [rate]


def test_a_count_indicator_takes_any_classifier(client, staff, extraction):
    client.force_login(staff)
    planned = candidate_of(extraction, "430", "所")
    city = Region.objects.get(code="411700")
    client.post(
        reverse("figures:accept", args=[planned.pk]),
        {"indicator": "meal-planned", "region": city.pk, "period": "2024"},
    )
    assert IndicatorValue.objects.get(indicator="meal-planned").value == 430


@pytest.mark.parametrize(
    "indicator, region_code, period, error",
    [
        ("meal-funds", "411700", "2024", "选择一个有效的选项"),  # 万元 offered to a percent
        ("lottery-share", "410600", "2024", "选择一个有效的选项"),  # another city
        ("lottery-share", "411700", "去年", "请写年度"),
    ],
)
def test_a_refused_acceptance_stores_nothing(
    client, staff, extraction, indicator, region_code, period, error
):
    client.force_login(staff)
    rate = candidate_of(extraction, "71.16", "%")
    region = Region.objects.get(code=region_code)
    response = client.post(
        reverse("figures:accept", args=[rate.pk]),
        {"indicator": indicator, "region": region.pk, "period": period},
    )
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not IndicatorValue.objects.exists()
    rate.refresh_from_db()
    assert rate.decision == Decision.PENDING


def test_dismiss_and_reopen(client, staff, extraction):
    client.force_login(staff)
    funds = candidate_of(extraction, "111.5", "万元")
    response = client.post(reverse("figures:dismiss", args=[funds.pk]))
    assert response.status_code == 302
    assert response["Location"].endswith(f"#candidate-{funds.pk}")
    funds.refresh_from_db()
    assert (funds.decision, funds.decided_by) == (Decision.DISMISSED, staff)
    client.post(reverse("figures:reopen", args=[funds.pk]))
    funds.refresh_from_db()
    assert (funds.decision, funds.decided_by) == (Decision.PENDING, None)
    assert not IndicatorValue.objects.exists()


def test_a_docx_upload(client, campaign, staff):
    client.force_login(staff)
    content = docx_bytes(
        "鹤壁：以人大联动监督之力守护最美“夕阳红”",
        "新增社区日间照料中心４１个、运营率由原来的６６％提升至８４％。",
        table=[["项目", "数量"], ["家庭病床", "39 张"]],
    )
    upload = SimpleUploadedFile("简报47.docx", content)
    response = client.post(list_url(campaign), {"file": upload})
    assert response.status_code == 302
    extraction = Extraction.objects.get()
    assert (extraction.title, extraction.source_kind) == ("简报47.docx", SourceKind.DOCX)
    found = {(c.value, c.unit, c.before) for c in extraction.candidates.all()}
    assert found == {(41, "个", None), (84, "%", 66), (39, "张", None)}


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_a_txt_upload(client, campaign, staff, encoding):
    client.force_login(staff)
    upload = SimpleUploadedFile("简报.txt", PARAGRAPH.encode(encoding))
    response = client.post(list_url(campaign), {"file": upload, "title": "文本简报"})
    assert response.status_code == 302
    extraction = Extraction.objects.get()
    assert (extraction.title, extraction.source_kind) == ("文本简报", SourceKind.TXT)
    assert extraction.text == PARAGRAPH
    assert extraction.candidates.count() == 5


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("简报.pdf", PDF, "不支持的文件类型"),
        ("简报.docx", PARAGRAPH.encode(), "无法识别文件"),  # a text renamed .docx
        ("简报.txt", b"", "空文件"),
        ("简报.txt", b"\x00\x01\x02binary", "不是纯文本文件"),
        ("简报.txt", "　\n\n ".encode(), "中没有文字"),
        ("简报.txt", b"x" * 2048, "超过"),
    ],
)
def test_a_refused_file_stores_nothing(
    client, campaign, staff, monkeypatch, name, content, message
):
    monkeypatch.setattr(reading, "MAX_BYTES", 1024)
    client.force_login(staff)
    response = client.post(list_url(campaign), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Extraction.objects.exists()
    assert not Candidate.objects.exists()


def test_text_or_file_but_not_neither(client, campaign, staff):
    client.force_login(staff)
    response = client.post(list_url(campaign), {"text": "  "})
    assert response.status_code == 400
    assert "二选一" in response.content.decode()
    assert not Extraction.objects.exists()


@pytest.mark.parametrize("who", OTHERS)
def test_nobody_else_may_extract(client, campaign, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(list_url(campaign)).status_code in (403, 404)
    response = client.post(list_url(campaign), {"text": PARAGRAPH})
    assert response.status_code in (403, 404)
    assert not Extraction.objects.exists()


@pytest.mark.parametrize("who", OTHERS)
def test_nobody_else_sees_or_decides_a_candidate(client, extraction, request, who):
    client.force_login(request.getfixturevalue(who))
    rate = candidate_of(extraction, "71.16", "%")
    city = Region.objects.get(code="411700")
    assert client.get(reverse("figures:detail", args=[extraction.pk])).status_code == 404
    accepted = client.post(
        reverse("figures:accept", args=[rate.pk]),
        {"indicator": "lottery-share", "region": city.pk, "period": "2024"},
    )
    assert accepted.status_code == 404
    assert client.post(reverse("figures:dismiss", args=[rate.pk])).status_code == 404
    rate.refresh_from_db()
    assert rate.decision == Decision.PENDING
    assert not IndicatorValue.objects.exists()


def test_anonymous_is_sent_to_log_in(client, campaign, extraction):
    rate = candidate_of(extraction, "71.16", "%")
    for url in (
        list_url(campaign),
        reverse("figures:detail", args=[extraction.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login/" in response["Location"] or "login" in response["Location"]
    response = client.post(reverse("figures:dismiss", args=[rate.pk]))
    assert response.status_code == 302
    rate.refresh_from_db()
    assert rate.decision == Decision.PENDING


def test_the_link_is_shown_to_the_staff_only(client, campaign, staff, member):
    dashboard = reverse("campaigns:dashboard", args=[campaign.slug])
    client.force_login(staff)
    assert list_url(campaign) in client.get(dashboard).content.decode()
    client.force_login(member)
    assert list_url(campaign) not in client.get(dashboard).content.decode()


def test_the_review_page_reads_a_bounded_number_of_queries(
    client, campaign, staff, django_assert_max_num_queries
):
    from oversight.figures import actions

    actions.extract_figures(actor=staff, campaign=campaign, text=PARAGRAPH * 8, title="长简报")
    extraction = Extraction.objects.get()
    assert extraction.candidates.count() == 40
    client.force_login(staff)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("figures:detail", args=[extraction.pk]))
    assert response.status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(list_url(campaign)).status_code == 200
