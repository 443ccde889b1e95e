"""The daily job: each due item becomes one notification a recipient, once; preferences decide
in-app and e-mail; each e-mail goes at most once, a failed one again on the next run."""

import datetime

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from jiaogong.factories import UserFactory, grant
from jiaogong.notifications import services
from jiaogong.notifications.models import Notification, NotificationPreference
from jiaogong.notifications.tasks import send_daily_reminders

from .conftest import item

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)


@pytest.fixture
def visit_due(school_a, chair_a, welfare_a, fake_source, only_sources):
    fake_source.items.append(item(school_a, "welfare.visit.due:1", [chair_a, welfare_a]))
    only_sources(fake_source)
    return fake_source


def test_the_job_creates_one_notification_per_recipient_of_a_due_item(visit_due, chair_a, welfare_a):
    result = services.run_daily(TODAY)
    assert result["created"] == 2
    assert set(Notification.objects.values_list("user_id", "key")) == {
        (chair_a.pk, "welfare.visit.due:1"),
        (welfare_a.pk, "welfare.visit.due:1"),
    }


def test_running_the_job_twice_creates_nothing_new(visit_due):
    services.run_daily(TODAY)
    second = services.run_daily(TODAY)
    assert second["created"] == 0
    assert Notification.objects.count() == 2


def test_the_next_day_an_item_still_due_is_not_notified_again(visit_due):
    services.run_daily(TODAY)
    services.run_daily(TODAY + datetime.timedelta(days=1))
    assert Notification.objects.count() == 2


def test_an_item_turning_overdue_is_a_new_notification(visit_due, school_a, chair_a, welfare_a):
    services.run_daily(TODAY)
    visit_due.items[:] = [item(school_a, "welfare.visit.overdue:1", [chair_a, welfare_a], overdue=True)]
    services.run_daily(TODAY + datetime.timedelta(days=8))
    assert Notification.objects.count() == 4
    assert Notification.objects.filter(overdue=True).count() == 2


def test_the_database_refuses_a_second_notification_for_the_same_user_and_key(visit_due, school_a, chair_a):
    services.run_daily(TODAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            org=school_a, user=chair_a, key="welfare.visit.due:1", kind="visits", title="重复"
        )


def test_a_concurrent_insert_of_the_same_reminder_is_skipped_not_doubled(visit_due, school_a, chair_a):
    # Another run wrote the row after this one looked: bulk_create(ignore_conflicts) skips it.
    Notification.objects.create(
        org=school_a, user=chair_a, key="welfare.visit.due:1", kind="visits", title="先到"
    )
    Notification.objects.bulk_create(
        [Notification(org=school_a, user=chair_a, key="welfare.visit.due:1", kind="visits", title="后到")],
        ignore_conflicts=True,
    )
    assert Notification.objects.filter(user=chair_a).get().title == "先到"


def test_in_app_off_hides_the_reminder_from_the_inbox_but_still_emails_it(visit_due, welfare_a):
    NotificationPreference.objects.create(user=welfare_a, kind="visits", in_app=False, email=True)
    services.run_daily(TODAY)
    n = Notification.objects.get(user=welfare_a)
    assert n.in_app is False
    assert [m.to for m in mail.outbox] == [["shenghuo@example.cn"]]


def test_email_off_sends_no_email_but_keeps_the_in_app_reminder(visit_due, welfare_a):
    NotificationPreference.objects.create(user=welfare_a, kind="visits", in_app=True, email=False)
    services.run_daily(TODAY)
    assert Notification.objects.get(user=welfare_a).in_app is True
    assert mail.outbox == []


def test_both_off_creates_nothing_for_that_user(visit_due, welfare_a, chair_a):
    NotificationPreference.objects.create(user=welfare_a, kind="visits", in_app=False, email=False)
    services.run_daily(TODAY)
    assert list(Notification.objects.values_list("user_id", flat=True)) == [chair_a.pk]


def test_a_preference_for_another_kind_does_not_apply(visit_due, welfare_a):
    NotificationPreference.objects.create(user=welfare_a, kind="birthdays", in_app=False, email=False)
    services.run_daily(TODAY)
    assert Notification.objects.get(user=welfare_a).in_app is True
    assert len(mail.outbox) == 1


def test_without_an_email_address_there_is_no_email(visit_due, chair_a):
    services.run_daily(TODAY)
    n = Notification.objects.get(user=chair_a)
    assert (n.email_wanted, n.email_to) == (False, "")
    assert all(m.to != [""] for m in mail.outbox)


def test_each_email_is_sent_once_over_two_runs(visit_due):
    services.run_daily(TODAY)
    services.run_daily(TODAY)
    assert len(mail.outbox) == 1
    assert Notification.objects.get(email_wanted=True).emailed_at is not None


def test_an_inactive_recipient_gets_nothing(visit_due, welfare_a):
    welfare_a.is_active = False
    welfare_a.save()
    services.run_daily(TODAY)
    assert not Notification.objects.filter(user=welfare_a).exists()


def test_an_item_of_another_school_is_not_written_under_this_one(
    school_a, school_b, outsider_b, only_sources
):
    def leaky(org, today):
        return [item(school_b, "welfare.visit.due:9", [outsider_b])]  # always school B's item

    only_sources(leaky)
    services.run_daily(TODAY)
    assert list(Notification.objects.values_list("org_id", flat=True)) == [school_b.pk]


def test_a_failing_source_fails_the_task_after_the_other_schools_are_done(
    school_a, school_b, chair_a, outsider_b, only_sources
):
    def flaky(org, today):
        if org == school_a:
            raise RuntimeError("boom")
        return [item(school_b, "welfare.visit.due:9", [outsider_b])]

    only_sources(flaky)
    with pytest.raises(services.DailyRunFailed):
        services.run_daily(TODAY)
    assert Notification.objects.filter(org=school_b).count() == 1


def test_the_task_runs_on_the_immediate_backend(visit_due, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    result = send_daily_reminders.enqueue(TODAY.isoformat())
    assert result.return_value == {"date": "2026-11-23", "created": 2, "emailed": 1, "email_failed": 0}
    assert Notification.objects.count() == 2


def test_a_user_in_two_schools_gets_each_schools_reminder(school_a, school_b, welfare_a, only_sources):
    grant(welfare_a, school_b, "welfare")

    def both(org, today):
        return [item(org, f"welfare.visit.due:{org.pk}", [welfare_a])]

    only_sources(both)
    services.run_daily(TODAY)
    assert set(Notification.objects.values_list("org_id", flat=True)) == {school_a.pk, school_b.pk}


def test_a_federation_is_not_asked_for_due_items(federation, school_a, only_sources):
    asked = []
    only_sources(lambda org, today: asked.append(org) or [])
    services.run_daily(TODAY)
    assert federation not in asked and school_a in asked


def test_the_user_factory_email_default_is_empty():
    # The fixtures above rely on users having no e-mail address unless given one.
    assert UserFactory().email == ""
