import datetime

import pytest

from jiaogong.checkups import services
from jiaogong.factories import MemberFactory, UserFactory, grant


@pytest.fixture
def welfare_a(school_a):
    return grant(UserFactory(username="shenghuo", first_name="李生活"), school_a, "welfare")


@pytest.fixture
def women_a(school_a):
    return grant(UserFactory(username="nvgong"), school_a, "women")


@pytest.fixture
def finance_a(school_a):
    return grant(UserFactory(username="caiwu"), school_a, "finance")


@pytest.fixture
def staff(school_a, group_a):
    """A woman and a man on the roll, a retired woman, a transferred woman, another school's woman."""
    return {
        "she": MemberFactory(org=school_a, name="陈静", gender="F", union_group=group_a),
        "he": MemberFactory(org=school_a, name="刘洋", gender="M"),
        "retired": MemberFactory(org=school_a, name="黄丽", gender="F", status="retired"),
        "gone": MemberFactory(org=school_a, name="周敏", gender="F", status="transferred"),
    }


@pytest.fixture
def day():
    return datetime.date.today()


def open_round(org, actor, day, **more):
    args = {
        "title": "2026年教职工健康体检",
        "kind": "checkup",
        "year": day.year,
        "starts_on": day - datetime.timedelta(days=10),
        "ends_on": day + datetime.timedelta(days=10),
        "provider": "县人民医院体检中心",
    } | more
    return services.create_round(actor=actor, org=org, **args)


@pytest.fixture
def round_a(school_a, welfare_a, staff, member_a, day):
    return open_round(school_a, welfare_a, day, cost_per_person="300")
