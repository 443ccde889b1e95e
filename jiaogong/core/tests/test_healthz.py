"""GET /healthz: no login; 200 when the database, the migrations, the worker and the disk are
well; 503 naming the failing part otherwise, with a short Chinese reason and nothing more."""

import datetime

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection, connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jiaogong.core import ops

pytestmark = pytest.mark.django_db


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0)


@pytest.fixture(autouse=True)
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def well(settings):
    """A heartbeat the worker has just finished (as the worker marks it), and a disk threshold of
    one byte. The real worker runs in test_the_worker_running_the_heartbeat_makes_it_ok."""
    settings.JIAOGONG_HEALTH_MIN_FREE_BYTES = 1
    ops.enqueue_heartbeat()
    DBTaskResult.objects.update(status="SUCCESSFUL", started_at=timezone.now(), finished_at=timezone.now())


@pytest.mark.django_db(transaction=True)
def test_the_worker_running_the_heartbeat_makes_it_ok(client, settings):
    settings.JIAOGONG_HEALTH_MIN_FREE_BYTES = 1
    ops.enqueue_heartbeat()
    assert client.get("/healthz").status_code == 503  # queued, not yet run
    run_worker()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert client.get("/healthz").json()["worker"] == "ok"


def test_all_well_is_200_without_login(client, well):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "migrations": "ok",
        "worker": "ok",
        "disk": "ok",
    }
    assert response["Cache-Control"].startswith("max-age=0")


def test_an_unapplied_migration_is_503_naming_migrations(client, well):
    MigrationRecorder.Migration.objects.filter(app="core").order_by("-id").first().delete()
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert (
        body["status"] == "error"
        and body["migrations"] == "有 1 个数据库迁移未执行（请运行 manage.py migrate）"
    )
    assert body["database"] == body["worker"] == body["disk"] == "ok"


def test_a_stale_heartbeat_is_503_naming_the_worker(client, well):
    DBTaskResult.objects.update(finished_at=timezone.now() - datetime.timedelta(minutes=6))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"] == "后台任务进程已 6 分钟没有心跳"
    assert response.json()["database"] == "ok"


def test_a_heartbeat_enqueued_but_never_run_is_503(client, settings):
    settings.JIAOGONG_HEALTH_MIN_FREE_BYTES = 1
    ops.enqueue_heartbeat()  # queued; no worker picks it up
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"] == "后台任务进程从未运行（没有心跳记录）"


def test_the_heartbeat_age_follows_the_setting(settings, well):
    settings.JIAOGONG_HEALTH_HEARTBEAT_MAX_AGE = 60
    now = timezone.now()
    assert ops.check_worker(now + datetime.timedelta(seconds=59)) is None
    assert ops.check_worker(now + datetime.timedelta(seconds=61)) is not None


def test_a_disk_threshold_above_the_free_space_is_503_naming_the_disk(client, settings, well):
    settings.JIAOGONG_HEALTH_MIN_FREE_BYTES = 10**18
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["disk"].startswith("磁盘剩余空间不足（剩余 ")
    assert response.json()["worker"] == "ok"


def test_a_database_that_does_not_answer_is_503_and_leaks_nothing(client, well, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError('could not connect to server at "db.internal" (10.1.2.3), password "s3cret"')

    monkeypatch.setattr(connections["default"], "cursor", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "数据库无法连接",
        "migrations": "未检查（数据库无法连接）",
        "worker": "未检查（数据库无法连接）",
        "disk": "ok",
    }
    text = response.content.decode()
    assert "10.1.2.3" not in text and "s3cret" not in text and "db.internal" not in text


def test_healthz_tells_a_stranger_nothing_but_the_five_parts(client, settings, well, chair_a):
    settings.JIAOGONG_HEALTH_MIN_FREE_BYTES = 10**18
    text = client.get("/healthz").content.decode()
    assert set(client.get("/healthz").json()) == {"status", "database", "migrations", "worker", "disk"}
    for secret in (
        str(settings.MEDIA_ROOT),
        str(settings.JIAOGONG_BACKUP_DIR),
        connection.settings_dict["NAME"],
    ):
        assert secret not in text
    assert "chair_a" not in text


def test_healthz_answers_get_only(client, well):
    assert client.post("/healthz").status_code == 405


def test_enqueue_heartbeat_drops_day_old_finished_heartbeats(well):
    old = timezone.now() - datetime.timedelta(days=2)
    DBTaskResult.objects.update(finished_at=old)
    ops.enqueue_heartbeat()
    assert DBTaskResult.objects.filter(finished_at=old).count() == 0
    assert DBTaskResult.objects.filter(task_path="jiaogong.core.ops.heartbeat", status="READY").count() == 1


def test_favicon_ico_leads_to_the_apps_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    icon.close()
