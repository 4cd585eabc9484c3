import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from oversight.campaigns.commands import campaign_named
from oversight.surveys.models import Questionnaire
from oversight.surveys.stats import Results, results


def questionnaire_figures(questionnaire: Questionnaire, figures: Results) -> dict[str, Any]:
    """The script contract: responses per channel, and per question its kind code and the
    count of each option (rating: each scale point; region: each answered region)."""
    return {
        "title": questionnaire.title,
        "responses": {"online": figures.online, "offline": figures.offline},
        "questions": [
            {
                "text": result.question.text,
                "kind": result.kind,
                "options": [{"text": o.text, "count": o.count} for o in result.options],
            }
            for result in figures.questions
        ],
    }


class Command(BaseCommand):
    help = "显示一次联动监督的问卷调查结果（--json 输出供脚本使用）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("campaign", help="联动监督标识，例如 hebi-2024")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: Any, **options: Any) -> None:
        campaign = campaign_named(options["campaign"])
        questionnaires = Questionnaire.objects.filter(campaign=campaign).order_by(
            "created_at", "pk"
        )
        if options["json"]:
            data = {
                "questionnaires": [questionnaire_figures(q, results(q)) for q in questionnaires]
            }
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(campaign.name)
        for questionnaire in questionnaires:
            figures = results(questionnaire)
            self.stdout.write(
                f"  {questionnaire.title}（{questionnaire.get_status_display()}）："
                f"线上 {figures.online} 份，线下 {figures.offline} 份"
            )
            for result in figures.questions:
                self.stdout.write(
                    f"    {result.question.position}. {result.question.text}"
                    f"（{result.question.get_kind_display()}，{result.respondents} 人回答）"
                )
                for option in result.options:
                    self.stdout.write(f"      {option.text}：{option.count}（{option.percent}）")
