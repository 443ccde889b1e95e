"""Which scheduled jobs are due: a pure rule, no I/O.

`settings.JIAOGONG_SCHEDULE` lists the jobs as `(dotted path to a function, when)`, `when` being
"daily HH:MM" (local time of `settings.TIME_ZONE`) or "every N minutes". The scheduler
(`manage.py run_scheduler`, started by `manage.py serve`) asks `is_due` with the job's last run,
which it keeps in the database (`core.ScheduledRun`), so a restart never runs a job twice and a
server that was off catches up exactly once — not once per missed day.
"""

import datetime
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo


class ScheduleError(ValueError):
    """A `when` the scheduler cannot read (the message is the Chinese reason)."""


@dataclass(frozen=True)
class Daily:
    at: datetime.time

    def __str__(self):
        return f"daily {self.at:%H:%M}"


@dataclass(frozen=True)
class Every:
    minutes: int

    def __str__(self):
        return f"every {self.minutes} minutes"


Spec = Daily | Every

_DAILY = re.compile(r"daily\s+(\d{1,2}):(\d{2})")
_EVERY = re.compile(r"every\s+(\d+)\s+minutes?")


def parse_when(when: str) -> Spec:
    """'daily 07:00' → Daily(07:00); 'every 15 minutes' → Every(15). Anything else is refused."""
    text = " ".join(str(when).strip().lower().split())
    if m := _DAILY.fullmatch(text):
        hour, minute = int(m[1]), int(m[2])
        if hour > 23 or minute > 59:
            raise ScheduleError(f"时间 {when!r} 无效：小时应为 0–23，分钟应为 0–59。")
        return Daily(datetime.time(hour, minute))
    if m := _EVERY.fullmatch(text):
        minutes = int(m[1])
        if not 1 <= minutes <= 7 * 24 * 60:
            raise ScheduleError(f"间隔 {when!r} 无效：应为 1 到 10080 分钟。")
        return Every(minutes)
    raise ScheduleError(f'无法识别的计划 {when!r}：应写作 "daily HH:MM" 或 "every N minutes"。')


def latest_slot(spec: Daily, now: datetime.datetime, tz: ZoneInfo) -> datetime.datetime:
    """The most recent moment ≤ now at which a daily job was meant to run (aware, in tz)."""
    local = now.astimezone(tz)
    slot = datetime.datetime.combine(local.date(), spec.at, tzinfo=tz)
    if slot > local:
        slot = datetime.datetime.combine(local.date() - datetime.timedelta(days=1), spec.at, tzinfo=tz)
    return slot


def is_due(spec: Spec, *, last_run: datetime.datetime | None, now: datetime.datetime, tz: ZoneInfo) -> bool:
    """A daily job is due when it has not run since its latest slot (a server started after the slot
    runs it once, however many days it was off); a job every N minutes when N minutes have passed
    since its last run. A job that never ran is due at once. `now` and `last_run` are aware."""
    if last_run is None:
        return True
    if last_run > now:
        # The clock went back (or another machine's clock is ahead): wait rather than run twice.
        return False
    if isinstance(spec, Daily):
        return last_run < latest_slot(spec, now, tz)
    return now - last_run >= datetime.timedelta(minutes=spec.minutes)


def next_check(spec: Spec, *, last_run: datetime.datetime | None, now: datetime.datetime, tz: ZoneInfo):
    """When the job will next be due (now if it is due): how long the scheduler may sleep."""
    if is_due(spec, last_run=last_run, now=now, tz=tz):
        return now
    if isinstance(spec, Every):
        return max(last_run + datetime.timedelta(minutes=spec.minutes), now)
    slot = latest_slot(spec, now, tz)
    local_next = datetime.datetime.combine(slot.date() + datetime.timedelta(days=1), spec.at, tzinfo=tz)
    return max(local_next, now)
