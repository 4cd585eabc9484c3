import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from oversight.campaigns.commands import campaign_named
from oversight.submissions.stats import campaign_summary


class Command(BaseCommand):
    help = "显示一次联动监督的代表建议、群众反映与民生实事办理情况（--json 输出供脚本使用）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("campaign", help="联动监督标识，例如 hebi-2024")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: Any, **options: Any) -> None:
        campaign = campaign_named(options["campaign"])
        summary = campaign_summary(campaign)
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
            return
        suggestions, public = summary["suggestions"], summary["public"]
        self.stdout.write(campaign.name)
        self.stdout.write(
            f"  群众反映：{'已开放' if summary['public_reporting_open'] else '未开放'}，"
            f"收到 {public['total']} 条，已归并 {public['merged']} 条，"
            f"已答复 {public['replied']} 条"
        )
        self.stdout.write(
            f"  代表建议：{suggestions['total']} 件，已归并 {suggestions['merged']} 件，"
            f"已办结 {suggestions['completed']} 件"
        )
        for project in summary["projects"]:
            rate = project["completion_rate"]
            shown = "—" if rate is None else f"{rate * 100:.1f}%"
            self.stdout.write(
                f"  民生实事：{project['title']}（{project['department']}），"
                f"已完成 {project['achieved'] if project['achieved'] is not None else '—'}，"
                f"完成目标 {shown}"
            )
