"""The inbox and the preferences in a real Chromium, on a phone and a desktop."""

import datetime

import pytest
from django.utils import timezone

from jiaogong.conftest import shoot
from jiaogong.core.tests.test_browser import fits_the_screen, log_in
from jiaogong.factories import MemberFactory, UserFactory, grant
from jiaogong.notifications import services
from jiaogong.notifications.models import Notification

from .conftest import item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def morning(school_a, fake_source, only_sources):
    """The welfare member's morning: a visit due, one overdue, real birthdays and a retirement."""
    from jiaogong.notifications import member_sources

    today = timezone.localdate()
    welfare = grant(
        UserFactory(username="shenghuo", first_name="李生活", email="shenghuo@longsheng.edu.cn"),
        school_a,
        "welfare",
    )
    grant(UserFactory(username="zhuxi", first_name="王主席"), school_a, "chair")
    MemberFactory(
        org=school_a,
        name="陈静",
        gender="F",
        birth_date=(today + datetime.timedelta(days=2)).replace(year=1988),
    )
    MemberFactory(
        org=school_a,
        name="刘洋",
        birth_date=today.replace(year=1991) if today.day != 29 else today.replace(day=28, year=1991),
    )
    retires = today + datetime.timedelta(days=120)
    MemberFactory(
        org=school_a,
        name="黄丽",
        gender="F",
        birth_date=retires.replace(year=retires.year - 55, day=min(retires.day, 28)),
    )
    fake_source.items += [
        item(
            school_a,
            "welfare.visit.due:1",
            [welfare],
            title="请走访住院的赵六老师（数学组）",
            due_on=today + datetime.timedelta(days=4),
        ),
        item(
            school_a,
            "welfare.visit.overdue:2",
            [welfare],
            title="走访周敏老师已逾期 2 天",
            overdue=True,
            due_on=today - datetime.timedelta(days=2),
        ),
    ]
    only_sources(fake_source, member_sources.birthdays, member_sources.retirements)
    services.run_daily(today)
    services.mark_read(
        actor=welfare, notification=Notification.objects.filter(user=welfare, kind="retirements").first()
    )
    return school_a, welfare


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_inbox_and_preferences_render_fit_and_work(browser_page, morning, viewport):
    org, welfare = morning
    page = browser_page(viewport)
    log_in(page, "shenghuo")
    assert page.get_by_role("heading", name="今日待办").is_visible()
    shoot(page, f"notifications-dashboard-{viewport}")
    page.locator("a.inbox-link").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/o/{org.pk}/notifications/")
    assert page.get_by_text("走访周敏老师已逾期 2 天").is_visible()
    assert fits_the_screen(page)
    shoot(page, f"notifications-inbox-{viewport}")

    # htmx: marking one read swaps its row in place.
    unread_before = Notification.objects.filter(user=welfare, read_at__isnull=True).count()
    page.get_by_role("button", name="标为已读", exact=True).first.click()
    page.wait_for_function(f"document.querySelectorAll('button.btn-small').length === {unread_before - 1}")
    assert Notification.objects.filter(user=welfare, read_at__isnull=True).count() == unread_before - 1

    page.get_by_role("link", name="提醒设置").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("shenghuo@longsheng.edu.cn").is_visible()
    assert fits_the_screen(page)
    shoot(page, f"notifications-preferences-{viewport}")
    page.locator("input[name=birthdays__email]").uncheck()
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("提醒设置已保存").is_visible()
    assert not page.locator("input[name=birthdays__email]").is_checked()
    assert page.locator("input[name=visits__email]").is_checked()
