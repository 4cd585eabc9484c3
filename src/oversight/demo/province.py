"""Synthetic province-scale data: every city and county of Henan, up to 100,000s of problems.

For measuring pages at scale, not for showing: every campaign made here is marked
illustrative and named “（合成数据）”. Rows are written in bulk (no actions, no signals),
but each problem gets the rows the real actions would have written for its status: raw
reports merged into it, the assignment, progress reports and completion claims, and the
history (形成问题 → 归并 → 交办 → 整改进展 → 申请办结 → 确认办结) with the same facts: so
2 events for a problem still 待交办, up to 6 for one 已办结. A pending problem has no
assignment yet, as with the real actions.

Questionnaires already in the campaigns filled get answers too, written the same way: one
response per problem generated for the campaign (at least ``RESPONSES_AT_LEAST``), or
``responses`` in all; each answer one the public page would accept.

With ``facilities``, the registry and the figures the compliance tables read: that many
facilities spread over every county (statuses, dates and licences the registry form would
accept), and a value of every entered indicator for every region in each of the last eight
years, but none where one is already recorded.
"""

from __future__ import annotations

import datetime
import itertools
import json
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import JSONField, Max, Model
from django.utils import timezone

from oversight.accounts.models import Role, User
from oversight.campaigns.actions import ensure_child_campaign
from oversight.campaigns.models import Campaign
from oversight.facilities.catalogue import FacilityKind, facility_kinds
from oversight.facilities.models import Facility
from oversight.facilities.models import Status as FacilityStatus
from oversight.facilities.registry import registry_figures_on
from oversight.indicators import periods as period_tools
from oversight.indicators.catalogue import Indicator, Standard, catalogue
from oversight.indicators.models import IndicatorValue, Source
from oversight.organisations.models import CONGRESS_CODE, Organisation
from oversight.organisations.models import Kind as OrganisationKind
from oversight.organisations.services import load_reference_data
from oversight.problems.models import (
    Assignment,
    Channel,
    EventKind,
    Kind,
    Problem,
    ProblemEvent,
    ProgressReport,
    RawReport,
    RectificationType,
    Status,
)
from oversight.regions.models import Level, Region
from oversight.surveys.actions import region_choices
from oversight.surveys.models import Answer, QuestionKind, Questionnaire, ResponseChannel
from oversight.surveys.models import Response as SurveyResponse
from oversight.surveys.models import Status as QuestionnaireStatus
from oversight.topics.models import ProblemArea, Topic

PROVINCE_SLUG = "henan-2024"
PROVINCE_CODE = "410000"
DEMO_CITY_SLUGS = ("zhumadian-2024", "hebi-2024")
SYNTHETIC = "（合成数据）"
TOPIC_SLUG = "elderly-care"
STARTS_ON = datetime.date(2024, 3, 1)
ENDS_ON = datetime.date(2024, 12, 31)
BATCH = 5_000
LEVELS = 3  # province, city, county: a problem and the linked ones below it
SHANGHAI = ZoneInfo("Asia/Shanghai")

# How the problems of a campaign are spread over the five statuses (weights).
STATUS_WEIGHTS = {
    Status.PENDING: 10,
    Status.ASSIGNED: 20,
    Status.IN_PROGRESS: 30,
    Status.COMPLETION_REQUESTED: 10,
    Status.COMPLETED: 30,
}
# Share of the problems going to the province's own campaign, to each city's, to each county's.
CAMPAIGN_WEIGHTS = {Level.PROVINCE: 20, Level.CITY: 3, Level.COUNTY: 1}
TITLES = (
    "养老机构消防设施不达标",
    "社区养老服务设施未按规定配建移交",
    "农村幸福院建成后闲置，运营困难",
    "老年助餐点覆盖不足，补贴发放滞后",
    "医养结合机构审批流程繁琐",
    "养老护理员持证上岗率低，流失严重",
    "养老服务补贴资金拨付不及时",
    "居家养老上门服务项目少、质量不高",
    "养老服务用地规划未落实",
    "特困人员供养服务设施改造滞后",
    "养老政策宣传不到位，群众知晓率低",
    "民办养老机构运营补贴标准不明确",
)
PROGRESS_TEXT = "已制定整改方案，明确责任人和时间表，正在逐项推进。"
CLAIM_TEXT = "问题已整改到位，相关台账和佐证材料已存档，申请办结。"
ACCEPT_NOTE = "经核查，整改到位，同意办结。"
REQUIREMENTS = "请按期整改到位，每周报送整改进展。"

# Questionnaire answers: a questionnaire of a campaign that got few problems still gets these.
RESPONSES_AT_LEAST = 20
OFFLINE_SHARE = 0.3  # typed in from paper by the congress's staff
TEXT_ANSWERED = 0.3  # share of respondents who write something in an optional text question
SURVEY_TEXTS = (
    "建议增加社区助餐点。",
    "希望上门服务多一些。",
    "养老机构收费请公开透明。",
    "盼望老旧小区加装电梯。",
    "希望多组织老年人活动。",
    "护理员水平有待提高。",
)

Progress = Callable[[str], None]


@dataclass
class Generated:
    problems: int = 0
    linked: int = 0  # more problems: those assigned down, in the lower congresses' lists
    campaigns: list[Campaign] = field(default_factory=list)
    responses: int = 0
    answers: int = 0
    facilities: int = 0
    values: int = 0  # indicator values: none where one was already recorded


@dataclass
class _Target:
    """A campaign to fill, with what its problems may concern and be assigned to."""

    campaign: Campaign
    congress: Organisation
    regions: list[Region]
    assignees: list[Organisation]
    departments: list[Organisation]
    staff: User
    next_number: int


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI)


def _campaign_name(region: Region) -> str:
    return f"{region.name}养老服务联动监督（2024年）{SYNTHETIC}"


def _ensure_campaign(
    slug: str, region: Region, congress: Organisation, topic: Topic, parent: Campaign | None
) -> Campaign:
    campaign, _ = Campaign.objects.get_or_create(
        slug=slug,
        defaults={
            "name": _campaign_name(region),
            "topic": topic,
            "congress": congress,
            "region": region,
            "starts_on": STARTS_ON,
            "ends_on": ENDS_ON,
            "parent": parent,
            "source": "generate-province 生成的合成数据，用于规模测试",
            "is_illustrative": True,
        },
    )
    return campaign


def ensure_province_campaigns(topic: Topic) -> list[Campaign]:
    """The province's campaign, one per city and one per county, linked by ``parent``.

    The demo's city campaigns, where loaded, become children of the province's too.
    """
    regions = list(Region.objects.select_related("parent"))
    congresses = {o.region_id: o for o in Organisation.objects.filter(code=CONGRESS_CODE)}
    province = next(r for r in regions if r.code == PROVINCE_CODE)
    top = _ensure_campaign(PROVINCE_SLUG, province, congresses[province.pk], topic, None)
    Campaign.objects.filter(slug__in=DEMO_CITY_SLUGS, parent__isnull=True).update(parent=top)
    campaigns = [top]
    for city in (r for r in regions if r.parent_id == province.pk):
        city_campaign = _ensure_campaign(
            f"{PROVINCE_SLUG}-{city.code}", city, congresses[city.pk], topic, top
        )
        campaigns.append(city_campaign)
        for county in (r for r in regions if r.parent_id == city.pk):
            campaigns.append(
                _ensure_campaign(
                    f"{PROVINCE_SLUG}-{county.code}",
                    county,
                    congresses[county.pk],
                    topic,
                    city_campaign,
                )
            )
    return campaigns


MANAGER_ROLE = Role.CONGRESS_STAFF  # runs intake, assignment and review (can_manage)
RECTIFIER_ROLES = (Role.LIAISON, Role.COUNTY_STAFF)  # reports for the assignee (can_rectify)


class _People:
    """Who acts in the generated history: per congress a manager, per assignee a rectifier.

    An existing account is used where there is one (zmd-staff, zmd-minzheng, zmd-411727 …),
    else a synthetic one that cannot sign in, with the role the real action would require.
    """

    def __init__(self) -> None:
        self.managers: dict[int, User] = {}
        self.rectifiers: dict[int, User] = {}
        for user in User.objects.exclude(role="").filter(organisation__isnull=False).order_by("pk"):
            self._keep(user)

    def _keep(self, user: User) -> None:
        assert user.organisation_id is not None
        if user.role == MANAGER_ROLE:
            self.managers.setdefault(user.organisation_id, user)
        elif user.role in RECTIFIER_ROLES:
            self.rectifiers.setdefault(user.organisation_id, user)

    def ensure(
        self, managed: Sequence[Organisation], assignees: Sequence[Organisation] = ()
    ) -> None:
        """A manager for each congress of ``managed`` and a rectifier for each assignee that
        has none yet, in one insert."""
        password = make_password(None)  # unusable: these accounts only sign the history
        users = [
            self._user(congress, "staff", MANAGER_ROLE, password)
            for congress in managed
            if congress.pk not in self.managers
        ]
        for organisation in assignees:
            if organisation.pk not in self.rectifiers:
                role = (
                    Role.LIAISON
                    if organisation.kind == OrganisationKind.DEPARTMENT
                    else Role.COUNTY_STAFF
                )
                users.append(self._user(organisation, organisation.code, role, password))
        if not users:
            return
        User.objects.bulk_create(users, ignore_conflicts=True)
        for user in User.objects.filter(username__in=[u.username for u in users]):
            self._keep(user)

    @staticmethod
    def _user(organisation: Organisation, suffix: str, role: str, password: str) -> User:
        return User(
            username=f"synth-{organisation.region.code}-{suffix}",
            full_name=f"{organisation.name}（合成）",
            organisation=organisation,
            role=role,
            password=password,
        )


def _targets(campaigns: Sequence[Campaign], people: _People) -> list[_Target]:
    if not campaigns:
        return []
    regions = list(Region.objects.all())
    children: dict[int | None, list[Region]] = {}
    for region in regions:
        children.setdefault(region.parent_id, []).append(region)
    organisations: dict[int, list[Organisation]] = {}
    for organisation in Organisation.objects.select_related("region"):
        organisations.setdefault(organisation.region_id, []).append(organisation)
    numbers = dict(
        Problem.objects.filter(campaign__in=campaigns)
        .values("campaign")
        .annotate(top=Max("number"))
        .values_list("campaign", "top")
    )
    targets = []
    for campaign in campaigns:
        region = campaign.region
        below = children.get(region.pk, [])
        subtree = [region, *below, *(c for r in below for c in children.get(r.pk, []))]
        own = organisations.get(region.pk, [])
        departments = [o for o in own if o.kind == OrganisationKind.DEPARTMENT]
        lower = [
            o
            for r in below
            for o in organisations.get(r.pk, [])
            if o.kind == OrganisationKind.CONGRESS
        ]
        congress = next(o for o in own if o.pk == campaign.congress_id)
        people.ensure([congress], [*departments, *lower])
        targets.append(
            _Target(
                campaign=campaign,
                congress=congress,
                regions=subtree,
                assignees=departments + lower,
                departments=departments,
                staff=people.managers[congress.pk],
                next_number=(numbers.get(campaign.pk) or 0) + 1,
            )
        )
    return targets


def _campaigns_below(targets: Sequence[_Target], people: _People) -> dict[tuple[int, int], _Target]:
    """Per campaign and lower congress it may assign to, the campaign where ``assign`` puts
    the linked problem: ``ensure_child_campaign``'s (the congress's first campaign below that
    one, opened if there is none yet), filled here too if it was not already."""
    below: dict[tuple[int, int], Campaign] = {}
    for target in targets:
        for congress in target.assignees:
            if congress.kind == OrganisationKind.CONGRESS:
                child = ensure_child_campaign(target.campaign, congress)
                below[(target.campaign.pk, congress.pk)] = child
    filled = {target.campaign.pk: target for target in targets}
    others = {c.pk: c for c in below.values() if c.pk not in filled}
    if others:
        more = Campaign.objects.filter(pk__in=others).select_related("region", "congress")
        filled.update((t.campaign.pk, t) for t in _targets(list(more), people))
    return {key: filled[child.pk] for key, child in below.items()}


class _Table:
    """Rows of one model as tuples of ``columns`` (attribute names), written in bulk.

    On PostgreSQL with COPY, elsewhere with one INSERT run for every row: building a
    million model instances for ``bulk_create`` alone takes longer than the two minutes
    100,000 problems may take. Fields not in ``columns`` get their model default, so a field
    added later (with a default) needs no change here.
    """

    def __init__(self, model: type[Model], columns: Sequence[str]) -> None:
        self.model = model
        self.columns = tuple(columns)
        now = timezone.now()
        self.defaults: dict[str, Any] = {}
        for f in model._meta.concrete_fields:
            if f.attname in self.columns or f.primary_key:
                continue
            auto = getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False)
            self.defaults[f.attname] = now if auto else f.get_default()
        self.json = {f.attname for f in model._meta.concrete_fields if isinstance(f, JSONField)}
        self.rows: list[tuple[Any, ...]] = []

    def set(self, row: int, column: str, value: Any) -> None:
        """Change one value of a row not yet written (a fact known only later)."""
        at = self.columns.index(column)
        self.rows[row] = (*self.rows[row][:at], value, *self.rows[row][at + 1 :])

    def write(self) -> None:
        if not self.rows:
            return
        if connection.vendor == "postgresql":
            self._copy()
        else:
            self._insert_many()
        self.rows = []

    def _insert_many(self) -> None:
        # Each value prepared by its field, as bulk_create would (datetimes in UTC, JSON
        # dumped), without a model instance per row: twice as fast on SQLite.
        meta = self.model._meta
        names = [*self.columns, *self.defaults]
        fields = {f.attname: f for f in meta.concrete_fields}
        prepare = [fields[n].get_db_prep_save for n in names]
        extra = tuple(self.defaults.values())
        quote = connection.ops.quote_name
        columns = ", ".join(quote(fields[n].column) for n in names)
        marks = ", ".join(["%s"] * len(names))
        sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})"
        database = connections[DEFAULT_DB_ALIAS]  # not the proxy: it is asked per value
        values = [
            tuple(p(v, database) for p, v in zip(prepare, row + extra, strict=True))
            for row in self.rows
        ]
        with connection.cursor() as cursor:
            cursor.executemany(sql, values)

    def _copy(self) -> None:
        meta = self.model._meta
        names = [*self.columns, *self.defaults]
        column = {f.attname: f.column for f in meta.concrete_fields}
        columns = ", ".join(connection.ops.quote_name(column[n]) for n in names)
        json_at = [i for i, n in enumerate(names) if n in self.json]
        extra = tuple(json.dumps(v) if n in self.json else v for n, v in self.defaults.items())
        table = connection.ops.quote_name(meta.db_table)
        sql = f"COPY {table} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in self.rows:
                if json_at:
                    values = list(row)
                    for i in json_at:
                        values[i] = json.dumps(values[i], ensure_ascii=False)
                    row = tuple(values)
                copy.write_row(row + extra)


def _new_keys(model: type[Model], count: int) -> list[int]:
    """Primary keys for ``count`` rows about to be inserted, so related rows can name them."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite holds the write lock for the whole transaction: nobody else takes these.
        top = model._default_manager.aggregate(top=Max("pk"))["top"] or 0
        return list(range(top + 1, top + count + 1))


class _Batch:
    """The rows of up to ``BATCH`` problems, written together in one transaction."""

    def __init__(self, size: int) -> None:
        self.size = size
        # A problem assigned down brings a linked one below, and that one may go down again.
        self.problem_ids = iter(_new_keys(Problem, size * LEVELS))
        self.assignment_ids = iter(_new_keys(Assignment, size * LEVELS))
        self.count = 0
        self.problems = _Table(
            Problem,
            (
                "id",
                "campaign_id",
                "number",
                "title",
                "description",
                "kind",
                "area_id",
                "region_id",
                "status",
                "rectification_type",
                "completed_at",
                "upper_id",
            ),
        )
        self.raw = _Table(
            RawReport,
            (
                "problem_id",
                "campaign_id",
                "channel",
                "text",
                "reporter",
                "region_id",
                "received_on",
                "created_by_id",
            ),
        )
        self.assignments = _Table(
            Assignment,
            (
                "id",
                "problem_id",
                "assignee_id",
                "deadline",
                "requirements",
                "assigned_by_id",
                "assigned_at",
            ),
        )
        through = Assignment.co_departments.through
        self.co = _Table(through, ("assignment_id", "organisation_id"))
        self.reports = _Table(
            ProgressReport,
            (
                "problem_id",
                "organisation_id",
                "author_id",
                "text",
                "reported_on",
                "is_completion_claim",
            ),
        )
        self.events = _Table(
            ProblemEvent,
            (
                "problem_id",
                "kind",
                "actor_id",
                "from_status",
                "to_status",
                "note",
                "details",
                "created_at",
            ),
        )

    def write(self) -> None:
        for table in (
            self.problems,
            self.raw,
            self.assignments,
            self.co,
            self.reports,
            self.events,
        ):
            table.write()


# What a lower congress's linked problem may have reached, by the status of the problem above
# it: its own answer comes before the upper one can be claimed, so a claimed or done upper
# problem has a done lower one.
LINKED_STATUSES = {
    Status.ASSIGNED: (Status.PENDING, Status.ASSIGNED),
    Status.IN_PROGRESS: (Status.ASSIGNED, Status.IN_PROGRESS, Status.COMPLETION_REQUESTED),
    Status.COMPLETION_REQUESTED: (Status.COMPLETED,),
    Status.COMPLETED: (Status.COMPLETED,),
}


@dataclass(frozen=True)
class _Problem:
    pk: int
    row: int  # its row in the batch, to set completed_at when it gets there
    status: str
    number: int
    title: str
    kind: str
    area: int
    region: Region
    rectification: str


@dataclass(frozen=True)
class _Upper:
    """The problem a linked one was assigned down from, as the lower one needs it."""

    problem: _Problem
    congress: str
    staff: int  # assigned it down: the linked problem's first events are theirs
    deadline: datetime.date
    # The lower problem's history ends by then: when the answer above was claimed, or now.
    by: datetime.datetime


class _Writer:
    def __init__(
        self,
        areas: Sequence[ProblemArea],
        people: _People,
        rng: random.Random,
        now: datetime.datetime,
        below: dict[tuple[int, int], _Target] | None = None,
    ) -> None:
        self.people = people
        self.areas = [area.pk for area in areas]
        self.rng = rng
        self.now = now
        self.today = now.astimezone(SHANGHAI).date()
        self.statuses = list(STATUS_WEIGHTS)
        self.status_weights = list(STATUS_WEIGHTS.values())
        # (campaign, lower congress) → that congress's campaign below: where a problem
        # assigned down becomes a linked problem, as ``assign`` does.
        self.below = below or {}
        self.linked = 0

    def _later(
        self, moment: datetime.datetime, low: int, high: int, by: datetime.datetime
    ) -> datetime.datetime:
        """Some days and an hour after ``moment``, but not after ``by`` (never before
        ``moment``: ``by`` is not)."""
        days = datetime.timedelta(days=self.rng.randint(low, high), hours=1)
        return min(moment + days, by)

    def add(self, batch: _Batch, target: _Target) -> None:
        """One problem from the channels and the rows the actions would have written to bring
        it to its status (and its linked problem below, where it went to a lower congress)."""
        rng = self.rng
        region = rng.choice(target.regions)
        status = rng.choices(self.statuses, self.status_weights)[0]
        if status != Status.PENDING and not target.assignees:
            status = Status.PENDING
        received = target.campaign.starts_on + datetime.timedelta(days=rng.randint(10, 60))
        merged = _at(received + datetime.timedelta(days=rng.randint(20, 40)), 9)
        title = f"{region.name}{rng.choice(TITLES)}"[:100]
        staff = target.staff.pk
        problem = self._problem(
            batch,
            target,
            title=title,
            kind=rng.choice(Kind.values),
            area=rng.choice(self.areas),
            region=region,
            status=status,
            upper=None,
        )
        for index, channel in enumerate(rng.sample(Channel.values, 3)):
            batch.raw.rows.append(
                (
                    problem.pk,
                    target.campaign.pk,
                    channel,
                    f"反映：{title}（{index + 1}）",
                    "",
                    region.pk,
                    received + datetime.timedelta(days=index * 7),
                    staff,
                )
            )
        batch.events.rows += [
            (problem.pk, EventKind.CREATED, staff, "", Status.PENDING, "", {}, merged),
            (problem.pk, EventKind.MERGED, staff, "", "", "", {"count": 3}, merged),
        ]
        self._carry_on(batch, target, problem, merged, self.now, deadline_by=None)

    def _problem(
        self,
        batch: _Batch,
        target: _Target,
        *,
        title: str,
        kind: str,
        area: int,
        region: Region,
        status: str,
        upper: _Upper | None,
    ) -> _Problem:
        number = target.next_number
        target.next_number += 1
        rectifying = status in (Status.IN_PROGRESS, Status.COMPLETION_REQUESTED, Status.COMPLETED)
        problem = _Problem(
            pk=next(batch.problem_ids),
            row=len(batch.problems.rows),
            status=status,
            number=number,
            title=title,
            kind=kind,
            area=area,
            region=region,
            rectification=self.rng.choice(RectificationType.values) if rectifying else "",
        )
        batch.problems.rows.append(
            (
                problem.pk,
                target.campaign.pk,
                number,
                title,
                f"合成数据：{title}。",
                kind,
                area,
                region.pk,
                status,
                problem.rectification,
                None,  # completed_at: set by _carry_on when it gets there
                upper.problem.pk if upper else None,
            )
        )
        return problem

    def _linked(
        self, batch: _Batch, target: _Target, upper: _Upper, created: datetime.datetime
    ) -> None:
        """The problem assigned down, in the lower congress's list (待交办 there first),
        copied as ``assign`` copies it: title, kind and area, region kept if it lies below."""
        above = upper.problem
        inside = above.region.pk in {r.pk for r in target.regions}
        problem = self._problem(
            batch,
            target,
            title=above.title,
            kind=above.kind,
            area=above.area,
            region=above.region if inside else target.campaign.region,
            status=self.rng.choice(LINKED_STATUSES[Status(above.status)]),
            upper=upper,
        )
        self.linked += 1
        facts = {"from": upper.congress, "code": f"{above.number:03d}", "upper": above.pk}
        batch.events.rows += [
            (problem.pk, EventKind.CREATED, upper.staff, "", Status.PENDING, "", {}, created),
            (problem.pk, EventKind.LINKED, upper.staff, "", "", "", facts, created),
        ]
        self._carry_on(batch, target, problem, created, upper.by, upper.deadline)

    def _carry_on(
        self,
        batch: _Batch,
        target: _Target,
        problem: _Problem,
        created: datetime.datetime,
        by: datetime.datetime,
        deadline_by: datetime.date | None,
    ) -> None:
        """Assignment, progress, claim and acceptance, as far as the problem's status goes,
        each after the one before and none after ``by`` (now, or when the answer above was
        claimed: a linked problem is done before the problem above it is claimed)."""
        status = problem.status
        if status == Status.PENDING:
            return
        rng = self.rng
        staff = target.staff.pk
        assigned = self._later(created, 3, 15, by)
        progressed = self._later(assigned, 7, 30, by)
        claimed = self._later(progressed, 7, 60, by)
        accepted = self._later(claimed, 1, 10, by)
        assignee = rng.choice(target.assignees)
        # Deadlines both passed and still ahead, never before the day of assignment (nor,
        # below, after the upper deadline, unless that has passed before this assignment).
        assigned_on = assigned.astimezone(SHANGHAI).date()
        deadline = max(
            assigned_on + datetime.timedelta(days=7),
            self.today + datetime.timedelta(days=rng.randint(-300, 300)),
        )
        if deadline_by is not None:
            deadline = max(min(deadline, deadline_by), assigned_on)
        assignment = next(batch.assignment_ids)
        batch.assignments.rows.append(
            (assignment, problem.pk, assignee.pk, deadline, REQUIREMENTS, staff, assigned)
        )
        if assignee.kind == OrganisationKind.DEPARTMENT and rng.random() < 0.3:
            others = [d for d in target.departments if d.pk != assignee.pk]
            for co in rng.sample(others, min(len(others), rng.randint(1, 2))):
                batch.co.rows.append((assignment, co.pk))
        facts = {"assignee": assignee.name, "deadline": deadline.isoformat()}
        events = batch.events.rows
        events.append(
            (
                problem.pk,
                EventKind.ASSIGNED,
                staff,
                Status.PENDING,
                Status.ASSIGNED,
                "",
                facts,
                assigned,
            )
        )
        lower = self.below.get((target.campaign.pk, assignee.pk))
        if lower is not None:
            claimed_above = status in (Status.COMPLETION_REQUESTED, Status.COMPLETED)
            upper = _Upper(
                problem=problem,
                congress=target.congress.name,
                staff=staff,
                deadline=deadline,
                by=claimed if claimed_above else by,
            )
            self._linked(batch, lower, upper, assigned)
        if status == Status.ASSIGNED:
            return
        liaison = self.people.rectifiers[assignee.pk].pk
        reports = batch.reports.rows
        progress_on, claim_on = (t.astimezone(SHANGHAI).date() for t in (progressed, claimed))
        reports.append((problem.pk, assignee.pk, liaison, PROGRESS_TEXT, progress_on, False))
        events.append(
            (
                problem.pk,
                EventKind.PROGRESS,
                liaison,
                Status.ASSIGNED,
                Status.IN_PROGRESS,
                PROGRESS_TEXT,
                {"rectification_type": problem.rectification},
                progressed,
            )
        )
        if status == Status.IN_PROGRESS:
            return
        reports.append((problem.pk, assignee.pk, liaison, CLAIM_TEXT, claim_on, True))
        events.append(
            (
                problem.pk,
                EventKind.CLAIMED,
                liaison,
                Status.IN_PROGRESS,
                Status.COMPLETION_REQUESTED,
                CLAIM_TEXT,
                {},
                claimed,
            )
        )
        if status == Status.COMPLETED:
            batch.problems.set(problem.row, "completed_at", accepted)
            events.append(
                (
                    problem.pk,
                    EventKind.ACCEPTED,
                    staff,
                    Status.COMPLETION_REQUESTED,
                    Status.COMPLETED,
                    ACCEPT_NOTE,
                    {},
                    accepted,
                )
            )


@dataclass(frozen=True)
class _Question:
    pk: int
    kind: str
    required: bool
    options: list[int]
    # The first options a little more popular than the last, so the charts are not flat.
    weights: list[int]
    max_choices: int
    scale: range


@dataclass
class _Survey:
    """A published (or closed) questionnaire to answer, with what its answers may be."""

    questionnaire: int
    questions: list[_Question]
    regions: list[int]  # the lowest of the campaign's regions: where people live
    staff: int  # types the offline responses in: a manager of the campaign's congress
    opens: datetime.datetime
    seconds: int  # how long it was open: the responses are spread over that time


def _surveys(targets: Sequence[_Target]) -> dict[int, list[_Survey]]:
    """Per campaign, its questionnaires that take answers (never a draft)."""
    by_campaign: dict[int, list[_Survey]] = {}
    questionnaires = (
        Questionnaire.objects.filter(campaign__in=[t.campaign for t in targets])
        .exclude(status=QuestionnaireStatus.DRAFT)
        .prefetch_related("questions__options")
        .order_by("created_at", "pk")
    )
    staff = {t.campaign.pk: t.staff.pk for t in targets}
    campaigns = {t.campaign.pk: t.campaign for t in targets}
    now = timezone.now()
    for questionnaire in questionnaires:
        if not questionnaire.questions.all():  # not published through the actions
            continue
        campaign = campaigns[questionnaire.campaign_id]
        choices = list(region_choices(campaign))
        parents = {r.parent_id for r in choices}
        opens = questionnaire.published_at or questionnaire.created_at
        closes = max(questionnaire.closed_at or now, opens)
        questions = [
            _Question(
                pk=q.pk,
                kind=q.kind,
                required=q.required,
                options=[o.pk for o in q.options.all()],
                weights=list(range(len(q.options.all()) + 2, 2, -1)),
                max_choices=q.max_choices or len(q.options.all()),
                scale=q.scale,
            )
            for q in questionnaire.questions.all()
        ]
        by_campaign.setdefault(campaign.pk, []).append(
            _Survey(
                questionnaire=questionnaire.pk,
                questions=questions,
                regions=[r.pk for r in choices if r.pk not in parents],
                staff=staff[campaign.pk],
                opens=opens,
                seconds=int((closes - opens).total_seconds()),
            )
        )
    return by_campaign


class _Responses:
    """Up to ``BATCH`` responses and their answers, written together in one transaction."""

    def __init__(self, size: int) -> None:
        self.ids = iter(_new_keys(SurveyResponse, size))
        self.responses = _Table(
            SurveyResponse,
            ("id", "questionnaire_id", "channel", "entered_by_id", "region_id", "created_at"),
        )
        self.answers = _Table(
            Answer, ("response_id", "question_id", "option_id", "value", "region_id", "text")
        )

    def add(self, survey: _Survey, rng: random.Random) -> None:
        """One response with an answer to each question the public page would accept."""
        response = next(self.ids)
        rows: list[tuple[Any, ...]] = []
        region = None
        for question in survey.questions:
            kind = question.kind
            if kind == QuestionKind.SINGLE and question.options:
                option = rng.choices(question.options, question.weights)[0]
                rows.append((response, question.pk, option, None, None, ""))
            elif kind == QuestionKind.MULTIPLE and question.options:
                wanted = rng.randint(1, question.max_choices)
                # Weighted sampling without replacement: the largest of random() ** (1 / w).
                keyed = sorted(
                    zip(question.options, question.weights, strict=True),
                    key=lambda pair: rng.random() ** (1 / pair[1]),
                )
                for option, _weight in sorted(keyed[-wanted:]):
                    rows.append((response, question.pk, option, None, None, ""))
            elif kind == QuestionKind.RATING:
                # Higher scores more often, as in the demo's answers.
                value = rng.choices(question.scale, question.scale)[0]
                rows.append((response, question.pk, None, value, None, ""))
            elif kind == QuestionKind.REGION and survey.regions:
                region = rng.choice(survey.regions)
                rows.append((response, question.pk, None, None, region, ""))
            elif kind == QuestionKind.TEXT and (question.required or rng.random() < TEXT_ANSWERED):
                text = f"{rng.choice(SURVEY_TEXTS)}{SYNTHETIC}"
                rows.append((response, question.pk, None, None, None, text))
        if not rows:  # only optional text questions, all skipped: a response answers one
            rows.append((response, survey.questions[0].pk, None, None, None, f"无{SYNTHETIC}"))
        offline = rng.random() < OFFLINE_SHARE
        created = survey.opens + datetime.timedelta(seconds=rng.randint(0, survey.seconds))
        self.responses.rows.append(
            (
                response,
                survey.questionnaire,
                ResponseChannel.OFFLINE if offline else ResponseChannel.ONLINE,
                survey.staff if offline else None,
                region,
                created,
            )
        )
        self.answers.rows += rows

    def write(self) -> None:
        self.responses.write()
        self.answers.write()


def _answer_surveys(
    plan: Sequence[tuple[_Survey, int]],
    rng: random.Random,
    progress: Progress | None,
) -> tuple[int, int]:
    """Write ``count`` responses to each survey of ``plan``; returns (responses, answers)."""
    total = sum(count for _, count in plan)
    queue = (survey for survey, count in plan for _ in range(count))
    done = answers = 0
    while done < total:
        size = min(BATCH, total - done)
        with transaction.atomic():
            batch = _Responses(size)
            for survey in itertools.islice(queue, size):
                batch.add(survey, rng)
            answers += len(batch.answers.rows)
            batch.write()
        before, done = done, done + size
        if progress is not None and (done // 10_000 > before // 10_000 or done == total):
            progress(f"{done:,} / {total:,} 份答卷")
    return done, answers


def _response_plan(
    surveys: dict[int, list[_Survey]], problems: Counter[int], responses: int | None
) -> list[tuple[_Survey, int]]:
    """How many responses each survey gets: ``responses`` shared out evenly, or one per
    problem generated for its campaign (at least ``RESPONSES_AT_LEAST``)."""
    flat = [(campaign, survey) for campaign, own in surveys.items() for survey in own]
    if responses is None:
        return [(s, max(problems[c], RESPONSES_AT_LEAST)) for c, s in flat]
    share, left = divmod(responses, len(flat)) if flat else (0, 0)
    return [(s, share + (1 if i < left else 0)) for i, (_, s) in enumerate(flat)]


# Facilities and indicator values (``facilities``): what the compliance tables and the
# facility registry pages are computed from, for every region of the province. They belong
# to regions, not campaigns, so ``into`` does not concern them.
FACILITY_KIND_WEIGHTS = {  # kinds not named here get 1
    "street-centre": 1,
    "day-care": 4,
    "meal": 4,
    "medical-care": 1,
    "township-home": 2,
    "family-bed": 3,
}
FACILITY_STATUS_WEIGHTS = {
    FacilityStatus.PLANNED: 4,
    FacilityStatus.BUILDING: 8,
    FacilityStatus.BUILT: 18,
    FacilityStatus.OPERATING: 64,
    FacilityStatus.CLOSED: 6,
}
FIRST_BUILT = datetime.date(2012, 1, 1)
CONVERTED_SHARE = 0.3  # of the convertible kinds (乡镇敬老院) that operate
BOTH_LICENCES_SHARE = 0.7  # of the licensed kinds (医养结合机构) that operate
VALUE_PERIODS = 8  # years of entered values, up to the campaigns' year (as the demo's)
PASS_SHARE = 0.65  # values meeting their standard; the rest fall short
# Counts and amounts of a city or the province are about the sum of those below.
LEVEL_SCALE = {Level.PROVINCE: 150, Level.CITY: 9, Level.COUNTY: 1}
VALUE_NOTE = f"generate-province{SYNTHETIC}"
VALUE_SOURCES = (Source.STATISTICS, Source.SELF_INSPECTION)


def _ensure_managers(regions: Sequence[Region], people: _People) -> dict[int, User]:
    """Per region, a manager of its congress (who registers its facilities and enters its
    values): an existing account where there is one, else a synthetic one, all in one
    insert rather than one per region."""
    congresses = {
        o.region_id: o
        for o in Organisation.objects.filter(code=CONGRESS_CODE, region__in=regions).select_related(
            "region"
        )
    }
    people.ensure(list(congresses.values()))
    return {region_id: people.managers[c.pk] for region_id, c in congresses.items()}


def _between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randint(0, max((last - first).days, 0)))


def _facility_row(
    rng: random.Random,
    pk: int,
    topic: Topic,
    kind: FacilityKind,
    region: Region,
    creator: User,
    today: datetime.date,
) -> tuple[Any, ...]:
    """One facility whose status, dates and licences pass ``facility_errors``: built ≤
    operating ≤ ceased, none after ``today``."""
    status = rng.choices(list(FACILITY_STATUS_WEIGHTS), list(FACILITY_STATUS_WEIGHTS.values()))[0]
    built = operating = ceased = converted = None
    if status not in (FacilityStatus.PLANNED, FacilityStatus.BUILDING):
        built = _between(rng, FIRST_BUILT, today - datetime.timedelta(days=30))
    if status in (FacilityStatus.OPERATING, FacilityStatus.CLOSED):
        assert built is not None
        operating = min(built + datetime.timedelta(days=rng.randint(0, 365)), today)
    if status == FacilityStatus.CLOSED:
        assert operating is not None
        ceased = min(operating + datetime.timedelta(days=rng.randint(180, 2_000)), today)
    medical = care = False
    if kind.licences and operating is not None:
        medical = care = rng.random() < BOTH_LICENCES_SHARE
        if not medical:
            medical, care = rng.choice(((True, False), (False, True), (False, False)))
    if kind.convertible and status == FacilityStatus.OPERATING and rng.random() < CONVERTED_SHARE:
        assert operating is not None
        converted = _between(rng, max(operating, datetime.date(2020, 1, 1)), today)
    label = kind.name.split("（")[0]
    return (
        topic.pk,
        kind.code,
        f"{region.name}{label}{pk}{SYNTHETIC}",
        region.pk,
        f"{region.name}（合成地址）",
        status,
        built,
        operating,
        ceased,
        medical,
        care,
        converted,
        True,  # is_illustrative
        creator.pk,
        # Registered when built, or (planned, being built) today, but never later than now.
        min(_at(built or today, 10), timezone.now()),
    )


def _write_facilities(
    topic: Topic,
    count: int,
    people: _People,
    rng: random.Random,
    today: datetime.date,
    progress: Progress | None,
) -> int:
    """``count`` facilities spread evenly over the province's counties (each gets one before
    any gets two), of the topic's kinds, in batches of ``BATCH``."""
    kinds = list(facility_kinds(topic.slug).values())
    if count <= 0 or not kinds:
        return 0
    counties = list(
        Region.objects.filter(level=Level.COUNTY, parent__parent__code=PROVINCE_CODE).order_by(
            "code"
        )
    )
    managers = _ensure_managers(counties, people)
    weights = [FACILITY_KIND_WEIGHTS.get(k.code, 1) for k in kinds]
    # A rerun carries on from where the last one stopped, not from the first county.
    start = Facility.objects.filter(topic=topic).count()
    done = 0
    while done < count:
        size = min(BATCH, count - done)
        with transaction.atomic():
            table = _Table(
                Facility,
                (
                    "id",
                    "topic_id",
                    "kind",
                    "name",
                    "region_id",
                    "address",
                    "status",
                    "built_on",
                    "operating_since",
                    "ceased_on",
                    "medical_licence",
                    "care_licence",
                    "converted_on",
                    "is_illustrative",
                    "created_by_id",
                    "created_at",
                ),
            )
            for index, pk in enumerate(_new_keys(Facility, size), start=start + done):
                county = counties[index % len(counties)]
                kind = rng.choices(kinds, weights)[0]
                row = _facility_row(rng, pk, topic, kind, county, managers[county.pk], today)
                table.rows.append((pk, *row))
            table.write()
        before, done = done, done + size
        if progress is not None and (done // 10_000 > before // 10_000 or done == count):
            progress(f"{done:,} / {count:,} 个设施")
    return done


def _value_periods() -> list[str]:
    last = ENDS_ON.year
    return [str(year) for year in range(last - VALUE_PERIODS + 1, last + 1)]


def _around(rng: random.Random, standard: Standard, ceiling: Decimal | None) -> Decimal:
    """A value that meets ``standard`` (``PASS_SHARE`` of the time) or falls short of it."""
    threshold = float(standard.threshold) or 1.0
    meets = rng.random() < PASS_SHARE
    upward = standard.comparison in (">=", ">")
    higher = meets == upward
    factor = rng.uniform(1.02, 1.5) if higher else rng.uniform(0.55, 0.97)
    value = Decimal(str(round(threshold * factor, 2)))
    return min(value, ceiling) if ceiling is not None else value


def _plausible(
    rng: random.Random,
    indicator: Indicator,
    region: Region,
    year: int,
    basis: Decimal | None,
) -> Decimal:
    """A value of ``indicator`` for ``region`` in ``year``: around its standard where it has
    one; around ``basis`` (the registry count a derived ratio compares it with) where given;
    else within the usual range of its kind, growing a little year by year."""
    ceiling = Decimal(100) if indicator.is_percent else None
    standard = indicator.standard_for(region.level) or next(iter(indicator.standards), None)
    if standard is not None:
        return _around(rng, standard, ceiling)
    growth = 1 + (year - ENDS_ON.year + VALUE_PERIODS) * 0.04
    if basis is not None:
        value = float(basis) * rng.uniform(0.8, 1.25) if basis else rng.uniform(1, 20)
    elif indicator.is_percent:
        value = min(rng.uniform(35, 85) * growth, 99.5)
    else:
        value = rng.uniform(20, 300) * LEVEL_SCALE[Level(region.level)] * growth
    if indicator.kind == "count":
        return Decimal(max(1, round(value)))
    return Decimal(str(round(value, 2)))


def _bases(
    topic: Topic, regions: Sequence[Region], periods: Sequence[str]
) -> dict[tuple[str, int, str], Decimal]:
    """For an entered count that a derived ratio sets against a registry count (规划建设 vs
    已建成助餐点), that count per (entered code, region, period): the planned figure is drawn
    around what was built, so the completion rate falls on both sides of its standard."""
    indicators = catalogue(topic.slug)
    pairs = []
    for derived in indicators.values():
        if derived.obtained != "derived" or derived.derived_op != "ratio":
            continue
        numerator, denominator = (indicators[code] for code in derived.derived_of)
        if numerator.obtained == "registry" and denominator.obtained == "entered":
            pairs.append((denominator.code, numerator))
    if not pairs:
        return {}
    ends = {period: period_tools.end_of(period) for period in periods}
    figures = registry_figures_on(topic, regions, ends.values())
    bases: dict[tuple[str, int, str], Decimal] = {}
    for period, end in ends.items():
        for code, registry in pairs:
            for region in regions:
                value = figures[end].value(region, registry.facility_kind, registry.measure)
                bases[(code, region.pk, period)] = value or Decimal(0)
    return bases


def _write_values(
    topic: Topic,
    people: _People,
    rng: random.Random,
    progress: Progress | None,
) -> int:
    """A value of every entered indicator for every region of the province (province,
    cities, counties) in each of the last ``VALUE_PERIODS`` years, but none where one is
    already recorded (the demo's, an earlier run's): the unique constraint holds."""
    entered = [i for i in catalogue(topic.slug).values() if i.obtained == "entered"]
    regions = list(
        Region.objects.filter(Region.objects.get(code=PROVINCE_CODE).subtree_q()).order_by("code")
    )
    periods = _value_periods()
    existing = set(
        IndicatorValue.objects.filter(topic=topic, period__in=periods).values_list(
            "indicator", "region_id", "period"
        )
    )
    wanted = [
        (indicator, region, period)
        for region in regions
        for indicator in entered
        for period in periods
        if (indicator.code, region.pk, period) not in existing
    ]
    if not wanted:
        return 0
    managers = _ensure_managers(regions, people)
    bases = _bases(topic, regions, periods)
    now = timezone.now()
    done = 0
    for start in range(0, len(wanted), BATCH):
        with transaction.atomic():
            table = _Table(
                IndicatorValue,
                (
                    "topic_id",
                    "indicator",
                    "region_id",
                    "period",
                    "value",
                    "source",
                    "is_illustrative",
                    "note",
                    "entered_by_id",
                    "entered_at",
                ),
            )
            chunk = wanted[start : start + BATCH]
            for indicator, region, period in chunk:
                basis = bases.get((indicator.code, region.pk, period))
                value = _plausible(rng, indicator, region, int(period), basis)
                reported = period_tools.end_of(period) + datetime.timedelta(
                    days=rng.randint(10, 60)
                )
                table.rows.append(
                    (
                        topic.pk,
                        indicator.code,
                        region.pk,
                        period,
                        value,
                        rng.choice(VALUE_SOURCES),
                        True,
                        VALUE_NOTE,
                        managers[region.pk].pk,
                        min(_at(reported, 10), now),
                    )
                )
            table.write()
        done += len(chunk)
        if progress is not None:
            progress(f"{done:,} / {len(wanted):,} 个指标值")
    return done


def _generate_registry(
    topic: Topic,
    facilities: int,
    seed: int,
    today: datetime.date | None,
    progress: Progress | None,
) -> tuple[int, int]:
    """``facilities`` facilities and then the missing indicator values; returns how many
    of each were written (none of either without ``facilities``)."""
    if facilities <= 0:
        return 0, 0
    people = _People()
    # As for the problems: a rerun draws other facilities and values than the first run.
    rng = random.Random(f"{seed}-facilities-{Facility.objects.filter(topic=topic).count()}")
    day = today or timezone.localdate()
    written = _write_facilities(topic, facilities, people, rng, day, progress)
    return written, _write_values(topic, people, rng, progress)


def generate_province(
    problems: int,
    into: str | None = None,
    *,
    seed: int = 2024,
    progress: Progress | None = None,
    today: datetime.date | None = None,
    responses: int | None = None,
    facilities: int = 0,
) -> Generated:
    """Add ``problems`` synthetic problems across the province's campaigns (made if absent),
    or all into the campaign ``into``; those assigned to a lower congress get their linked
    problem in its campaign below, as ``assign`` does (opening it if need be). Running again
    adds more, numbered after the last.
    The questionnaires of those campaigns get answers: one response per problem, or
    ``responses`` in all. With ``facilities``, that many facilities over the province's
    counties too, and the entered indicator values of every region that has none yet
    (whatever ``into``): with no problems nor responses asked for, only these."""
    load_reference_data()
    topic = Topic.objects.get(slug=TOPIC_SLUG)
    registry = _generate_registry(topic, facilities, seed, today, progress)
    if facilities and not problems and not responses:
        return Generated(facilities=registry[0], values=registry[1])
    if into is not None:
        campaigns = [Campaign.objects.select_related("region", "congress").get(slug=into)]
    else:
        made = ensure_province_campaigns(topic)
        campaigns = list(
            Campaign.objects.filter(pk__in=[c.pk for c in made]).select_related(
                "region", "congress"
            )
        )
    people = _People()
    targets = _targets(campaigns, people)
    below = _campaigns_below(targets, people)
    weights = [CAMPAIGN_WEIGHTS[Level(t.campaign.region.level)] for t in targets]
    # The seed and what is already there decide the data: a second run differs from the first.
    rng = random.Random(f"{seed}-{into or ''}-{Problem.objects.count()}")
    now = timezone.now() if today is None else _at(today, 18)
    writer = _Writer(list(topic.areas.all()), people, rng, now, below)
    # Drawn apart from the problems': asking for answers leaves the problems as they were.
    survey_rng = random.Random(f"{seed}-{into or ''}-answers-{SurveyResponse.objects.count()}")
    per_campaign: Counter[int] = Counter()
    done = 0
    while done < problems:
        size = min(BATCH, problems - done)
        with transaction.atomic():
            batch = _Batch(size)
            for _ in range(size):
                target = targets[0] if len(targets) == 1 else rng.choices(targets, weights)[0]
                writer.add(batch, target)
                per_campaign[target.campaign.pk] += 1
            batch.write()
        before, done = done, done + size
        if progress is not None and (done // 10_000 > before // 10_000 or done == problems):
            progress(f"{done:,} / {problems:,} 个问题")
    # Written in bulk, not through the actions: tell the figures' caches here instead.
    Campaign.figures_changed(c.pk for c in campaigns)
    plan = _response_plan(_surveys(targets), per_campaign, responses)
    answered, answers = _answer_surveys(plan, survey_rng, progress)
    return Generated(
        problems=problems,
        linked=writer.linked,
        campaigns=campaigns,
        responses=answered,
        answers=answers,
        facilities=registry[0],
        values=registry[1],
    )
