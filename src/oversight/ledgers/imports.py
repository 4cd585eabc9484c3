"""Reading a filled-in ledger back: which rows were edited, and whether each may be applied.

Every row is checked before anything is written; a row the department did not edit is
left alone, whatever happened to its problem since. An edited row is refused, with its
row number, when its problem is outside the uploader's ledger, belongs to another
campaign, changed since the download (its version), or when the action would refuse it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, BinaryIO

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from oversight.problems.forms import TEXT_MAX_LENGTH
from oversight.problems.models import BEING_RECTIFIED, Problem, RectificationType, Status
from oversight.problems.permissions import can_rectify

from .scope import ledger_problems
from .workbook import (
    CLAIM_COLUMN,
    COLUMNS,
    HEADER_ROW,
    KEY_COLUMN,
    PROGRESS_COLUMN,
    TYPE_COLUMN,
    YES,
    editable_digest,
    normalise_text,
    type_label,
    with_latest,
)

if TYPE_CHECKING:
    from oversight.accounts.models import User
    from oversight.campaigns.models import Campaign

MAX_ROWS = 5000
NO = {"", "否"}
YES_WORDS = {YES, "Y", "YES", "√"}


class RowError(Exception):
    pass


@dataclass
class Change:
    """One edited row: what becomes a progress report (or a completion claim)."""

    row: int  # the spreadsheet's own row number
    problem: Problem
    version: int
    text: str
    rectification_type: str
    claim: bool
    old_text: str = ""
    old_type: str = ""

    @property
    def type_label(self) -> str:
        return type_label(self.rectification_type)

    @property
    def old_type_label(self) -> str:
        return type_label(self.old_type)


@dataclass
class Parsed:
    changes: list[Change] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # row-numbered, or about the file
    unchanged: int = 0

    @property
    def accepted(self) -> bool:
        return not self.errors and bool(self.changes)


@dataclass
class Row:
    number: int
    problem_id: int
    version: int
    digest: str
    text: str
    rectification_type: str
    claim: bool


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return normalise_text(str(value))


def _rectification_type(value: Any) -> str:
    text = _text(value)
    if not text:
        return ""
    for code, label in RectificationType.choices:
        if text in (code, str(label)):
            return str(code)
    raise RowError(
        _("整改类型“%(value)s”无效，应为：%(known)s。")
        % {
            "value": text[:20],
            "known": "、".join(str(label) for label in RectificationType.labels),
        }
    )


def _claim(value: Any) -> bool:
    text = _text(value).upper()
    if text in YES_WORDS:
        return True
    if text in NO:
        return False
    raise RowError(_("“申请办结”应填“是”或留空。"))


def _key(value: Any) -> tuple[int, int, str]:
    parts = _text(value).split(".")
    if len(parts) != 3 or not parts[0].isdecimal() or not parts[1].isdecimal():
        raise RowError(_("校验码缺失或被修改，请使用下载的台账填写。"))
    if len(parts[0]) > 18 or len(parts[1]) > 18:
        raise RowError(_("校验码缺失或被修改，请使用下载的台账填写。"))
    return int(parts[0]), int(parts[1]), parts[2]


def _read_row(number: int, cells: list[Any]) -> Row:
    problem_id, version, digest = _key(cells[KEY_COLUMN])
    text = _text(cells[PROGRESS_COLUMN])
    if len(text) > TEXT_MAX_LENGTH:
        raise RowError(_("最新进展不能超过 %(max)s 字。") % {"max": TEXT_MAX_LENGTH})
    return Row(
        number=number,
        problem_id=problem_id,
        version=version,
        digest=digest,
        text=text,
        rectification_type=_rectification_type(cells[TYPE_COLUMN]),
        claim=_claim(cells[CLAIM_COLUMN]),
    )


def row_message(number: int, message: str) -> str:
    return _("第%(row)s行：%(message)s") % {"row": number, "message": message}


def parse(stream: BinaryIO, *, user: User, campaign: Campaign) -> Parsed:
    """Read every row of the ledger sheet and check each edited one against the database."""
    parsed = Parsed()
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        parsed.errors.append(_("无法读取该 Excel 文件，请使用下载的台账填写。"))
        return parsed
    try:
        rows = _edited_rows(workbook.worksheets[0], parsed)
    finally:
        workbook.close()
    if parsed.errors:
        return parsed
    _check(rows, parsed, user=user, campaign=campaign)
    if not parsed.errors and not parsed.changes:
        parsed.errors.append(
            _("文件中没有修改过的行：请在“最新进展”“整改类型”或“申请办结”列填写后再上传。")
            if parsed.unchanged
            else _("文件中没有数据行。")
        )
    return parsed


def _edited_rows(sheet: Any, parsed: Parsed) -> list[Row]:
    """The rows whose editable values differ from those exported (or that claim)."""
    lines = sheet.iter_rows(values_only=True)
    # The title row comes first; accept the header on either of the first two rows.
    header_row = 0
    header: list[str] = []
    while header != COLUMNS and header_row < HEADER_ROW:
        header_row += 1
        header = [_text(cell) for cell in next(lines, ())][: len(COLUMNS)]
    if header != COLUMNS:
        parsed.errors.append(
            _("表头与下载的台账不一致，应为：%(columns)s。") % {"columns": "、".join(COLUMNS)}
        )
        return []
    edited: list[Row] = []
    seen: dict[int, int] = {}
    data_rows = 0
    for number, values in enumerate(lines, start=header_row + 1):
        cells = list(values[: len(COLUMNS)]) + [None] * (len(COLUMNS) - len(values))
        if all(_text(cell) == "" for cell in cells):
            continue
        data_rows += 1
        if data_rows > MAX_ROWS:
            parsed.errors.append(_("一次最多导入 %(max)s 行，请分批导入。") % {"max": MAX_ROWS})
            break
        try:
            row = _read_row(number, cells)
        except RowError as error:
            parsed.errors.append(row_message(number, str(error)))
            continue
        if row.problem_id in seen:
            message = _("与第%(row)s行是同一问题。") % {"row": seen[row.problem_id]}
            parsed.errors.append(row_message(number, message))
            continue
        seen[row.problem_id] = number
        if editable_digest(row.rectification_type, row.text) == row.digest and not row.claim:
            parsed.unchanged += 1
            continue
        edited.append(row)
    return edited


def _check(rows: list[Row], parsed: Parsed, *, user: User, campaign: Campaign) -> None:
    ids = [row.problem_id for row in rows]
    mine = {
        p.pk: p
        for p in with_latest(ledger_problems(user, campaign).filter(pk__in=ids)).select_related(
            "campaign", "assignment"
        )
    }
    elsewhere = set(
        Problem.objects.visible_to(user)
        .filter(pk__in=set(ids) - mine.keys())
        .exclude(campaign=campaign)
        .values_list("pk", flat=True)
    )
    for row in rows:
        problem = mine.get(row.problem_id)
        try:
            if problem is None:
                if row.problem_id in elsewhere:
                    raise RowError(_("该问题不属于本次联动监督，请使用本次联动监督的台账。"))
                raise RowError(_("该问题不在您单位的台账范围内。"))
            parsed.changes.append(_change(row, problem, user))
        except RowError as error:
            parsed.errors.append(row_message(row.number, str(error)))


def _change(row: Row, problem: Problem, user: User) -> Change:
    """The edited row as a change to apply; refused as the action would refuse it."""
    version: int = problem.version or 0  # type: ignore[attr-defined]
    if row.version != version:
        raise RowError(
            _(
                "问题 %(code)s 在您下载台账后已有变动（新的进展、状态或交办变化），"
                "请重新下载台账后再填写。"
            )
            % {"code": problem.code}
        )
    if not can_rectify(user, problem):
        raise RowError(_("整改进展由牵头单位报送，您单位不能报送该问题的进展。"))
    if problem.status not in BEING_RECTIFIED:
        raise RowError(
            _("问题当前状态为“%(status)s”，不能报送整改进展。")
            % {"status": Status(problem.status).label}
        )
    current_text = normalise_text(problem.latest_text or "")  # type: ignore[attr-defined]
    text_changed = row.text != current_text
    new_type = row.rectification_type
    type_changed = bool(new_type) and new_type != problem.rectification_type
    if not row.text and (text_changed or row.claim):
        raise RowError(_("“最新进展”不能为空，请填写本次的整改进展。"))
    if not (text_changed or type_changed or row.claim):
        raise RowError(_("整改类型不能清空。"))
    if row.claim and not (row.rectification_type or problem.rectification_type):
        raise RowError(_("申请办结时请选择整改类型。"))
    text = row.text
    if not text_changed and not row.claim:
        label = RectificationType(row.rectification_type).label
        text = _("整改类型调整为“%(type)s”。") % {"type": label}
    return Change(
        row=row.number,
        problem=problem,
        version=version,
        text=text,
        rectification_type=row.rectification_type if type_changed else "",
        claim=row.claim,
        old_text=current_text,
        old_type=problem.rectification_type,
    )
