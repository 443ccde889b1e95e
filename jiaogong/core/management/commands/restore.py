"""manage.py restore FILE [--force] (README "备份与恢复 / Backups")."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jiaogong.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "从备份文件恢复数据库和上传的文件；先核对校验和，恢复后核对每张表的行数和账簿余额。"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="manage.py backup 写出的备份文件")
        parser.add_argument("--force", action="store_true", help="数据库不是空的也恢复（覆盖现有数据）")

    def handle(self, *args, file, force=False, **options):
        try:
            done = restore(file, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = done.manifest
        tables = manifest["tables"]
        balances = len(manifest.get("figures", {}).get("ledger_balances", {}))
        checked = (
            f"{balances} 个单位的账簿余额一致"
            if done.figures_checked
            else "账簿余额待 migrate 后核对（备份的数据库结构较旧）"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"已恢复 {manifest['created_at']} 的备份：{len(tables)} 张表共 {sum(tables.values())} 行"
                f"与备份时一致，{checked}，恢复了 {done.files} 个上传文件。"
            )
        )
        if done.older_schema:
            self.stdout.write(self.style.WARNING("备份来自较旧的版本：请运行 manage.py migrate 升级数据库。"))
