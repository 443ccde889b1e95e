"""The Content-Security-Policy in a real Chromium: the main pages, as the chair and as a member,
run without one violation (an inline script, handler or eval the policy blocked would be a
broken button), and the data-confirm-message / data-autosubmit behaviours that replaced the inline
handlers work."""

import pytest
from django.utils import timezone

from jiaogong.conftest import PASSWORD, shoot
from jiaogong.demo import generate_school
from jiaogong.factories import UserFactory, grant
from jiaogong.members.models import Member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => {
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile + ':' + e.lineNumber);
});
"""


@pytest.fixture
def school(school_a):
    chair = grant(UserFactory(username="chair", first_name="王主席"), school_a, "chair")
    generate_school(school_a, 20, seed=5, today=timezone.localdate(), actor=chair)
    return school_a, chair


def watched_page(browser_page, viewport):
    page = browser_page(viewport)
    page.add_init_script(WATCH)
    console = []
    page.on(
        "console",
        lambda m: (
            console.append(m.text) if "Content Security Policy" in m.text or m.type == "error" else None
        ),
    )
    page.on("pageerror", lambda e: console.append(f"page error: {e}"))
    return page, console


def log_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("用户名或手机号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state("networkidle")


def visit_the_navigation(page, console) -> list[str]:
    urls = [page.url] + page.eval_on_selector_all(".mainnav a[href]", "els => els.map(e => e.href)")
    assert len(urls) > 3
    for url in urls:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        violations = page.evaluate("window.__csp")
        assert violations == [], f"{url}: {violations}"
    assert not [c for c in console if "Content Security Policy" in c or "page error" in c], console
    return urls


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_chairs_pages_run_under_the_policy(browser_page, school, viewport):
    page, console = watched_page(browser_page, viewport)
    log_in(page, "chair")
    visit_the_navigation(page, console)
    if viewport == "phone":
        shoot(page, "csp-chair-phone")


def test_a_members_pages_run_under_the_policy(browser_page, school):
    org, _ = school
    teacher = Member.objects.filter(org=org, status="active").order_by("id").first()
    grant(UserFactory(username="teacher", member=teacher, first_name=teacher.name), org, "member")
    page, console = watched_page(browser_page, "phone")
    log_in(page, "teacher")
    visit_the_navigation(page, console)


def test_a_confirm_question_still_guards_a_delete(browser_page, school):
    org, _ = school
    page, console = watched_page(browser_page, "desktop")
    log_in(page, "chair")
    page.goto(f"/o/{org.pk}/rules/")
    page.wait_for_load_state("networkidle")
    questions = []
    page.on("dialog", lambda d: (questions.append(d.message), d.dismiss()))
    # The behaviours script reads data-confirm-message: a cancelled question keeps the page where it is.
    page.evaluate(
        """() => {
        const f = document.createElement('form'); f.method = 'post'; f.action = '/nowhere/';
        f.setAttribute('data-confirm-message', '确定吗？'); const b = document.createElement('button'); b.type = 'submit';
        b.id = 'probe'; f.appendChild(b); document.body.appendChild(f); }"""
    )
    before = page.url
    page.click("#probe")
    page.wait_for_timeout(300)
    assert questions == ["确定吗？"] and page.url == before
    assert page.evaluate("window.__csp") == []
