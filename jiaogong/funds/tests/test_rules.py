"""The money rules of RULES.md §3 as pure functions."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiaogong.funds import rules

D = Decimal
COUNTED = ["岗位工资", "薪级工资"]


def test_the_worked_example():
    # RULES.md: 岗位 2,830 + 薪级 1,467 = 4,297 → base 4,290 → dues 21.45
    dues = rules.dues_for(
        {"岗位工资": D("2830"), "薪级工资": D("1467"), "绩效工资": D("3000")}, counted=COUNTED
    )
    assert (dues.pay, dues.base, dues.amount, dues.exempt) == (D("4297.00"), D("4290"), D("21.45"), "")


@pytest.mark.parametrize(
    ("pay", "base"),
    [
        ("4290", "4290"),
        ("4299.99", "4290"),
        ("4300", "4300"),
        ("9.99", "0"),
        ("10", "10"),
        ("0", "0"),
        ("-5", "0"),
    ],
)
def test_the_ten_yuan_floor(pay, base):
    assert rules.dues_base(D(pay)) == D(base)


@pytest.mark.parametrize(
    ("base", "amount"),
    [("4290", "21.45"), ("10", "0.05"), ("1010", "5.05"), ("1230", "6.15"), ("3330", "16.65"), ("0", "0.00")],
)
def test_rounding_to_the_fen(base, amount):
    assert rules.dues_amount(D(base)) == D(amount)


def test_half_a_fen_rounds_up():
    # A rate that lands on half a fen: 4,290 × 0.0035 = 15.015 → 15.02 (half up, not to even).
    assert rules.dues_amount(D("4290"), D("0.0035")) == D("15.02")


def test_retirees_are_exempt_unless_the_rule_says_otherwise():
    pay = {"岗位工资": D("3000")}
    assert rules.dues_for(pay, counted=COUNTED, retired=True).amount == D("0.00")
    assert rules.dues_for(pay, counted=COUNTED, retired=True).exempt == "退休会员免缴"
    assert rules.dues_for(pay, counted=COUNTED, retired=True, retirees_exempt=False).amount == D("15.00")


def test_the_counted_components_are_a_parameter():
    pay = {"岗位工资": D("2830"), "薪级工资": D("1467"), "津贴": D("500")}
    assert rules.dues_for(pay, counted=["岗位工资"]).base == D("2830")
    assert rules.dues_for(pay, counted=[*COUNTED, "津贴"]).base == D("4790")
    assert rules.dues_for({}, counted=COUNTED).amount == D("0.00")


@given(st.decimals(min_value=0, max_value=1_000_000, places=2))
def test_the_base_is_the_largest_multiple_of_ten_not_above_the_pay(pay):
    base = rules.dues_base(pay)
    assert base % 10 == 0 and base <= pay < base + 10


@given(st.integers(min_value=0, max_value=100_000).map(lambda n: D(n * 10)))
def test_dues_are_half_a_percent_to_the_fen(base):
    amount = rules.dues_amount(base)
    assert abs(amount - base * D("0.005")) <= D("0.005")
    assert amount == amount.quantize(D("0.01"))


def test_allocation_split_and_late_fee():
    assert rules.allocation_due(D("1234567.89")) == D("24691.36")
    assert rules.split(D("100.01")) == (D("60.01"), D("40.00"))
    due = datetime.date(2026, 11, 15)
    assert rules.late_fee(D("10000"), due, datetime.date(2026, 11, 25), D("0.005")) == D("500.00")
    assert rules.late_fee(D("10000"), due, due, D("0.005")) == D("0.00")
    assert rules.late_fee(D("10000"), due, datetime.date(2026, 12, 1), D("0")) == D("0.00")


@given(
    st.decimals(min_value=0, max_value=10_000_000, places=2), st.decimals(min_value=0, max_value=1, places=2)
)
def test_the_split_never_loses_a_fen(amount, share):
    kept, remitted = rules.split(amount, share)
    assert kept + remitted == amount
    assert kept >= 0 and remitted >= 0


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["income", "expense"]), st.decimals(min_value="0.01", max_value=100_000, places=2)
        ),
        max_size=50,
    ),
    st.data(),
)
def test_any_entries_and_reversals_keep_balance_equal_to_income_minus_expense(entries, data):
    reversed_ = data.draw(st.sets(st.integers(0, max(len(entries) - 1, 0))) if entries else st.just(set()))
    ledger = list(entries) + [(entries[i][0], -entries[i][1]) for i in reversed_]
    income = sum((a for k, a in ledger if k == "income"), D(0))
    expense = sum((a for k, a in ledger if k == "expense"), D(0))
    assert rules.balance(ledger) == income - expense
    kept = [e for i, e in enumerate(entries) if i not in reversed_]
    assert rules.balance(ledger) == rules.balance(kept)  # a reversal undoes exactly its entry
