"""Demo data built from the two bulletins (data/*.toml), replayed through the real actions.

Every raw report, merge, assignment, progress report and acceptance goes through
``oversight.problems.actions`` with its historical date, so the demo's history, statuses and
completion rates come out of the same code a real campaign uses.
"""

from __future__ import annotations

import datetime
import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import transaction

from oversight.accounts.models import Role, User
from oversight.campaigns.models import Campaign
from oversight.documents import demo as documents_demo
from oversight.evaluations import demo as evaluations_demo
from oversight.facilities import demo as facilities_demo
from oversight.figures import demo as figures_demo
from oversight.followups import demo as followups_demo
from oversight.indicators import demo as indicators_demo
from oversight.ledgers import demo as ledgers_demo
from oversight.meetings import demo as meetings_demo
from oversight.merging import demo as merging_demo
from oversight.notifications import demo as notifications_demo
from oversight.organisations.models import CONGRESS_CODE, Organisation
from oversight.organisations.services import ensure_departments, load_reference_data
from oversight.problems import actions
from oversight.problems.models import Status
from oversight.regions.models import Region
from oversight.submissions import demo as submissions_demo
from oversight.surveys import demo as surveys_demo
from oversight.topics.models import Topic

DATA_DIR = Path(__file__).parent / "data"
# The province's campaign is loaded after the cities': its problems go down into theirs.
PROVINCE_FILE = DATA_DIR / "province" / "henan-2024.toml"
PASSWORD = "demo2024"
SHANGHAI = ZoneInfo("Asia/Shanghai")

# Login prefix for each demo city, used to name its demo accounts (zmd-staff, zmd-minzheng …).
CITY_PREFIX = {"411700": "zmd", "410600": "hebi"}


@dataclass(frozen=True)
class DemoLogin:
    username: str
    description: str


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI)


@functools.cache
def demo_password_hash() -> str:
    """The demo password hashed once: argon2 is slow on purpose, and all demo accounts
    share the password, so they share its one hash."""
    return make_password(PASSWORD)


def _user(username: str, organisation: Organisation, role: str, full_name: str) -> User:
    user, _ = User.objects.get_or_create(
        username=username,
        defaults={
            "organisation": organisation,
            "role": role,
            "full_name": full_name,
            "password": demo_password_hash(),
        },
    )
    return user


def _congress(code: str) -> Organisation:
    return Organisation.objects.get(region__code=code, code=CONGRESS_CODE)


def _ensure_accounts(region: Region, topic: Topic) -> dict[str, User]:
    """Staff and a member for the city congress, a liaison per department, staff per county."""
    prefix = CITY_PREFIX.get(region.code, region.code)
    congress = _congress(region.code)
    users = {
        "staff": _user(
            f"{prefix}-staff", congress, Role.CONGRESS_STAFF, f"{region.name}人大联络员"
        ),
        "member": _user(
            f"{prefix}-member", congress, Role.CONGRESS_MEMBER, f"{region.name}常委会委员"
        ),
    }
    for department in ensure_departments(region, topic):
        users[department.code] = _user(
            f"{prefix}-{department.code}", department, Role.LIAISON, f"{department.name}承办人"
        )
    for county in region.children.all():
        users[county.code] = _user(
            f"{prefix}-{county.code}",
            _congress(county.code),
            Role.COUNTY_STAFF,
            f"{county.name}人大工作人员",
        )
    return users


def _read(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def _create_campaign(meta: dict[str, Any], region: Region, topic: Topic) -> Campaign:
    return Campaign.objects.create(
        slug=meta["slug"],
        name=meta["name"],
        topic=topic,
        congress=_congress(region.code),
        region=region,
        starts_on=meta["starts_on"],
        ends_on=meta["ends_on"],
        source=meta["source"],
        is_illustrative=meta["illustrative"],
    )


def _assignee(spec: str, region: Region) -> tuple[Organisation, str]:
    kind, _, code = spec.partition(":")
    if kind == "dept":
        return Organisation.objects.get(region=region, code=code), code
    if kind == "congress":
        return _congress(code), code
    raise ValueError(f"未知的承办单位写法 {spec!r}")


@transaction.atomic
def load_campaign(path: Path) -> Campaign | None:
    """Load one campaign file; returns None when a campaign with its slug already exists."""
    data = _read(path)
    meta = data["campaign"]
    if Campaign.objects.filter(slug=meta["slug"]).exists():
        return None
    region = Region.objects.get(code=meta["region"])
    topic = Topic.objects.get(slug=meta["topic"])
    users = _ensure_accounts(region, topic)
    campaign = _create_campaign(meta, region, topic)
    areas = {area.code: area for area in topic.areas.all()}
    regions = {r.code: r for r in Region.objects.filter(region.subtree_q())}
    staff = users["staff"]
    assigned_on: datetime.date = meta["assigned_on"]
    for entry in data["problems"]:
        rectifier = users[_assignee(entry["assignee"], campaign.region)[1]]
        _replay_problem(campaign, entry, rectifier, staff, areas, regions, assigned_on)
    return campaign


@transaction.atomic
def load_province(path: Path = PROVINCE_FILE) -> Campaign | None:
    """The province's campaign above the cities' (``parent``), and its problems assigned
    down to a city congress through the real actions: each becomes a linked problem in that
    city's campaign, which the city's staff answer in writing (书面报告)."""
    data = _read(path)
    meta = data["campaign"]
    if Campaign.objects.filter(slug=meta["slug"]).exists():
        return None
    region = Region.objects.get(code=meta["region"])
    topic = Topic.objects.get(slug=meta["topic"])
    campaign = _create_campaign(meta, region, topic)
    Campaign.objects.filter(slug__in=meta["children"]).update(parent=campaign)
    staff = User.objects.get(username="henan-staff")
    areas = {area.code: area for area in topic.areas.all()}
    regions = {r.code: r for r in Region.objects.filter(region.subtree_q())}
    for entry in data["problems"]:
        city = _assignee(entry["assignee"], region)[1]
        rectifier = User.objects.get(username=f"{CITY_PREFIX[city]}-staff")
        _replay_problem(campaign, entry, rectifier, staff, areas, regions, meta["assigned_on"])
    return campaign


def _replay_problem(
    campaign: Campaign,
    entry: dict[str, Any],
    liaison: User,
    staff: User,
    areas: dict[str, Any],
    regions: dict[str, Region],
    assigned_on: datetime.date,
) -> None:
    region = regions[entry["region"]]
    reports = [
        actions.record_raw_report(
            actor=staff,
            campaign=campaign,
            channel=raw["channel"],
            text=raw["text"],
            region=region,
            received_on=campaign.starts_on + datetime.timedelta(days=60 + index * 7),
        )
        for index, raw in enumerate(entry["raw"])
    ]
    merged_on = assigned_on - datetime.timedelta(days=10)
    problem = actions.consolidate(
        actor=staff,
        campaign=campaign,
        reports=reports,
        title=entry["title"],
        description=entry["description"],
        kind=entry["kind"],
        area=areas[entry["area"]],
        region=region,
        at=_at(merged_on),
    )
    assignee = _assignee(entry["assignee"], campaign.region)[0]
    actions.assign(
        actor=staff,
        problem=problem,
        assignee=assignee,
        deadline=entry["deadline"],
        co_departments=[
            Organisation.objects.get(region=campaign.region, code=code)
            for code in entry.get("co_departments", [])
        ],
        requirements="请按期整改到位，每周报送整改进展。",
        at=_at(assigned_on),
    )
    # A lower congress answers itself (its staff report and claim on this problem), which
    # is the 书面报告 the bulletin describes; its linked problem below stays in its list.
    texts: list[str] = entry["progress"]
    completed = entry["status"] == Status.COMPLETED
    updates = texts[:-1] if completed else texts
    for index, text in enumerate(updates):
        actions.report_progress(
            actor=liaison,
            problem=problem,
            text=text,
            rectification_type=entry["rectification"],
            at=_at(assigned_on + datetime.timedelta(days=7 * (index + 1)), 16),
        )
    if completed:
        claimed_on = assigned_on + datetime.timedelta(days=7 * (len(updates) + 1))
        actions.claim_completion(
            actor=liaison,
            problem=problem,
            text=texts[-1],
            rectification_type=entry["rectification"],
            at=_at(claimed_on, 16),
        )
        actions.accept_completion(
            actor=staff,
            problem=problem,
            note="经核查，整改到位，同意办结。",
            at=_at(claimed_on + datetime.timedelta(days=3)),
        )


def demo_logins() -> list[DemoLogin]:
    return [
        DemoLogin("zmd-staff", "驻马店市人大常委会工作人员：问题归并、交办、审核办结"),
        DemoLogin("zmd-member", "驻马店市人大常委会组成人员：查看概览与问题清单"),
        DemoLogin("zmd-minzheng", "驻马店市民政局承办人：报送整改进展、申请办结"),
        DemoLogin("zmd-411727", "汝南县人大常委会工作人员：办理交办到县的问题"),
        DemoLogin("hebi-staff", "鹤壁市人大常委会工作人员"),
        DemoLogin("hebi-deputy-01", "鹤壁市人大代表：提出代表建议、在“我的建议”查看办理情况"),
        DemoLogin("henan-staff", "河南省人大常委会工作人员：查看全省汇总"),
        DemoLogin("admin", "系统管理员（管理后台）"),
    ]


def load_demo() -> list[Campaign]:
    """Load reference data, both campaigns and the demo accounts; safe to run again."""
    load_reference_data()
    province = _congress("410000")
    _user("henan-staff", province, Role.CONGRESS_STAFF, "河南省人大社会建设委员会工作人员")
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", password=PASSWORD, full_name="系统管理员")
    loaded = [load_campaign(path) for path in sorted(DATA_DIR.glob("*.toml"))]
    loaded.append(load_province())
    # What each app adds to the campaigns, through its own actions.
    meetings_demo.load_demo()
    evaluations_demo.load_demo()
    facilities_demo.load_demo()
    indicators_demo.load_demo()
    followups_demo.load_demo()
    notifications_demo.load_demo()
    surveys_demo.load_demo()
    submissions_demo.load_demo()
    merging_demo.load_demo()
    figures_demo.load_demo()
    documents_demo.load_demo()
    ledgers_demo.load_demo()
    return [campaign for campaign in loaded if campaign is not None]
