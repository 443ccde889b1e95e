"""The daily reminders as a django-tasks task: enqueued every morning by the scheduler
(`enqueue_daily_reminders` below is in `settings.JIAOGONG_SCHEDULE`; `manage.py
enqueue_daily_reminders` does the same by hand), run by the database backend's worker
(`manage.py db_worker`, both started by `manage.py serve`)."""

import datetime

from django.utils import timezone
from django_tasks import task

from jiaogong.notifications import services


@task()
def send_daily_reminders(today_iso: str) -> dict:
    """Every school's due items of `today_iso` (YYYY-MM-DD) → notifications and e-mails.

    Safe to run more than once for a day (nothing is created or e-mailed twice)."""
    return services.run_daily(datetime.date.fromisoformat(today_iso))


def already_queued(today_iso: str) -> bool:
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


def enqueue_daily_reminders(day: datetime.date | None = None, *, force: bool = False) -> str | None:
    """Queue the reminder run of `day` (default today, local time) unless it is already queued or
    done. Returns the task's id, or None when it was already there. The scheduled job."""
    today_iso = (day or timezone.localdate()).isoformat()
    if not force and already_queued(today_iso):
        return None
    return send_daily_reminders.enqueue(today_iso).id
