"""Nothing joins a member to a choice: not the ballot's columns, not a page, the export or
the script output; and while a session is open nobody sees any count of a choice."""

import io
import json
import re
import uuid

import openpyxl
from django.core.management import call_command
from django.db import models
from django.urls import reverse

from oversight.accounts.models import User
from oversight.audit.models import AuditEntry
from oversight.audit.models import Kind as AuditKind
from oversight.evaluations import actions
from oversight.evaluations.models import Ballot


def vote_all(session, voters, paper):
    choices = ["satisfied", "basically_satisfied", "unsatisfied"]
    for index, voter in enumerate(voters):
        actions.cast_ballots(voter=voter, session=session, choices=paper(choices[index]))


def voter_names(voters):
    names = set()
    for voter in voters:
        names |= {voter.username, voter.full_name, str(voter)}
    return names - {""}


def test_a_ballot_has_no_field_that_leads_to_a_voter():
    fields = Ballot._meta.get_fields()
    assert {field.name for field in fields} == {"id", "session", "department", "choice"}
    for field in fields:
        assert getattr(field, "related_model", None) is not User
        assert not isinstance(field, models.DateField | models.DateTimeField)
    # A random key, not one that grows as ballots are cast.
    assert isinstance(Ballot._meta.pk, models.UUIDField)
    assert Ballot._meta.pk.default is uuid.uuid4
    assert not Ballot._meta.ordering


def test_ballot_keys_are_random(session, voters, paper):
    vote_all(session, voters, paper)
    keys = list(Ballot.objects.values_list("pk", flat=True))
    assert len({key.version for key in keys}) == 1
    assert keys[0].version == 4


def test_the_result_page_names_no_voter(client, session, staff, voters, paper):
    vote_all(session, voters, paper)
    actions.close_session(actor=staff, session=session)
    client.force_login(staff)
    page = client.get(reverse("evaluations:result", args=[session.pk])).content.decode()
    assert 'data-testid="result-row"' in page
    for name in voter_names(voters):
        assert name not in page


def test_the_session_page_names_no_voter(client, session, staff, voters, paper):
    vote_all(session, voters, paper)
    client.force_login(staff)
    page = client.get(reverse("evaluations:detail", args=[session.pk])).content.decode()
    assert 'data-testid="voted">3<' in page
    for name in voter_names(voters):
        assert name not in page


def test_the_export_names_no_voter_and_is_audited(client, session, staff, voters, paper):
    vote_all(session, voters, paper)
    actions.close_session(actor=staff, session=session)
    client.force_login(staff)
    response = client.get(reverse("evaluations:export", args=[session.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = [
        str(cell.value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]
    text = "\n".join(cells)
    assert session.departments.first().name in text
    assert "计票规则" in text
    for name in voter_names(voters):
        assert name not in text
    entry = AuditEntry.objects.get(kind=AuditKind.EXPORT)
    assert entry.user == staff
    assert session.title in entry.summary


def test_the_json_output_names_no_voter(session, staff, voters, paper, campaign):
    vote_all(session, voters, paper)
    actions.close_session(actor=staff, session=session)
    out = io.StringIO()
    call_command("evaluation", campaign.slug, "--json", stdout=out)
    text = out.getvalue()
    assert json.loads(text)["sessions"][0]["closed"] is True
    for name in voter_names(voters):
        assert name not in text


def test_while_open_the_result_page_shows_no_counts_even_to_staff(
    client, session, staff, voters, paper
):
    vote_all(session, voters, paper)
    client.force_login(staff)
    response = client.get(reverse("evaluations:result", args=[session.pk]))
    page = response.content.decode()
    assert "测评正在进行，结果在测评结束后公布" in page
    assert "已收选票 9 张" in page
    assert "result-row" not in page
    assert "evaluation-chart-data" not in page
    for label in ("基本满意", "不满意", "满意率"):
        assert label not in page.split("<main", 1)[1]


def test_while_open_the_export_is_refused(client, session, staff, voters, paper):
    vote_all(session, voters, paper)
    client.force_login(staff)
    response = client.get(reverse("evaluations:export", args=[session.pk]), follow=True)
    assert "测评结束后才能导出结果" in response.content.decode()
    assert response.get("Content-Type", "").startswith("text/html")
    assert not AuditEntry.objects.filter(kind=AuditKind.EXPORT).exists()


def test_while_open_the_script_shows_only_ballots(session, voters, paper, campaign):
    vote_all(session, voters, paper)
    out = io.StringIO()
    call_command("evaluation", campaign.slug, "--json", stdout=out)
    (data,) = json.loads(out.getvalue())["sessions"]
    assert data["closed"] is False
    assert all(set(department) == {"organisation", "ballots"} for department in data["departments"])
    assert [department["ballots"] for department in data["departments"]] == [3, 3, 3]


def test_the_live_count_shows_how_many_not_what(client, session, staff, voters, paper):
    vote_all(session, voters[:2], paper)
    client.force_login(staff)
    response = client.get(
        reverse("evaluations:turnout", args=[session.pk]), headers={"HX-Request": "true"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'hx-trigger="every 5s"' in page
    assert re.search(r'data-testid="voted">2<', page)
    assert re.search(r'data-testid="ballots">6<', page)
    assert "满意" not in page


def test_the_live_count_stops_polling_once_closed(client, session, staff):
    actions.close_session(actor=staff, session=session)
    client.force_login(staff)
    response = client.get(reverse("evaluations:turnout", args=[session.pk]))
    assert response.status_code == 286
    assert "hx-trigger" not in response.content.decode()
