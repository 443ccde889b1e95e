"""The competitions cast on top of the shared one: the 文体委员 who runs the matches, a 教职工
羽毛球比赛 with twelve players in three 工会小组, an API client."""

import datetime

import pytest
from django.utils import timezone

from jiaogong.accounts.services import create_api_token
from jiaogong.competitions import services
from jiaogong.factories import MemberFactory, UnionGroupFactory, UserFactory, grant

BASE = "/api/v1"
NAMES = ["李明", "王芳", "刘强", "陈静", "杨帆", "赵敏", "黄磊", "周婷", "吴刚", "徐丽", "孙涛", "马云"]


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def organiser(school_a):
    m = MemberFactory(org=school_a, name="文体委员")
    return grant(UserFactory(username="wenti_a", first_name="何文体", member=m), school_a, "sports_culture")


@pytest.fixture
def department_a(school_a):
    """A 职能部门 login: sees the school but not the activities."""
    return grant(UserFactory(username="office_a"), school_a, "department")


@pytest.fixture
def groups(school_a, group_a):
    return [group_a, *(UnionGroupFactory(org=school_a, name=n) for n in ("数学组", "英语组"))]


@pytest.fixture
def players(school_a, groups):
    return [MemberFactory(org=school_a, name=n, union_group=groups[i % 3]) for i, n in enumerate(NAMES)]


@pytest.fixture
def day():
    return datetime.date(2026, 10, 16)


@pytest.fixture
def make_competition(school_a, organiser, day):
    def _make(**kwargs):
        args = {
            "title": "2026年教职工羽毛球比赛",
            "sport": "羽毛球",
            "entry_kind": "individual",
            "starts_at": at(day, 14, 30),
            "ends_at": at(day, 17, 30),
            "location": "学校体育馆",
        } | kwargs
        return services.create_competition(actor=organiser, org=school_a, **args)

    return _make


@pytest.fixture
def badminton(make_competition, school_a, organiser, players):
    comp = make_competition()
    for p in players:
        services.add_entry(actor=organiser, org=school_a, competition=comp, members=[p.pk])
    return comp


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
