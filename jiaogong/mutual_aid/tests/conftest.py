import datetime

import pytest

from jiaogong.factories import MemberFactory, UserFactory, grant
from jiaogong.mutual_aid import services


@pytest.fixture
def welfare_a(school_a):
    return grant(UserFactory(username="shenghuo"), school_a, "welfare")


@pytest.fixture
def finance_a(school_a):
    return grant(UserFactory(username="caiwu"), school_a, "finance")


@pytest.fixture
def women_a(school_a):
    return grant(UserFactory(username="nvgong"), school_a, "women")


@pytest.fixture
def day():
    return datetime.date.today()


@pytest.fixture
def staff(school_a):
    return {
        "she": MemberFactory(org=school_a, name="陈静", gender="F"),
        "retired": MemberFactory(org=school_a, name="黄丽", status="retired"),
    }


@pytest.fixture
def plan_a(school_a, welfare_a, day, staff, member_a):
    return services.create_plan(
        actor=welfare_a,
        org=school_a,
        name="职工住院医疗互助保障",
        year=day.year,
        premium="50",
        covers_from=day - datetime.timedelta(days=100),
        covers_to=day + datetime.timedelta(days=100),
    )


@pytest.fixture
def enrolled(plan_a, welfare_a):
    return services.enrol(actor=welfare_a, plan=plan_a)


@pytest.fixture
def claim_a(enrolled, plan_a, welfare_a, member_a, day):
    return services.submit_claim(
        actor=welfare_a,
        plan=plan_a,
        member=member_a.member,
        event_on=day,
        kind="hospital",
        amount_claimed="2000",
    )
