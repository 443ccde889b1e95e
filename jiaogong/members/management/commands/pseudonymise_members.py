"""Pseudonymise the members who left more than members.pseudonymise_after_years ago (个人信息保护法)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from jiaogong.members.pseudonymise import run_daily


class Command(BaseCommand):
    help = "将调出、去世已满保留年限的会员假名化（姓名改为“已离会会员 #编号”，清除身份证号、手机号等）。"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只列出到期的会员，不做修改")
        parser.add_argument("--today", help="按这一天计算（YYYY-MM-DD），默认今天")

    def handle(self, *args, dry_run=False, today=None, **options):
        day = None
        if today:
            try:
                day = datetime.date.fromisoformat(today)
            except ValueError:
                raise CommandError("--today 应写成 YYYY-MM-DD。") from None
        done = run_daily(day, dry_run=dry_run)
        count = sum(len(ids) for ids in done.values())
        for org_id, ids in done.items():
            self.stdout.write(f"组织 {org_id}：会员 {', '.join(str(i) for i in ids)}")
        verb = "到期（未修改）" if dry_run else "已假名化"
        self.stdout.write(f"{verb} {count} 人。")
