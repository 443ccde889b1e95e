"""Chinese working days, for 公示 periods (RULES.md §5 "公示" and "holidays").

Pure functions, no I/O. Which days are working days comes, in this order, from:

1. ``overrides``: a mapping date -> bool entered by an admin in the 节假日与调休 table
   (``jiaogong.core.models.Holiday``); True is a working day (e.g. a 调休 make-up Saturday),
   False a day off (a statutory holiday). It wins over everything else, so an admin can add next
   year's State Council schedule when it is published, or correct the shipped table.
2. The table shipped in the ``chinese_calendar`` package (pinned chinese-calendar==1.11.0, which
   knows 2004–2026): statutory holidays are days off, 调休 make-up weekend days are working days.
3. For a year the package does not know (it raises NotImplementedError), Monday–Friday are
   working days and Saturday/Sunday are not: statutory holidays of that year are only known
   through the override table.
"""

import datetime
from collections.abc import Mapping

import chinese_calendar

Overrides = Mapping[datetime.date, bool]


def is_working_day(day: datetime.date, overrides: Overrides | None = None) -> bool:
    """Whether ``day`` is a working day: the override table, else chinese_calendar, else Mon–Fri.

    The Monday–Friday fallback applies only to years chinese_calendar has no data for.
    """
    if overrides and day in overrides:
        return bool(overrides[day])
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def last_working_day(start: datetime.date, days: int, overrides: Overrides | None = None) -> datetime.date:
    """The last day of a 公示 of ``days`` working days whose first day is ``start`` (RULES.md §5 "公示").

    ``start`` counts as the first working day when it is one; otherwise counting begins with the
    next working day. Weekends and statutory holidays are skipped, 调休 make-up days counted.
    Raises ValueError when ``days`` is below 1.
    """
    if isinstance(days, bool) or not isinstance(days, int):
        raise ValueError("公示天数应为整数。")
    if days < 1:
        raise ValueError("公示天数至少为 1 个工作日。")
    day = start
    counted = 1 if is_working_day(day, overrides) else 0
    while counted < days:
        day += datetime.timedelta(days=1)
        if is_working_day(day, overrides):
            counted += 1
    return day
