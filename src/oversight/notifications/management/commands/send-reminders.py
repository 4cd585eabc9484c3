"""``oversight send-reminders``: the daily run an operator schedules with cron."""

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from oversight.followups.actions import start_due_follow_ups
from oversight.notifications.actions import enqueue_reminders


class Command(BaseCommand):
    help = (
        "每天运行一次：把已结束联动监督中未办结的问题转入跟踪监督，"
        "并为逾期和 7 天内到期的问题排入提醒任务（由 db_worker 发送；同一天重复运行不会重复提醒）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            default=None,
            help="按哪一天计算（YYYY-MM-DD），默认今天",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["date"]
        started = start_due_follow_ups(today)
        enqueued = enqueue_reminders(today)
        self.stdout.write(f"转入跟踪监督 {started} 个问题；排入提醒任务 {enqueued} 个。")
