"""A member's 心得 with NUL, a vertical tab and an ESC in it once broke the chair's whole 台帐 zip
(python-docx refuses XML-illegal characters): stored text now exports, and new text is cleaned."""

import io
import zipfile

from django.db import connection
from docx import Document

from jiaogong.reports import archive, exporting
from jiaogong.study import services
from jiaogong.study.models import Reflection
from jiaogong.study.tests.conftest import member_user

BAD = "学习教师法\x00的体会\x0b第二行\x1b[31m完"


def test_a_stored_reflection_with_control_characters_exports_in_the_archive_zip(school_a, session_a):
    member = member_user(school_a, "李四", "lisi").member
    # Stored before the edges cleaned text (or by any path that forgot to): the zip must still build.
    # (PostgreSQL itself refuses a NUL in text; SQLite stores it.)
    stored = BAD if connection.vendor == "sqlite" else BAD.replace("\x00", "")
    Reflection.objects.create(org=school_a, session=session_a, member=member, text=stored)
    entries = archive.collect(school_a, 2026)
    z = zipfile.ZipFile(io.BytesIO(exporting.archive_zip(school_a, 2026, entries)))
    record = next(n for n in z.namelist() if n.endswith("学习《中华人民共和国教师法》.docx"))
    text = "\n".join(p.text for p in Document(io.BytesIO(z.read(record))).paragraphs)
    assert "学习教师法的体会" in text and "\x00" not in text and "\x1b" not in text


def test_a_submitted_reflection_is_stored_without_control_characters(school_a, session_a, clock):
    user = member_user(school_a, "李四", "lisi")
    reflection, _ = services.submit_reflection(actor=user, session=session_a, member=user.member, text=BAD)
    reflection.refresh_from_db()
    assert reflection.text == "学习教师法的体会\n第二行[31m完"
