import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from oversight.campaigns.commands import campaign_named
from oversight.campaigns.models import Campaign
from oversight.problems.stats import campaign_figures, children_figures, from_parent
from oversight.regions.models import Level


class Command(BaseCommand):
    help = "显示一次联动监督的问题数、办结数和办结率（--json 输出供脚本使用）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("campaign", help="联动监督标识，例如 zhumadian-2024")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: Any, **options: Any) -> None:
        campaign = campaign_named(options["campaign"])
        figures = campaign_figures(campaign)
        upper = from_parent(campaign)
        children = children_figures(Campaign.objects.all(), campaign)
        if options["json"]:
            data = {
                "campaign": campaign.slug,
                "name": campaign.name,
                **figures.as_dict(),
                "from_parent": {"problems": upper.problems, "completed": upper.completed},
                "children": [child.as_dict() for child in children],
            }
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{campaign.name}")
        rows = [("全部", figures.overall)]
        rows += [(f"{Level(level).label}承办", rate) for level, rate in figures.by_level.items()]
        rows += [(group.label, group.rate) for group in figures.by_department + figures.by_congress]
        rows += [("上级交办", upper)]
        for label, rate in rows:
            self.stdout.write(
                f"  {label}：问题 {rate.problems}，办结 {rate.completed}，办结率 {rate.percent}"
            )
        for child in children:
            own, assigned = child.own, child.from_parent
            self.stdout.write(
                f"  下级 {child.campaign.name}：问题 {own.problems}，办结 {own.completed}，"
                f"办结率 {own.percent}；本级交办 {assigned.problems}，办结 {assigned.completed}"
            )
