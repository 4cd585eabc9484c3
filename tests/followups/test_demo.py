"""The demo campaigns ended in 2024: their unfinished problems are followed up, with checks,
and the demo accounts have reminders."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from oversight.accounts.models import User
from oversight.followups.models import FollowUp, FollowUpCheck
from oversight.notifications.models import Notification
from oversight.problems.models import Problem, Status


@pytest.fixture
def demo(db):
    call_command("demo", "--no-serve", stdout=None)


def test_unfinished_demo_problems_are_followed_up_with_checks(demo, client):
    for slug, at_least in (("zhumadian-2024", 9), ("hebi-2024", 7)):
        unfinished = Problem.objects.filter(campaign__slug=slug).exclude(status=Status.COMPLETED)
        followed = FollowUp.objects.on_list().filter(problem__campaign__slug=slug)
        assert followed.count() == unfinished.count() >= at_least
    zhumadian = FollowUp.objects.on_list().filter(problem__campaign__slug="zhumadian-2024")
    assert all(follow_up.checks.count() == 3 for follow_up in zhumadian)
    assert zhumadian.filter(next_check_on__lt=timezone.localdate()).exists()
    client.force_login(User.objects.get(username="zmd-staff"))
    page = client.get(reverse("followups:list", args=["zhumadian-2024"]))
    assert page.status_code == 200 and 'class="table-danger"' in page.content.decode()


def test_demo_accounts_have_reminders(demo):
    staff = Notification.objects.filter(recipient__username="zmd-staff")
    assert staff.filter(read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient__username="zmd-minzheng").exists()


def test_loading_the_demo_again_adds_nothing(demo):
    counts = (FollowUp.objects.count(), FollowUpCheck.objects.count(), Notification.objects.count())
    call_command("demo", "--no-serve", stdout=None)
    assert counts == (
        FollowUp.objects.count(),
        FollowUpCheck.objects.count(),
        Notification.objects.count(),
    )
