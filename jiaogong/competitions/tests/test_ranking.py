"""The pure rules: the draw, round-robin pairs and tables, places with ties, the final ranking
over the rounds, and the prize rule."""

from collections import Counter
from decimal import Decimal
from fractions import Fraction
from itertools import combinations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiaogong.competitions import ranking
from jiaogong.competitions.ranking import Match, Points

D = Decimal


def places_of(pairs):
    return dict(pairs)


# ---- the draw ------------------------------------------------------------------------------------


@given(n=st.integers(0, 60), groups=st.integers(1, 10), seed=st.integers(0, 10**9))
def test_the_draw_deals_everyone_once_into_groups_differing_by_at_most_one(n, groups, seed):
    entries = list(range(1, n + 1))
    dealt = ranking.draw_divisions(entries, groups, seed)
    assert len(dealt) == groups
    assert sorted(k for g in dealt for k in g) == entries
    sizes = [len(g) for g in dealt]
    assert max(sizes) - min(sizes) <= 1


@given(n=st.integers(2, 40), groups=st.integers(1, 8), seed=st.integers(0, 10**9))
def test_the_same_seed_gives_the_same_draw(n, groups, seed):
    entries = list(range(n))
    assert ranking.draw_divisions(entries, groups, seed) == ranking.draw_divisions(entries, groups, seed)


@given(n=st.integers(8, 40), groups=st.integers(2, 6), seed=st.integers(0, 10**9), data=st.data())
def test_the_top_seeds_land_in_different_groups_and_sizes_stay_even(n, groups, seed, data):
    entries = list(range(n))
    seeded = data.draw(st.lists(st.sampled_from(entries), min_size=0, max_size=groups, unique=True))
    seeds = {k: i + 1 for i, k in enumerate(seeded)}
    dealt = ranking.draw_divisions(entries, groups, seed, seeds)
    where = {k: i for i, g in enumerate(dealt) for k in g}
    assert len({where[k] for k in seeded}) == len(seeded)
    sizes = [len(g) for g in dealt]
    assert max(sizes) - min(sizes) <= 1


def test_seeds_go_in_snake_order():
    dealt = ranking.draw_divisions(
        ["s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8"], 4, 1, {f"s{i}": i for i in range(1, 9)}
    )
    assert dealt == [["s1", "s8"], ["s2", "s7"], ["s3", "s6"], ["s4", "s5"]]


def test_different_seeds_give_different_draws():
    entries = list(range(24))
    draws = {tuple(map(tuple, ranking.draw_divisions(entries, 4, s))) for s in range(20)}
    assert len(draws) > 15


def test_fewer_than_one_group_is_refused():
    with pytest.raises(ValueError):
        ranking.draw_divisions([1, 2], 0, 1)


# ---- round robin ---------------------------------------------------------------------------------


@given(n=st.integers(0, 16))
def test_a_round_robin_meets_every_pair_exactly_once(n):
    pairs = ranking.round_robin_pairs(list(range(n)))
    assert len(pairs) == n * (n - 1) // 2
    assert {frozenset(p) for p in pairs} == {frozenset(c) for c in combinations(range(n), 2)}


def test_the_table_counts_points_then_difference_then_score():
    matches = [
        Match("A", "B", D(2), D(0)),
        Match("A", "C", D(2), D(1)),
        Match("B", "C", D(2), D(1)),
        Match("D", "A", D(2), D(1)),
        Match("D", "B", D(0), D(2)),
        Match("D", "C", D(0), D(2)),
    ]
    table = ranking.round_robin_table("ABCD", matches, Points(2, 1, 0))
    by = {r.entry: r for r in table}
    assert (by["A"].won, by["A"].lost, by["A"].points) == (2, 1, 4)
    assert by["B"].points == by["A"].points == 4
    assert by["A"].diff == D(2)  # 5 for, 3 against
    assert by["B"].diff == D(1)  # 4 for, 3 against
    assert [r.entry for r in table] == ["A", "B", "C", "D"]
    assert [r.place for r in table] == [1, 2, 3, 4]


def test_entries_equal_on_points_difference_and_score_share_a_place():
    matches = [Match("A", "B", D(21), D(15)), Match("B", "C", D(21), D(15)), Match("C", "A", D(21), D(15))]
    table = ranking.round_robin_table("ABC", matches)
    assert [r.place for r in table] == [1, 1, 1]


def test_a_draw_gives_the_draw_points_and_unplayed_entries_are_unranked():
    table = ranking.round_robin_table("ABC", [Match("A", "B", D(1), D(1))], Points(3, 1, 0))
    by = {r.entry: r for r in table}
    assert by["A"].points == by["B"].points == 1 and by["A"].drawn == 1
    assert by["A"].place == by["B"].place == 1
    assert by["C"].place == 0 and table[-1].entry == "C"


@given(
    st.lists(
        st.tuples(
            st.sampled_from("ABCDE"), st.sampled_from("ABCDE"), st.integers(0, 3), st.integers(0, 3)
        ).filter(lambda t: t[0] != t[1]),
        max_size=20,
    )
)
def test_points_always_add_up_and_places_follow_the_order(raw):
    matches = [Match(h, a, D(x), D(y)) for h, a, x, y in raw]
    points = Points(2, 1, 0)
    table = ranking.round_robin_table("ABCDE", matches, points)
    played = [r for r in table if r.played]
    assert sum(r.played for r in table) == 2 * len(matches)
    assert sum(r.won for r in table) == sum(r.lost for r in table)
    assert sum(r.points for r in table) == sum(2 if x != y else 2 * 1 for _h, _a, x, y in raw)
    for i, r in enumerate(played):
        ahead = sum(1 for o in played if (o.points, o.diff, o.score_for) > (r.points, r.diff, r.score_for))
        assert r.place == ahead + 1, i


# ---- scored rounds -------------------------------------------------------------------------------


def test_scores_rank_with_ties_sharing_a_place_higher_better():
    ranked = ranking.rank_scores({"A": D(30), "B": D(45), "C": D(30), "D": D(12)}, higher_is_better=True)
    assert [(k, p) for k, p, _v in ranked] == [("B", 1), ("A", 2), ("C", 2), ("D", 4)]


def test_times_rank_lower_better():
    ranked = ranking.rank_scores({"A": D("62.5"), "B": D("58.1"), "C": D("70")}, higher_is_better=False)
    assert [(k, p) for k, p, _v in ranked] == [("B", 1), ("A", 2), ("C", 3)]


@given(st.dictionaries(st.integers(0, 50), st.integers(0, 20), max_size=30), st.booleans())
def test_a_place_is_one_more_than_the_number_strictly_better(scores, higher):
    ranked = ranking.rank_scores({k: D(v) for k, v in scores.items()}, higher_is_better=higher)
    for key, place, value in ranked:
        better = sum(1 for v in scores.values() if (v > value if higher else v < value))
        assert place == better + 1, key


def test_knockout_winners_go_first_and_losers_share():
    places = ranking.knockout_places([Match(1, 2, D(2), D(1)), Match(3, 4, D(0), D(2))])
    assert places_of(places) == {1: 1, 4: 1, 2: 3, 3: 3}


# ---- the final ranking ---------------------------------------------------------------------------


def test_groups_semis_and_final_give_the_usual_ranking():
    groups = [(1, 1), (2, 2), (3, 3), (4, 1), (5, 2), (6, 3), (7, 1), (8, 2), (9, 1), (10, 2)]
    semis = ranking.knockout_places([Match(1, 4, D(2), D(0)), Match(7, 9, D(1), D(2))])
    final = ranking.knockout_places([Match(1, 9, D(1), D(2))])
    standings = places_of(ranking.final_standings([groups, semis, final]))
    assert standings[9] == 1 and standings[1] == 2
    assert standings[4] == standings[7] == 3
    # Out in the groups: the runners-up share 5th, the thirds share 9th.
    assert standings[2] == standings[5] == standings[8] == standings[10] == 5
    assert standings[3] == standings[6] == 9


def test_a_single_round_is_the_ranking_and_unranked_entries_are_left_out():
    assert ranking.final_standings([[(1, 2), (2, 1), (3, 0)]]) == [(2, 1), (1, 2)]


@given(st.lists(st.dictionaries(st.integers(0, 12), st.integers(1, 5), max_size=13), min_size=1, max_size=4))
def test_every_entry_is_ranked_once_and_places_count_those_ahead(stages):
    out = ranking.final_standings([list(s.items()) for s in stages])
    keys = [k for k, _p in out]
    assert len(keys) == len(set(keys)) == len(set().union(*[set(s) for s in stages]))
    for key, place in out:
        assert place == 1 + sum(1 for _k, p in out if p < place), key


# ---- prizes --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "share", "limit"), [(12, "2/3", 8), (10, "2/3", 6), (9, "1/3", 3), (1, "2/3", 0), (0, "2/3", 0)]
)
def test_the_prize_limit_rounds_down(n, share, limit):
    assert ranking.prize_limit(n, Fraction(share)) == limit


@given(st.integers(0, 10000), st.fractions(min_value=0, max_value=1))
def test_the_prize_limit_is_the_largest_whole_number_within_the_share(n, share):
    limit = ranking.prize_limit(n, share)
    assert limit <= n * share < limit + 1 or (n == 0 and limit == 0)


def test_prizes_go_down_the_ranking_by_tier():
    standings = [(k, k) for k in range(1, 11)]
    result = ranking.allocate_prizes(standings, [1, 2, 3], max_winners=6)
    assert [(k, t) for k, t, _p in result.awards] == [(1, 0), (2, 1), (3, 1), (4, 2), (5, 2), (6, 2)]
    assert result.notes == [] and result.winners == 6


def test_a_tie_shares_the_prize_and_uses_up_the_places_after_it():
    # 并列第一 takes the 一等奖 and the 二等奖's place, as the next place is the third.
    standings = [("A", 1), ("B", 1), ("C", 3), ("D", 4), ("E", 5)]
    result = ranking.allocate_prizes(standings, [1, 1, 2], max_winners=8)
    assert {k: t for k, t, _p in result.awards} == {"A": 0, "B": 0, "C": 2, "D": 2}


def test_a_tie_at_the_last_prize_all_get_it_when_the_rule_allows():
    standings = [("A", 1), ("B", 2), ("C", 3), ("D", 3)]
    result = ranking.allocate_prizes(standings, [1, 1, 1], max_winners=4)
    assert {k: t for k, t, _p in result.awards} == {"A": 0, "B": 1, "C": 2, "D": 2}
    assert "多 1 个" in result.notes[0]


def test_a_tie_that_would_break_the_prize_rule_is_not_awarded():
    standings = [("A", 1), ("B", 2), ("C", 3), ("D", 3), ("E", 3)]
    result = ranking.allocate_prizes(standings, [1, 1, 2], max_winners=4)
    assert [k for k, _t, _p in result.awards] == ["A", "B"]
    assert "并列第 3 名" in result.notes[0] and "4" in result.notes[0]


def test_a_team_counts_its_members_against_the_rule():
    standings = [("红队", 1), ("蓝队", 2), ("绿队", 3)]
    result = ranking.allocate_prizes(
        standings, [1, 1, 1], max_winners=10, sizes={"红队": 5, "蓝队": 5, "绿队": 5}
    )
    assert [k for k, _t, _p in result.awards] == ["红队", "蓝队"] and result.winners == 10


@given(
    places=st.lists(st.integers(1, 12), max_size=24),
    counts=st.lists(st.integers(0, 6), min_size=1, max_size=4),
    max_winners=st.integers(0, 30),
)
def test_allocation_never_breaks_the_rule_never_splits_a_tie_and_keeps_the_order(places, counts, max_winners):
    standings = sorted(((i, p) for i, p in enumerate(places)), key=lambda kp: kp[1])
    result = ranking.allocate_prizes(standings, counts, max_winners=max_winners)
    assert result.winners == len(result.awards) <= max_winners
    awarded = {k for k, _t, _p in result.awards}
    place_of = dict(standings)
    by_place = Counter(place_of[k] for k in awarded)
    assert all(by_place[p] == places.count(p) for p in by_place)  # a tie is all in or all out
    tier_of = {k: t for k, t, _p in result.awards}
    for a in awarded:
        for b in awarded:
            if place_of[a] < place_of[b]:
                assert tier_of[a] <= tier_of[b]
    if awarded:
        worst = max(place_of[k] for k in awarded)
        assert all(k in awarded for k, p in standings if p < worst)  # nobody ahead is skipped
    # Without ties the tier counts hold exactly.
    if len(set(places)) == len(places):
        assert len(awarded) <= sum(counts)
