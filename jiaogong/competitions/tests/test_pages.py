"""The pages: who sees and who runs them (404 outsider, 403 wrong role on every view), the forms'
flows, and refused input re-rendered with its message and nothing written."""

import pytest
from django.urls import reverse

from jiaogong.competitions import services
from jiaogong.competitions.models import Award, Competition, Division, Entry, Match, PrizeTier, Round, Score
from jiaogong.factories import MemberFactory


@pytest.fixture
def staged(badminton, school_a, organiser):
    """The badminton competition drawn into four groups with its group stage generated, plus a
    scored round, one match played and prizes set."""
    services.draw_divisions(actor=organiser, org=school_a, competition=badminton, groups=4, seed=3)
    rnd = services.add_round(
        actor=organiser,
        org=school_a,
        competition=badminton,
        name="小组赛",
        kind="round_robin",
        by_division=True,
    )
    services.generate_round_robin(actor=organiser, org=school_a, round=rnd)
    scored = services.add_round(
        actor=organiser, org=school_a, competition=badminton, name="技巧赛", kind="scores"
    )
    match = Match.objects.filter(round=rnd).first()
    services.record_match_result(actor=organiser, org=school_a, match=match, home_score=2, away_score=1)
    services.set_prizes(
        actor=organiser, org=school_a, competition=badminton, tiers=[("一等奖", 1), ("二等奖", 2)]
    )
    entry = Entry.objects.filter(competition=badminton).first()
    return {"comp": badminton, "round": rnd, "scored": scored, "match": match, "entry": entry}


def urls(s, org):
    c = s["comp"]
    o = org.pk
    return {
        "home": ("GET", reverse("competitions:home", args=[o])),
        "create": ("GET", reverse("competitions:create", args=[o])),
        "detail": ("GET", reverse("competitions:detail", args=[o, c.pk])),
        "round": ("GET", reverse("competitions:round", args=[o, c.pk, s["round"].pk])),
        "results": ("GET", reverse("competitions:results", args=[o, c.pk])),
        "certificates": ("GET", reverse("competitions:certificates", args=[o, c.pk])),
        "create_post": ("POST", reverse("competitions:create", args=[o])),
        "entry_add": ("POST", reverse("competitions:entry_add", args=[o, c.pk])),
        "entry_import": ("POST", reverse("competitions:entry_import", args=[o, c.pk])),
        "entry_remove": ("POST", reverse("competitions:entry_remove", args=[o, c.pk, s["entry"].pk])),
        "draw": ("POST", reverse("competitions:draw", args=[o, c.pk])),
        "by_group": ("POST", reverse("competitions:by_group", args=[o, c.pk])),
        "round_add": ("POST", reverse("competitions:round_add", args=[o, c.pk])),
        "generate": ("POST", reverse("competitions:generate", args=[o, c.pk, s["round"].pk])),
        "match_add": ("POST", reverse("competitions:match_add", args=[o, c.pk, s["round"].pk])),
        "match_result": ("POST", reverse("competitions:match_result", args=[o, c.pk, s["match"].pk])),
        "scores": ("POST", reverse("competitions:scores", args=[o, c.pk, s["scored"].pk])),
        "prizes": ("POST", reverse("competitions:prizes", args=[o, c.pk])),
        "award": ("POST", reverse("competitions:award", args=[o, c.pk])),
        "revoke": ("POST", reverse("competitions:revoke", args=[o, c.pk])),
    }


READ = {"home", "detail", "round", "results"}
ALL = [
    "home",
    "create",
    "detail",
    "round",
    "results",
    "certificates",
    "create_post",
    "entry_add",
    "entry_import",
    "entry_remove",
    "draw",
    "by_group",
    "round_add",
    "generate",
    "match_add",
    "match_result",
    "scores",
    "prizes",
    "award",
    "revoke",
]


def counts():
    return [m.objects.count() for m in (Competition, Entry, Division, Round, Match, Score, PrizeTier, Award)]


def call(client, method, url):
    return client.get(url) if method == "GET" else client.post(url, {"home_score": "2", "away_score": "0"})


@pytest.mark.parametrize("name", ALL)
def test_an_outsider_gets_404_everywhere_and_writes_nothing(login, staged, school_a, outsider_b, name):
    before = counts()
    method, url = urls(staged, school_a)[name]
    assert call(login(outsider_b), method, url).status_code == 404
    assert counts() == before


@pytest.mark.parametrize("name", ALL)
def test_a_department_login_gets_403_everywhere(login, staged, school_a, department_a, name):
    method, url = urls(staged, school_a)[name]
    assert call(login(department_a), method, url).status_code == 403


@pytest.mark.parametrize("name", sorted(set(ALL) - READ))
def test_a_plain_member_cannot_run_a_competition(login, staged, school_a, member_a, name):
    before = counts()
    method, url = urls(staged, school_a)[name]
    assert call(login(member_a), method, url).status_code == 403
    assert counts() == before


@pytest.mark.parametrize("name", sorted(READ))
def test_a_member_reads_the_competition(login, staged, school_a, member_a, name):
    method, url = urls(staged, school_a)[name]
    r = login(member_a).get(url)
    assert r.status_code == 200
    if name in {"detail", "round"}:
        assert "录入比分" not in r.content.decode() and "登记参赛会员" not in r.content.decode()


def test_another_schools_competition_id_under_my_school_is_404(login, staged, school_b, outsider_b):
    # outsider_b is chair of school B: the competition of school A under B's prefix does not exist.
    url = reverse("competitions:detail", args=[school_b.pk, staged["comp"].pk])
    assert login(outsider_b).get(url).status_code == 404


def test_the_organiser_creates_a_competition_with_its_activity(login, school_a, organiser):
    r = login(organiser).post(
        reverse("competitions:create", args=[school_a.pk]),
        {
            "title": "教职工气排球比赛",
            "sport": "气排球",
            "entry_kind": "team",
            "date": "2026-11-06",
            "start_time": "15:30",
            "end_time": "17:30",
            "location": "风雨操场",
            "higher_is_better": "1",
            "points_win": "2",
            "points_draw": "1",
            "points_loss": "0",
            "registration": "on",
        },
    )
    comp = Competition.objects.get()
    assert r.status_code == 302 and r.url == reverse("competitions:detail", args=[school_a.pk, comp.pk])
    assert comp.activity.kind == "sports" and comp.activity.registration and comp.is_team
    page = login(organiser).get(r.url).content.decode()
    assert "教职工气排球比赛" in page and "登记参赛队" in page


GOOD = {
    "title": "拔河比赛",
    "sport": "拔河",
    "entry_kind": "team",
    "date": "2026-11-06",
    "start_time": "15:00",
    "end_time": "17:00",
    "higher_is_better": "1",
    "points_win": "2",
    "points_draw": "1",
    "points_loss": "0",
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": ""}, "请填写比赛名称"),
        ({"start_time": "17:00", "end_time": "15:00"}, "结束时间不能早于开始时间"),
        ({"date": "2026-13-01"}, "日期格式不对"),
        ({"points_win": "0", "points_draw": "1"}, "胜 ≥ 平 ≥ 负"),
        ({"entry_kind": "pairs"}, "选择一个有效的选项"),
    ],
)
def test_a_bad_new_competition_is_422_in_chinese_and_writes_nothing(
    login, school_a, organiser, change, message
):
    r = login(organiser).post(reverse("competitions:create", args=[school_a.pk]), GOOD | change)
    assert r.status_code == 422
    assert message in r.content.decode()
    assert not Competition.objects.exists()


def test_entering_a_member_twice_is_refused_on_the_page(login, staged, school_a, organiser):
    s = staged
    member = s["entry"].people.first().member
    r = login(organiser).post(
        reverse("competitions:entry_add", args=[school_a.pk, s["comp"].pk]), {"members": member.pk}
    )
    assert r.status_code == 422 and "已在本比赛的参赛名单中" in r.content.decode()
    assert Entry.objects.count() == 12


def test_the_organiser_enters_a_member_and_a_team(
    login, badminton, make_competition, school_a, organiser, players
):
    newcomer = MemberFactory(org=school_a, name="新老师")
    r = login(organiser).post(
        reverse("competitions:entry_add", args=[school_a.pk, badminton.pk]),
        {"members": newcomer.pk, "seed": "1"},
    )
    assert r.status_code == 302
    assert Entry.objects.get(name="新老师").seed == 1
    tug = make_competition(title="拔河", sport="拔河", entry_kind="team")
    r = login(organiser).post(
        reverse("competitions:entry_add", args=[school_a.pk, tug.pk]),
        {"name": "语文组队", "members": [players[0].pk, players[3].pk]},
    )
    assert r.status_code == 302
    assert Entry.objects.get(competition=tug).people.count() == 2


def test_the_draw_on_the_page(login, badminton, school_a, organiser):
    r = login(organiser).post(
        reverse("competitions:draw", args=[school_a.pk, badminton.pk]), {"groups": "4", "seed": "88"}
    )
    assert r.status_code == 302
    page = (
        login(organiser)
        .get(reverse("competitions:detail", args=[school_a.pk, badminton.pk]))
        .content.decode()
    )
    assert "第四组（3）" in page and "抽签种子 88" in page


def test_a_bad_draw_on_the_page_is_422(login, badminton, school_a, organiser):
    r = login(organiser).post(
        reverse("competitions:draw", args=[school_a.pk, badminton.pk]), {"groups": "12"}
    )
    assert r.status_code == 422 and "分几组不能大于 10" in r.content.decode()
    assert not Division.objects.exists()


def test_recording_a_score_on_the_round_page(login, staged, school_a, organiser):
    s = staged
    m = Match.objects.filter(round=s["round"], home_score__isnull=True).first()
    url = reverse("competitions:match_result", args=[school_a.pk, s["comp"].pk, m.pk])
    r = login(organiser).post(url, {"home_score": "21", "away_score": "15"})
    assert r.status_code == 302 and f"#match-{m.pk}" in r.url
    m.refresh_from_db()
    assert (m.home_score, m.away_score) == (21, 15)
    r = login(organiser).post(url, {"home_score": "-3", "away_score": "15"})
    assert r.status_code == 422 and "之间的数" in r.content.decode()
    m.refresh_from_db()
    assert m.home_score == 21


def test_a_bad_score_sheet_saves_nothing_and_keeps_what_was_typed(login, staged, school_a, organiser):
    s = staged
    entries = list(Entry.objects.filter(competition=s["comp"]).order_by("id"))
    url = reverse("competitions:scores", args=[school_a.pk, s["comp"].pk, s["scored"].pk])
    r = login(organiser).post(url, {f"entry_{entries[0].pk}": "38", f"entry_{entries[1].pk}": "很多"})
    assert r.status_code == 422
    page = r.content.decode()
    assert "不是数字" in page and 'value="38"' in page
    assert not Score.objects.exists()
    r = login(organiser).post(url, {f"entry_{entries[0].pk}": "38", f"entry_{entries[1].pk}": "41"})
    assert r.status_code == 302 and Score.objects.count() == 2


def test_prizes_over_the_rule_are_refused_on_the_page(login, staged, school_a, organiser):
    s = staged
    url = reverse("competitions:prizes", args=[school_a.pk, s["comp"].pk])
    r = login(organiser).post(
        url,
        {
            "name_0": "一等奖",
            "count_0": "3",
            "name_1": "二等奖",
            "count_1": "3",
            "name_2": "三等奖",
            "count_2": "3",
            "name_3": "优胜奖",
            "count_3": "0",
        },
    )
    assert r.status_code == 422
    assert "最多 8 人获奖" in r.content.decode()
    assert list(PrizeTier.objects.values_list("name", "count")) == [("一等奖", 1), ("二等奖", 2)]


def test_award_certificates_and_revoke_on_the_page(login, staged, school_a, organiser):
    s = staged
    c = login(organiser)
    r = c.post(reverse("competitions:award", args=[school_a.pk, s["comp"].pk]))
    assert r.status_code == 302
    assert Award.objects.exists()
    page = c.get(reverse("competitions:detail", args=[school_a.pk, s["comp"].pk])).content.decode()
    assert "下载荣誉证书" in page and "撤销颁奖" in page
    r = c.get(reverse("competitions:certificates", args=[school_a.pk, s["comp"].pk]))
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    r = c.post(reverse("competitions:revoke", args=[school_a.pk, s["comp"].pk]))
    assert r.status_code == 302 and not Award.objects.exists()


def test_certificates_before_any_award_send_back_with_a_message(login, staged, school_a, organiser):
    r = login(organiser).get(
        reverse("competitions:certificates", args=[school_a.pk, staged["comp"].pk]), follow=True
    )
    assert "还没有颁奖" in r.content.decode()


def test_the_results_sheet_downloads(login, staged, school_a, member_a):
    r = login(member_a).get(reverse("competitions:results", args=[school_a.pk, staged["comp"].pk]))
    assert r.status_code == 200
    assert r["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert r["Content-Disposition"].startswith("attachment") and ".xlsx" in r["Content-Disposition"]


def test_the_page_links_to_its_activity(login, staged, school_a, member_a):
    comp = staged["comp"]
    page = login(member_a).get(reverse("competitions:detail", args=[school_a.pk, comp.pk])).content.decode()
    assert f'href="{reverse("activities:detail", args=[school_a.pk, comp.activity_id])}"' in page


def test_confirmed_sign_ups_are_imported_from_the_page(login, badminton, school_a, organiser):
    from jiaogong.activities.models import Registration

    newcomer = MemberFactory(org=school_a, name="报名者")
    Registration.objects.create(
        org=school_a, activity=badminton.activity, member=newcomer, status="confirmed"
    )
    page = (
        login(organiser)
        .get(reverse("competitions:detail", args=[school_a.pk, badminton.pk]))
        .content.decode()
    )
    assert "导入活动报名（已确认 1 人）" in page
    r = login(organiser).post(
        reverse("competitions:entry_import", args=[school_a.pk, badminton.pk]), follow=True
    )
    assert "已从报名名单导入 1 人：报名者" in r.content.decode()
    assert Entry.objects.get(name="报名者").registration_id is not None


def test_a_team_competition_does_not_import_sign_ups(login, make_competition, school_a, organiser):
    tug = make_competition(title="拔河", sport="拔河", entry_kind="team")
    r = login(organiser).post(reverse("competitions:entry_import", args=[school_a.pk, tug.pk]))
    assert r.status_code == 422 and "团体赛请先建队" in r.content.decode()
    assert not Entry.objects.exists()


def test_adding_a_round_and_generating_its_matches_on_the_page(login, badminton, school_a, organiser):
    c = login(organiser)
    r = c.post(
        reverse("competitions:round_add", args=[school_a.pk, badminton.pk]),
        {"name": "小组赛", "kind": "round_robin", "by_division": "on"},
    )
    assert r.status_code == 422 and "还没有分组" in r.content.decode()
    assert not Round.objects.exists()
    c.post(reverse("competitions:draw", args=[school_a.pk, badminton.pk]), {"groups": "2", "seed": "1"})
    r = c.post(
        reverse("competitions:round_add", args=[school_a.pk, badminton.pk]),
        {"name": "小组赛", "kind": "round_robin", "by_division": "on"},
    )
    rnd = Round.objects.get()
    assert r.status_code == 302 and r.url == reverse(
        "competitions:round", args=[school_a.pk, badminton.pk, rnd.pk]
    )
    r = c.post(reverse("competitions:generate", args=[school_a.pk, badminton.pk, rnd.pk]))
    assert r.status_code == 302 and Match.objects.filter(round=rnd).count() == 2 * 15
    r = c.post(reverse("competitions:generate", args=[school_a.pk, badminton.pk, rnd.pk]))
    assert r.status_code == 422 and Match.objects.filter(round=rnd).count() == 30


def test_a_knockout_match_is_added_on_the_page(login, badminton, school_a, organiser):
    final = services.add_round(
        actor=organiser, org=school_a, competition=badminton, name="决赛", kind="knockout"
    )
    a, b = Entry.objects.filter(competition=badminton)[:2]
    url = reverse("competitions:match_add", args=[school_a.pk, badminton.pk, final.pk])
    r = login(organiser).post(url, {"home": a.pk, "away": a.pk})
    assert r.status_code == 422 and "不能是同一个参赛者" in r.content.decode()
    r = login(organiser).post(url, {"home": a.pk, "away": b.pk})
    assert r.status_code == 302 and Match.objects.get().home == a


def test_the_list_shows_the_competitions(login, staged, school_a, member_a):
    page = login(member_a).get(reverse("competitions:home", args=[school_a.pk])).content.decode()
    assert "2026年教职工羽毛球比赛" in page and "12 人" in page and "新建比赛" not in page
