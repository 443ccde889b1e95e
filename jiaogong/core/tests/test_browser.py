"""The foundation through a real Chromium: log in, find 张三 by `zs`, import a roster, manage
groups and the committee, and every page on a phone and a desktop (screenshots in artifacts/)."""

import datetime

import pytest
from django.utils import timezone

from jiaogong.conftest import PASSWORD, shoot
from jiaogong.demo import generate_school
from jiaogong.factories import MemberFactory, UserFactory, grant, make_id_number, roster_xlsx
from jiaogong.members import services
from jiaogong.members.models import Member, UnionGroup

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def school(federation, school_a):
    """School A with a realistic roster (generated like the demo), 张三 among them."""
    today = timezone.localdate()
    chair = grant(UserFactory(username="chair", first_name="王主席", phone="13800001234"), school_a, "chair")
    generate_school(school_a, 60, seed=3, today=today, actor=chair)
    group = UnionGroup.objects.filter(org=school_a).order_by("id").first()
    zhang = MemberFactory(org=school_a, name="张三", gender="M", union_group=group, status="applicant")
    services.approve_application(actor=chair, member=zhang, approved_on=today, meeting="工会委员会第3次会议")
    services.update_member(actor=chair, member=zhang, data={"post": "语文教研组长"})
    return school_a, chair, zhang


def log_in(page, identifier: str):
    page.goto("/accounts/login/")
    page.get_by_label("用户名或手机号").fill(identifier)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state("networkidle")


def fits_the_screen(page) -> bool:
    """No sideways scrolling of the whole page (wide tables scroll inside their own box)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_chair_logs_in_by_phone_finds_zs_and_sees_his_history(browser_page, school, viewport):
    org, _, zhang = school
    page = browser_page(viewport)
    log_in(page, "13800001234")
    assert page.url.endswith(f"/o/{org.pk}/")
    assert page.get_by_role("heading", name=org.name).is_visible() or org.name in page.content()
    assert fits_the_screen(page)
    shoot(page, f"dashboard-{viewport}")

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="会员").click()
    page.wait_for_load_state("networkidle")
    total = page.locator("#member-results .member-row, #member-results tbody tr").count()
    search = page.get_by_placeholder("查找：姓名、拼音或首字母，如 zs")
    search.press_sequentially("zs", delay=50)
    # htmx swaps the results in place; no page load.
    page.wait_for_function(
        "() => document.querySelector('#member-results').innerText.includes('张三')"
        " && !document.querySelector('#member-results').innerText.includes('王')"
    )
    rows = page.locator("#member-results .member-row, #member-results tbody tr").count()
    expected = Member.objects.filter(org=org, name_initials__startswith="zs").count()
    assert rows == expected < total
    assert fits_the_screen(page)
    shoot(page, f"search-zs-{viewport}")

    page.locator("#member-results").get_by_role("link", name="张三").first.click()
    page.wait_for_url(f"**/members/{zhang.pk}/")
    history = page.content()
    assert "工会委员会第3次会议" in history and "语文教研组长" in history
    assert fits_the_screen(page)
    shoot(page, f"member-detail-{viewport}")


def test_import_reports_each_bad_row_writes_nothing_then_imports_the_corrected_file(
    browser_page, school, tmp_path
):
    org, _, _ = school
    before = Member.objects.filter(org=org).count()
    birth = datetime.date(1990, 3, 8)
    good = [
        "刘晓梅",
        "女",
        birth.isoformat(),
        make_id_number(birth, "F", 417),
        "13912345678",
        "2012-09-01",
        "是",
        "",
        "2012-10-01",
        "在册",
    ]
    bad_id = ["赵强", "男", "1985-05-05", "110101198505050000", "", "2008-09-01", "是", "", "", "在册"]
    bad_date = ["孙丽", "女", "1987-13-40", "", "", "", "是", "", "", "在册"]
    wrong = tmp_path / "去年名册.xlsx"
    wrong.write_bytes(roster_xlsx([good, bad_id, bad_date]))

    page = browser_page("phone")
    log_in(page, "chair")
    page.goto(f"/o/{org.pk}/members/import/")
    page.get_by_label("名册文件（.xlsx）").set_input_files(str(wrong))
    page.get_by_role("button", name="上传并导入").click()
    page.wait_for_load_state("networkidle")
    report = page.locator(".import-report")
    assert "未导入任何数据" in report.inner_text()
    cells = report.locator("tbody tr").all_inner_texts()
    assert any(c.startswith("3") and "身份证号" in c for c in cells), cells
    assert any(c.startswith("4") and "出生日期" in c for c in cells), cells
    assert Member.objects.filter(org=org).count() == before
    assert fits_the_screen(page)
    shoot(page, "import-report-phone")

    right = tmp_path / "改正后.xlsx"
    right.write_bytes(roster_xlsx([good]))
    page.get_by_label("名册文件（.xlsx）").set_input_files(str(right))
    page.get_by_role("button", name="上传并导入").click()
    page.wait_for_load_state("networkidle")
    assert "新增 1 人" in page.locator(".import-done").inner_text()
    assert Member.objects.filter(org=org, name="刘晓梅").exists()
    shoot(page, "import-done-phone")


def test_chair_builds_a_group_and_a_committee(browser_page, school):
    org, _, zhang = school
    page = browser_page("desktop")
    log_in(page, "chair")

    page.goto(f"/o/{org.pk}/groups/")
    page.get_by_text("新建工会小组").click()
    page.get_by_label("小组名称").fill("体育艺术组")
    page.get_by_role("button", name="建立小组").click()
    page.wait_for_load_state("networkidle")
    assert UnionGroup.objects.filter(org=org, name="体育艺术组").exists()
    assert "体育艺术组" in page.content()

    page.goto(f"/o/{org.pk}/committee/")
    page.locator("#new-term summary").click()
    form = page.locator("#new-term form")
    form.get_by_label("机构").select_option("union")
    form.get_by_label("选举日期").fill(datetime.date(timezone.localdate().year - 1, 9, 1).isoformat())
    form.get_by_label("任期").select_option("5")
    form.get_by_role("button", name="建立").click()
    page.wait_for_load_state("networkidle")

    page.locator("#add-seat summary").click()
    seat = page.locator("#add-seat form")
    chosen = Member.objects.filter(org=org, status="active").exclude(pk=zhang.pk).order_by("id").first()
    seat.get_by_label("会员").select_option(str(chosen.pk))
    seat.get_by_label("职务").select_option("chair")
    seat.get_by_role("button", name="保存").click()
    page.wait_for_load_state("networkidle")
    assert chosen.name in page.locator("main").inner_text()
    assert chosen.committee_seats.filter(position="chair", until__isnull=True).exists()
    shoot(page, "committee-desktop")


def test_federation_officer_sees_every_school_and_opens_one(
    browser_page, school, federation, school_b, officer
):
    org, _, _ = school
    page = browser_page("phone")
    log_in(page, "officer")
    assert page.url.endswith(f"/o/{federation.pk}/schools/")
    text = page.locator("main").inner_text()
    assert org.name in text and school_b.name in text
    assert fits_the_screen(page)
    shoot(page, "federation-phone")
    page.get_by_role("link", name=org.name).click()
    page.wait_for_url(f"**/o/{org.pk}/")


def test_a_bad_login_says_why_in_chinese(browser_page, school):
    page = browser_page("phone")
    page.goto("/accounts/login/")
    page.get_by_label("用户名或手机号").fill("chair")
    page.get_by_label("密码").fill("not-the-password")
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("alert").is_visible()
    assert "/accounts/login/" in page.url
    shoot(page, "login-error-phone")


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_every_page_renders_and_fits(browser_page, school, viewport):
    org, _, zhang = school
    group = UnionGroup.objects.filter(org=org).order_by("id").first()
    pages = {
        "login": None,
        "dashboard": f"/o/{org.pk}/",
        "members": f"/o/{org.pk}/members/",
        "members-women": f"/o/{org.pk}/members/?list=women",
        "member-new": f"/o/{org.pk}/members/new/",
        "member-edit": f"/o/{org.pk}/members/{zhang.pk}/edit/",
        "member-status": f"/o/{org.pk}/members/{zhang.pk}/status/",
        "import": f"/o/{org.pk}/members/import/",
        "groups": f"/o/{org.pk}/groups/",
        "group": f"/o/{org.pk}/groups/{group.pk}/",
        "committee": f"/o/{org.pk}/committee/",
        "rules": f"/o/{org.pk}/rules/",
        "rule-edit": f"/o/{org.pk}/rules/?key=members.youth_max_age",
        "audit": f"/o/{org.pk}/audit/",
    }
    page = browser_page(viewport)
    page.goto("/accounts/login/")
    shoot(page, f"page-login-{viewport}")
    log_in(page, "chair")
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    for name, path in pages.items():
        if path is None:
            continue
        response = page.goto(path)
        page.wait_for_load_state("networkidle")
        assert response.status == 200, (name, response.status)
        assert page.locator("h1").count() >= 1, name
        assert fits_the_screen(page), f"{name} scrolls sideways on {viewport}"
        shoot(page, f"page-{name}-{viewport}")
    assert errors == []
