"""The 工作总结 and 台帐 pages in a real Chromium, on a phone and a desktop: draft, edit an area in
place, and the screenshots the issue note shows."""

import pytest

from jiaogong.conftest import shoot
from jiaogong.core.tests.test_browser import fits_the_screen, log_in
from jiaogong.reports.tests.conftest import YEAR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_chair_drafts_and_edits_the_summary_on_a_phone(browser_page, school_a, chair_a, year_records):
    page = browser_page("phone")
    log_in(page, "chair_a")
    page.goto(f"/o/{school_a.pk}/records/summary/{YEAR}/")
    page.get_by_role("button", name=f"起草{YEAR}年工作总结").click()
    page.wait_for_load_state("networkidle")
    assert "走访慰问教职工 2 人次" in page.content()
    area = page.locator("#area-culture")
    area.get_by_role("link", name="修改这一部分").click()
    box = area.locator("textarea")
    box.wait_for()
    box.fill("1、全年举办羽毛球赛和周五工会活动，教职工踊跃参加。")
    area.get_by_role("button", name="保存").click()
    area.get_by_text("已修改").wait_for()
    assert "踊跃参加" in area.inner_text() and area.locator("textarea").count() == 0
    assert fits_the_screen(page)
    shoot(page, "reports-summary-phone")
    page.get_by_role("link", name="5 人次").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("tbody tr").count() == 5
    shoot(page, "reports-figure-phone")


def test_the_summary_archive_and_dashboard_on_a_desktop(browser_page, school_a, chair_a, year_records):
    from jiaogong.reports import services

    services.draft_summary(actor=chair_a, org=school_a, year=YEAR)
    page = browser_page("desktop")
    log_in(page, "chair_a")
    for name, path in {
        "reports-summary": f"/o/{school_a.pk}/records/summary/{YEAR}/",
        "reports-archive": f"/o/{school_a.pk}/records/archive/?year={YEAR}",
    }.items():
        response = page.goto(path)
        page.wait_for_load_state("networkidle")
        assert response.status == 200 and fits_the_screen(page), name
        shoot(page, f"{name}-desktop")
    page.get_by_label("搜索台帐").fill("食堂")
    page.wait_for_timeout(600)
    page.wait_for_load_state("networkidle")
    assert "改善教师食堂" in page.locator("#archive-results").inner_text()
    assert "会员名册" not in page.locator("#archive-results").inner_text()
    phone = browser_page("phone")
    log_in(phone, "chair_a")
    for name, path in {
        "reports-archive": f"/o/{school_a.pk}/records/archive/?year={YEAR}",
        "dashboard-chair": f"/o/{school_a.pk}/",
    }.items():
        phone.goto(path)
        phone.wait_for_load_state("networkidle")
        assert fits_the_screen(phone), name
        shoot(phone, f"{name}-phone")
    page.goto(f"/o/{school_a.pk}/")
    shoot(page, "dashboard-chair-desktop")
