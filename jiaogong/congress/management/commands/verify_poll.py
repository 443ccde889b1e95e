"""Verify a secret poll's (or 民主评议's) bulletin as any delegate could: every proof, the sum, the
decryption (congress/verify.py)."""

import json

from django.core.management.base import BaseCommand, CommandError

from jiaogong.congress import appraisals, verify, voting
from jiaogong.congress.models import Appraisal, Poll
from jiaogong.core.errors import DomainError


class Command(BaseCommand):
    help = "验证无记名投票的公告板：每个证明、同态汇总、监票人的解密和公布的票数（有问题时退出码为 1）。"

    def add_arguments(self, parser):
        parser.add_argument("id", type=int, help="表决 id（--appraisal 时为民主评议 id）")
        parser.add_argument("--appraisal", action="store_true", help="验证民主评议")
        parser.add_argument("--output", help="同时把公告板写入此 JSON 文件")

    def handle(self, *args, id, appraisal=False, output=None, **options):
        if appraisal:
            target = Appraisal.objects.select_related("congress", "org").filter(pk=id).first()
            if target is None:
                raise CommandError(f"没有 id 为 {id} 的民主评议。")
            record = appraisals.bulletin(target)
        else:
            target = Poll.objects.select_related("congress", "org").filter(pk=id).first()
            if target is None:
                raise CommandError(f"没有 id 为 {id} 的表决。")
            try:
                record = voting.bulletin(target)
            except DomainError as e:
                raise CommandError(e.message) from None
        if target.descriptor is None:
            raise CommandError("该表决尚未开始，没有公告板。")
        if output:
            with open(output, "w", encoding="utf-8") as f:
                json.dump(record, f, ensure_ascii=False)
        report = verify.verify_bulletin(record)
        self.stdout.write(f"{target.congress.title} · {record['title']}（{target.get_state_display()}）")
        for note in report.notes:
            self.stdout.write(f"  ✓ {note}")
        for problem in report.problems:
            self.stderr.write(f"  ✗ {problem}")
        if not report.ok:
            raise CommandError(f"验证未通过：{len(report.problems)} 处问题。", returncode=1)
        self.stdout.write("验证通过。")
