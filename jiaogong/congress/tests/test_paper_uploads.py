"""会议材料 uploads: PDF, Word, Excel or an image by their bytes (not the name), at most 20 MB.
Before, any file of any size was stored as a session paper."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jiaogong.congress import sessions
from jiaogong.congress.models import SessionPaper
from jiaogong.congress.tests.test_sessions import OPENS, new_session, staff
from jiaogong.core import documents
from jiaogong.core.errors import InvalidInput
from jiaogong.core.models import AuditEvent
from jiaogong.core.uploads import KINDS, check_upload
from jiaogong.core.xlsx import new_workbook

WRONG = "会议材料只能是 PDF、Word（.docx）、Excel（.xlsx）、JPG 图片、PNG 图片 文件（按文件内容识别，不看扩展名）。"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def congress(school_a, chair_a):
    return new_session(school_a, chair_a, staff(school_a, 3))


def xlsx_bytes() -> bytes:
    out = io.BytesIO()
    new_workbook().save(out)
    return out.getvalue()


def docx_bytes() -> bytes:
    return documents.to_bytes(documents.new_document("报告"))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("报告.pdf", b"%PDF-1.4\n%%EOF\n"),
        ("报告.docx", None),
        ("预算.xlsx", None),
        ("照片.jpg", b"\xff\xd8\xff\xe0" + b"0" * 100),
        ("照片.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100),
    ],
)
def test_the_allowed_types_are_stored(school_a, chair_a, congress, name, content):
    content = content or (docx_bytes() if name.endswith("docx") else xlsx_bytes())
    paper = sessions.add_paper(
        actor=chair_a, congress=congress, title="材料", sent_on=OPENS, file=SimpleUploadedFile(name, content)
    )
    with paper.file.open("rb") as f:
        assert f.read() == content


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("报告.pdf", b"MZ\x90\x00" + b"\x00" * 100),  # a Windows program named .pdf
        ("报告.docx", b"PK\x03\x04not really a zip"),
        ("脚本.html", b"<script>alert(1)</script>"),
    ],
)
def test_another_type_is_refused_naming_the_allowed_ones(school_a, chair_a, congress, name, content):
    with pytest.raises(InvalidInput) as refused:
        sessions.add_paper(
            actor=chair_a,
            congress=congress,
            title="材料",
            sent_on=OPENS,
            file=SimpleUploadedFile(name, content),
        )
    assert refused.value.fields == {"file": WRONG}
    assert not SessionPaper.objects.exists()
    assert not AuditEvent.objects.filter(action="congress.paper.add").exists()


def test_a_file_over_20_mb_is_refused():
    big = SimpleUploadedFile("报告.pdf", b"%PDF-" + b"0" * (20 * 1024 * 1024))
    assert check_upload(big, "congress_paper") == (None, "会议材料不能超过 20 MB。")


def test_every_upload_kind_has_types_and_a_limit():
    for kind in KINDS.values():
        assert kind.types and 0 < kind.max_bytes <= 20 * 1024 * 1024


def test_the_page_shows_the_reason_and_stores_nothing(client, school_a, chair_a, congress):
    client.force_login(chair_a)
    url = reverse("congress:detail", args=[school_a.pk, congress.pk])
    upload = SimpleUploadedFile("报告.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    response = client.post(
        url,
        {
            "form": "paper",
            "title": "报告",
            "sent_on": f"{OPENS - datetime.timedelta(days=8)}",
            "file": upload,
        },
    )
    assert response.status_code == 200
    assert WRONG in response.content.decode()
    assert not SessionPaper.objects.exists()
