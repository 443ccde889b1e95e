"""When an item falls and what its status is (pure rules)."""

import datetime

import pytest

from jiaogong.plans import periods

D = datetime.date


@pytest.mark.parametrize(
    "plan_kind, year, season, period_kind, start, end, expected",
    [
        ("annual", 2025, "", "month", 3, None, (D(2025, 3, 1), D(2025, 3, 31))),
        ("annual", 2024, "", "month", 2, None, (D(2024, 2, 1), D(2024, 2, 29))),  # a leap year
        ("school_year", 2025, "", "month", 9, None, (D(2025, 9, 1), D(2025, 9, 30))),
        ("school_year", 2025, "", "month", 1, None, (D(2026, 1, 1), D(2026, 1, 31))),  # 元月 of the next year
        ("school_year", 2025, "", "month", 8, 9, (D(2025, 8, 1), D(2025, 9, 30))),  # 八、九月份
        ("semester", 2025, "autumn", "month", 1, None, (D(2026, 1, 1), D(2026, 1, 31))),
        ("semester", 2026, "spring", "month", 3, None, (D(2026, 3, 1), D(2026, 3, 31))),
        ("annual", 2025, "", "quarter", 1, None, (D(2025, 1, 1), D(2025, 3, 31))),
        ("annual", 2025, "", "quarter", 4, None, (D(2025, 10, 1), D(2025, 12, 31))),
        ("school_year", 2025, "", "quarter", 1, None, (D(2026, 1, 1), D(2026, 3, 31))),
        ("school_year", 2025, "", "month", 12, 1, None),  # 十二、一月: rejected by check_period, see below
    ],
)
def test_months_and_quarters_fall_in_the_plans_year(
    plan_kind, year, season, period_kind, start, end, expected
):
    if expected is None:
        assert periods.check_period(period_kind, start, end)
        return
    assert (
        periods.date_range(
            plan_kind=plan_kind,
            year=year,
            season=season,
            starts_on=D(year, 9, 1),
            period_kind=period_kind,
            start=start,
            end=end,
        )
        == expected
    )


def test_weeks_count_from_the_monday_of_the_week_the_term_starts_in():
    # 2026-03-04 is a Wednesday: week 1 is 3月2日—3月8日.
    kw = dict(plan_kind="semester", year=2026, season="spring", starts_on=D(2026, 3, 4), period_kind="week")
    assert periods.date_range(**kw, start=1) == (D(2026, 3, 2), D(2026, 3, 8))
    assert periods.date_range(**kw, start=8) == (D(2026, 4, 20), D(2026, 4, 26))
    assert periods.date_range(**kw, start=2, end=3) == (D(2026, 3, 9), D(2026, 3, 22))


def test_an_item_without_a_time_has_no_dates():
    assert (
        periods.date_range(
            plan_kind="annual", year=2025, season="", starts_on=D(2025, 1, 1), period_kind="", start=None
        )
        is None
    )


@pytest.mark.parametrize(
    "kind, start, end, field",
    [
        ("month", 13, None, "period_start"),
        ("month", None, None, "period_start"),
        ("quarter", 5, None, "period_start"),
        ("week", 0, None, "period_start"),
        ("week", 5, 3, "period_end"),
        ("year", 1, None, "period_kind"),
        ("", 3, None, "period_start"),
    ],
)
def test_impossible_periods_are_refused_in_chinese(kind, start, end, field):
    errors = periods.check_period(kind, start, end)
    assert field in errors and any("\u4e00" <= c <= "\u9fff" for c in errors[field])


def test_valid_periods_pass():
    assert periods.check_period("month", 8, 9) == {}
    assert periods.check_period("week", 19, None) == {}
    assert periods.check_period("", None, None) == {}


TODAY = D(2026, 11, 22)


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        (dict(period_end=D(2026, 12, 31), manual="planned", linked=False), "planned"),
        (dict(period_end=D(2026, 10, 31), manual="planned", linked=False), "late"),
        (dict(period_end=D(2026, 10, 31), manual="done", linked=False), "done"),
        (dict(period_end=D(2026, 10, 31), manual="cancelled", linked=False), "cancelled"),
        (dict(period_end=None, manual="planned", linked=False), "planned"),
        # Linked: the record decides, whatever was set by hand.
        (dict(period_end=D(2026, 10, 31), manual="planned", linked=True, record_state="done"), "done"),
        (dict(period_end=D(2026, 12, 31), manual="done", linked=True, record_state="cancelled"), "cancelled"),
        (
            dict(
                period_end=D(2026, 12, 31),
                manual="done",
                linked=True,
                record_state="pending",
                record_due=D(2026, 11, 20),
            ),
            "late",
        ),
        (
            dict(
                period_end=D(2026, 10, 31),
                manual="done",
                linked=True,
                record_state="pending",
                record_due=D(2026, 11, 30),
            ),
            "planned",
        ),
    ],
)
def test_the_status_follows_the_linked_record_or_the_hand(kwargs, expected):
    assert periods.status(today=TODAY, **kwargs) == expected


def test_the_default_term_starts():
    assert periods.default_start("annual", 2025) == D(2025, 1, 1)
    assert periods.default_start("school_year", 2025) == D(2025, 9, 1)
    assert periods.default_start("semester", 2026, "spring") == D(2026, 3, 1)
    assert periods.default_start("semester", 2026, "autumn") == D(2026, 9, 1)
