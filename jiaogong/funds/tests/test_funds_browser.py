"""The funds pages in a real Chromium, on a phone and a desktop: they render, fit, and work."""

import datetime

import pytest
from django.utils import timezone

from jiaogong.conftest import shoot
from jiaogong.core.tests.test_browser import fits_the_screen, log_in
from jiaogong.factories import MemberFactory, UserFactory, grant
from jiaogong.funds import allocation, benefits, services
from jiaogong.funds import books as books_module
from jiaogong.funds.models import LedgerEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def books(school_a):
    finance = grant(UserFactory(username="kuaiji", first_name="刘会计"), school_a, "finance")
    grant(UserFactory(username="jingshen", first_name="周经审"), school_a, "auditor")
    today = timezone.localdate()
    month = today.replace(day=1)
    staff = [MemberFactory(org=school_a) for _ in range(6)]
    grant(UserFactory(username="laoshi", member=staff[0]), school_a, "member")
    services.put_salary_bases(
        actor=finance,
        org=school_a,
        month=month,
        rows=[
            {"member": m.pk, "components": {"岗位工资": "2830", "薪级工资": str(1200 + 37 * i)}}
            for i, m in enumerate(staff)
        ],
    )
    for kind, category, amount, memo in [
        ("income", "拨缴经费收入", "18600", "学校拨缴工会经费（上半年）"),
        ("expense", "职工活动支出", "3260.50", "教职工趣味运动会奖品"),
        ("expense", "维权支出", "1000", "慰问住院教师"),
    ]:
        services.record_entry(
            actor=finance, org=school_a, date=today, kind=kind, category=category, amount=amount, memo=memo
        )
    books_module.set_budgets(
        actor=finance,
        org=school_a,
        year=today.year,
        amounts={
            ("income", "拨缴经费收入"): "20000",
            ("expense", "职工活动支出"): "3000",
            ("expense", "维权支出"): "5000",
        },
    )
    last = (month - datetime.timedelta(days=1)).replace(day=1)
    a = allocation.declare_payroll(actor=finance, org=school_a, month=last, payroll_total="480000")
    allocation.receive(actor=finance, allocation=a, amount="6000", paid_on=today)
    benefits.give(
        actor=finance,
        org=school_a,
        member=staff[1],
        kind="festival",
        festival="国庆",
        form="goods",
        amount="200",
        date=today,
    )
    return school_a, month


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_every_funds_page_renders_and_fits(browser_page, books, viewport):
    org, month = books
    page = browser_page(viewport)
    log_in(page, "kuaiji")
    pages = {
        "funds-home": f"/o/{org.pk}/funds/",
        "funds-dues": f"/o/{org.pk}/funds/dues/{month:%Y-%m}/",
        "funds-ledger": f"/o/{org.pk}/funds/ledger/",
        "funds-statement": f"/o/{org.pk}/funds/statement/",
        "funds-budget": f"/o/{org.pk}/funds/budget/",
        "funds-allocation": f"/o/{org.pk}/funds/allocation/",
        "funds-benefits": f"/o/{org.pk}/funds/benefits/",
    }
    for name, path in pages.items():
        response = page.goto(path)
        page.wait_for_load_state("networkidle")
        assert response.status == 200, name
        assert fits_the_screen(page), f"{name} scrolls sideways on {viewport}"
        shoot(page, f"{name}-{viewport}")
    member = browser_page(viewport)
    log_in(member, "laoshi")
    member.goto(f"/o/{org.pk}/funds/")
    assert "我的会费" in member.content()
    shoot(member, f"funds-my-dues-{viewport}")


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_federation_page_renders_and_fits(browser_page, books, federation, officer, viewport):
    page = browser_page(viewport)
    log_in(page, "officer")
    response = page.goto(f"/o/{federation.pk}/funds/federation/")
    assert response.status == 200
    assert books[0].name in page.content()
    assert fits_the_screen(page)
    shoot(page, f"funds-federation-{viewport}")


def test_collect_the_roll_then_reverse_an_entry(browser_page, books):
    org, month = books
    page = browser_page("phone")
    log_in(page, "kuaiji")
    page.goto(f"/o/{org.pk}/funds/dues/{month:%Y-%m}/")
    page.get_by_role("button", name="工资代扣").click()
    page.wait_for_load_state("networkidle")
    assert "已按工资代扣入账" in page.content()
    page.goto(f"/o/{org.pk}/funds/ledger/")
    row = page.locator("tr", has_text="教职工趣味运动会奖品")
    row.locator("summary", has_text="冲销").click()
    row.get_by_label("冲销原因").fill("奖品发票重复")
    row.get_by_role("button", name="冲销").click()
    page.wait_for_load_state("networkidle")
    assert "已冲销" in page.content()
    reversal = LedgerEntry.objects.get(reverses__memo="教职工趣味运动会奖品")
    assert str(reversal.amount) == "-3260.50" and "奖品发票重复" in reversal.memo
    shoot(page, "funds-ledger-reversed-phone")
