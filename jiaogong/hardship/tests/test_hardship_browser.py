"""The hardship pages in a real Chromium, on a phone and a desktop: the welfare member creates a
file with household rows and sees its computed category; list, form, detail and the read log."""

import datetime

import pytest

from jiaogong.conftest import shoot
from jiaogong.core.tests.test_browser import fits_the_screen, log_in
from jiaogong.factories import MemberFactory
from jiaogong.hardship import services
from jiaogong.hardship.models import FileRead, HardshipFile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_welfare_member_creates_a_file_and_sees_its_category(
    browser_page, school_a, welfare, teacher, make_file, viewport
):
    older = make_file(
        MemberFactory(org=school_a, name="黄丽", gender="F"),
        opened_on=datetime.date(datetime.date.today().year - 1, 11, 20),
        causes=["single_parent"],
        annual_income="42000",
    )
    services.record_help(
        actor=welfare,
        file=older,
        kind="education",
        given_on=datetime.date.today(),
        form="transfer",
        amount="1500",
    )
    page = browser_page(viewport)
    log_in(page, "welfare_a")
    page.goto(f"/o/{school_a.pk}/welfare/hardship/")
    assert page.get_by_text("未复核").first.is_visible()
    assert fits_the_screen(page)
    shoot(page, f"hardship-list-{viewport}")

    page.get_by_role("link", name="新建档案").click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("职工", exact=True).select_option(str(teacher.pk))
    page.get_by_label("当年致困支出（元）").fill("0")
    page.get_by_label("第1位家庭成员姓名").fill("王强")
    page.get_by_label("第1位与职工关系").fill("配偶")
    page.get_by_label("第1位出生年份").fill("1982")
    page.get_by_label("第1位职业或状况").fill("病休")
    page.get_by_label("第1位健康状况").fill("尿毒症透析")
    page.get_by_label("第2位家庭成员姓名").fill("王小雨")
    page.get_by_label("第2位与职工关系").fill("女儿")
    page.get_by_label("第2位出生年份").fill("2013")
    page.get_by_label("第1项收入项目").select_option("工资收入")
    page.get_by_label("第1项收入金额").fill("48000")
    page.get_by_label("第1项支出项目").select_option("医疗")
    page.get_by_label("第1项支出金额").fill("24000")
    page.get_by_label("因病").check()
    page.get_by_label("本人健康状况").fill("健康")
    assert fits_the_screen(page)
    shoot(page, f"hardship-form-{viewport}")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state("networkidle")

    file = HardshipFile.objects.get(member=teacher)
    # (48000 − 24000) / 12 / 3 = 666.67 < 800: deep
    assert (file.household_size, file.category) == (3, "deep")
    assert page.locator("#category").inner_text() == "深度困难"
    assert page.get_by_text("家庭人均月收入 666.67 元，低于当地低保标准 800.00 元。").is_visible()
    assert page.get_by_text("尿毒症透析").is_visible()
    assert FileRead.objects.filter(file=file, via="web").count() == 1
    assert fits_the_screen(page)
    shoot(page, f"hardship-detail-{viewport}")

    page.get_by_text("登记帮扶").click()
    page.get_by_label("帮扶类型").select_option("medical")
    page.get_by_label("金额（元）", exact=True).fill("3000")
    page.get_by_role("button", name="登记", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("已登记医疗救助 3000.00 元，并已记账").is_visible()
    shoot(page, f"hardship-detail-help-{viewport}")


def test_a_bad_form_shows_chinese_messages_on_a_phone(browser_page, school_a, welfare, teacher):
    page = browser_page("phone")
    log_in(page, "welfare_a")
    page.goto(f"/o/{school_a.pk}/welfare/hardship/new/")
    page.get_by_label("职工", exact=True).select_option(str(teacher.pk))
    page.get_by_label("家庭人口（含本人）").fill("0")
    page.get_by_label("家庭年收入（元）").fill("3万")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("家庭人口数至少为 1（职工本人）。").is_visible()
    assert page.get_by_text("家庭年收入应填写数字").is_visible()
    assert HardshipFile.objects.count() == 0
    shoot(page, "hardship-form-errors-phone")
