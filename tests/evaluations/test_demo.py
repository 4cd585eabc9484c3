"""The demo's evaluations reproduce the bulletins' outcomes through the voting action."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command

from oversight.accounts.models import Role, User
from oversight.demo.loader import PASSWORD
from oversight.evaluations import demo as evaluations_demo
from oversight.evaluations.models import Ballot, EvaluationSession, Participation

HEBI_DEPARTMENTS = {
    f"鹤壁市{name}"
    for name in (
        "民政局",
        "发展和改革委员会",
        "工业和信息化局",
        "财政局",
        "人力资源和社会保障局",
        "自然资源和规划局",
        "住房和城乡建设局",
        "城市管理局",
        "商务局",
        "卫生健康委员会",
        "市场监督管理局",
        "医疗保障局",
    )
}


@pytest.fixture
def demo(db):
    call_command("demo", "--no-serve", stdout=StringIO())


def evaluation(slug):
    out = StringIO()
    call_command("evaluation", slug, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_zhumadian_rates_its_eleven_departments_satisfied_above_83_percent(demo):
    (session,) = evaluation("zhumadian-2024")["sessions"]
    assert session["closed"] is True
    departments = session["departments"]
    assert len(departments) == 11
    stats = StringIO()
    call_command("stats", "zhumadian-2024", "--json", stdout=stats)
    assigned = set(json.loads(stats.getvalue())["by_department"])
    assert {d["organisation"] for d in departments} == assigned
    for department in departments:
        assert department["verdict"] == "satisfied"
        assert department["satisfaction_rate"] > 0.83
        assert department["ballots"] == (
            department["satisfied"] + department["basically_satisfied"] + department["unsatisfied"]
        )


def test_zhumadian_members_are_demo_accounts_who_voted(demo):
    members = User.objects.filter(username__startswith="zmd-member-")
    assert members.count() == 30
    assert all(m.role == Role.CONGRESS_MEMBER for m in members)
    assert {m.organisation.name for m in members} == {"驻马店市人大常委会"}
    assert members.get(username="zmd-member-01").check_password(PASSWORD)
    session = EvaluationSession.objects.get(campaign__slug="zhumadian-2024")
    voted = Participation.objects.filter(session=session).values("voter").distinct().count()
    assert voted == 29
    assert Ballot.objects.filter(session=session).count() == 29 * 11


def test_hebi_evaluates_the_bulletins_twelve_departments_on_24_october(demo):
    (session,) = evaluation("hebi-2024")["sessions"]
    assert session["closed"] is True
    assert {d["organisation"] for d in session["departments"]} == HEBI_DEPARTMENTS
    stored = EvaluationSession.objects.get(campaign__slug="hebi-2024")
    assert stored.held_on == datetime.date(2024, 10, 24)
    assert "示意" in stored.note


def test_loading_again_changes_nothing(demo):
    before = (EvaluationSession.objects.count(), Ballot.objects.count(), User.objects.count())
    evaluations_demo.load_demo()
    after = (EvaluationSession.objects.count(), Ballot.objects.count(), User.objects.count())
    assert before == after == (2, 29 * 11 + 26 * 12, before[2])
