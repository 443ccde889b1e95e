"""The demo loader (a badminton tournament in four groups with results and prizes, a coming tug
of war by 年级组) and the 台帐 entries of a year."""

import datetime
import io
from collections import Counter

import openpyxl
import pytest
from docx import Document

from jiaogong.competitions import ranking, selectors
from jiaogong.competitions.archive import archive_entries
from jiaogong.competitions.demo import load_competitions
from jiaogong.competitions.models import Award, Competition, Match
from jiaogong.factories import MemberFactory, UnionGroupFactory
from jiaogong.reports.archive import CATEGORIES


@pytest.fixture
def staff(school_a):
    groups = [UnionGroupFactory(org=school_a, name=n) for n in ("一年级组", "二年级组", "三年级组", "后勤组")]
    return [MemberFactory(org=school_a, name=f"教师{i:02d}", union_group=groups[i % 4]) for i in range(36)]


@pytest.fixture
def loaded(school_a, chair_a, staff, today):
    return load_competitions(actor=chair_a, school=school_a, members=staff, today=today, seed=3)


def test_the_demo_badminton_is_played_in_four_groups_to_a_final_with_prizes(loaded, school_a):
    badminton, tug = loaded
    assert badminton.activity.starts_at.date() == datetime.date(2026, 10, 16)
    view = selectors.overview(badminton)
    assert len(view.entries) == 16 and [d.name for d in view.divisions] == [
        "第一组",
        "第二组",
        "第三组",
        "第四组",
    ]
    assert Counter(e.division.name for e in view.entries) == {
        "第一组": 4,
        "第二组": 4,
        "第三组": 4,
        "第四组": 4,
    }
    assert [rs.round.name for rs in view.rounds] == ["小组赛", "半决赛", "决赛"]
    assert Match.objects.filter(round__competition=badminton, home_score__isnull=True).count() == 0
    assert Match.objects.filter(round__competition=badminton).count() == 4 * 6 + 2 + 1
    champion = [s for s in view.ranking if s.place == 1]
    assert len(champion) == 1 and champion[0].award.tier.name == "一等奖"
    winners = Award.objects.filter(competition=badminton).count()
    assert 8 <= winners <= ranking.prize_limit(16, selectors.prize_share(school_a))


def test_the_demo_tug_of_war_has_a_team_per_group_and_is_open_for_sign_up(loaded, today):
    _badminton, tug = loaded
    assert tug.is_team and tug.activity.registration and tug.activity.starts_at.date() > today
    assert tug.entries.count() == 4


def test_the_demo_is_the_same_for_the_same_seed(school_a, chair_a, staff, today, school_b):
    first = load_competitions(actor=chair_a, school=school_a, members=staff, today=today, seed=3)
    again_staff = [MemberFactory(org=school_b, name=m.name, union_group=None) for m in staff]
    again = load_competitions(actor=chair_a, school=school_b, members=again_staff, today=today, seed=3)

    def scores(comp):
        return [
            (m.home_score, m.away_score) for m in Match.objects.filter(round__competition=comp).order_by("id")
        ]

    assert scores(first[0]) == scores(again[0])


def test_the_archive_files_each_competition_of_the_year_under_culture(loaded, school_a):
    entries = list(archive_entries(school_a, 2026))
    assert [e.title for e in entries] == ["2026年教职工羽毛球比赛", "2026年“迎新年”教职工拔河比赛"]
    assert all(e.category == "culture" and e.category in CATEGORIES and e.kind == "文体比赛" for e in entries)
    badminton = entries[0]
    assert "参赛 16 人" in badminton.detail and "获奖" in badminton.detail
    names = [f.name for f in badminton.files]
    assert names == [
        "20261016_2026年教职工羽毛球比赛_成绩表.xlsx",
        "20261016_2026年教职工羽毛球比赛_荣誉证书.docx",
    ]
    sheet = openpyxl.load_workbook(io.BytesIO(badminton.files[0].content()))
    assert sheet.sheetnames[0] == "总成绩"
    doc = Document(io.BytesIO(badminton.files[1].content()))
    pages = [p for p in doc.paragraphs if p.text == "荣 誉 证 书"]
    assert len(pages) == Award.objects.filter(competition__activity__title="2026年教职工羽毛球比赛").count()
    assert [f.name for f in entries[1].files] == ["20261218_2026年“迎新年”教职工拔河比赛_成绩表.xlsx"]


def test_the_archive_of_another_year_or_school_is_empty(loaded, school_a, school_b):
    assert list(archive_entries(school_a, 2025)) == []
    assert list(archive_entries(school_b, 2026)) == []
    assert Competition.objects.filter(org=school_a).count() == 2
