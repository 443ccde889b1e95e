"""The hardship cast: school A's welfare member, group leader and finance member, a teacher with
a family in hardship, and a file for her."""

import pytest

from jiaogong.factories import MemberFactory, UserFactory, grant
from jiaogong.hardship import services


@pytest.fixture
def welfare(school_a):
    return grant(UserFactory(username="welfare_a", first_name="李生活"), school_a, "welfare")


@pytest.fixture
def leader(school_a):
    return grant(UserFactory(username="leader_a", first_name="赵组长"), school_a, "group_leader")


@pytest.fixture
def finance(school_a):
    return grant(UserFactory(username="finance_a", first_name="刘会计"), school_a, "finance")


@pytest.fixture
def teacher(school_a, group_a):
    return MemberFactory(org=school_a, name="陈静", union_group=group_a, gender="F")


def figures(**overrides) -> dict:
    """A family of 3 with 30,000 a year and 6,000 of medical costs: (30000 − 6000) / 12 / 3 = 666.67
    per person a month, below a 低保 of 800: deep."""
    return {
        "household_size": 3,
        "annual_income": "30000",
        "rigid_expenses": "6000",
        "hardship_costs": "0",
        "dibao_monthly": "800",
    } | overrides


@pytest.fixture
def make_file(school_a, welfare):
    def _make(member, **overrides):
        return services.create_file(actor=welfare, org=school_a, member=member, **figures(**overrides))

    return _make


@pytest.fixture
def a_file(make_file, teacher):
    return make_file(teacher, causes=["illness", "schooling"], health="乳腺癌术后化疗")


@pytest.fixture
def api(client):
    """api(user).get/post(path, body): /api/v1 with that user's bearer token."""
    from jiaogong.accounts.services import create_api_token

    class Api:
        def __init__(self, token):
            self.headers = {"Authorization": f"Bearer {token}"}

        def get(self, path, data=None):
            return client.get("/api/v1" + path, data, headers=self.headers)

        def post(self, path, data=None):
            return client.post("/api/v1" + path, data, content_type="application/json", headers=self.headers)

    return lambda user: Api(create_api_token(user))
