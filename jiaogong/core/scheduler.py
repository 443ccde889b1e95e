"""The scheduler loop: runs the jobs of `settings.JIAOGONG_SCHEDULE` when `schedule.is_due` says so.

A job is claimed in the database before it runs (an UPDATE that succeeds only if nobody ran it
since we read it), so two schedulers — a restart overlapping the old process, or two machines of a
county — never run the same slot twice. Jobs should be quick (enqueue a task for the worker);
a job that raises is logged and waits for its next slot.
"""

import datetime
import logging
import threading
import traceback
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone
from django.utils.module_loading import import_string

from jiaogong.core.models import ScheduledRun
from jiaogong.core.schedule import ScheduleError, Spec, is_due, next_check, parse_when

log = logging.getLogger("jiaogong.scheduler")

# The longest the loop sleeps between looks at the clock (a changed clock is noticed this fast).
MAX_SLEEP = 60.0


@dataclass(frozen=True)
class Job:
    path: str
    spec: Spec
    func: object


def load_jobs(entries=None) -> list[Job]:
    """The jobs of `settings.JIAOGONG_SCHEDULE`, every entry read and imported now so a mistake
    stops the server at start (with the Chinese reason) instead of at 7 in the morning."""
    entries = settings.JIAOGONG_SCHEDULE if entries is None else entries
    jobs, seen = [], set()
    for entry in entries:
        try:
            path, when = entry
        except (TypeError, ValueError):
            raise ScheduleError(
                f"JIAOGONG_SCHEDULE 的每一项应为 (函数路径, 计划)，而不是 {entry!r}。"
            ) from None
        if path in seen:
            raise ScheduleError(f"任务 {path} 在 JIAOGONG_SCHEDULE 中出现了两次。")
        seen.add(path)
        try:
            func = import_string(path)
        except ImportError as e:
            raise ScheduleError(f"找不到任务函数 {path}：{e}") from None
        if not callable(func):
            raise ScheduleError(f"{path} 不是函数。")
        jobs.append(Job(path=path, spec=parse_when(when), func=func))
    return jobs


def _claim(job: Job, now: datetime.datetime, tz: ZoneInfo) -> bool:
    """Mark the job as run at `now` if it is due and nobody claimed it since we looked."""
    run, _ = ScheduledRun.objects.get_or_create(job=job.path)
    if not is_due(job.spec, last_run=run.last_run_at, now=now, tz=tz):
        return False
    claimed = (
        ScheduledRun.objects.filter(pk=run.pk, last_run_at=run.last_run_at)
        if run.last_run_at is not None
        else ScheduledRun.objects.filter(pk=run.pk, last_run_at__isnull=True)
    ).update(last_run_at=now)
    return claimed == 1


def run_due(jobs: list[Job], now: datetime.datetime | None = None) -> list[str]:
    """Run every due job once; returns the paths of those run (in the order of the setting)."""
    now = now or timezone.now()
    tz = ZoneInfo(settings.TIME_ZONE)
    ran = []
    for job in jobs:
        if not _claim(job, now, tz):
            continue
        log.info("定时任务开始：%s（%s）", job.path, job.spec)
        error = ""
        try:
            job.func()
        except Exception:
            error = traceback.format_exc()
            log.error("定时任务失败：%s\n%s", job.path, error)
        else:
            log.info("定时任务完成：%s", job.path)
        ScheduledRun.objects.filter(job=job.path).update(last_finished_at=timezone.now(), last_error=error)
        ran.append(job.path)
    return ran


def seconds_until_next(jobs: list[Job], now: datetime.datetime | None = None) -> float:
    now = now or timezone.now()
    tz = ZoneInfo(settings.TIME_ZONE)
    last = dict(ScheduledRun.objects.values_list("job", "last_run_at"))
    wait = MAX_SLEEP
    for job in jobs:
        due_at = next_check(job.spec, last_run=last.get(job.path), now=now, tz=tz)
        wait = min(wait, (due_at - now).total_seconds())
    return max(wait, 1.0)


def loop(stop: threading.Event, jobs: list[Job] | None = None) -> None:
    """Run due jobs until `stop` is set."""
    jobs = load_jobs() if jobs is None else jobs
    log.info("调度器已启动：%s", "；".join(f"{j.path}（{j.spec}）" for j in jobs) or "没有定时任务")
    while not stop.is_set():
        close_old_connections()
        try:
            run_due(jobs)
            wait = seconds_until_next(jobs)
        except Exception:
            # The database is away for a moment (a restart of PostgreSQL): try again shortly.
            log.exception("调度器出错，稍后重试")
            wait = 10.0
        stop.wait(wait)
    log.info("调度器已停止")
