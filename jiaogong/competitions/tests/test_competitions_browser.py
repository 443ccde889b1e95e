"""Competitions in a real Chromium: the organiser creates a competition on a phone, records a
score on the round page and gives the prizes (refused above the 2/3 rule, then accepted); every
page on a phone and a desktop."""

import pytest
from django.utils import timezone

from jiaogong.competitions import services
from jiaogong.competitions.demo import load_competitions
from jiaogong.competitions.models import Award, Competition, Match
from jiaogong.conftest import shoot
from jiaogong.core.tests.test_browser import fits_the_screen, log_in
from jiaogong.demo import generate_school
from jiaogong.factories import MemberFactory, UserFactory, grant

from .conftest import at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def school(school_a):
    today = timezone.localdate()
    chair = grant(UserFactory(username="zhuxi", first_name="王主席"), school_a, "chair")
    members = generate_school(school_a, 40, seed=5, today=today, actor=chair)
    m = MemberFactory(org=school_a, name="何文体")
    organiser = grant(
        UserFactory(username="wenti", first_name="何文体", member=m), school_a, "sports_culture"
    )
    badminton, tug = load_competitions(actor=organiser, school=school_a, members=members, today=today, seed=2)
    return {"org": school_a, "organiser": organiser, "members": members, "badminton": badminton, "tug": tug}


def test_the_organiser_creates_a_competition_on_a_phone(browser_page, school):
    org = school["org"]
    page = browser_page("phone")
    log_in(page, "wenti")
    page.goto(f"/o/{org.pk}/competitions/")
    assert fits_the_screen(page)
    shoot(page, "competitions-home-phone")
    page.get_by_role("link", name="新建比赛").click()
    page.get_by_label("比赛名称").fill("教职工气排球比赛")
    page.get_by_label("比赛项目").fill("气排球")
    page.get_by_label("团体赛").check()
    page.get_by_label("比赛日期").fill("2027-04-16")
    page.get_by_label("开始时刻").fill("15:30")
    page.get_by_label("结束时刻").fill("17:30")
    page.get_by_label("地点").fill("风雨操场")
    assert fits_the_screen(page)
    shoot(page, "competitions-create-phone")
    page.get_by_role("button", name="创建比赛").click()
    page.wait_for_load_state("networkidle")
    comp = Competition.objects.get(sport="气排球")
    assert page.url.endswith(f"/o/{org.pk}/competitions/{comp.pk}/")
    assert "已创建" in page.content() and comp.activity.kind == "sports"
    # A team with its members, on the phone.
    page.get_by_text("登记参赛队").click()
    page.get_by_label("队名").fill("语文组队")
    options = page.locator("select[name=members] option")
    page.locator("select[name=members]").select_option(
        [options.nth(0).get_attribute("value"), options.nth(1).get_attribute("value")]
    )
    page.get_by_role("button", name="登记").click()
    page.wait_for_load_state("networkidle")
    assert comp.entries.get().people.count() == 2
    assert fits_the_screen(page)
    shoot(page, "competitions-new-detail-phone")


def test_a_score_is_recorded_and_prizes_given_within_the_rule(browser_page, school):
    org, organiser = school["org"], school["organiser"]
    day = timezone.localdate()
    comp = services.create_competition(
        actor=organiser,
        org=org,
        title="教职工乒乓球比赛",
        sport="乒乓球",
        entry_kind="individual",
        starts_at=at(day, 15),
        ends_at=at(day, 17),
    )
    for m in school["members"][:6]:
        services.add_entry(actor=organiser, org=org, competition=comp, members=[m.pk])
    rnd = services.add_round(actor=organiser, org=org, competition=comp, name="循环赛", kind="round_robin")
    services.generate_round_robin(actor=organiser, org=org, round=rnd)
    page = browser_page("phone")
    log_in(page, "wenti")
    page.goto(f"/o/{org.pk}/competitions/{comp.pk}/rounds/{rnd.pk}/")
    first = Match.objects.filter(round=rnd).order_by("id").first()
    row = page.locator(f"#match-form-{first.pk}")
    row.get_by_label(f"{first.home.name}的比分").fill("3")
    row.get_by_label(f"{first.away.name}的比分").fill("1")
    row.get_by_role("button", name="保存比分").click()
    page.wait_for_load_state("networkidle")
    first.refresh_from_db()
    assert (first.home_score, first.away_score) == (3, 1)
    assert "已录入比分" in page.content()
    assert fits_the_screen(page)
    shoot(page, "competitions-round-score-phone")

    # Prizes for 5 of 6 players break the 2/3 rule: refused, naming it; 4 are accepted.
    page.goto(f"/o/{org.pk}/competitions/{comp.pk}/")
    page.get_by_text("设置奖项和名额").click()
    page.get_by_label("一等奖名额").fill("1")
    page.get_by_label("二等奖名额").fill("2")
    page.get_by_label("三等奖名额").fill("2")
    page.get_by_role("button", name="保存奖项").click()
    page.wait_for_load_state("networkidle")
    assert "最多 4 人获奖" in page.content()
    shoot(page, "competitions-prize-refused-phone")
    page.get_by_label("三等奖名额").fill("1")
    page.get_by_role("button", name="保存奖项").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="按名次颁奖").click()
    page.wait_for_load_state("networkidle")
    assert "已按名次颁奖" in page.content()
    assert Award.objects.filter(competition=comp).count() >= 1


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_every_competition_page_fits(browser_page, school, viewport):
    org, badminton = school["org"], school["badminton"]
    page = browser_page(viewport)
    log_in(page, "wenti")
    pages = {
        "home": f"/o/{org.pk}/competitions/",
        "create": f"/o/{org.pk}/competitions/new/",
        "detail": f"/o/{org.pk}/competitions/{badminton.pk}/",
        "team": f"/o/{org.pk}/competitions/{school['tug'].pk}/",
    }
    for r in badminton.rounds.all():
        pages[f"round-{r.position}"] = f"/o/{org.pk}/competitions/{badminton.pk}/rounds/{r.pk}/"
    for name, url in pages.items():
        page.goto(url)
        assert page.locator("h1").count() == 1, name
        assert fits_the_screen(page), name
        shoot(page, f"competitions-{name}-{viewport}")
