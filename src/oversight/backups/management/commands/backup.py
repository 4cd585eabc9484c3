from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from oversight.backups.services import BackupError, create_backup


class Command(BaseCommand):
    help = "把整个数据库和全部上传文件备份到一个 .tar.gz 文件（含清单与 SHA-256 校验和）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", type=Path, help="备份文件路径，例如 oversight-2024-06-30.tar.gz"
        )
        parser.add_argument("--database", default="default", help="数据库别名（默认 default）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = create_backup(options["file"], using=options["database"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        except OSError as error:
            raise CommandError(
                _("备份失败，未生成备份文件：%(error)s") % {"error": error}
            ) from error
        self.stdout.write(
            _("已备份到 %(path)s：数据 %(rows)s 行，上传文件 %(files)s 个。")
            % {"path": summary.path, "rows": summary.rows, "files": summary.files}
        )
