"""List the stored province and school rule values that loosen the rules above them or leave
their range (core/rule_bounds.py). Nothing is changed: each is for its school (or the
maintainer, for a shipped province value) to correct on the rule page."""

from django.core.management.base import BaseCommand, CommandError

from jiaogong.core.rules import RULES, stored_out_of_bounds


class Command(BaseCommand):
    help = "列出超出范围或放宽上级规定的省级、本单位规则参数（不作修改）。"

    def add_arguments(self, parser):
        parser.add_argument("--fail", action="store_true", help="发现问题时以非零状态退出（用于部署检查）。")

    def handle(self, *args, fail=False, **options):
        found = stored_out_of_bounds()
        for item in found:
            row = item["row"]
            where = f"{row.org}（{row.org_id}）" if row.scope == "org" else f"省级 {row.province}"
            label = RULES[row.key].label if row.key in RULES else row.key
            self.stdout.write(f"{where}\t{row.key}\t{label}\t{row.value!r}\t{item['problem']}")
        self.stdout.write(f"共 {len(found)} 项参数不符合上下限或放宽了上级规定。")
        if found and fail:
            raise CommandError(f"{len(found)} 项规则参数需要修正。")
