"""The real paths: e-mail over SMTP to a local server started by the test, and the task enqueued
on the database backend and run by the db_worker command."""

import datetime
import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from jiaogong.notifications.models import Notification
from jiaogong.notifications.tasks import send_daily_reminders

from .conftest import item

TODAY = datetime.date(2026, 11, 23)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """An aiosmtpd handler keeping every message it accepts (parsed)."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 OK"


@pytest.fixture
def smtp_server():
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, handler
    controller.stop()


@pytest.fixture
def smtp_settings(settings, smtp_server):
    controller, _ = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "教工之家 <noreply@jiaogong.test>"
    settings.JIAOGONG_SITE_URL = "https://jg.example.cn"
    return settings


@pytest.fixture
def birthday_soon(school_a, welfare_a, fake_source, only_sources):
    fake_source.items.append(
        item(
            school_a,
            "members.birthday:5:2026-11-25",
            [welfare_a],
            kind="birthdays",
            title="张三11月25日过生日（41岁）",
        )
    )
    only_sources(fake_source)


@pytest.mark.django_db
def test_the_reminder_email_goes_over_smtp_in_chinese(smtp_settings, smtp_server, birthday_soon, school_a):
    from jiaogong.notifications import services

    services.run_daily(TODAY)
    _, inbox = smtp_server
    assert len(inbox.messages) == 1
    rcpt, message = inbox.messages[0]
    assert rcpt == ["shenghuo@example.cn"]
    # Python folds the encoded subject onto a continuation line; readers drop that leading space.
    assert message["Subject"].strip() == "【教工之家】张三11月25日过生日（41岁）"
    assert "noreply@jiaogong.test" in message["From"]
    body = message.get_body().get_content()
    assert "李生活，您好" in body
    assert "住院慰问，请在到期日前走访。" in body
    assert f"https://jg.example.cn/o/{school_a.pk}/notifications/preferences/" in body
    assert Notification.objects.get().emailed_at is not None


@pytest.mark.django_db
def test_the_smtp_email_is_not_sent_twice(smtp_settings, smtp_server, birthday_soon):
    from jiaogong.notifications import services

    services.run_daily(TODAY)
    services.run_daily(TODAY + datetime.timedelta(days=1))
    assert len(smtp_server[1].messages) == 1


@pytest.mark.django_db
def test_a_failed_smtp_send_is_retried_on_the_next_run(smtp_settings, smtp_server, birthday_soon):
    from jiaogong.notifications import services

    controller, inbox = smtp_server
    good_port = smtp_settings.EMAIL_PORT
    smtp_settings.EMAIL_PORT = free_port()  # nobody listens there: connection refused
    first = services.run_daily(TODAY)
    n = Notification.objects.get()
    assert (first["emailed"], first["email_failed"]) == (0, 1)
    assert (n.emailed_at, n.email_attempts, n.email_claimed_at) == (None, 1, None)
    assert n.email_error
    smtp_settings.EMAIL_PORT = good_port
    second = services.run_daily(TODAY + datetime.timedelta(days=1))
    assert (second["emailed"], second["email_failed"]) == (1, 0)
    assert len(inbox.messages) == 1
    n.refresh_from_db()
    assert (n.email_attempts, n.email_error) == (2, "")
    services.run_daily(TODAY + datetime.timedelta(days=2))
    assert len(inbox.messages) == 1


@pytest.mark.django_db
def test_a_send_is_given_up_after_the_maximum_attempts(smtp_settings, birthday_soon):
    from jiaogong.notifications import services

    smtp_settings.EMAIL_PORT = free_port()
    for day in range(services.MAX_EMAIL_ATTEMPTS + 2):
        services.run_daily(TODAY + datetime.timedelta(days=day))
    assert Notification.objects.get().email_attempts == services.MAX_EMAIL_ATTEMPTS


@pytest.mark.django_db
def test_a_send_claimed_by_another_worker_is_left_alone(smtp_settings, smtp_server, birthday_soon):
    from django.utils import timezone

    from jiaogong.notifications import services

    services.run_daily(TODAY)  # creates and sends
    n = Notification.objects.get()
    Notification.objects.filter(pk=n.pk).update(emailed_at=None, email_claimed_at=timezone.now())
    assert services.send_pending_emails() == {"sent": 0, "failed": 0}
    assert len(smtp_server[1].messages) == 1


@pytest.mark.django_db(transaction=True)
def test_the_task_enqueued_on_the_database_backend_is_run_by_db_worker(
    settings, smtp_settings, smtp_server, birthday_soon
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    result = send_daily_reminders.enqueue(TODAY.isoformat())
    assert DBTaskResult.objects.get(pk=result.id).status == "READY"
    assert Notification.objects.count() == 0
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0)
    done = DBTaskResult.objects.get(pk=result.id)
    assert done.status == "SUCCESSFUL", done.traceback
    assert done.return_value == {"date": "2026-11-23", "created": 1, "emailed": 1, "email_failed": 0}
    assert Notification.objects.count() == 1
    assert len(smtp_server[1].messages) == 1


@pytest.mark.django_db
def test_the_cron_command_enqueues_todays_run_once(settings, birthday_soon, capsys):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    call_command("enqueue_daily_reminders", "--date", "2026-11-23")
    call_command("enqueue_daily_reminders", "--date", "2026-11-23")
    out = capsys.readouterr().out
    assert "已将 2026-11-23 的提醒任务入队" in out and "未重复入队" in out
    rows = DBTaskResult.objects.all()
    assert [r.args_kwargs for r in rows] == [{"args": ["2026-11-23"], "kwargs": {}}]
    call_command("enqueue_daily_reminders", "--date", "2026-11-24")
    call_command("enqueue_daily_reminders", "--date", "2026-11-24", "--force")
    assert DBTaskResult.objects.count() == 3


@pytest.mark.django_db
def test_the_cron_command_refuses_a_bad_date(settings):
    from django.core.management.base import CommandError

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("enqueue_daily_reminders", "--date", "23/11/2026")
    assert DBTaskResult.objects.count() == 0


@pytest.mark.django_db
def test_a_failed_days_run_may_be_enqueued_again(settings, birthday_soon):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    call_command("enqueue_daily_reminders", "--date", "2026-11-23")
    DBTaskResult.objects.update(status="FAILED")
    call_command("enqueue_daily_reminders", "--date", "2026-11-23")
    assert DBTaskResult.objects.count() == 2
