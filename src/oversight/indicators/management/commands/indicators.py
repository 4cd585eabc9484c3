import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from oversight.indicators import periods
from oversight.indicators.compliance import Cell, evaluate
from oversight.indicators.models import IndicatorValue
from oversight.regions.models import Region
from oversight.topics.models import Topic


class Command(BaseCommand):
    help = "显示一个地区及其下级各项养老服务指标的数值、标准和是否达标（--json 供脚本使用）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("region", help="行政区划代码，例如 411700")
        parser.add_argument("--period", help="期间，如 2024 或 2024Q3；默认最近一期")
        parser.add_argument("--topic", default="elderly-care", help="专题标识")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            region = Region.objects.get(code=options["region"])
            topic = Topic.objects.get(slug=options["topic"])
            period = periods.normalise(options["period"]) if options["period"] else None
        except Region.DoesNotExist:
            raise CommandError(f"没有区划代码为 {options['region']!r} 的地区。") from None
        except Topic.DoesNotExist:
            raise CommandError(f"没有标识为 {options['topic']!r} 的专题。") from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        children = list(region.children.order_by("code"))
        evaluation = evaluate(
            topic, [region, *children], values=IndicatorValue.objects.all(), period=period
        )

        def shown(of: Region) -> list[Cell]:
            return [cell for cell in evaluation.row(of) if cell.value is not None]

        if options["json"]:
            data = {
                "region": region.code,
                "indicators": [cell.as_json() for cell in shown(region)],
                "children": [
                    {"region": child.code, "indicators": [c.as_json() for c in shown(child)]}
                    for child in children
                ],
            }
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{region.name} {periods.label(evaluation.period)}")
        for of in [region, *children]:
            if of != region:
                self.stdout.write(f"  {of.name}")
            for cell in shown(of):
                verdict = {True: "达标", False: "未达标", None: ""}[cell.complies]
                requirement = f"（{cell.requirement_text}）" if cell.requirement_text else ""
                self.stdout.write(
                    f"    {cell.indicator.name}：{cell.value_text}{requirement} {verdict}"
                )
