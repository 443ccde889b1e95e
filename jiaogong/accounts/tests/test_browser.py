"""The account menu, the API token page and the password page in a real Chromium, on a phone."""

import pytest

from jiaogong.accounts.models import ApiToken
from jiaogong.conftest import PASSWORD, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page):
    page.goto("/accounts/login/")
    page.get_by_label("用户名或手机号").fill("chair_a")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state("networkidle")


def test_a_chair_makes_and_revokes_a_token_from_the_account_menu_on_a_phone(browser_page, chair_a):
    page = browser_page("phone")
    log_in(page)
    page.locator(".usermenu summary").click()
    page.get_by_role("link", name="API 令牌").click()
    page.get_by_label("名称（用途）").fill("对账脚本")
    page.get_by_role("button", name="生成新令牌").click()
    page.wait_for_load_state("networkidle")
    secret = page.locator(".token-secret").inner_text()
    assert ApiToken.objects.get().digest == ApiToken.digest_of(secret)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shoot(page, "api-tokens-phone")
    page.get_by_role("button", name="作废").click()
    assert page.get_by_text("令牌“对账脚本”已作废。").is_visible()
    assert ApiToken.objects.get().revoked_at is not None


def test_the_password_page_is_reached_from_the_account_menu(browser_page, chair_a):
    page = browser_page("phone")
    log_in(page)
    page.locator(".usermenu summary").click()
    page.get_by_role("link", name="修改密码").click()
    page.get_by_label("原密码").fill(PASSWORD)
    page.get_by_label("新密码", exact=True).fill("Bamboo-river-42")
    page.get_by_label("再次输入新密码").fill("Bamboo-river-42")
    page.get_by_role("button", name="修改密码").click()
    assert page.get_by_text("密码已修改").is_visible()
    chair_a.refresh_from_db()
    assert chair_a.check_password("Bamboo-river-42")
