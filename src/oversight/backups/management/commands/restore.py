from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from oversight.backups.services import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "从 oversight backup 生成的备份文件恢复数据库和上传文件；"
        "只写入刚执行过 migrate 的空数据库和空的上传文件目录。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="备份文件路径")
        parser.add_argument("--database", default="default", help="数据库别名（默认 default）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = restore_backup(options["file"], using=options["database"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        except OSError as error:
            raise CommandError(
                _("恢复失败，数据库和上传文件目录均未改动：%(error)s") % {"error": error}
            ) from error
        self.stdout.write(
            _("已从 %(path)s 恢复：数据 %(rows)s 行，上传文件 %(files)s 个。")
            % {"path": summary.path, "rows": summary.rows, "files": summary.files}
        )
