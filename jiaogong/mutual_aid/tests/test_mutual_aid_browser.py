"""The 互助保障 pages in a real Chromium, on a phone and a desktop: they render, fit, and work."""

import pytest
from django.utils import timezone

from jiaogong.conftest import shoot
from jiaogong.core.tests.test_browser import fits_the_screen, log_in
from jiaogong.demo import generate_school
from jiaogong.factories import UserFactory, grant
from jiaogong.mutual_aid import demo
from jiaogong.mutual_aid.models import Claim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def school(school_a):
    today = timezone.localdate()
    welfare = grant(UserFactory(username="shenghuo", first_name="李生活"), school_a, "welfare")
    members = generate_school(school_a, 30, seed=9, today=today, actor=welfare)
    plan = demo.load_mutual_aid(actor=welfare, school=school_a, members=members, today=today, seed=9)[0]
    claimant = Claim.objects.filter(plan=plan).first().member
    grant(UserFactory(username="laoshi", member=claimant), school_a, "member")
    return school_a, plan


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_every_mutual_aid_page_renders_and_fits(browser_page, school, viewport):
    org, plan = school
    page = browser_page(viewport)
    log_in(page, "shenghuo")
    open_claim = Claim.objects.filter(plan=plan, status="submitted").first()
    pages = {
        "mutual-aid-home": f"/o/{org.pk}/welfare/mutual-aid/",
        "mutual-aid-plan": f"/o/{org.pk}/welfare/mutual-aid/{plan.pk}/",
        "mutual-aid-claim": f"/o/{org.pk}/welfare/mutual-aid/{plan.pk}/claims/{open_claim.pk}/",
        "mutual-aid-new": f"/o/{org.pk}/welfare/mutual-aid/new/",
    }
    for name, path in pages.items():
        response = page.goto(path)
        page.wait_for_load_state("networkidle")
        assert response.status == 200, name
        assert fits_the_screen(page), f"{name} scrolls sideways on {viewport}"
        shoot(page, f"{name}-{viewport}")
    member = browser_page(viewport)
    log_in(member, "laoshi")
    member.goto(f"/o/{org.pk}/welfare/mutual-aid/mine/")
    assert "我的互助保障" in member.content() and plan.name in member.content()
    assert fits_the_screen(member)
    shoot(member, f"mutual-aid-mine-{viewport}")


def test_pay_an_open_claim_on_a_phone(browser_page, school):
    org, plan = school
    claim = Claim.objects.filter(plan=plan, status="submitted").first()
    page = browser_page("phone")
    log_in(page, "shenghuo")
    page.goto(f"/o/{org.pk}/welfare/mutual-aid/{plan.pk}/")
    page.locator(f"#claim-{claim.pk}").get_by_role("link", name=claim.member.name).click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("赔付金额（元）").fill("1000")
    page.get_by_role("button", name="登记赔付").click()
    page.wait_for_load_state("networkidle")
    assert "已赔付" in page.content()
    claim.refresh_from_db()
    assert claim.status == "paid"
    shoot(page, "mutual-aid-paid-phone")
