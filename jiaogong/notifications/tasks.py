"""The daily reminders as a django-tasks task: enqueued by `manage.py enqueue_daily_reminders`
(cron, every morning), run by the database backend's worker (`manage.py db_worker`, `make worker`)."""

import datetime

from django_tasks import task

from jiaogong.notifications import services


@task()
def send_daily_reminders(today_iso: str) -> dict:
    """Every school's due items of `today_iso` (YYYY-MM-DD) → notifications and e-mails.

    Safe to run more than once for a day (nothing is created or e-mailed twice)."""
    return services.run_daily(datetime.date.fromisoformat(today_iso))
