"""Rate and verdict per department, under the session's own counting rule."""

import datetime
from decimal import Decimal

import pytest

from oversight.evaluations import actions
from oversight.evaluations.models import Choice
from oversight.evaluations.results import CountingRule, DepartmentResult, session_results

USUAL = CountingRule(
    frozenset({Choice.SATISFIED, Choice.BASICALLY_SATISFIED}), Decimal("0.8"), Decimal("0.6")
)
STRICT = CountingRule(frozenset({Choice.SATISFIED}), Decimal("0.9"), Decimal("0.7"))


def result(satisfied, basic, unsatisfied, rule):
    return DepartmentResult("驻马店市民政局", satisfied, basic, unsatisfied, rule)


@pytest.mark.parametrize(
    ("counts", "rule", "rate", "percent", "verdict"),
    [
        # 25 of 29 counted: 86.2%, the figure the bulletin's "above 83%" allows.
        ((22, 3, 4), USUAL, Decimal("0.862"), "86.2%", Choice.SATISFIED),
        ((22, 3, 4), STRICT, Decimal("0.759"), "75.9%", Choice.BASICALLY_SATISFIED),
        # Exactly on a threshold reaches it.
        ((40, 8, 12), USUAL, Decimal("0.800"), "80.0%", Choice.SATISFIED),
        ((54, 0, 6), STRICT, Decimal("0.900"), "90.0%", Choice.SATISFIED),
        ((30, 6, 24), USUAL, Decimal("0.600"), "60.0%", Choice.BASICALLY_SATISFIED),
        # Just below: 47 of 60 is 78.3%.
        ((40, 7, 13), USUAL, Decimal("0.783"), "78.3%", Choice.BASICALLY_SATISFIED),
        ((10, 10, 40), USUAL, Decimal("0.333"), "33.3%", Choice.UNSATISFIED),
        ((10, 40, 10), STRICT, Decimal("0.167"), "16.7%", Choice.UNSATISFIED),
        # Half up (四舍五入): 1/8 = 0.125 → 12.5%, 1/16 = 0.0625 → 6.3%, not 6.2%.
        ((1, 0, 15), STRICT, Decimal("0.063"), "6.3%", Choice.UNSATISFIED),
    ],
)
def test_rate_and_verdict(counts, rule, rate, percent, verdict):
    department = result(*counts, rule)
    assert department.ballots == sum(counts)
    assert department.rate == rate
    assert department.percent == percent
    assert department.verdict == verdict


def test_a_department_without_ballots_has_no_rate_and_no_verdict():
    department = result(0, 0, 0, USUAL)
    assert (department.rate, department.percent, department.verdict) == (None, "—", None)
    assert department.as_dict()["satisfaction_rate"] is None


def test_the_session_rule_is_applied_and_printed(campaign, staff, departments, voters, paper):
    session = actions.open_session(
        actor=staff,
        campaign=campaign,
        title="严格口径",
        held_on=datetime.date(2024, 11, 15),
        departments=departments,
        voters=voters,
        counted_choices=["satisfied"],
        satisfied_threshold=Decimal("0.9"),
        basic_threshold=Decimal("0.5"),
    )
    # First: 2 satisfied of 3 (66.7%); second: all satisfied; third: none.
    papers = [
        paper("satisfied", "satisfied", "basically_satisfied"),
        paper("satisfied", "satisfied", "basically_satisfied"),
        paper("basically_satisfied", "satisfied", "unsatisfied"),
    ]
    for voter, choices in zip(voters, papers, strict=True):
        actions.cast_ballots(voter=voter, session=session, choices=choices)
    actions.close_session(actor=staff, session=session)
    results = session_results(session)
    assert [(r.organisation, r.percent, r.verdict) for r in results] == [
        (departments[0].name, "66.7%", Choice.BASICALLY_SATISFIED),
        (departments[1].name, "100.0%", Choice.SATISFIED),
        (departments[2].name, "0.0%", Choice.UNSATISFIED),
    ]
    assert session.rule_text.startswith("满意率 =（满意）票数 ÷ 有效票数")
    assert "不低于 90.0% 评为满意" in session.rule_text
    assert "不低于 50.0% 评为基本满意" in session.rule_text


def test_the_usual_rule_counts_basically_satisfied(session, staff, voters, paper):
    for voter in voters:
        actions.cast_ballots(
            voter=voter,
            session=session,
            choices=paper("basically_satisfied", "satisfied", "unsatisfied"),
        )
    actions.close_session(actor=staff, session=session)
    assert [r.percent for r in session_results(session)] == ["100.0%", "100.0%", "0.0%"]
    assert "满意 + 基本满意" in session.rule_text


def test_an_open_sessions_results_cannot_be_computed(session):
    with pytest.raises(ValueError, match="测评尚未结束"):
        session_results(session)
