"""The chair's dashboard: this month's 行事历, budget use and participation, drawn on the server."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from jiaogong.factories import UserFactory, grant
from jiaogong.reports import dashboard
from jiaogong.reports.tests.conftest import YEAR


@pytest.fixture
def september(monkeypatch):
    day = datetime.date(YEAR, 9, 10)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day)
    return day


def test_the_month_calendar_puts_each_occurrence_on_its_day(school_a, year_records, september):
    cal = dashboard.month_calendar(school_a, september)
    assert cal["month"] == datetime.date(YEAR, 9, 1)
    days = {d.date: d for week in cal["weeks"] for d in week if d.date}
    assert len(days) == 30 and all(len(w) == 7 for w in cal["weeks"])
    # 2026-09-01 is a Tuesday: one blank cell before it
    assert cal["weeks"][0][0].date is None and cal["weeks"][0][1].date == datetime.date(YEAR, 9, 1)
    fridays = [day for day, d in days.items() if d.events]
    assert fridays == [datetime.date(YEAR, 9, 4), datetime.date(YEAR, 9, 18)]
    assert days[datetime.date(YEAR, 9, 4)].events[0][:2] == ("16:20", "周五工会活动")
    assert [i["start"].date() for i in cal["upcoming"]] == [datetime.date(YEAR, 9, 18)]


def test_budget_use_and_participation(school_a, chair_a, year_records):
    from jiaogong.funds import books

    books.set_budgets(
        actor=chair_a,
        org=school_a,
        year=YEAR,
        amounts={("expense", "职工活动支出"): "800", ("expense", "业务支出"): "600"},
    )
    panel = dashboard.budget_chart(school_a, YEAR)
    bars = {b.label: b for b in panel["chart"].bars}
    assert bars["职工活动支出"].value_text == "1,000.00 / 800.00 元（125%）" and bars["职工活动支出"].over
    assert bars["业务支出"].value_text == "300.00 / 600.00 元（50%）" and not bars["业务支出"].over
    assert panel["chart"].limit_x is not None
    p = dashboard.participation(school_a, YEAR)
    assert (p["people"], p["members"], p["times"]) == (3, 6, 5)
    assert p["chart"].bars[0].value_text == "3 / 6 人（50.0%）"


def test_the_chair_sees_the_calendar_budget_and_participation(
    login, chair_a, school_a, year_records, september
):
    page = login(chair_a).get(reverse("core:dashboard", args=[school_a.pk])).content.decode()
    assert "本月行事历" in page and "周五工会活动" in page
    assert "预算执行" in page and "本年度还没有编制经费预算" in page
    assert "活动参与" in page and "3 / 6 人（50.0%）" in page
    assert "<svg" in page and "cdn" not in page.lower() and "chart.js" not in page.lower()


def test_a_member_sees_the_calendar_only_and_a_department_none_of_it(
    login, member_a, school_a, year_records, september
):
    page = login(member_a).get(reverse("core:dashboard", args=[school_a.pk])).content.decode()
    assert "本月行事历" in page and "周五工会活动" in page
    assert "预算执行" not in page and "活动参与" not in page
    department = grant(UserFactory(username="dept_a"), school_a, "department")
    page = login(department).get(reverse("core:dashboard", args=[school_a.pk])).content.decode()
    assert "本月行事历" not in page and "预算执行" not in page


def test_a_month_without_activities_says_so(login, chair_a, school_a, september):
    page = login(chair_a).get(reverse("core:dashboard", args=[school_a.pk])).content.decode()
    assert "本月没有安排活动" in page
