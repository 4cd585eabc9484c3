"""Drafts from live figures; issuing numbers and freezes a version for good."""

import datetime
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from docx import Document as DocxDocument

from oversight.documents import actions
from oversight.documents.figures import latest_week_ending
from oversight.documents.models import Document, Kind
from oversight.problems.models import ProblemEvent
from oversight.problems.stats import campaign_figures

from .conftest import docx_text


def test_a_draft_holds_the_campaign_figures(bulletin, campaign):
    figures = campaign_figures(campaign)
    assert (figures.overall.problems, figures.overall.completed) == (3, 2)
    text = "\n".join(part["text"] for part in bulletin.content["parts"])
    assert f"全部3项问题已办结2项，办结率{figures.overall.percent}" in text
    assert "66.7%" in text
    assert "人大检查调研3项" in text  # raw reports by channel
    assert bulletin.content["title"] and bulletin.content["distribution"].startswith("报：")
    assert not bulletin.is_issued


def test_issuing_numbers_and_freezes_the_docx(bulletin, staff):
    issued = actions.issue(actor=staff, document=bulletin)
    assert issued.number == 1 and issued.issued_by == staff
    assert "办结率66.7%" in docx_text(issued.docx)
    assert "办结率66.7%" in issued.text


def test_editing_an_issued_version_makes_a_new_draft(bulletin, staff, make_problem):
    issued = actions.issue(actor=staff, document=bulletin)
    frozen = bytes(issued.docx)
    content = {**issued.content, "title": "改过的标题"}
    draft = actions.update_draft(actor=staff, document=issued, content=content)
    assert draft.pk != issued.pk and not draft.is_issued and draft.based_on == issued
    make_problem(status="completed", title="又办结一项")  # live data moves on
    issued.refresh_from_db()
    assert bytes(issued.docx) == frozen and issued.title != "改过的标题"
    second = actions.issue(actor=staff, document=draft)
    assert second.number == 2 and "改过的标题" in docx_text(second.docx)
    issued.refresh_from_db()
    assert bytes(issued.docx) == frozen


def test_a_draft_is_edited_in_place_until_issued(bulletin, staff):
    content = {**bulletin.content, "issue_number": "第59期"}
    saved = actions.update_draft(actor=staff, document=bulletin, content=content)
    assert saved.pk == bulletin.pk and saved.content["issue_number"] == "第59期"


def test_issuing_twice_is_refused(bulletin, staff):
    actions.issue(actor=staff, document=bulletin)
    with pytest.raises(ValidationError) as error:
        actions.issue(actor=staff, document=bulletin)
    assert error.value.code == "already_issued"
    assert Document.objects.issued().count() == 1


def test_a_title_is_required(bulletin, staff):
    with pytest.raises(ValidationError):
        actions.update_draft(actor=staff, document=bulletin, content={"masthead": "简报"})
    bulletin.refresh_from_db()
    assert bulletin.content["title"]


@pytest.mark.parametrize("who", ["member", "liaison_a", "county_user", "outsider"])
def test_only_the_campaigns_staff_draft_and_issue(request, who, campaign, bulletin):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        actions.create_bulletin_draft(actor=user, campaign=campaign)
    with pytest.raises(PermissionDenied):
        actions.issue(actor=user, document=bulletin)
    with pytest.raises(PermissionDenied):
        actions.update_draft(actor=user, document=bulletin, content=bulletin.content)


def test_the_notice_reports_changes_since_the_previous_one(campaign, staff, make_problem):
    late = make_problem(status="in_progress", title="消防设施不达标")
    week = latest_week_ending()
    first = actions.create_notice_draft(
        actor=staff, campaign=campaign, week_ending=week - datetime.timedelta(days=7)
    )
    assert first.kind == Kind.NOTICE and first.snapshot["figures"]["completed"] == 0
    actions.issue(actor=staff, document=first)
    done = make_problem(status="completed", title="高龄津贴认证繁琐")
    # Whatever today's weekday, its history falls inside the second week.
    inside = timezone.make_aware(datetime.datetime.combine(week, datetime.time(9)))
    ProblemEvent.objects.filter(problem=done).update(created_at=inside)
    # Overdue by the end of the second week.
    late.assignment.deadline = week - datetime.timedelta(days=2)
    late.assignment.save()
    second = actions.create_notice_draft(actor=staff, campaign=campaign, week_ending=week)
    text = "\n".join(part["text"] for part in second.content["parts"])
    assert "与第1期通报" in text
    assert "新办结1项" in text and done.title in text
    assert "新增逾期1项" in text and late.title in text
    assert second.snapshot["overdue_ids"] == [late.pk]
    # Ranked by completion rate, with the overdue problem under its department.
    assert "| 1 | 驻马店市民政局 | 2 | 1 | 50.0% | 1 |" in text
    issued = actions.issue(actor=staff, document=second)
    assert "逾期未办结问题" in docx_text(issued.docx)


def test_a_notice_week_ends_on_a_past_sunday(campaign, staff):
    future = latest_week_ending() + datetime.timedelta(days=7)
    with pytest.raises(ValidationError) as error:
        actions.create_notice_draft(actor=staff, campaign=campaign, week_ending=future)
    assert error.value.code == "future_week"
    monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday() + 7)
    with pytest.raises(ValidationError) as error:
        actions.create_notice_draft(actor=staff, campaign=campaign, week_ending=monday)
    assert error.value.code == "not_sunday"
    assert not Document.objects.exists()


def test_titles_are_printed_as_written(campaign, staff, make_problem):
    """Drafts are plain text, not HTML; a bar inside a title does not split a table cell."""
    late = make_problem(status="in_progress", title="“医养结合”A&B | 两证不全")
    late.assignment.deadline = latest_week_ending() - datetime.timedelta(days=2)
    late.assignment.save()
    notice = actions.create_notice_draft(
        actor=staff, campaign=campaign, week_ending=latest_week_ending()
    )
    text = "\n".join(part["text"] for part in notice.content["parts"])
    assert "“医养结合”A&B ｜ 两证不全 |" in text
    assert "&amp;" not in text and "&#" not in text
    issued = actions.issue(actor=staff, document=notice)
    cells = [c.text for t in DocxDocument(BytesIO(issued.docx)).tables for c in t._cells]
    assert "“医养结合”A&B ｜ 两证不全" in cells
