"""The 读书活动's year-end ranking, the cap on 先进个人 and the proposal (study/rules.py)."""

import datetime
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiaogong.study import rules

D = datetime.date


def book(member, day, chars=100):
    return rules.Book(member_id=member, finished_on=D(2026, *day), reflection_chars=chars)


def test_more_books_rank_first_then_longer_reflections_then_who_finished_first():
    books = [
        book(1, (3, 1)),
        book(1, (4, 1)),  # 2 books, 200 chars, reached 4-01
        book(2, (3, 1)),
        book(2, (5, 1), 300),  # 2 books, 400 chars
        book(3, (2, 1)),
        book(3, (3, 1)),  # 2 books, 200 chars, reached 3-01: before 1
        book(4, (1, 1)),
        book(4, (1, 2)),
        book(4, (1, 3), 10),  # 3 books
        book(5, (6, 1), 900),
    ]
    ranking = rules.rank_readers(books)
    assert [c.member_id for c in ranking] == [4, 2, 3, 1, 5]
    assert [c.rank for c in ranking] == [1, 2, 3, 4, 5]
    assert (
        ranking[0].books == 3
        and ranking[0].reflection_chars == 210
        and ranking[0].reached_on == D(2026, 1, 3)
    )


def test_equal_on_everything_shares_a_rank():
    ranking = rules.rank_readers([book(7, (3, 1)), book(8, (3, 1)), book(9, (2, 1), 50)])
    assert [(c.member_id, c.rank) for c in ranking] == [(7, 1), (8, 1), (9, 3)]


def test_the_cap_is_the_share_rounded_down_and_at_least_one():
    assert rules.award_cap(0) == 0
    assert rules.award_cap(1) == 1
    assert rules.award_cap(19) == 1
    assert rules.award_cap(20) == 2
    assert rules.award_cap(57) == 5
    assert rules.award_cap(57, Decimal("0.15")) == 8


def test_a_tie_across_the_last_place_is_left_to_the_chair():
    ranking = rules.rank_readers(
        [book(1, (1, 1), 900), book(2, (1, 1)), book(3, (1, 1)), book(4, (1, 1), 10)]
    )
    assert rules.propose(ranking, 2) == [1]
    assert rules.propose(ranking, 3) == [1, 2, 3]
    assert rules.propose(ranking, 0) == []


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.integers(1, 8), st.integers(1, 12), st.integers(0, 3)),
        max_size=40,
    ),
    st.integers(0, 10),
)
def test_the_proposal_never_exceeds_the_cap_and_follows_the_ranking(raw, cap):
    books = [rules.Book(m, D(2026, month, 1), chars * 100) for m, month, chars in raw]
    ranking = rules.rank_readers(books)
    assert len({c.member_id for c in ranking}) == len({m for m, _, _ in raw})
    chosen = rules.propose(ranking, cap)
    assert len(chosen) <= cap
    assert chosen == [c.member_id for c in ranking[: len(chosen)]]
    keys = [(-c.books, -c.reflection_chars, c.reached_on) for c in ranking]
    assert keys == sorted(keys)
    if chosen and len(chosen) < len(ranking):
        # Nobody left out is equal to someone chosen.
        assert ranking[len(chosen)].rank != ranking[len(chosen) - 1].rank
