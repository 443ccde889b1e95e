"""活动 in a real Chromium: on a phone a member signs up for the biweekly 工会活动, then opens the
check-in address (what the QR code holds) and taps 签到; the organiser sees them present on the
roster. And every page on a phone and a desktop, screenshotted."""

import datetime
import re

import pytest
from django.utils import timezone

from jiaogong.activities import services
from jiaogong.activities.models import Attendance
from jiaogong.activities.tests.conftest import at
from jiaogong.conftest import shoot
from jiaogong.core.tests.test_browser import fits_the_screen, log_in
from jiaogong.factories import MemberFactory, UnionGroupFactory, UserFactory, grant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def school(school_a, monkeypatch, png):
    now = at(2026, 9, 18, 16, 10)
    monkeypatch.setattr(timezone, "now", lambda: now)
    chinese, maths = (
        UnionGroupFactory(org=school_a, name="语文组"),
        UnionGroupFactory(org=school_a, name="数学组"),
    )
    teacher = MemberFactory(org=school_a, name="张老师", union_group=chinese, gender="F")
    grant(UserFactory(username="laoshi", first_name="张老师", member=teacher), school_a, "member")
    organiser_member = MemberFactory(org=school_a, name="赵文体", union_group=maths)
    organiser = grant(
        UserFactory(username="wenti", first_name="赵文体", member=organiser_member),
        school_a,
        "sports_culture",
    )
    grant(organiser, school_a, "chair")
    for i, name in enumerate(["李明", "王芳", "陈刚", "刘洋", "黄丽", "周敏"]):
        MemberFactory(org=school_a, name=name, union_group=chinese if i % 2 else maths)
    series = services.create_activity(
        actor=organiser,
        org=school_a,
        title="工会活动：气排球（双周五）",
        kind="recreation",
        starts_at=at(2026, 9, 4, 16, 20),
        ends_at=at(2026, 9, 4, 17, 0),
        rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=FR;UNTIL=20270115",
        skip_dates=["2026-10-02"],
        capacity=20,
        location="学校体育馆",
        description="各工会小组轮流组织，自带运动鞋。",
    )
    services.add_photo(actor=organiser, org=school_a, activity=series, upload=png(), caption="9月4日合影")
    came = list(school_a.members.filter(union_group=chinese).values_list("pk", flat=True))[:3]
    services.set_attendance(
        actor=organiser, org=school_a, activity=series, day=datetime.date(2026, 9, 4), member_ids=came
    )
    match = services.create_activity(
        actor=organiser,
        org=school_a,
        title="教职工羽毛球赛",
        kind="sports",
        starts_at=at(2026, 10, 16, 14, 30),
        ends_at=at(2026, 10, 16, 17, 30),
        capacity=2,
        registration_deadline=at(2026, 10, 12, 18),
        location="学校体育馆",
    )
    services.create_activity(
        actor=organiser,
        org=school_a,
        title="庆祝教师节大会",
        kind="festival",
        starts_at=at(2026, 9, 10, 15),
        ends_at=at(2026, 9, 10, 17),
        location="多功能厅",
    )
    return {"org": school_a, "series": series, "match": match, "teacher": teacher}


def test_a_member_signs_up_and_checks_in_on_a_phone_and_the_organiser_sees_it(browser_page, school):
    org, series = school["org"], school["series"]
    page = browser_page("phone")
    log_in(page, "laoshi")
    page.goto(f"/o/{org.pk}/activities/")
    shoot(page, "activities-home-phone")
    page.get_by_role("link", name="工会活动：气排球（双周五）").first.click()
    page.get_by_role("button", name="我要报名").click()
    assert page.get_by_text("报名成功：工会活动：气排球（双周五）。").is_visible()
    assert fits_the_screen(page)
    shoot(page, "activities-detail-member-phone")

    # The QR code on the organiser's screen holds this address; the phone opens it.
    page.goto(f"/o/{org.pk}/activities/checkin/{series.checkin_token}/")
    assert page.get_by_text("今天 16:20–17:00").is_visible()
    shoot(page, "activities-checkin-phone")
    page.get_by_role("button", name="签到").click()
    assert page.get_by_text("张老师，签到成功").is_visible()
    assert fits_the_screen(page)
    shoot(page, "activities-checkin-done-phone")
    attendance = Attendance.objects.get(
        activity=series, member=school["teacher"], occurs_on=datetime.date(2026, 9, 18)
    )
    assert attendance.method == "qr"

    # The organiser, on a desktop, sees her present on today's roster.
    desk = browser_page("desktop")
    log_in(desk, "wenti")
    desk.goto(f"/o/{org.pk}/activities/{series.pk}/")
    qr = desk.locator(".qr svg")
    assert qr.is_visible()
    assert f"/activities/checkin/{series.checkin_token}/" in desk.locator(".feed-url").inner_text()
    shoot(desk, "activities-detail-organiser-desktop")
    desk.get_by_role("link", name="出勤登记").click()
    row = desk.locator("tr", has_text="张老师")
    assert row.locator("input[type=checkbox]").is_checked()
    assert "扫码签到" in row.inner_text()
    shoot(desk, "activities-roster-desktop")


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_every_page_on_a_phone_and_a_desktop(browser_page, school, viewport):
    org, series, match = school["org"], school["series"], school["match"]
    page = browser_page(viewport)
    log_in(page, "wenti")
    pages = {
        "home": f"/o/{org.pk}/activities/",
        "calendar-month": f"/o/{org.pk}/activities/calendar/?year=2026&month=10",
        "calendar-year": f"/o/{org.pk}/activities/calendar/?view=year&year=2026",
        "detail-series": f"/o/{org.pk}/activities/{series.pk}/",
        "detail-match": f"/o/{org.pk}/activities/{match.pk}/",
        "new": f"/o/{org.pk}/activities/new/",
        "edit": f"/o/{org.pk}/activities/{series.pk}/edit/",
        "roster": f"/o/{org.pk}/activities/{series.pk}/roster/",
        "participation": f"/o/{org.pk}/activities/participation/?year=2026",
        "subscribe": f"/o/{org.pk}/activities/calendar/subscribe/",
        "checkin": f"/o/{org.pk}/activities/checkin/{series.checkin_token}/",
    }
    for name, url in pages.items():
        response = page.goto(url)
        assert response.status == 200, name
        if name == "subscribe":
            page.get_by_role("button", name="生成订阅地址").click()
            assert re.match(
                r"webcal://", page.get_by_role("link", name="在手机日历中订阅").get_attribute("href")
            )
        assert fits_the_screen(page), name
        shoot(page, f"activities-{name}-{viewport}")
    # The grid on a desktop, the list on a phone.
    page.goto(pages["calendar-month"])
    assert page.locator("table.cal").is_visible() == (viewport == "desktop")
    assert page.locator("ul.cal-list").is_visible() == (viewport == "phone")
