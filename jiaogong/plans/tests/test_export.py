"""The plan as .docx in the usual layout, opened by LibreOffice; the archive entries."""

import datetime
import io
import os
import shutil
from pathlib import Path

from docx import Document

from jiaogong.plans import archive, exporting, services
from jiaogong.testing import libreoffice_pdfs, needs_libreoffice

from .test_parsing import seed


def paragraphs(content: bytes) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in Document(io.BytesIO(content)).paragraphs if p.text.strip()]


def test_the_docx_has_title_guidance_sections_and_the_schedule_by_period(plan):
    lines = paragraphs(exporting.plan_docx(plan, today=datetime.date(2026, 9, 5)))
    texts = [t for _s, t in lines]
    assert lines[0] == ("Title", "2026—2027学年工会工作计划")
    assert (
        ("Heading 1", "一、指导思想") in lines
        and ("Heading 1", "二、主要工作") in lines
        and ("Heading 1", "三、工作安排") in lines
    )
    assert ("Heading 2", "（一）加强民主管理") in lines and ("Heading 2", "（二）丰富文体活动") in lines
    schedule = texts[texts.index("三、工作安排") + 1 :]
    assert schedule[:4] == ["9月", "1、庆祝教师节", "2、制定工会工作计划", "第3周（9月14日—9月20日）"]
    assert "第一季度" in schedule and "时间待定" in schedule
    assert texts[-2:] == ["龙胜乡中心小学工会", "2026年9月5日"]


def test_a_plan_without_guidance_numbers_its_parts_from_one(school_a, chair_a):
    plan = services.create_plan(
        actor=chair_a, org=school_a, title="2026年工会工作计划", kind="annual", year=2026
    )
    services.add_item(actor=chair_a, plan=plan, text="庆祝元旦", period_kind="month", period_start=1)
    texts = [t for _s, t in paragraphs(exporting.plan_docx(plan))]
    assert "一、工作安排" in texts and "1月" in texts


def test_the_years_plans_are_filed_under_organisation_with_their_docx(school_a, chair_a, plan):
    other_year = services.create_plan(
        actor=chair_a, org=school_a, title="2025年工会工作计划", kind="annual", year=2025
    )
    entries = list(archive.archive_entries(school_a, 2026))
    assert [(e.category, e.title, e.kind, e.date) for e in entries] == [
        ("organization", plan.title, "工作计划", datetime.date(2026, 9, 1))
    ]
    assert "6 项工作安排（草稿）" in entries[0].detail
    assert entries[0].files[0].name == "2026—2027学年工会工作计划.docx"
    assert entries[0].files[0].content()[:2] == b"PK"
    assert [e.title for e in archive.archive_entries(school_a, 2025)] == [other_year.title]


@needs_libreoffice
def test_libreoffice_opens_the_plan(school_a, chair_a, plan, tmp_path):
    imported = services.import_plan(
        actor=chair_a, org=school_a, text=seed("002"), kind="school_year", year=2024
    )
    files = {"plan.docx": exporting.plan_docx(plan), "imported.docx": exporting.plan_docx(imported)}
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    libreoffice_pdfs((tmp_path / name for name in files), tmp_path / "pdf")
    for name in files:
        pdf = tmp_path / "pdf" / (Path(name).stem + ".pdf")
        assert pdf.exists() and pdf.stat().st_size > 1000, name
    if os.environ.get("PLANS_KEEP_PDF"):
        shutil.copytree(tmp_path / "pdf", os.environ["PLANS_KEEP_PDF"], dirs_exist_ok=True)
