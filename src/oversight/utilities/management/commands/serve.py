"""``oversight serve``: production serving under gunicorn, static files by whitenoise."""

import os
import sys
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from oversight.utilities.checks import refuse_unsafe_settings


def default_workers() -> int:
    """Gunicorn's rule of thumb: two workers a core, plus one."""
    return 2 * (os.cpu_count() or 1) + 1


class Command(BaseCommand):
    help = "以生产方式启动服务（gunicorn，多进程；静态文件由 whitenoise 提供）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind",
            default=os.environ.get("BIND", "127.0.0.1:8000"),
            help="监听地址与端口，默认 127.0.0.1:8000（由 nginx 反向代理）",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("WEB_CONCURRENCY", default_workers())),
            help="工作进程数，默认每个 CPU 核两个再加一个",
        )
        parser.add_argument("--timeout", type=int, default=60, help="单个请求的超时秒数")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            refuse_unsafe_settings()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        if options["workers"] < 1:
            raise CommandError("工作进程数至少为 1。")
        if options["workers"] > 1 and "REDIS_URL" not in os.environ:
            self.stderr.write(
                "提示：没有设置 REDIS_URL，各工作进程分别计数访问频率限制；"
                "生产环境请设置 REDIS_URL（例如 redis://127.0.0.1:6379/0）。"
            )
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "oversight.wsgi:checked_application()",
            f"--bind={options['bind']}",
            f"--workers={options['workers']}",
            f"--timeout={options['timeout']}",
            "--access-logfile=-",
            "--no-control-socket",
            # Trust X-Forwarded-* only from the local nginx of the README.
            "--forwarded-allow-ips=127.0.0.1,::1",
        ]
        self.stdout.write(
            f"养老服务联动监督平台：gunicorn {options['workers']} 个工作进程，{options['bind']}"
        )
        # Background tasks (reminders, e-mail) run in their own service, not under gunicorn:
        # this process becomes gunicorn below. See deploy/oversight-worker.service.
        self.stdout.write(
            "后台任务（提醒、邮件）由 oversight db_worker 运行，见 deploy/oversight-worker.service"
        )
        self.stdout.flush()
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings.SETTINGS_MODULE)
        # gunicorn takes over this process, so that systemd's signals reach it directly.
        os.execv(sys.executable, argv)
