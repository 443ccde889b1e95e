import datetime

import pytest

from jiaogong.accounts.services import create_api_token
from jiaogong.clubs import services
from jiaogong.factories import MemberFactory, UserFactory, grant

BASE = "/api/v1"


@pytest.fixture
def finance_a(school_a):
    return grant(UserFactory(username="caiwu"), school_a, "finance")


@pytest.fixture
def sports_a(school_a):
    """The 文体委员: organises activities (activities.manage), does not approve budgets."""
    return grant(UserFactory(username="wenti"), school_a, "sports_culture")


@pytest.fixture
def vice_a(school_a):
    return grant(UserFactory(username="fuzhuxi"), school_a, "vice_chair")


def member_user(org, name, username):
    return grant(UserFactory(username=username, member=MemberFactory(org=org, name=name)), org, "member")


@pytest.fixture
def li_a(school_a):
    return member_user(school_a, "李四", "lisi")


@pytest.fixture
def zhao_a(school_a):
    return member_user(school_a, "赵六", "zhaoliu")


@pytest.fixture
def club_a(school_a, sports_a):
    return services.create_club(
        actor=sports_a, org=school_a, name="教师书画社", description="书法、国画，每周三活动。"
    )


@pytest.fixture
def members_in(club_a, member_a, li_a, zhao_a):
    """张三, 李四 and 赵六 joined the club themselves."""
    for user in (member_a, li_a, zhao_a):
        services.join(actor=user, club=club_a, member=user.member)
    return {"zhang": member_a, "li": li_a, "zhao": zhao_a}


@pytest.fixture
def led_club(club_a, members_in, chair_a, sports_a):
    """李四 elected leader by two votes to one, confirmed by the chair."""
    election = services.open_election(actor=sports_a, club=club_a)
    li = members_in["li"].member
    for user, candidate in (("zhang", li), ("li", li), ("zhao", members_in["zhao"].member)):
        services.cast_vote(
            actor=members_in[user],
            election=election,
            voter=members_in[user].member,
            candidate_id=candidate.pk,
        )
    services.confirm_election(actor=chair_a, election=election)
    club_a.refresh_from_db()
    return club_a


LINES = [{"item": "宣纸、墨汁", "amount": "800"}, {"item": "外请书法老师讲座", "amount": "1200"}]


@pytest.fixture
def budget_a(led_club, members_in):
    return services.request_budget(
        actor=members_in["li"], club=led_club, year=2026, lines=LINES, note="全年活动"
    )


@pytest.fixture
def approved_a(budget_a, chair_a):
    return services.approve_budget(actor=chair_a, budget=budget_a, amount="1500", reason="讲座费按 700 元")


@pytest.fixture
def day():
    return datetime.date(2026, 11, 20)


@pytest.fixture
def frozen(monkeypatch, day):
    """Today is 2026-11-22 for the ledger's "no future vouchers" rule."""
    import django.utils.timezone as tz

    real = tz.localdate

    def fake(value=None, timezone=None):
        return datetime.date(2026, 11, 22) if value is None else real(value, timezone)

    monkeypatch.setattr(tz, "localdate", fake)
    return day


class ApiClient:
    def __init__(self, client, token):
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path, data=None):
        return self.client.get(BASE + path, data, headers=self.headers)

    def post(self, path, data=None):
        return self.client.post(BASE + path, data, headers=self.headers, content_type="application/json")


@pytest.fixture
def api(client):
    def _as(user=None):
        return ApiClient(client, create_api_token(user) if user is not None else None)

    return _as
