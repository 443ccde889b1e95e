"""participation(org, year): per member (activities attended, times), per 工会小组 (share of its
active members who came), the active members who took part in nothing; the .xlsx export, and the
sign-in sheets, open in LibreOffice."""

import datetime
import io
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse

from jiaogong.activities import exporting, selectors, services
from jiaogong.activities.tests.conftest import at, member_user
from jiaogong.members.models import Member
from jiaogong.testing import libreoffice_pdfs, needs_libreoffice


@pytest.fixture
def year(school_a, organiser_a, group_a, math_group, biweekly, make_activity, clock):
    """语文组: 张三-like 甲 (3 times at the series + the study), 乙 (once); 数学组: 丙 (nothing), 丁 (study);
    a retired member who came is not counted; the organiser (语文组) came to nothing."""
    clock(at(2026, 12, 1, 9))
    jia, yi = member_user(school_a, "甲", group_a), member_user(school_a, "乙", group_a)
    bing, ding = member_user(school_a, "丙", math_group), member_user(school_a, "丁", math_group)
    retired = member_user(school_a, "老退休", group_a, status=Member.Status.RETIRED)
    study = make_activity(
        title="《教师法》学习",
        kind="political_study",
        starts_at=at(2026, 10, 14, 16, 30),
        ends_at=at(2026, 10, 14, 17, 30),
    )
    for day, people in (
        (datetime.date(2026, 9, 4), [jia, yi, retired]),
        (datetime.date(2026, 9, 18), [jia]),
        (datetime.date(2026, 10, 16), [jia]),
    ):
        services.set_attendance(
            actor=organiser_a,
            org=school_a,
            activity=biweekly,
            day=day,
            member_ids=[u.member_id for u in people],
        )
    services.set_attendance(
        actor=organiser_a,
        org=school_a,
        activity=study,
        day=datetime.date(2026, 10, 14),
        member_ids=[jia.member_id, ding.member_id],
    )
    return {"jia": jia, "yi": yi, "bing": bing, "ding": ding, "organiser": organiser_a}


def test_participation_counts_members_groups_and_the_absent(school_a, year, group_a, math_group):
    stats = selectors.participation(school_a, 2026)
    rows = {r.member.name: (r.activities, r.times) for r in stats.members}
    assert rows == {"甲": (2, 4), "乙": (1, 1), "丙": (0, 0), "丁": (1, 1), "赵文体": (0, 0)}
    # Most active first; equal ones by pinyin (丁 ding before 乙 yi, 丙 bing before 赵 zhao).
    assert [r.member.name for r in stats.members] == ["甲", "丁", "乙", "丙", "赵文体"]
    groups = {g.name: (g.members, g.participants) for g in stats.groups}
    assert groups == {"语文组": (3, 2), "数学组": (2, 1)}
    assert {m.name for m in stats.non_participants} == {"丙", "赵文体"}
    assert (stats.total_members, stats.participants, stats.activities_held) == (5, 3, 2)


def test_another_year_counts_nothing(school_a, year):
    stats = selectors.participation(school_a, 2025)
    assert stats.participants == 0 and len(stats.non_participants) == 5 and stats.activities_held == 0


def test_one_group_narrows_every_figure(school_a, year, math_group):
    stats = selectors.participation(school_a, 2026, group_id=math_group.pk)
    assert {r.member.name for r in stats.members} == {"丙", "丁"} and [g.name for g in stats.groups] == [
        "数学组"
    ]


def test_the_workbook_has_the_three_sheets_with_the_figures(login, school_a, chair_a, year):
    response = login(chair_a).get(reverse("activities:participation_xlsx", args=[school_a.pk]) + "?year=2026")
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["按会员", "按工会小组", "未参加"]
    members = [row for row in wb["按会员"].iter_rows(min_row=4, values_only=True)]
    assert members[0][1:] == ("甲", "语文组", 2, 4)
    groups = {row[0]: row[1:] for row in wb["按工会小组"].iter_rows(min_row=4, values_only=True)}
    assert groups["语文组"] == (3, 2, pytest.approx(2 / 3))
    assert {row[1] for row in wb["未参加"].iter_rows(min_row=4, values_only=True)} == {"丙", "赵文体"}


@needs_libreoffice
def test_libreoffice_opens_the_participation_workbook_and_the_sign_in_sheets(
    school_a, year, biweekly, tmp_path
):
    files = {
        "participation.xlsx": exporting.participation_xlsx(
            selectors.participation(school_a, 2026), org=school_a
        ),
        "signin.xlsx": exporting.signin_xlsx(biweekly),
        "signin.docx": exporting.signin_docx(biweekly),
    }
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    libreoffice_pdfs((tmp_path / name for name in files), tmp_path / "pdf")
    for name in files:
        pdf = tmp_path / "pdf" / (Path(name).stem + ".pdf")
        assert pdf.exists() and pdf.stat().st_size > 1000, name


def test_the_sign_in_sheet_lists_who_came_to_the_series(school_a, year, biweekly):
    rows = {r["name"]: r["present"] for r in exporting.signin_rows(biweekly)}
    assert rows["甲"] == "3 次（09-04、09-18、10-16）" and rows["乙"] == "1 次（09-04）"
