"""淘汰赛 drawn from the round before: group qualifiers meet crosswise, then the winners meet in order."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiaogong.competitions import ranking, selectors, services
from jiaogong.competitions.models import Match
from jiaogong.competitions.tests.test_services import group_stage
from jiaogong.core.errors import DomainError


@given(st.integers(min_value=1, max_value=8), st.integers(min_value=1, max_value=4))
def test_cross_pairs_use_everyone_once_and_keep_groups_apart(groups, per_group):
    by_place = [[(place, group) for group in range(groups)] for place in range(per_group)]
    qualifiers = [q for place in by_place for q in place]
    if len(qualifiers) % 2:
        with pytest.raises(ValueError):
            ranking.cross_pairs(by_place)
        return
    pairs = ranking.cross_pairs(by_place)
    met = [q for pair in pairs for q in pair]
    assert sorted(met) == sorted(qualifiers)
    if groups >= 2 and per_group <= 2:  # nobody meets their own group again
        assert all(a[1] != b[1] for a, b in pairs)
    if per_group == 2:  # a winner meets a runner-up
        assert all(a[0] == 0 and b[0] == 1 for a, b in pairs)


def test_four_group_winners_make_a1_v_d1_and_b1_v_c1():
    assert ranking.cross_pairs([["A1", "B1", "C1", "D1"]]) == [("A1", "D1"), ("B1", "C1")]
    assert ranking.cross_pairs([["A1", "B1", "C1"], ["A2", "B2", "C2"]]) == [
        ("A1", "B2"),
        ("B1", "C2"),
        ("C1", "A2"),
    ]
    assert ranking.winners_pairs(["w1", "w2", "w3", "w4"]) == [("w1", "w2"), ("w3", "w4")]
    with pytest.raises(ValueError):
        ranking.winners_pairs(["w1", "w2", "w3"])


def _play_groups(comp, school_a, organiser, rnd):
    """In every group the entry added first wins all its matches and the second beats the third."""
    for m in Match.objects.filter(round=rnd):
        home_wins = m.home_id < m.away_id
        services.record_match_result(
            actor=organiser,
            org=school_a,
            match=m,
            home_score="2" if home_wins else "0",
            away_score="0" if home_wins else "2",
        )


def _group_winners(comp):
    groups = selectors.overview(comp).rounds[0].blocks
    return [next(r.entry.pk for r in b.rows if r.place == 1) for b in groups]


def test_the_semi_finals_pair_the_group_winners_and_the_final_their_winners(badminton, school_a, organiser):
    groups = group_stage(badminton, school_a, organiser)
    _play_groups(badminton, school_a, organiser, groups)
    a1, b1, c1, d1 = _group_winners(badminton)
    semis = services.add_round(
        actor=organiser, org=school_a, competition=badminton, name="半决赛", kind="knockout"
    )
    made = services.generate_knockout(actor=organiser, org=school_a, round=semis)
    assert [(m.home_id, m.away_id) for m in made] == [(a1, d1), (b1, c1)]
    final = services.add_round(
        actor=organiser, org=school_a, competition=badminton, name="决赛", kind="knockout"
    )
    with pytest.raises(DomainError) as e:
        services.generate_knockout(actor=organiser, org=school_a, round=final)
    assert e.value.code == "unplayed" and Match.objects.filter(round=final).count() == 0
    first, second = Match.objects.filter(round=semis).order_by("id")
    services.record_match_result(actor=organiser, org=school_a, match=first, home_score="1", away_score="2")
    services.record_match_result(actor=organiser, org=school_a, match=second, home_score="2", away_score="0")
    (match,) = services.generate_knockout(actor=organiser, org=school_a, round=final)
    assert (match.home_id, match.away_id) == (d1, b1)


def test_two_from_each_group_meet_crosswise(badminton, school_a, organiser):
    groups = group_stage(badminton, school_a, organiser)
    _play_groups(badminton, school_a, organiser, groups)
    quarters = services.add_round(
        actor=organiser, org=school_a, competition=badminton, name="四分之一决赛", kind="knockout"
    )
    made = services.generate_knockout(actor=organiser, org=school_a, round=quarters, per_division=2)
    division = {e.pk: e.division_id for e in badminton.entries.all()}
    assert len(made) == 4
    assert all(division[m.home_id] != division[m.away_id] for m in made)


def test_a_group_not_yet_decided_is_refused_and_nothing_is_written(badminton, school_a, organiser):
    group_stage(badminton, school_a, organiser)  # nothing played
    semis = services.add_round(
        actor=organiser, org=school_a, competition=badminton, name="半决赛", kind="knockout"
    )
    with pytest.raises(DomainError) as e:
        services.generate_knockout(actor=organiser, org=school_a, round=semis)
    assert (
        e.value.code in {"unplayed", "tie_at_cut"} and "第一组" in e.value.message or "组" in e.value.message
    )
    assert not Match.objects.filter(round=semis).exists()


def test_three_group_winners_cannot_be_paired(badminton, school_a, organiser):
    services.draw_divisions(actor=organiser, org=school_a, competition=badminton, groups=3, seed=3)
    rnd = services.add_round(
        actor=organiser,
        org=school_a,
        competition=badminton,
        name="小组赛",
        kind="round_robin",
        by_division=True,
    )
    services.generate_round_robin(actor=organiser, org=school_a, round=rnd)
    _play_groups(badminton, school_a, organiser, rnd)
    semis = services.add_round(
        actor=organiser, org=school_a, competition=badminton, name="半决赛", kind="knockout"
    )
    with pytest.raises(DomainError) as e:
        services.generate_knockout(actor=organiser, org=school_a, round=semis)
    assert e.value.code == "odd_qualifiers" and "3 人" in e.value.message


def test_the_first_round_has_nothing_to_draw_from(badminton, school_a, organiser):
    final = services.add_round(
        actor=organiser, org=school_a, competition=badminton, name="决赛", kind="knockout"
    )
    with pytest.raises(DomainError) as e:
        services.generate_knockout(actor=organiser, org=school_a, round=final)
    assert e.value.code == "no_previous_round"


# ---- the page ----------------------------------------------------------------------------------------


def _round_url(org, comp, rnd, action=""):
    return f"/o/{org.pk}/competitions/{comp.pk}/rounds/{rnd.pk}/{action}"


def test_the_organiser_draws_the_semi_finals_on_the_round_page(login, badminton, school_a, organiser):
    groups = group_stage(badminton, school_a, organiser)
    _play_groups(badminton, school_a, organiser, groups)
    semis = services.add_round(
        actor=organiser, org=school_a, competition=badminton, name="半决赛", kind="knockout"
    )
    client = login(organiser)
    page = client.get(_round_url(school_a, badminton, semis)).content.decode()
    assert "由“小组赛”的成绩生成对阵" in page and 'name="per_division"' in page
    response = client.post(_round_url(school_a, badminton, semis, "generate/"), {"per_division": "1"})
    assert response.status_code == 302
    assert Match.objects.filter(round=semis).count() == 2


def test_a_bad_number_of_qualifiers_is_refused_on_the_page(login, badminton, school_a, organiser):
    groups = group_stage(badminton, school_a, organiser)
    _play_groups(badminton, school_a, organiser, groups)
    semis = services.add_round(
        actor=organiser, org=school_a, competition=badminton, name="半决赛", kind="knockout"
    )
    response = login(organiser).post(
        _round_url(school_a, badminton, semis, "generate/"), {"per_division": "x"}
    )
    assert response.status_code == 422 and "每组晋级名额应为 1 到 8" in response.content.decode()
    assert not Match.objects.filter(round=semis).exists()


def test_members_and_outsiders_cannot_draw(login, badminton, school_a, organiser, member_a, outsider_b):
    groups = group_stage(badminton, school_a, organiser)
    _play_groups(badminton, school_a, organiser, groups)
    semis = services.add_round(
        actor=organiser, org=school_a, competition=badminton, name="半决赛", kind="knockout"
    )
    url = _round_url(school_a, badminton, semis, "generate/")
    assert login(member_a).post(url).status_code == 403
    assert "生成对阵" not in login(member_a).get(_round_url(school_a, badminton, semis)).content.decode()
    assert login(outsider_b).post(url).status_code == 404
    assert not Match.objects.filter(round=semis).exists()
