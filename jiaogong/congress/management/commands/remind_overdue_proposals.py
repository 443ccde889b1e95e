"""催办: record a reminder on every proposal whose reply is overdue (run daily, e.g. from cron)."""

from django.core.management.base import BaseCommand, CommandError

from jiaogong.congress import proposals
from jiaogong.core.models import Org


class Command(BaseCommand):
    help = "催办逾期未答复的提案：为每件逾期提案登记一次催办（每天至多一次），并写入操作记录。"

    def add_arguments(self, parser):
        parser.add_argument("--org", type=int, help="只处理该组织（id）；不填则处理全部学校")

    def handle(self, *args, org=None, **options):
        the_org = None
        if org is not None:
            the_org = Org.objects.filter(pk=org).first()
            if the_org is None:
                raise CommandError(f"没有 id 为 {org} 的组织。")
        reminded = proposals.remind_overdue(org=the_org)
        for p in reminded:
            self.stdout.write(
                f"{p.org.name} · {p.title} · {p.lead_department} · 应于 {p.reply_due_on:%Y-%m-%d} 前答复"
            )
        self.stdout.write(f"已催办 {len(reminded)} 件。")
