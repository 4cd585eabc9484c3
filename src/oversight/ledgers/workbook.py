"""The ledger (整改台账) as an .xlsx workbook: one row per problem.

Rows are read in a fixed number of queries whatever their count: the problems with their
latest progress report and version as subqueries, then the raw reports' channels and the
co-departments, one query each.

The last, hidden column is each row's key: the problem's id, its version (its latest
history event: every change of a problem records one) and a digest of the values the
department may edit, as exported. The import tells an edited row by the digest and a
stale one by the version.
"""

from __future__ import annotations

import datetime
import hashlib
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from oversight.problems.models import (
    Assignment,
    Channel,
    Problem,
    ProblemEvent,
    ProblemQuerySet,
    ProgressReport,
    RawReport,
    RectificationType,
)

# The header, exactly as the import expects it back (the working language, like the
# bulletins: a department's ledger is a Chinese document whatever the page's language).
COLUMNS = [
    "编号",
    "问题",
    "问题类别",
    "问题领域",
    "来源渠道",
    "牵头单位",
    "协办部门",
    "整改时限",
    "状态",
    "整改类型",
    "最新进展",
    "进展日期",
    "申请办结",
    "校验码",
]
TYPE_COLUMN = COLUMNS.index("整改类型")
PROGRESS_COLUMN = COLUMNS.index("最新进展")
CLAIM_COLUMN = COLUMNS.index("申请办结")
KEY_COLUMN = COLUMNS.index("校验码")
EDITABLE = (TYPE_COLUMN, PROGRESS_COLUMN, CLAIM_COLUMN)
# The sheet opens with a title row; the header is the second row.
HEADER_ROW = 2
MAX_WIDTH = 48  # wider text wraps
WRAPPED = {COLUMNS.index("问题"), PROGRESS_COLUMN, COLUMNS.index("协办部门")}
DATE_FORMAT = "yyyy-mm-dd"
DATE_COLUMNS = (COLUMNS.index("整改时限"), COLUMNS.index("进展日期"))
YES = "是"


@dataclass(frozen=True)
class LedgerRow:
    problem_id: int
    number: str
    title: str
    kind: str
    area: str
    channels: str
    assignee: str
    co_departments: str
    deadline: datetime.date | None
    status: str
    rectification_type: str  # the code; the sheet shows its label
    latest_progress: str
    progress_date: datetime.date | None
    version: int

    @property
    def key(self) -> str:
        return row_key(self.problem_id, self.version, self.rectification_type, self.latest_progress)

    def cells(self) -> list[Any]:
        return [
            self.number,
            self.title,
            self.kind,
            self.area,
            self.channels,
            self.assignee,
            self.co_departments,
            self.deadline,
            self.status,
            type_label(self.rectification_type),
            self.latest_progress,
            self.progress_date,
            "",
            self.key,
        ]


def type_label(code: str) -> str:
    return str(RectificationType(code).label) if code else ""


def editable_digest(rectification_type: str, progress: str) -> str:
    """What the department may change, as a short digest: equal digests, unedited row."""
    text = f"{rectification_type}\x1f{normalise_text(progress)}"
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def normalise_text(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def row_key(problem_id: int, version: int, rectification_type: str, progress: str) -> str:
    return f"{problem_id}.{version}.{editable_digest(rectification_type, progress)}"


def version() -> Subquery:
    """A problem's version: the id of its latest history event."""
    latest_event = ProblemEvent.objects.filter(problem=OuterRef("pk")).order_by("-pk")
    return Subquery(latest_event.values("pk")[:1])


def with_versions(problems: ProblemQuerySet) -> ProblemQuerySet:
    """Annotate ``version`` (see above)."""
    return problems.annotate(version=version())


def with_latest(problems: ProblemQuerySet) -> ProblemQuerySet:
    """Annotate ``version``, and ``latest_text`` and ``latest_on`` of the latest progress
    report (the ledger's 最新进展 and 进展日期)."""
    latest = ProgressReport.objects.filter(problem=OuterRef("pk")).order_by("-created_at", "-pk")
    return with_versions(problems).annotate(
        latest_text=Subquery(latest.values("text")[:1]),
        latest_on=Subquery(latest.values("reported_on")[:1]),
    )


def current_versions(ids: list[int]) -> dict[int, int]:
    rows = Problem.objects.filter(pk__in=ids).annotate(version=version())
    return {pk: v or 0 for pk, v in rows.values_list("pk", "version")}


def ledger_rows(problems: ProblemQuerySet) -> list[LedgerRow]:
    """Every problem of ``problems`` as a ledger row, by number, in four queries."""
    fetched = list(
        with_latest(problems)
        .select_related("area", "assignment__assignee")
        .order_by("campaign_id", "number")
    )
    ids = problems.values("pk")
    channels: dict[int, set[str]] = defaultdict(set)
    for problem_id, channel in (
        RawReport.objects.filter(problem__in=ids).values_list("problem_id", "channel").distinct()
    ):
        channels[problem_id].add(channel)
    co_departments: dict[int, list[str]] = defaultdict(list)
    for problem_id, name in (
        Assignment.co_departments.through.objects.filter(assignment__problem__in=ids)
        .order_by("organisation__name")
        .values_list("assignment__problem_id", "organisation__name")
    ):
        co_departments[problem_id].append(name)
    channel_order = list(Channel.values)
    return [
        LedgerRow(
            problem_id=problem.pk,
            number=problem.code,
            title=problem.title,
            kind=problem.get_kind_display(),
            area=problem.area.name if problem.area else "",
            channels="、".join(
                str(Channel(c).label) for c in sorted(channels[problem.pk], key=channel_order.index)
            ),
            assignee=assignment.assignee.name if (assignment := _assignment(problem)) else "",
            co_departments="、".join(co_departments[problem.pk]),
            deadline=assignment.deadline if assignment else None,
            status=problem.get_status_display(),
            rectification_type=problem.rectification_type,
            latest_progress=problem.latest_text or "",  # type: ignore[attr-defined]
            progress_date=problem.latest_on,  # type: ignore[attr-defined]
            version=problem.version or 0,  # type: ignore[attr-defined]
        )
        for problem in fetched
    ]


def _assignment(problem: Problem) -> Assignment | None:
    return getattr(problem, "assignment", None)


def display_width(value: Any) -> int:
    """Columns as wide as their text: a CJK character takes two places."""
    if isinstance(value, datetime.date):
        return 10
    text = "" if value is None else str(value)
    longest = max((line for line in text.split("\n")), key=len, default="")
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in longest)


def build(rows: list[LedgerRow], title: str) -> bytes:
    """The workbook: a title row, the header (frozen, filtered), a row per problem; the
    editable columns offer their choices; the key column is hidden."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("整改台账")
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS) - 1)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(COLUMNS)
    editable_fill = PatternFill("solid", fgColor="FFF2CC")
    for index, cell in enumerate(sheet[HEADER_ROW]):
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center")
        if index in EDITABLE:
            cell.fill = editable_fill
    widths = [display_width(name) for name in COLUMNS]
    for row in rows:
        cells = row.cells()
        sheet.append(cells)
        widths = [max(w, display_width(v)) for w, v in zip(widths, cells, strict=True)]
    last = HEADER_ROW + len(rows)
    wrapped = []
    for index, width in enumerate(widths):
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(width, MAX_WIDTH) + 2
        if index in WRAPPED or width > MAX_WIDTH:
            wrapped.append(index)
    # Only the cells that need a style get one: styling every cell is most of the time
    # a large ledger takes (openpyxl indexes each cell's style).
    wrapping = Alignment(vertical="top", wrap_text=True)
    for line in sheet.iter_rows(min_row=HEADER_ROW + 1, max_row=last):
        for index in wrapped:
            line[index].alignment = wrapping
        for index in DATE_COLUMNS:
            if line[index].value is not None:
                line[index].number_format = DATE_FORMAT
    # Only the ledger's own identification: hidden, so that it is neither read nor edited.
    sheet.column_dimensions[get_column_letter(KEY_COLUMN + 1)].hidden = True
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=3)
    sheet.auto_filter.ref = (
        f"A{HEADER_ROW}:{get_column_letter(len(COLUMNS) - 1)}{max(last, HEADER_ROW + 1)}"
    )
    if rows:
        _choices(sheet, TYPE_COLUMN, [str(label) for label in RectificationType.labels], last)
        _choices(sheet, CLAIM_COLUMN, [YES], last)
    notes = workbook.create_sheet(_("填写说明"))
    for line in _instructions():
        notes.append([line])
    notes.column_dimensions["A"].width = 100
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _choices(sheet: Any, column: int, labels: list[str], last: int) -> None:
    letter = get_column_letter(column + 1)
    validation = DataValidation(
        type="list", formula1='"' + ",".join(labels) + '"', allow_blank=True
    )
    validation.error = _("请从下拉列表中选择。")
    sheet.add_data_validation(validation)
    validation.add(f"{letter}{HEADER_ROW + 1}:{letter}{last}")


def _instructions() -> list[str]:
    return [
        _("填写说明"),
        _("1. 只填写黄色表头的三列：整改类型、最新进展、申请办结；其他列仅供查看，修改无效。"),
        _("2. 报送新的进展：把“最新进展”改为本次进展的内容；只改整改类型也会记为一次报送。"),
        _("3. 申请办结：在“申请办结”列填“是”，并在“最新进展”中写明整改完成情况和整改类型。"),
        _("4. 未修改的行不会报送。请勿增删行或修改隐藏的“校验码”列。"),
        _("5. 上传后先预览；任何一行未通过检查时整份文件不导入。"),
        _("导出时间：%(now)s") % {"now": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
    ]


def title_for(campaign_name: str, organisation_name: str | None) -> str:
    if organisation_name:
        return _("%(organisation)s整改台账（%(campaign)s）") % {
            "organisation": organisation_name,
            "campaign": campaign_name,
        }
    return _("%(campaign)s整改台账") % {"campaign": campaign_name}
