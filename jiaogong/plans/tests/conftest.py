"""The plans cast on top of the shared one: a plan of school A with sections and a schedule, an
activity, a congress session and a greeting batch to link to, and an API client."""

import datetime

import pytest
from django.utils import timezone

from jiaogong.accounts.services import create_api_token
from jiaogong.activities.models import Activity
from jiaogong.factories import UserFactory, grant
from jiaogong.plans import services
from jiaogong.welfare.models import GreetingBatch

BASE = "/api/v1"


def aware(day: datetime.date, hour: int = 16, minute: int = 20) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@pytest.fixture
def sports_a(school_a):
    """The 文体委员: a committee member who runs activities but does not write the plan."""
    return grant(UserFactory(username="sports_a"), school_a, "sports_culture")


@pytest.fixture
def plan(school_a, chair_a):
    """2026—2027学年 plan: two sections, 9月 (two items), 10月, 第一季度, 第3周, 时间待定."""
    p = services.create_plan(
        actor=chair_a,
        org=school_a,
        title="2026—2027学年工会工作计划",
        kind="school_year",
        year=2026,
        starts_on=datetime.date(2026, 9, 1),
        guidance="以党的精神为指导，团结全校教职工。",
    )
    services.add_section(actor=chair_a, plan=p, title="加强民主管理", text="1、开好教代会。")
    services.add_section(actor=chair_a, plan=p, title="丰富文体活动", text="1、举办羽毛球比赛。")
    for kind, start, text in [
        ("month", 9, "庆祝教师节"),
        ("month", 9, "制定工会工作计划"),
        ("month", 10, "教职工乒乓球比赛"),
        ("quarter", 1, "春节送温暖活动"),
        ("week", 3, "学习《教师法》"),
        ("", None, "筹备第二届第二次教代会"),
    ]:
        services.add_item(actor=chair_a, plan=p, text=text, period_kind=kind, period_start=start)
    return p


def item_of(plan, text):
    return plan.items.get(text=text)


@pytest.fixture
def make_activity(school_a, chair_a):
    def _make(day: datetime.date, title="庆祝教师节联欢会", status="planned", org=None):
        return Activity.objects.create(
            org=org or school_a,
            title=title,
            kind="festival",
            starts_at=aware(day),
            ends_at=aware(day, 17, 0),
            status=status,
            created_by=chair_a,
        )

    return _make


@pytest.fixture
def make_batch(school_a, chair_a):
    def _make(day: datetime.date, status="draft", org=None):
        return GreetingBatch.objects.create(
            org=org or school_a,
            kind="festival",
            festival="春节",
            year=day.year,
            title="春节慰问",
            item="大米、食用油",
            form="goods",
            given_on=day,
            status=status,
            created_by=chair_a,
        )

    return _make


class ApiClient:
    def __init__(self, client, token):
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path, data=None):
        return self.client.get(BASE + path, data, headers=self.headers)

    def post(self, path, data=None):
        return self.client.post(BASE + path, data, headers=self.headers, content_type="application/json")

    def delete(self, path):
        return self.client.delete(BASE + path, headers=self.headers)


@pytest.fixture
def api(client):
    def _as(user=None):
        return ApiClient(client, create_api_token(user) if user is not None else None)

    return _as
