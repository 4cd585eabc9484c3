"""Who sees what: staff draft, edit and issue; congress users of the campaign read and
download issued versions; drafts stay with staff; departments and other cities see nothing."""

import re
import subprocess

import pytest
from django.urls import reverse

from oversight.audit.models import AuditEntry
from oversight.documents import actions, pdf
from oversight.documents.models import Document

from .conftest import docx_text


@pytest.fixture
def issued(bulletin, staff):
    return actions.issue(actor=staff, document=bulletin)


def test_staff_draft_edit_and_issue_through_the_pages(client, staff, campaign, make_problem):
    make_problem(status="completed")
    client.force_login(staff)
    response = client.post(reverse("documents:new_bulletin", args=[campaign.slug]))
    draft = Document.objects.get()
    assert response.url == reverse("documents:detail", args=[draft.pk])
    page = client.get(response.url)
    assert page.status_code == 200 and "办结率100.0%" in page.content.decode()
    form = dict(page.context["form"].initial)
    data = {key: value for key, value in form.items() if isinstance(value, str)}
    for index, part in enumerate(draft.content["parts"]):
        data[f"part_{index}_heading"], data[f"part_{index}_text"] = part["heading"], part["text"]
    data["title"] = "页面上改过的标题"
    data["issue_number"] = "第59期"
    response = client.post(reverse("documents:detail", args=[draft.pk]), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "页面上改过的标题" and len(draft.content["parts"]) == 3
    client.post(reverse("documents:issue", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.number == 1 and "第59期" in docx_text(draft.docx)
    # Editing the issued version from its page leaves it as it is.
    data["title"] = "第二版"
    response = client.post(reverse("documents:detail", args=[draft.pk]), data)
    newer = Document.objects.exclude(pk=draft.pk).get()
    assert response.url == reverse("documents:detail", args=[newer.pk])
    draft.refresh_from_db()
    assert draft.title == "页面上改过的标题" and newer.based_on == draft


def test_a_member_lists_and_downloads_issued_versions_but_not_drafts(
    client, member, campaign, issued, staff
):
    draft = actions.create_bulletin_draft(actor=staff, campaign=campaign)
    client.force_login(member)
    page = client.get(reverse("documents:list", args=[campaign.slug])).content.decode()
    assert issued.title in page and reverse("documents:detail", args=[draft.pk]) not in page
    response = client.get(reverse("documents:docx", args=[issued.pk]))
    assert response.status_code == 200 and bytes(response.content) == bytes(issued.docx)
    assert AuditEntry.objects.filter(user=member).exists()
    assert client.get(reverse("documents:detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("documents:docx", args=[draft.pk])).status_code == 404
    assert client.post(reverse("documents:new_bulletin", args=[campaign.slug])).status_code == 403
    assert client.post(reverse("documents:issue", args=[draft.pk])).status_code == 404
    response = client.post(reverse("documents:detail", args=[issued.pk]), {"title": "x"})
    assert response.status_code == 403
    assert Document.objects.count() == 2


@pytest.mark.parametrize("who", ["liaison_a", "liaison_b", "outsider"])
def test_departments_and_other_cities_see_nothing(request, client, who, campaign, issued):
    client.force_login(request.getfixturevalue(who))
    for url in (
        reverse("documents:list", args=[campaign.slug]),
        reverse("documents:detail", args=[issued.pk]),
        reverse("documents:docx", args=[issued.pk]),
        reverse("documents:pdf", args=[issued.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("documents:new_bulletin", args=[campaign.slug])).status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, campaign, issued):
    response = client.get(reverse("documents:docx", args=[issued.pk]))
    assert response.status_code == 302 and "login" in response.url


def test_the_nav_link_shows_to_congress_users_only(
    client, member, liaison_a, campaign, make_problem
):
    problem = make_problem(status="assigned")
    client.force_login(member)
    url = reverse("documents:list", args=[campaign.slug])
    assert url in client.get(reverse("campaigns:dashboard", args=[campaign.slug])).content.decode()
    client.force_login(liaison_a)
    page = client.get(reverse("problems:detail", args=[problem.pk]))
    assert page.status_code == 200 and url not in page.content.decode()


def test_without_libreoffice_the_page_says_so(client, monkeypatch, member, campaign, issued):
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    client.force_login(member)
    page = client.get(reverse("documents:detail", args=[issued.pk])).content.decode()
    assert "未安装 LibreOffice" in page and reverse("documents:pdf", args=[issued.pk]) not in page
    response = client.get(reverse("documents:pdf", args=[issued.pk]), follow=True)
    assert "未安装 LibreOffice" in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("documents:detail", args=[issued.pk])
    issued.refresh_from_db()
    assert issued.pdf is None


def pdf_pages(content: bytes, folder) -> int:
    """Pages as poppler counts them (installed with LibreOffice here and in CI)."""
    path = folder / "document.pdf"
    path.write_bytes(content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))


def test_the_pdf_is_made_by_libreoffice_and_kept(client, member, issued, tmp_path):
    assert pdf.can_convert(), "LibreOffice (soffice) is installed here and in CI"
    client.force_login(member)
    response = client.get(reverse("documents:pdf", args=[issued.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = bytes(response.content)
    assert content.startswith(b"%PDF")
    assert pdf_pages(content, tmp_path) >= 1
    issued.refresh_from_db()
    assert bytes(issued.pdf) == content
