from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from oversight.campaigns.commands import campaign_named
from oversight.ledgers import workbook
from oversight.problems.models import Problem


class Command(BaseCommand):
    help = "把一次联动监督的全部问题导出为整改台账（.xlsx），每个问题一行。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("campaign", help="联动监督标识，例如 zhumadian-2024")
        parser.add_argument("--out", required=True, help="输出文件，例如 台账.xlsx")

    def handle(self, *args: Any, **options: Any) -> None:
        campaign = campaign_named(options["campaign"])
        rows = workbook.ledger_rows(Problem.objects.filter(campaign=campaign))
        content = workbook.build(rows, workbook.title_for(campaign.name, None))
        out = Path(options["out"])
        try:
            out.write_bytes(content)
        except OSError as error:
            raise CommandError(f"无法写入文件 {out}：{error.strerror}") from None
        self.stdout.write(f"已导出 {campaign.name} 的整改台账：{len(rows)} 个问题 → {out}")
