"""manage.py backup [--output FILE] [--keep N] (README "备份与恢复 / Backups")."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jiaogong.core.backup import BackupError, create_backup


def positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = "备份数据库和上传的文件到一个文件（含校验清单）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, help="备份文件路径（默认 var/backups/jiaogong-时间.tar.gz）"
        )
        parser.add_argument("--keep", type=positive, help="只保留备份目录中最新的 N 个备份")

    def handle(self, *args, output=None, keep=None, **options):
        try:
            made = create_backup(output=output, keep=keep)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        tables = made.manifest["tables"]
        self.stdout.write(
            self.style.SUCCESS(
                f"已备份到 {made.path}：{len(tables)} 张表、{sum(tables.values())} 行，"
                f"{len(made.manifest['members']) - 1} 个上传文件。"
            )
        )
        for path in made.removed:
            self.stdout.write(f"已删除旧备份 {path.name}")
