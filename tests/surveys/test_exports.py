"""Exports hold every answer, one row each, open with the csv module and openpyxl, and are
recorded in the audit log."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from oversight.audit.models import AuditEntry, Kind
from oversight.surveys import actions
from oversight.surveys.models import Answer, ResponseChannel
from tests.surveys.conftest import valid_answers

pytestmark = pytest.mark.django_db

RESPONSES = 25


@pytest.fixture
def answered(questionnaire, questions, staff):
    for number in range(RESPONSES):
        answers = valid_answers(questionnaire, county="411727" if number % 2 else "411702")
        answers[questions["rating"].pk] = number % 5 + 1
        answers[questions["text"].pk] = f"建议第{number}条" if number % 3 == 0 else ""
        channel = ResponseChannel.OFFLINE if number % 4 == 0 else ResponseChannel.ONLINE
        actions.submit_response(
            actor=staff if channel == ResponseChannel.OFFLINE else None,
            questionnaire=questionnaire,
            answers=answers,
            channel=channel,
        )
    # A text that a spreadsheet would run as a formula.
    formula = valid_answers(questionnaire)
    formula[questions["text"].pk] = '=HYPERLINK("http://x")'
    actions.submit_response(actor=None, questionnaire=questionnaire, answers=formula)
    return questionnaire


def expected_rows(questionnaire):
    rows = []
    for answer in Answer.objects.filter(response__questionnaire=questionnaire).order_by("pk"):
        value = (
            answer.option.text
            if answer.option
            else answer.region.name
            if answer.region
            else str(answer.value)
            if answer.value is not None
            else answer.text
        )
        rows.append((str(answer.response_id), str(answer.question.position), value))
    return rows


def test_the_csv_holds_every_answer(client, staff, answered):
    client.force_login(staff)
    response = client.get(reverse("surveys:export_csv", args=[answered.pk]))
    assert response.status_code == 200 and response.streaming
    assert response["Content-Disposition"].startswith("attachment")
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff"))))
    assert rows[0][0] == "答卷编号" and rows[0][-1] == "回答"
    body = rows[1:]
    expected = expected_rows(answered)
    assert len(body) == len(expected) == Answer.objects.count()
    got = [(row[0], row[5], row[8].removeprefix("'")) for row in body]
    assert got == expected
    assert {row[1] for row in body} == {"线上", "线下"}
    assert any(row[3] == "staff" for row in body if row[1] == "线下")
    assert [row[8] for row in body if "HYPERLINK" in row[8]] == ['\'=HYPERLINK("http://x")']
    assert AuditEntry.objects.filter(kind=Kind.EXPORT, summary__contains="CSV").count() == 1


def test_the_workbook_holds_every_answer(client, staff, answered):
    client.force_login(staff)
    response = client.get(reverse("surveys:export_xlsx", args=[answered.pk]))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][0] == "答卷编号"
    body = rows[1:]
    expected = expected_rows(answered)
    assert len(body) == len(expected)
    got = [(str(row[0]), str(row[5]), str(row[8]).removeprefix("'")) for row in body]
    assert got == expected
    # The formula is a text cell, not a formula.
    assert any(row[8] == '\'=HYPERLINK("http://x")' for row in body)
    assert AuditEntry.objects.filter(kind=Kind.EXPORT, summary__contains="Excel").count() == 1


def test_an_empty_questionnaire_exports_its_header(client, staff, questionnaire):
    client.force_login(staff)
    content = b"".join(
        client.get(reverse("surveys:export_csv", args=[questionnaire.pk])).streaming_content
    )
    assert len(content.decode("utf-8").strip().splitlines()) == 1
