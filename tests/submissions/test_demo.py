"""The Hebi demo: deputies' suggestions, one merged by staff, the meal-assistance project with
the bulletin's figures, public reporting open with one public reply. Loaded twice: idempotent."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from oversight.accounts.models import Role, User
from oversight.demo.loader import DATA_DIR, demo_logins, load_campaign
from oversight.organisations.services import load_reference_data
from oversight.submissions import actions, demo
from oversight.submissions.models import Kind, LivelihoodProject, Submission
from oversight.submissions.stats import project_figures

pytestmark = pytest.mark.django_db


def test_hebi_demo(client):
    load_reference_data()
    campaign = load_campaign(DATA_DIR / "hebi-2024.toml")
    assert campaign is not None
    demo.load_demo()
    demo.load_demo()

    deputy = User.objects.get(username="hebi-deputy-01")
    assert deputy.role == Role.DEPUTY and deputy.is_deputy
    assert "hebi-deputy-01" in [login.username for login in demo_logins()]
    suggestions = Submission.objects.filter(kind__in=[Kind.SUGGESTION, Kind.PROBLEM])
    assert suggestions.count() == 3
    medical = suggestions.get(title="关于促进医养结合快速发展的建议")
    assert medical.raw_report.problem.title == "双证齐全的医养结合机构数量少"

    public = Submission.objects.filter(kind=Kind.PUBLIC)
    assert public.count() == 3
    assert actions.is_public_reporting_open(campaign)
    replied = public.exclude(public_reply="").get()

    project = LivelihoodProject.objects.get(campaign=campaign)
    figures = project_figures(project, list(project.progress.all()))
    assert (figures.achieved, figures.percent, str(figures.funds_wan_yuan)) == (
        180,
        "1125.0%",
        "515.00",
    )

    page = client.get(f"/track/{replied.tracking_code}/").content.decode()
    assert replied.public_reply[:20] in page
    client.force_login(deputy)
    assert "关于促进医养结合快速发展的建议" in client.get("/suggestions/").content.decode()


def test_command_contract(capsys):
    load_reference_data()
    load_campaign(DATA_DIR / "hebi-2024.toml")
    demo.load_demo()
    call_command("submissions", "hebi-2024", "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["campaign"] == "hebi-2024"
    assert data["public_reporting_open"] is True
    assert data["suggestions"]["total"] == 3
    assert data["suggestions"]["merged"] == 1
    assert data["public"] == {"total": 3, "merged": 1, "replied": 1}
    (project,) = data["projects"]
    assert (project["achieved"], project["completion_rate"], project["funds_wan_yuan"]) == (
        180,
        11.25,
        515.0,
    )
    call_command("submissions", "hebi-2024")
    assert "1125.0%" in capsys.readouterr().out
    with pytest.raises(CommandError, match="没有标识为"):
        call_command("submissions", "nowhere")
