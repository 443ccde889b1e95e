"""recurrence (pure): expansion across month ends, year ends and holidays, the form's picker, UNTIL
in UTC as RFC 5545 wants, and properties over random rules and windows (hypothesis)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jiaogong.activities import recurrence
from jiaogong.activities.calendars import mark_of

TZ = ZoneInfo("Asia/Shanghai")
FORTY_MINUTES = datetime.timedelta(minutes=40)


def local(y, m, d, hh=0, mm=0):
    return datetime.datetime(y, m, d, hh, mm, tzinfo=TZ)


def test_every_other_friday_crosses_month_and_year_ends_at_1620():
    first = local(2026, 9, 4, 16, 20)
    got = recurrence.expand(
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR", first, FORTY_MINUTES, local(2026, 12, 1), local(2027, 2, 1)
    )
    assert [s.date() for s, _e in got] == [
        datetime.date(2026, 12, 11),
        datetime.date(2026, 12, 25),
        datetime.date(2027, 1, 8),
        datetime.date(2027, 1, 22),
    ]
    assert all((s.hour, s.minute, e.hour, e.minute) == (16, 20, 17, 0) for s, e in got)


def test_the_national_day_friday_is_skipped_and_the_make_up_saturday_is_not_added():
    first = local(2026, 9, 25, 16, 20)
    got = recurrence.expand(
        "FREQ=WEEKLY;BYDAY=FR",
        first,
        FORTY_MINUTES,
        local(2026, 9, 25),
        local(2026, 10, 17),
        skip_dates={datetime.date(2026, 10, 2), datetime.date(2026, 10, 9)},
    )
    assert [s.date() for s, _e in got] == [datetime.date(2026, 9, 25), datetime.date(2026, 10, 16)]
    # 10-02 is in the National Day holiday; 10-10 (a Saturday) is a make-up working day.
    assert mark_of(datetime.date(2026, 10, 2)).label == "国庆节"
    assert mark_of(datetime.date(2026, 10, 10)).label == "调休上班"


def test_monthly_on_the_31st_keeps_only_months_that_have_one():
    got = recurrence.expand(
        "FREQ=MONTHLY", local(2026, 8, 31, 16, 20), FORTY_MINUTES, local(2026, 8, 1), local(2027, 1, 1)
    )
    assert [s.date() for s, _e in got] == [
        datetime.date(2026, 8, 31),
        datetime.date(2026, 10, 31),
        datetime.date(2026, 12, 31),
    ]


def test_the_window_is_half_open_on_starts():
    first = local(2026, 9, 4, 16, 20)
    rule = "FREQ=WEEKLY;BYDAY=FR"
    assert recurrence.expand(
        rule, first, FORTY_MINUTES, local(2026, 9, 11, 16, 20), local(2026, 9, 18, 16, 20)
    ) == [(local(2026, 9, 11, 16, 20), local(2026, 9, 11, 17, 0))]


def test_a_single_activity_is_one_occurrence_inside_the_window_and_none_outside():
    first = local(2026, 9, 10, 15)
    assert recurrence.expand("", first, FORTY_MINUTES, local(2026, 9, 1), local(2026, 10, 1)) == [
        (first, first + FORTY_MINUTES)
    ]
    assert recurrence.expand("", first, FORTY_MINUTES, local(2026, 9, 11), local(2026, 10, 1)) == []


def test_until_as_a_date_means_the_end_of_that_local_day_written_in_utc():
    first = local(2026, 9, 4, 16, 20)
    rule = recurrence.validate("rrule:freq=weekly;interval=2;byday=fr;until=20261030", first)
    assert rule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR;UNTIL=20261030T155959Z"
    got = recurrence.expand(rule, first, FORTY_MINUTES, local(2026, 9, 1), local(2027, 1, 1))
    assert got[-1][0] == local(2026, 10, 30, 16, 20) and len(got) == 5


@pytest.mark.parametrize(
    "rule, message",
    [
        ("WEEKLY", "FREQ=DAILY"),
        ("FREQ=HOURLY", "FREQ=DAILY"),
        ("FREQ=WEEKLY;BYDAY=XX", "无法识别"),
        ("FREQ=WEEKLY;INTERVAL=zero", "无法识别"),
    ],
)
def test_bad_rules_are_refused_in_chinese(rule, message):
    with pytest.raises(recurrence.BadRule) as e:
        recurrence.validate(rule, local(2026, 9, 4, 16, 20))
    assert message in str(e.value)


@pytest.mark.parametrize(
    "repeat, weekday, until, rule",
    [
        ("", "FR", None, ""),
        ("weekly", "MO", None, "FREQ=WEEKLY;BYDAY=MO"),
        (
            "biweekly",
            "FR",
            datetime.date(2027, 1, 15),
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR;UNTIL=20270115T155959Z",
        ),
        ("monthly", "", datetime.date(2027, 6, 30), "FREQ=MONTHLY;UNTIL=20270630T155959Z"),
    ],
)
def test_the_picker_writes_the_rule_and_reads_it_back(repeat, weekday, until, rule):
    assert recurrence.rule_for(repeat, weekday, until, TZ) == rule
    picked = recurrence.picker_of(rule, TZ)
    assert picked["repeat"] == repeat and picked["until"] == until
    if repeat in ("weekly", "biweekly"):
        assert picked["weekday"] == weekday


def test_a_rule_the_picker_cannot_show_is_custom():
    assert recurrence.picker_of("FREQ=MONTHLY;BYDAY=1WE", TZ) is None
    assert recurrence.describe("FREQ=MONTHLY;BYDAY=1WE", TZ) == "自定义规则 FREQ=MONTHLY;BYDAY=1WE"
    assert (
        recurrence.describe("FREQ=WEEKLY;INTERVAL=2;BYDAY=FR;UNTIL=20270115T155959Z", TZ)
        == "每两周周五（至 2027-01-15）"
    )


# ---- properties ------------------------------------------------------------------------------------

WEEKDAY_INDEX = {code: i for i, code in enumerate(recurrence.WEEKDAYS)}


@settings(max_examples=150, deadline=None)
@given(
    first_day=st.dates(min_value=datetime.date(2024, 1, 1), max_value=datetime.date(2027, 12, 31)),
    weekday=st.sampled_from(recurrence.WEEKDAYS),
    interval=st.integers(min_value=1, max_value=4),
    offset=st.integers(min_value=-60, max_value=400),
    span=st.integers(min_value=1, max_value=200),
    skips=st.lists(st.integers(min_value=0, max_value=500), max_size=8),
)
def test_every_occurrence_is_in_the_window_on_the_weekday_at_1620_and_never_on_a_skip_date(
    first_day, weekday, interval, offset, span, skips
):
    # The first occurrence falls on the rule's weekday (as the form makes it).
    first_day += datetime.timedelta(days=(WEEKDAY_INDEX[weekday] - first_day.weekday()) % 7)
    first = datetime.datetime.combine(first_day, datetime.time(16, 20), tzinfo=TZ)
    rule = f"FREQ=WEEKLY;INTERVAL={interval};BYDAY={weekday}"
    lo = datetime.datetime.combine(first_day + datetime.timedelta(days=offset), datetime.time(), tzinfo=TZ)
    hi = lo + datetime.timedelta(days=span)
    skip_dates = {first_day + datetime.timedelta(days=7 * interval * k) for k in skips}
    got = recurrence.expand(rule, first, FORTY_MINUTES, lo, hi, skip_dates=skip_dates)
    for start, end in got:
        assert lo <= start < hi
        assert start.weekday() == WEEKDAY_INDEX[weekday]
        assert (start.hour, start.minute) == (16, 20) and start.utcoffset() == datetime.timedelta(hours=8)
        assert end - start == FORTY_MINUTES
        assert start.date() not in skip_dates
        assert ((start.date() - first_day).days // 7) % interval == 0
    # And nothing is missing: every date of the series in the window that is not skipped is there.
    expected = []
    day = first_day
    while day < hi.date():
        if day >= lo.date() and day not in skip_dates:
            expected.append(day)
        day += datetime.timedelta(days=7 * interval)
    assert [s.date() for s, _e in got] == expected
