"""Every answer of a questionnaire, one row each, as CSV or Excel, in bounded memory.

The rows come from one query read in chunks (``iterator``): the CSV is streamed to the
client as it is read, the workbook is written by openpyxl's write-only mode (which keeps
rows in its own temporary file) into a temporary file that is then sent and deleted.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator
from typing import IO

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from .models import Answer, QuestionKind, Questionnaire, ResponseChannel

CHUNK_SIZE = 2000
# A cell the public typed that starts like a formula is shown as text, never evaluated.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Row = list[str | int]


def header() -> Row:
    return [
        _("答卷编号"),
        _("渠道"),
        _("提交时间"),
        _("录入人"),
        _("所在地区"),
        _("题号"),
        _("题目"),
        _("题型"),
        _("回答"),
    ]


def _safe(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def answer_rows(questionnaire: Questionnaire) -> Iterator[Row]:
    channels = {value: str(label) for value, label in ResponseChannel.choices}
    kinds = {value: str(label) for value, label in QuestionKind.choices}
    zone = timezone.get_current_timezone()
    last_response, submitted = None, ""
    answers = (
        Answer.objects.filter(response__questionnaire=questionnaire)
        .order_by("pk")
        .values_list(
            "response_id",
            "response__channel",
            "response__created_at",
            "response__entered_by__username",
            "response__region__name",
            "question__position",
            "question__text",
            "question__kind",
            "option__text",
            "value",
            "region__name",
            "text",
        )
    )
    for (
        response,
        channel,
        created_at,
        entered_by,
        response_region,
        position,
        question,
        kind,
        option,
        value,
        region,
        text,
    ) in answers.iterator(chunk_size=CHUNK_SIZE):
        # A response's answers come together: its time is converted once.
        if response != last_response:
            last_response = response
            submitted = created_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        answer = option or region or (str(value) if value is not None else text)
        yield [
            response,
            channels.get(channel, channel),
            submitted,
            entered_by or "",
            response_region or "",
            position,
            question,
            kinds.get(kind, kind),
            _safe(answer),
        ]


class _Line:
    """A file that hands back what csv.writer writes, so that each row can be yielded."""

    def write(self, value: str) -> str:
        return value


def csv_lines(questionnaire: Questionnaire) -> Iterator[str]:
    writer = csv.writer(_Line())
    # The byte-order mark makes Excel read the file as UTF-8 (Chinese would be garbled otherwise).
    yield "\ufeff" + writer.writerow(header())
    for row in answer_rows(questionnaire):
        yield writer.writerow(row)


def workbook_file(questionnaire: Questionnaire) -> IO[bytes]:
    """The workbook in an anonymous temporary file under the data directory, rewound; it
    disappears when closed."""
    folder = settings.DATA_DIR / "tmp"
    folder.mkdir(parents=True, exist_ok=True)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("全部回答"))
    sheet.append(header())
    for row in answer_rows(questionnaire):
        sheet.append(row)
    # Closed (and so deleted) by the FileResponse that sends it.
    output = tempfile.TemporaryFile(dir=folder, suffix=".xlsx")  # noqa: SIM115
    book.save(output)
    output.seek(0)
    return output
