"""`oversight ledger CAMPAIGN --out FILE.xlsx`: every problem of the campaign."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from oversight.problems.models import Status
from tests.conftest import org

from .conftest import data_rows


def test_command_writes_a_ledger_that_opens(campaign, make_problem, tmp_path):
    make_problem(Status.IN_PROGRESS, title="民政局的问题")
    make_problem(Status.ASSIGNED, title="卫健委的问题", assignee=org("411700", "weijian"))
    make_problem(Status.PENDING, title="未交办的问题")
    out = tmp_path / "台账.xlsx"
    call_command("ledger", campaign.slug, "--out", str(out))
    book = load_workbook(out)
    titles = [row[1] for row in data_rows(book)]
    assert titles == ["民政局的问题", "卫健委的问题", "未交办的问题"]
    assert book.worksheets[0].freeze_panes == "C3"


def test_unknown_campaign_is_a_command_error(db, tmp_path):
    out = tmp_path / "台账.xlsx"
    with pytest.raises(CommandError, match="没有标识为"):
        call_command("ledger", "nowhere", "--out", str(out))
    assert not out.exists()
