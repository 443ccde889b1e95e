"""A year (2026) of school A's records, built through the services where they exist, with school
B's records beside them (which must never be counted). `year_records` returns what was built, so
the tests count it by hand."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from jiaogong.factories import MemberFactory, UnionGroupFactory, UserFactory, congress_with_delegates, grant

YEAR = 2026
D = Decimal


def at(day: datetime.date, hour: int = 16, minute: int = 20) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour, minute))


@pytest.fixture
def auditor_a(school_a):
    return grant(UserFactory(username="auditor_a"), school_a, "auditor")


@pytest.fixture
def year_records(school_a, school_b, chair_a, member_a, group_a):
    from jiaogong.activities import services as activity_services
    from jiaogong.activities.models import Activity, Attendance
    from jiaogong.congress.models import Proposal
    from jiaogong.funds import services as funds_services
    from jiaogong.members.models import CommitteeSeat, CommitteeTerm, Member, MemberStatusChange
    from jiaogong.welfare import services as welfare_services

    group_b = UnionGroupFactory(org=school_a, name="数学组")
    # Members: member_a (张三) plus these; two women; one joined this year; one transferred out.
    li = MemberFactory(
        org=school_a, name="李芳", gender="F", union_group=group_a, joined_on=datetime.date(2010, 9, 1)
    )
    wang = MemberFactory(
        org=school_a, name="王敏", gender="F", union_group=group_b, joined_on=datetime.date(YEAR, 3, 1)
    )
    zhao = MemberFactory(
        org=school_a, name="赵强", gender="M", union_group=group_b, joined_on=datetime.date(2005, 9, 1)
    )
    gone = MemberFactory(
        org=school_a, name="钱调", gender="M", status="transferred", joined_on=datetime.date(2001, 9, 1)
    )
    MemberStatusChange.objects.create(
        org=school_a,
        member=gone,
        from_status="active",
        to_status="transferred",
        effective_on=datetime.date(YEAR, 8, 31),
        destination="县实验小学",
        recorded_by=chair_a,
    )
    term = CommitteeTerm.objects.create(
        org=school_a, body="union", number=3, elected_on=datetime.date(2024, 9, 10), years=5
    )
    CommitteeSeat.objects.create(
        org=school_a, term=term, member=li, position="chair", since=datetime.date(2024, 9, 10)
    )
    CommitteeSeat.objects.create(
        org=school_a, term=term, member=zhao, position="member", since=datetime.date(2024, 9, 10)
    )

    # 民主管理: one session in March with two delegates (new members: they count as members too).
    congress, delegates = congress_with_delegates(school_a, 2, opens_on=datetime.date(YEAR, 3, 10))
    proposer = delegates[0].member
    common = {
        "org": school_a,
        "congress": congress,
        "reasons": "理由",
        "measures": "措施",
        "proposer": proposer,
    }
    Proposal.objects.create(title="还在附议", state="awaiting_seconds", **common)  # not received yet
    Proposal.objects.create(
        title="改善教师食堂",
        state="rated",
        number=1,
        replied_on=datetime.date(YEAR, 5, 1),
        reply_code="A",
        rating="satisfied",
        submitted_at=at(datetime.date(YEAR, 3, 1)),
        **common,
    )
    Proposal.objects.create(
        title="增设教工活动室",
        state="replied",
        number=2,
        replied_on=datetime.date(YEAR, 5, 9),
        reply_code="B",
        submitted_at=at(datetime.date(YEAR, 3, 1)),
        **common,
    )
    Proposal.objects.create(
        title="校园绿化建议",
        kind="suggestion",
        state="submitted",
        submitted_at=at(datetime.date(YEAR, 3, 2)),
        **common,
    )

    # 送温暖: two visits (one with 500 元, one without money), one posted greeting batch.
    today = datetime.date(YEAR, 11, 20)
    visits = []
    for who, amount in ((li, "500"), (zhao, None)):
        event = welfare_services.report_event(
            actor=chair_a, org=school_a, member=who, kind="hospitalized", occurred_on=today, today=today
        )
        visits.append(
            welfare_services.record_visit(
                actor=chair_a,
                org=school_a,
                event=event,
                visited_on=today,
                visitors=[member_a.member.pk],
                form="cash" if amount else "",
                amount=amount,
                today=today,
            )
        )

    # 文体活动: two held activities and one planned; five attendance rows of three members.
    badminton = activity_services.create_activity(
        actor=chair_a,
        org=school_a,
        title="教职工羽毛球赛",
        kind="sports",
        starts_at=at(datetime.date(YEAR, 4, 10)),
        ends_at=at(datetime.date(YEAR, 4, 10), 17, 30),
    )
    friday = activity_services.create_activity(
        actor=chair_a,
        org=school_a,
        title="周五工会活动",
        kind="recreation",
        starts_at=at(datetime.date(YEAR, 9, 4)),
        ends_at=at(datetime.date(YEAR, 9, 4), 17, 0),
        rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=FR",
    )
    activity_services.create_activity(
        actor=chair_a,
        org=school_a,
        title="元旦联欢",
        kind="festival",
        starts_at=at(datetime.date(YEAR, 12, 30)),
        ends_at=at(datetime.date(YEAR, 12, 30), 18, 0),
    )
    Activity.objects.filter(pk__in=[badminton.pk, friday.pk]).update(status="held")
    present = [
        (badminton, datetime.date(YEAR, 4, 10), li),
        (badminton, datetime.date(YEAR, 4, 10), zhao),
        (friday, datetime.date(YEAR, 9, 4), li),
        (friday, datetime.date(YEAR, 9, 18), li),
        (friday, datetime.date(YEAR, 9, 18), member_a.member),
    ]
    for activity, day, who in present:
        Attendance.objects.create(
            org=school_a, activity=activity, occurs_on=day, member=who, method="manual", recorded_by=chair_a
        )

    # 经费: one income, two expenses and a reversal of one of them.
    funds_services.record_entry(
        actor=chair_a,
        org=school_a,
        date=datetime.date(YEAR, 2, 1),
        kind="income",
        category="拨缴经费收入",
        amount="10000",
        memo="拨缴经费",
    )
    sport = funds_services.record_entry(
        actor=chair_a,
        org=school_a,
        date=datetime.date(YEAR, 4, 10),
        kind="expense",
        category="职工活动支出",
        subcategory="文体活动",
        amount="1200",
        memo="羽毛球赛",
    )
    funds_services.record_entry(
        actor=chair_a,
        org=school_a,
        date=datetime.date(YEAR, 6, 1),
        kind="expense",
        category="业务支出",
        subcategory="培训",
        amount="300",
        memo="培训资料",
    )
    funds_services.reverse_entry(actor=chair_a, entry=sport, reason="金额有误")
    funds_services.record_entry(
        actor=chair_a,
        org=school_a,
        date=datetime.date(YEAR, 4, 12),
        kind="expense",
        category="职工活动支出",
        subcategory="文体活动",
        amount="1000",
        memo="羽毛球赛（更正）",
    )

    # School B: a member, an activity held with attendance, an expense: none of it is school A's.
    other = MemberFactory(org=school_b, name="外校")
    b_user = grant(UserFactory(username="chair_b_records"), school_b, "chair")
    b_act = activity_services.create_activity(
        actor=b_user,
        org=school_b,
        title="外校活动",
        kind="sports",
        starts_at=at(datetime.date(YEAR, 5, 1)),
        ends_at=at(datetime.date(YEAR, 5, 1), 17, 0),
    )
    Activity.objects.filter(pk=b_act.pk).update(status="held")
    Attendance.objects.create(
        org=school_b,
        activity=b_act,
        occurs_on=datetime.date(YEAR, 5, 1),
        member=other,
        method="manual",
        recorded_by=b_user,
    )
    funds_services.record_entry(
        actor=b_user,
        org=school_b,
        date=datetime.date(YEAR, 5, 1),
        kind="expense",
        category="职工活动支出",
        subcategory="文体活动",
        amount="999",
        memo="外校",
    )

    active = Member.objects.filter(org=school_a, status="active").count()
    return {
        "congress": congress,
        "visits": visits,
        "activities": [badminton, friday],
        "present": present,
        "active": active,
        "members": {"li": li, "wang": wang, "zhao": zhao, "gone": gone},
    }


@pytest.fixture
def api(client):
    """api(user) calls /api/v1/ with that user's bearer token; api() with no credentials."""
    from jiaogong.accounts.services import create_api_token
    from jiaogong.api.tests.conftest import ApiClient

    def _as(user=None):
        return ApiClient(client, create_api_token(user) if user is not None else None)

    return _as
