"""The activities cast on top of the shared one: the 文体委员 who organises (with a member record),
the finance member, colleagues in two 工会小组, a pinned clock, small photos and an API client."""

import datetime
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jiaogong.accounts.services import create_api_token
from jiaogong.activities import services
from jiaogong.factories import MemberFactory, UnionGroupFactory, UserFactory, grant

BASE = "/api/v1"


def at(y, m, d, hh=0, mm=0) -> datetime.datetime:
    """A wall-clock time in the school's zone (Asia/Shanghai)."""
    return timezone.make_aware(datetime.datetime(y, m, d, hh, mm))


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def clock(monkeypatch):
    """clock(datetime) pins timezone.now() for the services and the views."""

    def _set(when: datetime.datetime):
        monkeypatch.setattr(timezone, "now", lambda: when)
        return when

    _set(at(2026, 9, 1, 9, 0))
    return _set


@pytest.fixture
def organiser_a(school_a, group_a):
    m = MemberFactory(org=school_a, name="赵文体", union_group=group_a)
    return grant(UserFactory(username="sports_a", first_name="赵文体", member=m), school_a, "sports_culture")


@pytest.fixture
def finance_a(school_a):
    m = MemberFactory(org=school_a, name="钱财务")
    return grant(UserFactory(username="finance_a", first_name="钱财务", member=m), school_a, "finance")


@pytest.fixture
def math_group(school_a):
    return UnionGroupFactory(org=school_a, name="数学组")


def member_user(org, name, group=None, role="member", **kwargs):
    m = MemberFactory(org=org, name=name, union_group=group, **kwargs)
    return grant(UserFactory(member=m), org, role)


@pytest.fixture
def make_activity(school_a, organiser_a):
    """make_activity(**fields): an activity created through the service (defaults: a single 文体比赛
    on 2026-09-18 16:20–17:00)."""

    def _make(org=None, actor=None, **fields):
        values = {
            "title": "教职工羽毛球赛",
            "kind": "sports",
            "starts_at": at(2026, 9, 18, 16, 20),
            "ends_at": at(2026, 9, 18, 17, 0),
        }
        values.update(fields)
        return services.create_activity(actor=actor or organiser_a, org=org or school_a, **values)

    return _make


@pytest.fixture
def biweekly(make_activity):
    """The union activity: every other Friday 16:20–17:00 from 2026-09-04 to 2027-01-15, not on 10-02."""
    return make_activity(
        title="工会活动（每两周周五）",
        kind="recreation",
        starts_at=at(2026, 9, 4, 16, 20),
        ends_at=at(2026, 9, 4, 17, 0),
        rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=FR;UNTIL=20270115",
        skip_dates=["2026-10-02"],
        location="学校操场",
    )


def _png(width=2, height=2) -> bytes:
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def png():
    return lambda name="photo.png": SimpleUploadedFile(name, _png(), content_type="image/png")


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
    """api(user) → a client with the user's bearer token (api() has none)."""

    def _as(user=None):
        return ApiClient(client, create_api_token(user) if user is not None else None)

    return _as
