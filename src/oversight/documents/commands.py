"""The ``bulletin`` and ``notice`` commands: a first draft's .docx from live data, written
to ``--out``; nothing is stored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from oversight.campaigns.commands import campaign_named

from . import actions, layout
from .models import Kind


class DocumentCommand(BaseCommand):
    kind: str

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("campaign", help="联动监督标识，例如 zhumadian-2024")
        parser.add_argument("--out", required=True, help="输出的 .docx 文件")

    def handle(self, *args: Any, **options: Any) -> None:
        campaign = campaign_named(options["campaign"])
        out = Path(options["out"])
        if not out.parent.is_dir():
            raise CommandError(f"目录不存在：{out.parent}")
        try:
            if self.kind == Kind.BULLETIN:
                content = actions.bulletin_content(campaign)
            else:
                content = actions.notice_content(campaign)[1]
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        out.write_bytes(layout.build(content))
        self.stdout.write(f"{out}：{content.get('title', '')}")
