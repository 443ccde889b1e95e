"""API v1, competitions: the list, one competition with its ranking, recording a match result and
a round's scores; 404 for outsiders, 403 for wrong roles, 400 for bad input with nothing written."""

import pytest

from jiaogong.competitions import services
from jiaogong.competitions.models import Entry, Match, Score


@pytest.fixture
def staged(badminton, school_a, organiser):
    services.draw_divisions(actor=organiser, org=school_a, competition=badminton, groups=4, seed=5)
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
    return {
        "comp": badminton,
        "round": rnd,
        "scored": scored,
        "match": Match.objects.filter(round=rnd).first(),
    }


def paths(s):
    c = s["comp"]
    return {
        "list": ("GET", f"/orgs/{c.org_id}/competitions", None),
        "get": ("GET", f"/competitions/{c.pk}", None),
        "result": (
            "POST",
            f"/competitions/{c.pk}/matches/{s['match'].pk}/result",
            {"home_score": 2, "away_score": 1},
        ),
        "scores": (
            "POST",
            f"/competitions/{c.pk}/rounds/{s['scored'].pk}/scores",
            {"scores": [{"entry": Entry.objects.filter(competition=c).first().pk, "value": "30"}]},
        ),
    }


def call(client, method, path, body):
    return client.get(path) if method == "GET" else client.post(path, body)


@pytest.mark.parametrize("name", ["list", "get", "result", "scores"])
def test_an_outsider_gets_404_and_writes_nothing(api, staged, outsider_b, name):
    method, path, body = paths(staged)[name]
    r = call(api(outsider_b), method, path, body)
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    assert not Score.objects.exists() and not Match.objects.filter(home_score__isnull=False).exists()


@pytest.mark.parametrize("name", ["list", "get", "result", "scores"])
def test_a_department_login_gets_403(api, staged, department_a, name):
    method, path, body = paths(staged)[name]
    r = call(api(department_a), method, path, body)
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize("name", ["result", "scores"])
def test_a_plain_member_cannot_record_results(api, staged, member_a, name):
    method, path, body = paths(staged)[name]
    assert call(api(member_a), method, path, body).status_code == 403
    assert not Score.objects.exists() and not Match.objects.filter(home_score__isnull=False).exists()


def test_no_token_is_401(api, staged):
    assert api().get(f"/competitions/{staged['comp'].pk}").status_code == 401


def test_an_unknown_competition_is_404(api, organiser):
    assert api(organiser).get("/competitions/999999").status_code == 404


def test_a_member_lists_and_reads_a_competition_with_its_ranking(api, staged, school_a, member_a, organiser):
    m = staged["match"]
    services.record_match_result(actor=organiser, org=school_a, match=m, home_score=2, away_score=0)
    r = api(member_a).get(f"/orgs/{school_a.pk}/competitions")
    assert r.status_code == 200
    assert r.json()["count"] == 1 and r.json()["items"][0]["entries"] == 12
    body = api(member_a).get(f"/competitions/{staged['comp'].pk}").json()
    assert body["sport"] == "羽毛球" and body["draw_seed"] == 5
    assert [d["name"] for d in body["divisions"]] == ["第一组", "第二组", "第三组", "第四组"]
    assert len(body["entry_list"]) == 12
    group_round = body["rounds"][0]
    assert group_round["kind"] == "round_robin" and len(group_round["matches"]) == 12
    played = next(x for x in group_round["matches"] if x["id"] == m.pk)
    assert played["winner"] == m.home_id and played["home_score"] == "2.00"
    assert body["ranking"][0] == {"entry": m.home_id, "name": m.home.name, "place": 1, "prize": None}
    assert body["prize_rule"] == {"share": "2/3", "participants": 12, "max_winners": 8}


def test_the_organiser_records_a_match_result(api, staged, organiser):
    s = staged
    r = api(organiser).post(
        f"/competitions/{s['comp'].pk}/matches/{s['match'].pk}/result", {"home_score": "1", "away_score": "2"}
    )
    assert r.status_code == 200, r.content
    assert r.json()["winner"] == s["match"].away_id
    s["match"].refresh_from_db()
    assert s["match"].away_score == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"home_score": -1, "away_score": 2}, "home_score"),
        ({"home_score": "x", "away_score": 2}, "home_score"),
        ({"away_score": 2}, "home_score"),
    ],
)
def test_a_bad_match_result_is_400_and_writes_nothing(api, staged, organiser, body, field):
    s = staged
    r = api(organiser).post(f"/competitions/{s['comp'].pk}/matches/{s['match'].pk}/result", body)
    assert r.status_code == 400
    assert field in r.json()["error"]["fields"]
    s["match"].refresh_from_db()
    assert s["match"].home_score is None


def test_a_match_of_another_competition_is_404(api, staged, make_competition, school_a, organiser, players):
    other = make_competition(title="乒乓球比赛", sport="乒乓球")
    r = api(organiser).post(
        f"/competitions/{other.pk}/matches/{staged['match'].pk}/result", {"home_score": 2, "away_score": 0}
    )
    assert r.status_code == 404


def test_the_organiser_records_scores_and_gets_the_places(api, staged, organiser):
    s = staged
    a, b, c = Entry.objects.filter(competition=s["comp"]).order_by("id")[:3]
    r = api(organiser).post(
        f"/competitions/{s['comp'].pk}/rounds/{s['scored'].pk}/scores",
        {
            "scores": [
                {"entry": a.pk, "value": "30"},
                {"entry": b.pk, "value": "42.5"},
                {"entry": c.pk, "value": 30},
            ]
        },
    )
    assert r.status_code == 200, r.content
    assert [(x["entry"], x["place"]) for x in r.json()] == [(b.pk, 1), (a.pk, 2), (c.pk, 2)]


def test_bad_scores_are_400_per_entry_and_nothing_is_saved(api, staged, organiser, school_b):
    s = staged
    a, b = Entry.objects.filter(competition=s["comp"]).order_by("id")[:2]
    r = api(organiser).post(
        f"/competitions/{s['comp'].pk}/rounds/{s['scored'].pk}/scores",
        {
            "scores": [
                {"entry": a.pk, "value": "30"},
                {"entry": b.pk, "value": "-4"},
                {"entry": 999999, "value": "1"},
            ]
        },
    )
    assert r.status_code == 400
    fields = r.json()["error"]["fields"]
    assert f"entry_{b.pk}" in fields and "entry_999999" in fields
    assert not Score.objects.exists()


def test_results_after_the_prizes_are_409(api, staged, school_a, organiser):
    s = staged
    services.record_match_result(actor=organiser, org=school_a, match=s["match"], home_score=2, away_score=0)
    services.set_prizes(actor=organiser, org=school_a, competition=s["comp"], tiers=[("一等奖", 1)])
    services.award_from_ranking(actor=organiser, org=school_a, competition=s["comp"])
    r = api(organiser).post(
        f"/competitions/{s['comp'].pk}/matches/{s['match'].pk}/result", {"home_score": 0, "away_score": 2}
    )
    assert r.status_code == 409 and "撤销颁奖" in r.json()["error"]["message"]
    body = api(organiser).get(f"/competitions/{s['comp'].pk}").json()
    assert [x["prize"] for x in body["ranking"] if x["prize"]] == ["一等奖"]
