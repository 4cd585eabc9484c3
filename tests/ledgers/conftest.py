"""Helpers shared by the ledger tests: download a ledger, edit it, upload it back."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from oversight.ledgers.workbook import COLUMNS, HEADER_ROW
from oversight.problems.models import Problem, ProblemEvent, ProgressReport
from tests.browser.conftest import browser, console, output_dir  # noqa: F401  (for test_browser)

COLUMN = {name: index + 1 for index, name in enumerate(COLUMNS)}


def download(client: Any, slug: str) -> Any:
    response = client.get(reverse("ledgers:download", args=[slug]))
    assert response.status_code == 200
    return load_workbook(BytesIO(response.content))


def data_rows(book: Any) -> list[list[Any]]:
    sheet = book.worksheets[0]
    return [list(row) for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)]


def row_of(book: Any, problem: Problem) -> int:
    """The spreadsheet row number of ``problem``."""
    sheet = book.worksheets[0]
    for number in range(HEADER_ROW + 1, sheet.max_row + 1):
        if sheet.cell(number, COLUMN["编号"]).value == problem.code:
            return number
    raise AssertionError(f"{problem.code} not in the ledger")


def edit(book: Any, problem: Problem, **values: Any) -> int:
    """Set cells of the problem's row by column name; returns the row number."""
    number = row_of(book, problem)
    for name, value in values.items():
        book.worksheets[0].cell(number, COLUMN[name]).value = value
    return number


def as_upload(book: Any, name: str = "台账.xlsx") -> SimpleUploadedFile:
    buffer = BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def upload(client: Any, slug: str, file: Any) -> Any:
    return client.post(reverse("ledgers:ledger", args=[slug]), {"file": file})


def confirm(client: Any, slug: str, response: Any) -> Any:
    return client.post(
        reverse("ledgers:confirm", args=[slug]), {"token": response.context["token"]}
    )


def snapshot() -> tuple[Any, ...]:
    """Everything an import could change."""
    return (
        ProgressReport.objects.count(),
        ProblemEvent.objects.count(),
        sorted(Problem.objects.values_list("pk", "status", "rectification_type")),
    )


@pytest.fixture
def mine(make_problem: Any) -> list[Problem]:
    """Three problems of 驻马店市民政局 (liaison_a's), being rectified."""
    return [
        make_problem("in_progress", title="养老机构消防设施不达标"),
        make_problem("assigned", title="社区养老服务中心闲置"),
        make_problem("in_progress", title="农村幸福院运营经费不足"),
    ]
