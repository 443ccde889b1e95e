"""The 兴趣小组 pages in a real Chromium, on a phone and a desktop: they render, fit, and work."""

import pytest
from django.utils import timezone

from jiaogong.clubs import demo
from jiaogong.clubs.models import Membership, Vote
from jiaogong.conftest import shoot
from jiaogong.core.tests.test_browser import fits_the_screen, log_in
from jiaogong.demo import generate_school
from jiaogong.factories import UserFactory, grant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def school(school_a, chair_a):
    today = timezone.localdate()
    grant(UserFactory(username="caiwu"), school_a, "finance")
    members = generate_school(school_a, 40, seed=3, today=today, actor=chair_a)
    clubs = demo.load_clubs(actor=chair_a, school=school_a, members=members, today=today, seed=3)
    voter = (
        Membership.objects.filter(club=clubs[1], left_at__isnull=True)
        .exclude(member_id__in=Vote.objects.values("voter_id"))
        .first()
        .member
    )
    grant(UserFactory(username="laoshi", member=voter), school_a, "member")
    return school_a, clubs, voter


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_every_club_page_renders_and_fits(browser_page, school, viewport):
    org, clubs, _ = school
    pages = {
        "clubs-home": f"/o/{org.pk}/clubs/",
        "clubs-club-budget": f"/o/{org.pk}/clubs/{clubs[0].pk}/",
        "clubs-club-election": f"/o/{org.pk}/clubs/{clubs[1].pk}/",
        "clubs-new": f"/o/{org.pk}/clubs/new/",
        "clubs-session-new": f"/o/{org.pk}/clubs/{clubs[0].pk}/sessions/new/",
        "clubs-budget-new": f"/o/{org.pk}/clubs/{clubs[2].pk}/budget/new/",
    }
    for user, names in (("chair_a", list(pages)), ("caiwu", ["clubs-club-budget"])):
        page = browser_page(viewport)
        log_in(page, user)
        for name in names:
            response = page.goto(pages[name])
            page.wait_for_load_state("networkidle")
            assert response.status == 200, name
            assert fits_the_screen(page), f"{name} scrolls sideways on {viewport}"
            shoot(page, f"{name}{'-finance' if user == 'caiwu' else ''}-{viewport}")


def test_a_member_joins_and_votes_on_a_phone(browser_page, school):
    org, clubs, voter = school
    page = browser_page("phone")
    log_in(page, "laoshi")
    page.goto(f"/o/{org.pk}/clubs/")
    target = next(
        c for c in clubs if not Membership.objects.filter(club=c, member=voter, left_at__isnull=True).exists()
    )
    page.get_by_role("button", name=f"加入{target.name}").click()
    page.wait_for_load_state("networkidle")
    assert f"已加入“{target.name}”。" in page.content() and fits_the_screen(page)
    shoot(page, "clubs-joined-phone")
    page.goto(f"/o/{org.pk}/clubs/{clubs[1].pk}/")
    page.get_by_role("button", name="投票").click()
    page.wait_for_load_state("networkidle")
    assert "已投票" in page.content() and "您已投票给" in page.content()
    assert Vote.objects.filter(voter=voter).count() == 1
    shoot(page, "clubs-voted-phone")
