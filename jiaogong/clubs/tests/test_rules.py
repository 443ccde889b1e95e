"""The leader election's count and what is left of a budget (clubs/rules.py)."""

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiaogong.clubs import rules


def test_the_candidate_with_the_most_votes_wins():
    result = rules.tally([3, 3, 5, 3, 7])
    assert result.counts == [(3, 3), (5, 1), (7, 1)]
    assert result.winner == 3 and not result.tied


def test_equal_most_votes_is_a_tie_with_no_winner():
    result = rules.tally([3, 5, 5, 3, 7])
    assert result.tied and result.winner is None
    assert sorted(result.leaders) == [3, 5]


def test_no_votes_no_winner_and_no_tie():
    result = rules.tally([])
    assert result.counts == [] and result.winner is None and not result.tied


def test_a_single_vote_elects():
    assert rules.tally([9]).winner == 9


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(min_value=1, max_value=6), max_size=60))
def test_the_count_adds_up_to_the_votes_and_the_leaders_have_the_most(votes):
    result = rules.tally(votes)
    assert sum(n for _, n in result.counts) == len(votes)
    if votes:
        top = max(votes.count(c) for c in set(votes))
        assert sorted(result.leaders) == sorted(c for c in set(votes) if votes.count(c) == top)
        assert (result.winner is None) == (len(result.leaders) > 1)
    counts = [n for _, n in result.counts]
    assert counts == sorted(counts, reverse=True)


def test_budget_left_is_approved_minus_spent_to_the_cent():
    assert rules.budget_left(Decimal("1500.00"), [Decimal("300.10"), Decimal("199.90")]) == Decimal("1000.00")
    assert rules.budget_left(None, []) == Decimal("0.00")


def test_spending_exactly_what_is_left_fits_and_a_cent_more_does_not():
    spent = [Decimal("1000.00")]
    assert rules.fits_budget(approved=Decimal("1500.00"), spent=spent, amount=Decimal("500.00"))
    assert not rules.fits_budget(approved=Decimal("1500.00"), spent=spent, amount=Decimal("500.01"))


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.decimals(min_value=1, max_value=100000, places=2),
    st.lists(st.decimals(min_value=Decimal("0.01"), max_value=1000, places=2), max_size=20),
    st.decimals(min_value=Decimal("0.01"), max_value=100000, places=2),
)
def test_a_spending_fits_exactly_when_the_total_stays_within_the_approval(approved, spent, amount):
    assert rules.fits_budget(approved=approved, spent=spent, amount=amount) == (
        sum(spent) + amount <= approved
    )
