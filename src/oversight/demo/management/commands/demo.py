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
        call_command("runserver", options["addrport"], use_reloader=False)
