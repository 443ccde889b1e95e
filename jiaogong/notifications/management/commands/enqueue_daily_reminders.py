"""`manage.py enqueue_daily_reminders` puts today's reminder run on the task queue by hand; the
scheduler of `manage.py serve` does it every morning (`settings.JIAOGONG_SCHEDULE`). The worker
(`manage.py db_worker`) runs it. Enqueuing twice for a day is skipped."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jiaogong.notifications.tasks import enqueue_daily_reminders


class Command(BaseCommand):
    help = "把今天的提醒任务放入任务队列（由 db_worker 执行）。每天重复执行只入队一次。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="提醒日期 YYYY-MM-DD（默认今天）")
        parser.add_argument("--force", action="store_true", help="即使当天已入队也再入队一次")

    def handle(self, *, date=None, force=False, **options):
        if date:
            try:
                day = datetime.date.fromisoformat(date)
            except ValueError:
                raise CommandError("日期格式应为 YYYY-MM-DD。") from None
        else:
            day = timezone.localdate()
        task_id = enqueue_daily_reminders(day, force=force)
        if task_id is None:
            self.stdout.write(f"{day.isoformat()} 的提醒任务已在队列中或已完成，未重复入队。")
            return
        self.stdout.write(f"已将 {day.isoformat()} 的提醒任务入队（{task_id}）。")
