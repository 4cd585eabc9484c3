"""Synthetic province-scale data (generate-province): consistent with what the actions write."""

from __future__ import annotations

import datetime
import json
from collections import Counter
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from oversight.accounts.models import Role, User
from oversight.campaigns.models import Campaign
from oversight.demo.loader import load_demo
from oversight.demo.province import PROVINCE_SLUG, SYNTHETIC, generate_province
from oversight.facilities.actions import FacilitySpec, check_facility
from oversight.facilities.models import Facility
from oversight.facilities.models import Status as FacilityStatus
from oversight.indicators.actions import ValueSpec, check_value, record_values
from oversight.indicators.catalogue import catalogue
from oversight.indicators.models import IndicatorValue, Source
from oversight.organisations.models import Kind as OrganisationKind
from oversight.organisations.services import congress_name, load_reference_data
from oversight.problems import actions
from oversight.problems.models import (
    Assignment,
    EventKind,
    Problem,
    ProblemEvent,
    ProgressReport,
    RawReport,
    RectificationType,
    Status,
)
from oversight.problems.permissions import can_manage
from oversight.problems.stats import campaign_figures, from_parent
from oversight.regions.models import Level, Region
from oversight.surveys import actions as survey_actions
from oversight.surveys.models import Answer, QuestionKind, Questionnaire, ResponseChannel
from oversight.surveys.models import Response as SurveyResponse
from oversight.topics.models import Topic
from tests.conftest import make_user, org

N = 300
# What the actions write on the way to each status: 形成问题 and 归并, then one event per move.
EVENTS = {
    Status.PENDING: [EventKind.CREATED, EventKind.MERGED],
    Status.ASSIGNED: [EventKind.CREATED, EventKind.MERGED, EventKind.ASSIGNED],
    Status.IN_PROGRESS: [
        EventKind.CREATED,
        EventKind.MERGED,
        EventKind.ASSIGNED,
        EventKind.PROGRESS,
    ],
    Status.COMPLETION_REQUESTED: [
        EventKind.CREATED,
        EventKind.MERGED,
        EventKind.ASSIGNED,
        EventKind.PROGRESS,
        EventKind.CLAIMED,
    ],
    Status.COMPLETED: [
        EventKind.CREATED,
        EventKind.MERGED,
        EventKind.ASSIGNED,
        EventKind.PROGRESS,
        EventKind.CLAIMED,
        EventKind.ACCEPTED,
    ],
}
REPORTS = {
    Status.PENDING: [],
    Status.ASSIGNED: [],
    Status.IN_PROGRESS: [False],
    Status.COMPLETION_REQUESTED: [False, True],
    Status.COMPLETED: [False, True],
}


@pytest.fixture
def province(db: None) -> dict[str, Any]:
    generated = generate_province(N)
    return {"top": Campaign.objects.get(slug=PROVINCE_SLUG), "generated": generated}


def under(region: Region, ancestor: Region) -> bool:
    chain = [region, region.parent, region.parent.parent if region.parent else None]
    return ancestor in chain


def test_campaigns_cover_every_city_and_county_with_parent_links(province):
    top = province["top"]
    assert top.name.endswith(SYNTHETIC) and top.is_illustrative
    assert top.region.code == "410000" and top.congress.name == "河南省人大常委会"
    cities = Campaign.objects.filter(parent=top)
    assert cities.count() == 18
    assert set(cities.values_list("region__level", flat=True)) == {Level.CITY}
    counties = Campaign.objects.filter(parent__parent=top)
    assert counties.count() == Region.objects.filter(level=Level.COUNTY).count() == 156
    for county in counties.select_related("region", "parent"):
        assert county.region.parent_id == county.parent.region_id
        assert county.congress.region_id == county.region_id
    assert all(c.name.endswith(SYNTHETIC) for c in Campaign.objects.all())
    assert Problem.objects.filter(upper__isnull=True).count() == N
    linked = province["generated"].linked
    assert linked > 0 and Problem.objects.filter(upper__isnull=False).count() == linked


def test_each_problem_has_the_rows_the_actions_would_write(province):
    problems = list(Problem.objects.select_related("campaign__region", "region"))
    statuses = Counter(p.status for p in problems)
    assert set(statuses) == set(Status.values)
    events: dict[int, list[str]] = {}
    for event in ProblemEvent.objects.order_by("created_at", "pk"):
        events.setdefault(event.problem_id, []).append(event.kind)
    reports: dict[int, list[bool]] = {}
    for report in ProgressReport.objects.order_by("created_at", "pk"):
        reports.setdefault(report.problem_id, []).append(report.is_completion_claim)
    raw = dict(
        RawReport.objects.values("problem").annotate(n=Count("pk")).values_list("problem", "n")
    )
    assigned = {a.problem_id: a for a in Assignment.objects.select_related("assignee__region")}
    for problem in problems:
        if problem.upper_id is None:
            assert events[problem.pk] == EVENTS[problem.status], problem
            assert raw[problem.pk] == 3
        else:  # assigned down: 形成问题 and 上级交办 instead of 归并, no raw reports
            linked = [EventKind.CREATED, EventKind.LINKED, *EVENTS[problem.status][2:]]
            assert events[problem.pk] == linked, problem
            assert problem.pk not in raw
        assert reports.get(problem.pk, []) == REPORTS[problem.status], problem
        assert (problem.completed_at is not None) == (problem.status == Status.COMPLETED)
        assert under(problem.region, problem.campaign.region)
        assignment = assigned.get(problem.pk)
        assert (assignment is None) == (problem.status == Status.PENDING)
        if assignment is not None:
            assignee = assignment.assignee
            own_department = (
                assignee.kind == OrganisationKind.DEPARTMENT
                and assignee.region_id == problem.campaign.region_id
            )
            lower_congress = (
                assignee.kind == OrganisationKind.CONGRESS
                and assignee.region.parent_id == problem.campaign.region_id
            )
            assert own_department or lower_congress, assignment
            assert assignment.deadline >= timezone.localdate(assignment.assigned_at)
    assert not RawReport.objects.filter(problem__isnull=True).exists()
    today = timezone.localdate()
    deadlines = [a.deadline for a in assigned.values()]
    assert min(deadlines) < today < max(deadlines)
    handed = ProblemEvent.objects.filter(kind=EventKind.ASSIGNED).first()
    assert handed is not None and set(handed.details) == {"assignee", "deadline"}
    assert handed.summary.startswith("交办给")
    numbers = Problem.objects.values("campaign", "number").annotate(n=Count("pk"))
    assert all(row["n"] == 1 for row in numbers)


def test_every_problem_is_visible_to_the_right_users(province):
    problems = list(Problem.objects.select_related("campaign__region__parent", "assignment"))
    co = set(
        Assignment.co_departments.through.objects.values_list("assignment_id", "organisation_id")
    )
    # The county and the department that answer for the most problems make the sharpest test.
    by_assignee = Counter(
        p.assignment.assignee for p in problems if hasattr(p, "assignment")
    ).most_common()
    county = next(
        o
        for o, _ in by_assignee
        if o.kind == OrganisationKind.CONGRESS and o.region.level == Level.COUNTY
    ).region
    department = next(o for o, _ in by_assignee if o.kind == OrganisationKind.DEPARTMENT)
    city = county.parent
    users = {
        "province": make_user("p", org("410000", "congress"), Role.CONGRESS_STAFF),
        "city": make_user("c", org(city.code, "congress"), Role.CONGRESS_STAFF),
        "county": make_user("x", org(county.code, "congress"), Role.COUNTY_STAFF),
        "department": make_user("d", department, Role.LIAISON),
    }

    def assignee_is(problem: Problem, organisation_pk: int) -> bool:
        assignment = getattr(problem, "assignment", None)
        return assignment is not None and (
            assignment.assignee_id == organisation_pk or (assignment.pk, organisation_pk) in co
        )

    city_congress = users["city"].organisation_id
    county_congress = users["county"].organisation_id
    expected = {
        "province": {p.pk for p in problems},
        "city": {
            p.pk
            for p in problems
            if under(p.campaign.region, city) or assignee_is(p, city_congress)
        },
        "county": {
            p.pk
            for p in problems
            if p.campaign.region_id == county.pk or assignee_is(p, county_congress)
        },
        "department": {p.pk for p in problems if assignee_is(p, department.pk)},
    }
    for name, user in users.items():
        seen = set(Problem.objects.visible_to(user).values_list("pk", flat=True))
        assert seen == expected[name], name
        assert seen, name
    # The county's problems come both from its own campaign and from the city's assignments.
    assert any(assignee_is(p, county_congress) for p in problems)
    assert expected["county"] < expected["city"] < expected["province"]


def test_completion_figures_add_up_across_levels(province):
    top = province["top"]
    province_user = make_user("p", org("410000", "congress"), Role.CONGRESS_STAFF)
    rolled_up = Problem.objects.visible_to(province_user)
    completed = rolled_up.filter(status=Status.COMPLETED).count()
    total = 0
    done = 0
    for campaign in Campaign.objects.all():
        figures = campaign_figures(campaign)
        total += figures.overall.problems
        done += figures.overall.completed
        assert sum(figures.by_status.values()) == figures.overall.problems
        assert figures.by_status[Status.COMPLETED] == figures.overall.completed
        assigned = figures.overall.problems - figures.by_status[Status.PENDING]
        assert sum(rate.problems for rate in figures.by_level.values()) == assigned
    # A campaign's figures count its own problems; the linked ones count where they came from.
    own = rolled_up.filter(upper__isnull=True)
    assert (total, done) == (own.count(), own.filter(status=Status.COMPLETED).count())
    assert total == N and rolled_up.count() == Problem.objects.count()
    assert 0 < completed < N
    # Each city's own campaign plus its counties' campaigns: the city's roll-up.
    for city in Campaign.objects.filter(parent=top).select_related("region"):
        family = [city, *Campaign.objects.filter(parent=city)]
        counted = sum(campaign_figures(c).overall.completed for c in family)
        assert (
            counted
            == Problem.objects.filter(
                city.region.subtree_q("campaign__region"),
                status=Status.COMPLETED,
                upper__isnull=True,
            ).count()
        )
    out = StringIO()
    call_command("stats", PROVINCE_SLUG, "--json", stdout=out)
    data = json.loads(out.getvalue())
    own = Problem.objects.filter(campaign=top)
    assert data["problems"] == own.count()
    assert data["completed"] == own.filter(status=Status.COMPLETED).count()
    cities = {congress_name(r) for r in Region.objects.filter(level=Level.CITY)}
    assert set(data["by_congress"]) <= cities
    assert (
        sum(g["problems"] for g in data["by_congress"].values())
        == data["by_level"].get("city", {"problems": 0})["problems"]
    )


def test_problems_assigned_to_a_lower_congress_are_linked_below_as_assign_does(province):
    """Each problem assigned down has one linked problem in the campaign ``assign`` would
    have chosen, copied as it copies, no further on than the problem above it, with its
    history done before the answer above was claimed; the lower campaign's figures count it
    as come from above."""
    handed_down = list(
        Assignment.objects.filter(assignee__kind=OrganisationKind.CONGRESS).select_related(
            "problem__campaign__congress", "problem__region", "assignee", "assigned_by"
        )
    )
    assert handed_down
    lower = {
        p.upper_id: p
        for p in Problem.objects.filter(upper__isnull=False).select_related("campaign", "region")
    }
    assert len(lower) == Problem.objects.filter(upper__isnull=False).count()  # one each
    claimed = dict(
        ProblemEvent.objects.filter(kind=EventKind.CLAIMED).values_list("problem", "created_at")
    )
    reached = {
        Status.ASSIGNED: {Status.PENDING, Status.ASSIGNED},
        Status.IN_PROGRESS: {Status.ASSIGNED, Status.IN_PROGRESS, Status.COMPLETION_REQUESTED},
        Status.COMPLETION_REQUESTED: {Status.COMPLETED},
        Status.COMPLETED: {Status.COMPLETED},
    }
    for assignment in handed_down:
        upper = assignment.problem
        linked = lower.pop(upper.pk)
        first_below = (
            Campaign.objects.filter(parent=upper.campaign, congress=assignment.assignee)
            .order_by("pk")
            .first()
        )
        assert linked.campaign == first_below  # ensure_child_campaign's choice
        copied = ("title", "kind", "area_id")
        assert [getattr(linked, f) for f in copied] == [getattr(upper, f) for f in copied]
        if under(upper.region, linked.campaign.region):
            assert linked.region == upper.region
        else:
            assert linked.region == linked.campaign.region
        assert linked.status in reached[upper.status], (upper.status, linked.status)
        if linked.status == Status.COMPLETED and upper.pk in claimed:
            assert linked.completed_at is not None
            assert linked.completed_at <= claimed[upper.pk]
        events = list(ProblemEvent.objects.filter(problem=linked).order_by("created_at", "pk"))
        created, link = events[:2]
        assert created.created_at == link.created_at == assignment.assigned_at
        assert created.actor == link.actor == assignment.assigned_by  # who assigned it down
        assert link.details == {
            "from": upper.campaign.congress.name,
            "code": upper.code,
            "upper": upper.pk,
        }
    assert not lower  # and no linked problem without an assignment down
    county_campaign = (
        Campaign.objects.filter(parent__parent=province["top"], problems__upper__isnull=False)
        .distinct()
        .first()
    )
    assert county_campaign is not None
    from_above = from_parent(county_campaign)
    expected = Problem.objects.filter(campaign=county_campaign, upper__isnull=False)
    assert from_above.problems == expected.count() > 0
    done_above = expected.filter(upper__status=Status.COMPLETED).count()
    assert from_above.completed == done_above


def test_into_puts_every_problem_in_one_campaign_and_rerunning_adds(campaign):
    out = StringIO()
    call_command("generate-province", "--problems", "120", "--into", campaign.slug, stdout=out)
    assert "已生成 120 个问题" in out.getvalue()
    own = Problem.objects.filter(upper__isnull=True)
    assert own.filter(campaign=campaign).count() == own.count() == 120
    # Those assigned to a county's congress went down to its campaign, opened as assign does.
    below = Problem.objects.filter(upper__isnull=False)
    assert below.exists()
    assert set(below.values_list("campaign__parent", flat=True)) == {campaign.pk}
    assert (
        below.count()
        == Assignment.objects.filter(
            problem__campaign=campaign, assignee__kind=OrganisationKind.CONGRESS
        ).count()
    )
    call_command(
        "generate-province", "--problems", "80", "--into", campaign.slug, stdout=StringIO()
    )
    numbers = sorted(campaign.problems.values_list("number", flat=True))
    assert numbers == list(range(1, 201))
    titles = list(campaign.problems.order_by("number").values_list("title", "status"))
    assert titles[:80] != titles[120:]  # the second run draws new problems, not the same again
    with pytest.raises(CommandError, match="没有标识为"):
        call_command("generate-province", "--problems", "1", "--into", "nowhere")


def test_rerunning_the_province_adds_problems_not_campaigns(db):
    first = generate_province(60)
    campaigns = Campaign.objects.count()
    second = generate_province(60)
    assert Campaign.objects.count() == campaigns
    assert Problem.objects.filter(upper__isnull=True).count() == 120
    assert Problem.objects.count() == 120 + first.linked + second.linked
    duplicates = (
        Problem.objects.values("campaign", "number").annotate(n=Count("pk")).filter(n__gt=1)
    )
    assert not duplicates.exists()


def test_the_demo_city_campaigns_join_the_province(db):
    load_demo()
    demo = Problem.objects.filter(upper__isnull=True).count()
    responses = SurveyResponse.objects.count()
    generate_province(30)
    # Hebi's questionnaire is not in the campaigns filled (only with --into hebi-2024).
    assert SurveyResponse.objects.count() == responses
    top = Campaign.objects.get(slug=PROVINCE_SLUG)
    for slug in ("zhumadian-2024", "hebi-2024"):
        campaign = Campaign.objects.get(slug=slug)
        assert campaign.parent == top
        assert not campaign.name.endswith(SYNTHETIC)
    assert Problem.objects.filter(upper__isnull=True).count() == demo + 30
    # The demo's city campaigns get no problems of their own, only the linked ones of those
    # the province assigned to their congress (the first campaigns below it: assign's).
    demo_cities = Problem.objects.filter(campaign__slug__in=("zhumadian-2024", "hebi-2024"))
    assert not demo_cities.filter(description__startswith="合成数据", upper__isnull=True).exists()
    # The demo's own accounts sign the history where they fit (zmd-staff runs 驻马店).
    zmd = Campaign.objects.get(slug=f"{PROVINCE_SLUG}-411700")
    assert zmd.parent == top
    staff = {
        e.actor.username
        for e in ProblemEvent.objects.filter(problem__campaign=zmd, kind=EventKind.CREATED)
    }
    assert staff <= {"zmd-staff"}


def test_generated_problems_carry_on_through_the_real_actions(campaign, staff):
    generate_province(40, campaign.slug)
    problem = (
        Problem.objects.filter(
            campaign=campaign,
            status=Status.IN_PROGRESS,
            assignment__assignee__kind=OrganisationKind.DEPARTMENT,
        )
        .select_related("assignment__assignee")
        .first()
    )
    assert problem is not None
    liaison = make_user("l", problem.assignment.assignee, Role.LIAISON)
    actions.claim_completion(
        actor=liaison, problem=problem, text="已整改", rectification_type=RectificationType.ONGOING
    )
    actions.accept_completion(actor=staff, problem=problem)
    problem.refresh_from_db()
    assert problem.status == Status.COMPLETED
    assert problem.events.count() == len(EVENTS[Status.COMPLETED])
    assert problem.completed_at is not None
    assert problem.completed_at.date() >= datetime.date(2024, 3, 1)


# --- questionnaire answers ----------------------------------------------------------------


def build_questionnaire(staff: User, campaign: Campaign, *, publish: bool = True) -> Questionnaire:
    questionnaire = survey_actions.create_questionnaire(
        actor=staff, campaign=campaign, title="合成测试问卷"
    )
    for arguments in (
        dict(
            kind=QuestionKind.MULTIPLE, text="多选", options=["甲", "乙", "丙", "丁"], max_choices=2
        ),
        dict(kind=QuestionKind.REGION, text="地区"),
        dict(kind=QuestionKind.SINGLE, text="单选", options=["是", "否"], required=False),
        dict(kind=QuestionKind.RATING, text="评分", scale_max=3),
        dict(kind=QuestionKind.TEXT, text="建议", required=False),
    ):
        survey_actions.add_question(actor=staff, questionnaire=questionnaire, **arguments)  # type: ignore[arg-type]
    if publish:
        questionnaire = survey_actions.publish(actor=staff, questionnaire=questionnaire)
    return questionnaire


def assert_answers_valid(questionnaire: Questionnaire, after: int = 0) -> None:
    """Each response after the ``after``th as the public page would have taken it, and its
    region kept on it."""
    campaign = questionnaire.campaign
    regions = set(survey_actions.region_choices(campaign).values_list("pk", flat=True))
    questions = {q.pk: q for q in questionnaire.questions.prefetch_related("options")}
    options = {o.pk: o.question_id for q in questions.values() for o in q.options.all()}
    given: dict[int, dict[int, Any]] = {}
    for answer in Answer.objects.filter(response__questionnaire=questionnaire, response__gt=after):
        question = questions[answer.question_id]
        values = given.setdefault(answer.response_id, {})
        if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            assert options[answer.option_id] == question.pk
            values.setdefault(question.pk, []).append(answer.option_id)
        elif question.kind == QuestionKind.RATING:
            assert answer.value in question.scale
            values[question.pk] = answer.value
        elif question.kind == QuestionKind.REGION:
            assert answer.region_id in regions
            values[question.pk] = answer.region_id
        else:
            assert answer.text.endswith(SYNTHETIC) and len(answer.text) < 40
            values[question.pk] = answer.text
    responses = SurveyResponse.objects.filter(questionnaire=questionnaire, pk__gt=after)
    assert set(given) == set(responses.values_list("pk", flat=True))
    opened = questionnaire.published_at
    closed = questionnaire.closed_at or timezone.now()
    for response in responses.select_related("entered_by"):
        values = given[response.pk]
        for pk, value in values.items():
            question = questions[pk]
            if question.kind == QuestionKind.MULTIPLE:
                assert len(value) == len(set(value)) <= (question.max_choices or 99)
            elif question.kind == QuestionKind.SINGLE:
                assert len(value) == 1
                values[pk] = value[0]
        survey_actions.check_answers(questionnaire, values)  # raises if the page would refuse
        region = next((v for pk, v in values.items() if questions[pk].kind == "region"), None)
        assert response.region_id == region
        if response.channel == ResponseChannel.OFFLINE:
            assert response.entered_by is not None and can_manage(response.entered_by, campaign)
        else:
            assert response.entered_by is None
        assert opened is not None and opened <= response.created_at <= closed


def survey_figures(slug: str) -> list[dict[str, Any]]:
    out = StringIO()
    call_command("surveys", slug, "--json", stdout=out)
    questionnaires: list[dict[str, Any]] = json.loads(out.getvalue())["questionnaires"]
    return questionnaires


def assert_figures_add_up(questionnaire: Questionnaire, figures: dict[str, Any]) -> None:
    responses = SurveyResponse.objects.filter(questionnaire=questionnaire)
    channels = figures["responses"]
    assert channels["online"] + channels["offline"] == responses.count()
    assert channels["offline"] == responses.filter(channel=ResponseChannel.OFFLINE).count()
    assert 0 < channels["offline"] < channels["online"]
    by_text = {q.text: q for q in questionnaire.questions.all()}
    for result in figures["questions"]:
        question = by_text[result["text"]]
        answers = Answer.objects.filter(question=question)
        counted = sum(option["count"] for option in result["options"])
        if question.kind == QuestionKind.TEXT:
            assert result["options"] == []
            continue
        # Every answer row counts once: an option, a score or a region.
        assert counted == answers.count(), question.text
        if question.kind != QuestionKind.MULTIPLE:
            assert counted == answers.values("response").distinct().count()
        else:
            assert counted >= answers.values("response").distinct().count()
        if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            expected = [answers.filter(option=option).count() for option in question.options.all()]
            assert [option["count"] for option in result["options"]] == expected


def test_questionnaires_get_a_response_per_problem_and_drafts_none(campaign, staff):
    published = build_questionnaire(staff, campaign)
    draft = build_questionnaire(staff, campaign, publish=False)
    generated = generate_province(40, campaign.slug)
    assert generated.responses == 40
    assert SurveyResponse.objects.filter(questionnaire=published).count() == 40
    assert not SurveyResponse.objects.filter(questionnaire=draft).exists()
    assert generated.answers == Answer.objects.count()
    assert_answers_valid(published)
    # A campaign that got only a few problems still gets enough answers to show something.
    generate_province(3, campaign.slug)
    assert SurveyResponse.objects.filter(questionnaire=published).count() == 40 + 20


def a_run(slug: str, responses: int | None) -> tuple[list[Any], list[Any]]:
    """The problems and answers one run writes, rolled back afterwards."""
    with transaction.atomic():
        generate_province(10, slug, responses=responses)
        problems = list(Problem.objects.order_by("pk").values_list("title", "status", "region"))
        answers = list(
            Answer.objects.order_by("pk").values_list(
                "response__channel", "option_id", "value", "region_id", "text"
            )
        )
        transaction.set_rollback(True)
    return problems, answers


def test_responses_are_drawn_from_the_seed_and_leave_the_problems_alone(campaign, staff):
    build_questionnaire(staff, campaign)
    problems, answers = a_run(campaign.slug, 30)
    assert len(answers) > 30
    assert a_run(campaign.slug, 30) == (problems, answers)
    assert a_run(campaign.slug, None)[0] == problems


def test_responses_need_a_published_questionnaire(campaign, staff):
    build_questionnaire(staff, campaign, publish=False)
    with pytest.raises(CommandError, match="没有已发布的问卷"):
        call_command(
            "generate-province", "--problems", "1", "--into", campaign.slug, "--responses", "5"
        )
    assert not Problem.objects.exists()
    with pytest.raises(CommandError, match="非负整数"):
        call_command(
            "generate-province", "--problems", "1", "--into", campaign.slug, "--responses", "-1"
        )


def test_responses_fill_the_demo_questionnaire_of_hebi(db):
    load_demo()
    questionnaire = Questionnaire.objects.get(campaign__slug="hebi-2024")
    before = SurveyResponse.objects.filter(questionnaire=questionnaire).count()
    last = SurveyResponse.objects.order_by("pk").last()
    assert before > 0 and last is not None
    others = SurveyResponse.objects.exclude(questionnaire=questionnaire).count()
    out = StringIO()
    call_command(
        "generate-province",
        *("--problems", "1", "--into", "hebi-2024", "--responses", "400"),
        stdout=out,
    )
    assert "400 / 400 份答卷" in out.getvalue()
    assert "其中问卷答卷 400 份" in out.getvalue()
    after = SurveyResponse.objects.filter(questionnaire=questionnaire)
    assert after.count() == before + 400
    assert SurveyResponse.objects.exclude(questionnaire=questionnaire).count() == others
    assert_answers_valid(questionnaire, after=last.pk)
    (figures,) = survey_figures("hebi-2024")
    assert_figures_add_up(questionnaire, figures)


# Facilities and indicator values (--facilities): the registry and the entered figures the
# compliance tables are computed from, for every region of the province.
FACILITIES = 400
YEARS = [str(year) for year in range(2017, 2025)]


def entered_codes() -> list[str]:
    return [i.code for i in catalogue("elderly-care").values() if i.obtained == "entered"]


def province_regions() -> list[Region]:
    return list(Region.objects.filter(Region.objects.get(code="410000").subtree_q()))


def as_spec(facility: Facility) -> FacilitySpec:
    return FacilitySpec(
        kind=facility.kind,
        name=facility.name,
        region=facility.region,
        status=facility.status,
        address=facility.address,
        built_on=facility.built_on,
        operating_since=facility.operating_since,
        ceased_on=facility.ceased_on,
        medical_licence=facility.medical_licence,
        care_licence=facility.care_licence,
        converted_on=facility.converted_on,
        is_illustrative=facility.is_illustrative,
    )


def test_facilities_spread_over_every_county_with_consistent_dates(db):
    today = datetime.date(2024, 12, 31)
    generated = generate_province(0, facilities=FACILITIES, today=today)
    assert generated.facilities == Facility.objects.count() == FACILITIES
    assert not Campaign.objects.exists() and not Problem.objects.exists()  # only the registry
    facilities = list(Facility.objects.select_related("topic", "region", "created_by"))
    counties = Counter(f.region.code for f in facilities)
    everywhere = Region.objects.filter(level=Level.COUNTY)
    assert set(counties) == set(everywhere.values_list("code", flat=True))
    assert min(counties.values()) >= FACILITIES // everywhere.count()
    assert {f.status for f in facilities} == set(FacilityStatus.values)
    assert len({f.kind for f in facilities}) == 6
    for facility in facilities:
        # Each a row the registry page's form would accept: built ≤ operating ≤ ceased.
        assert check_facility(facility.topic, as_spec(facility)) == [], facility.name
        dates = [facility.built_on, facility.operating_since, facility.ceased_on]
        present = [d for d in dates if d is not None]
        assert present == sorted(present) and present == dates[: len(present)]
        assert all(d <= today for d in present)
        assert facility.name.endswith(SYNTHETIC) and facility.is_illustrative
        creator = facility.created_by
        assert creator is not None and creator.role == Role.CONGRESS_STAFF
        assert creator.organisation.region_id == facility.region_id
    assert any(f.ceased_on for f in facilities) and any(f.converted_on for f in facilities)
    assert any(f.medical_licence and f.care_licence for f in facilities)


def test_values_for_every_entered_indicator_and_region_once(db):
    load_reference_data()
    henan = make_user("henan", org("410000", "congress"), Role.CONGRESS_STAFF)
    county = Region.objects.get(code="411727")
    topic = Topic.objects.get(slug="elderly-care")
    entered = ValueSpec("land-per-capita", county, "2024", Decimal("0.51"), Source.BULLETIN)
    record_values(actor=henan, topic=topic, specs=[entered])
    generated = generate_province(0, facilities=FACILITIES)
    codes = entered_codes()
    regions = province_regions()
    assert len(codes) == 6 and len(regions) == 175
    # One for each, but the one already entered: kept as it was.
    assert generated.values == len(codes) * len(regions) * len(YEARS) - 1
    values = list(IndicatorValue.objects.select_related("region"))
    keys = Counter((v.indicator, v.region_id, v.period) for v in values)
    assert max(keys.values()) == 1
    assert set(keys) == {(c, r.pk, y) for c in codes for r in regions for y in YEARS}
    kept = IndicatorValue.objects.get(indicator="land-per-capita", region=county, period="2024")
    assert kept.value == Decimal("0.51") and not kept.is_illustrative
    assert kept.entered_by == henan
    for value in values:
        if value.pk == kept.pk:
            continue
        assert value.is_illustrative and value.note.endswith(SYNTHETIC)
        spec = ValueSpec(value.indicator, value.region, value.period, value.value, value.source)
        assert check_value(topic, spec) == [], value


def compliance_cells(response: Any) -> list[Any]:
    context = response.context
    return [*context["own"], *(c for _child, row in context["child_rows"] for c in row)]


def test_compliance_pages_of_the_province_and_a_county_show_shortfalls_and_passes(client, db):
    generate_province(0, facilities=FACILITIES)
    henan = make_user("henan", org("410000", "congress"), Role.CONGRESS_STAFF)
    client.force_login(henan)
    response = client.get(reverse("indicators:compliance", args=["elderly-care", "410000"]))
    assert response.status_code == 200
    assert response.context["evaluation"].period == "2024"
    assert len(response.context["child_rows"]) == 18
    assert response.context["shortfalls"]
    assert any(c.complies for c in compliance_cells(response))
    county_user = make_user("ry", org("411727", "congress"), Role.COUNTY_STAFF)
    client.force_login(county_user)
    seen: set[bool | None] = set()
    for year in YEARS:  # a county has few checked figures a year: both over the years
        response = client.get(
            reverse("indicators:compliance", args=["elderly-care", "411727"]), {"period": year}
        )
        assert response.status_code == 200
        assert response.context["evaluation"].period == year
        cells = compliance_cells(response)
        # Registry figures (医养结合机构) and entered ones, each year.
        assert {c.indicator.obtained for c in cells if c.value is not None} == {
            "entered",
            "registry",
            "derived",
        }
        seen |= {c.complies for c in cells}
    assert {True, False} <= seen


def test_rerunning_adds_facilities_but_no_values(db):
    first = generate_province(0, facilities=200)
    values = IndicatorValue.objects.count()
    names = set(Facility.objects.values_list("name", flat=True))
    out = StringIO()
    call_command("generate-province", "--problems", "0", "--facilities", "300", stdout=out)
    assert "已生成 300 个设施、0 个指标值" in out.getvalue()
    assert first.values == values == IndicatorValue.objects.count()
    assert Facility.objects.count() == 500
    assert names < set(Facility.objects.values_list("name", flat=True))
    assert not Campaign.objects.exists()
    with pytest.raises(CommandError, match="--problems"):
        call_command("generate-province", "--problems", "0")
    with pytest.raises(CommandError, match="--facilities"):
        call_command("generate-province", "--problems", "1", "--facilities", "-1")


def page_queries(client: Any, name: str, code: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse(name, args=["elderly-care", code]))
    assert response.status_code == 200
    return len(context)


PAGES = [
    ("indicators:compliance", "410000"),
    ("indicators:compliance", "411727"),
    ("indicators:facilities:list", "410000"),
    ("indicators:facilities:list", "411727"),
]


def test_pages_cost_the_same_queries_whatever_the_facilities_values_and_years(client, db):
    generate_province(0, facilities=160)
    # Few values at first, of one year: the compliance table then has one period, not eight.
    IndicatorValue.objects.exclude(period="2024", region__code__in=["410000", "411727"]).delete()
    assert IndicatorValue.objects.count() == 2 * len(entered_codes())
    client.force_login(make_user("henan", org("410000", "congress"), Role.CONGRESS_STAFF))
    few = [page_queries(client, name, code) for name, code in PAGES]
    generate_province(0, facilities=1_000)
    assert Facility.objects.count() == 1_160
    assert IndicatorValue.objects.count() == len(entered_codes()) * 175 * len(YEARS)
    many = [page_queries(client, name, code) for name, code in PAGES]
    assert many == few
