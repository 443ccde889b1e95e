"""The reminders' date rules at their boundaries (and against a brute-force count)."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from jiaogong.notifications import rules

D = datetime.date
births = st.dates(min_value=D(1950, 1, 1), max_value=D(2005, 12, 31))
todays = st.dates(min_value=D(2024, 1, 1), max_value=D(2032, 12, 31))


def test_a_birthday_exactly_n_days_ahead_is_due():
    assert rules.birthday_due(D(1985, 11, 25), D(2026, 11, 22), 3) == D(2026, 11, 25)


def test_a_birthday_n_plus_one_days_ahead_is_not_due():
    assert rules.birthday_due(D(1985, 11, 26), D(2026, 11, 22), 3) is None


def test_a_birthday_today_is_due():
    assert rules.birthday_due(D(1985, 11, 22), D(2026, 11, 22), 3) == D(2026, 11, 22)


def test_yesterdays_birthday_is_not_due():
    assert rules.birthday_due(D(1985, 11, 21), D(2026, 11, 22), 3) is None


def test_zero_days_ahead_means_birthdays_today_only():
    assert rules.birthday_due(D(1985, 11, 22), D(2026, 11, 22), 0) == D(2026, 11, 22)
    assert rules.birthday_due(D(1985, 11, 23), D(2026, 11, 22), 0) is None


@given(births, todays, st.integers(min_value=0, max_value=60))
def test_a_birthday_is_due_exactly_when_some_day_of_the_window_is_its_anniversary(birth, today, days):
    window = [today + datetime.timedelta(days=n) for n in range(days + 1)]
    kept = {rules.birthday_in(birth, d.year) for d in window}
    assert (rules.birthday_due(birth, today, days) is not None) == any(d in kept for d in window)


def test_a_birthday_early_in_january_is_due_from_late_december():
    assert rules.birthday_due(D(1990, 1, 1), D(2026, 12, 30), 3) == D(2027, 1, 1)


def test_a_29_february_birthday_is_kept_on_28_february_in_a_non_leap_year():
    assert rules.birthday_due(D(1988, 2, 29), D(2027, 2, 25), 3) == D(2027, 2, 28)
    assert rules.birthday_due(D(1988, 2, 29), D(2027, 2, 24), 3) is None


def test_a_29_february_birthday_is_kept_on_29_february_in_a_leap_year():
    assert rules.birthday_due(D(1988, 2, 29), D(2028, 2, 26), 3) == D(2028, 2, 29)
    assert rules.birthday_due(D(1988, 2, 29), D(2028, 2, 25), 3) is None


@given(births, todays, st.integers(min_value=0, max_value=60))
def test_a_due_birthday_falls_within_the_window(birth, today, days):
    when = rules.birthday_due(birth, today, days)
    if when is not None:
        assert today <= when <= today + datetime.timedelta(days=days)
        assert when.month == birth.month


def test_a_retirement_exactly_at_the_notice_edge_is_due():
    # A woman born 1971-11-22 reaches 55 on 2026-11-22; twelve months' notice from 2025-11-22.
    assert rules.retirement_due(D(1971, 11, 22), "F", D(2025, 11, 22), 12, 60, 55) == D(2026, 11, 22)


def test_a_retirement_one_day_past_the_notice_edge_is_not_due_yet():
    assert rules.retirement_due(D(1971, 11, 23), "F", D(2025, 11, 22), 12, 60, 55) is None


def test_a_retirement_today_is_no_longer_ahead():
    assert rules.retirement_due(D(1966, 11, 22), "M", D(2026, 11, 22), 12, 60, 55) is None


def test_a_retirement_tomorrow_is_due():
    assert rules.retirement_due(D(1966, 11, 23), "M", D(2026, 11, 22), 12, 60, 55) == D(2026, 11, 23)


def test_men_and_women_retire_at_their_own_ages():
    assert rules.retirement_due(D(1971, 6, 1), "F", D(2026, 1, 1), 12, 60, 55) == D(2026, 6, 1)
    assert rules.retirement_due(D(1971, 6, 1), "M", D(2026, 1, 1), 12, 60, 55) is None
