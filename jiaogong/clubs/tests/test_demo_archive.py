"""The demo 兴趣小组 load through the services and feel like the seeds; the 台帐 files each club's
year (文体) with a .docx that LibreOffice opens."""

import datetime
from decimal import Decimal
from io import BytesIO

import docx
import pytest

from jiaogong.clubs import archive, demo, selectors
from jiaogong.clubs.models import Budget, Election
from jiaogong.demo import generate_school
from jiaogong.funds.models import LedgerEntry
from jiaogong.reports.archive import CATEGORIES
from jiaogong.testing import libreoffice_pdfs, needs_libreoffice

TODAY = datetime.date(2026, 11, 22)


@pytest.fixture
def loaded(school_a, chair_a, finance_a, frozen):
    members = generate_school(school_a, 40, seed=3, today=TODAY, actor=chair_a)
    return demo.load_clubs(actor=chair_a, school=school_a, members=members, today=TODAY, seed=3)


def test_the_demo_has_the_seeds_clubs_a_leader_an_election_and_a_budget_in_use(loaded, school_a):
    names = [c.name for c in loaded]
    assert names[:2] == ["教师书画社", "羽毛球兴趣小组"]
    calligraphy, badminton = loaded[0], loaded[1]
    assert calligraphy.leader is not None
    assert Election.objects.get(club=badminton).status == "open"
    figures = selectors.figures(selectors.budget_of(calligraphy, 2026))
    assert figures == selectors.BudgetFigures(Decimal("3000.00"), Decimal("2300.00"), Decimal("700.00"))
    assert LedgerEntry.objects.filter(org=school_a, subcategory="文体活动").count() == 3
    assert selectors.budget_of(badminton, 2026).status == Budget.Status.PENDING
    assert selectors.sessions_of(badminton, 2026).get().activity.rrule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR"


def test_the_archive_files_each_clubs_year_under_culture(loaded, school_a):
    entries = list(archive.archive_entries(school_a, 2026))
    assert {e.category for e in entries} == {"culture"} and "culture" in CATEGORIES
    assert [e.title for e in entries] == ["教师书画社（2026年）", "羽毛球兴趣小组（2026年）"]
    first = entries[0]
    assert "经费批准 3000.00 元、已支出 2300.00 元" in first.detail
    text = "\n".join(p.text for p in docx.Document(BytesIO(first.files[0].content())).paragraphs)
    assert "教师书画社2026年活动记录" in text and "剩余 700.00 元" in text
    assert list(archive.archive_entries(school_a, 2025)) == []


@needs_libreoffice
def test_libreoffice_opens_the_clubs_year_record(loaded, school_a, tmp_path):
    entry = next(iter(archive.archive_entries(school_a, 2026)))
    (tmp_path / "club.docx").write_bytes(entry.files[0].content())
    libreoffice_pdfs([tmp_path / "club.docx"], tmp_path / "pdf")
    pdf = tmp_path / "pdf" / "club.pdf"
    assert pdf.exists() and pdf.stat().st_size > 1000
