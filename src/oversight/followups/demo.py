"""Demo data of this app, built from the bulletins through the app's own actions.

Both demo campaigns ended on 2024-12-31, so their unfinished problems are on the follow-up
list. Each gets two checks in 2025 and one recent check, whose notes follow the next steps the
bulletins and the assignees' last progress reports name; the next checks are spread so that
the list shows an overdue check, one due within days and later ones.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from oversight.accounts.models import Role, User
from oversight.campaigns.models import Campaign
from oversight.problems.models import ProgressReport, RectificationType

from . import actions
from .models import FollowUp

DEMO_CAMPAIGNS = ("zhumadian-2024", "hebi-2024", "henan-2024")

FIRST_NOTE = {
    RectificationType.TOP_LEVEL: (
        "联动监督结束后首次跟踪：该问题涉及顶层设计，承办单位已说明上级政策进展。"
        "承办单位报告：{progress}请在上级政策出台后及时报送落实方案。"
    ),
    "": (
        "联动监督结束后首次跟踪：会同承办单位现场核查整改推进情况。"
        "承办单位报告：{progress}督促按整改方案的时间节点推进。"
    ),
}
SECOND_NOTE = (
    "年中跟踪核查：听取承办单位整改情况汇报，查阅台账资料，整改仍在推进中；"
    "要求逐项明确完成时限，每季度向人大常委会报送进展。"
)
RECENT_NOTE = (
    "近期跟踪核查：调研组实地查看，整改尚未全部到位。"
    "已将该问题列入常委会年度跟踪监督重点，下次核查时听取专项汇报。"
)
# Days from today to the next check after the recent one, in turn: overdue, due within
# days, later.
NEXT_CHECK_OFFSETS = (-6, 4, 45)


def _staff(campaign: Campaign) -> User | None:
    return (
        User.objects.filter(organisation=campaign.congress, role=Role.CONGRESS_STAFF)
        .order_by("pk")
        .first()
    )


def _latest_progress(follow_up: FollowUp) -> str:
    report = ProgressReport.objects.filter(problem=follow_up.problem).order_by("-pk").first()
    if report is None:
        return ""
    return report.text if report.text.endswith("。") else report.text + "。"


@transaction.atomic
def _replay(campaign: Campaign, staff: User, today: datetime.date) -> None:
    started_on = campaign.ends_on + datetime.timedelta(days=1)
    actions.start_follow_up(campaign, today=started_on)
    follow_ups = FollowUp.objects.on_list().filter(problem__campaign=campaign, checks__isnull=True)
    rows = follow_ups.select_related("problem").order_by("problem__number")
    for index, follow_up in enumerate(rows):
        first = started_on + datetime.timedelta(days=90)
        second = first + datetime.timedelta(days=180)
        recent = max(today - datetime.timedelta(days=30), second + datetime.timedelta(days=1))
        offset = NEXT_CHECK_OFFSETS[index % len(NEXT_CHECK_OFFSETS)]
        template = FIRST_NOTE.get(follow_up.problem.rectification_type, FIRST_NOTE[""])
        steps = [
            (first, template.format(progress=_latest_progress(follow_up)), second),
            (second, SECOND_NOTE, recent),
            (recent, RECENT_NOTE, max(today + datetime.timedelta(days=offset), recent)),
        ]
        for checked_on, note, next_check_on in steps:
            if checked_on > today:
                break
            if next_check_on <= checked_on:
                next_check_on = checked_on + datetime.timedelta(days=1)
            actions.record_check(
                actor=staff,
                follow_up=follow_up,
                checked_on=checked_on,
                note=note,
                next_check_on=next_check_on,
                today=today,
            )


def load_demo() -> None:
    """Called by ``oversight demo`` after the campaigns are loaded; safe to run again: a
    problem that already has checks is left as it is."""
    today = timezone.localdate()
    for campaign in Campaign.objects.filter(slug__in=DEMO_CAMPAIGNS, ends_on__lt=today):
        staff = _staff(campaign)
        if staff is not None:
            _replay(campaign, staff, today)
