"""Demo data of this app, built from the Hebi bulletin (000_…) through the app's own actions.

The bulletin: deputies' suggestions (e.g. on speeding up combined medical and elderly care)
and the yearly livelihood project of elderly meal assistance were followed up together with
the campaign; meal assistance got 5.15 million yuan from above, and 180 institutions run,
1125% of the provincial target (so the target was 16).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction

from oversight.accounts.models import Role, User
from oversight.campaigns.models import Campaign
from oversight.organisations.models import CONGRESS_CODE, Organisation
from oversight.problems import actions as problem_actions
from oversight.problems.models import Problem
from oversight.regions.models import Region
from oversight.topics.models import ProblemArea

from . import actions
from .models import Kind, Submission

SLUG = "hebi-2024"
SHANGHAI = ZoneInfo("Asia/Shanghai")

# (username, congress region, name, kind, title, text, region, area, merge into problem titled)
SUGGESTIONS = [
    (
        "hebi-deputy-01",
        "410600",
        "鹤壁市人大代表（一）",
        Kind.SUGGESTION,
        "关于促进医养结合快速发展的建议",
        "全市双证齐全的医养结合机构少，失能老人看病、养老两头跑。建议统筹卫健、民政资源，"
        "支持有条件的养老机构内设医务室、护理站，推动基层医疗机构与养老机构签约合作。",
        "410600",
        "medical",
        "双证齐全的医养结合机构数量少",
    ),
    (
        "hebi-deputy-02",
        "410600",
        "鹤壁市人大代表（二）",
        Kind.SUGGESTION,
        "关于把老年助餐服务延伸到农村和老城区的建议",
        "老年助餐是年度民生实事。建议推广“中央厨房＋社区就餐＋送餐入户”模式，"
        "优先在农村和老城区布点，对行动不便的老人提供送餐上门。",
        "410600",
        "home-community",
        None,
    ),
    (
        "hebi-deputy-03",
        "410611",
        "淇滨区人大代表",
        Kind.PROBLEM,
        "部分社区日间照料中心只开展娱乐活动",
        "走访发现，辖区部分社区日间照料中心只有棋牌、娱乐，缺少助浴、康复等服务，老人去得少。",
        "410611",
        "operation",
        None,
    ),
]

# (text, name, phone, region, area, merge into problem titled, public reply)
PUBLIC_REPORTS = [
    (
        "我家在老城区，附近没有老年助餐点，老人腿脚不便，希望能送餐上门。",
        "",
        "",
        "410602",
        "home-community",
        "老年助餐服务覆盖面不足，农村和老城区缺口大",
        "您反映的问题已归并到联动监督问题清单，交市民政局办理。老年助餐已列为年度民生实事，"
        "全市已运营助餐机构180家，推行送餐入户服务。感谢您的关注。",
    ),
    (
        "小区旁的养老院消防通道堆放杂物，担心出安全事故。",
        "王女士",
        "13903920000",
        "410611",
        "regulation",
        None,
        "",
    ),
    (
        "希望养老护理员培训多开设夜间班，方便在职人员参加。",
        "",
        "",
        "410622",
        "workforce",
        None,
        "",
    ),
]


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI)


def _deputy(username: str, region_code: str, full_name: str) -> User:
    # The demo loader's account helper: the shared demo password, created once.
    from oversight.demo.loader import _user

    congress = Organisation.objects.get(region__code=region_code, code=CONGRESS_CODE)
    return _user(username, congress, Role.DEPUTY, full_name)


def _area(campaign: Campaign, code: str) -> ProblemArea:
    return ProblemArea.objects.get(topic=campaign.topic, code=code)


def _problem(campaign: Campaign, title: str | None) -> Problem | None:
    return Problem.objects.filter(campaign=campaign, title=title).first() if title else None


@transaction.atomic
def load_demo() -> None:
    """Safe to run again: a campaign that already has submissions is left as it is."""
    campaign = Campaign.objects.filter(slug=SLUG).select_related("topic").first()
    staff = User.objects.filter(username="hebi-staff").first()
    if campaign is None or staff is None:
        return
    for username, congress_region, full_name, *_rest in SUGGESTIONS:
        _deputy(username, congress_region, full_name)
    if Submission.objects.filter(raw_report__campaign=campaign).exists():
        return
    day = datetime.date(2024, 4, 8)
    for username, _region, _name, kind, title, text, region, area, merge_title in SUGGESTIONS:
        deputy = User.objects.get(username=username)
        submission = actions.file_suggestion(
            actor=deputy,
            campaign=campaign,
            kind=kind,
            title=title,
            text=text,
            region=Region.objects.get(code=region),
            area=_area(campaign, area),
            at=_at(day),
        )
        problem = _problem(campaign, merge_title)
        if problem is not None:
            problem_actions.merge_into(
                actor=staff, problem=problem, reports=[submission.raw_report], at=_at(day, 15)
            )
        day += datetime.timedelta(days=3)

    actions.set_public_reporting(
        actor=staff, campaign=campaign, is_open=True, at=_at(datetime.date(2024, 4, 1), 9)
    )
    day = datetime.date(2024, 4, 20)
    for text, name, phone, region, area, merge_title, reply in PUBLIC_REPORTS:
        submission = actions.file_public_report(
            campaign=campaign,
            text=text,
            region=Region.objects.get(code=region),
            area=_area(campaign, area),
            name=name,
            phone=phone,
            at=_at(day, 20),
        )
        problem = _problem(campaign, merge_title)
        if problem is not None:
            problem_actions.merge_into(
                actor=staff,
                problem=problem,
                reports=[submission.raw_report],
                at=_at(day + datetime.timedelta(days=1), 11),
            )
        if reply:
            actions.publish_reply(
                actor=staff,
                submission=submission,
                text=reply,
                at=_at(day + datetime.timedelta(days=30)),
            )
        day += datetime.timedelta(days=5)

    _load_meal_assistance(campaign, staff)


def _load_meal_assistance(campaign: Campaign, staff: User) -> None:
    project = actions.register_project(
        actor=staff,
        campaign=campaign,
        title="老年助餐服务",
        department=actions.departments_for(campaign).get(code="minzheng"),
        target="按省定任务建设运营老年助餐机构",
        target_quantity=16,  # 180 institutions are 1125% of it (the bulletin)
        unit="家",
        deadline=datetime.date(2024, 12, 31),
        at=_at(datetime.date(2024, 3, 20)),
    )
    actions.record_project_progress(
        actor=staff,
        project=project,
        text="积极争取上级资金515万元，推行“中央厨房＋社区就餐＋送餐入户”的服务模式。",
        reported_on=datetime.date(2024, 6, 28),
        funds_wan_yuan=Decimal("515"),
        at=_at(datetime.date(2024, 6, 28)),
    )
    actions.record_project_progress(
        actor=staff,
        project=project,
        text="搭建“线上＋线下”支付平台；联动监督以来已运营180家助餐机构，完成省定任务。",
        reported_on=datetime.date(2024, 10, 18),
        achieved_quantity=180,
        funds_wan_yuan=Decimal("515"),
        completed=True,
        at=_at(datetime.date(2024, 10, 18)),
    )
