"""工作计划 in a real Chromium: in September the chair pastes last year's plan on a phone, previews
it, saves it, links the Teachers' Day item to the celebration that was held; and every page on a
phone and a desktop (screenshots in artifacts/screenshots/plans-*)."""

import datetime

import pytest
from django.utils import timezone

from jiaogong.activities.models import Activity
from jiaogong.conftest import shoot
from jiaogong.core.tests.test_browser import fits_the_screen, log_in
from jiaogong.factories import UserFactory, grant
from jiaogong.plans import services
from jiaogong.plans.models import Plan

from .test_parsing import seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASTE = """2025年学校工会工作计划
一、指导思想
以习近平新时代中国特色社会主义思想为指导，在学校党支部和上级工会的领导下，团结动员全体教职工。
二、主要工作
（一）坚持教代会制度，推进民主管理。
1、按时召开教职工代表大会。
（二）组织丰富多彩的文体活动。
1、双周五下午4:20—5:00工会活动。
三、主要活动安排
九月份：
1、庆祝教师节。
2、政治学习：学习《教师法》。
十月份：1、庆祝国庆节。2、乒乓球比赛。
一季度：
1、春节送温暖活动
第一周 整理会员材料
备注：以上安排根据上级工会要求适时调整
"""


@pytest.fixture
def chair(school_a):
    return grant(UserFactory(username="zhuxi", first_name="王主席"), school_a, "chair")


def test_the_chair_pastes_last_years_plan_on_a_phone_and_links_an_item(browser_page, school_a, chair):
    today = timezone.localdate()
    year = today.year if today.month >= 8 else today.year - 1
    held = Activity.objects.create(
        org=school_a,
        title="庆祝教师节联欢会",
        kind="festival",
        status="held",
        created_by=chair,
        starts_at=timezone.make_aware(datetime.datetime(year, 9, 10, 16, 20)),
        ends_at=timezone.make_aware(datetime.datetime(year, 9, 10, 17, 0)),
    )
    page = browser_page("phone")
    log_in(page, "zhuxi")
    page.goto(f"/o/{school_a.pk}/plans/")
    assert fits_the_screen(page)
    page.get_by_role("link", name="粘贴导入").click()
    page.get_by_label("计划文字").fill(PASTE)
    page.get_by_label("计划类型").select_option("school_year")
    page.get_by_label("年度（不填则用识别出的年份）").fill(str(year))
    page.get_by_role("button", name="预览识别结果").click()
    preview = page.locator("#preview")
    assert "6" in preview.locator(".stat").first.inner_text()
    assert "备注：以上安排根据上级工会要求适时调整" in preview.inner_text()
    assert fits_the_screen(page)
    shoot(page, "plans-import-preview-phone")
    page.get_by_role("button", name="保存为计划").click()
    plan = Plan.objects.get()
    assert plan.items.count() == 6 and plan.sections.count() == 2
    assert "已导入" in page.content()
    item = plan.items.get(text="庆祝教师节")
    page.locator(f"#item-{item.pk}").get_by_role("link", name="关联记录").click()
    assert "庆祝教师节联欢会" in page.content()
    shoot(page, "plans-story-link-phone")
    page.get_by_role("button", name="关联这条").click()
    item.refresh_from_db()
    assert item.link_id == held.pk
    row = page.locator(f"#item-{item.pk}")
    assert "已完成" in row.inner_text() and "庆祝教师节联欢会" in row.inner_text()
    assert fits_the_screen(page)
    shoot(page, "plans-story-linked-phone")


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_every_plans_page_fits_and_is_shot(browser_page, school_a, chair, viewport):
    today = timezone.localdate()
    plan = services.import_plan(
        actor=chair, org=school_a, text=seed("002"), kind="school_year", year=today.year - 1
    )
    small = services.import_plan(actor=chair, org=school_a, text=PASTE, kind="school_year", year=today.year)
    services.publish_plan(actor=chair, plan=small)
    first = small.items.order_by("position").first()
    services.set_item_status(actor=chair, item=first, status="done", today=today) if first else None
    page = browser_page(viewport)
    log_in(page, "zhuxi")
    o = school_a.pk
    pages = {
        "home": f"/o/{o}/plans/",
        "plan": f"/o/{o}/plans/{small.pk}/",
        "plan-long": f"/o/{o}/plans/{plan.pk}/",
        "edit": f"/o/{o}/plans/{small.pk}/edit/",
        "item": f"/o/{o}/plans/{small.pk}/items/{first.pk}/",
        "section": f"/o/{o}/plans/{small.pk}/sections/{small.sections.first().pk}/",
        "remainder": f"/o/{o}/plans/{plan.pk}/remainder/",
        "import": f"/o/{o}/plans/import/",
        "new": f"/o/{o}/plans/new/",
    }
    for name, url in pages.items():
        page.goto(url)
        assert page.locator("h1").count() == 1, name
        assert fits_the_screen(page), name
        shoot(page, f"plans-{name}-{viewport}")
