"""Who may claim (enrolled, inside the coverage period, both ends included) and what may be paid."""

import datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from jiaogong.mutual_aid import rules

START = datetime.date(2026, 1, 1)
END = datetime.date(2026, 12, 31)
ONE_DAY = datetime.timedelta(days=1)


def refusal(event_on, enrolled=True):
    return rules.claim_refusal(enrolled=enrolled, covers_from=START, covers_to=END, event_on=event_on)


def test_the_first_day_of_the_period_is_covered():
    assert refusal(START) == ""


def test_the_day_before_the_period_is_not():
    assert "早于保障期开始日 2026-01-01" in refusal(START - ONE_DAY)


def test_the_last_day_of_the_period_is_covered():
    assert refusal(END) == ""


def test_the_day_after_the_period_is_not():
    assert "晚于保障期结束日 2026-12-31" in refusal(END + ONE_DAY)


def test_a_member_not_enrolled_is_refused_even_inside_the_period():
    assert "未参加" in refusal(datetime.date(2026, 6, 1), enrolled=False)


@given(st.dates(min_value=datetime.date(2024, 1, 1), max_value=datetime.date(2028, 12, 31)), st.booleans())
def test_a_claim_is_accepted_exactly_when_enrolled_and_inside(event_on, enrolled):
    assert (refusal(event_on, enrolled) == "") == (enrolled and START <= event_on <= END)


def test_paying_exactly_what_was_claimed_is_allowed():
    assert rules.payment_refusal(amount_claimed=Decimal("2000.00"), amount_paid=Decimal("2000.00")) == ""


def test_paying_one_fen_more_than_claimed_is_refused():
    assert "不能超过申请金额" in rules.payment_refusal(
        amount_claimed=Decimal("2000.00"), amount_paid=Decimal("2000.01")
    )


def test_paying_nothing_is_not_a_payment():
    assert "应大于零" in rules.payment_refusal(amount_claimed=Decimal("10"), amount_paid=Decimal("0"))
