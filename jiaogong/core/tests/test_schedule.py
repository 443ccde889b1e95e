"""The schedule rule (core/schedule.py) and the scheduler that keeps its last runs in the database."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiaogong.core import scheduler
from jiaogong.core.models import ScheduledRun
from jiaogong.core.schedule import Daily, Every, ScheduleError, is_due, next_check, parse_when

TZ = ZoneInfo("Asia/Shanghai")
UTC = datetime.UTC


def at(text: str) -> datetime.datetime:
    """A local (Beijing) time."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=TZ)


moments = st.datetimes(
    min_value=datetime.datetime(2020, 1, 1), max_value=datetime.datetime(2035, 1, 1), timezones=st.just(UTC)
)
daily_specs = st.builds(Daily, st.times().map(lambda t: t.replace(second=0, microsecond=0)))
every_specs = st.builds(Every, st.integers(1, 24 * 60))


def test_the_two_forms_are_read():
    assert parse_when("daily 07:00") == Daily(datetime.time(7, 0))
    assert parse_when("  Daily   7:05 ") == Daily(datetime.time(7, 5))
    assert parse_when("every 15 minutes") == Every(15)
    assert parse_when("every 1 minute") == Every(1)


@pytest.mark.parametrize(
    "bad", ["daily 24:00", "daily 07:60", "every 0 minutes", "hourly", "daily 7", "", "every -5 minutes"]
)
def test_anything_else_is_refused_in_chinese(bad):
    with pytest.raises(ScheduleError, match="[\u4e00-\u9fff]"):
        parse_when(bad)


def test_a_daily_job_runs_at_its_time_and_not_before():
    spec = Daily(datetime.time(7, 0))
    ran_yesterday = at("2026-12-07 07:00:05")
    assert not is_due(spec, last_run=ran_yesterday, now=at("2026-12-08 06:59:59"), tz=TZ)
    assert is_due(spec, last_run=ran_yesterday, now=at("2026-12-08 07:00:00"), tz=TZ)
    assert not is_due(spec, last_run=at("2026-12-08 07:00:00"), now=at("2026-12-08 23:59"), tz=TZ)


def test_a_daily_job_is_local_time_not_utc():
    # 07:00 in Beijing is 23:00 UTC the day before.
    spec = Daily(datetime.time(7, 0))
    last = at("2026-12-07 07:00")
    assert not is_due(spec, last_run=last, now=datetime.datetime(2026, 12, 7, 22, 59, tzinfo=UTC), tz=TZ)
    assert is_due(spec, last_run=last, now=datetime.datetime(2026, 12, 7, 23, 0, tzinfo=UTC), tz=TZ)


def test_after_days_off_a_daily_job_catches_up_once():
    spec = Daily(datetime.time(7, 0))
    back_on = at("2026-12-10 09:30")
    assert is_due(spec, last_run=at("2026-12-06 07:00"), now=back_on, tz=TZ)
    # ...and having run at 09:30 it waits for tomorrow 07:00, not for the other missed days.
    assert not is_due(spec, last_run=back_on, now=at("2026-12-11 06:59"), tz=TZ)
    assert next_check(spec, last_run=back_on, now=back_on, tz=TZ) == at("2026-12-11 07:00")


def test_a_job_that_never_ran_is_due_at_once():
    assert is_due(Daily(datetime.time(7, 0)), last_run=None, now=at("2026-12-08 03:00"), tz=TZ)
    assert is_due(Every(5), last_run=None, now=at("2026-12-08 03:00"), tz=TZ)


@given(
    spec=daily_specs,
    last=moments,
    gap=st.timedeltas(min_value=datetime.timedelta(0), max_value=datetime.timedelta(days=30)),
)
def test_a_daily_job_is_due_exactly_when_a_slot_passed_since_its_last_run(spec, last, gap):
    now = last + gap
    local_last, local_now = last.astimezone(TZ), now.astimezone(TZ)
    # Brute force: is there a day d with d at spec.at in (last, now]?
    slots = [
        datetime.datetime.combine(local_last.date() + datetime.timedelta(days=d), spec.at, tzinfo=TZ)
        for d in range(0, gap.days + 2)
    ]
    expected = any(local_last < s <= local_now for s in slots)
    assert is_due(spec, last_run=last, now=now, tz=TZ) == expected


@given(
    spec=daily_specs | every_specs, start=moments, steps=st.lists(st.integers(1, 24 * 60 * 3), max_size=40)
)
def test_the_scheduler_runs_a_job_at_most_once_per_slot_and_never_misses_one(spec, start, steps):
    """Simulate a scheduler waking at arbitrary moments (down for up to three days in between)
    and running the job whenever it is due: no two runs fall in the same slot, and after every
    wake-up nothing due is left undone."""
    last = None
    now = start
    runs = []
    for minutes in steps:
        now = now + datetime.timedelta(minutes=minutes)
        if is_due(spec, last_run=last, now=now, tz=TZ):
            runs.append(now)
            last = now
        assert not is_due(spec, last_run=last, now=now, tz=TZ)
        assert next_check(spec, last_run=last, now=now, tz=TZ) > now
    for a, b in zip(runs, runs[1:], strict=False):
        if isinstance(spec, Every):
            assert b - a >= datetime.timedelta(minutes=spec.minutes)
        else:
            # a daily slot lies between two runs
            assert is_due(spec, last_run=a, now=b, tz=TZ)


@given(spec=every_specs, last=moments, gap=st.integers(0, 3 * 24 * 60))
def test_every_n_minutes_waits_n_minutes(spec, last, gap):
    now = last + datetime.timedelta(minutes=gap)
    assert is_due(spec, last_run=last, now=now, tz=TZ) == (gap >= spec.minutes)


def test_a_clock_set_back_does_not_run_the_job_again():
    assert not is_due(Every(5), last_run=at("2026-12-08 08:00"), now=at("2026-12-08 07:00"), tz=TZ)
    assert not is_due(
        Daily(datetime.time(7, 0)), last_run=at("2026-12-08 08:00"), now=at("2026-12-08 07:30"), tz=TZ
    )


# --- the scheduler against the database ---

CALLS = []


def remember_call():
    CALLS.append(1)


def fail():
    raise RuntimeError("boom")


@pytest.fixture
def calls():
    CALLS.clear()
    yield CALLS
    CALLS.clear()


def test_the_setting_names_real_functions_and_valid_times():
    jobs = scheduler.load_jobs()
    assert [j.path for j in jobs] == [
        "jiaogong.notifications.tasks.enqueue_daily_reminders",
        "jiaogong.congress.proposals.remind_overdue",
        "jiaogong.core.ops.enqueue_heartbeat",
        "jiaogong.core.ops.daily_backup",
        "jiaogong.members.pseudonymise.run_daily",
    ]


@pytest.mark.parametrize(
    "entries, reason",
    [
        ([("jiaogong.core.tests.test_schedule.nothing_here", "daily 07:00")], "找不到任务函数"),
        ([("jiaogong.core.tests.test_schedule.remember_call", "weekly")], "无法识别"),
        ([("jiaogong.core.tests.test_schedule.remember_call",)], "每一项应为"),
        ([("jiaogong.core.tests.test_schedule.remember_call", "every 5 minutes")] * 2, "两次"),
    ],
)
def test_a_wrong_schedule_stops_the_scheduler_with_its_reason(entries, reason):
    with pytest.raises(ScheduleError, match=reason):
        scheduler.load_jobs(entries)


@pytest.mark.django_db
def test_a_restarted_scheduler_does_not_run_a_job_twice(calls):
    jobs = scheduler.load_jobs([("jiaogong.core.tests.test_schedule.remember_call", "daily 07:00")])
    now = at("2026-12-08 07:00:30")
    assert scheduler.run_due(jobs, now) == ["jiaogong.core.tests.test_schedule.remember_call"]
    # A new scheduler process: it reads the last run from the database.
    again = scheduler.load_jobs([("jiaogong.core.tests.test_schedule.remember_call", "daily 07:00")])
    assert scheduler.run_due(again, now + datetime.timedelta(minutes=1)) == []
    assert scheduler.run_due(again, at("2026-12-09 07:00")) == [
        "jiaogong.core.tests.test_schedule.remember_call"
    ]
    assert len(calls) == 2


@pytest.mark.django_db
def test_a_slot_claimed_by_another_scheduler_is_not_run(calls, monkeypatch):
    jobs = scheduler.load_jobs([("jiaogong.core.tests.test_schedule.remember_call", "every 5 minutes")])
    now = at("2026-12-08 07:00")
    ScheduledRun.objects.create(job=jobs[0].path, last_run_at=now - datetime.timedelta(minutes=10))
    real_get_or_create = ScheduledRun.objects.get_or_create

    def stale_read(**kwargs):
        # We read the old last run; meanwhile the other scheduler claims the slot.
        run, created = real_get_or_create(**kwargs)
        ScheduledRun.objects.filter(pk=run.pk).update(last_run_at=now)
        return run, created

    monkeypatch.setattr(ScheduledRun.objects, "get_or_create", stale_read)
    assert scheduler.run_due(jobs, now + datetime.timedelta(seconds=1)) == []
    assert calls == []


@pytest.mark.django_db
def test_a_failing_job_is_recorded_and_waits_for_its_next_slot(calls):
    jobs = scheduler.load_jobs(
        [
            ("jiaogong.core.tests.test_schedule.fail", "every 10 minutes"),
            ("jiaogong.core.tests.test_schedule.remember_call", "every 10 minutes"),
        ]
    )
    now = at("2026-12-08 07:00")
    assert len(scheduler.run_due(jobs, now)) == 2
    assert calls == [1]  # the failure did not stop the next job
    run = ScheduledRun.objects.get(job="jiaogong.core.tests.test_schedule.fail")
    assert "RuntimeError: boom" in run.last_error
    assert scheduler.run_due(jobs, now + datetime.timedelta(minutes=5)) == []
    assert scheduler.seconds_until_next(jobs, now + datetime.timedelta(minutes=5)) == 60.0  # capped
    assert scheduler.seconds_until_next(jobs, now + datetime.timedelta(minutes=9, seconds=30)) == 30.0


@pytest.mark.django_db
def test_the_daily_reminder_job_queues_one_run_a_day():
    from django_tasks_db.models import DBTaskResult

    from jiaogong.notifications.tasks import enqueue_daily_reminders

    assert enqueue_daily_reminders(datetime.date(2026, 12, 8)) is not None
    assert enqueue_daily_reminders(datetime.date(2026, 12, 8)) is None
    assert DBTaskResult.objects.count() == 1
