"""The pure 疗休养 rules: eligibility at every boundary, and the fair order of the queue."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from jiaogong.recuperation.rules import Entry, Facts, Params, add_years, eligible, order, queue_key

TODAY = datetime.date(2026, 11, 22)
DEFAULT = Params()


def facts(hired=datetime.date(2010, 9, 1), status="active", born=datetime.date(1985, 5, 20)):
    return Facts(status=status, hire_date=hired, birth_date=born)


def test_a_member_who_never_went_with_long_service_is_eligible_and_told_why():
    ok, reasons = eligible(facts(), None, DEFAULT, TODAY)
    assert ok
    assert reasons == ["从未参加过疗休养。", "工龄 16 年。"]


def test_exactly_three_years_since_the_last_time_is_eligible():
    ok, reasons = eligible(facts(), datetime.date(2023, 11, 22), DEFAULT, TODAY)
    assert ok
    assert reasons[0] == "上次参加是 2023-11-22，已满 3 年。"


def test_one_day_short_of_three_years_is_not_eligible_and_says_when():
    ok, reasons = eligible(facts(), datetime.date(2023, 11, 23), DEFAULT, TODAY)
    assert not ok
    assert reasons == ["上次参加疗休养是 2023-11-23，不满 3 年，2026-11-23 起可再申请。"]


def test_exactly_five_years_of_service_is_eligible():
    ok, _ = eligible(facts(hired=datetime.date(2021, 11, 22)), None, DEFAULT, TODAY)
    assert ok


def test_one_day_short_of_five_years_of_service_is_not_eligible():
    ok, reasons = eligible(facts(hired=datetime.date(2021, 11, 23)), None, DEFAULT, TODAY)
    assert not ok
    assert reasons == ["工龄 4 年，不足 5 年。"]


def test_no_hire_date_is_not_eligible_with_a_chinese_reason():
    ok, reasons = eligible(facts(hired=None), None, DEFAULT, TODAY)
    assert not ok
    assert reasons == ["会员档案未登记入职日期，无法计算工龄，请联系工会核实。"]


def test_retirees_are_not_eligible_by_default_but_may_be_by_parameter():
    assert eligible(facts(status="retired"), None, DEFAULT, TODAY) == (
        False,
        ["退休会员不在本年度疗休养范围内。"],
    )
    assert eligible(facts(status="retired"), None, Params(retirees_eligible=True), TODAY)[0]


def test_staff_not_on_the_roll_are_not_eligible():
    for status in ("applicant", "transferred", "deceased", "non_member"):
        ok, reasons = eligible(facts(status=status), None, DEFAULT, TODAY)
        assert not ok and reasons == ["只有在册会员可以申请疗休养。"]


def test_a_minimum_age_counts_only_when_set_and_exactly_that_age_is_enough():
    born = datetime.date(1986, 11, 22)  # 40 today
    assert eligible(facts(born=born), None, DEFAULT, TODAY)[0]
    assert eligible(facts(born=born), None, Params(min_age=40), TODAY)[0]
    assert eligible(facts(born=born), None, Params(min_age=41), TODAY) == (
        False,
        ["年龄 40 岁，未满 41 岁。"],
    )


def test_every_failing_condition_is_listed():
    ok, reasons = eligible(facts(hired=datetime.date(2024, 9, 1)), datetime.date(2025, 7, 1), DEFAULT, TODAY)
    assert not ok and len(reasons) == 2


def test_the_parameters_change_the_boundaries():
    params = Params(years_since_last=5, min_service_years=10)
    assert not eligible(facts(), datetime.date(2022, 7, 1), params, TODAY)[0]
    assert not eligible(facts(hired=datetime.date(2017, 9, 1)), None, params, TODAY)[0]


def test_a_last_time_on_29_february_is_counted_to_28_february():
    assert add_years(datetime.date(2024, 2, 29), 3) == datetime.date(2027, 2, 28)
    assert eligible(facts(), datetime.date(2024, 2, 29), DEFAULT, datetime.date(2027, 2, 28))[0]
    assert not eligible(facts(), datetime.date(2024, 2, 29), DEFAULT, datetime.date(2027, 2, 27))[0]


def at(day, hour=8):
    return datetime.datetime(2026, 11, day, hour, 0, tzinfo=datetime.UTC)


def test_the_queue_puts_never_been_first_then_longest_since_then_longest_service_then_earliest():
    entries = [
        Entry(1, datetime.date(2020, 7, 1), datetime.date(2000, 9, 1), at(1)),
        Entry(2, None, datetime.date(2015, 9, 1), at(5)),
        Entry(3, datetime.date(2018, 7, 1), datetime.date(2015, 9, 1), at(2)),
        Entry(4, None, datetime.date(2005, 9, 1), at(6)),
        Entry(5, None, datetime.date(2005, 9, 1), at(3)),
        Entry(6, None, None, at(1)),
    ]
    ranked = order(entries, TODAY)
    assert [e.application_id for _, e, _ in ranked] == [5, 4, 2, 6, 3, 1]
    assert [p for p, _, _ in ranked] == [1, 2, 3, 4, 5, 6]
    assert ranked[0][2].startswith("从未参加；工龄 21 年")
    assert ranked[3][2].startswith("从未参加；未登记入职日期")


def test_a_complete_tie_is_broken_by_the_application_id():
    same = (None, datetime.date(2005, 9, 1), at(3))
    assert [e.application_id for _, e, _ in order([Entry(9, *same), Entry(7, *same)], TODAY)] == [7, 9]


dates = st.one_of(st.none(), st.dates(datetime.date(1990, 1, 1), datetime.date(2026, 1, 1)))
entries = st.lists(
    st.builds(
        Entry,
        application_id=st.integers(1, 10_000),
        last_time=dates,
        hire_date=dates,
        applied_at=st.datetimes(datetime.datetime(2026, 1, 1), datetime.datetime(2026, 11, 1)),
    ),
    max_size=12,
    unique_by=lambda e: e.application_id,
)


@given(entries)
def test_the_order_does_not_depend_on_the_input_order_and_never_been_always_comes_first(items):
    forward = [e.application_id for _, e, _ in order(items, TODAY)]
    backward = [e.application_id for _, e, _ in order(list(reversed(items)), TODAY)]
    assert forward == backward
    flags = [e.last_time is not None for _, e, _ in order(items, TODAY)]
    assert flags == sorted(flags)
    keys = [queue_key(e) for _, e, _ in order(items, TODAY)]
    assert keys == sorted(keys)
