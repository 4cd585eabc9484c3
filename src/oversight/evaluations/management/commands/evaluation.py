import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from oversight.campaigns.commands import campaign_named
from oversight.evaluations.models import EvaluationSession
from oversight.evaluations.results import ballots_by_department, session_results, turnout


def session_figures(session: EvaluationSession) -> dict[str, Any]:
    """The script contract: counts, rate and verdict per department once closed; while
    open, only how many ballots each department has received."""
    if session.is_open:
        counts = ballots_by_department(session)
        departments = [
            {"organisation": department.name, "ballots": counts.get(department.pk, 0)}
            for department in session.departments.order_by("pk")
        ]
    else:
        departments = [result.as_dict() for result in session_results(session)]
    return {"title": session.title, "closed": not session.is_open, "departments": departments}


class Command(BaseCommand):
    help = "显示一次联动监督的满意度测评结果（--json 输出供脚本使用）；测评结束前只显示票数。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("campaign", help="联动监督标识，例如 zhumadian-2024")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: Any, **options: Any) -> None:
        campaign = campaign_named(options["campaign"])
        sessions = EvaluationSession.objects.filter(campaign=campaign).order_by("held_on", "pk")
        if options["json"]:
            data = {"sessions": [session_figures(session) for session in sessions]}
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(campaign.name)
        for session in sessions:
            self._write_session(session)

    def _write_session(self, session: EvaluationSession) -> None:
        state = "投票中" if session.is_open else "已结束"
        self.stdout.write(f"  {session.title}（{session.held_on:%Y-%m-%d}，{state}）")
        if session.is_open:
            figures = turnout(session)
            self.stdout.write(
                f"    已投票委员 {figures.voted}/{figures.roll}，已收选票 {figures.ballots}"
            )
            return
        self.stdout.write(f"    {session.rule_text}")
        for result in session_results(session):
            verdict = result.verdict.label if result.verdict else "—"
            self.stdout.write(
                f"    {result.organisation}：有效票 {result.ballots}，满意 {result.satisfied}，"
                f"基本满意 {result.basically_satisfied}，不满意 {result.unsatisfied}，"
                f"满意率 {result.percent}，{verdict}"
            )
