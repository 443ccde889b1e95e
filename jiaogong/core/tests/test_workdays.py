"""Working days for 公示 periods (RULES.md §5): chinese-calendar 1.11.0's table, the admin's overrides,
and Monday–Friday for years the table does not know.

The 2026 dates below follow the State Council's 2026 schedule: 中秋节 25 September
(Friday) off with the weekend; 国庆节 1–7 October off, Sunday 20 September and Saturday 10 October
are 调休 make-up working days. The expected end dates are counted by hand in each test's comment.
"""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jiaogong.core.models import AuditEvent, Holiday
from jiaogong.core.selectors import last_working_day as last_working_day_with_table
from jiaogong.core.selectors import overrides
from jiaogong.core.workdays import is_working_day, last_working_day
from jiaogong.factories import UserFactory

D = datetime.date


def test_the_shipped_table_knows_the_2026_national_day_holiday_and_its_make_up_days():
    assert not any(is_working_day(D(2026, 10, day)) for day in range(1, 8))
    assert is_working_day(D(2026, 9, 20))  # Sunday, 调休上班
    assert is_working_day(D(2026, 10, 10))  # Saturday, 调休上班
    assert not is_working_day(D(2026, 9, 25))  # Friday, 中秋节
    assert not is_working_day(D(2026, 10, 11))  # an ordinary Sunday


def test_a_notice_across_national_day_skips_the_holiday_and_counts_the_make_up_saturday():
    # 30 Sep (1), 1–7 Oct off, 8 Oct (2), 9 Oct (3), Sat 10 Oct make-up (4), Sun 11 off, Mon 12 Oct (5).
    assert last_working_day(D(2026, 9, 30), 5) == D(2026, 10, 12)


def test_a_five_day_notice_from_the_monday_before_national_day_ends_on_9_october():
    # 28 (1), 29 (2), 30 Sep (3), 1–7 Oct off, 8 Oct (4), 9 Oct (5).
    assert last_working_day(D(2026, 9, 28), 5) == D(2026, 10, 9)


def test_a_seven_day_notice_across_mid_autumn_and_national_day_ends_on_the_make_up_saturday():
    # Thu 24 Sep (1), 25–27 off (中秋), 28 (2), 29 (3), 30 (4), 1–7 Oct off, 8 (5), 9 (6), Sat 10 Oct (7).
    assert last_working_day(D(2026, 9, 24), 7) == D(2026, 10, 10)


def test_the_make_up_sunday_before_national_day_is_counted():
    # Fri 18 Sep (1), Sat 19 off, Sun 20 Sep make-up (2), Mon 21 (3) — not Tue 22.
    assert last_working_day(D(2026, 9, 18), 3) == D(2026, 9, 21)
    # Starting on the Saturday: the make-up Sunday is the first working day.
    assert last_working_day(D(2026, 9, 19), 1) == D(2026, 9, 20)


def test_a_start_on_a_holiday_is_not_counted():
    # 1 Oct off, so counting begins on 8 Oct (1), 9 (2), Sat 10 (3), Mon 12 (4), Tue 13 (5).
    assert last_working_day(D(2026, 10, 1), 5) == D(2026, 10, 13)
    assert last_working_day(D(2026, 10, 1), 1) == D(2026, 10, 8)


def test_a_start_on_a_working_day_counts_it():
    assert last_working_day(D(2026, 10, 8), 1) == D(2026, 10, 8)


def test_overrides_make_a_weekday_a_holiday_and_a_saturday_a_working_day():
    # A made-up correction in November 2026: Mon 16 Nov off, Sat 21 Nov working.
    table = {D(2026, 11, 16): False, D(2026, 11, 21): True}
    assert not is_working_day(D(2026, 11, 16), table)
    assert is_working_day(D(2026, 11, 21), table)
    # Fri 13 Nov (1), Mon 16 off, 17 (2), 18 (3), 19 (4), 20 (5), Sat 21 (6).
    assert last_working_day(D(2026, 11, 13), 6, table) == D(2026, 11, 21)
    # Without the table: 13 (1), 16 (2), 17 (3), 18 (4), 19 (5), 20 (6).
    assert last_working_day(D(2026, 11, 13), 6) == D(2026, 11, 20)


def test_a_year_unknown_to_the_library_counts_monday_to_friday():
    # 2027 is not in chinese-calendar 1.11.0: Fri 1 Jan 2027 counts, the weekend does not.
    assert is_working_day(D(2027, 1, 1))
    assert not is_working_day(D(2027, 1, 2))
    # Thu 31 Dec 2026 (1), Fri 1 Jan (2), 2–3 weekend, Mon 4 Jan (3).
    assert last_working_day(D(2026, 12, 31), 3) == D(2027, 1, 4)


def test_a_year_unknown_to_the_library_uses_the_override_table():
    # An admin's (illustrative) entries: Fri 1 Jan 2027 元旦 off, Sat 9 Jan 2027 a make-up working day.
    table = {D(2027, 1, 1): False, D(2027, 1, 9): True}
    # Thu 31 Dec 2026 (1), 1 Jan off, 2–3 weekend, Mon 4 Jan (2), Tue 5 Jan (3).
    assert last_working_day(D(2026, 12, 31), 3, table) == D(2027, 1, 5)
    # Thu 7 Jan (1), Fri 8 (2), Sat 9 make-up (3).
    assert last_working_day(D(2027, 1, 7), 3, table) == D(2027, 1, 9)


@pytest.mark.parametrize("days", [0, -1, -30])
def test_fewer_than_one_day_is_refused_in_chinese(days):
    with pytest.raises(ValueError, match="至少为 1 个工作日"):
        last_working_day(D(2026, 10, 8), days)


def test_a_non_integer_count_is_refused():
    with pytest.raises(ValueError, match="整数"):
        last_working_day(D(2026, 10, 8), 2.5)


# ---- properties -----------------------------------------------------------------------------------

starts = st.dates(min_value=D(2003, 6, 1), max_value=D(2028, 12, 31))
counts = st.integers(min_value=1, max_value=80)
tables = st.dictionaries(
    st.dates(min_value=D(2003, 6, 1), max_value=D(2029, 12, 31)), st.booleans(), max_size=30
)


def count_working_days(first, last, table):
    days = (last - first).days + 1
    return sum(is_working_day(first + datetime.timedelta(days=i), table) for i in range(days))


@settings(max_examples=200, deadline=None)
@given(start=starts, days=counts, table=tables)
def test_the_end_is_a_working_day_and_closes_exactly_n_working_days(start, days, table):
    end = last_working_day(start, days, table)
    assert end >= start
    assert is_working_day(end, table)
    assert count_working_days(start, end, table) == days


@settings(max_examples=200, deadline=None)
@given(start=starts, days=counts, table=tables)
def test_one_more_day_of_notice_ends_strictly_later(start, days, table):
    assert last_working_day(start, days + 1, table) > last_working_day(start, days, table)


# ---- the admin's table ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_selector_reads_the_admin_table_within_the_dates():
    Holiday.objects.create(date=D(2027, 1, 1), is_working_day=False, name="2027年元旦")
    Holiday.objects.create(date=D(2027, 1, 9), is_working_day=True, name="调休上班")
    Holiday.objects.create(date=D(2027, 2, 10), is_working_day=False, name="2027年春节")
    assert overrides(D(2027, 1, 1), D(2027, 1, 31)) == {D(2027, 1, 1): False, D(2027, 1, 9): True}
    assert last_working_day_with_table(D(2026, 12, 31), 3) == D(2027, 1, 5)


@pytest.mark.django_db
def test_days_off_beyond_the_first_window_are_still_read():
    # 1 working day from Mon 4 Jan 2027 reads 4 Jan – 6 Mar first; make all of it and more days off.
    first = D(2027, 1, 4)
    Holiday.objects.bulk_create(
        Holiday(date=first + datetime.timedelta(days=i), is_working_day=False, name="测试") for i in range(80)
    )
    # 4 Jan + 80 days = Thu 25 Mar 2027, the first day not in the table (a weekday).
    assert last_working_day_with_table(first, 1) == D(2027, 3, 25)


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.mark.django_db
def test_an_admin_enters_next_years_day_and_it_is_recorded(client, superuser):
    client.force_login(superuser)
    response = client.post(
        "/admin/core/holiday/add/",
        {"date": "2027-02-06", "is_working_day": "on", "name": "调休上班", "note": "国务院办公厅通知"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    day = Holiday.objects.get()
    assert day.is_working_day and day.updated_by == superuser
    event = AuditEvent.objects.get(action="core.holiday.create")
    assert event.actor == superuser and event.changes["date"] == [None, "2027-02-06"]


@pytest.mark.django_db
def test_the_admin_list_filters_by_year(client, superuser):
    Holiday.objects.create(date=D(2027, 2, 10), is_working_day=False, name="2027年春节")
    Holiday.objects.create(date=D(2028, 1, 1), is_working_day=False, name="2028年元旦")
    client.force_login(superuser)
    page = client.get("/admin/core/holiday/", {"year": "2027"}).content.decode()
    assert "2027年春节" in page and "2028年元旦" not in page
    assert "节假日与调休（覆盖内置表）" in client.get("/admin/").content.decode()
