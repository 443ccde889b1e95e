"""The 报表 page in a real Chromium on a phone (390×844) and a desktop (1280×900): it fits, the
server-drawn SVG chart shows, and the downloads and the receipt form hand over real files."""

import pytest

from jiaogong.conftest import shoot
from jiaogong.core.tests.test_browser import fits_the_screen, log_in
from jiaogong.funds.tests.test_reports import YEAR, finance, media, year_books  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture
def open_page(chromium, live_server):
    contexts = []

    def _open(viewport):
        context = chromium.new_context(
            viewport=VIEWPORTS[viewport], locale="zh-CN", base_url=live_server.url, accept_downloads=True
        )
        contexts.append(context)
        return context.new_page()

    yield _open
    for context in contexts:
        context.close()


@pytest.mark.usefixtures("year_books")
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_reports_page_fits_and_draws_the_chart(open_page, school_a, viewport):
    page = open_page(viewport)
    log_in(page, "kuaiji")
    response = page.goto(f"/o/{school_a.pk}/funds/reports/?year={YEAR}")
    assert response.status == 200
    assert fits_the_screen(page), f"the reports page scrolls sideways on {viewport}"
    chart = page.locator("svg.chart")
    assert chart.is_visible()
    box = chart.bounding_box()
    assert 300 <= box["width"] <= VIEWPORTS[viewport]["width"]
    assert chart.locator("rect").count() == 3
    assert "8,260.50 元（63.1%）" in chart.text_content()
    shoot(page, f"funds-reports-{viewport}")


@pytest.mark.usefixtures("year_books")
def test_the_report_and_a_receipt_download_from_the_page(open_page, school_a):
    page = open_page("phone")
    log_in(page, "kuaiji")
    page.goto(f"/o/{school_a.pk}/funds/reports/?year={YEAR}")
    with page.expect_download() as report:
        page.get_by_role("link", name="下载 Word").click()
    assert report.value.suggested_filename == f"{school_a.name}{YEAR}年度经费收支情况报告.docx"
    page.get_by_label("会员").select_option(label="张三")
    page.get_by_label("期间").select_option(f"{YEAR}-10")
    with page.expect_download() as receipt:
        page.get_by_role("button", name="开具收据").click()
    assert receipt.value.suggested_filename == f"会费收据-张三-{YEAR}年10月.pdf"
    with open(receipt.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
