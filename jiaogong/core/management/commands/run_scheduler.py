"""`manage.py run_scheduler`: runs the jobs of `settings.JIAOGONG_SCHEDULE` on time (no cron).
`manage.py serve` starts it next to gunicorn and the worker; a county runs it as its own service."""

import signal
import threading

from django.core.management.base import BaseCommand, CommandError

from jiaogong.core import scheduler
from jiaogong.core.schedule import ScheduleError


class Command(BaseCommand):
    help = "按 JIAOGONG_SCHEDULE 定时运行任务（如每天早上的提醒），直到收到停止信号。"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="只运行一次到期的任务，然后退出")

    def handle(self, *, once=False, **options):
        try:
            jobs = scheduler.load_jobs()
        except ScheduleError as e:
            raise CommandError(str(e)) from None
        if once:
            for path in scheduler.run_due(jobs):
                self.stdout.write(f"已运行：{path}")
            return
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        scheduler.loop(stop, jobs)
