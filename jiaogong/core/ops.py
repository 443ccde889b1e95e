"""Running it: the health of the installation (`GET /healthz`) and the two jobs the scheduler runs
(JIAOGONG_SCHEDULE: `enqueue_heartbeat` every minute, `daily_backup` once a day).

The worker's heartbeat is django-tasks-db's own result row: `heartbeat` does nothing but finish,
and the row the worker marks finished carries the time. The worker counts as down when the last
finished heartbeat is older than JIAOGONG_HEALTH_HEARTBEAT_MAX_AGE seconds.

Each check returns None when the part is well, else a short Chinese reason that names no path,
host, table or exception: /healthz needs no login, so it says what is wrong and nothing more.
"""

import datetime
import logging
import shutil
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django_tasks import task

log = logging.getLogger(__name__)

PARTS = ("database", "migrations", "worker", "disk")
# Finished heartbeats older than this are deleted when the next one is enqueued (1,440 a day).
HEARTBEAT_RETENTION = datetime.timedelta(days=1)


@task()
def heartbeat() -> str:
    """Run by the worker: finishing is the heartbeat (its result row keeps the time)."""
    return timezone.now().isoformat()


def _heartbeat_results():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=heartbeat.module_path)


def _tasks_run_by_worker() -> bool:
    """True when tasks go through the database queue (a worker must run them)."""
    backend = settings.TASKS["default"]["BACKEND"]
    return backend == "django_tasks_db.DatabaseBackend"


def enqueue_heartbeat() -> None:
    """Scheduler, every minute: queue a heartbeat for the worker, and drop day-old finished ones."""
    if _tasks_run_by_worker():
        _heartbeat_results().finished().filter(finished_at__lt=timezone.now() - HEARTBEAT_RETENTION).delete()
    heartbeat.enqueue()


def daily_backup() -> Path:
    """Scheduler, once a day: a backup into JIAOGONG_BACKUP_DIR, keeping the newest
    JIAOGONG_BACKUP_KEEP (14 by default)."""
    from jiaogong.core import backup

    return backup.create_backup(keep=settings.JIAOGONG_BACKUP_KEEP).path


# ---- the checks -------------------------------------------------------------------------------


def check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any failure to answer is "down"; the reason is logged, not shown
        log.exception("healthz: database")
        return "数据库无法连接"
    return None


def check_migrations() -> str | None:
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        log.exception("healthz: migrations")
        return "无法读取数据库迁移记录"
    if plan:
        return f"有 {len(plan)} 个数据库迁移未执行（请运行 manage.py migrate）"
    return None


def check_worker(now: datetime.datetime | None = None) -> str | None:
    if not _tasks_run_by_worker():
        return None  # tasks run in the web process itself: there is no worker to be down
    now = now or timezone.now()
    try:
        last = (
            _heartbeat_results()
            .filter(finished_at__isnull=False)
            .order_by("-finished_at")
            .values_list("finished_at", flat=True)
            .first()
        )
    except DatabaseError:
        log.exception("healthz: worker")
        return "无法读取后台任务记录"
    if last is None:
        return "后台任务进程从未运行（没有心跳记录）"
    age = (now - last).total_seconds()
    if age > settings.JIAOGONG_HEALTH_HEARTBEAT_MAX_AGE:
        return f"后台任务进程已 {int(age // 60)} 分钟没有心跳"
    return None


def _watched_dirs() -> list[Path]:
    """Where the installation writes: the uploads, the backups and a SQLite database's folder."""
    dirs = [Path(settings.MEDIA_ROOT), Path(settings.JIAOGONG_BACKUP_DIR)]
    if connection.vendor == "sqlite":
        dirs.append(Path(connection.settings_dict["NAME"]).parent)
    return dirs


def _existing(path: Path) -> Path:
    """The folder itself or, before it is first written, the nearest folder above it."""
    while not path.exists() and path.parent != path:
        path = path.parent
    return path


def check_disk() -> str | None:
    least = min(shutil.disk_usage(_existing(d)).free for d in _watched_dirs())
    if least < settings.JIAOGONG_HEALTH_MIN_FREE_BYTES:
        return f"磁盘剩余空间不足（剩余 {least / 1024**3:.1f} GB）"
    return None


CHECKS = {
    "database": check_database,
    "migrations": check_migrations,
    "worker": check_worker,
    "disk": check_disk,
}


def health() -> tuple[bool, dict]:
    """(all well?, {status, database, migrations, worker, disk}): "ok" or a reason per part.

    When the database does not answer, the parts that need it are not asked."""
    answer = {}
    database_down = False
    for part, check in CHECKS.items():
        if database_down and part in {"migrations", "worker"}:
            answer[part] = "未检查（数据库无法连接）"
            continue
        reason = check()
        answer[part] = reason or "ok"
        database_down = database_down or (part == "database" and reason is not None)
    healthy = all(answer[part] == "ok" for part in PARTS)
    return healthy, {"status": "ok" if healthy else "error", **answer}
