"""Spreadsheet import of indicator values and of the facility registry.

A workbook is read row by row into specs, each row checked on its own (a cell that cannot
be read, an unknown region, what the action's own checks refuse); the page shows every
refused row with its number and reason. Nothing is written unless no row is refused, and
then in one transaction through the actions.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import Any, BinaryIO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from oversight.facilities.actions import FacilitySpec, check_facility
from oversight.facilities.catalogue import facility_kinds
from oversight.facilities.models import Status
from oversight.regions.models import Region
from oversight.topics.models import Topic

from . import periods
from .actions import ValueSpec, check_value
from .catalogue import catalogue
from .models import Source

# Rows read in the request; a larger file goes to the tasks worker (``jobs.py``) instead.
MAX_ROWS = 5000
# Rows of one background import: 100,000 rows check in well under a minute and write in one
# transaction of a few minutes; beyond that a file is better split by region.
JOB_MAX_ROWS = 100_000
YES = {"是", "Y", "YES", "TRUE", "1", "√"}
NO = {"", "否", "N", "NO", "FALSE", "0"}

VALUE_COLUMNS = ["区划代码", "指标代码", "期间", "数值", "来源", "示意数据", "备注"]
FACILITY_COLUMNS = [
    "区划代码",
    "设施类型代码",
    "名称",
    "地址",
    "运营方",
    "运营状态",
    "建成日期",
    "开始运营日期",
    "停运日期",
    "医疗机构执业许可",
    "养老机构备案",
    "转型日期",
    "示意数据",
    "备注",
]


class CellError(Exception):
    pass


@dataclass
class ParsedRow:
    number: int  # the spreadsheet's own row number
    cells: list[str]
    errors: list[str] = field(default_factory=list)
    spec: Any = None


@dataclass
class Parsed:
    kind: str
    rows: list[ParsedRow]
    file_errors: list[str] = field(default_factory=list)
    too_many: bool = False  # more rows than allowed: the file was not read to the end

    @property
    def refused(self) -> list[ParsedRow]:
        return [row for row in self.rows if row.errors]

    @property
    def accepted(self) -> bool:
        return not self.file_errors and bool(self.rows) and not self.refused

    def specs(self) -> list[Any]:
        return [row.spec for row in self.rows]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _flag(value: Any, column: str) -> bool:
    text = _text(value).upper()
    if text in YES:
        return True
    if text in NO:
        return False
    raise CellError(_("“%(column)s”应填“是”或“否”。") % {"column": column})


def _date(value: Any, column: str) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(_text(value).replace("/", "-"))
    except ValueError:
        raise CellError(
            _("“%(column)s”不是日期（应为 2024-06-30）。") % {"column": column}
        ) from None


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise CellError(_("“数值”不是数字。"))
    text = _text(value).replace(",", "").rstrip("%")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError(_("“数值”不是数字。")) from None
    if not number.is_finite():
        raise CellError(_("“数值”不是数字。"))
    return number


def _choice(value: Any, choices: dict[str, str], column: str) -> str:
    """A choice by its code or its Chinese label."""
    text = _text(value)
    for code, label in choices.items():
        if text in (code, label):
            return code
    raise CellError(
        _("“%(column)s”应为：%(known)s。")
        % {"column": column, "known": "、".join(choices.values())}
    )


def _value_row(topic: Topic, cells: list[Any], regions: dict[str, Region]) -> ValueSpec:
    region = regions.get(_text(cells[0]))
    if region is None:
        raise CellError(_("区划代码“%(code)s”不存在。") % {"code": _text(cells[0])[:12]})
    return ValueSpec(
        indicator=_text(cells[1]),
        region=region,
        period=periods.normalise(_text(cells[2])),
        value=_decimal(cells[3]),
        source=_choice(cells[4], {c: str(label) for c, label in Source.choices}, "来源"),
        is_illustrative=_flag(cells[5], "示意数据"),
        note=_text(cells[6]),
    )


def _facility_row(topic: Topic, cells: list[Any], regions: dict[str, Region]) -> FacilitySpec:
    region = regions.get(_text(cells[0]))
    if region is None:
        raise CellError(_("区划代码“%(code)s”不存在。") % {"code": _text(cells[0])[:12]})
    return FacilitySpec(
        kind=_text(cells[1]),
        name=_text(cells[2]),
        region=region,
        address=_text(cells[3]),
        operator=_text(cells[4]),
        status=_choice(cells[5], {c: str(label) for c, label in Status.choices}, "运营状态"),
        built_on=_date(cells[6], "建成日期"),
        operating_since=_date(cells[7], "开始运营日期"),
        ceased_on=_date(cells[8], "停运日期"),
        medical_licence=_flag(cells[9], "医疗机构执业许可"),
        care_licence=_flag(cells[10], "养老机构备案"),
        converted_on=_date(cells[11], "转型日期"),
        is_illustrative=_flag(cells[12], "示意数据"),
        note=_text(cells[13]),
    )


KINDS: dict[str, tuple[list[str], Callable[..., Any], Callable[[Topic, Any], list[str]]]] = {
    "values": (VALUE_COLUMNS, _value_row, check_value),
    "facilities": (FACILITY_COLUMNS, _facility_row, check_facility),
}


def estimated_rows(stream: BinaryIO) -> int | None:
    """The data rows the first sheet says it has (its recorded dimension, without reading
    the rows), or None when the file does not say or cannot be read."""
    try:
        workbook = load_workbook(stream, read_only=True)
        max_row = workbook.worksheets[0].max_row
        workbook.close()
    except Exception:  # a damaged file: ``parse`` says so
        return None
    return max(0, max_row - 1) if max_row else None


def parse(
    topic: Topic,
    kind: str,
    stream: BinaryIO,
    allowed_regions: set[int],
    *,
    max_rows: int | None = None,
    progress: Callable[[int], None] | None = None,
    every: int = 1000,
) -> Parsed:
    """Read and check every row of the first sheet; the header row must be the template's.
    At most ``max_rows`` rows (``MAX_ROWS`` by default); ``progress`` is told how many rows
    were read every ``every`` rows."""
    max_rows = MAX_ROWS if max_rows is None else max_rows
    columns, read_row, check = KINDS[kind]
    parsed = Parsed(kind, [])
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        parsed.file_errors.append(_("无法读取该 Excel 文件，请使用下载的模板填写。"))
        return parsed
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [_text(cell) for cell in next(rows, ())][: len(columns)]
    if header != columns:
        parsed.file_errors.append(
            _("表头与模板不一致，第 1 行应为：%(columns)s。") % {"columns": "、".join(columns)}
        )
        return parsed
    regions = {r.code: r for r in Region.objects.all()}
    for number, values in enumerate(rows, start=2):
        cells = list(values[: len(columns)]) + [None] * (len(columns) - len(values))
        if all(_text(cell) == "" for cell in cells):
            continue
        if len(parsed.rows) >= max_rows:
            parsed.too_many = True
            parsed.file_errors.append(
                _("一次最多导入 %(max)s 行，请分批导入。") % {"max": max_rows}
            )
            break
        row = ParsedRow(number, [_text(cell)[:60] for cell in cells])
        parsed.rows.append(row)
        if progress is not None and len(parsed.rows) % every == 0:
            progress(len(parsed.rows))
        try:
            row.spec = read_row(topic, cells, regions)
        except (CellError, ValidationError) as error:
            row.errors.append(
                "；".join(error.messages) if isinstance(error, ValidationError) else str(error)
            )
            continue
        row.errors += check(topic, row.spec)
        if row.spec.region.pk not in allowed_regions:
            row.errors.append(_("您不能导入%(region)s的数据。") % {"region": row.spec.region.name})
    workbook.close()
    _mark_duplicates(parsed)
    if not parsed.rows and not parsed.file_errors:
        parsed.file_errors.append(_("文件中没有数据行。"))
    return parsed


def _mark_duplicates(parsed: Parsed) -> None:
    seen: dict[tuple[Any, ...], int] = {}
    for row in parsed.rows:
        if row.spec is None:
            continue
        spec = row.spec
        key = (
            (spec.region.pk, spec.indicator, spec.period)
            if parsed.kind == "values"
            else (spec.region.pk, spec.kind, spec.name.strip())
        )
        if key in seen:
            row.errors.append(_("与第 %(row)s 行重复。") % {"row": seen[key]})
        else:
            seen[key] = row.number


def template(topic: Topic, kind: str) -> bytes:
    """The workbook to fill in: the header row, one example row, and a sheet of codes."""
    columns = KINDS[kind][0]
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("导入数据")
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index in range(len(columns)):
        sheet.column_dimensions[chr(ord("A") + index)].width = 16
    codes = workbook.create_sheet(_("代码说明"))
    if kind == "values":
        sheet.append(["411700", "lottery-share", "2024", 71.16, "工作简报", "否", ""])
        codes.append([_("指标代码"), _("名称"), pgettext("unit of measure", "单位"), _("取得方式")])
        for indicator in catalogue(topic.slug).values():
            if indicator.obtained == "entered":
                codes.append([indicator.code, indicator.name, indicator.unit, _("填报")])
        codes.append([])
        codes.append([_("来源"), "、".join(str(label) for _c, label in Source.choices)])
    else:
        sheet.append(
            ["411727", "meal", "汝南县老年助餐点001", "", "", "运营中", "2024-06-30",
             "2024-07-01", "", "否", "否", "", "否", ""]
        )  # fmt: skip
        codes.append([_("设施类型代码"), _("名称")])
        for facility_kind in facility_kinds(topic.slug).values():
            codes.append([facility_kind.code, facility_kind.name])
        codes.append([])
        codes.append([_("运营状态"), "、".join(str(label) for _c, label in Status.choices)])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
