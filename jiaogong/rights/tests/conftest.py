"""The 维权 cast, on top of the shared one (school_a, chair_a, member_a, outsider_b):

- vice_chair, auditor, department (school A roles), women_rep (女工委员);
- three mediators (members with logins): on_case (sits on `case`), off_case (on the committee,
  not on the case), staff_rep; the committee chair is chair_a's member;
- applicant: a member with a login who brought `case`.
"""

import datetime

import pytest
from django.utils import timezone

from jiaogong.factories import MemberFactory, UserFactory, grant
from jiaogong.rights import services


@pytest.fixture
def day():
    return timezone.localdate()


def person(org, username, role, name):
    member = MemberFactory(org=org, name=name)
    return grant(UserFactory(username=username, first_name=name, member=member), org, role)


@pytest.fixture
def chair(school_a):
    return person(school_a, "zhuxi", "chair", "王主席")


@pytest.fixture
def vice_chair(school_a):
    return grant(UserFactory(username="fuzhuxi"), school_a, "vice_chair")


@pytest.fixture
def auditor(school_a):
    return person(school_a, "jingshen", "auditor", "钱经审")


@pytest.fixture
def department(school_a):
    return grant(UserFactory(username="zongwu"), school_a, "department")


@pytest.fixture
def on_case(school_a):
    return person(school_a, "tiaojie1", "member", "孙调解")


@pytest.fixture
def off_case(school_a):
    return person(school_a, "tiaojie2", "member", "周委员")


@pytest.fixture
def staff_rep(school_a):
    return person(school_a, "tiaojie3", "member", "吴代表")


@pytest.fixture
def applicant(school_a):
    return person(school_a, "shenqing", "member", "郑老师")


@pytest.fixture
def committee(school_a, chair, on_case, off_case, staff_rep, day):
    committee = services.form_committee(
        actor=chair,
        org=school_a,
        formed_on=day - datetime.timedelta(days=100),
        ends_on=day.replace(year=day.year + 2),
    )
    since = committee.formed_on
    seats = {
        "chair": services.add_seat(
            actor=chair, committee=committee, member=chair.member, side="union", is_chair=True, since=since
        ),
        "on": services.add_seat(
            actor=chair, committee=committee, member=on_case.member, side="staff", is_chair=False, since=since
        ),
        "off": services.add_seat(
            actor=chair,
            committee=committee,
            member=off_case.member,
            side="school",
            is_chair=False,
            since=since,
        ),
    }
    return committee, seats


@pytest.fixture
def seats(committee):
    return committee[1]


SECRET = "请求补发班主任津贴2400元"


@pytest.fixture
def case(school_a, chair, seats, applicant, day):
    return services.open_case(
        actor=chair,
        org=school_a,
        subject="pay",
        applied_on=day - datetime.timedelta(days=5),
        applicants=[applicant.member],
        respondent_text="学校",
        claim=SECRET,
        facts="春季学期津贴未发放。",
        mediators=[seats["chair"], seats["on"]],
    )


@pytest.fixture
def contract(school_a, chair, day):
    contract = services.create_contract(
        actor=chair,
        org=school_a,
        title="2026—2028年集体合同",
        signed_on=day - datetime.timedelta(days=200),
        starts_on=day - datetime.timedelta(days=200),
        ends_on=day - datetime.timedelta(days=201) + datetime.timedelta(days=365 * 3),
    )
    services.add_clause(actor=chair, contract=contract, chapter="pay", number=1, text="按时足额发放工资。")
    services.add_clause(actor=chair, contract=contract, chapter="hours", number=2, text="加班安排补休。")
    services.add_clause(
        actor=chair, contract=contract, chapter="women", number=3, topic="nursing", text="每天1小时哺乳时间。"
    )
    return contract
