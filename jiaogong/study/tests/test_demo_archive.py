"""The demo 学习 loads through the services and feels like the seeds; the 台帐 files each session
(学习) with its record and material, and the 读书活动 with its 先进个人."""

import datetime
from io import BytesIO

import docx
import pytest

from jiaogong.demo import generate_school
from jiaogong.study import archive, demo, selectors, services
from jiaogong.study.models import ReadingLog, Reflection
from jiaogong.testing import libreoffice_pdfs, needs_libreoffice

TODAY = datetime.date(2026, 11, 22)


@pytest.fixture
def loaded(school_a, sports_a, clock):
    clock(TODAY)
    members = generate_school(school_a, 40, seed=5, today=TODAY, actor=sports_a)
    return demo.load_study(actor=sports_a, school=school_a, members=members, today=TODAY, seed=5)


def test_the_demo_has_the_teachers_law_session_with_attendance_and_reflections(loaded, school_a):
    law, curriculum = loaded
    assert law.topic == "学习《中华人民共和国教师法》" and law.material_type == services.DOCX
    present = selectors.attendance_count(law)
    assert present > 20 and 0 < Reflection.objects.filter(session=law).count() <= present
    assert curriculum.activity.kind == "professional_study" and curriculum.activity.starts_at.date() > TODAY
    assert ReadingLog.objects.filter(org=school_a, year=2026).exists()
    assert selectors.reading_board(school_a, 2026)["cap"] >= 1


def test_the_archive_files_the_sessions_and_the_reading_under_study(loaded, school_a, chair_a):
    board = selectors.reading_board(school_a, 2026)
    services.select_awardees(actor=chair_a, org=school_a, year=2026, member_ids=[board["rows"][0].member.pk])
    entries = list(archive.archive_entries(school_a, 2026))
    assert {e.category for e in entries} == {"study"}
    assert [e.kind for e in entries] == ["政治学习", "业务学习", "读书活动"]
    law = entries[0]
    assert [f.name for f in law.files] == [
        "20261023学习《中华人民共和国教师法》.docx",
        "学习《教师法》材料.docx",
    ]
    record = "\n".join(p.text for p in docx.Document(BytesIO(law.files[0].content())).paragraphs)
    assert "政治学习记录" in record and "心得体会" in record
    assert law.files[1].content().startswith(b"PK")
    assert "先进个人 1 人" in entries[2].detail and entries[2].files[0].content().startswith(b"PK")


@needs_libreoffice
def test_libreoffice_opens_the_session_record(loaded, school_a, tmp_path):
    entry = next(iter(archive.archive_entries(school_a, 2026)))
    (tmp_path / "session.docx").write_bytes(entry.files[0].content())
    libreoffice_pdfs([tmp_path / "session.docx"], tmp_path / "pdf")
    pdf = tmp_path / "pdf" / "session.pdf"
    assert pdf.exists() and pdf.stat().st_size > 1000
