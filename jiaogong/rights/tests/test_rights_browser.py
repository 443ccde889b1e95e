"""The 维权 pages in a real Chromium, on a phone and a desktop: they render, fit the screen, and
the chair records a hearing and an agreement on a phone."""

import pytest
from django.utils import timezone

from jiaogong.conftest import shoot
from jiaogong.core.tests.test_browser import fits_the_screen, log_in
from jiaogong.demo import generate_school
from jiaogong.factories import UserFactory, grant
from jiaogong.rights.demo import load_rights

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(school_a):
    today = timezone.localdate()
    members = generate_school(school_a, 40, seed=4, today=today, actor=None)
    active = [m for m in members if m.status == "active"]
    chair = grant(UserFactory(username="zhuxi", first_name="工会主席", member=active[0]), school_a, "chair")
    made = load_rights(actor=chair, school=school_a, members=members, today=today, seed=4)
    grant(UserFactory(username="laoshi", member=active[-1]), school_a, "member")
    return school_a, made


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_every_rights_page_renders_and_fits(browser_page, demo, viewport):
    org, made = demo
    closed, open_case = made["cases"]
    page = browser_page(viewport)
    log_in(page, "zhuxi")
    pages = {
        "rights-home": f"/o/{org.pk}/rights/",
        "rights-committee": f"/o/{org.pk}/rights/committee/",
        "rights-cases": f"/o/{org.pk}/rights/cases/",
        "rights-case-new": f"/o/{org.pk}/rights/cases/new/",
        "rights-case-closed": f"/o/{org.pk}/rights/cases/{closed.pk}/",
        "rights-case-open": f"/o/{org.pk}/rights/cases/{open_case.pk}/",
        "rights-contract-new": f"/o/{org.pk}/rights/contracts/new/",
        "rights-contract": f"/o/{org.pk}/rights/contracts/{made['contract'].pk}/",
    }
    for name, path in pages.items():
        response = page.goto(path)
        page.wait_for_load_state("networkidle")
        assert response.status == 200, name
        assert fits_the_screen(page), f"{name} scrolls sideways on {viewport}"
        shoot(page, f"{name}-{viewport}")
    member = browser_page(viewport)
    log_in(member, "laoshi")
    for name, path in (
        ("rights-contract-member", pages["rights-contract"]),
        ("rights-cases-member", pages["rights-cases"]),
    ):
        member.goto(path)
        member.wait_for_load_state("networkidle")
        assert fits_the_screen(member)
        shoot(member, f"{name}-{viewport}")
    assert member.goto(pages["rights-case-open"]).status == 404


def test_the_chair_records_a_hearing_and_the_agreement_on_a_phone(browser_page, demo):
    org, made = demo
    open_case = made["cases"][1]
    page = browser_page("phone")
    log_in(page, "zhuxi")
    page.goto(f"/o/{org.pk}/rights/cases/{open_case.pk}/")
    page.get_by_text("登记一次调解").click()
    page.get_by_label("地点").fill("学校会议室")
    page.get_by_label("到场人员").fill("申请人、教务处负责人、调解员三人")
    page.get_by_label("调解记录").fill("教务处书面答复：支教经历按一年计入量化评分。")
    page.get_by_role("button", name="保存").first.click()
    page.wait_for_load_state("networkidle")
    assert "已登记调解记录。" in page.content()
    page.locator("summary", has_text="达成协议").click()
    page.locator("#agreement-agreed").fill(
        "一、学校重新核定申请人量化评分，支教经历计入；\n二、申请人不再提出其他请求。"
    )
    page.get_by_role("button", name="达成协议").click()
    page.wait_for_load_state("networkidle")
    assert "已改为“达成协议”" in page.content()
    assert "下载调解协议书" in page.content()
    assert fits_the_screen(page)
    shoot(page, "rights-case-agreed-phone")


def test_the_chair_checks_an_unchecked_clause_on_a_desktop(browser_page, demo):
    org, made = demo
    contract = made["contract"]
    clause = contract.clauses.get(number=5)
    page = browser_page("desktop")
    log_in(page, "zhuxi")
    page.goto(f"/o/{org.pk}/rights/contracts/{contract.pk}/")
    page.locator(f"#clause-{clause.pk} a", has_text="登记检查").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_label("条款", exact=True).input_value() == str(clause.pk)
    page.get_by_label("结论").select_option("partly")
    page.get_by_label("情况说明").fill("实验室安全检查已做，食堂用电未查。")
    page.get_by_label("整改跟进").fill("下周由总务处补查。")
    assert fits_the_screen(page)
    shoot(page, "rights-contract-check-form-desktop")
    page.locator("#add-check").get_by_role("button", name="保存").click()
    page.wait_for_load_state("networkidle")
    assert "已登记第5条的检查。" in page.content()
    assert clause.checks.get().finding == "partly"
