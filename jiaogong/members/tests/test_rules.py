"""The pure rules of the registry: masking, ID numbers, pinyin, ages, lists, committee size."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiaogong.factories import make_id_number
from jiaogong.members import rules

dates = st.dates(min_value=datetime.date(1940, 1, 1), max_value=datetime.date(2030, 12, 31))


def test_id_number_is_masked_to_its_region_code():
    # Not API.md's old example (330102********1234): the last four with the birth year rebuilt the
    # ID (members/privacy.py counts why).
    assert rules.mask_id_number("330102199001011234") == "330102************"


def test_phone_is_masked_as_in_the_api_contract():
    assert rules.mask_phone("13812345678") == "138****5678"


def test_empty_values_mask_to_empty():
    assert rules.mask_id_number("") == "" and rules.mask_phone("") == ""


@given(st.text(alphabet="0123456789X", min_size=11, max_size=18))
def test_masking_shows_the_region_only_and_keeps_the_length(value):
    masked = rules.mask_id_number(value)
    assert len(masked) == len(value)
    assert masked[:6] == value[:6]
    assert set(masked[6:]) == {"*"}


@given(
    birth=st.dates(min_value=datetime.date(1950, 1, 1), max_value=datetime.date(2005, 12, 31)),
    gender=st.sampled_from("MF"),
    seq=st.integers(0, 400),
)
def test_generated_id_numbers_pass_the_checksum_and_carry_birth_and_gender(birth, gender, seq):
    number = make_id_number(birth, gender, seq)
    assert rules.clean_id_number(number) == number
    assert rules.birth_date_from_id(number) == birth
    assert rules.gender_from_id(number) == gender


def test_a_wrong_check_digit_is_refused_in_chinese():
    good = make_id_number(datetime.date(1990, 3, 7), "M", 12)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(ValueError, match="校验位"):
        rules.clean_id_number(bad)


@pytest.mark.parametrize("value", ["12345", "1101011990030712", "11010119900307123Y", "abcdefghijklmnopqr"])
def test_malformed_id_numbers_are_refused(value):
    with pytest.raises(ValueError, match="18位"):
        rules.clean_id_number(value)


def test_lower_case_x_is_accepted_and_normalised():
    number = next(
        make_id_number(datetime.date(1980, 1, 1), "F", s)
        for s in range(500)
        if make_id_number(datetime.date(1980, 1, 1), "F", s).endswith("X")
    )
    assert rules.clean_id_number(number.lower()) == number


@pytest.mark.parametrize(
    ("value", "expected"), [("138 1234 5678", "13812345678"), ("+8613812345678", "13812345678"), ("", "")]
)
def test_phones_are_normalised(value, expected):
    assert rules.clean_phone(value) == expected


@pytest.mark.parametrize("value", ["12345678901", "1381234567", "phone"])
def test_bad_phones_are_refused(value):
    with pytest.raises(ValueError, match="手机号"):
        rules.clean_phone(value)


@pytest.mark.parametrize(
    ("name", "full", "initials"),
    [
        ("张三", "zhangsan", "zs"),
        ("吕晓", "lvxiao", "lx"),
        ("单丽", "shanli", "sl"),
        ("曾明", "zengming", "zm"),
        ("欧阳修", "ouyangxiu", "oyx"),
    ],
)
def test_pinyin_of_names_uses_surname_readings(name, full, initials):
    assert rules.pinyin_of(name) == (full, initials)


@pytest.mark.parametrize("q", ["zs", "ZS", "zhang", "zhangsan", "hangs", "张", "张三", " z s "])
def test_zhang_san_is_found_by_name_pinyin_or_initials(q):
    assert rules.name_matches("张三", q)


@pytest.mark.parametrize("q", ["ls", "sz", "李", "zhangsi"])
def test_zhang_san_is_not_found_by_other_queries(q):
    assert not rules.name_matches("张三", q)


@given(dates, dates)
def test_age_is_whole_years_and_never_decreases(birth, today):
    if today < birth:
        return
    age = rules.age_on(birth, today)
    assert age >= 0
    assert rules.add_years(birth, age) <= today
    assert rules.add_years(birth, age + 1) > today


def test_age_turns_on_the_birthday():
    birth = datetime.date(1991, 11, 22)
    assert rules.age_on(birth, datetime.date(2026, 11, 21)) == 34
    assert rules.age_on(birth, datetime.date(2026, 11, 22)) == 35


def test_youth_means_younger_than_the_parameter():
    today = datetime.date(2026, 11, 22)
    assert rules.is_youth(datetime.date(1991, 11, 23), today, 35)
    assert not rules.is_youth(datetime.date(1991, 11, 22), today, 35)


def test_a_leap_day_birth_reaches_its_age_on_28_february():
    assert rules.retirement_date(datetime.date(1968, 2, 29), "F", 60, 55) == datetime.date(2023, 2, 28)
    assert rules.retirement_date(datetime.date(1968, 2, 29), "M", 60, 55) == datetime.date(2028, 2, 29)


def test_service_years_count_completed_years_and_thirty_years_qualify():
    today = datetime.date(2026, 9, 1)
    assert rules.service_years(datetime.date(1996, 9, 1), today) == 30
    assert rules.service_years(datetime.date(1996, 9, 2), today) == 29
    assert rules.service_years(None, today) is None


def test_retirement_age_depends_on_gender():
    birth = datetime.date(1971, 6, 1)
    assert rules.retirement_date(birth, "F", 60, 55) == datetime.date(2026, 6, 1)
    assert rules.retirement_date(birth, "M", 60, 55) == datetime.date(2031, 6, 1)


@given(birth=dates, today=dates, months=st.integers(0, 36), gender=st.sampled_from("MF"))
def test_retires_within_matches_its_definition(birth, today, months, gender):
    when = rules.retirement_date(birth, gender, 60, 55)
    expected = today < when <= rules.add_months(today, months)
    assert rules.retires_within(birth, gender, today, months, 60, 55) == expected


@given(d=dates, months=st.integers(0, 120))
def test_add_months_lands_in_the_right_month_and_never_overflows(d, months):
    out = rules.add_months(d, months)
    assert (out.year * 12 + out.month) - (d.year * 12 + d.month) == months
    assert out.day <= d.day


TABLE = [[10, 1, 1], [25, 3, 3], [100, 3, 5], [200, 5, 7], [500, 7, 9], [1000, 9, 15]]


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        (1, (1, 1)),
        (10, (1, 1)),
        (11, (3, 3)),
        (25, (3, 3)),
        (26, (3, 5)),
        (100, (3, 5)),
        (101, (5, 7)),
        (200, (5, 7)),
        (201, (7, 9)),
        (500, (7, 9)),
        (501, (9, 15)),
        (1000, (9, 15)),
        (5000, (9, 15)),
    ],
)
def test_committee_size_follows_the_member_count_table(members, expected):
    assert rules.committee_size_range(members, TABLE) == expected


def _warnings(**overrides):
    args = dict(
        member_count=60,
        union_seats=5,
        has_union_term=True,
        women_members=30,
        has_women_committee=True,
        size_table=TABLE,
        committee_required_members=25,
        women_committee_min_women=10,
        audit_conflicts=[],
        has_audit_committee=True,
    )
    args.update(overrides)
    return rules.committee_warnings(**args)


def test_a_well_formed_union_has_no_warnings():
    assert _warnings() == []


def test_too_many_committee_members_is_warned():
    assert any("3–5" in w for w in _warnings(union_seats=7))


def test_a_union_of_25_members_without_committee_is_warned():
    assert any("第十一条" in w for w in _warnings(member_count=25, has_union_term=False))
    assert _warnings(member_count=24, has_union_term=False, women_members=5) == []


def test_women_committee_is_required_at_the_threshold():
    assert any("女职工委员会" in w for w in _warnings(women_members=10, has_women_committee=False))
    assert not any("女职工委员会" in w for w in _warnings(women_members=9, has_women_committee=False))


def test_an_auditor_who_is_chair_is_warned_by_name():
    assert any("王芳" in w and "第四十五条" in w for w in _warnings(audit_conflicts=["王芳"]))


@pytest.mark.parametrize(
    ("current", "new", "ok"),
    [
        ("applicant", "active", True),
        ("active", "retired", True),
        ("active", "transferred", True),
        ("retired", "deceased", True),
        ("deceased", "active", False),
        ("transferred", "retired", False),
    ],
)
def test_status_transitions(current, new, ok):
    assert rules.can_change_status(current, new) is ok


@pytest.mark.parametrize("post", ["会计", "出纳员", "财务室主任", "物资保管员"])
def test_money_handling_posts_are_recognised(post):
    assert rules.handles_money(post)
