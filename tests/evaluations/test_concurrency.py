"""A whole committee votes at the same moment on the real database: no ballot is lost, none
is stored twice. Each thread has its own connection and commits for real (SQLite serialises
the writers, PostgreSQL queues them on the session's row lock)."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from oversight.accounts.models import Role
from oversight.evaluations import actions
from oversight.evaluations.models import Ballot, Participation
from tests.conftest import make_user, org

pytestmark = pytest.mark.django_db(transaction=True)

MEMBERS = 60
CHOICES = ["satisfied", "basically_satisfied", "unsatisfied"]


def all_at_once(count: int, work: Any) -> list[Any]:
    """Run ``work(index)`` in ``count`` threads released together; each thread's result or
    exception, in order. Every thread closes its own connection when done."""
    start = threading.Barrier(count)

    def run(index: int) -> Any:
        try:
            start.wait()
            return work(index)
        except Exception as error:
            return error
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def test_sixty_members_voting_at_once_lose_no_ballot(session, departments, paper):
    congress = org("411700", "congress")
    members = [make_user(f"member_{n:02d}", congress, Role.CONGRESS_MEMBER) for n in range(MEMBERS)]
    session.voters.add(*members)

    def choices_of(index: int) -> dict[int, str]:
        # Each member's answers differ by department, so that a mix-up would show.
        return paper(*(CHOICES[(index + shift) % 3] for shift in range(len(departments))))

    outcomes = all_at_once(
        MEMBERS,
        lambda i: actions.cast_ballots(voter=members[i], session=session, choices=choices_of(i)),
    )

    assert outcomes == [len(departments)] * MEMBERS
    assert Participation.objects.filter(session=session).count() == MEMBERS * len(departments)
    assert (
        Participation.objects.filter(session=session).values("voter").distinct().count() == MEMBERS
    )
    expected = Counter(
        (department_id, choice)
        for index in range(MEMBERS)
        for department_id, choice in choices_of(index).items()
    )
    stored = Counter(Ballot.objects.filter(session=session).values_list("department", "choice"))
    assert stored == expected
    assert sum(stored.values()) == MEMBERS * len(departments)


def test_one_member_submitting_twice_at_once_stores_one_set(session, member, paper):
    outcomes = all_at_once(
        8,
        lambda i: actions.cast_ballots(
            voter=member, session=session, choices=paper(CHOICES[i % 3])
        ),
    )

    succeeded = [outcome for outcome in outcomes if outcome == 3]
    refused = [outcome for outcome in outcomes if isinstance(outcome, ValidationError)]
    assert len(succeeded) == 1
    assert len(refused) == 7
    assert all("您已投过票" in " ".join(error.messages) for error in refused)
    assert Ballot.objects.filter(session=session).count() == 3
    assert Participation.objects.filter(session=session, voter=member).count() == 3
    # The one set stored is whole: one choice for every department, from the same submission.
    assert Ballot.objects.filter(session=session).values("choice").distinct().count() == 1


def test_closing_while_members_vote_keeps_every_ballot_or_refuses_it(
    session, staff, departments, paper
):
    congress = org("411700", "congress")
    members = [make_user(f"late_{n:02d}", congress, Role.CONGRESS_MEMBER) for n in range(20)]
    session.voters.add(*members)

    def work(index: int) -> Any:
        if index == 20:
            return actions.close_session(actor=staff, session=session)
        return actions.cast_ballots(
            voter=members[index], session=session, choices=paper("satisfied")
        )

    outcomes = all_at_once(21, work)

    accepted = sum(1 for outcome in outcomes[:20] if outcome == len(departments))
    refused = [outcome for outcome in outcomes[:20] if isinstance(outcome, ValidationError)]
    assert accepted + len(refused) == 20
    assert all("本次测评已结束" in " ".join(error.messages) for error in refused)
    # Whatever was accepted is exactly what is stored: nothing slipped in after the close.
    assert Ballot.objects.filter(session=session).count() == accepted * len(departments)
    closed = session.events.get(kind="closed")
    assert closed.details == {"ballots": accepted * len(departments)}
