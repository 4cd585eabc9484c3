"""Demo data of this app, built from the bulletins through the app's own actions.

The bulletins give the outcome, not the ballots: Zhumadian rated its 11 city departments
(those the problem list was assigned to) all 满意, each above 83%; Hebi evaluated 12
departments on 24 October 2024. Neither gives the number of members, so each city gets a
demo committee, and the ballots are illustrative; they are cast through ``cast_ballots``,
the action the voting page calls, so the figures come out of the real counting code.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import transaction

from oversight.accounts.models import Role, User
from oversight.campaigns.models import Campaign
from oversight.organisations.models import CONGRESS_CODE, Organisation
from oversight.organisations.models import Kind as OrganisationKind

from . import actions
from .models import Choice, EvaluationSession

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The twelve departments of Hebi's bulletin, by their codes in the elderly-care topic.
HEBI_DEPARTMENTS = [
    "minzheng",
    "fagai",
    "gongxin",
    "caizheng",
    "renshe",
    "ziranziyuan",
    "zhujian",
    "chengguan",
    "shangwu",
    "weijian",
    "shichangjianguan",
    "yibao",
]


@dataclass(frozen=True)
class DemoSession:
    campaign: str
    prefix: str
    title: str
    held_on: datetime.date
    roll: int
    # Per department, in order: (基本满意, 不满意) votes; the other voters answer 满意.
    counts: list[tuple[int, int]]
    voted: int
    note: str


ZHUMADIAN = DemoSession(
    campaign="zhumadian-2024",
    prefix="zmd",
    title="市直有关部门整改落实情况满意度测评",
    held_on=datetime.date(2024, 11, 15),
    roll=30,
    voted=29,
    counts=[(3, 1), (4, 2), (2, 0), (5, 3), (3, 1), (3, 4), (2, 2), (4, 1), (5, 3), (3, 2), (4, 4)],
    note=(
        "示意数据：简报只记载对11个市直部门的测评结果均为“满意”、满意率均在83%以上；"
        "测评日期、人数与票数为演示编写。"
    ),
)
HEBI = DemoSession(
    campaign="hebi-2024",
    prefix="hebi",
    title="市政府有关部门整改工作满意度测评",
    held_on=datetime.date(2024, 10, 24),
    roll=28,
    voted=26,
    counts=[
        (4, 1),
        (3, 0),
        (5, 2),
        (2, 1),
        (4, 2),
        (6, 3),
        (5, 2),
        (4, 3),
        (3, 1),
        (2, 0),
        (4, 1),
        (3, 2),
    ],
    note=(
        "示意数据：简报记载2024年10月24日市人大常委会听取整改情况报告并对12个部门开展"
        "满意度测评，未公布人数与票数；票数为演示编写。"
    ),
)


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI)


def _password() -> str:
    from oversight.demo.loader import demo_password_hash

    return demo_password_hash()


def _members(congress: Organisation, prefix: str, count: int) -> list[User]:
    """``zmd-member-01`` …: created in one query, with the demo password hashed once."""
    names = [f"{prefix}-member-{number:02d}" for number in range(1, count + 1)]
    existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    if len(existing) < len(names):
        User.objects.bulk_create(
            User(
                username=name,
                password=_password(),
                organisation=congress,
                role=Role.CONGRESS_MEMBER,
                full_name=f"{congress.name}组成人员{name[-2:]}",
            )
            for name in names
            if name not in existing
        )
    users = {user.username: user for user in User.objects.filter(username__in=names)}
    return [users[name] for name in names]


def _departments(campaign: Campaign, spec: DemoSession) -> list[Organisation]:
    if spec is ZHUMADIAN:
        # The city departments the problem list was assigned to.
        assigned = Organisation.objects.filter(
            kind=OrganisationKind.DEPARTMENT,
            region=campaign.region,
            lead_assignments__problem__campaign=campaign,
        )
        return list(assigned.distinct().order_by("pk"))
    found = {
        department.code: department
        for department in Organisation.objects.filter(
            region=campaign.region, code__in=HEBI_DEPARTMENTS
        )
    }
    return [found[code] for code in HEBI_DEPARTMENTS]


def _ballot_papers(departments: list[Organisation], spec: DemoSession) -> list[dict[int, str]]:
    """Each voter's answers: per department the set number of each choice, spread over
    the voters so that no voter is the one who is dissatisfied everywhere."""
    papers: list[dict[int, str]] = [{} for _ in range(spec.voted)]
    for index, department in enumerate(departments):
        basic, unsatisfied = spec.counts[index]
        column = (
            [Choice.UNSATISFIED.value] * unsatisfied
            + [Choice.BASICALLY_SATISFIED.value] * basic
            + [Choice.SATISFIED.value] * (spec.voted - basic - unsatisfied)
        )
        shift = (index * 7) % spec.voted
        column = column[shift:] + column[:shift]
        for paper, choice in zip(papers, column, strict=True):
            paper[department.pk] = choice
    return papers


def _load_session(spec: DemoSession) -> EvaluationSession | None:
    campaign = Campaign.objects.filter(slug=spec.campaign).select_related("region").first()
    if (
        campaign is None
        or EvaluationSession.objects.filter(campaign=campaign, title=spec.title).exists()
    ):
        return None
    congress = Organisation.objects.get(region=campaign.region, code=CONGRESS_CODE)
    staff = User.objects.get(username=f"{spec.prefix}-staff")
    members = _members(congress, spec.prefix, spec.roll)
    departments = _departments(campaign, spec)
    session = actions.open_session(
        actor=staff,
        campaign=campaign,
        title=spec.title,
        held_on=spec.held_on,
        departments=departments,
        voters=members,
        note=spec.note,
        at=_at(spec.held_on, 9),
    )
    for voter, paper in zip(members, _ballot_papers(departments, spec), strict=False):
        actions.cast_ballots(voter=voter, session=session, choices=paper)
    return actions.close_session(actor=staff, session=session, at=_at(spec.held_on, 11))


@transaction.atomic
def load_demo() -> None:
    """Called by ``oversight demo`` after the campaigns are loaded; safe to run again."""
    for spec in (ZHUMADIAN, HEBI):
        _load_session(spec)
