"""``oversight extract-figures FILE [--json]``: the figures of a bulletin, nothing stored."""

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError, CommandParser

from oversight.figures.extract import extract
from oversight.figures.reading import MAX_BYTES, read_upload


class Command(BaseCommand):
    help = (
        "从简报（.txt 或 .docx）中提取数据：统计对象、数值、单位、原数值和原句"
        "（--json 供脚本使用）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="简报文件（.txt 或 .docx）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            if path.stat().st_size > MAX_BYTES:
                data = b""  # read_upload refuses it by its size, without reading it
                size = path.stat().st_size
            else:
                data = path.read_bytes()
                size = len(data)
        except OSError:
            raise CommandError(f"无法读取文件“{path}”。") from None
        upload = SimpleUploadedFile(path.name, data)
        upload.size = size
        try:
            text, _kind = read_upload(upload)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        figures = extract(text)
        if options["json"]:
            payload = {"figures": [figure.as_json() for figure in figures]}
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        for figure in figures:
            before = f"{figure.before:f} → " if figure.before is not None else ""
            self.stdout.write(
                f"{figure.subject}\t{before}{figure.value:f}{figure.unit}"
                f"{f'（{figure.qualifier}）' if figure.qualifier else ''}"
            )
        self.stdout.write(f"共 {len(figures)} 项数据。")
