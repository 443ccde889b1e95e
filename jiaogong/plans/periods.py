"""When a plan's item falls, and what its status is. Pure rules: no I/O.

A month of a plan lies in the plan's year, or the next one: a 学年 plan (2024—2025) runs from
August 2024 to July 2025, a 秋季学期 from August to January, a 春季学期 lies in its year. A quarter
is its three months under the same rule. Week n is the n-th week from the Monday of the week the
term starts in (the plan's `starts_on`).
"""

import calendar
import datetime

ANNUAL, SCHOOL_YEAR, SEMESTER = "annual", "school_year", "semester"
SPRING, AUTUMN = "spring", "autumn"
MONTH, QUARTER, WEEK, NONE = "month", "quarter", "week", ""
LIMITS = {MONTH: 12, QUARTER: 4, WEEK: 30}
PLANNED, DONE, CANCELLED, LATE = "planned", "done", "cancelled", "late"


def default_start(kind: str, year: int, season: str = "") -> datetime.date:
    """Where week 1 is, until the chair sets the real 开学日期."""
    if kind == ANNUAL:
        return datetime.date(year, 1, 1)
    if kind == SEMESTER and season == SPRING:
        return datetime.date(year, 3, 1)
    return datetime.date(year, 9, 1)


def month_year(kind: str, year: int, season: str, month: int) -> int:
    """The calendar year in which month `month` of the plan falls."""
    if kind == SCHOOL_YEAR or (kind == SEMESTER and season == AUTUMN):
        return year if month >= 8 else year + 1
    return year


def _month_range(kind, year, season, first: int, last: int) -> tuple[datetime.date, datetime.date]:
    start = datetime.date(month_year(kind, year, season, first), first, 1)
    end_year = month_year(kind, year, season, last)
    end = datetime.date(end_year, last, calendar.monthrange(end_year, last)[1])
    if end < start:  # 十二、一月 across the new year
        end = datetime.date(end_year + 1, last, calendar.monthrange(end_year + 1, last)[1])
    return start, end


def date_range(
    *,
    plan_kind: str,
    year: int,
    season: str,
    starts_on: datetime.date,
    period_kind: str,
    start: int | None,
    end: int | None = None,
) -> tuple[datetime.date, datetime.date] | None:
    """The first and last day of an item's period; None for 时间待定."""
    if period_kind == NONE or start is None:
        return None
    last = end or start
    if period_kind == MONTH:
        return _month_range(plan_kind, year, season, start, last)
    if period_kind == QUARTER:
        return _month_range(plan_kind, year, season, 3 * start - 2, 3 * last)
    if period_kind == WEEK:
        monday = starts_on - datetime.timedelta(days=starts_on.weekday())
        first = monday + datetime.timedelta(weeks=start - 1)
        return first, monday + datetime.timedelta(weeks=last, days=-1)
    raise ValueError(period_kind)


def check_period(period_kind: str, start, end) -> dict:
    """{field: Chinese message} for a period that cannot be: month 13, week 0, 第5—3周…"""
    errors = {}
    if period_kind not in LIMITS and period_kind != NONE:
        return {"period_kind": "请选择月份、季度或周次。"}
    if period_kind == NONE:
        if start is not None or end is not None:
            errors["period_start"] = "时间待定的项目不填时间。"
        return errors
    limit = LIMITS[period_kind]
    unit = {MONTH: "月份", QUARTER: "季度", WEEK: "周次"}[period_kind]
    if start is None:
        errors["period_start"] = f"请填写{unit}。"
    elif not 1 <= start <= limit:
        errors["period_start"] = f"{unit}应在 1—{limit} 之间。"
    if end is not None:
        if not 1 <= end <= limit:
            errors["period_end"] = f"{unit}应在 1—{limit} 之间。"
        elif start is not None and end <= start:
            errors["period_end"] = "结束应晚于开始（只有一个时间时不填）。"
    return errors


def status(
    *,
    today: datetime.date,
    period_end: datetime.date | None,
    manual: str,
    linked: bool,
    record_state: str = "",
    record_due: datetime.date | None = None,
) -> str:
    """An item's status. Linked: the record decides — held → done, cancelled → cancelled, its date
    passed without being held → late. Unlinked: what was set by hand, or late once its period is
    over while still planned."""
    if linked:
        if record_state in (DONE, CANCELLED):
            return record_state
        due = record_due or period_end
        return LATE if due is not None and due < today else PLANNED
    if manual in (DONE, CANCELLED):
        return manual
    return LATE if period_end is not None and period_end < today else PLANNED
