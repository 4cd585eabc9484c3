"""A shortfall is highlighted with its legal basis and turns into a problem in one action."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from oversight.indicators.actions import raise_shortfall
from oversight.indicators.models import Shortfall
from oversight.problems.models import Problem
from oversight.regions.models import Region

from .conftest import enter


def test_a_shortfall_is_highlighted_with_its_basis(client, staff, topic, campaign):
    enter(staff, topic, "411721", "land-per-capita", "0.15")
    enter(staff, topic, "411727", "land-per-capita", "0.51")
    client.force_login(staff)
    response = client.get(reverse("indicators:compliance", args=["elderly-care", "411700"]))
    content = response.content.decode()
    shortfalls = response.context["shortfalls"]
    assert [(s["cell"].region.code, s["can_raise"]) for s in shortfalls] == [("411721", True)]
    assert "养老服务设施用地人均不低于0.2平方米" in content
    assert content.count("table-danger shortfall") == 1


def test_a_shortfall_becomes_a_problem_once(client, staff, topic, campaign):
    enter(staff, topic, "411721", "land-per-capita", "0.15")
    client.force_login(staff)
    url = reverse("indicators:shortfall", args=["elderly-care", "411721"])
    response = client.post(url, {"indicator": "land-per-capita", "period": "2024"})
    problem = Problem.objects.get()
    assert response["Location"] == reverse("problems:detail", args=[problem.pk])
    assert problem.campaign == campaign
    assert problem.region.code == "411721"
    assert problem.area is not None and problem.area.code == "resources"
    assert "养老服务设施用地人均不低于0.2平方米" in problem.description
    assert problem.raw_reports.count() == 1
    assert Shortfall.objects.get().problem == problem
    client.post(url, {"indicator": "land-per-capita", "period": "2024"})
    assert Problem.objects.count() == 1
    page = client.get(reverse("indicators:compliance", args=["elderly-care", "411700"]))
    assert page.context["shortfalls"][0]["problem"] == problem.pk


def test_only_the_campaigns_staff_raise_and_only_real_shortfalls(staff, member, topic, campaign):
    enter(staff, topic, "411721", "land-per-capita", "0.15")
    enter(staff, topic, "411727", "land-per-capita", "0.51")
    xiping, runan = Region.objects.get(code="411721"), Region.objects.get(code="411727")
    with pytest.raises(PermissionDenied):
        raise_shortfall(
            actor=member, topic=topic, region=xiping, indicator="land-per-capita", period="2024"
        )
    with pytest.raises(ValidationError, match="没有未达标"):
        raise_shortfall(
            actor=staff, topic=topic, region=runan, indicator="land-per-capita", period="2024"
        )
    assert not Problem.objects.exists()
