"""The 疗休养 pages in a real Chromium: a member applies on a phone and sees their place; the welfare
member approves the top of the queue on a desktop; every page renders and fits on both."""

import pytest
from django.utils import timezone

from jiaogong.conftest import shoot
from jiaogong.core.tests.test_browser import fits_the_screen, log_in
from jiaogong.demo import generate_school
from jiaogong.factories import UserFactory, grant
from jiaogong.recuperation import selectors
from jiaogong.recuperation.demo import load_recuperation
from jiaogong.recuperation.models import Application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def season(school_a):
    """A school of 40 (as the demo) with this year's plan, its queue and three approved; a teacher who
    may apply and has not yet."""
    today = timezone.localdate()
    welfare = grant(UserFactory(username="shenghuo", first_name="李委员"), school_a, "welfare")
    members = generate_school(school_a, 40, seed=4, today=today, actor=welfare)
    plan = load_recuperation(actor=welfare, school=school_a, members=members, today=today, seed=4)
    applied = set(Application.objects.filter(plan=plan).values_list("member_id", flat=True))
    teacher = next(m for m in members if m.pk not in applied and selectors.eligibility(m, today)[0])
    grant(UserFactory(username="laoshi", member=teacher), school_a, "member")
    return school_a, plan, teacher


def test_a_member_applies_on_a_phone_and_the_welfare_member_approves_the_top_on_a_desktop(
    browser_page, season
):
    org, plan, teacher = season
    phone = browser_page("phone")
    log_in(phone, "laoshi")
    phone.goto(f"/o/{org.pk}/recuperation/")
    assert "您符合申请条件" in phone.content()
    shoot(phone, "recuperation-member-before-phone")
    phone.get_by_role("button", name="申请参加疗休养").click()
    phone.wait_for_load_state("networkidle")
    today = timezone.localdate()
    position, length = selectors.position_of(selectors.application_of(plan, teacher), today)
    assert f"目前排在第 {position} 位（共 {length} 人排队" in phone.locator("main").inner_text()
    assert fits_the_screen(phone)
    shoot(phone, "recuperation-member-applied-phone")

    desk = browser_page("desktop")
    log_in(desk, "shenghuo")
    desk.goto(f"/o/{org.pk}/recuperation/plans/{plan.pk}/")
    top = selectors.queue(plan, today)[0]["member"]
    desk.get_by_label("按排序批准前几人").fill("1")
    shoot(desk, "recuperation-queue-desktop")
    desk.get_by_role("button", name="批准排在前面的申请").click()
    desk.wait_for_load_state("networkidle")
    assert f"已按排序批准 1 人：{top.name}。" in desk.content()
    assert Application.objects.get(plan=plan, member=top).status == "approved"
    shoot(desk, "recuperation-approved-desktop")


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_every_recuperation_page_renders_and_fits(browser_page, season, viewport):
    org, plan, teacher = season
    page = browser_page(viewport)
    log_in(page, "shenghuo")
    someone = selectors.queue(plan, timezone.localdate())[0]["member"]
    pages = {
        "recuperation-home": f"/o/{org.pk}/recuperation/",
        "recuperation-plan": f"/o/{org.pk}/recuperation/plans/{plan.pk}/",
        "recuperation-new-plan": f"/o/{org.pk}/recuperation/plans/new/",
        "recuperation-history": f"/o/{org.pk}/recuperation/members/{someone.pk}/",
    }
    for name, path in pages.items():
        response = page.goto(path)
        page.wait_for_load_state("networkidle")
        assert response.status == 200, name
        assert fits_the_screen(page), f"{name} scrolls sideways on {viewport}"
        shoot(page, f"{name}-{viewport}")
    member = browser_page(viewport)
    log_in(member, "laoshi")
    member.goto(f"/o/{org.pk}/recuperation/")
    assert fits_the_screen(member)
    shoot(member, f"recuperation-member-{viewport}")


def test_the_welfare_member_approves_one_applicant_from_the_queue_on_a_phone(browser_page, season):
    org, plan, _ = season
    page = browser_page("phone")
    log_in(page, "shenghuo")
    page.goto(f"/o/{org.pk}/recuperation/plans/{plan.pk}/")
    second = selectors.queue(plan, timezone.localdate())[1]
    row = page.locator(f"#a-{second['application'].pk}")
    row.get_by_text("批准…", exact=True).click()
    shoot(page, "recuperation-approve-one-phone")
    row.get_by_role("button", name=f"确认批准{second['member'].name}").click()
    page.wait_for_load_state("networkidle")
    assert f"已批准{second['member'].name}参加疗休养。" in page.content()
    assert fits_the_screen(page)
