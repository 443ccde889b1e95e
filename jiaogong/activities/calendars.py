"""The 行事历's days, pure: which dates are statutory holidays or 调休 make-up working days, and the
weeks of a month (Monday first, as Chinese wall calendars are laid out).

The holiday facts come from jiaogong.core.workdays' sources: the admin's 节假日与调休 table
(`overrides`: date -> is a working day) first, then the table shipped in chinese_calendar.
"""

import calendar as _calendar
import datetime
from collections.abc import Mapping
from dataclasses import dataclass

import chinese_calendar

from jiaogong.core import workdays

HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


@dataclass(frozen=True)
class DayMark:
    """A date that is not what its weekday says: a holiday off (`off`) or a make-up working day."""

    off: bool
    label: str


def mark_of(day: datetime.date, overrides: Mapping[datetime.date, bool] | None = None) -> DayMark | None:
    """The holiday / 调休 mark of one date, or None for an ordinary weekday or weekend.

    A weekday that is not a working day is a holiday ("国庆节"); a Saturday or Sunday that is a working
    day is a make-up day ("调休上班"). An ordinary weekend carries no mark.
    """
    working = workdays.is_working_day(day, overrides)
    weekend = day.weekday() >= 5
    if working == (not weekend):
        if not working:
            # A weekend inside a holiday (e.g. 10月3日) is still part of it.
            name = _holiday_name(day)
            return DayMark(True, name) if name and not (overrides and day in overrides) else None
        return None
    if working:
        return DayMark(False, "调休上班")
    return DayMark(True, _holiday_name(day) or "放假")


def _holiday_name(day: datetime.date) -> str:
    try:
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return ""
    if not on_holiday or not name:
        return ""
    return HOLIDAY_NAMES.get(name, name)


def marks_between(
    start: datetime.date, end: datetime.date, overrides: Mapping[datetime.date, bool] | None = None
) -> dict[datetime.date, DayMark]:
    """The marks of the dates start..end (both included) that carry one."""
    marks = {}
    day = start
    while day <= end:
        mark = mark_of(day, overrides)
        if mark is not None:
            marks[day] = mark
        day += datetime.timedelta(days=1)
    return marks


def month_weeks(year: int, month: int) -> list[list[datetime.date]]:
    """The weeks shown for a month, Monday first, padded with the neighbouring months' days."""
    return _calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)


def shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1
