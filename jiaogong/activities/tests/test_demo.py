"""The demo data: load_activities leaves a school year as the seeds plan it, with real attendance
(participation figures computed from it), a cost on the ledger, a full activity with a waitlist and
a sign-up deadline due; its archive entries carry their sign-in sheets."""

import datetime

import pytest

from jiaogong.activities import archive, reminders, selectors
from jiaogong.activities.demo import load_activities
from jiaogong.activities.models import Activity, Attendance, Registration
from jiaogong.core.management.commands.load_demo import Command
from jiaogong.demo import generate_school
from jiaogong.factories import UserFactory, grant
from jiaogong.funds.demo import load_funds

TODAY = datetime.date(2026, 12, 1)


@pytest.fixture
def demo_school(school_a, clock):
    from jiaogong.activities.tests.conftest import at

    clock(at(2026, 12, 1, 10))
    admin = grant(UserFactory(username="admin_demo"), school_a, "chair")
    members = generate_school(school_a, 60, seed=3, today=TODAY, actor=admin)
    active = [m for m in members if m.status == "active"]
    Command()._committee(admin, school_a, active, [m for m in active if m.gender == "F"], TODAY)
    organiser = grant(UserFactory(username="wenti", member=active[5]), school_a, "sports_culture")
    for i in (7, 8, 9):
        grant(UserFactory(member=active[i]), school_a, "member")
    finance = grant(UserFactory(username="caiwu", member=active[21]), school_a, "finance")
    load_funds(actor=finance, school=school_a, members=members, today=TODAY, seed=3)
    load_activities(actor=organiser, school=school_a, members=members, today=TODAY, seed=3)
    return {"members": members, "active": active}


def test_the_demo_is_a_school_year_of_activities(school_a, demo_school):
    titles = set(Activity.objects.filter(org=school_a).values_list("title", flat=True))
    assert {
        "工会活动（双周五）",
        "庆祝第42个教师节暨表彰大会",
        "师德专题学习：《新时代中小学教师职业行为十项准则》",
    } <= titles
    series = Activity.objects.get(title="工会活动（双周五）")
    window = selectors.occurrences_between(school_a, datetime.date(2026, 9, 1), datetime.date(2026, 11, 30))
    dates = [o.date for o in window if o.activity == series]
    assert dates[0] == datetime.date(2026, 9, 4) and datetime.date(2026, 10, 2) not in dates
    assert series.skip_dates == ["2026-10-02"]
    held_days = set(Attendance.objects.filter(activity=series).values_list("occurs_on", flat=True))
    assert held_days == set(dates)
    assert (
        Attendance.objects.filter(method="qr").exists()
        and Attendance.objects.filter(method="manual").exists()
    )


def test_the_demos_participation_figures_are_counted_from_its_attendance(school_a, demo_school):
    stats = selectors.participation(school_a, 2026)
    active = [m for m in demo_school["active"]]
    attended = {m.pk: set() for m in active}
    for member_id, activity_id in Attendance.objects.filter(occurs_on__year=2026).values_list(
        "member_id", "activity_id"
    ):
        attended.setdefault(member_id, set()).add(activity_id)
    expected_none = {m.pk for m in active if not attended[m.pk]}
    assert {m.pk for m in stats.non_participants} == expected_none and expected_none
    assert stats.participants == len(active) - len(expected_none)
    assert {r.member.pk: r.activities for r in stats.members} == {m.pk: len(attended[m.pk]) for m in active}


def test_the_demo_has_a_cost_on_the_ledger_a_waitlist_and_a_deadline_due(school_a, demo_school):
    celebration = Activity.objects.get(title__startswith="庆祝第42个教师节")
    assert (
        celebration.ledger_entry.category == "职工活动支出"
        and celebration.ledger_entry.subcategory == "集体福利"
    )
    assert celebration.ledger_entry.amount == celebration.cost
    games = Activity.objects.get(title="“迎新年”教职工趣味运动会")
    assert Registration.objects.filter(activity=games, status="confirmed").count() == 30
    assert Registration.objects.filter(activity=games, status="waitlisted").count() == 4
    items = reminders.deadlines_due(school_a, TODAY)
    assert [i.title for i in items] == ["报名截止：“迎新年”教职工趣味运动会（12月3日 18:00）"]


def test_the_demos_archive_files_each_activity_held_with_its_sheets(school_a, demo_school):
    entries = list(archive.archive_entries(school_a, 2026))
    by_title = {e.title: e for e in entries}
    assert by_title["工会活动（双周五）"].category == "culture"
    assert by_title["师德专题学习：《新时代中小学教师职业行为十项准则》"].category == "study"
    assert "“迎新年”教职工趣味运动会" not in by_title  # not held yet
    sheet = by_title["庆祝第42个教师节暨表彰大会"].files
    assert [f.name.rsplit("-", 1)[-1] for f in sheet] == ["签到表.xlsx", "签到表.docx"]
    assert sheet[0].content()[:2] == b"PK" and sheet[1].content()[:2] == b"PK"
    assert (
        "第" in by_title["庆祝第42个教师节暨表彰大会"].detail
        and "号凭证" in by_title["庆祝第42个教师节暨表彰大会"].detail
    )
