import signal
import subprocess
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from oversight.demo.loader import PASSWORD, demo_logins, load_demo


class Command(BaseCommand):
    help = "建库、载入依据两期简报编写的演示数据，并在 127.0.0.1:8000 启动服务。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="只载入数据，不启动服务")
        parser.add_argument("--addrport", default="127.0.0.1:8000", help="服务地址与端口")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        loaded = load_demo()
        for campaign in loaded:
            self.stdout.write(f"已载入：{campaign.name}（{campaign.slug}）")
        if not loaded:
            self.stdout.write("演示数据此前已载入。")
        if options["no_serve"]:
            return
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"\n养老服务联动监督平台：http://{options['addrport']}/")
        self.stdout.write(f"演示账号（密码均为 {PASSWORD}）：")
        for login in demo_logins():
            self.stdout.write(f"  {login.username:<14} {login.description}")
        self.stdout.write("")
        # Reminders and e-mail are background tasks: the worker runs beside the server and
        # stops with it.
        worker = start_task_worker()
        # Stopped by SIGTERM too (not only Ctrl+C), the worker is stopped with the server.
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        try:
            call_command("runserver", options["addrport"], use_reloader=False)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=30)


def start_task_worker() -> subprocess.Popen[bytes] | None:
    """``oversight db_worker`` as a child process, when tasks go through the database queue."""
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
    from django_tasks_db import DatabaseBackend

    if not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
        return None
    # A few seconds between polls: on SQLite each poll briefly locks the database.
    command = ["-m", "oversight", "db_worker", "--interval", "5", "--no-reload", "--verbosity", "0"]
    return subprocess.Popen([sys.executable, *command], preexec_fn=_die_with_parent)


def _die_with_parent() -> None:
    """On Linux, have the kernel stop the worker when the demo process ends however it ends
    (runserver leaves with os._exit when the port is taken, skipping any clean-up)."""
    if sys.platform == "linux":
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
