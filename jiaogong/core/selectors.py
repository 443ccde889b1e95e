"""Reads of core tables that are not scoped to one org."""

import datetime

from jiaogong.core import workdays
from jiaogong.core.models import Holiday


def overrides(start: datetime.date, end: datetime.date) -> dict[datetime.date, bool]:
    """The admin's holiday table between ``start`` and ``end`` inclusive: date -> is a working day."""
    rows = Holiday.objects.filter(date__gte=start, date__lte=end).values_list("date", "is_working_day")
    return dict(rows)


def last_working_day(start: datetime.date, days: int) -> datetime.date:
    """workdays.last_working_day with the admin's overrides (RULES.md §5 "公示").

    Reads the table for a window that normally covers the whole period; if the result falls
    beyond it (many days off entered), reads up to the result and counts again.
    """
    end = start + datetime.timedelta(days=2 * days + 60)
    while True:
        result = workdays.last_working_day(start, days, overrides(start, end))
        if result <= end:
            return result
        end = result
