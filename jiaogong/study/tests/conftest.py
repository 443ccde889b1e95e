import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jiaogong.accounts.services import create_api_token
from jiaogong.core import documents
from jiaogong.factories import MemberFactory, UserFactory, grant
from jiaogong.study import services

BASE = "/api/v1"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes() -> bytes:
    doc = documents.new_document("教师法")
    documents.add_title(doc, "中华人民共和国教师法（节选）")
    documents.add_text(doc, "第八条 教师应当履行下列义务：遵守宪法、法律和职业道德，为人师表。")
    return documents.to_bytes(doc)


def upload(name="教师法.pdf", content=PDF_BYTES, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def clock(monkeypatch):
    """clock(date) makes that day today for the services (the deadline and "not in the future" rules)."""
    import django.utils.timezone as tz

    real = tz.localdate

    def set_today(day: datetime.date):
        monkeypatch.setattr(
            tz, "localdate", lambda value=None, timezone=None: day if value is None else real(value, timezone)
        )
        return day

    set_today(datetime.date(2026, 9, 15))
    return set_today


@pytest.fixture
def sports_a(school_a):
    return grant(UserFactory(username="wenti"), school_a, "sports_culture")


@pytest.fixture
def vice_a(school_a):
    return grant(UserFactory(username="fuzhuxi"), school_a, "vice_chair")


def member_user(org, name, username):
    return grant(UserFactory(username=username, member=MemberFactory(org=org, name=name)), org, "member")


@pytest.fixture
def li_a(school_a):
    return member_user(school_a, "李四", "lisi")


def at(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def session_a(school_a, sports_a, clock):
    """A 政治学习 on 《教师法》, 2026-09-10 16:20–17:00, 心得 due 2026-09-24, with the PDF."""
    day = datetime.date(2026, 9, 10)
    return services.create_session(
        actor=sports_a,
        org=school_a,
        kind="political_study",
        topic="学习《中华人民共和国教师法》",
        starts_at=at(day, 16, 20),
        ends_at=at(day, 17, 0),
        location="学校会议室",
        material_text="第八条 教师应当履行下列义务……",
        material=upload(),
        reflection_due=datetime.date(2026, 9, 24),
    )


class ApiClient:
    def __init__(self, client, token):
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path, data=None):
        return self.client.get(BASE + path, data, headers=self.headers)

    def put(self, path, data=None):
        return self.client.put(BASE + path, data, headers=self.headers, content_type="application/json")


@pytest.fixture
def api(client):
    def _as(user=None):
        return ApiClient(client, create_api_token(user) if user is not None else None)

    return _as
