"""The result sheet as an Excel workbook: the same figures as the page, no voter anywhere."""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from .models import EvaluationSession
from .results import DepartmentResult


def result_workbook(session: EvaluationSession, results: list[DepartmentResult]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("测评结果")
    sheet.append([session.title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([_("联动监督"), session.campaign.name])
    sheet.append([_("测评日期"), session.held_on.isoformat()])
    sheet.append([_("计票规则"), session.rule_text])
    if session.note:
        sheet.append([_("说明"), session.note])
    sheet.append([])
    headers = [
        _("测评部门"),
        _("有效票"),
        _("满意"),
        _("基本满意"),
        _("不满意"),
        _("满意率"),
        _("测评结果"),
    ]
    sheet.append(headers)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for result in results:
        verdict = result.verdict
        sheet.append(
            [
                result.organisation,
                result.ballots,
                result.satisfied,
                result.basically_satisfied,
                result.unsatisfied,
                None if result.rate is None else float(result.rate),
                "—" if verdict is None else str(verdict.label),
            ]
        )
        sheet.cell(row=sheet.max_row, column=6).number_format = "0.0%"
    for row in sheet.iter_rows(min_row=header_row, min_col=2, max_col=6):
        for cell in row:
            cell.alignment = Alignment(horizontal="right")
    sheet.column_dimensions["A"].width = 30
    for column in "BCDEFG":
        sheet.column_dimensions[column].width = 12
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
