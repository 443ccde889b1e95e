import datetime

import pytest

from jiaogong.factories import MemberFactory, UserFactory, grant
from jiaogong.recuperation import services


@pytest.fixture
def welfare_a(school_a):
    return grant(UserFactory(username="shenghuo_a", first_name="李委员"), school_a, "welfare")


@pytest.fixture
def plan_a(school_a, welfare_a, today):
    return services.create_plan(
        actor=welfare_a,
        org=school_a,
        year=today.year,
        quota=2,
        opens_on=today - datetime.timedelta(days=10),
        closes_on=today + datetime.timedelta(days=10),
        destination="桂林阳朔",
    )


@pytest.fixture
def veteran(school_a, group_a):
    """A member with 10 years of service who has never been."""

    def make(name, hired=datetime.date(2010, 9, 1), **kw):
        return MemberFactory(org=school_a, name=name, union_group=group_a, hire_date=hired, **kw)

    return make


@pytest.fixture
def member_a(school_a, group_a):
    """The shared member_a, with a hire date long ago (eligible)."""
    m = MemberFactory(org=school_a, name="张三", union_group=group_a, hire_date=datetime.date(2008, 9, 1))
    return grant(UserFactory(username="member_a", member=m), school_a, "member")


@pytest.fixture
def today():
    """The pages use the real date: so do these tests."""
    from django.utils import timezone

    return timezone.localdate()
