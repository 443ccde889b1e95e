"""The member registry's sources: birthdays and retirements ahead, with their recipients."""

import datetime

import pytest

from jiaogong.core.rules import set_org_value
from jiaogong.factories import MemberFactory, UserFactory, grant
from jiaogong.members import selectors as member_selectors
from jiaogong.members.models import Member
from jiaogong.notifications import member_sources, sources

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 11, 22)


@pytest.fixture
def staff(school_a, chair_a, welfare_a):
    organization = grant(UserFactory(username="zuzhi_a"), school_a, "organization")
    finance = grant(UserFactory(username="caiwu_a"), school_a, "finance")
    return {"chair": chair_a, "welfare": welfare_a, "organization": organization, "finance": finance}


def keys(items):
    return [i.key for i in items]


def test_both_sources_are_registered_by_the_app():
    assert member_sources.birthdays in sources.SOURCES
    assert member_sources.retirements in sources.SOURCES


def test_a_birthday_exactly_three_days_ahead_is_reminded(school_a, staff):
    m = MemberFactory(org=school_a, name="陈静", birth_date=D(1985, 11, 25))
    (i,) = member_sources.birthdays(school_a, TODAY)
    assert i.key == f"members.birthday:{m.pk}:2026-11-25"
    assert (i.kind, i.due_on, i.title) == ("birthdays", D(2026, 11, 25), "陈静11月25日过生日（41岁）")
    assert i.url == f"/o/{school_a.pk}/members/{m.pk}/"


def test_a_birthday_four_days_ahead_is_not_reminded_yet(school_a, staff):
    MemberFactory(org=school_a, birth_date=D(1985, 11, 26))
    assert member_sources.birthdays(school_a, TODAY) == []


def test_a_birthday_today_says_today(school_a, staff):
    MemberFactory(org=school_a, name="刘洋", birth_date=D(1990, 11, 22))
    assert member_sources.birthdays(school_a, TODAY)[0].title == "刘洋今天过生日（36岁）"


def test_the_number_of_days_ahead_is_a_rule_parameter(school_a, staff):
    MemberFactory(org=school_a, birth_date=D(1985, 11, 29))
    set_org_value(
        actor=staff["chair"], org=school_a, key="welfare.birthday_notice_days", text="7", source="校工会决定"
    )
    assert len(member_sources.birthdays(school_a, TODAY)) == 1


def test_more_than_sixty_days_ahead_is_read_as_sixty(school_a, staff):
    from jiaogong.core.errors import InvalidInput
    from jiaogong.core.models import RuleValue

    MemberFactory(org=school_a, birth_date=D(1985, 1, 20))  # 59 days ahead
    MemberFactory(org=school_a, birth_date=D(1985, 1, 22))  # 61 days ahead
    # The rules page refuses more than 60 (core/rule_bounds.py); a value stored before the bound
    # was declared is still read as 60.
    with pytest.raises(InvalidInput):
        set_org_value(
            actor=staff["chair"], org=school_a, key="welfare.birthday_notice_days", text="90", source="x"
        )
    RuleValue.objects.create(
        key="welfare.birthday_notice_days", scope="org", org=school_a, value=90, source="旧校规"
    )
    assert [i.due_on for i in member_sources.birthdays(school_a, TODAY)] == [D(2027, 1, 20)]


def test_a_29_february_birthday_is_reminded_for_28_february_in_a_non_leap_year(school_a, staff):
    m = MemberFactory(org=school_a, birth_date=D(1988, 2, 29))
    (i,) = member_sources.birthdays(school_a, D(2027, 2, 25))
    assert i.key == f"members.birthday:{m.pk}:2027-02-28"
    assert member_sources.birthdays(school_a, D(2027, 2, 24)) == []


def test_only_active_members_birthdays_are_reminded(school_a, staff):
    MemberFactory(org=school_a, birth_date=D(1960, 11, 23), status=Member.Status.RETIRED)
    MemberFactory(org=school_a, birth_date=D(1980, 11, 23), status=Member.Status.TRANSFERRED)
    assert member_sources.birthdays(school_a, TODAY) == []


def test_birthdays_go_to_the_chair_and_the_welfare_member_only(school_a, staff, member_a):
    MemberFactory(org=school_a, birth_date=D(1985, 11, 23))
    (i,) = member_sources.birthdays(school_a, TODAY)
    assert set(i.recipients) == {staff["chair"].pk, staff["welfare"].pk}


def test_another_schools_members_are_not_in_this_schools_items(school_a, school_b, staff):
    MemberFactory(org=school_b, birth_date=D(1985, 11, 23))
    assert member_sources.birthdays(school_a, TODAY) == []


def test_a_school_without_recipients_has_no_items(school_b):
    MemberFactory(org=school_b, birth_date=D(1985, 11, 23))
    assert member_sources.birthdays(school_b, TODAY) == []


def test_a_retirement_exactly_at_the_notice_edge_is_reminded(school_a, staff):
    # Women retire at 55; notice 12 months: 2026-11-22 + 12 months = 2027-11-22.
    m = MemberFactory(org=school_a, name="黄丽", gender="F", birth_date=D(1972, 11, 22))
    (i,) = member_sources.retirements(school_a, TODAY)
    assert i.key == f"members.retirement:{m.pk}:2027-11-22"
    assert (i.kind, i.due_on, i.title) == ("retirements", D(2027, 11, 22), "黄丽将于2027年11月22日到龄退休")


def test_a_retirement_one_day_past_the_notice_edge_is_not_reminded(school_a, staff):
    MemberFactory(org=school_a, gender="F", birth_date=D(1972, 11, 23))
    assert member_sources.retirements(school_a, TODAY) == []


def test_retirements_follow_the_retirement_age_parameters(school_a, staff):
    MemberFactory(org=school_a, gender="M", birth_date=D(1972, 3, 1))  # 55 next March
    assert member_sources.retirements(school_a, TODAY) == []
    set_org_value(
        actor=staff["chair"], org=school_a, key="members.retirement_age_male", text="55", source="测试"
    )
    assert len(member_sources.retirements(school_a, TODAY)) == 1


def test_retirements_are_the_registrys_retiring_list(school_a, staff):
    for birth, gender in [
        (D(1967, 1, 5), "M"),
        (D(1971, 12, 1), "F"),
        (D(1966, 11, 22), "M"),
        (D(1972, 6, 1), "F"),
    ]:
        MemberFactory(org=school_a, gender=gender, birth_date=birth)
    listed = member_selectors.members_for(staff["chair"], school_a, lst="retiring", today=TODAY)
    assert sorted(i.extra["member_id"] for i in member_sources.retirements(school_a, TODAY)) == sorted(
        m.pk for m in listed
    )


def test_retirements_go_to_the_chair_welfare_and_organization_members(school_a, staff):
    MemberFactory(org=school_a, gender="M", birth_date=D(1967, 1, 5))
    (i,) = member_sources.retirements(school_a, TODAY)
    assert set(i.recipients) == {staff["chair"].pk, staff["welfare"].pk, staff["organization"].pk}


def test_the_sources_cost_a_few_queries_whatever_the_school_size(
    school_a, staff, django_assert_max_num_queries
):
    for day in range(20):
        MemberFactory(org=school_a, birth_date=D(1980, 11, 22) + datetime.timedelta(days=day % 4))
        MemberFactory(org=school_a, gender="F", birth_date=D(1972, 1, 1) + datetime.timedelta(days=day * 10))
    with django_assert_max_num_queries(3):
        assert len(member_sources.birthdays(school_a, TODAY)) == 20
    with django_assert_max_num_queries(3):
        assert len(member_sources.retirements(school_a, TODAY)) == 20


def test_rule_values_reads_what_value_for_reads_at_every_level(school_a, school_b, staff):
    from jiaogong.core.models import RuleValue
    from jiaogong.core.rules import value_for

    keys = ("members.retirement_notice_months", "members.retirement_age_male", "welfare.birthday_notice_days")
    RuleValue.objects.create(
        key="members.retirement_age_male", scope="province", province="广西", value=62, source="t"
    )
    set_org_value(
        actor=staff["chair"], org=school_a, key="welfare.birthday_notice_days", text="5", source="t"
    )
    RuleValue.objects.filter(key="members.retirement_notice_months", scope="national").delete()
    for org in (school_a, school_b):
        assert member_sources.rule_values(org, *keys) == {k: value_for(org, k) for k in keys}
    assert member_sources.rule_values(school_a, *keys) == {
        "members.retirement_notice_months": 12,
        "members.retirement_age_male": 62,
        "welfare.birthday_notice_days": 5,
    }


@pytest.mark.parametrize("offset", [-400, -1, 0, 1, 2, 30, 364, 365, 366, 400])
def test_retirements_match_the_registry_list_around_every_edge(school_a, staff, offset):
    """Members reaching 55 (women) or 60 (men) around today and around the notice horizon."""
    horizon = D(2027, 11, 22)
    for base in (TODAY, horizon):
        when = base + datetime.timedelta(days=offset)
        for gender, age in (("F", 55), ("M", 60)):
            try:
                birth = when.replace(year=when.year - age)
            except ValueError:
                birth = when.replace(year=when.year - age, day=28)
            MemberFactory(org=school_a, gender=gender, birth_date=birth)
    MemberFactory(org=school_a, gender="F", birth_date=D(1972, 2, 29))
    listed = member_selectors.members_for(staff["chair"], school_a, lst="retiring", today=TODAY)
    assert sorted(i.extra["member_id"] for i in member_sources.retirements(school_a, TODAY)) == sorted(
        m.pk for m in listed
    )
