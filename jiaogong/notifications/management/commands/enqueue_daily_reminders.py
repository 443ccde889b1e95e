"""Cron, every morning: `manage.py enqueue_daily_reminders` puts today's reminder run on the task
queue; the worker (`manage.py db_worker`) runs it. Enqueuing twice for a day is skipped."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jiaogong.notifications.tasks import send_daily_reminders


def _already_queued(today_iso: str) -> bool:
    """A run of that day waiting, running or done on the database backend."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    backend = send_daily_reminders.get_backend()
    if not isinstance(backend, DatabaseBackend):
        return False
    candidates = DBTaskResult.objects.filter(
        backend_name=backend.alias,
        task_path=send_daily_reminders.module_path,
        status__in=["READY", "RUNNING", "SUCCESSFUL"],
        enqueued_at__gte=timezone.now() - datetime.timedelta(days=3),
    ).values_list("args_kwargs", flat=True)
    return any((args or {}).get("args") == [today_iso] for args in candidates)


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
        today_iso = day.isoformat()
        if not force and _already_queued(today_iso):
            self.stdout.write(f"{today_iso} 的提醒任务已在队列中或已完成，未重复入队。")
            return
        result = send_daily_reminders.enqueue(today_iso)
        self.stdout.write(f"已将 {today_iso} 的提醒任务入队（{result.id}）。")
