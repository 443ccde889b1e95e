"""The welfare cast on top of the shared one: the welfare member (生活委员), the 语文组 group leader,
a colleague in hospital, a committee member; an API client; small photos."""

import datetime
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jiaogong.accounts.services import create_api_token
from jiaogong.factories import MemberFactory, UnionGroupFactory, UserFactory, grant
from jiaogong.members.models import CommitteeSeat, CommitteeTerm, GroupLeader, Member

BASE = "/api/v1"


@pytest.fixture
def welfare_a(school_a, group_a):
    m = MemberFactory(org=school_a, name="刘生活", union_group=group_a)
    return grant(UserFactory(username="welfare_a", first_name="刘生活", member=m), school_a, "welfare")


@pytest.fixture
def leader_a(school_a, group_a):
    m = MemberFactory(org=school_a, name="陈组长", union_group=group_a)
    GroupLeader.objects.create(org=school_a, group=group_a, member=m, elected_on=datetime.date(2024, 9, 10))
    return grant(UserFactory(username="leader_a", first_name="陈组长", member=m), school_a, "group_leader")


@pytest.fixture
def colleague(school_a, group_a):
    return MemberFactory(org=school_a, name="李老师", union_group=group_a)


@pytest.fixture
def committee_member(school_a):
    """A member of the open 工会委员会 term (no login)."""
    term = CommitteeTerm.objects.create(
        org=school_a, body="union", number=3, elected_on=datetime.date(2024, 9, 10), years=5
    )
    m = MemberFactory(org=school_a, name="周委员", union_group=UnionGroupFactory(org=school_a, name="数学组"))
    CommitteeSeat.objects.create(
        org=school_a, term=term, member=m, position="member", portfolio="welfare", since=term.elected_on
    )
    return m


@pytest.fixture
def retiree(school_a, group_a):
    return MemberFactory(
        org=school_a,
        name="老王",
        union_group=group_a,
        status=Member.Status.RETIRED,
        status_since=datetime.date(2020, 8, 1),
        birth_date=datetime.date(1960, 3, 3),
    )


class ApiClient:
    def __init__(self, client, token):
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path, data=None):
        return self.client.get(BASE + path, data, headers=self.headers)

    def post(self, path, data=None, **kwargs):
        if "content_type" not in kwargs and not kwargs.get("multipart"):
            kwargs["content_type"] = "application/json"
        kwargs.pop("multipart", None)
        return self.client.post(BASE + path, data, headers=self.headers, **kwargs)


@pytest.fixture
def api(client):
    def _as(user=None):
        return ApiClient(client, create_api_token(user) if user is not None else None)

    return _as


def png_bytes(width=4, height=3) -> bytes:
    raw = b"".join(b"\x00" + b"\xcc\x33\x33" * width for _ in range(height))

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
    def _make(name="visit.png"):
        return SimpleUploadedFile(name, png_bytes(), content_type="image/png")

    return _make


@pytest.fixture
def not_an_image():
    return SimpleUploadedFile("visit.jpg", b"MZ\x90\x00 this is not a picture", content_type="image/jpeg")


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
