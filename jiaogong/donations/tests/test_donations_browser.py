"""The donation pages in a real Chromium, on a phone and a desktop: they render, fit, and work."""

import datetime

import pytest
from django.utils import timezone

from jiaogong.conftest import shoot
from jiaogong.core.tests.test_browser import fits_the_screen, log_in
from jiaogong.demo import generate_school
from jiaogong.donations import selectors, services
from jiaogong.donations.models import Contribution
from jiaogong.factories import UserFactory, grant
from jiaogong.members.models import Member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def collection(school_a):
    """A school of 40 (generated like the demo) halfway through its 慈善一日捐, and last year's
    handed over."""
    today = timezone.localdate()
    finance = grant(UserFactory(username="kuaiji", first_name="刘会计"), school_a, "finance")
    members = generate_school(school_a, 40, seed=5, today=today, actor=finance)
    grant(UserFactory(username="laoshi", member=members[3]), school_a, "member")
    givers = [m for m in members if m.status in ("active", "retired")]
    last = services.create_campaign(
        actor=finance,
        org=school_a,
        title=f"{today.year - 1}年慈善一日捐",
        beneficiary="县慈善总会",
        starts_on=datetime.date(today.year - 1, 9, 1),
        ends_on=datetime.date(today.year - 1, 9, 20),
    )
    services.record_contributions(
        actor=finance,
        campaign=last,
        rows=[{"member": m.pk, "amount": "100"} for m in givers[:20]],
        paid_on=datetime.date(today.year - 1, 9, 10),
        method="cash",
    )
    services.hand_over(
        actor=finance,
        campaign=last,
        handed_on=datetime.date(today.year - 1, 9, 26),
        recipient="县慈善总会",
        amount="2000",
        receipt_number="CS-0926",
    )
    campaign = services.create_campaign(
        actor=finance,
        org=school_a,
        title=f"{today.year}年慈善一日捐",
        beneficiary="县慈善总会",
        purpose="帮扶困难群众、资助困难学生",
        starts_on=today - datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=10),
        suggested_amount="100",
    )
    services.record_contributions(
        actor=finance,
        campaign=campaign,
        rows=[{"member": m.pk, "amount": ["50", "100", "200"][i % 3]} for i, m in enumerate(givers[:25])]
        + [{"name": "临聘 食堂周师傅", "amount": "50"}],
        paid_on=today,
        method="cash",
    )
    services.reverse_contribution(
        actor=finance, contribution=Contribution.objects.filter(campaign=campaign).first(), reason="记错金额"
    )
    grant(UserFactory(username="zhuxi"), school_a, "chair")
    return school_a, campaign, last, members[3]


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_every_donation_page_renders_and_fits(browser_page, collection, viewport):
    org, campaign, last, _ = collection
    page = browser_page(viewport)
    log_in(page, "kuaiji")
    pages = {
        "donations-home": f"/o/{org.pk}/donations/",
        "donations-campaign": f"/o/{org.pk}/donations/{campaign.pk}/",
        "donations-campaign-handed-over": f"/o/{org.pk}/donations/{last.pk}/",
        "donations-batch": f"/o/{org.pk}/donations/{campaign.pk}/batch/",
        "donations-hand-over": f"/o/{org.pk}/donations/{campaign.pk}/hand-over/",
        "donations-new": f"/o/{org.pk}/donations/new/",
    }
    for name, path in pages.items():
        response = page.goto(path)
        page.wait_for_load_state("networkidle")
        assert response.status == 200, name
        assert fits_the_screen(page), f"{name} scrolls sideways on {viewport}"
        shoot(page, f"{name}-{viewport}")
    page.goto(pages["donations-campaign"])
    assert "代收代转，不计入工会经费" in page.content()
    member = browser_page(viewport)
    log_in(member, "laoshi")
    member.goto(f"/o/{org.pk}/donations/")
    assert "我的捐款" in member.content()
    assert fits_the_screen(member)
    shoot(member, f"donations-mine-{viewport}")


def test_record_a_group_then_hand_over_on_a_phone(browser_page, collection):
    org, campaign, _, _ = collection
    page = browser_page("phone")
    log_in(page, "kuaiji")
    page.goto(f"/o/{org.pk}/donations/{campaign.pk}/")
    page.get_by_role("link", name="按小组批量登记").click()
    page.wait_for_load_state("networkidle")
    waiting = [
        m
        for m in Member.objects.filter(org=org, status__in=("active", "retired")).order_by("name_pinyin")
        if not Contribution.objects.filter(campaign=campaign, member=m, reverses__isnull=True).exists()
    ][:2]
    for m in waiting:
        page.get_by_label(f"{m.name}的金额").fill("100")
    page.get_by_role("button", name="登记这一批").click()
    page.wait_for_load_state("networkidle")
    assert "已登记 2 人捐款，共 200.00 元。" in page.content()
    page.get_by_role("link", name="登记移交").click()
    page.wait_for_load_state("networkidle")
    total = selectors.totals(campaign)["total"]
    page.get_by_label("移交金额（元）").fill(str(total))
    page.get_by_label("收据编号").fill("CS-1126")
    page.get_by_role("button", name="登记移交").click()
    page.wait_for_load_state("networkidle")
    assert "本次活动已结束" in page.content() and "移交记录" in page.content()
    assert fits_the_screen(page)
    shoot(page, "donations-handed-over-phone")
