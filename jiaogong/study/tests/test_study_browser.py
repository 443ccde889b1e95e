"""The 学习 pages in a real Chromium, on a phone and a desktop: they render, fit, and work."""

import pytest
from django.utils import timezone

from jiaogong.conftest import shoot
from jiaogong.core.tests.test_browser import fits_the_screen, log_in
from jiaogong.demo import generate_school
from jiaogong.factories import UserFactory, grant
from jiaogong.study import demo
from jiaogong.study.models import Reflection

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def school(school_a, chair_a, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    today = timezone.localdate()
    members = generate_school(school_a, 40, seed=5, today=today, actor=chair_a)
    sessions = demo.load_study(actor=chair_a, school=school_a, members=members, today=today, seed=5)
    writer = next(
        m for m in members if m.status == "active" and not Reflection.objects.filter(member=m).exists()
    )
    grant(UserFactory(username="laoshi", member=writer), school_a, "member")
    return school_a, sessions, writer


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_every_study_page_renders_and_fits(browser_page, school, viewport):
    org, sessions, _ = school
    year = timezone.localdate().year
    pages = {
        "study-home": f"/o/{org.pk}/study/",
        "study-session-organiser": f"/o/{org.pk}/study/{sessions[0].pk}/",
        "study-new": f"/o/{org.pk}/study/new/",
        "study-reading-chair": f"/o/{org.pk}/study/reading/?year={year}",
    }
    page = browser_page(viewport)
    log_in(page, "chair_a")
    for name, path in pages.items():
        response = page.goto(path)
        page.wait_for_load_state("networkidle")
        assert response.status == 200, name
        assert fits_the_screen(page), f"{name} scrolls sideways on {viewport}"
        shoot(page, f"{name}-{viewport}")
    member = browser_page(viewport)
    log_in(member, "laoshi")
    for name, path in (
        ("study-session-member", pages["study-session-organiser"]),
        ("study-reading-member", pages["study-reading-chair"]),
    ):
        member.goto(path)
        member.wait_for_load_state("networkidle")
        assert fits_the_screen(member), f"{name} scrolls sideways on {viewport}"
        shoot(member, f"{name}-{viewport}")


def test_a_member_submits_a_reflection_on_a_phone(browser_page, school):
    org, sessions, writer = school
    page = browser_page("phone")
    log_in(page, "laoshi")
    page.goto(f"/o/{org.pk}/study/{sessions[0].pk}/")
    page.get_by_label("我的心得体会").fill("学习《教师法》，明确了教师的权利和义务，要依法执教、为人师表。")
    page.get_by_role("button", name="提交心得").click()
    page.wait_for_load_state("networkidle")
    assert "心得已提交。" in page.content()
    assert Reflection.objects.get(member=writer, session=sessions[0]).text.startswith("学习《教师法》")
    shoot(page, "study-reflected-phone")
