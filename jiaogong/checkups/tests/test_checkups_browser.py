"""The 体检 pages in a real Chromium, on a phone and a desktop: they render, fit, and work."""

import pytest
from django.utils import timezone

from jiaogong.checkups import demo
from jiaogong.checkups.models import Entry
from jiaogong.conftest import shoot
from jiaogong.core.tests.test_browser import fits_the_screen, log_in
from jiaogong.demo import generate_school
from jiaogong.factories import UserFactory, grant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def school(school_a):
    today = timezone.localdate()
    welfare = grant(UserFactory(username="shenghuo", first_name="李生活"), school_a, "welfare")
    members = generate_school(school_a, 30, seed=7, today=today, actor=welfare)
    woman = next(m for m in members if m.gender == "F" and m.status == "active")
    grant(UserFactory(username="laoshi", member=woman), school_a, "member")
    rounds = demo.load_checkups(actor=welfare, school=school_a, members=members, today=today, seed=7)
    return school_a, rounds, woman


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_every_checkup_page_renders_and_fits(browser_page, school, viewport):
    org, rounds, _ = school
    page = browser_page(viewport)
    log_in(page, "shenghuo")
    pages = {
        "checkups-home": f"/o/{org.pk}/welfare/checkups/",
        "checkups-round": f"/o/{org.pk}/welfare/checkups/{rounds[0].pk}/",
        "checkups-round-pending": f"/o/{org.pk}/welfare/checkups/{rounds[1].pk}/?show=pending",
        "checkups-new": f"/o/{org.pk}/welfare/checkups/new/",
    }
    for name, path in pages.items():
        response = page.goto(path)
        page.wait_for_load_state("networkidle")
        assert response.status == 200, name
        assert fits_the_screen(page), f"{name} scrolls sideways on {viewport}"
        shoot(page, f"{name}-{viewport}")
    member = browser_page(viewport)
    log_in(member, "laoshi")
    member.goto(f"/o/{org.pk}/welfare/checkups/mine/")
    assert "我的体检" in member.content() and rounds[1].title in member.content()
    assert fits_the_screen(member)
    shoot(member, f"checkups-mine-{viewport}")


def test_mark_a_woman_done_on_a_phone(browser_page, school):
    org, rounds, _ = school
    entry = Entry.objects.filter(round=rounds[1], status="pending").select_related("member").first()
    page = browser_page("phone")
    log_in(page, "shenghuo")
    page.goto(f"/o/{org.pk}/welfare/checkups/{rounds[1].pk}/?show=pending")
    page.get_by_label(f"{entry.member.name}的状态").select_option("done")
    page.locator(f"#e-{entry.pk}").get_by_role("button", name="保存").click()
    page.wait_for_load_state("networkidle")
    assert f"{entry.member.name}：已检。" in page.content()
    entry.refresh_from_db()
    assert entry.status == "done"
    shoot(page, "checkups-marked-phone")
