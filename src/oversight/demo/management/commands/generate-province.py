import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from oversight.campaigns.models import Campaign
from oversight.demo.province import generate_province
from oversight.surveys.models import Questionnaire, Status


class Command(BaseCommand):
    help = (
        "生成全省规模的合成数据（各市、县区的联动监督及其问题），用于性能测量；"
        "--into 把全部问题放进一个已有的联动监督（交办给下级人大的，同时在下级联动监督"
        "形成联动问题）。这些联动监督中已发布的问卷同时生成答卷"
        "（每个问题一份，--responses 指定总数）。--facilities 另生成设施台账"
        "与各级区划的填报指标值。可重复运行，每次追加。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--problems", type=int, required=True, help="生成的问题数（0：只生成设施与指标值）"
        )
        parser.add_argument("--into", metavar="SLUG", help="全部放进这个已有的联动监督")
        parser.add_argument("--seed", type=int, default=2024, help="随机种子（默认 2024）")
        parser.add_argument(
            "--responses",
            type=int,
            metavar="N",
            help="问卷答卷总数（平均分给这些联动监督中已发布的问卷；默认每个问题一份）",
        )
        parser.add_argument(
            "--facilities",
            type=int,
            default=0,
            metavar="N",
            help="另生成 N 个设施（分布在全省各县区），并补齐各级区划近 8 年的填报指标值",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        facilities = options["facilities"]
        if facilities < 0:
            raise CommandError("--facilities 须为非负整数。")
        # Without problems only the registry is written: --facilities is then required.
        if options["problems"] < 0 or (options["problems"] == 0 and not facilities):
            raise CommandError("--problems 须为正整数（与 --facilities 同用时可为 0）。")
        into = options["into"]
        if into is not None and not Campaign.objects.filter(slug=into).exists():
            known = ", ".join(Campaign.objects.values_list("slug", flat=True)) or "（无）"
            raise CommandError(f"没有标识为 {into!r} 的联动监督。现有：{known}")
        responses = options["responses"]
        if responses is not None and responses < 0:
            raise CommandError("--responses 须为非负整数。")
        if (
            responses
            and into is not None
            and not Questionnaire.objects.filter(campaign__slug=into)
            .exclude(status=Status.DRAFT)
            .exists()
        ):
            raise CommandError(f"联动监督 {into!r} 没有已发布的问卷，无法生成答卷。")
        started = time.monotonic()
        generated = generate_province(
            options["problems"],
            into,
            seed=options["seed"],
            progress=self.stdout.write,
            responses=responses,
            facilities=facilities,
        )
        elapsed = time.monotonic() - started
        if generated.problems or generated.campaigns:
            self.stdout.write(
                f"已生成 {generated.problems:,} 个问题，"
                f"分布在 {len(generated.campaigns)} 个联动监督，用时 {elapsed:.1f} 秒。"
            )
        if facilities:
            self.stdout.write(
                f"已生成 {generated.facilities:,} 个设施、{generated.values:,} 个指标值"
                f"（已有的指标值不重复生成），用时 {elapsed:.1f} 秒。"
            )
        if generated.linked:
            self.stdout.write(f"另有交办给下级人大后形成的联动问题 {generated.linked:,} 个。")
        if generated.responses:
            self.stdout.write(
                f"其中问卷答卷 {generated.responses:,} 份（{generated.answers:,} 条回答）。"
            )
        elif responses:
            self.stderr.write("这些联动监督没有已发布的问卷，未生成答卷。")
