"""Synthetic province-scale data: every city and county of Henan, up to 100,000s of problems.

For measuring pages at scale, not for showing: every campaign made here is marked
illustrative and named “（合成数据）”. Rows are written in bulk (no actions, no signals),
but each problem gets the rows the real actions would have written for its status: raw
reports merged into it, the assignment, progress reports and completion claims, and the
history (形成问题 → 归并 → 交办 → 整改进展 → 申请办结 → 确认办结) with the same facts: so
2 events for a problem still 待交办, up to 6 for one 已办结. A pending problem has no
assignment yet, as with the real actions.
"""

from __future__ import annotations

import datetime
import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import JSONField, Max, Model
from django.utils import timezone

from oversight.accounts.models import Role, User
from oversight.campaigns.models import Campaign
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
from oversight.topics.models import ProblemArea, Topic

PROVINCE_SLUG = "henan-2024"
PROVINCE_CODE = "410000"
DEMO_CITY_SLUGS = ("zhumadian-2024", "hebi-2024")
SYNTHETIC = "（合成数据）"
TOPIC_SLUG = "elderly-care"
STARTS_ON = datetime.date(2024, 3, 1)
ENDS_ON = datetime.date(2024, 12, 31)
BATCH = 5_000
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

Progress = Callable[[str], None]


@dataclass
class Generated:
    problems: int = 0
    campaigns: list[Campaign] = field(default_factory=list)


@dataclass
class _Target:
    """A campaign to fill, with what its problems may concern and be assigned to."""

    campaign: Campaign
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

    def ensure(self, managed: Organisation, assignees: Sequence[Organisation]) -> None:
        password = make_password(None)  # unusable: these accounts only sign the history
        users = []
        if managed.pk not in self.managers:
            users.append(self._user(managed, "staff", MANAGER_ROLE, password))
        for organisation in assignees:
            if organisation.pk not in self.rectifiers:
                role = (
                    Role.LIAISON
                    if organisation.kind == OrganisationKind.DEPARTMENT
                    else (Role.COUNTY_STAFF)
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
        people.ensure(congress, [*departments, *lower])
        targets.append(
            _Target(
                campaign=campaign,
                regions=subtree,
                assignees=departments + lower,
                departments=departments,
                staff=people.managers[congress.pk],
                next_number=(numbers.get(campaign.pk) or 0) + 1,
            )
        )
    return targets


class _Table:
    """Rows of one model as tuples of ``columns`` (attribute names), written in bulk.

    On PostgreSQL with COPY, elsewhere with ``bulk_create``: building a million model
    instances for ``bulk_create`` alone takes longer than the two minutes 100,000 problems
    may take. Fields not in ``columns`` get their model default, so a field added later
    (with a default) needs no change here.
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

    def write(self) -> None:
        if not self.rows:
            return
        if connection.vendor == "postgresql":
            self._copy()
        else:
            extra = self.defaults
            self.model._default_manager.bulk_create(
                [
                    self.model(**dict(zip(self.columns, row, strict=True)), **extra)
                    for row in self.rows
                ],
                batch_size=BATCH,
            )
        self.rows = []

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
        self.problem_ids = iter(_new_keys(Problem, size))
        self.assignment_ids = iter(_new_keys(Assignment, size))
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


class _Writer:
    def __init__(
        self,
        areas: Sequence[ProblemArea],
        people: _People,
        rng: random.Random,
        today: datetime.date,
    ) -> None:
        self.people = people
        self.areas = [area.pk for area in areas]
        self.rng = rng
        self.today = today
        self.statuses = list(STATUS_WEIGHTS)
        self.status_weights = list(STATUS_WEIGHTS.values())

    def _day(self, day: datetime.date) -> datetime.date:
        return min(day, self.today)

    def add(self, batch: _Batch, target: _Target) -> None:
        """One problem and the rows the actions would have written to bring it to its status."""
        rng = self.rng
        campaign = target.campaign.pk
        number = target.next_number
        target.next_number += 1
        region = rng.choice(target.regions)
        status = rng.choices(self.statuses, self.status_weights)[0]
        if status != Status.PENDING and not target.assignees:
            status = Status.PENDING
        rectifying = status in (Status.IN_PROGRESS, Status.COMPLETION_REQUESTED, Status.COMPLETED)
        rectification = rng.choice(RectificationType.values) if rectifying else ""
        received = target.campaign.starts_on + datetime.timedelta(days=rng.randint(10, 60))
        merged = received + datetime.timedelta(days=rng.randint(20, 40))
        assigned = merged + datetime.timedelta(days=rng.randint(3, 15))
        progressed = self._day(assigned + datetime.timedelta(days=rng.randint(7, 30)))
        claimed = self._day(progressed + datetime.timedelta(days=rng.randint(7, 60)))
        accepted = self._day(claimed + datetime.timedelta(days=rng.randint(1, 10)))
        title = f"{region.name}{rng.choice(TITLES)}"[:100]
        problem = next(batch.problem_ids)
        batch.problems.rows.append(
            (
                problem,
                campaign,
                number,
                title,
                f"合成数据：{title}。",
                rng.choice(Kind.values),
                rng.choice(self.areas),
                region.pk,
                status,
                rectification,
                _at(accepted, 10) if status == Status.COMPLETED else None,
            )
        )
        staff = target.staff.pk
        for index, channel in enumerate(rng.sample(Channel.values, 3)):
            batch.raw.rows.append(
                (
                    problem,
                    campaign,
                    channel,
                    f"反映：{title}（{index + 1}）",
                    "",
                    region.pk,
                    received + datetime.timedelta(days=index * 7),
                    staff,
                )
            )
        events = batch.events.rows
        events.append(
            (problem, EventKind.CREATED, staff, "", Status.PENDING, "", {}, _at(merged, 10))
        )
        events.append((problem, EventKind.MERGED, staff, "", "", "", {"count": 3}, _at(merged, 10)))
        if status == Status.PENDING:
            return
        assignee = rng.choice(target.assignees)
        # Deadlines both passed and still ahead, never before the day of assignment.
        deadline = max(
            assigned + datetime.timedelta(days=7),
            self.today + datetime.timedelta(days=rng.randint(-300, 300)),
        )
        assignment = next(batch.assignment_ids)
        batch.assignments.rows.append(
            (assignment, problem, assignee.pk, deadline, REQUIREMENTS, staff, _at(assigned, 10))
        )
        if assignee.kind == OrganisationKind.DEPARTMENT and rng.random() < 0.3:
            others = [d for d in target.departments if d.pk != assignee.pk]
            for co in rng.sample(others, min(len(others), rng.randint(1, 2))):
                batch.co.rows.append((assignment, co.pk))
        facts = {"assignee": assignee.name, "deadline": deadline.isoformat()}
        events.append(
            (
                problem,
                EventKind.ASSIGNED,
                staff,
                Status.PENDING,
                Status.ASSIGNED,
                "",
                facts,
                _at(assigned, 10),
            )
        )
        if not rectifying:
            return
        liaison = self.people.rectifiers[assignee.pk].pk
        reports = batch.reports.rows
        reports.append((problem, assignee.pk, liaison, PROGRESS_TEXT, progressed, False))
        events.append(
            (
                problem,
                EventKind.PROGRESS,
                liaison,
                Status.ASSIGNED,
                Status.IN_PROGRESS,
                PROGRESS_TEXT,
                {"rectification_type": rectification},
                _at(progressed, 16),
            )
        )
        if status == Status.IN_PROGRESS:
            return
        reports.append((problem, assignee.pk, liaison, CLAIM_TEXT, claimed, True))
        events.append(
            (
                problem,
                EventKind.CLAIMED,
                liaison,
                Status.IN_PROGRESS,
                Status.COMPLETION_REQUESTED,
                CLAIM_TEXT,
                {},
                _at(claimed, 16),
            )
        )
        if status == Status.COMPLETED:
            events.append(
                (
                    problem,
                    EventKind.ACCEPTED,
                    staff,
                    Status.COMPLETION_REQUESTED,
                    Status.COMPLETED,
                    ACCEPT_NOTE,
                    {},
                    _at(accepted, 10),
                )
            )


def generate_province(
    problems: int,
    into: str | None = None,
    *,
    seed: int = 2024,
    progress: Progress | None = None,
    today: datetime.date | None = None,
) -> Generated:
    """Add ``problems`` synthetic problems across the province's campaigns (made if absent),
    or all into the campaign ``into``. Running again adds more, numbered after the last."""
    load_reference_data()
    topic = Topic.objects.get(slug=TOPIC_SLUG)
    if into is not None:
        campaigns = [Campaign.objects.select_related("region").get(slug=into)]
    else:
        made = ensure_province_campaigns(topic)
        campaigns = list(
            Campaign.objects.filter(pk__in=[c.pk for c in made]).select_related("region")
        )
    people = _People()
    targets = _targets(campaigns, people)
    weights = [CAMPAIGN_WEIGHTS[Level(t.campaign.region.level)] for t in targets]
    # The seed and what is already there decide the data: a second run differs from the first.
    rng = random.Random(f"{seed}-{into or ''}-{Problem.objects.count()}")
    writer = _Writer(list(topic.areas.all()), people, rng, today or timezone.localdate())
    done = 0
    while done < problems:
        size = min(BATCH, problems - done)
        with transaction.atomic():
            batch = _Batch(size)
            for _ in range(size):
                target = targets[0] if len(targets) == 1 else rng.choices(targets, weights)[0]
                writer.add(batch, target)
            batch.write()
        before, done = done, done + size
        if progress is not None and (done // 10_000 > before // 10_000 or done == problems):
            progress(f"{done:,} / {problems:,} 个问题")
    # Written in bulk, not through the actions: tell the figures' caches here instead.
    Campaign.figures_changed(c.pk for c in campaigns)
    return Generated(problems=problems, campaigns=campaigns)
